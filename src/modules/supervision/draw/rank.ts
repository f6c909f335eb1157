/** Entity ranking: HMAC-SHA256(drawSeed, uscc) per entity, on the calling thread and one worker. */
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../../../lib/ts-worker.ts';
import { compareAscii } from './canonical.ts';
import type { PopulationEntity } from './types.ts';

/** Populations at least this large are ranked on two threads: the calling thread and one worker. */
export const PARALLEL_RANKING_MIN = 50_000;
/** Entities per unit of work claimed by a thread. */
export const RANK_CHUNK = 4096;
export const USCC_LENGTH = 18;
export const RANK_BYTES = 32;
/** How long the calling thread waits for a chunk the worker claimed before computing it itself. */
const WORKER_STALL_MS = 10_000;

/** 2^40 and 2^32: place values of the first bytes of a rank, for a 48-bit numeric key. */
const P40 = 1_099_511_627_776;
const P32 = 4_294_967_296;

/** Ranks of the canonical population: 32 raw bytes per entity and a 48-bit prefix key for fast ordering. */
export interface RankTable {
  bytes: Uint8Array;
  key: Float64Array;
}

/**
 * How runDraw computes the entity HMACs: 'auto' (default) adds a worker thread for populations of
 * PARALLEL_RANKING_MIN or more, 'always' / 'never' force the choice, 'worker' leaves every entity
 * HMAC to the worker (to test or diagnose the worker path). The result is the same in every mode.
 */
export interface RunDrawOptions {
  parallel?: 'auto' | 'always' | 'never' | 'worker';
}

/**
 * What the ranking worker (rank.worker.ts) gets: the USCCs packed USCC_LENGTH bytes each, the
 * shared output and chunk states, and the draw seed. Chunk states: 0 free → 1 claimed → 2 done; the
 * worker claims from the back while the calling thread claims from the front.
 */
export interface RankWorkerData {
  codes: SharedArrayBuffer;
  out: SharedArrayBuffer;
  state: SharedArrayBuffer;
  seed: string;
  total: number;
}

/**
 * Writes HMAC-SHA256(key, code) of the entities [start, end) into `bytes`, RANK_BYTES each at
 * index × RANK_BYTES: the one ranking loop, run by the calling thread and by the worker.
 */
export function rankRange(
  key: KeyObject,
  bytes: Uint8Array,
  start: number,
  end: number,
  codeAt: (index: number) => string,
): void {
  for (let i = start; i < end; i += 1) {
    const r = createHmac('sha256', key).update(codeAt(i), 'utf8').digest('binary');
    const offset = i * RANK_BYTES;
    for (let j = 0; j < RANK_BYTES; j += 1) bytes[offset + j] = r.charCodeAt(j);
  }
}

/** The entity range of chunk c. */
export const chunkRange = (c: number, total: number): [number, number] => [
  c * RANK_CHUNK,
  Math.min((c + 1) * RANK_CHUNK, total),
];

/** Ranking in progress: ranks land in `bytes` in input order, chunk by chunk (see RankWorkerData). */
interface Ranking {
  input: readonly PopulationEntity[];
  bytes: Uint8Array;
  state: Int32Array;
  seedKey: KeyObject;
  worker: Worker | null;
}

/** Computes the ranks of input entities [chunk × RANK_CHUNK, …) on the calling thread. */
function rankChunk(ranking: Ranking, chunk: number): void {
  const { input, seedKey, bytes } = ranking;
  const [start, end] = chunkRange(chunk, input.length);
  rankRange(seedKey, bytes, start, end, (i) => input[i]!.uscc);
}

/**
 * The USCCs packed 18 bytes each for the worker, or null when some value is not an 18-character
 * string (the population is then invalid and the draw will fail validation; no worker is needed).
 */
function packCodes(input: readonly PopulationEntity[]): SharedArrayBuffer | null {
  const codes = new SharedArrayBuffer(input.length * USCC_LENGTH);
  const buffer = Buffer.from(codes);
  for (let start = 0; start < input.length; start += RANK_CHUNK) {
    const end = Math.min(start + RANK_CHUNK, input.length);
    let text = '';
    for (let i = start; i < end; i += 1) text += input[i]!.uscc;
    if (text.length !== (end - start) * USCC_LENGTH) return null;
    buffer.write(text, start * USCC_LENGTH, 'latin1');
  }
  return codes;
}

/** Starts the worker on the shared buffers; it begins with the last chunk. */
function startRankWorker(ranking: Ranking, drawSeed: Buffer): Worker | null {
  const codes = packCodes(ranking.input);
  if (codes === null) return null;
  const data: RankWorkerData = {
    codes,
    out: ranking.bytes.buffer as SharedArrayBuffer,
    state: ranking.state.buffer as SharedArrayBuffer,
    seed: drawSeed.toString('hex'),
    total: ranking.input.length,
  };
  const worker = startTsWorker(new URL('./rank.worker.ts', import.meta.url), data);
  worker.unref();
  worker.on('error', () => {}); // a failed worker only means the calling thread does all chunks
  return worker;
}

