import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchQuestions } from '../../../bench/search/questions.ts';
import { createTestDatabase, importDocument, type TestDb } from '../../../test/helpers.ts';
import { readBundledDocument } from '../../bundled.ts';
import { resolveQuestion, searchAndResolve, searchRegistry, setSearchCacheSize } from './index.ts';
import { byScore, type Scored, sortByScore } from './search.model.ts';

/**
 * The speed work must not change an answer (bench/search/answers.ts checks every bench question on
 * both datasets; this suite checks a sample on every test run): the search page's shared path gives
 * what the two separate calls give, and the typed-array sort gives byScore's order.
 */

describe('searchAndResolve (the search page: one analysis and one pool for both)', () => {
  let t: TestDb;
  beforeAll(async () => {
    setSearchCacheSize(0); // every call computes its answer
    t = await createTestDatabase();
    await importDocument(t.database, readBundledDocument(), { sourceName: 'source.txt' });
  });
  afterAll(async () => {
    setSearchCacheSize(2000);
    await t.close();
  });

  it('gives exactly what searchRegistry and resolveQuestion give, on 400 bench questions', async () => {
    const { db, dialect } = t.database;
    const questions = benchQuestions().slice(0, 400);
    let answered = 0;
    let named = 0;
    for (const q of questions) {
      const both = await searchAndResolve(db, dialect, q);
      expect(both.resolve, q).toEqual(await resolveQuestion(db, dialect, q));
      expect(both.search, q).toEqual(await searchRegistry(db, dialect, q));
      if (both.resolve.answers.length > 0) answered++;
      if (/商务局|市场监管/.test(q)) named++;
    }
    // The sample holds answered questions and questions naming a department (whose analyses differ).
    expect(answered).toBeGreaterThan(200);
    expect(named).toBeGreaterThan(0);
  }, 60_000);
});

describe('sortByScore', () => {
  it('orders as Array#sort with byScore does, ties on score and bm25 included', () => {
    let seed = 11;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let round = 0; round < 300; round++) {
      const n = Math.floor(random() * 400);
      const list: Scored[] = Array.from({ length: n }, (_, i) => {
        // Few distinct values, so that ties are common; ids distinct, positions in id order.
        const id = 1 + i * 3;
        return {
          candidate: { id, position: i } as Scored['candidate'],
          score: Math.floor(random() * 8) / 8,
          bm25: Math.floor(random() * 4),
          coverage: 0,
          matched: 0,
          degrees: [],
        };
      });
      const shuffled = [...list].sort(() => random() - 0.5);
      const expected = [...shuffled].sort(byScore).map((s) => s.candidate.id);
      expect(
        sortByScore([...shuffled]).map((s) => s.candidate.id),
        `round ${round}, n=${n}`,
      ).toEqual(expected);
    }
  });
});
