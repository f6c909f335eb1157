import type { IndexKind } from './search.index.ts';
import type { Candidate, IndexDoc, IndexModel } from './search.model.ts';
import { poolOf } from './search.postings.ts';
import { type AnalyzedQuery, normalizeText } from './tokenize.ts';

/**
 * Candidates and the app-side score that decides the final order (docs/search.md "Ranking"):
 * the pool from the per-build postings (search.postings.ts), each candidate's frequencies of the
 * query's tokens, then coverage and BM25. Per query, everything that does not depend on the
 * document (the concepts' characters and bigrams, IDFs) is prepared once, not per candidate.
 */

/** A token in more than this share of the documents is not worth retrieving by. */
const COMMON_TOKEN_SHARE = 0.05;

/**
 * Tokens to retrieve by: per concept, its tokens present in the index and not common (in at most
 * 5% of the documents); a concept with only common tokens contributes its rarest one. Documents
 * are still scored on all the query's tokens.
 */
export function matchTokens(query: AnalyzedQuery, model: IndexModel): string[] {
  const out = new Set<string>();
  const limit = Math.max(1, model.documents * COMMON_TOKEN_SHARE);
  for (const c of query.concepts) {
    const present = [...c.tokens, ...c.canonicalTokens, ...c.canonicalParts].filter(
      (t) => (model.df.get(t) ?? 0) > 0,
    );
    const specific = present.filter((t) => model.df.get(t)! <= limit);
    if (specific.length > 0) for (const t of specific) out.add(t);
    else if (present.length > 0) {
      out.add(present.reduce((a, b) => (model.df.get(b)! < model.df.get(a)! ? b : a)));
    }
  }
  return [...out];
}

const K1 = 1.2;
const B = 0.75;

/** Above this many postings per candidate, a token's frequencies are looked up per candidate. */
const WALK_LIMIT = 8;

/**
 * A candidate: its index document (fields read through, not copied) with the frequencies of the
 * query's terms and its FTS5 bm25.
 */
class PooledCandidate implements Candidate {
  // The fields the resolver's loops read, copied; the others read through.
  readonly id: number;
  readonly kind: IndexKind;
  readonly recordId: number;
  readonly departmentId: number;
  readonly officeId: number | null;
  readonly officeInferred: boolean;
  constructor(
    readonly doc: IndexDoc,
    readonly position: number,
    /** The query's frequencies of all candidates; this one's start at `tfAt`. */
    readonly freqs: Int32Array,
    readonly tfAt: number,
    readonly nTerms: number,
    readonly rank: number,
    cols: Columns,
  ) {
    // From the per-build columns (dense, so reading them does not touch the scattered documents).
    this.id = cols.id[position]!;
    this.kind = KIND_OF_CODE[cols.kindCode[position]!]!;
    this.recordId = cols.recordId[position]!;
    this.departmentId = cols.departmentId[position]!;
    const office = cols.officeId[position]!;
    this.officeId = office < 0 ? null : office;
    this.officeInferred = cols.officeInferred[position] === 1;
  }
  get tf() {
    return this.freqs.subarray(this.tfAt, this.tfAt + this.nTerms);
  }
  get parentId() {
    return this.doc.parentId;
  }
  get title() {
    return this.doc.title;
  }
  get url() {
    return this.doc.url;
  }
  get length() {
    return this.doc.length;
  }
}

/** Per index build: each document's kind as a small number and its BM25 length norm, by position. */
interface Columns {
  kindCode: Uint8Array;
  norm: Float64Array;
  id: Float64Array;
  recordId: Float64Array;
  departmentId: Float64Array;
  /** −1: none. */
  officeId: Float64Array;
  officeInferred: Uint8Array;
}
const KIND_CODES = new Map<IndexKind, number>();
const KIND_OF_CODE: IndexKind[] = [];
const kindCode = (kind: IndexKind): number => {
  let code = KIND_CODES.get(kind);
  if (code === undefined) {
    code = KIND_CODES.size + 1;
    KIND_CODES.set(kind, code);
    KIND_OF_CODE[code] = kind;
  }
  return code;
};
const columnsOf = new WeakMap<IndexModel, Columns>();
function columns(model: IndexModel): Columns {
  let c = columnsOf.get(model);
  if (!c) {
    const n = model.docList.length;
    c = {
      kindCode: new Uint8Array(n),
      norm: new Float64Array(n),
      id: new Float64Array(n),
      recordId: new Float64Array(n),
      departmentId: new Float64Array(n),
      officeId: new Float64Array(n),
      officeInferred: new Uint8Array(n),
    };
    for (let i = 0; i < n; i++) {
      const d = model.docList[i]!;
      c.kindCode[i] = kindCode(d.kind);
      c.norm[i] = K1 * (1 - B + (B * d.length) / model.avgLength);
      c.id[i] = d.id;
      c.recordId[i] = d.recordId;
      c.departmentId[i] = d.departmentId;
      c.officeId[i] = d.officeId ?? -1;
      c.officeInferred[i] = d.officeInferred ? 1 : 0;
    }
    columnsOf.set(model, c);
  }
  return c;
}

