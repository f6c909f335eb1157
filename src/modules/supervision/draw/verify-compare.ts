/** What verifyDrawFile reports when the recomputed result differs from the file's. */
import type { DrawTask, StratumAllocation } from './types.ts';

/** One problem: the Chinese text followed by its English key in parentheses. */
export function problem(zh: string, en: string): string {
  return `${zh}（${en}）`;
}

/** A stratum as named in problems: the county, or risk class and county (version 2). */
const stratumZh = (a: StratumAllocation) => (a.riskClass ? `${a.riskClass}类 ${a.county}` : a.county);
const stratumEn = (a: StratumAllocation) => (a.riskClass ? `${a.riskClass}/${a.county}` : a.county);
const stratumKey = (a: StratumAllocation) => `${a.riskClass ?? ''}\t${a.county}`;

export function compareAllocation(
  expected: StratumAllocation[],
  actual: StratumAllocation[],
  problems: string[],
): void {
  if (JSON.stringify(expected) === JSON.stringify(actual)) return;
  const byKey = new Map(actual.map((a) => [stratumKey(a), a]));
  const expectedKeys = new Set(expected.map(stratumKey));
  for (const e of expected) {
    const a = byKey.get(stratumKey(e));
    if (!a || a.quota !== e.quota || a.population !== e.population) {
      const found = a ? `${a.population}家、抽取${a.quota}家` : '缺失';
      problems.push(
        problem(
          `${stratumZh(e)} 应有${e.population}家、抽取${e.quota}家，文件中为${found}`,
          `allocation of ${stratumEn(e)} does not match the recomputation`,
        ),
      );
    }
  }
  for (const a of actual) {
    if (!expectedKeys.has(stratumKey(a))) {
      problems.push(
        problem(
          `分配表中的 ${stratumZh(a)} 不在检查对象名录中`,
          `allocation lists ${stratumEn(a)}, absent from the population`,
        ),
      );
    }
  }
  problems.push(
    problem('分层分配表与重新计算的结果不一致', 'allocation list does not match the recomputation'),
  );
}

export function compareTasks(expected: DrawTask[], actual: DrawTask[], problems: string[]): void {
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
  if (expected.riskClass !== actual.riskClass) {
    problems.push(
      problem(
        `企业 ${actual.uscc} 的风险分类与名录不一致`,
        `risk class of ${actual.uscc} does not match the population`,
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

/** The `key=value` lines of a commit text (CRLF read as LF), first line under the key `format`. */
export function commitLines(text: string): Map<string, string> {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const out = new Map<string, string>();
  lines.forEach((line, i) => {
    if (i === 0) out.set('format', line);
    else if (line !== '') {
      const at = line.indexOf('=');
      out.set(at < 0 ? line : line.slice(0, at), at < 0 ? '' : line.slice(at + 1));
    }
  });
  return out;
}

/**
 * The file's commitment against the one published before the draw: a commitHash (64 hex) or the
 * commit text. With the text, every differing line is named, e.g. another witness source.
 */
export function comparePublished(
  published: string,
  file: { commitText: string; commitHash: string },
  problems: string[],
): void {
  const hash = published.trim();
  if (/^[0-9a-f]{64}$/.test(hash)) {
    if (hash !== file.commitHash) {
      problems.push(
        problem(
          `commitHash 与抽取前公布的承诺不一致：公布的为 ${hash}，文件中为 ${file.commitHash}`,
          'commitHash differs from the published commitment',
        ),
      );
    }
    return;
  }
  const before = commitLines(published);
  const now = commitLines(file.commitText);
  for (const key of new Set([...before.keys(), ...now.keys()])) {
    const a = before.get(key);
    const b = now.get(key);
    if (a === b) continue;
    problems.push(
      problem(
        `${key} 与抽取前公布的承诺不一致：承诺为“${a ?? '（无）'}”，文件中为“${b ?? '（无）'}”`,
        `${key} differs from the published commitment`,
      ),
    );
  }
}
