import { parentPort } from 'node:worker_threads';
import { DrawError } from './errors.ts';
import { drawAndSerialize, type WorkerReply, type WorkerRequest } from './off-thread.ts';
import type { PopulationEntity } from './types.ts';

/**
 * A whole draw off the caller's thread (started by off-thread.ts): receives the population in
 * parts, then the rest of the input; runs runDraw, builds the publishable file and its SHA-256, and
 * sends the tasks back in parts followed by the file.
 */
const port = parentPort!;
const population: PopulationEntity[] = [];
const reply = (message: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

port.on('message', (message: WorkerRequest) => {
  if (message.kind === 'add') {
    for (const e of message.entities) population.push(e);
    return;
  }
  try {
    const outcome = drawAndSerialize({ ...message.input, population }, message.options);
    const { tasks, ...result } = outcome.result;
    for (let i = 0; i < tasks.length; i += message.taskBatch) {
      reply({ kind: 'tasks', tasks: tasks.slice(i, i + message.taskBatch) });
    }
    const file = Buffer.from(outcome.fileText, 'utf8');
    const bytes = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer;
    reply({ kind: 'done', result, file: bytes, fileSha256: outcome.fileSha256 }, [bytes]);
  } catch (e) {
    if (e instanceof DrawError) {
      reply({ kind: 'draw-error', code: e.code, zh: e.messageZh, en: e.messageEn, uscc: e.uscc });
    } else reply({ kind: 'failed', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