/**
 * Documents containing any of the query's index tokens, best first by FTS5's bm25 (the pool SQLite's
 * full-text index gave; search.postings.ts), at most `pool` of them, those of other kinds dropped.
 */
export function findCandidates(
  query: AnalyzedQuery,
  model: IndexModel,
  kinds: readonly IndexKind[],
  pool: number,
): Candidate[] {
  const safe = matchTokens(query, model).filter((t) => SAFE_TOKEN.test(t));
  if (safe.length === 0 || kinds.length === 0) return [];
  const p = model.postings;
  const { positions, bm25 } = poolOf(
    p,
    safe.map((t) => model.vocab.get(t)),
    pool,
  );
  const { mark, docs: postDocs, tfs, start } = p;
  const cols = columns(model);
  const codes = cols.kindCode;
  let allowed = 0;
  for (const k of kinds) allowed |= 1 << kindCode(k);
  const keptPositions = new Int32Array(positions.length);
  const keptRank = new Float64Array(positions.length);
  let n = 0;
  for (let i = 0; i < positions.length; i++) {
    const position = positions[i]!;
    if (!(allowed & (1 << codes[position]!))) continue;
    keptPositions[n] = position;
    keptRank[n++] = bm25[i]!;
  }
  const nTerms = query.terms.length;
  const freqs = new Int32Array(n * nTerms);
  for (let k = 0; k < n; k++) mark[keptPositions[k]!] = k + 1;
  // Frequencies of every query term in every candidate: by walking the term's postings, or, for a
  // term far more common than the candidates, by looking it up in each candidate.
  const docList = model.docList;
  for (let i = 0; i < nTerms; i++) {
    const v = model.vocab.get(query.terms[i]!.token);
    if (v === undefined) continue;
    const from = start[v]!;
    const to = start[v + 1]!;
    if (to - from <= WALK_LIMIT * n) {
      for (let at = from; at < to; at++) {
        const k = mark[postDocs[at]!]!;
        if (k > 0) freqs[(k - 1) * nTerms + i] = tfs[at]!;
      }
    } else {
      for (let k = 0; k < n; k++) {
        const doc = docList[keptPositions[k]!]!;
        const j = binarySearch(doc.termIds, v);
        if (j >= 0) freqs[k * nTerms + i] = doc.termCounts[j]!;
      }
    }
  }
  const out: Candidate[] = new Array(n);
  for (let k = 0; k < n; k++) {
    const position = keptPositions[k]!;
    mark[position] = 0;
    out[k] = new PooledCandidate(docList[position]!, position, freqs, k * nTerms, nTerms, keptRank[k]!, cols);
  }
  return out;
}

const SAFE_TOKEN = /^[\p{L}\p{N}]+$/u;

