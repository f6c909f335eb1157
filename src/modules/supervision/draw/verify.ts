/** Verification of a draw file (either version): recompute everything and list every difference. */
import { z } from 'zod';
import {
  canonicalExclusions,
  canonicalInspectors,
  canonicalPopulationOrder,
  commitTextOf,
  hashExclusions,
  hashInspectors,
  hashPopulation,
  hashPopulationV2,
  hashServerSeed,
  sha256Hex,
} from './canonical.ts';
import { DrawError } from './errors.ts';
import { serializeDrawFile } from './file.ts';
import { runDraw } from './run.ts';
import { DRAW_FILE_FORMAT, DRAW_FILE_FORMAT_V2, type DrawFile, type DrawResult } from './types.ts';
import { entityProblem, validateInspectors, validateParameters } from './validate.ts';
import { compareAllocation, comparePublished, compareTasks, problem } from './verify-compare.ts';
import { normaliseWitnessValue, witnessPrefix } from './witness.ts';

export { problem } from './verify-compare.ts';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const str = z.string();
const num = z.number();
const person = { uscc: str, name: str, county: str };
const task = { uscc: str, county: str, rank: str, inspectors: z.array(str) };
const inspectors = z.array(
  z.strictObject({ certificate: str, name: str, county: str, conflicts: z.array(str) }),
);

const drawFileV1Schema = z.strictObject({
  format: z.literal(DRAW_FILE_FORMAT),
  parameters: z.strictObject({
    regimeId: str,
    year: num,
    round: num,
    ratioBasisPoints: num,
    minInspectorsPerTask: num,
    strata: z.literal('county'),
  }),
  commitment: z.strictObject({
    populationHash: hex64,
    inspectorsHash: hex64,
    serverSeedHash: hex64,
    commitHash: hex64,
  }),
  serverSeed: str,
  witness: str,
  result: z.strictObject({
    drawSeed: str,
    sampleSize: num,
    allocation: z.array(z.strictObject({ county: str, population: num, quota: num })),
    tasks: z.array(z.strictObject(task)),
  }),
  population: z.array(z.strictObject(person)),
  inspectors,
});

const drawFileV2Schema = z.strictObject({
  format: z.literal(DRAW_FILE_FORMAT_V2),
  parameters: z.strictObject({
    regimeId: str,
    year: num,
    round: num,
    inspectionPeriod: z.strictObject({ start: str, end: str }),
    selection: z.strictObject({
      categories: z.array(str),
      statuses: z.array(str),
      counties: z.array(str),
      riskClasses: z.array(str),
    }),
    yearlyCap: num,
    strata: str,
    ratios: z.strictObject({ A: num, B: num, C: num, D: num, U: num }),
    minInspectorsPerTask: num,
    inspectorScope: str,
    witnessSource: str,
    witnessReference: str,
    witnessFormat: str,
    plannedDrawAt: str,
    committedAt: str,
  }),
  commitment: z.strictObject({
    populationHash: hex64,
    exclusionsHash: hex64,
    inspectorsHash: hex64,
    serverSeedHash: hex64,
    commitHash: hex64,
  }),
  serverSeed: str,
  witness: z.strictObject({ typed: str, canonical: str }),
  drawnAt: str,
  result: z.strictObject({
    drawSeed: str,
    sampleSize: num,
    allocation: z.array(z.strictObject({ riskClass: str, county: str, population: num, quota: num })),
    tasks: z.array(
      z.strictObject({ uscc: str, riskClass: str, county: str, rank: str, inspectors: task.inspectors }),
    ),
  }),
  population: z.array(z.strictObject({ ...person, riskClass: str })),
  exclusions: z.array(z.strictObject({ ...person, checks: num })),
  inspectors,
});

/** Outcome of verifyDrawFile: every problem in Chinese, followed by its English key in parentheses. */
export interface DrawVerification {
  match: boolean;
  problems: string[];
  /** False when the input is not JSON or not shaped like a draw file (nothing could be recomputed). */
  wellFormed: boolean;
}

export interface VerifyOptions {
  /**
   * The commitment published before the draw — its commitHash (64 hex) or its commit text: the file
   * must carry exactly this commitment.
   */
  commitment?: string;
}

/** Problems listed before the rest are summarised. */
const MAX_PROBLEMS = 100;

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

/** The file as parsed by the schema of its format, or the structure problems. */
function parseFile(value: unknown, problems: string[]): DrawFile | null {
  const format = (value as { format?: unknown } | null)?.format;
  const schema = format === DRAW_FILE_FORMAT_V2 ? drawFileV2Schema : drawFileV1Schema;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data as DrawFile;
  for (const issue of parsed.error.issues.slice(0, MAX_PROBLEMS)) {
    const path = issue.path.join('.') || '(根)';
    problems.push(problem(`文件结构不符：${path}`, `file structure: ${path}: ${issue.message}`));
  }
  return null;
}

/**
 * Recomputes a draw from a self-contained file and lists every mismatch. Accepts the file text (then
 * the text must also be in the canonical form of serializeDrawFile, so that no byte can change
 * unnoticed) or an already parsed object. `options.commitment` also checks the file against the
 * commitment published before the draw.
 */
