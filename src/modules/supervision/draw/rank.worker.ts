import { createSecretKey } from 'node:crypto';
import { workerData } from 'node:worker_threads';
import { chunkRange, type RankWorkerData, rankRange, USCC_LENGTH } from './rank.ts';

/**
 * The ranking worker (started by rank.ts): claims chunks from the back while the calling thread
 * claims them from the front, and ranks each with the same rankRange the calling thread uses.
 */
const { codes, out, state, seed, total } = (workerData as { data: RankWorkerData }).data;
const key = createSecretKey(Buffer.from(seed, 'hex'));
const codeBuf = Buffer.from(codes);
const bytes = new Uint8Array(out);
const chunks = new Int32Array(state);
const codeAt = (i: number) => codeBuf.toString('latin1', i * USCC_LENGTH, (i + 1) * USCC_LENGTH);
for (let c = chunks.length - 1; c >= 0; c -= 1) {
  if (Atomics.compareExchange(chunks, c, 0, 1) !== 0) continue;
  Atomics.notify(chunks, c);
  const [start, end] = chunkRange(c, total);
  rankRange(key, bytes, start, end, codeAt);
  Atomics.store(chunks, c, 2);
  Atomics.notify(chunks, c);
}