function binarySearch(xs: Int32Array, v: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = xs[mid]!;
    if (x === v) return mid;
    if (x < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// The app-side score

export interface Scored {
  candidate: Candidate;
  /** BM25 over the query's weighted terms, with the index's document frequencies. */
  bm25: number;
  /** Share of the query's concepts (weighted) that the document contains, 0–1. */
  coverage: number;
  /** The same, not divided by the query's total: how much specific meaning the document matched. */
  matched: number;
  /** How well each concept is matched, 0–1, in query order. */
  degrees: number[];
  score: number;
}

export function idfOf(model: IndexModel, token: string): number {
  const df = model.df.get(token) ?? 0;
  return Math.log(1 + (model.documents - df + 0.5) / (df + 0.5));
}

/** A word to look for in documents, prepared once per query (see conceptMatch). */
interface Matcher {
  /** The word's place among the query's terms (−1: not a term). */
  word: number;
  /** Characters (code points) of the word. */
  n: number;
  /** A word of one or two characters, or one given alone: found whole or not at all. */
  simple: boolean;
  /** The places of its bigrams among the query's terms (−1: not a term). */
  bigrams: number[];
  /** What each bigram found alone is worth (its own weight, else the concept's). */
  bigramWorth: number[];
}

function matcher(
  tokens: readonly string[],
  weight: number,
  parts: Map<string, number> | null,
  termIndex: Map<string, number>,
): Matcher | null {
  const word = tokens[0];
  if (word === undefined) return null;
  const chars = [...word];
  const bigrams: number[] = [];
  const bigramWorth: number[] = [];
  for (let i = 0; i + 1 < chars.length; i++) {
    const b = chars[i]! + chars[i + 1]!;
    bigrams.push(termIndex.get(b) ?? -1);
    bigramWorth.push(parts?.get(b) ?? weight);
  }
  return {
    word: termIndex.get(word) ?? -1,
    n: chars.length,
    simple: chars.length <= 2 || tokens.length === 1,
    bigrams,
    bigramWorth,
  };
}

const freqOf = (tf: Int32Array, at: number, i: number) => (i < 0 ? 0 : tf[at + i]!);

/**
 * How much of a concept a document contains, and what that part is worth:
 *   - the whole word (or, for a word of one or two characters, the word itself): share 1, full weight;
 *   - otherwise the share of the word's characters covered by bigrams found in the document (none
 *     below half), worth no more than its best matched bigram — 报社记者 found only as 记者 is
 *     worth what 记者 is worth.
 * The share is scaled by a BM25-style saturation of the frequency against the document's length:
 * a long regime mentioning a word once in passing is not about it; one repeating it is.
 */
function conceptMatch(m: Matcher | null, weight: number, tf: Int32Array, at: number, norm: number): number {
  if (m === null) return 0;
  let freq = 0;
  let share = 0;
  let worth = weight;
  const whole = freqOf(tf, at, m.word);
  if (m.n >= 3 && whole > 0) {
    share = 1;
    freq = whole;
  } else if (m.simple) {
    freq = whole;
    share = freq > 0 ? 1 : 0;
  } else {
    let covered = 0;
    let last = -2;
    let best = 0;
    for (let i = 0; i < m.bigrams.length; i++) {
      const f = freqOf(tf, at, m.bigrams[i]!);
      if (!f) continue;
      // Characters i and i + 1; character i is already counted when bigram i − 1 matched.
      covered += last === i - 1 ? 1 : 2;
      last = i;
      freq = Math.max(freq, f);
      best = Math.max(best, m.bigramWorth[i]!);
    }
    share = covered / m.n;
    worth = Math.min(weight, best);
  }
  if (share < 0.5 || freq === 0) return 0;
  return worth * share * Math.min(1, (freq * (K1 + 1)) / (freq + norm));
}

/** Scores candidates for a query; the same inputs give the same numbers on both databases. */
export function scoreCandidates(query: AnalyzedQuery, candidates: Candidate[], model: IndexModel): Scored[] {
  const nTerms = query.terms.length;
  // weight × idf of each term, multiplied in that order as the sum below always did.
  const termWeight = new Float64Array(nTerms);
  for (let i = 0; i < nTerms; i++) {
    const t = query.terms[i]!;
    termWeight[i] = t.weight * idfOf(model, t.token);
  }
  const termIndex = new Map(query.terms.map((t, i) => [t.token, i]));
  // Coverage is measured against the question's Chinese words and whatever else the index could
  // match at all: a Chinese word found nowhere in the lists (冰雪) says the question is about
  // something else; a stray Latin word (an English "and") neither helps nor dilutes.
  const counts = (c: AnalyzedQuery['concepts'][number]) =>
    /\p{Script=Han}/u.test(c.text) ||
    [...c.tokens, ...c.canonicalTokens, ...c.canonicalParts].some((t) => (model.df.get(t) ?? 0) > 0);
  const totalWeight = query.concepts.reduce((a, c) => a + (counts(c) ? c.weight : 0), 0) || 1;
  const nConcepts = query.concepts.length;
  const prepared = query.concepts.map((k) => ({
    weight: k.weight,
    own: matcher(k.tokens, k.weight, k.partWeights, termIndex),
    canonical: matcher(k.canonicalTokens, k.weight, k.canonicalPartWeights, termIndex),
    parts: k.canonicalParts.map((p) => matcher([p], k.weight, null, termIndex)),
  }));
  const norms = columns(model).norm;
  const out: Scored[] = new Array(candidates.length);
  for (let ci = 0; ci < candidates.length; ci++) {
    const c = candidates[ci]!;
    const { freqs: tf, tfAt: at } = c;
    let bm25 = 0;
    const norm = norms[c.position]!;
    for (let i = 0; i < nTerms; i++) {
      const f = tf[at + i]!;
      if (!f) continue;
      bm25 += termWeight[i]! * ((f * (K1 + 1)) / (f + norm));
    }
    const degrees: number[] = new Array(nConcepts);
    let matched = 0;
    for (let i = 0; i < nConcepts; i++) {
      const k = prepared[i]!;
      let v = Math.max(
        conceptMatch(k.own, k.weight, tf, at, norm),
        0.9 * conceptMatch(k.canonical, k.weight, tf, at, norm),
      );
      for (const p of k.parts) v = Math.max(v, 0.9 * conceptMatch(p, k.weight, tf, at, norm));
      degrees[i] = v / k.weight;
      matched += v;
    }
    const coverage = matched / totalWeight;
    const score = coverage * (0.75 + (0.25 * bm25) / (bm25 + 8));
    out[ci] = { candidate: c, bm25, coverage, matched, degrees, score };
  }
  return out;
}

/** Final order: score, then kind and id so that ties break the same way everywhere. */
export function byScore(a: Scored, b: Scored): number {
  return b.score - a.score || b.bm25 - a.bm25 || a.candidate.id - b.candidate.id;
}

/**
 * Sorts `list` in place into byScore's order (a total order: ids are unique within a list), with
 * the three keys in typed arrays and a plain quicksort of indices — several times faster than
 * Array#sort calling byScore, and the same result.
 */
export function sortByScore(list: Scored[]): Scored[] {
  const n = list.length;
  if (n < 2) return list;
  const score = new Float64Array(n);
  const bm25 = new Float64Array(n);
  const id = new Float64Array(n);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = list[i]!;
    score[i] = s.score;
    bm25[i] = s.bm25;
    id[i] = s.candidate.position; // positions are in id order (docList is sorted by id)
    idx[i] = i;
  }
  /** Whether the item at i comes before the one at j. */
  const before = (i: number, j: number) =>
    score[i]! > score[j]! ||
    (score[i] === score[j] && (bm25[i]! > bm25[j]! || (bm25[i] === bm25[j] && id[i]! < id[j]!)));
  const stack: number[] = [0, n - 1];
  while (stack.length > 0) {
    const hi = stack.pop()!;
    const lo = stack.pop()!;
    if (hi - lo < 16) {
      for (let i = lo + 1; i <= hi; i++) {
        const x = idx[i]!;
        let j = i - 1;
        while (j >= lo && before(x, idx[j]!)) {
          idx[j + 1] = idx[j]!;
          j--;
        }
        idx[j + 1] = x;
      }
      continue;
    }
    // Median of three as the pivot, then Hoare partition.
    const mid = (lo + hi) >> 1;
    let a = idx[lo]!;
    let b = idx[mid]!;
    let c = idx[hi]!;
    if (before(b, a)) [a, b] = [b, a];
    if (before(c, b)) {
      [b, c] = [c, b];
      if (before(b, a)) [a, b] = [b, a];
    }
    const pivot = b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (before(idx[i]!, pivot)) i++;
      while (before(pivot, idx[j]!)) j--;
      if (i <= j) {
        const t = idx[i]!;
        idx[i] = idx[j]!;
        idx[j] = t;
        i++;
        j--;
      }
    }
    if (lo < j) stack.push(lo, j);
    if (i < hi) stack.push(i, hi);
  }
  const copy = list.slice();
  for (let k = 0; k < n; k++) list[k] = copy[idx[k]!]!;
  return list;
}

