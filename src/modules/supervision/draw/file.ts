/** The publishable draw file and its canonical text. */
import { canonicalInspectors, canonicalPopulationOrder } from './canonical.ts';
import { DRAW_FILE_FORMAT, type DrawFile, type DrawResult, type RunDrawInput } from './types.ts';

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

const LF = 0x0a;

/**
 * Splits a draw file given as UTF-8 bytes into text parts of about `partBytes` bytes each, every
 * part ending just after a line break (a line break is never inside a multi-byte character, so
 * each part decodes on its own). Joined in order, the parts are the file's text exactly. Lets a
 * caller decode and store an 85 MB file in short steps.
 */
export function* splitDrawFile(bytes: Buffer, partBytes: number): Generator<string> {
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(start + partBytes, bytes.length);
    if (end < bytes.length) {
      const lf = bytes.indexOf(LF, end - 1);
      end = lf === -1 ? bytes.length : lf + 1;
    }
    yield bytes.toString('utf8', start, end);
    start = end;
  }
}
