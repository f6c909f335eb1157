import { sql } from 'kysely';
import type { DbOrTx, DialectName } from '../../db/database.ts';

/**
 * The candidate pool of a query, from a per-build inverted index in memory (issue 13 §5: a new
 * question at city scale took 130 ms at the median, most of it SQLite ranking ~1,000–6,000 matching
 * rows with bm25() on every request).
 *
 * The pool is the one SQLite's FTS5 gave — `… where search_fts match '"t1" OR "t2" …' order by
 * bm25(search_fts), rowid limit pool` — computed the same way: FTS5's bm25 (sqlite3.c,
 * fts5Bm25Function: k1 = 1.2, b = 0.75, IDF = log((N − n + 0.5)/(n + 0.5)) floored at 1e-6,
 * summed over the query's phrases in their order, each document's length in tokens against the
 * table's average) over the same tokens, with the same arithmetic in the same order, ties broken by
 * rowid. search.postings.test.ts checks the pools against the database's own, question by question.
 * On PostgreSQL the pool is the same as on SQLite (before, ts_rank chose it when more than `pool`
 * documents matched, so the two databases could differ there).
 */

/** FTS5's bm25 parameters (sqlite3.c, fts5Bm25Function). */
const K1 = 1.2;
const B = 0.75;

/** Token id → the documents containing it (document positions, ascending) and how often. */
export interface Postings {
  /** Offsets into `docs`/`tfs` by token id (length: vocabulary size + 1). */
  start: Int32Array;
  docs: Int32Array;
  tfs: Int32Array;
  /**
   * FTS5's per-posting part of bm25, f·(k1 + 1) / (f + k1·(1 − b + b·D/avgdl)), computed once per
   * build with the same arithmetic (poolOf multiplies it by the token's IDF).
   */
  factors: Float64Array;
  /** Each document's length in tokens, by position. */
  lengths: Float64Array;
  /** Sum of the documents' lengths / number of documents, as FTS5 computes it. */
  avgdl: number;
  /** Scratch accumulators for one query at a time (queries are scored synchronously). */
  scores: Float64Array;
  touched: Int32Array;
  /** Scratch: a document's place in the candidate list + 1 (search.score.ts), else 0. */
  mark: Int32Array;
}

/**
 * Builds the postings of documents given in rowid order (position i is the i-th smallest id), each
 * with its distinct token ids and counts.
 */
export function buildPostings(
  docs: ReadonlyArray<{ length: number; termIds: Int32Array; termCounts: Int32Array }>,
  vocabSize: number,
): Postings {
  const counts = new Int32Array(vocabSize + 1);
  let totalTokens = 0;
  for (const d of docs) {
    for (const v of d.termIds) counts[v + 1]!++;
    totalTokens += d.length;
  }
  for (let v = 0; v < vocabSize; v++) counts[v + 1]! += counts[v]!;
  const start = counts;
  const fill = start.slice(0, vocabSize);
  const postDocs = new Int32Array(start[vocabSize]!);
  const tfs = new Int32Array(start[vocabSize]!);
  const factors = new Float64Array(start[vocabSize]!);
  const lengths = new Float64Array(docs.length);
  const avgdl = docs.length ? totalTokens / docs.length : 1;
  docs.forEach((d, i) => {
    lengths[i] = d.length;
    const D = lengths[i]!;
    for (let k = 0; k < d.termIds.length; k++) {
      const v = d.termIds[k]!;
      const at = fill[v]!++;
      postDocs[at] = i;
      const f = d.termCounts[k]!;
      tfs[at] = f;
      factors[at] = (f * (K1 + 1.0)) / (f + K1 * (1 - B + (B * D) / avgdl));
    }
  });
  return {
    start,
    docs: postDocs,
    tfs,
    factors,
    lengths,
    avgdl,
    scores: new Float64Array(docs.length),
    touched: new Int32Array(docs.length),
    mark: new Int32Array(docs.length),
  };
}

