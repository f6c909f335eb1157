import { createHash } from 'node:crypto';
import { startTsWorker } from '../../../lib/ts-worker.ts';
import { DrawError, type DrawErrorCode } from './errors.ts';
import { buildDrawFile, serializeDrawFile } from './file.ts';
import type { RunDrawOptions } from './rank.ts';
import { runDraw } from './run.ts';
import type { DrawResult, DrawTask, PopulationEntity, RunDrawInput } from './types.ts';

/**
 * The whole draw in a worker thread (draw.worker.ts), so that a draw over a million entities
 * leaves the caller's event loop free. The population goes over in parts (each part is copied
 * when posted: parts keep every pause of the caller short), the tasks come back in parts and the
 * file as one transferred buffer. The result is runDraw's, byte for byte: the worker runs it.
 */

export interface DrawOutcome {
  result: DrawResult;
  /** The publishable draw file (serializeDrawFile) and its SHA-256 in hex. */
  fileText: string;
  fileSha256: string;
}

/** The draw, its file and the file's hash, on the calling thread (the worker runs exactly this). */
export function drawAndSerialize(input: RunDrawInput, options: RunDrawOptions = {}): DrawOutcome {
  const result = runDraw(input, options);
  const fileText = serializeDrawFile(buildDrawFile(input, result));
  return { result, fileText, fileSha256: createHash('sha256').update(fileText, 'utf8').digest('hex') };
}

export type WorkerRequest =
  | { kind: 'add'; entities: PopulationEntity[] }
  | { kind: 'run'; input: Omit<RunDrawInput, 'population'>; options: RunDrawOptions; taskBatch: number };

export type WorkerReply =
  | { kind: 'tasks'; tasks: DrawTask[] }
  | { kind: 'done'; result: Omit<DrawResult, 'tasks'>; file: ArrayBuffer; fileSha256: string }
  | { kind: 'draw-error'; code: DrawErrorCode; zh: string; en: string; uscc: string | null }
  | { kind: 'failed'; message: string };

/** Tasks per message back from the worker. */
const TASK_BATCH = 10_000;

/** A draw being fed to its worker: add the population in parts, then run. */
export interface DrawJob {
  add(entities: PopulationEntity[]): void;
  /** Runs the draw; rejects with DrawError exactly where runDraw would throw it. */
  run(input: Omit<RunDrawInput, 'population'>, options?: RunDrawOptions): Promise<DrawOutcome>;
  /** Stops the worker without a result (the caller gave up before run). */
  cancel(): void;
}

export function startDrawJob(): DrawJob {
  const worker = startTsWorker(new URL('./draw.worker.ts', import.meta.url), null);
  const post = (message: WorkerRequest) => worker.postMessage(message);
  return {
    add: (entities) => post({ kind: 'add', entities }),
    cancel: () => void worker.terminate(),
    run(input, options = {}) {
      return new Promise<DrawOutcome>((resolve, reject) => {
        const tasks: DrawTask[] = [];
        const finish = (settle: () => void) => {
          worker.removeAllListeners();
          worker.on('error', () => {}); // nothing is waiting any more
          void worker.terminate();
          settle();
        };
        worker.on('message', (reply: WorkerReply) => {
          if (reply.kind === 'tasks') {
            for (const t of reply.tasks) tasks.push(t);
          } else if (reply.kind === 'done') {
            const fileText = Buffer.from(reply.file).toString('utf8');
            finish(() =>
              resolve({ result: { ...reply.result, tasks }, fileText, fileSha256: reply.fileSha256 }),
            );
          } else if (reply.kind === 'draw-error') {
            finish(() => reject(new DrawError(reply.code, reply.zh, reply.en, reply.uscc)));
          } else {
            finish(() => reject(new Error(`draw worker failed: ${reply.message}`)));
          }
        });
        worker.on('error', (e) => finish(() => reject(e)));
        worker.on('exit', (code) => finish(() => reject(new Error(`draw worker exited (${code})`))));
        post({ kind: 'run', input, options, taskBatch: TASK_BATCH });
      });
    },
  };
}

/** runDraw in a worker thread, for a population already in memory. */
export async function runDrawOffThread(
  input: RunDrawInput,
  options: RunDrawOptions = {},
): Promise<DrawOutcome> {
  const job = startDrawJob();
  const { population, ...rest } = input;
  for (let i = 0; i < population.length; i += TASK_BATCH * 2)
    job.add(population.slice(i, i + TASK_BATCH * 2));
  return job.run(rest, options);
}
