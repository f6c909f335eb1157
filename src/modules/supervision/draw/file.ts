/** The publishable draw file and its canonical text (either version). */
import { canonicalExclusions, canonicalInspectors, canonicalPopulationOrder } from './canonical.ts';
import { DrawError } from './errors.ts';
import {
  DRAW_FILE_FORMAT,
  DRAW_FILE_FORMAT_V2,
  DRAW_RISK_CLASSES,
  type DrawFile,
  type DrawFileV1,
  type DrawFileV2,
  type DrawResult,
  isV2,
  type RunDrawInput,
} from './types.ts';

/** Assembles the publishable file from the draw input and its result (lists in canonical order). */
export function buildDrawFile(input: RunDrawInput, result: DrawResult): DrawFile {
  const c = result.commitment;
  const r = {
    drawSeed: result.drawSeed,
    sampleSize: result.sampleSize,
    allocation: result.allocation,
    tasks: result.tasks,
  };
  const inspectors = canonicalInspectors(input.inspectors);
  const p = input.parameters;
  if (!isV2(p)) {
    return {
      format: DRAW_FILE_FORMAT,
      parameters: { ...p },
      commitment: {
        populationHash: c.populationHash,
        inspectorsHash: c.inspectorsHash,
        serverSeedHash: c.serverSeedHash,
        commitHash: c.commitHash,
      },
      serverSeed: input.serverSeed,
      witness: result.witness,
      result: r,
      population: canonicalPopulationOrder(input.population).map(({ uscc, name, county }) => ({
        uscc,
        name,
        county,
      })),
      inspectors,
    } satisfies DrawFileV1;
  }
  if (input.drawnAt === undefined) {
    throw new DrawError('invalid-parameters', '第2版抽取文件须有抽取时间', 'a version-2 file needs drawnAt');
  }
  return {
    format: DRAW_FILE_FORMAT_V2,
    parameters: p,
    commitment: {
      populationHash: c.populationHash,
      exclusionsHash: c.exclusionsHash!,
      inspectorsHash: c.inspectorsHash,
      serverSeedHash: c.serverSeedHash,
      commitHash: c.commitHash,
    },
    serverSeed: input.serverSeed,
    witness: { typed: result.witness, canonical: result.witnessCanonical },
    drawnAt: input.drawnAt,
    result: r,
    population: canonicalPopulationOrder(input.population).map(({ uscc, name, county, riskClass }) => ({
      uscc,
      name,
      county,
      riskClass: riskClass!,
    })),
    exclusions: canonicalExclusions(input.exclusions ?? []),
    inspectors,
  } satisfies DrawFileV2;
}

/** One JSON value per line, with a fixed key order, for lists that can hold a million items. */
function jsonList<T>(items: readonly T[], pick: (item: T) => unknown, indent: string): string {
  if (items.length === 0) return '[]';
  const inner = items.map((item) => `${indent}  ${JSON.stringify(pick(item))}`).join(',\n');
  return `[\n${inner}\n${indent}]`;
}

/** A member line: two-space indent, the key, the value as compact JSON. */
const member = (key: string, value: unknown) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)},`;

/** The `result` member, the same in both versions but for the risk class of version 2. */
function resultLines(r: DrawFile['result'], v2: boolean): string[] {
  const allocation = jsonList(
    r.allocation,
    (a) =>
      v2
        ? { riskClass: a.riskClass, county: a.county, population: a.population, quota: a.quota }
        : { county: a.county, population: a.population, quota: a.quota },
    '    ',
  );
  const tasks = jsonList(
    r.tasks,
    (t) =>
      v2
        ? { uscc: t.uscc, riskClass: t.riskClass, county: t.county, rank: t.rank, inspectors: t.inspectors }
        : { uscc: t.uscc, county: t.county, rank: t.rank, inspectors: t.inspectors },
    '    ',
  );
  return [
    '  "result": {',
    `    "drawSeed": ${JSON.stringify(r.drawSeed)},`,
    `    "sampleSize": ${JSON.stringify(r.sampleSize)},`,
    `    "allocation": ${allocation},`,
    `    "tasks": ${tasks}`,
    '  },',
  ];
}

const inspectorList = (file: DrawFile) =>
  `  "inspectors": ${jsonList(file.inspectors, (i) => ({ certificate: i.certificate, name: i.name, county: i.county, conflicts: i.conflicts }), '  ')}`;

/**
 * Canonical text of a draw file: fixed key order, two-space indentation, one list item per line,
 * trailing newline. verifyDrawFile requires a file given as text to be exactly in this form.
 */
export function serializeDrawFile(file: DrawFile): string {
  return `${(file.format === DRAW_FILE_FORMAT_V2 ? linesV2(file) : linesV1(file)).join('\n')}\n`;
}

function linesV1(file: DrawFileV1): string[] {
  const p = file.parameters;
  const c = file.commitment;
  return [
    '{',
    member('format', file.format),
    member('parameters', {
      regimeId: p.regimeId,
      year: p.year,
      round: p.round,
      ratioBasisPoints: p.ratioBasisPoints,
      minInspectorsPerTask: p.minInspectorsPerTask,
      strata: p.strata,
    }),
    member('commitment', {
      populationHash: c.populationHash,
      inspectorsHash: c.inspectorsHash,
      serverSeedHash: c.serverSeedHash,
      commitHash: c.commitHash,
    }),
    member('serverSeed', file.serverSeed),
    member('witness', file.witness),
    ...resultLines(file.result, false),
    `  "population": ${jsonList(file.population, (e) => ({ uscc: e.uscc, name: e.name, county: e.county }), '  ')},`,
    inspectorList(file),
    '}',
  ];
}

function linesV2(file: DrawFileV2): string[] {
  const p = file.parameters;
  const c = file.commitment;
  const s = p.selection;
  return [
    '{',
    member('format', file.format),
    member('parameters', {
      regimeId: p.regimeId,
      year: p.year,
      round: p.round,
      inspectionPeriod: { start: p.inspectionPeriod.start, end: p.inspectionPeriod.end },
      selection: {
        categories: s.categories,
        statuses: s.statuses,
        counties: s.counties,
        riskClasses: s.riskClasses,
      },
      yearlyCap: p.yearlyCap,
      strata: p.strata,
      ratios: Object.fromEntries(DRAW_RISK_CLASSES.map((k) => [k, p.ratios[k]])),
      minInspectorsPerTask: p.minInspectorsPerTask,
      inspectorScope: p.inspectorScope,
      witnessSource: p.witnessSource,
      witnessReference: p.witnessReference,
      witnessFormat: p.witnessFormat,
      plannedDrawAt: p.plannedDrawAt,
      committedAt: p.committedAt,
    }),
    member('commitment', {
      populationHash: c.populationHash,
      exclusionsHash: c.exclusionsHash,
      inspectorsHash: c.inspectorsHash,
      serverSeedHash: c.serverSeedHash,
      commitHash: c.commitHash,
    }),
    member('serverSeed', file.serverSeed),
    member('witness', { typed: file.witness.typed, canonical: file.witness.canonical }),
    member('drawnAt', file.drawnAt),
    ...resultLines(file.result, true),
    `  "population": ${jsonList(file.population, (e) => ({ uscc: e.uscc, name: e.name, county: e.county, riskClass: e.riskClass }), '  ')},`,
    `  "exclusions": ${jsonList(file.exclusions, (e) => ({ uscc: e.uscc, name: e.name, county: e.county, checks: e.checks }), '  ')},`,
    inspectorList(file),
    '}',
  ];
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
