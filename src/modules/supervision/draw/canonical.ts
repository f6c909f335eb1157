/** Canonical forms and hashes (docs/draws.md): orders, population and inspector hashes, seeds. */
import { createHash, randomBytes } from 'node:crypto';
import {
  type AnyDrawParameters,
  DRAW_FILE_FORMAT,
  DRAW_FILE_FORMAT_V2,
  DRAW_RISK_CLASSES,
  type DrawExclusion,
  type DrawInspector,
  type DrawParameters,
  type DrawParametersV2,
  isV2,
  type PopulationEntity,
} from './types.ts';
import { decodeServerSeed, validateWitness } from './validate.ts';

/** Compares two strings by their UTF-8 bytes (differs from `<` only for characters beyond U+FFFF). */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Canonical order as a permutation: element i is the input index of the i-th entity in uscc order
 * (ascending, by bytes). Null when the input is already strictly ascending (one linear pass), which is
 * how callers that load `ORDER BY uscc` avoid the sort.
 */
export function canonicalPermutation(population: readonly PopulationEntity[]): Int32Array | null {
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
export function compareAscii(a: string, b: string): number {
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

/** SHA-256 (hex) of one text line per item, hashed in chunks (a population can hold millions). */
function hashLines<T>(items: readonly T[], line: (item: T) => string): string {
  const hash = createHash('sha256');
  const chunkSize = 4096;
  for (let start = 0; start < items.length; start += chunkSize) {
    let chunk = '';
    const end = Math.min(start + chunkSize, items.length);
    for (let i = start; i < end; i += 1) chunk += line(items[i]!);
    hash.update(chunk, 'utf8');
  }
  return hash.digest('hex');
}

/**
 * populationHash (version 1): SHA-256 (hex) of the UTF-8 text with one line per entity in canonical
 * order, `uscc TAB name TAB county LF`. Hashes whatever it is given (validation is separate).
 */
export function hashPopulation(population: readonly PopulationEntity[]): string {
  return hashLines(canonicalPopulationOrder(population), (e) => `${e.uscc}\t${e.name}\t${e.county}\n`);
}

/** populationHash (version 2): one line per entity, `uscc TAB name TAB county TAB riskClass LF`. */
export function hashPopulationV2(population: readonly PopulationEntity[]): string {
  return hashLines(
    canonicalPopulationOrder(population),
    (e) => `${e.uscc}\t${e.name}\t${e.county}\t${e.riskClass}\n`,
  );
}

/** The exclusions in canonical order (uscc ascending), with only their published members. */
export function canonicalExclusions(exclusions: readonly DrawExclusion[]): DrawExclusion[] {
  return [...exclusions]
    .sort((a, b) => compareAscii(a.uscc, b.uscc))
    .map(({ uscc, name, county, checks }) => ({ uscc, name, county, checks }));
}

/** exclusionsHash: one line per excluded entity, `uscc TAB name TAB county TAB checks LF` (empty: SHA-256 of ""). */
export function hashExclusions(exclusions: readonly DrawExclusion[]): string {
  return hashLines(
    canonicalExclusions(exclusions),
    (e) => `${e.uscc}\t${e.name}\t${e.county}\t${e.checks}\n`,
  );
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

export interface CommitHashes {
  populationHash: string;
  exclusionsHash?: string;
  inspectorsHash: string;
  serverSeedHash: string;
}

/** The commit text of either version (docs/draws.md): its SHA-256 is the commitHash. */
export function commitTextOf(parameters: AnyDrawParameters, hashes: CommitHashes): string {
  return isV2(parameters) ? commitTextV2(parameters, hashes) : commitText(parameters, hashes);
}

/** A list in the commit text: items joined by ',', or '*' for an empty list (no narrowing). */
const listLine = (items: readonly string[]) => (items.length === 0 ? '*' : items.join(','));

/** The version-2 commit text: one `key=value` line per parameter and hash, each ending in LF. */
export function commitTextV2(p: DrawParametersV2, hashes: CommitHashes): string {
  const s = p.selection;
  const ratios = DRAW_RISK_CLASSES.map((riskClass) => `${riskClass}:${p.ratios[riskClass]}`).join(',');
  return [
    DRAW_FILE_FORMAT_V2,
    `regimeId=${p.regimeId}`,
    `year=${p.year}`,
    `round=${p.round}`,
    `inspectionPeriod=${p.inspectionPeriod.start}/${p.inspectionPeriod.end}`,
    `selection.categories=${listLine(s.categories)}`,
    `selection.statuses=${listLine(s.statuses)}`,
    `selection.counties=${listLine(s.counties)}`,
    `selection.riskClasses=${listLine(s.riskClasses)}`,
    `yearlyCap=${p.yearlyCap}`,
    `strata=${p.strata}`,
    `ratios=${ratios}`,
    `minInspectorsPerTask=${p.minInspectorsPerTask}`,
    `inspectorScope=${p.inspectorScope}`,
    `witnessSource=${p.witnessSource}`,
    `witnessReference=${p.witnessReference}`,
    `witnessFormat=${p.witnessFormat}`,
    `plannedDrawAt=${p.plannedDrawAt}`,
    `committedAt=${p.committedAt}`,
    `populationHash=${hashes.populationHash}`,
    `exclusionsHash=${hashes.exclusionsHash}`,
    `inspectorsHash=${hashes.inspectorsHash}`,
    `serverSeedHash=${hashes.serverSeedHash}`,
    '',
  ].join('\n');
}

/** The version-1 commit text whose SHA-256 is the commitHash (see docs/draws.md). */
export function commitText(parameters: DrawParameters, hashes: CommitHashes): string {
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