/** How a list of scored candidates is cut and ordered for one use (search, the resolver). */
export interface RankOptions {
  kinds: readonly IndexKind[];
  pool: number;
  minCoverage: number;
  prior?: (kind: IndexKind) => number;
}

/**
 * The candidates of a query, scored, those below `minCoverage` dropped, best first; `prior`
 * weighs a candidate's score by its kind (the resolver prefers some kinds of records).
 */
export function rankedCandidates(query: AnalyzedQuery, model: IndexModel, options: RankOptions): Scored[] {
  const candidates = findCandidates(query, model, options.kinds, options.pool);
  return rankScored(scoreCandidates(query, candidates, model), model, options, false);
}

/**
 * The scored candidates of a query for several uses at once (the search page asks the resolver
 * and search the same question): one pool, found and scored once for the union of their kinds;
 * each use then takes its own with rankScored(…, shared = true). The pool is the same as each use's
 * own (it is cut before kinds are filtered), so the results are the same as separate calls'.
 */
export function sharedCandidates(
  query: AnalyzedQuery,
  model: IndexModel,
  uses: ReadonlyArray<Pick<RankOptions, 'kinds' | 'pool'>>,
): Candidate[] {
  const pool = uses[0]?.pool ?? 0;
  if (uses.some((u) => u.pool !== pool))
    throw new Error('sharedCandidates: every use needs the same pool size');
  const kinds = [...new Set(uses.flatMap((u) => u.kinds))];
  return findCandidates(query, model, kinds, pool);
}

