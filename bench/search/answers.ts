/**
 * bench/search/answers.ts: records the resolver's answers and the search results for every bench
 * question (bench/search/questions.ts: the dev questions, the lists' clauses, the synonym table's
 * variants; never a test split) on the bundled and the city-scale data, and checks later runs
 * against the record — speed work must not change a single answer. Also times the uncached path
 * in process (no HTTP), which is what a CPU profile of the server would show.
 *
 *   npx tsx bench/search/answers.ts --record=/tmp/answers     writes /tmp/answers.<dataset>.jsonl
 *   npx tsx bench/search/answers.ts --check=/tmp/answers      compares, prints the first differences
 *   npx tsx bench/search/answers.ts --time [--rounds=3]       timings only
 *   … --dataset=city                                          one dataset only
 *
 * node --cpu-prof --import tsx bench/search/answers.ts --time profiles the same loop.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { readBundledDocument } from '../../src/bundled.ts';
import { loadConfig } from '../../src/config.ts';
import { type Database, migrateToLatest, openDatabase } from '../../src/db/database.ts';
import { importDocument } from '../../src/modules/registry/import/import.service.ts';
import {
  resolveQuestion,
  searchAndResolve,
  searchRegistry,
  setSearchCacheSize,
} from '../../src/modules/search/index.ts';
import { generateCityDocument } from '../import/generate-city.ts';
import { benchQuestions } from './questions.ts';

/** CPU time of this process in ms (the machine is shared: wall time varies with other work). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function databaseOf(name: string): Promise<Database> {
  const config = loadConfig({ DATABASE_URL: 'sqlite::memory:', AUTO_IMPORT: '0' });
  const database = openDatabase(config.database);
  await migrateToLatest(database);
  const bytes = name === 'bundled' ? readBundledDocument() : Buffer.from(generateCityDocument(), 'utf8');
  await importDocument(database, bytes, { sourceName: `${name}.txt` });
  return database;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? null;
  const record = arg('record');
  const check = arg('check');
  const rounds = Number(arg('rounds') ?? 1);
  const only = arg('dataset');
  setSearchCacheSize(0);
  const questions = benchQuestions();
  let failed = false;
  for (const name of ['bundled', 'city'].filter((n) => !only || n === only)) {
    const database = await databaseOf(name);
    const { db, dialect } = database;
    await resolveQuestion(db, dialect, '预热'); // loads the model and jieba
    const lines: string[] = [];
    const timing = { resolve: 0, search: 0, page: 0 };
    let pageDiffers = 0;
    for (let round = 0; round < rounds; round++) {
      for (const q of questions) {
        let t = cpuMs();
        const r = await resolveQuestion(db, dialect, q);
        timing.resolve += cpuMs() - t;
        t = cpuMs();
        const s = await searchRegistry(db, dialect, q);
        timing.search += cpuMs() - t;
        t = cpuMs();
        const both = await searchAndResolve(db, dialect, q);
        timing.page += cpuMs() - t;
        const line = JSON.stringify({ q, r, s });
        if (round === 0) lines.push(line);
        // The search page's shared path must give exactly what the two separate calls give.
        if (round === 0 && JSON.stringify({ q, r: both.resolve, s: both.search }) !== line) pageDiffers++;
      }
    }
    const n = questions.length * rounds;
    console.log(
      `${name}: ${questions.length} questions × ${rounds}: resolve ${((1000 * timing.resolve) / n).toFixed(0)} µs/question, search ${((1000 * timing.search) / n).toFixed(0)} µs/question, both as the search page asks (searchAndResolve) ${((1000 * timing.page) / n).toFixed(0)} µs/question (CPU time)`,
    );
    console.log(
      `${name}: searchAndResolve ${pageDiffers === 0 ? 'gives the same results as the separate calls' : `DIFFERS from the separate calls on ${pageDiffers} questions`}`,
    );
    if (pageDiffers > 0) failed = true;
    if (record) writeFileSync(`${record}.${name}.jsonl`, `${lines.join('\n')}\n`);
    if (check) {
      const before = readFileSync(`${check}.${name}.jsonl`, 'utf8').trimEnd().split('\n');
      let diffs = 0;
      for (let i = 0; i < Math.max(before.length, lines.length); i++) {
        if (before[i] === lines[i]) continue;
        diffs++;
        if (diffs <= 5)
          console.log(
            `  differs:\n    before ${before[i]?.slice(0, 600)}\n    now    ${lines[i]?.slice(0, 600)}`,
          );
      }
      console.log(`${name}: ${diffs === 0 ? 'identical' : `${diffs} of ${lines.length} answers DIFFER`}`);
      if (diffs > 0) failed = true;
    }
    await database.close();
  }
  if (failed) process.exit(1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