export function verifyDrawFile(json: unknown, options: VerifyOptions = {}): DrawVerification {
  const problems: string[] = [];
  const value = typeof json === 'string' ? parseJson(json, problems) : json;
  if (problems.length > 0) return { match: false, problems, wellFormed: false };
  const file = parseFile(value, problems);
  if (!file) return { match: false, problems, wellFormed: false };
  if (typeof json === 'string') checkCanonicalText(json, file, problems);
  checkOrderAndValidity(file, problems);
  const commitText = checkCommitment(file, problems);
  if (options.commitment !== undefined) {
    comparePublished(options.commitment, { commitText, commitHash: file.commitment.commitHash }, problems);
  }
  if (file.format === DRAW_FILE_FORMAT_V2) checkWitness(file, problems);
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

/** Lists must be in canonical order; parameters, entities and inspectors must be valid. */
function checkOrderAndValidity(file: DrawFile, problems: string[]): void {
  const v2 = file.format === DRAW_FILE_FORMAT_V2;
  if (canonicalPopulationOrder(file.population) !== file.population) {
    problems.push(
      problem(
        '检查对象名录未按统一社会信用代码升序排列或有重复',
        'population is not in strictly ascending uscc order',
      ),
    );
  }
  for (const entity of file.population) {
    const p = entityProblem(entity, v2);
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
  if (v2 && JSON.stringify(canonicalExclusions(file.exclusions)) !== JSON.stringify(file.exclusions)) {
    problems.push(
      problem('排除名单未按统一社会信用代码升序排列', 'exclusions are not in ascending uscc order'),
    );
  }
  try {
    validateParameters(file.parameters);
    validateInspectors(canonical);
  } catch (error) {
    if (error instanceof DrawError) problems.push(problem(error.messageZh, error.messageEn));
    else throw error;
  }
  if (v2) checkSelection(file, problems);
}

/** Version 2: every entity of the population lies within the committed counties and risk classes. */
function checkSelection(file: DrawFile & { format: typeof DRAW_FILE_FORMAT_V2 }, problems: string[]): void {
  const { counties, riskClasses } = file.parameters.selection;
  for (const e of file.population) {
    if (counties.length > 0 && !counties.includes(e.county)) {
      problems.push(
        problem(
          `检查对象 ${e.uscc} 的县（市、区）“${e.county}”不在承诺的范围内`,
          `entity ${e.uscc} lies outside the committed counties`,
        ),
      );
    }
    if (riskClasses.length > 0 && !riskClasses.includes(e.riskClass!)) {
      problems.push(
        problem(
          `检查对象 ${e.uscc} 的风险分类“${e.riskClass}”不在承诺的范围内`,
          `entity ${e.uscc} lies outside the committed risk classes`,
        ),
      );
    }
  }
}

/** Recomputes the published hashes; returns the commit text the file's commitment stands for. */
function checkCommitment(file: DrawFile, problems: string[]): string {
  const c = file.commitment;
  const v2 = file.format === DRAW_FILE_FORMAT_V2;
  const populationHash = (v2 ? hashPopulationV2 : hashPopulation)(file.population);
  const inspectorsHash = hashInspectors(file.inspectors);
  if (populationHash !== c.populationHash) {
    problems.push(
      problem('populationHash 与检查对象名录不一致', 'populationHash does not match the population list'),
    );
  }
  if (v2 && hashExclusions(file.exclusions) !== file.commitment.exclusionsHash) {
    problems.push(
      problem('exclusionsHash 与排除名单不一致', 'exclusionsHash does not match the exclusion list'),
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
  const recomputed = commitTextOf(file.parameters, {
    populationHash,
    exclusionsHash: v2 ? hashExclusions(file.exclusions) : undefined,
    inspectorsHash,
    serverSeedHash: c.serverSeedHash,
  });
  if (sha256Hex(recomputed) !== c.commitHash) {
    problems.push(
      problem('commitHash 与参数和名录不一致', 'commitHash does not match the parameters and lists'),
    );
  }
  return commitTextOf(file.parameters, c);
}

/** Version 2: the canonical witness is the published normalisation of the typed one, of the committed source. */
function checkWitness(file: DrawFile & { format: typeof DRAW_FILE_FORMAT_V2 }, problems: string[]): void {
  const p = file.parameters;
  const { typed, canonical } = file.witness;
  const r = normaliseWitnessValue(p.witnessFormat, p.witnessReference, typed);
  if (!r.ok) {
    problems.push(
      problem(
        `录入的见证值“${typed}”不能按承诺的格式规范化：${r.zh}`,
        `the typed witness does not normalise under the committed format: ${r.en}`,
      ),
    );
    return;
  }
  const expected = witnessPrefix(p) + r.value;
  if (expected !== canonical) {
    problems.push(
      problem(
        `见证值的规范形式与承诺的见证来源和格式不一致：应为“${expected}”，文件中为“${canonical}”`,
        'the canonical witness does not match the committed witness source and format',
      ),
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
      ...(file.format === DRAW_FILE_FORMAT_V2
        ? { witness: file.witness.typed, exclusions: file.exclusions, drawnAt: file.drawnAt }
        : { witness: file.witness }),
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