/**
 * Scored candidates of `options.kinds` with at least `minCoverage`, times the prior, best first.
 * With `shared`, the input is left as it is (the prior goes on copies).
 */
export function rankScored(
  all: Scored[],
  model: IndexModel,
  options: RankOptions,
  shared: boolean,
): Scored[] {
  const codes = columns(model).kindCode;
  let allowed = 0;
  for (const k of options.kinds) allowed |= 1 << kindCode(k);
  const scored: Scored[] = [];
  for (const s of all) {
    if (s.coverage >= options.minCoverage && allowed & (1 << codes[s.candidate.position]!)) scored.push(s);
  }
  const prior = options.prior;
  if (prior) {
    // The prior of each kind, looked up by the document's kind code.
    const byCode: number[] = [];
    for (const [kind, code] of KIND_CODES) byCode[code] = prior(kind);
    for (let i = 0; i < scored.length; i++) {
      const s = scored[i]!;
      const factor = byCode[codes[s.candidate.position]!]!;
      if (shared) scored[i] = { ...s, score: s.score * factor };
      else s.score *= factor;
    }
  }
  return sortByScore(scored);
}

/**
 * The work one page request shares between its uses (the search page asks search and the resolver
 * the same question): the analysis of the question's text, and the scored pool of an analysis.
 * Each use takes what it needs; the results are the same as separate calls'.
 */
export class SharedWork {
  private analyzed: { text: string; query: AnalyzedQuery } | null = null;
  private scored: { query: AnalyzedQuery; model: IndexModel; scores: Scored[] } | null = null;
  constructor(private readonly uses: ReadonlyArray<Pick<RankOptions, 'kinds' | 'pool'>>) {}

  /** analyzeQuery(text), once per normalised text. */
  analyze(text: string, analyze: (text: string) => AnalyzedQuery): AnalyzedQuery {
    const key = normalizeText(text);
    if (this.analyzed?.text !== key) this.analyzed = { text: key, query: analyze(text) };
    return this.analyzed.query;
  }

  /**
   * rankedCandidates(query, model, options), from one pool for all the uses: found once per set of
   * query terms (a question whose concepts differ only in weight has the same pool), scored once
   * per query.
   */
  ranked(query: AnalyzedQuery, model: IndexModel, options: RankOptions): Scored[] {
    if (!this.uses.some((u) => u.pool === options.pool && options.kinds.every((k) => u.kinds.includes(k)))) {
      return rankedCandidates(query, model, options);
    }
    if (this.scored?.query !== query || this.scored.model !== model) {
      const found =
        this.found?.terms === query.terms && this.found.model === model && sameTokens(this.found.query, query)
          ? this.found.candidates
          : sharedCandidates(query, model, this.uses);
      this.found = { terms: query.terms, query, model, candidates: found };
      this.scored = { query, model, scores: scoreCandidates(query, found, model) };
    }
    return rankScored(this.scored.scores, model, options, true);
  }
  private found: {
    terms: AnalyzedQuery['terms'];
    query: AnalyzedQuery;
    model: IndexModel;
    candidates: Candidate[];
  } | null = null;
}

/** Whether two analyses retrieve by the same tokens (their concepts' tokens are the same objects). */
function sameTokens(a: AnalyzedQuery, b: AnalyzedQuery): boolean {
  return (
    a.concepts.length === b.concepts.length &&
    a.concepts.every(
      (c, i) =>
        c.tokens === b.concepts[i]!.tokens &&
        c.canonicalTokens === b.concepts[i]!.canonicalTokens &&
        c.canonicalParts === b.concepts[i]!.canonicalParts,
    )
  );
}
