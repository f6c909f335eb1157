/** Verification of a draw file: recompute everything and list every difference. */
import { z } from 'zod';
import {
  canonicalInspectors,
  canonicalPopulationOrder,
  commitText,
  hashInspectors,
  hashPopulation,
  hashServerSeed,
  sha256Hex,
} from './canonical.ts';
import { DrawError } from './errors.ts';
import { serializeDrawFile } from './file.ts';
import { runDraw } from './run.ts';
import {
  DRAW_FILE_FORMAT,
  type DrawFile,
  type DrawResult,
  type DrawTask,
  type StratumAllocation,
} from './types.ts';
import { entityProblem, validateInspectors, validateParameters } from './validate.ts';

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

export function problem(zh: string, en: string): string {
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
