/**
 * Verifiable random draws (双随机): which entities are inspected and by whom.
 *
 * The algorithm is specified byte for byte in docs/draws.md so that anyone can re-implement it and
 * check a published draw file; this module is the reference implementation. In short:
 *   commit  — publish hashes of the parameters, the population, the inspectors and a secret server seed;
 *   draw    — a witness value is entered in public; drawSeed = SHA-256(serverSeed ‖ witness);
 *             entities are ranked by HMAC-SHA256(drawSeed, uscc), the sample is allocated to counties
 *             by largest remainder and the lowest ranks are taken in each county;
 *   assign  — each task gets the least-loaded unconflicted inspectors, ties broken by
 *             HMAC-SHA256(drawSeed, uscc + ':' + certificate);
 *   verify  — recompute everything from a self-contained file and list every difference.
 *
 * Pure code: no database, no HTTP, no clock.
 */
import { createHash, createHmac, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { isValidCanonicalUscc, validateUscc } from '../../lib/uscc.ts';

/** Identifier of the draw-file format; part of every file. */
export const DRAW_FILE_FORMAT = 'zhize-draw/v1';

/** Largest population a draw accepts: keeps n × N_h below 2^53 so allocation is exact integer maths. */
export const MAX_POPULATION = 50_000_000;

// ───────────────────────────── types ─────────────────────────────

/** What is drawn, fixed at commit time. */
export interface DrawParameters {
  /** Supervision regime the plan belongs to (free text, no control characters). */
  regimeId: string;
  /** Plan year, 2000–2100. */
  year: number;
  /** Round within the year, 1–99. */
  round: number;
  /** Share of the population to draw in basis points: 1000 = 10 %. Integer 1–10000. */
  ratioBasisPoints: number;
  /** Inspectors assigned to every task (the regimes require at least two). Integer 1–20. */
  minInspectorsPerTask: number;
  /** Stratification; only by county for now. */
  strata: 'county';
}

/** One regulated entity of the register (检查对象名录库). Extra properties are ignored by the draw. */
export interface PopulationEntity {
  uscc: string;
  name: string;
  county: string;
}

/** One inspector of the register (执法检查人员名录库). */
export interface DrawInspector {
  /** Enforcement certificate number (执法证号): unique key. */
  certificate: string;
  name: string;
  county: string;
  /** USCCs of entities this inspector must not inspect (declared conflicts of interest). */
  conflicts: readonly string[];
}

/** Sample share of one county. */
export interface StratumAllocation {
  county: string;
  /** Entities of this county in the population. */
  population: number;
  /** Entities drawn from this county. */
  quota: number;
}

/** Everything published before the draw. */
export interface DrawCommitment {
  parameters: DrawParameters;
  populationSize: number;
  populationHash: string;
  inspectorsHash: string;
  serverSeedHash: string;
  /** SHA-256 of the commit text (docs/draws.md), binding all of the above. */
  commitHash: string;
  sampleSize: number;
  allocation: StratumAllocation[];
}

/** One drawn inspection task. */
export interface DrawTask {
  uscc: string;
  county: string;
  /** HMAC-SHA256(drawSeed, uscc), lower-case hex. */
  rank: string;
  /** Certificates of the assigned inspectors, in canonical (UTF-8 byte) order. */
  inspectors: string[];
}

/** Outcome of a draw. Tasks are in ascending rank order. */
export interface DrawResult {
  commitment: DrawCommitment;
  witness: string;
  drawSeed: string;
  sampleSize: number;
  allocation: StratumAllocation[];
  tasks: DrawTask[];
}

export interface CommitPlanInput {
  parameters: DrawParameters;
  population: readonly PopulationEntity[];
  inspectors: readonly DrawInspector[];
  /** 32 secret random bytes as 64 lower-case hex characters (see generateServerSeed). */
  serverSeed: string;
}

export interface RunDrawInput extends CommitPlanInput {
  /** Public value fixed at draw time (e.g. a lottery result read out in front of witnesses). */
  witness: string;
  /** When given, the draw refuses to run unless the recomputed commitHash equals this one. */
  expectedCommitHash?: string;
}

/** A self-contained, publishable record of a draw that verifyDrawFile can check. */
export interface DrawFile {
  format: typeof DRAW_FILE_FORMAT;
  parameters: DrawParameters;
  commitment: { populationHash: string; inspectorsHash: string; serverSeedHash: string; commitHash: string };
  serverSeed: string;
  witness: string;
  result: { drawSeed: string; sampleSize: number; allocation: StratumAllocation[]; tasks: DrawTask[] };
  population: PopulationEntity[];
  inspectors: DrawInspector[];
}

/** Stable codes of DrawError. */
export type DrawErrorCode =
  | 'invalid-parameters'
  | 'invalid-population'
  | 'invalid-inspectors'
  | 'invalid-seed'
  | 'invalid-witness'
  | 'commitment-mismatch'
  | 'insufficient-inspectors';

/** A draw that cannot be committed or run; the message says what to fix, in Chinese and English. */
export class DrawError extends Error {
  readonly code: DrawErrorCode;
  readonly messageZh: string;
  readonly messageEn: string;
  /** The entity concerned, when there is one. */
  readonly uscc: string | null;

  constructor(code: DrawErrorCode, messageZh: string, messageEn: string, uscc: string | null = null) {
    super(`${messageZh} / ${messageEn}`);
    this.name = 'DrawError';
    this.code = code;
    this.messageZh = messageZh;
    this.messageEn = messageEn;
    this.uscc = uscc;
  }
}

// ───────────────────────────── validation ─────────────────────────────

/** C0 controls, DEL and lone surrogates: they would make the canonical text ambiguous. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the purpose
const FORBIDDEN_TEXT = /[\u0000-\u001f\u007f]|\p{Cs}/u;
/** Cheap pre-check: no control character and no surrogate at all (the common case). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the purpose
const CONTROL_OR_SURROGATE = /[\u0000-\u001f\u007f\ud800-\udfff]/;

function isCleanText(value: unknown, maxLength: number): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) return false;
  return !CONTROL_OR_SURROGATE.test(value) || !FORBIDDEN_TEXT.test(value);
}

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Throws DrawError('invalid-parameters') unless every parameter is in range. */
export function validateParameters(parameters: DrawParameters): void {
  const p = parameters;
  const problems: string[] = [];
  if (!isCleanText(p.regimeId, 200)) problems.push('regimeId');
  if (!isIntegerIn(p.year, 2000, 2100)) problems.push('year');
  if (!isIntegerIn(p.round, 1, 99)) problems.push('round');
  if (!isIntegerIn(p.ratioBasisPoints, 1, 10_000)) problems.push('ratioBasisPoints');
  if (!isIntegerIn(p.minInspectorsPerTask, 1, 20)) problems.push('minInspectorsPerTask');
  if (p.strata !== 'county') problems.push('strata');
  if (problems.length > 0) {
    throw new DrawError(
      'invalid-parameters',
      `抽查参数无效：${problems.join('、')}（比例以万分之一计，1–10000；每项任务检查人员1–20名；分层只支持按县）`,
      `invalid draw parameters: ${problems.join(', ')}`,
    );
  }
}

/** Reason an entity is unusable, or null when it is fine. */
function entityProblem(entity: PopulationEntity): { zh: string; en: string } | null {
  if (!isValidCanonicalUscc(entity.uscc)) {
    const check = validateUscc(String(entity.uscc));
    const zh = check.ok ? `应写作规范形式${check.code}` : check.reason;
    return { zh: `统一社会信用代码“${entity.uscc}”无效：${zh}`, en: `invalid uscc '${entity.uscc}'` };
  }
  if (!isCleanText(entity.name, 500))
    return { zh: `${entity.uscc} 的名称为空或含控制字符`, en: `bad name of ${entity.uscc}` };
  if (!isCleanText(entity.county, 100))
    return { zh: `${entity.uscc} 的县（市、区）为空或含控制字符`, en: `bad county of ${entity.uscc}` };
  return null;
}

/** The population in canonical order, with each entity's stratum (county) as a small integer. */
interface PreparedPopulation {
  entities: readonly PopulationEntity[];
  /** Input index of each canonical entity; null when the input was already in canonical order. */
  order: Int32Array | null;
  /** Stratum index of each entity, parallel to `entities`. */
  stratumOf: Int32Array;
  /** County name of each stratum index, in order of first appearance. */
  counties: string[];
  /** Population of each stratum index. */
  counts: number[];
}

/**
 * Validates the population (size, codes, text, duplicates) in one pass over the canonical order and
 * groups it by county. Throws DrawError('invalid-population').
 */
function preparePopulation(population: readonly PopulationEntity[]): PreparedPopulation {
  const order = canonicalPermutation(population);
  const entities = order === null ? population : Array.from(order, (i) => population[i]!);
  if (entities.length === 0 || entities.length > MAX_POPULATION) {
    throw new DrawError(
      'invalid-population',
      `检查对象名录应有1至${MAX_POPULATION}条，实际为${entities.length}条`,
      `population size must be 1–${MAX_POPULATION}, got ${entities.length}`,
    );
  }
  const stratumOf = new Int32Array(entities.length);
  const ids = new Map<string, number>();
  const counties: string[] = [];
  const counts: number[] = [];
  for (let i = 0; i < entities.length; i += 1) {
    const entity = entities[i]!;
    assertUsableEntity(entity, i > 0 ? entities[i - 1]! : null);
    let id = ids.get(entity.county);
    if (id === undefined) {
      id = counties.length;
      ids.set(entity.county, id);
      counties.push(entity.county);
      counts.push(0);
    }
    stratumOf[i] = id;
    counts[id]! += 1;
  }
  return { entities, order, stratumOf, counties, counts };
}

/** Throws DrawError('invalid-population') for an invalid entity or one repeating its predecessor. */
function assertUsableEntity(entity: PopulationEntity, previous: PopulationEntity | null): void {
  const problem = entityProblem(entity);
  if (problem) throw new DrawError('invalid-population', problem.zh, problem.en, String(entity.uscc));
  if (previous !== null && entity.uscc === previous.uscc) {
    throw new DrawError(
      'invalid-population',
      `统一社会信用代码 ${entity.uscc} 重复出现`,
      `duplicate uscc ${entity.uscc}`,
      entity.uscc,
    );
  }
}

/** Throws DrawError('invalid-inspectors') for invalid or duplicated inspectors and conflicts. */
function validateInspectors(sorted: readonly DrawInspector[]): void {
  for (let i = 0; i < sorted.length; i += 1) {
    const inspector = sorted[i]!;
    const who = String(inspector.certificate);
    if (
      !isCleanText(inspector.certificate, 100) ||
      !isCleanText(inspector.name, 100) ||
      !isCleanText(inspector.county, 100)
    ) {
      throw new DrawError(
        'invalid-inspectors',
        `执法人员 ${who} 的证号、姓名或县（市、区）为空或含控制字符`,
        `bad inspector ${who}`,
      );
    }
    if (i > 0 && inspector.certificate === sorted[i - 1]!.certificate) {
      throw new DrawError('invalid-inspectors', `执法证号 ${who} 重复出现`, `duplicate certificate ${who}`);
    }
    for (const uscc of inspector.conflicts) {
      if (!isValidCanonicalUscc(uscc)) {
        throw new DrawError(
          'invalid-inspectors',
          `执法人员 ${who} 申报回避的统一社会信用代码“${uscc}”无效`,
          `inspector ${who} declares a conflict with invalid uscc '${uscc}'`,
        );
      }
    }
  }
}

/** Decodes a 64-hex-character server seed; throws DrawError('invalid-seed') otherwise. */
function decodeServerSeed(serverSeed: string): Buffer {
  if (typeof serverSeed !== 'string' || !/^[0-9a-f]{64}$/.test(serverSeed)) {
    throw new DrawError(
      'invalid-seed',
      '服务器种子应为64位小写十六进制字符（32字节）',
      'serverSeed must be 64 lower-case hex characters',
    );
  }
  return Buffer.from(serverSeed, 'hex');
}

function validateWitness(witness: string): void {
  if (!isCleanText(witness, 500)) {
    throw new DrawError(
      'invalid-witness',
      '见证值为空、过长（超过500字符）或含控制字符',
      'witness must be 1–500 characters without control characters',
    );
  }
}

// ───────────────────────────── canonical forms and hashes ─────────────────────────────

/** Compares two strings by their UTF-8 bytes (differs from `<` only for characters beyond U+FFFF). */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Canonical order as a permutation: element i is the input index of the i-th entity in uscc order
 * (ascending, by bytes). Null when the input is already strictly ascending (one linear pass), which is
 * how callers that load `ORDER BY uscc` avoid the sort.
 */
function canonicalPermutation(population: readonly PopulationEntity[]): Int32Array | null {
  let sorted = true;
  for (let i = 1; i < population.length && sorted; i += 1) {
    if (!(compareAscii(population[i - 1]!.uscc, population[i]!.uscc) < 0)) sorted = false;
  }
  if (sorted) return null;
  const codes = population.map((e) => e.uscc);
  const order = Array.from({ length: population.length }, (_, i) => i);
  order.sort((a, b) => compareAscii(codes[a]!, codes[b]!) || a - b);
  return Int32Array.from(order);
}

/** The population in canonical order (uscc ascending, by bytes); the input itself when already so. */
export function canonicalPopulationOrder<T extends PopulationEntity>(population: readonly T[]): readonly T[] {
  const order = canonicalPermutation(population);
  return order === null ? population : Array.from(order, (i) => population[i]!);
}

/** Code-unit comparison; equals byte order for valid USCCs (ASCII). Strings that are not ASCII still get a total order. */
function compareAscii(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Inspectors in canonical order (certificate ascending by UTF-8 bytes), conflicts sorted and unique. */
export function canonicalInspectors(inspectors: readonly DrawInspector[]): DrawInspector[] {
  return [...inspectors]
    .sort((a, b) => compareUtf8(a.certificate, b.certificate))
    .map((i) => ({
      certificate: i.certificate,
      name: i.name,
      county: i.county,
      conflicts: [...new Set(i.conflicts)].sort(compareAscii),
    }));
}

/**
 * populationHash: SHA-256 (hex) of the UTF-8 text with one line per entity in canonical order,
 * `uscc TAB name TAB county LF`. Hashes whatever it is given (validation is separate).
 */
export function hashPopulation(population: readonly PopulationEntity[]): string {
  const sorted = canonicalPopulationOrder(population);
  const hash = createHash('sha256');
  const chunkSize = 4096;
  for (let start = 0; start < sorted.length; start += chunkSize) {
    let chunk = '';
    const end = Math.min(start + chunkSize, sorted.length);
    for (let i = start; i < end; i += 1) {
      const e = sorted[i]!;
      chunk += `${e.uscc}\t${e.name}\t${e.county}\n`;
    }
    hash.update(chunk, 'utf8');
  }
  return hash.digest('hex');
}

/**
 * inspectorsHash: SHA-256 (hex) of one line per inspector in canonical order,
 * `certificate TAB name TAB county TAB conflicts LF`, conflicts = sorted unique USCCs joined by ','.
 */
export function hashInspectors(inspectors: readonly DrawInspector[]): string {
  const lines = canonicalInspectors(inspectors).map(
    (i) => `${i.certificate}\t${i.name}\t${i.county}\t${i.conflicts.join(',')}\n`,
  );
  return sha256Hex(lines.join(''));
}

/** serverSeedHash: SHA-256 (hex) of the 32 raw seed bytes. */
export function hashServerSeed(serverSeed: string): string {
  return sha256Hex(decodeServerSeed(serverSeed));
}

/** The commit text whose SHA-256 is the commitHash (see docs/draws.md). */
export function commitText(
  parameters: DrawParameters,
  hashes: { populationHash: string; inspectorsHash: string; serverSeedHash: string },
): string {
  const p = parameters;
  return [
    DRAW_FILE_FORMAT,
    `regimeId=${p.regimeId}`,
    `year=${p.year}`,
    `round=${p.round}`,
    `ratioBasisPoints=${p.ratioBasisPoints}`,
    `minInspectorsPerTask=${p.minInspectorsPerTask}`,
    `strata=${p.strata}`,
    `populationHash=${hashes.populationHash}`,
    `inspectorsHash=${hashes.inspectorsHash}`,
    `serverSeedHash=${hashes.serverSeedHash}`,
    '',
  ].join('\n');
}

/** drawSeed = SHA-256(32 raw server-seed bytes ‖ UTF-8 bytes of the witness), 32 bytes. */
export function computeDrawSeed(serverSeed: string, witness: string): Buffer {
  validateWitness(witness);
  return createHash('sha256').update(decodeServerSeed(serverSeed)).update(witness, 'utf8').digest();
}

/** Fresh secret server seed: 32 bytes from the operating system's CSPRNG, as hex. */
export function generateServerSeed(): string {
  return randomBytes(32).toString('hex');
}

// ───────────────────────────── sample size and allocation ─────────────────────────────

/** n = ceil(N × ratioBasisPoints / 10000), in exact integer arithmetic. */
export function sampleSize(populationSize: number, ratioBasisPoints: number): number {
  return Math.floor((populationSize * ratioBasisPoints + 9999) / 10_000);
}

/**
 * Largest-remainder (Hamilton) allocation of n over strata. Each county first gets
 * floor(n × N_h / N); the leftover units go one each to the counties with the largest remainder
 * (n × N_h mod N), ties broken by larger N_h, then by county name in UTF-8 byte order.
 * The result is listed in county-name byte order.
 */
export function allocateStrata(counts: ReadonlyMap<string, number>, n: number): StratumAllocation[] {
  let total = 0;
  for (const count of counts.values()) total += count;
  const rows = [...counts].map(([county, population]) => ({
    county,
    population,
    quota: Math.floor((n * population) / total),
    remainder: (n * population) % total,
  }));
  let leftover = n - rows.reduce((sum, r) => sum + r.quota, 0);
  const byRemainder = [...rows].sort(
    (a, b) => b.remainder - a.remainder || b.population - a.population || compareUtf8(a.county, b.county),
  );
  for (const row of byRemainder) {
    if (leftover === 0) break;
    row.quota += 1;
    leftover -= 1;
  }
  return rows
    .sort((a, b) => compareUtf8(a.county, b.county))
    .map(({ county, population, quota }) => ({ county, population, quota }));
}

// ───────────────────────────── commit ─────────────────────────────

/** Validated, canonical inputs of a draw together with their commitment. */
interface PreparedDraw {
  commitment: DrawCommitment;
  population: PreparedPopulation;
  inspectors: DrawInspector[];
}

/** Validates every input and computes the commitment. Throws DrawError. */
function prepareDraw(input: CommitPlanInput): PreparedDraw {
  validateParameters(input.parameters);
  const population = preparePopulation(input.population);
  const inspectors = canonicalInspectors(input.inspectors);
  validateInspectors(inspectors);
  const hashes = {
    populationHash: hashPopulation(population.entities),
    inspectorsHash: hashInspectors(inspectors),
    serverSeedHash: hashServerSeed(input.serverSeed),
  };
  const size = population.entities.length;
  const n = sampleSize(size, input.parameters.ratioBasisPoints);
  const counts = new Map(population.counties.map((county, id) => [county, population.counts[id]!]));
  const commitment: DrawCommitment = {
    parameters: { ...input.parameters },
    populationSize: size,
    ...hashes,
    commitHash: sha256Hex(commitText(input.parameters, hashes)),
    sampleSize: n,
    allocation: allocateStrata(counts, n),
  };
  return { commitment, population, inspectors };
}

/** Validates everything and computes what is published before the draw. Throws DrawError. */
export function commitPlan(input: CommitPlanInput): DrawCommitment {
  return prepareDraw(input).commitment;
}

// ───────────────────────────── entity ranking ─────────────────────────────

/** Populations at least this large are ranked on two threads: the calling thread and one worker. */
export const PARALLEL_RANKING_MIN = 50_000;
/** Entities per unit of work claimed by a thread. */
const RANK_CHUNK = 4096;
const USCC_LENGTH = 18;
const RANK_BYTES = 32;
/** How long the calling thread waits for a chunk the worker claimed before computing it itself. */
const WORKER_STALL_MS = 10_000;

/** 2^40 and 2^32: place values of the first bytes of a rank, for a 48-bit numeric key. */
const P40 = 1_099_511_627_776;
const P32 = 4_294_967_296;

/** Ranks of the canonical population: 32 raw bytes per entity and a 48-bit prefix key for fast ordering. */
interface RankTable {
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
 * Source of the ranking worker: plain CommonJS using node: built-ins only, so it starts in ~25 ms
 * without the TypeScript loader. It claims chunks from the back (state 0 free → 1 claimed → 2 done)
 * while the calling thread claims from the front; both write HMAC-SHA256(drawSeed, uscc) into `out`.
 */
const RANK_WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHmac, createSecretKey } = require('node:crypto');
parentPort.once('message', ({ codes, out, state, seed, total, chunk }) => {
  const key = createSecretKey(Buffer.from(seed, 'hex'));
  const codeBuf = Buffer.from(codes);
  const bytes = new Uint8Array(out);
  const chunks = new Int32Array(state);
  for (let c = chunks.length - 1; c >= 0; c -= 1) {
    if (Atomics.compareExchange(chunks, c, 0, 1) !== 0) continue;
    Atomics.notify(chunks, c);
    const end = Math.min((c + 1) * chunk, total);
    for (let i = c * chunk; i < end; i += 1) {
      const r = createHmac('sha256', key).update(codeBuf.toString('latin1', i * 18, i * 18 + 18), 'utf8').digest('binary');
      for (let j = 0; j < 32; j += 1) bytes[i * 32 + j] = r.charCodeAt(j);
    }
    Atomics.store(chunks, c, 2);
    Atomics.notify(chunks, c);
  }
});
`;

/** Ranking in progress: ranks land in `bytes` in input order, chunk by chunk (see RANK_WORKER_SOURCE). */
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
  const end = Math.min((chunk + 1) * RANK_CHUNK, input.length);
  for (let i = chunk * RANK_CHUNK; i < end; i += 1) {
    const r = createHmac('sha256', seedKey).update(input[i]!.uscc, 'utf8').digest('binary');
    const offset = i * RANK_BYTES;
    for (let j = 0; j < RANK_BYTES; j += 1) bytes[offset + j] = r.charCodeAt(j);
  }
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
  const worker = new Worker(RANK_WORKER_SOURCE, { eval: true, execArgv: [] });
  worker.unref();
  worker.on('error', () => {}); // a failed worker only means the calling thread does all chunks
  worker.postMessage({
    codes,
    out: ranking.bytes.buffer,
    state: ranking.state.buffer,
    seed: drawSeed.toString('hex'),
    total: ranking.input.length,
    chunk: RANK_CHUNK,
  });
  return worker;
}

/**
 * Starts ranking the input (in input order) so that a worker, when used, runs while the calling
 * thread validates and hashes the population.
 */
function startRanking(input: readonly PopulationEntity[], drawSeed: Buffer, parallel: boolean): Ranking {
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
function finishRanking(ranking: Ranking, order: Int32Array | null, workerOnly: boolean): RankTable {
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
function stopRanking(ranking: Ranking): void {
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
function rankHex(ranks: RankTable, index: number): string {
  return Buffer.from(ranks.bytes.buffer, index * RANK_BYTES, RANK_BYTES).toString('hex');
}

/** Orders entity indices by rank (prefix key, then full bytes), ties by uscc. */
function byRank(population: readonly PopulationEntity[], ranks: RankTable): (a: number, b: number) => number {
  return (a, b) =>
    ranks.key[a]! - ranks.key[b]! ||
    compareRankBytes(ranks.bytes, a, b) ||
    compareAscii(population[a]!.uscc, population[b]!.uscc);
}

// ───────────────────────────── entity selection ─────────────────────────────

/**
 * Per stratum, the 48-bit key of its quota-th lowest rank (−1 when the quota is 0), found by a native
 * numeric sort of that stratum's keys.
 */
function stratumThresholds(
  population: PreparedPopulation,
  quotas: readonly number[],
  ranks: RankTable,
): Float64Array {
  const keys = population.counts.map((count) => new Float64Array(count));
  const fill = new Int32Array(keys.length);
  for (let i = 0; i < population.stratumOf.length; i += 1) {
    const s = population.stratumOf[i]!;
    keys[s]![fill[s]!++] = ranks.key[i]!;
  }
  return Float64Array.from(keys, (stratumKeys, s) => {
    const quota = quotas[s]!;
    return quota === 0 ? -1 : stratumKeys.sort()[quota - 1]!;
  });
}

/**
 * Indices of the entities with the lowest ranks in each stratum, `quotas[s]` of them. Entities whose
 * key equals the threshold are ordered by the full comparison (full rank, then uscc).
 */
function selectEntities(
  population: PreparedPopulation,
  quotas: readonly number[],
  ranks: RankTable,
  compare: (a: number, b: number) => number,
): number[] {
  const thresholds = stratumThresholds(population, quotas, ranks);
  const selected: number[] = [];
  const taken = new Int32Array(quotas.length);
  const ties: number[][] = quotas.map(() => []);
  for (let i = 0; i < population.stratumOf.length; i += 1) {
    const s = population.stratumOf[i]!;
    const key = ranks.key[i]!;
    if (key < thresholds[s]!) {
      selected.push(i);
      taken[s]! += 1;
    } else if (key === thresholds[s]) ties[s]!.push(i);
  }
  ties.forEach((tied, s) => {
    selected.push(...tied.sort(compare).slice(0, quotas[s]! - taken[s]!));
  });
  return selected;
}

// ───────────────────────────── inspector assignment ─────────────────────────────

/** For each USCC, the canonical indices of inspectors who declared a conflict with it. */
function conflictIndex(inspectors: readonly DrawInspector[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  inspectors.forEach((inspector, i) => {
    for (const uscc of inspector.conflicts) {
      const list = index.get(uscc);
      if (list) list.push(i);
      else index.set(uscc, [i]);
    }
  });
  return index;
}

/** Mutable state of the assignment: loads per inspector and a per-task exclusion stamp. */
interface AssignmentState {
  inspectors: readonly DrawInspector[];
  conflicts: Map<string, number[]>;
  loads: Int32Array;
  excludedAt: Int32Array;
  seedKey: KeyObject;
}

/** Inspectors not yet excluded for this task, at the lowest load among them. */
function leastLoaded(state: AssignmentState, stamp: number): number[] {
  let minLoad = Number.POSITIVE_INFINITY;
  let group: number[] = [];
  for (let i = 0; i < state.loads.length; i += 1) {
    if (state.excludedAt[i] === stamp) continue;
    const load = state.loads[i]!;
    if (load < minLoad) {
      minLoad = load;
      group = [i];
    } else if (load === minLoad) group.push(i);
  }
  return group;
}

/**
 * The `need` members of a tied group with the lowest HMAC-SHA256(drawSeed, uscc ':' certificate),
 * ties (identical HMACs) broken by certificate order. `need` is small, so a repeated minimum scan
 * beats sorting.
 */
function breakTie(state: AssignmentState, uscc: string, group: readonly number[], need: number): number[] {
  const prefix = `${uscc}:`;
  const ranks = group.map((i) =>
    createHmac('sha256', state.seedKey)
      .update(prefix + state.inspectors[i]!.certificate, 'utf8')
      .digest('binary'),
  );
  const picked: number[] = [];
  for (let k = 0; k < need; k += 1) {
    let best = -1;
    for (let g = 0; g < group.length; g += 1) {
      if (ranks[g] === '' || (best >= 0 && !(ranks[g]! < ranks[best]!))) continue;
      best = g;
    }
    picked.push(group[best]!);
    ranks[best] = '';
  }
  return picked;
}

/** Assigns `need` inspectors to one entity and updates the loads. Throws when too few are free of conflict. */
function assignTask(state: AssignmentState, entity: PopulationEntity, stamp: number, need: number): string[] {
  for (const i of state.conflicts.get(entity.uscc) ?? []) state.excludedAt[i] = stamp;
  const chosen: number[] = [];
  while (chosen.length < need) {
    const group = leastLoaded(state, stamp);
    if (group.length === 0) throw insufficientInspectors(entity, need, chosen.length);
    const picked =
      group.length <= need - chosen.length
        ? group
        : breakTie(state, entity.uscc, group, need - chosen.length);
    for (const i of picked) {
      state.excludedAt[i] = stamp;
      chosen.push(i);
    }
  }
  for (const i of chosen) state.loads[i]! += 1;
  return chosen.sort((a, b) => a - b).map((i) => state.inspectors[i]!.certificate);
}

function insufficientInspectors(entity: PopulationEntity, need: number, available: number): DrawError {
  return new DrawError(
    'insufficient-inspectors',
    `检查对象 ${entity.uscc}（${entity.name}）需要${need}名执法人员，但无利害关系的执法人员只有${available}名，请补充执法人员或核实回避申报`,
    `entity ${entity.uscc} needs ${need} inspectors but only ${available} have no declared conflict`,
    entity.uscc,
  );
}

// ───────────────────────────── draw ─────────────────────────────

/**
 * Runs the draw: validates and commits (recomputing every hash), derives drawSeed from the server
 * seed and the witness, selects entities per county and assigns inspectors. Throws DrawError.
 */
export function runDraw(input: RunDrawInput, options: RunDrawOptions = {}): DrawResult {
  validateParameters(input.parameters);
  const drawSeed = computeDrawSeed(input.serverSeed, input.witness);
  const mode = options.parallel ?? 'auto';
  const parallel = mode !== 'never' && (mode !== 'auto' || input.population.length >= PARALLEL_RANKING_MIN);
  const ranking = startRanking(input.population, drawSeed, parallel);
  try {
    const prepared = prepareDraw(input);
    assertExpectedCommitment(prepared.commitment, input.expectedCommitHash);
    const ranks = finishRanking(ranking, prepared.population.order, mode === 'worker');
    return drawFromRanks(prepared, ranks, input, drawSeed);
  } finally {
    stopRanking(ranking);
  }
}

function assertExpectedCommitment(commitment: DrawCommitment, expected: string | undefined): void {
  if (expected === undefined || expected === commitment.commitHash) return;
  throw new DrawError(
    'commitment-mismatch',
    '抽取输入与已公布的承诺不一致（名录、执法人员、参数或种子在承诺后被改动），不得抽取',
    'the draw input does not match the published commitment',
  );
}

/** Selection per county and inspector assignment, once every rank is known. */
function drawFromRanks(
  prepared: PreparedDraw,
  ranks: RankTable,
  input: RunDrawInput,
  drawSeed: Buffer,
): DrawResult {
  const { commitment, population, inspectors } = prepared;
  const entities = population.entities;
  const compare = byRank(entities, ranks);
  const quotaByCounty = new Map(commitment.allocation.map((a) => [a.county, a.quota]));
  const quotas = population.counties.map((county) => quotaByCounty.get(county) ?? 0);
  const selected = selectEntities(population, quotas, ranks, compare).sort(compare);
  const seedKey = createSecretKey(drawSeed);
  const tasks = assignAll(
    entities,
    selected,
    inspectors,
    seedKey,
    input.parameters.minInspectorsPerTask,
    ranks,
  );
  return {
    commitment,
    witness: input.witness,
    drawSeed: drawSeed.toString('hex'),
    sampleSize: commitment.sampleSize,
    allocation: commitment.allocation,
    tasks,
  };
}

/** Builds the tasks, assigning inspectors in task (rank) order. */
function assignAll(
  population: readonly PopulationEntity[],
  selected: readonly number[],
  inspectors: readonly DrawInspector[],
  seedKey: KeyObject,
  need: number,
  ranks: RankTable,
): DrawTask[] {
  const state: AssignmentState = {
    inspectors,
    conflicts: conflictIndex(inspectors),
    loads: new Int32Array(inspectors.length),
    excludedAt: new Int32Array(inspectors.length),
    seedKey,
  };
  return selected.map((index, t) => {
    const entity = population[index]!;
    return {
      uscc: entity.uscc,
      county: entity.county,
      rank: rankHex(ranks, index),
      inspectors: assignTask(state, entity, t + 1, need),
    };
  });
}

// ───────────────────────────── draw file ─────────────────────────────

/** Assembles the publishable file from the draw input and its result (population in canonical order). */
export function buildDrawFile(input: RunDrawInput, result: DrawResult): DrawFile {
  const c = result.commitment;
  return {
    format: DRAW_FILE_FORMAT,
    parameters: { ...input.parameters },
    commitment: {
      populationHash: c.populationHash,
      inspectorsHash: c.inspectorsHash,
      serverSeedHash: c.serverSeedHash,
      commitHash: c.commitHash,
    },
    serverSeed: input.serverSeed,
    witness: result.witness,
    result: {
      drawSeed: result.drawSeed,
      sampleSize: result.sampleSize,
      allocation: result.allocation,
      tasks: result.tasks,
    },
    population: canonicalPopulationOrder(input.population).map(({ uscc, name, county }) => ({
      uscc,
      name,
      county,
    })),
    inspectors: canonicalInspectors(input.inspectors),
  };
}

/** One JSON value per line, with a fixed key order, for lists that can hold a million items. */
function jsonList<T>(items: readonly T[], pick: (item: T) => unknown, indent: string): string {
  if (items.length === 0) return '[]';
  const inner = items.map((item) => `${indent}  ${JSON.stringify(pick(item))}`).join(',\n');
  return `[\n${inner}\n${indent}]`;
}

/**
 * Canonical text of a draw file: fixed key order, two-space indentation, one list item per line,
 * trailing newline. verifyDrawFile requires a file given as text to be exactly in this form.
 */
export function serializeDrawFile(file: DrawFile): string {
  const p = file.parameters;
  const c = file.commitment;
  const r = file.result;
  const parameters = {
    regimeId: p.regimeId,
    year: p.year,
    round: p.round,
    ratioBasisPoints: p.ratioBasisPoints,
    minInspectorsPerTask: p.minInspectorsPerTask,
    strata: p.strata,
  };
  const commitment = {
    populationHash: c.populationHash,
    inspectorsHash: c.inspectorsHash,
    serverSeedHash: c.serverSeedHash,
    commitHash: c.commitHash,
  };
  return `${[
    '{',
    `  "format": ${JSON.stringify(file.format)},`,
    `  "parameters": ${JSON.stringify(parameters)},`,
    `  "commitment": ${JSON.stringify(commitment)},`,
    `  "serverSeed": ${JSON.stringify(file.serverSeed)},`,
    `  "witness": ${JSON.stringify(file.witness)},`,
    '  "result": {',
    `    "drawSeed": ${JSON.stringify(r.drawSeed)},`,
    `    "sampleSize": ${JSON.stringify(r.sampleSize)},`,
    `    "allocation": ${jsonList(r.allocation, (a) => ({ county: a.county, population: a.population, quota: a.quota }), '    ')},`,
    `    "tasks": ${jsonList(r.tasks, (t) => ({ uscc: t.uscc, county: t.county, rank: t.rank, inspectors: t.inspectors }), '    ')}`,
    '  },',
    `  "population": ${jsonList(file.population, (e) => ({ uscc: e.uscc, name: e.name, county: e.county }), '  ')},`,
    `  "inspectors": ${jsonList(file.inspectors, (i) => ({ certificate: i.certificate, name: i.name, county: i.county, conflicts: i.conflicts }), '  ')}`,
    '}',
  ].join('\n')}\n`;
}

// ───────────────────────────── verification ─────────────────────────────

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const allocationSchema = z.strictObject({ county: z.string(), population: z.number(), quota: z.number() });
const drawFileSchema = z.strictObject({
  format: z.literal(DRAW_FILE_FORMAT),
  parameters: z.strictObject({
    regimeId: z.string(),
    year: z.number(),
    round: z.number(),
    ratioBasisPoints: z.number(),
    minInspectorsPerTask: z.number(),
    strata: z.literal('county'),
  }),
  commitment: z.strictObject({
    populationHash: hex64,
    inspectorsHash: hex64,
    serverSeedHash: hex64,
    commitHash: hex64,
  }),
  serverSeed: z.string(),
  witness: z.string(),
  result: z.strictObject({
    drawSeed: z.string(),
    sampleSize: z.number(),
    allocation: z.array(allocationSchema),
    tasks: z.array(
      z.strictObject({
        uscc: z.string(),
        county: z.string(),
        rank: z.string(),
        inspectors: z.array(z.string()),
      }),
    ),
  }),
  population: z.array(z.strictObject({ uscc: z.string(), name: z.string(), county: z.string() })),
  inspectors: z.array(
    z.strictObject({
      certificate: z.string(),
      name: z.string(),
      county: z.string(),
      conflicts: z.array(z.string()),
    }),
  ),
});

/** Outcome of verifyDrawFile: every problem in Chinese, followed by its English key in parentheses. */
export interface DrawVerification {
  match: boolean;
  problems: string[];
  /** False when the input is not JSON or not shaped like a draw file (nothing could be recomputed). */
  wellFormed: boolean;
}

/** Problems listed before the rest are summarised. */
const MAX_PROBLEMS = 100;

function problem(zh: string, en: string): string {
  return `${zh}（${en}）`;
}

/** Parses file text, collecting a problem when it is not JSON. */
function parseJson(text: string, problems: string[]): unknown {
  try {
    return JSON.parse(text);
  } catch {
    problems.push(problem('文件不是有效的JSON', 'the file is not valid JSON'));
    return undefined;
  }
}

/** Where two texts first differ, as a 1-based line and column. */
function firstDifference(a: string, b: string): { line: number; column: number } {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i += 1;
  const before = a.slice(0, i);
  const line = before.split('\n').length;
  return { line, column: i - before.lastIndexOf('\n') };
}

/**
 * Recomputes a draw from a self-contained file and lists every mismatch. Accepts the file text (then
 * the text must also be in the canonical form of serializeDrawFile, so that no byte can change
 * unnoticed) or an already parsed object.
 */
export function verifyDrawFile(json: unknown): DrawVerification {
  const problems: string[] = [];
  const value = typeof json === 'string' ? parseJson(json, problems) : json;
  if (problems.length > 0) return { match: false, problems, wellFormed: false };
  const parsed = drawFileSchema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues.slice(0, MAX_PROBLEMS)) {
      const path = issue.path.join('.') || '(根)';
      problems.push(problem(`文件结构不符：${path}`, `file structure: ${path}: ${issue.message}`));
    }
    return { match: false, problems, wellFormed: false };
  }
  const file = parsed.data as DrawFile;
  if (typeof json === 'string') checkCanonicalText(json, file, problems);
  checkOrderAndValidity(file, problems);
  checkCommitment(file, problems);
  checkResult(file, problems);
  return summarise(problems);
}

function summarise(problems: string[]): DrawVerification {
  if (problems.length <= MAX_PROBLEMS) return { match: problems.length === 0, problems, wellFormed: true };
  const rest = problems.length - MAX_PROBLEMS;
  return {
    match: false,
    problems: [
      ...problems.slice(0, MAX_PROBLEMS),
      problem(`另有${rest}处不一致未列出`, `${rest} more problems not listed`),
    ],
    wellFormed: true,
  };
}

function checkCanonicalText(text: string, file: DrawFile, problems: string[]): void {
  const canonical = serializeDrawFile(file);
  if (canonical === text) return;
  const at = firstDifference(text, canonical);
  problems.push(
    problem(
      `文件不是规范格式，自第${at.line}行第${at.column}列起与规范文本不同`,
      `the file is not in canonical form from line ${at.line}, column ${at.column}`,
    ),
  );
}

/** Lists must be in canonical order; entities and inspectors must be valid. */
function checkOrderAndValidity(file: DrawFile, problems: string[]): void {
  if (canonicalPopulationOrder(file.population) !== file.population) {
    problems.push(
      problem(
        '检查对象名录未按统一社会信用代码升序排列或有重复',
        'population is not in strictly ascending uscc order',
      ),
    );
  }
  for (const entity of file.population) {
    const p = entityProblem(entity);
    if (p) problems.push(problem(p.zh, p.en));
  }
  const canonical = canonicalInspectors(file.inspectors);
  if (JSON.stringify(canonical) !== JSON.stringify(file.inspectors)) {
    problems.push(
      problem(
        '执法人员名录未按规范顺序排列（证号升序，回避代码升序且不重复）',
        'inspectors are not in canonical order',
      ),
    );
  }
  try {
    validateParameters(file.parameters);
    validateInspectors(canonical);
  } catch (error) {
    if (error instanceof DrawError) problems.push(problem(error.messageZh, error.messageEn));
    else throw error;
  }
}

/** Recomputes the four published hashes. */
function checkCommitment(file: DrawFile, problems: string[]): void {
  const c = file.commitment;
  const populationHash = hashPopulation(file.population);
  const inspectorsHash = hashInspectors(file.inspectors);
  if (populationHash !== c.populationHash) {
    problems.push(
      problem('populationHash 与检查对象名录不一致', 'populationHash does not match the population list'),
    );
  }
  if (inspectorsHash !== c.inspectorsHash) {
    problems.push(
      problem('inspectorsHash 与执法人员名录不一致', 'inspectorsHash does not match the inspector list'),
    );
  }
  let serverSeedHash: string | null = null;
  try {
    serverSeedHash = hashServerSeed(file.serverSeed);
  } catch {
    problems.push(
      problem('服务器种子格式错误，应为64位小写十六进制', 'serverSeed is not 64 lower-case hex characters'),
    );
  }
  if (serverSeedHash !== null && serverSeedHash !== c.serverSeedHash) {
    problems.push(
      problem('serverSeedHash 与服务器种子不一致', 'serverSeedHash does not match the serverSeed'),
    );
  }
  const recomputed = sha256Hex(
    commitText(file.parameters, { populationHash, inspectorsHash, serverSeedHash: c.serverSeedHash }),
  );
  if (recomputed !== c.commitHash) {
    problems.push(
      problem('commitHash 与参数和名录不一致', 'commitHash does not match the parameters and lists'),
    );
  }
}

/** Re-runs the draw and compares seed, allocation and tasks. */
function checkResult(file: DrawFile, problems: string[]): void {
  let result: DrawResult;
  try {
    result = runDraw({
      parameters: file.parameters,
      population: file.population,
      inspectors: file.inspectors,
      serverSeed: file.serverSeed,
      witness: file.witness,
    });
  } catch (error) {
    if (!(error instanceof DrawError)) throw error;
    problems.push(
      problem(`无法重新计算抽取：${error.messageZh}`, `the draw cannot be recomputed: ${error.messageEn}`),
    );
    return;
  }
  if (result.drawSeed !== file.result.drawSeed) {
    problems.push(
      problem('drawSeed 与服务器种子和见证值不一致', 'drawSeed does not match serverSeed and witness'),
    );
  }
  if (result.sampleSize !== file.result.sampleSize) {
    problems.push(
      problem(
        `抽取数量应为${result.sampleSize}，文件中为${file.result.sampleSize}`,
        'sampleSize does not match the recomputation',
      ),
    );
  }
  compareAllocation(result.allocation, file.result.allocation, problems);
  compareTasks(result.tasks, file.result.tasks, problems);
}

function compareAllocation(
  expected: StratumAllocation[],
  actual: StratumAllocation[],
  problems: string[],
): void {
  if (JSON.stringify(expected) === JSON.stringify(actual)) return;
  const byCounty = new Map(actual.map((a) => [a.county, a]));
  const expectedCounties = new Set(expected.map((e) => e.county));
  for (const e of expected) {
    const a = byCounty.get(e.county);
    if (!a || a.quota !== e.quota || a.population !== e.population) {
      const found = a ? `${a.population}家、抽取${a.quota}家` : '缺失';
      problems.push(
        problem(
          `${e.county} 应有${e.population}家、抽取${e.quota}家，文件中为${found}`,
          `allocation of ${e.county} does not match the recomputation`,
        ),
      );
    }
  }
  for (const a of actual) {
    if (!expectedCounties.has(a.county)) {
      problems.push(
        problem(
          `分配表中的 ${a.county} 不在检查对象名录中`,
          `allocation lists ${a.county}, absent from the population`,
        ),
      );
    }
  }
  problems.push(
    problem('分层分配表与重新计算的结果不一致', 'allocation list does not match the recomputation'),
  );
}

function compareTasks(expected: DrawTask[], actual: DrawTask[], problems: string[]): void {
  const expectedByUscc = new Map(expected.map((t, i) => [t.uscc, { task: t, position: i }]));
  const actualUscc = new Set(actual.map((t) => t.uscc));
  actual.forEach((task, position) => {
    const e = expectedByUscc.get(task.uscc);
    if (!e) {
      problems.push(
        problem(
          `企业 ${task.uscc} 在文件中被抽中，但重新计算未抽中`,
          `entity ${task.uscc} selected in the file but not in the recomputation`,
        ),
      );
      return;
    }
    compareTask(e.task, task, problems);
    if (e.position !== position) {
      problems.push(
        problem(
          `企业 ${task.uscc} 的任务顺序应为第${e.position + 1}位`,
          `task order of ${task.uscc} differs`,
        ),
      );
    }
  });
  for (const t of expected) {
    if (!actualUscc.has(t.uscc)) {
      problems.push(
        problem(
          `企业 ${t.uscc} 在重新计算中被抽中，但文件中没有`,
          `entity ${t.uscc} selected in the recomputation but not in the file`,
        ),
      );
    }
  }
}

function compareTask(expected: DrawTask, actual: DrawTask, problems: string[]): void {
  if (expected.rank !== actual.rank) {
    problems.push(
      problem(
        `企业 ${actual.uscc} 的排序值与重新计算不一致`,
        `rank of ${actual.uscc} does not match the recomputation`,
      ),
    );
  }
  if (expected.county !== actual.county) {
    problems.push(
      problem(
        `企业 ${actual.uscc} 的县（市、区）与名录不一致`,
        `county of ${actual.uscc} does not match the population`,
      ),
    );
  }
  if (expected.inspectors.join('\n') !== actual.inspectors.join('\n')) {
    problems.push(
      problem(
        `企业 ${actual.uscc} 的执法人员应为 ${expected.inspectors.join('、')}，文件中为 ${actual.inspectors.join('、')}`,
        `inspectors of ${actual.uscc} do not match the recomputation`,
      ),
    );
  }
}
