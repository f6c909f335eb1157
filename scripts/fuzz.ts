/**
 * `npm run fuzz -- [--count 100000] [--seed 20261202] [--workers N] [--only I] [--write]`
 *
 * Seeded mutations of the bundled document through the importer (test/fuzz/document-mutations.ts,
 * the same oracle as test/importer-fuzz.test.ts), spread over worker threads. Each mutation is
 * refused with a line, or read with exactly the records its unmutated parts imply; a crash (any
 * other exception), a hang (no answer within HANG_MS; the worker is stopped and replaced) or a
 * silent change is a failure, printed with its index — `--only I` replays one. `--write` puts the
 * figures into docs/reliability.md. Exits 1 on any failure.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { parseDocument } from '../src/importer/parse.ts';
import {
  emptyTally,
  type FuzzTally,
  judge,
  mutate,
  recordsOf,
  runMutations,
} from '../test/fuzz/document-mutations.ts';

const SOURCE_PATH = fileURLToPath(new URL('../data-bundled/source.txt', import.meta.url));
const RELIABILITY = fileURLToPath(new URL('../docs/reliability.md', import.meta.url));
/** A mutation that takes longer than this is a hang. */
const HANG_MS = 10_000;
const CHUNK = 250;

interface Job {
  seed: number;
  from: number;
  to: number;
}
type FromWorker =
  | { type: 'start'; index: number }
  | { type: 'done'; tally: FuzzTally; slowestMs: number; slowestIndex: number };

function load() {
  const source = readFileSync(SOURCE_PATH, 'utf8');
  const lines = source.split('\n');
  return { lines, original: recordsOf(parseDocument(source), lines) };
}

if (!isMainThread) {
  const { lines, original } = load();
  parentPort!.on('message', (job: Job) => {
    const tally = emptyTally();
    let slowestMs = 0;
    let slowestIndex = -1;
    let started = 0;
    let current = -1;
    const settle = () => {
      if (current < 0) return;
      const ms = performance.now() - started;
      if (ms > slowestMs) {
        slowestMs = ms;
        slowestIndex = current;
      }
    };
    runMutations(lines, original, job.seed, job.from, job.to, tally, (index) => {
      settle();
      current = index;
      started = performance.now();
      parentPort!.postMessage({ type: 'start', index } satisfies FromWorker);
    });
    settle();
    parentPort!.postMessage({ type: 'done', tally, slowestMs, slowestIndex } satisfies FromWorker);
  });
  void workerData;
} else {
  await main();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      count: { type: 'string', default: '100000' },
      seed: { type: 'string', default: '20261202' },
      workers: { type: 'string' },
      only: { type: 'string' },
      write: { type: 'boolean' },
    },
  });
  const seed = Number(values.seed);
  const count = Number(values.count);
  if (values.only !== undefined) {
    const { lines, original } = load();
    const m = mutate(lines, seed, Number(values.only));
    console.log(m.name);
    console.log(judge(original, m));
    return;
  }
  const workers = Math.max(1, Number(values.workers ?? Math.min(4, availableParallelism())));
  const started = performance.now();
  const total = emptyTally();
  const hangs: number[] = [];
  let slowestMs = 0;
  let slowestIndex = -1;
  const queue: Job[] = [];
  for (let from = 0; from < count; from += CHUNK)
    queue.push({ seed, from, to: Math.min(count, from + CHUNK) });
  let done = 0;
  const merge = (t: FuzzTally) => {
    total.total += t.total;
    total.refused += t.refused;
    total.accepted += t.accepted;
    total.acceptedIdentical += t.acceptedIdentical;
    total.crashes += t.crashes;
    total.silentChanges += t.silentChanges;
    total.failures.push(...t.failures);
  };

  const runWorker = () =>
    new Promise<void>((resolve) => {
      const spawn = () => {
        const w = new Worker(fileURLToPath(new URL('./fuzz-worker.mjs', import.meta.url)));
        let job: Job | undefined;
        let current = -1;
        let since = performance.now();
        const watchdog = setInterval(() => {
          if (job && current >= 0 && performance.now() - since > HANG_MS) {
            clearInterval(watchdog);
            hangs.push(current);
            total.total++;
            // Count what the chunk had done before the hang is lost with the worker; rerun the rest.
            queue.unshift({ seed, from: current + 1, to: job.to }, { seed, from: job.from, to: current });
            job = undefined;
            void w.terminate();
            spawn();
          }
        }, 1000);
        const next = () => {
          job = queue.shift();
          if (!job) {
            clearInterval(watchdog);
            void w.terminate();
            resolve();
            return;
          }
          current = -1;
          since = performance.now();
          w.postMessage(job);
        };
        w.on('message', (msg: FromWorker) => {
          if (msg.type === 'start') {
            current = msg.index;
            since = performance.now();
            return;
          }
          merge(msg.tally);
          if (msg.slowestMs > slowestMs) {
            slowestMs = msg.slowestMs;
            slowestIndex = msg.slowestIndex;
          }
          done += msg.tally.total;
          if (process.stderr.isTTY) process.stderr.write(`\r${done} / ${count}`);
          next();
        });
        w.on('online', next);
      };
      spawn();
    });

  await Promise.all(Array.from({ length: workers }, runWorker));
  const seconds = (performance.now() - started) / 1000;
  if (process.stderr.isTTY) process.stderr.write('\n');
  const summary = [
    `seed ${seed}, ${total.total.toLocaleString('en-US')} mutations on ${workers} worker${workers > 1 ? 's' : ''} in ${seconds.toFixed(0)} s`,
    `refused with a line: ${total.refused.toLocaleString('en-US')}`,
    `accepted: ${total.accepted.toLocaleString('en-US')} (${total.acceptedIdentical.toLocaleString('en-US')} with every original record, the rest with exactly the touched records changed)`,
    `crashes: ${total.crashes}, hangs: ${hangs.length}, silent changes: ${total.silentChanges}`,
    `slowest mutation: ${slowestMs.toFixed(0)} ms (index ${slowestIndex})`,
  ];
  console.log(summary.join('\n'));
  for (const f of total.failures.slice(0, 20)) {
    console.log(`\n#${f.index} ${f.mutation}: ${f.verdict.outcome}`);
    if ('detail' in f.verdict) console.log(f.verdict.detail);
  }
  for (const h of hangs) console.log(`\n#${h}: hang (over ${HANG_MS / 1000} s)`);
  if (values.write) writeReliability(summary);
  process.exitCode = total.crashes + total.silentChanges + hangs.length > 0 ? 1 : 0;
}

function writeReliability(summary: string[]): void {
  const heading = '## Importer fuzzing (`npm run fuzz`)';
  let text = '';
  try {
    text = readFileSync(RELIABILITY, 'utf8');
  } catch {
    text = '# Reliability\n\nMeasured figures of the system under damaged input and failure.\n';
  }
  const section = `${heading}\n\nLast run ${new Date().toISOString().slice(0, 10)} (${process.platform}, Node ${process.version}):\n\n${summary.map((s) => `- ${s}`).join('\n')}\n\nThe oracle and the mutations: \`test/fuzz/document-mutations.ts\`; the refusal rules: \`docs/importer.md\`.\n`;
  const at = text.indexOf(heading);
  if (at === -1) text = `${text.trimEnd()}\n\n${section}`;
  else {
    const next = text.indexOf('\n## ', at + heading.length);
    text = `${text.slice(0, at)}${section}${next === -1 ? '' : text.slice(next + 1)}`;
  }
  writeFileSync(RELIABILITY, text);
  console.log(`written to ${RELIABILITY}`);
}
