import type { DbOrTx, DialectName } from '../../db/database.ts';
import type { IndexKind } from './search.index.ts';
import type { IndexModel, Scored } from './search.model.ts';
import { bodiesOf, byScore, currentModel, rankedCandidates, type SharedWork } from './search.model.ts';
import type { SearchHit, SearchKind, SearchResult } from './search.types.ts';
import { type AnalyzedQuery, analyzeQuery, normalizeText, normalizeWithMap } from './tokenize.ts';

/**
 * Full-text search across the four lists: candidates from the per-build postings in memory (the
 * pool FTS5's bm25 gives; search.postings.ts), re-scored in the application (coverage of the
 * query's concepts × BM25 with the index's own document frequencies), grouped by kind, with
 * highlighted snippets. The database (`dialect`) is asked only for the index state.
 */

export const SEARCH_KINDS: readonly SearchKind[] = ['workItem', 'duty', 'share', 'case', 'regime', 'service'];

export const KIND_LABELS: Record<SearchKind, string> = {
  workItem: '具体工作事项',
  duty: '主要职责',
  share: '职责分工',
  case: '案例',
  regime: '事中事后监管制度',
  service: '公共服务事项',
};

/** A record must cover at least this share of the query (weighted concepts) to be a hit. */
export const SEARCH_MIN_COVERAGE = 0.3;
/** At most this many documents matching the query are scored (the best by FTS5's bm25). */
const CANDIDATE_POOL = 500;
const SNIPPET_CHARS = 90;

export interface SearchOptions {
  /** Hits returned per kind (counts always cover all hits); default 10. */
  limitPerKind?: number;
}

function emptyCounts(): Record<SearchKind, number> {
  return { workItem: 0, duty: 0, share: 0, case: 0, regime: 0, service: 0 };
}

export async function searchRegistry(
  db: DbOrTx,
  _dialect: DialectName,
  q: string,
  opts: SearchOptions = {},
): Promise<SearchResult> {
  return searchIn(await currentModel(db), q, opts);
}

/** What search asks of the candidate pool (SharedWork lets the search page share it with the resolver). */
export const SEARCH_USE = { kinds: SEARCH_KINDS as readonly IndexKind[], pool: CANDIDATE_POOL };

/** searchRegistry on a loaded model; `work` shares the analysis and the pool with other uses. */
export function searchIn(
  model: IndexModel | null,
  q: string,
  opts: SearchOptions = {},
  work?: SharedWork,
): SearchResult {
  const limit = Math.max(1, Math.min(100, opts.limitPerKind ?? 10));
  const key = `s\u0000${limit}\u0000${normalizeText(q)}`;
  const cached = model?.cache.get(key) as SearchResult | undefined;
  if (cached) return { ...cached, query: q };
  const query = work ? work.analyze(q, analyzeQuery) : analyzeQuery(q);
  if (!model) return { query: q, tokens: displayTokens(query), total: 0, counts: emptyCounts(), groups: [] };
  const result = searchUncached(q, query, model, limit, work);
  model.cache.set(key, result);
  return result;
}

function searchUncached(
  q: string,
  query: AnalyzedQuery,
  model: IndexModel,
  limit: number,
  work?: SharedWork,
): SearchResult {
  const counts = emptyCounts();
  const tokens = displayTokens(query);
  if (query.concepts.length === 0) return { query: q, tokens, total: 0, counts, groups: [] };
  const options = { ...SEARCH_USE, minCoverage: SEARCH_MIN_COVERAGE };
  const hits = work ? work.ranked(query, model, options) : rankedCandidates(query, model, options);
  const byKind = new Map<SearchKind, Scored[]>();
  for (const s of hits) {
    const kind = s.candidate.kind as SearchKind;
    counts[kind]++;
    const list = byKind.get(kind) ?? [];
    if (list.length < limit) list.push(s);
    byKind.set(kind, list);
  }
  const shown = [...byKind.entries()].sort((a, b) => byScore(a[1][0]!, b[1][0]!));
  const bodies = bodiesOf(
    model,
    shown.flatMap(([, list]) => list.map((s) => s.candidate.id)),
  );
  const groups = shown.map(([kind, list]) => ({
    kind,
    label: KIND_LABELS[kind],
    hits: list.map((s) => presentHit(s, query, model, bodies.get(s.candidate.id) ?? '')),
  }));
  return { query: q, tokens, total: hits.length, counts, groups };
}

