/**
 * Debugging aid for tuning on the dev splits: how a question is cut into concepts and what the
 * resolver answers. Never run it on a test-split question.
 *
 *   npx tsx eval/debug-resolve.ts "上周刚充了2000元给孩子买生日蛋糕"
 */
import { resolveQuestion } from '../src/modules/search/index.ts';
import { currentModel, rankedCandidates } from '../src/modules/search/search.model.ts';
import { analyzeQuery } from '../src/modules/search/tokenize.ts';
import { bundledDatabase } from './run-resolve.ts';

const database = await bundledDatabase();
const model = (await currentModel(database.db))!;
for (const q of process.argv.slice(2)) {
  const query = analyzeQuery(q);
  console.log(`\n${q}`);
  console.log(
    '  concepts:',
    query.concepts
      .map((c) => `${c.text}${c.canonical ? `→${c.canonical}` : ''}(${c.weight.toFixed(1)})`)
      .join(' '),
  );
  const ranked = rankedCandidates(query, model, {
    kinds: ['workItem', 'duty', 'share', 'caseClause', 'regime', 'service'],
    pool: 500,
    minCoverage: 0,
  });
  for (const s of ranked.slice(0, 6)) {
    const c = s.candidate;
    console.log(
      `  ${s.score.toFixed(3)} cov ${s.coverage.toFixed(2)} m ${s.matched.toFixed(1)} ${c.kind} ${model.departments.get(c.departmentId)} ${c.officeId ? model.offices.get(c.officeId)?.name : ''} | ${c.title.slice(0, 40)} | ${s.degrees.map((d) => d.toFixed(2)).join(',')}`,
    );
  }
  const r = await resolveQuestion(database.db, database.dialect, q);
  console.log(
    '  answer:',
    r.answers.length
      ? r.answers.map((a) => `${a.department}/${a.office ?? ''}`).join(' | ')
      : `no match ${r.referral ? JSON.stringify(r.referral) : ''}`,
  );
}
await database.close();
