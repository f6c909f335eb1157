import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCityDocument } from '../../../bench/import/generate-city.ts';
import { benchQuestions } from '../../../bench/search/questions.ts';
import { createTestDatabase, importDocument, onPostgres, type TestDb } from '../../../test/helpers.ts';
import { readBundledDocument } from '../../bundled.ts';
import { currentModel, type IndexModel, matchTokens } from './search.model.ts';
import { databasePool, kthLargest, poolOf } from './search.postings.ts';
import { analyzeQuery, normalizeText } from './tokenize.ts';

/**
 * The candidate pool computed in memory (search.postings.ts) is the pool the database's own
 * full-text index gives: on SQLite exactly (FTS5 bm25, cut at 500, ties by rowid), question by
 * question; on PostgreSQL, whose ts_rank orders differently, wherever no cut is needed (at most
 * 500 documents match), the pool being then every matching document.
 */

const POOL = 500;
const questions = benchQuestions();

async function comparePools(t: TestDb, model: IndexModel, qs: readonly string[]) {
  let cut = 0;
  let compared = 0;
  for (const q of qs) {
    const tokens = matchTokens(analyzeQuery(normalizeText(q)), model);
    const mine = Array.from(
      poolOf(
        model.postings,
        tokens.map((x) => model.vocab.get(x)),
        POOL,
      ).positions,
      (position) => model.docList[position]!.id,
    );
    const theirs = await databasePool(t.database.db, t.database.dialect, tokens, POOL + 1);
    const needsCut = theirs.length > POOL;
    if (needsCut) cut++;
    if (needsCut && t.database.dialect !== 'sqlite') continue;
    compared++;
    expect(
      mine.sort((a, b) => a - b),
      q,
    ).toEqual(theirs.slice(0, POOL).sort((a, b) => a - b));
  }
  return { cut, compared };
}

describe('kthLargest', () => {
  it('finds the k-th largest value, ties included, as a full sort does', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let round = 0; round < 200; round++) {
      const n = 1 + Math.floor(random() * 300);
      // Few distinct values, so that ties are common (as equal bm25 scores are).
      const xs = Float64Array.from({ length: n }, () => Math.floor(random() * 20) / 4);
      const sorted = [...xs].sort((a, b) => b - a);
      const k = 1 + Math.floor(random() * n);
      expect(kthLargest(xs.slice(), k), `n=${n} k=${k}`).toBe(sorted[k - 1]);
    }
  });
});

describe('the in-memory candidate pool, against the database’s full-text index', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.close();
  });

  it('gives the same pool on the bundled document for 300 bench questions (never more than 500 match)', async () => {
    await importDocument(t.database, readBundledDocument(), { sourceName: 'source.txt' });
    const model = (await currentModel(t.database.db))!;
    const { cut, compared } = await comparePools(t, model, questions.slice(0, 300));
    expect(cut).toBe(0);
    expect(compared).toBe(300);
  });

  it('gives the same pool at city scale, where most questions need the cut at 500', async () => {
    // Over the bundled lists: the city document changes 衡水市商务局's records (allowed here; the CLI
    // would make that a change set).
    await importDocument(t.database, Buffer.from(generateCityDocument(), 'utf8'), {
      sourceName: 'city.txt',
      allowChanges: true,
    });
    const model = (await currentModel(t.database.db))!;
    expect(model.documents).toBeGreaterThan(9000);
    const { cut, compared } = await comparePools(t, model, questions.slice(300, 450));
    expect(cut).toBeGreaterThan(50);
    expect(compared).toBe(onPostgres ? 150 - cut : 150);
  }, 120_000);
});
