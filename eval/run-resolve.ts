/**
 * Evaluates the "who handles my matter?" resolver on eval/resolve-questions.json.
 *
 *   npm run eval:resolve                    both splits, with the failures
 *   npm run eval:resolve -- --split=dev     one split only
 *   npm run eval:resolve -- --quiet         figures only
 *
 * Imports the bundled document into a fresh in-memory SQLite database, asks every question and
 * prints, per split, top-1 and top-3 department accuracy and office accuracy. A question whose
 * expected department is null is answered correctly only by "no match".
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { readBundledDocument } from '../src/bundled.ts';
import { loadConfig } from '../src/config.ts';
import { type Database, migrateToLatest, openDatabase } from '../src/db/database.ts';
import { importDocument } from '../src/modules/registry/import/import.service.ts';
import { resolveQuestion } from '../src/modules/search/index.ts';
import type { ResolveResult } from '../src/modules/search/search.types.ts';

/** One evaluation question for the "who handles my matter?" resolver. */
export interface ResolveQuestion {
  id: string;
  q: string;
  /** Expected canonical department, or null when the honest answer is "no match, call 12345". */
  department: string | null;
  acceptDepartments?: string[];
  /** Expected office of 衡水市商务局, or null. */
  office: string | null;
  acceptOffices?: string[];
  basis: string;
  split: 'dev' | 'test';
}

export interface QuestionOutcome {
  question: ResolveQuestion;
  result: ResolveResult;
  top1: boolean;
  top3: boolean;
  /** null when the question expects no office. */
  office1: boolean | null;
  office3: boolean | null;
}

export interface SplitFigures {
  split: string;
  questions: number;
  top1: number;
  top3: number;
  /** Questions with an expected office. */
  officeQuestions: number;
  office1: number;
  office3: number;
  /** Answerable questions that got "no match", and no-match questions that got answers. */
  falseNoMatch: number;
  falseAnswer: number;
}

export function loadQuestions(): ResolveQuestion[] {
  return JSON.parse(
    readFileSync(new URL('./resolve-questions.json', import.meta.url), 'utf8'),
  ) as ResolveQuestion[];
}

/** A fresh in-memory SQLite database holding the bundled document (and its search index). */
export async function bundledDatabase(): Promise<Database> {
  const config = loadConfig({ DATABASE_URL: 'sqlite::memory:', AUTO_IMPORT: '0' });
  const database = openDatabase(config.database);
  await migrateToLatest(database);
  await importDocument(database, readBundledDocument(), {
    sourceName: 'source.txt',
    department: '衡水市商务局',
  });
  return database;
}

export function judge(question: ResolveQuestion, result: ResolveResult): QuestionOutcome {
  const answers = result.answers;
  if (question.department === null) {
    const ok = answers.length === 0 && result.noMatch !== null;
    return { question, result, top1: ok, top3: ok, office1: null, office3: null };
  }
  const depts = new Set([question.department, ...(question.acceptDepartments ?? [])]);
  const top1 = answers[0] !== undefined && depts.has(answers[0].department);
  const top3 = answers.slice(0, 3).some((a) => depts.has(a.department));
  if (question.office === null) return { question, result, top1, top3, office1: null, office3: null };
  const offices = new Set([question.office, ...(question.acceptOffices ?? [])]);
  const officeOk = (a: ResolveResult['answers'][number] | undefined) =>
    a !== undefined && a.department === '衡水市商务局' && a.office !== null && offices.has(a.office);
  return {
    question,
    result,
    top1,
    top3,
    office1: officeOk(answers[0]),
    office3: answers.slice(0, 3).some(officeOk),
  };
}

export async function evaluate(
  database: Database,
  questions: ResolveQuestion[],
): Promise<{ outcomes: QuestionOutcome[]; figures: SplitFigures[] }> {
  const outcomes: QuestionOutcome[] = [];
  for (const question of questions) {
    const result = await resolveQuestion(database.db, database.dialect, question.q);
    outcomes.push(judge(question, result));
  }
  const splits = [...new Set(questions.map((q) => q.split))].sort();
  const figures = splits.map((split) =>
    figuresOf(
      split,
      outcomes.filter((o) => o.question.split === split),
    ),
  );
  return { outcomes, figures };
}

function figuresOf(split: string, os: QuestionOutcome[]): SplitFigures {
  const withOffice = os.filter((o) => o.office1 !== null);
  return {
    split,
    questions: os.length,
    top1: os.filter((o) => o.top1).length,
    top3: os.filter((o) => o.top3).length,
    officeQuestions: withOffice.length,
    office1: withOffice.filter((o) => o.office1).length,
    office3: withOffice.filter((o) => o.office3).length,
    falseNoMatch: os.filter((o) => o.question.department !== null && o.result.noMatch !== null).length,
    falseAnswer: os.filter((o) => o.question.department === null && o.result.answers.length > 0).length,
  };
}

const pct = (n: number, d: number) => (d === 0 ? '  n/a' : `${((100 * n) / d).toFixed(1).padStart(5)}%`);

export function formatFigures(f: SplitFigures): string {
  return [
    `${f.split.padEnd(5)} ${String(f.questions).padStart(3)} questions`,
    `department top-1 ${pct(f.top1, f.questions)} (${f.top1})`,
    `top-3 ${pct(f.top3, f.questions)} (${f.top3})`,
    `office top-1 ${pct(f.office1, f.officeQuestions)} (${f.office1}/${f.officeQuestions})`,
    `top-3 ${pct(f.office3, f.officeQuestions)}`,
    `false no-match ${f.falseNoMatch}, false answers ${f.falseAnswer}`,
  ].join(' | ');
}

function describe(o: QuestionOutcome): string {
  const q = o.question;
  const expected =
    q.department === null ? '（无对应部门）' : `${q.department}${q.office ? ` / ${q.office}` : ''}`;
  const got =
    o.result.answers.length === 0
      ? '无匹配（12345）'
      : o.result.answers
          .slice(0, 3)
          .map((a, i) => `${i + 1}. ${a.department}${a.office ? ` / ${a.office}` : ''}`)
          .join('  ');
  const tag = !o.top3 ? 'MISS ' : !o.top1 ? 'TOP3 ' : 'OFFICE';
  return `${tag} [${q.split}] ${q.id} ${q.q}\n      expected: ${expected}\n      got:      ${got}`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const only = args.find((a) => a.startsWith('--split='))?.slice('--split='.length);
  const quiet = args.includes('--quiet');
  const questions = loadQuestions().filter((q) => !only || q.split === only);
  const database = await bundledDatabase();
  const started = performance.now();
  const { outcomes, figures } = await evaluate(database, questions);
  const ms = performance.now() - started;
  await database.close();
  if (!quiet) {
    const failures = outcomes.filter((o) => !o.top1 || !o.top3 || o.office1 === false);
    console.log(`Failures (${failures.length}):`);
    for (const o of failures) console.log(describe(o));
    console.log('');
  }
  console.log(`Resolver evaluation — ${questions.length} questions in ${ms.toFixed(0)} ms`);
  for (const f of figures) console.log(formatFigures(f));
  const test = figures.find((f) => f.split === 'test');
  if (test) {
    const ok = test.top3 / test.questions >= 0.9 && test.top1 / test.questions >= 0.75;
    console.log(`Targets on test (top-3 ≥ 90%, top-1 ≥ 75%): ${ok ? 'met' : 'NOT met'}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
