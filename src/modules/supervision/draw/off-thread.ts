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
 * file as one transferred buffer of UTF-8 bytes (not decoded on the caller's thread, which may
 * store it in parts: splitDrawFile). The result is runDraw's, byte for byte: the worker runs it.
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
  | { kind: 'add'; entities: PopulationEntity[]; keys: number[] | null }
  | { kind: 'run'; input: Omit<RunDrawInput, 'population'>; options: RunDrawOptions; taskBatch: number }
  /** The caller has taken in the last reply and wants the next part. */
  | { kind: 'next' };

export type WorkerReply =
  | { kind: 'tasks'; tasks: DrawTask[]; names: string[]; keys: number[] | null }
  | { kind: 'done'; result: Omit<DrawResult, 'tasks'>; file: ArrayBuffer; fileSha256: string }
  | { kind: 'draw-error'; code: DrawErrorCode; zh: string; en: string; uscc: string | null }
  | { kind: 'failed'; message: string };

/**
 * Tasks per message back from the worker: the caller's thread decodes each message in one go,
 * so a message is kept to a few milliseconds of work.
 */
const TASK_BATCH = 2_000;

/** What a DrawJob gives back: runDraw's result, the file as UTF-8 bytes and its SHA-256. */
export interface DrawJobOutcome {
  result: DrawResult;
  /** The publishable draw file (serializeDrawFile) as UTF-8 bytes, not decoded. */
  file: Buffer;
  fileSha256: string;
  /** For each task (same order), its entity's name. */
  taskNames: string[];
  /** For each task (same order), the key given with its entity to `add`; empty when none were given. */
  taskKeys: number[];
}

/** A draw being fed to its worker: add the population in parts, then run. */
export interface DrawJob {
  /**
   * Adds a part of the population. `keys` (one per entity, e.g. register ids) are kept by the
   * worker and come back for the drawn entities only, so the caller need not keep the population.
   */
  add(entities: PopulationEntity[], keys?: number[]): void;
  /** Runs the draw; rejects with DrawError exactly where runDraw would throw it. */
  run(input: Omit<RunDrawInput, 'population'>, options?: RunDrawOptions): Promise<DrawJobOutcome>;
  /** Stops the worker without a result (the caller gave up before run). */
  cancel(): void;
}

export function startDrawJob(): DrawJob {
  const worker = startTsWorker(new URL('./draw.worker.ts', import.meta.url), null);
  const post = (message: WorkerRequest) => worker.postMessage(message);
  return {
    add: (entities, keys) => post({ kind: 'add', entities, keys: keys ?? null }),
    cancel: () => void worker.terminate(),
    run(input, options = {}) {
      return new Promise<DrawJobOutcome>((resolve, reject) => {
        const tasks: DrawTask[] = [];
        const taskNames: string[] = [];
        const taskKeys: number[] = [];
        const finish = (settle: () => void) => {
          worker.removeAllListeners();
          worker.on('error', () => {}); // nothing is waiting any more
          void worker.terminate();
          settle();
        };
        worker.on('message', (reply: WorkerReply) => {
          if (reply.kind === 'tasks') {
            for (const t of reply.tasks) tasks.push(t);
            for (const n of reply.names) taskNames.push(n);
            if (reply.keys) for (const k of reply.keys) taskKeys.push(k);
            setImmediate(() => post({ kind: 'next' })); // other work on this thread first
          } else if (reply.kind === 'done') {
            const file = Buffer.from(reply.file);
            finish(() =>
              resolve({
                result: { ...reply.result, tasks },
                file,
                fileSha256: reply.fileSha256,
                taskNames,
                taskKeys,
              }),
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

/** Entities per `add` message when the population is already in memory. */
const ADD_PART = 20_000;

/** runDraw in a worker thread, for a population already in memory. */
export async function runDrawOffThread(
  input: RunDrawInput,
  options: RunDrawOptions = {},
): Promise<DrawOutcome> {
  const job = startDrawJob();
  const { population, ...rest } = input;
  for (let i = 0; i < population.length; i += ADD_PART) job.add(population.slice(i, i + ADD_PART));
  const { result, file, fileSha256 } = await job.run(rest, options);
  return { result, fileText: file.toString('utf8'), fileSha256 };
}