/**
 * Starts ranking the input (in input order) so that a worker, when used, runs while the calling
 * thread validates and hashes the population.
 */
export function startRanking(
  input: readonly PopulationEntity[],
  drawSeed: Buffer,
  parallel: boolean,
): Ranking {
  const ranking: Ranking = {
    input,
    bytes: new Uint8Array(new SharedArrayBuffer(input.length * RANK_BYTES)),
    state: new Int32Array(new SharedArrayBuffer(Math.ceil(input.length / RANK_CHUNK) * 4)),
    seedKey: createSecretKey(drawSeed),
    worker: null,
  };
  if (parallel) ranking.worker = startRankWorker(ranking, drawSeed);
  return ranking;
}

/**
 * Finishes the ranking on the calling thread: claims the chunks still free (unless `workerOnly`),
 * then waits for the others. Returns the ranks in canonical order.
 */
export function finishRanking(ranking: Ranking, order: Int32Array | null, workerOnly: boolean): RankTable {
  const { state } = ranking;
  try {
    for (let c = 0; c < state.length && !workerOnly; c += 1) {
      if (Atomics.compareExchange(state, c, 0, 1) !== 0) continue;
      rankChunk(ranking, c);
      Atomics.store(state, c, 2);
    }
    for (let c = 0; c < state.length; c += 1) awaitChunk(ranking, c);
  } finally {
    stopRanking(ranking);
  }
  const bytes = order === null ? ranking.bytes : permuteRanks(ranking.bytes, order);
  return { bytes, key: prefixKeys(bytes, order?.length ?? ranking.input.length) };
}

/**
 * Waits until chunk c is done. A chunk that stays unclaimed or unfinished for WORKER_STALL_MS is
 * computed here (same bytes), so a failed worker can slow a draw down but never change or stop it.
 */
function awaitChunk(ranking: Ranking, c: number): void {
  const { state } = ranking;
  for (let value = Atomics.load(state, c); value < 2; value = Atomics.load(state, c)) {
    if (ranking.worker === null || Atomics.wait(state, c, value, WORKER_STALL_MS) === 'timed-out') {
      stopRanking(ranking); // a stalled worker is not waited for again
      rankChunk(ranking, c);
      Atomics.store(state, c, 2);
    }
  }
}

/** Ends the worker, if any; safe to call more than once. */
export function stopRanking(ranking: Ranking): void {
  if (ranking.worker) void ranking.worker.terminate();
  ranking.worker = null;
}

/** Rank bytes reordered from input order to canonical order (copied as eight 32-bit words each). */
function permuteRanks(bytes: Uint8Array, order: Int32Array): Uint8Array {
  const from = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const to = new Uint32Array(order.length * (RANK_BYTES / 4));
  for (let i = 0; i < order.length; i += 1) {
    const src = order[i]! * 8;
    const dst = i * 8;
    for (let w = 0; w < 8; w += 1) to[dst + w] = from[src + w]!;
  }
  return new Uint8Array(to.buffer);
}

/** The first 6 bytes of each rank as a number: orders like the full rank except on equal prefixes. */
function prefixKeys(bytes: Uint8Array, n: number): Float64Array {
  const key = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    const o = i * RANK_BYTES;
    key[i] =
      bytes[o]! * P40 +
      bytes[o + 1]! * P32 +
      bytes[o + 2]! * 16_777_216 +
      bytes[o + 3]! * 65_536 +
      bytes[o + 4]! * 256 +
      bytes[o + 5]!;
  }
  return key;
}

/** Compares the full 32-byte ranks of entities a and b. */
function compareRankBytes(bytes: Uint8Array, a: number, b: number): number {
  const oa = a * RANK_BYTES;
  const ob = b * RANK_BYTES;
  for (let j = 0; j < RANK_BYTES; j += 1) {
    const d = bytes[oa + j]! - bytes[ob + j]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** Lower-case hex of an entity's rank. */
export function rankHex(ranks: RankTable, index: number): string {
  return Buffer.from(ranks.bytes.buffer, index * RANK_BYTES, RANK_BYTES).toString('hex');
}

/** Orders entity indices by rank (prefix key, then full bytes), ties by uscc. */
export function byRank(
  population: readonly PopulationEntity[],
  ranks: RankTable,
): (a: number, b: number) => number {
  return (a, b) =>
    ranks.key[a]! - ranks.key[b]! ||
    compareRankBytes(ranks.bytes, a, b) ||
    compareAscii(population[a]!.uscc, population[b]!.uscc);
}