/** The k-th largest value of `xs` (1-based; xs is reordered), by quickselect. */
export function kthLargest(xs: Float64Array, k: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  const want = k - 1;
  while (lo < hi) {
    const pivot = xs[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (xs[i]! > pivot) i++;
      while (xs[j]! < pivot) j--;
      if (i <= j) {
        const t = xs[i]!;
        xs[i] = xs[j]!;
        xs[j] = t;
        i++;
        j--;
      }
    }
    if (want <= j) hi = j;
    else if (want >= i) lo = i;
    else return xs[want]!;
  }
  return xs[want]!;
}

/**
 * The positions of the documents containing any of `tokenIds` (undefined: a token no document
 * has) with the best FTS5 bm25, at most `pool`, in no particular order (candidates are ordered by
 * their app-side score later), with their bm25 (positive, larger is better). Ties at the cut are
 * broken by position, i.e. by rowid, as `order by bm25(search_fts), rowid` does.
 */
export function poolOf(
  p: Postings,
  tokenIds: ReadonlyArray<number | undefined>,
  pool: number,
): { positions: Int32Array; bm25: Float64Array } {
  const { scores, touched, docs, factors, lengths, start } = p;
  const nRow = lengths.length;
  let n = 0;
  for (const v of tokenIds) {
    if (v === undefined) continue;
    const from = start[v]!;
    const to = start[v + 1]!;
    const nHit = to - from;
    let idf = Math.log((nRow - nHit + 0.5) / (nHit + 0.5));
    if (idf <= 0.0) idf = 1e-6;
    for (let at = from; at < to; at++) {
      const d = docs[at]!;
      if (scores[d] === 0) touched[n++] = d;
      scores[d]! += idf * factors[at]!;
    }
  }
  let kept: Int32Array;
  if (n > pool) {
    // The pool-th best score; everything above it is in, ties at it by ascending position.
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = scores[touched[i]!]!;
    const cut = kthLargest(values, pool);
    kept = new Int32Array(pool);
    let k = 0;
    const at: number[] = [];
    for (let i = 0; i < n; i++) {
      const d = touched[i]!;
      if (scores[d]! > cut) kept[k++] = d;
      else if (scores[d] === cut) at.push(d);
    }
    at.sort((x, y) => x - y);
    for (let i = 0; k < pool; i++) kept[k++] = at[i]!;
  } else {
    kept = touched.slice(0, n);
  }
  const bm25 = new Float64Array(kept.length);
  for (let i = 0; i < kept.length; i++) bm25[i] = scores[kept[i]!]!;
  for (let i = 0; i < n; i++) scores[touched[i]!] = 0;
  return { positions: kept, bm25 };
}

/**
 * The pool as the database's own full-text index gives it (FTS5 bm25 on SQLite, ts_rank on
 * PostgreSQL), document ids best first: what poolOf replaced, kept to check it against
 * (search.postings.test.ts). Tokens are letters and digits only, so quoting them is safe.
 */
export async function databasePool(
  db: DbOrTx,
  dialect: DialectName,
  tokens: readonly string[],
  pool: number,
): Promise<number[]> {
  if (tokens.length === 0) return [];
  if (dialect === 'sqlite') {
    const match = tokens.map((t) => `"${t}"`).join(' OR ');
    const r = await sql<{ id: number }>`
      select rowid as id from search_fts where search_fts match ${match}
      order by bm25(search_fts), rowid limit ${pool}`.execute(db);
    return r.rows.map((x) => Number(x.id));
  }
  const r = await sql<{ id: number }>`
    select d.id from search_documents d, to_tsquery('simple', ${tokens.join(' | ')}) q
    where d.tsv @@ q order by ts_rank(d.tsv, q) desc, d.id limit ${pool}`.execute(db);
  return r.rows.map((x) => Number(x.id));
}