/** The concepts as typed, each followed by its canonical term when the synonym table has one. */
function displayTokens(query: AnalyzedQuery): string[] {
  const out: string[] = [];
  for (const c of query.concepts) {
    out.push(c.text);
    if (c.canonical) out.push(c.canonical);
  }
  return [...new Set(out)];
}

function presentHit(s: Scored, query: AnalyzedQuery, model: IndexModel, body: string): SearchHit {
  const c = s.candidate;
  const kind = c.kind as SearchKind;
  const office =
    c.officeId !== null && !c.officeInferred ? (model.offices.get(c.officeId)?.name ?? null) : null;
  return {
    kind,
    id: c.recordId,
    title: c.title,
    snippet: snippet(body, highlightTerms(query, c.tf)),
    department: model.departments.get(c.departmentId) ?? '',
    office,
    url: c.url,
    score: Math.round(s.score * 10_000) / 10_000,
  };
}

/** Strings to highlight: the query's tokens that this record contains (bigrams cover words). */
function highlightTerms(query: AnalyzedQuery, tf: Int32Array): string[] {
  const single = query.concepts.every((c) => [...c.text].length === 1);
  const out = new Set<string>();
  for (const [i, t] of query.terms.entries()) {
    if (!(tf[i]! > 0)) continue;
    if ([...t.token].length >= 2 || single) out.add(t.token);
  }
  return [...out];
}

/**
 * The record's text as segments, matches flagged, cut to a window around the densest matches.
 * Matching runs on the normalised text; segments are cut from the original text.
 */
export function snippet(text: string, terms: string[], width = SNIPPET_CHARS): SearchHit['snippet'] {
  const { text: norm, map } = normalizeWithMap(text);
  const ranges: Array<[number, number]> = [];
  for (const t of terms) {
    if (!t) continue;
    let i = norm.indexOf(t);
    while (i !== -1) {
      ranges.push(map ? [map[i]!, map[i + t.length]!] : [i, i + t.length]);
      i = norm.indexOf(t, i + 1);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  // Window: the start (at a match) that covers the most matched characters within `width`.
  let from = 0;
  let to = text.length;
  if (text.length > width) {
    let bestStart = merged[0]?.[0] ?? 0;
    let bestCover = -1;
    for (const m of merged) {
      const start = m[0];
      let cover = 0;
      for (const r of merged) {
        if (r[0] >= start && r[0] < start + width) cover += Math.min(r[1], start + width) - r[0];
      }
      if (cover > bestCover) {
        bestCover = cover;
        bestStart = start;
      }
    }
    from = Math.max(0, Math.min(bestStart - Math.floor(width / 5), text.length - width));
    to = Math.min(text.length, from + width);
  }
  const segments: SearchHit['snippet'] = [];
  const push = (t: string, match: boolean) => {
    if (!t) return;
    const last = segments[segments.length - 1];
    if (last && last.match === match) last.text += t;
    else segments.push({ text: t, match });
  };
  if (from > 0) push('…', false);
  let cursor = from;
  for (const [a, b] of merged) {
    if (b <= from || a >= to) continue;
    const s = Math.max(a, from);
    const e = Math.min(b, to);
    push(text.slice(cursor, s), false);
    push(text.slice(s, e), true);
    cursor = e;
  }
  push(text.slice(cursor, to), false);
  if (to < text.length) push('…', false);
  return segments;
}
