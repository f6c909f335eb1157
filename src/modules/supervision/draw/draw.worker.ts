import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { DrawError } from './errors.ts';
import { drawAndSerialize, type WorkerReply, type WorkerRequest } from './off-thread.ts';
import type { PopulationEntity } from './types.ts';

/**
 * A whole draw off the caller's thread (started by off-thread.ts): receives the population in
 * parts, then the rest of the input; runs runDraw, builds the publishable file and its SHA-256, and
 * sends the tasks back in parts followed by the file, one message per 'next' from the caller.
 */
const port = parentPort!;

/**
 * The draw is background work: this thread lowers its own scheduling priority (on Linux the nice
 * value is per thread, so the caller's event loop keeps its own), so that on a busy machine the
 * server's requests get the CPU first and the draw takes what is left. The result is unaffected.
 */
const BACKGROUND_NICE = 10;
try {
  setPriority(BACKGROUND_NICE);
} catch {
  // not permitted or not supported here: the draw runs at normal priority
}
const population: PopulationEntity[] = [];
/** The caller's key of each entity (same order as population), when the caller gave keys. */
const keys: number[] = [];
const reply = (message: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

/** What is left to send after the draw: the next task parts, then the file (one per 'next'). */
let pending: Array<() => void> = [];

port.on('message', (message: WorkerRequest) => {
  if (message.kind === 'next') {
    pending.shift()?.();
    return;
  }
  if (message.kind === 'add') {
    for (const e of message.entities) population.push(e);
    if (message.keys) for (const k of message.keys) keys.push(k);
    return;
  }
  try {
    const outcome = drawAndSerialize({ ...message.input, population }, message.options);
    const { tasks, ...result } = outcome.result;
    const indexOf = new Map<string, number>();
    for (let i = 0; i < population.length; i += 1) indexOf.set(population[i]!.uscc, i);
    // The parts go one at a time, each after the caller asks for the next: posted all at once, they
    // would all be decoded on the caller's thread in one go.
    pending = [];
    for (let i = 0; i < tasks.length; i += message.taskBatch) {
      const part = tasks.slice(i, i + message.taskBatch);
      pending.push(() =>
        reply({
          kind: 'tasks',
          tasks: part,
          names: part.map((t) => population[indexOf.get(t.uscc)!]!.name),
          keys: keys.length > 0 ? part.map((t) => keys[indexOf.get(t.uscc)!]!) : null,
        }),
      );
    }
    const file = Buffer.from(outcome.fileText, 'utf8');
    const bytes = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer;
    pending.push(() => reply({ kind: 'done', result, file: bytes, fileSha256: outcome.fileSha256 }, [bytes]));
    pending.shift()!();
  } catch (e) {
    if (e instanceof DrawError) {
      reply({ kind: 'draw-error', code: e.code, zh: e.messageZh, en: e.messageEn, uscc: e.uscc });
    } else reply({ kind: 'failed', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
