import { sql } from 'kysely';
import type { DbOrTx, DialectName } from '../../db/database.ts';
import { type ShareRole, shareRoles } from './resolve.shares.ts';
import { type IndexKind, indexGeneration, searchDb } from './search.index.ts';
import { type MentionPattern, mentionPatterns } from './search.mentions.ts';
import type { AnalyzedQuery } from './tokenize.ts';

/**
 * What search and the resolver share: the per-build model (document frequencies, names, phones),
 * candidate retrieval through the database's full-text index, and the app-side score that decides
 * the final order identically on SQLite and PostgreSQL.
 */

// ---------------------------------------------------------------------------------------------
// A small LRU for answers, dropped with the model when the index is rebuilt.

export class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, value: V): void {
    if (this.max <= 0) return;
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
}

export interface OfficeInfo {
  id: number;
  name: string;
  departmentId: number;
  /** The office's phone from the public services it handles (most frequent), or null. */
  phone: string | null;
}

/** One index document as kept in memory: its metadata and its tokens as vocabulary ids. */
export interface IndexDoc {
  id: number;
  kind: IndexKind;
  recordId: number;
  parentId: number | null;
  departmentId: number;
  officeId: number | null;
  officeInferred: boolean;
  title: string;
  url: string;
  /** Number of tokens. */
  length: number;
  /** Distinct token ids, ascending, and how often each occurs (same order). */
  termIds: Int32Array;
  termCounts: Int32Array;
}

/**
 * Everything query time needs that changes only when the index is rebuilt: the index documents
 * with their tokens (so that the database is asked only for matching ids and its rank), document
 * frequencies, names, phones. Loaded once per build; at city scale (≈9,500 documents, 1.1 million
 * tokens) it takes well under a second and a few megabytes.
 */
export interface IndexModel {
  buildId: string;
  documents: number;
  avgLength: number;
  docs: Map<number, IndexDoc>;
  vocab: Map<string, number>;
  df: Map<string, number>;
  departments: Map<number, string>;
  offices: Map<number, OfficeInfo>;
  /** Offices of each public service in order, with the phone that goes with each. */
  servicePhones: Map<number, Array<{ officeId: number | null; phone: string }>>;
  matters: Map<number, string>;
  /** Boundary matter → the department whose list it belongs to. */
  matterOwners: Map<number, number>;
  /**
   * A department's complaint line: its public service for 举报/投诉 with a published phone (衡水市商务局:
   * "受理商务举报、投诉、申诉、咨询", 商务综合执法监督局, 12312, source line 2061–2064).
   */
  complaintLines: Map<number, { phone: string; service: string; office: string | null; url: string }>;
  duties: Map<number, number>;
  /** Finds department names in questions (商务局, 市场监管部门, 商务这块). */
  departmentMentions: MentionPattern[];
  /** Boundary shares by id: their matter, whether they lead it, which acts they do (resolve.shares.ts). */
  shareRoles: Map<number, ShareRole>;
  cache: Lru<unknown>;
}

/** Words that, after a department's name, make it a mention in a question. */
const QUESTION_DEPARTMENT_WORDS = ['这块', '这边', '那边', '方面', '的人', '口'];

/** Answer cache size per database; 0 disables caching (benchmarks of the uncached path). */
let cacheSize = 2000;

export function setSearchCacheSize(size: number): void {
  cacheSize = size;
  models = new WeakMap();
}

interface ModelSlot {
  model?: IndexModel;
  loading?: Promise<IndexModel>;
  buildId?: string;
  /** When, and at which indexGeneration(), the index state was last read. */
  checkedAt?: number;
  checkedGeneration?: number;
}

let models = new WeakMap<object, ModelSlot>();

async function loadModel(db: DbOrTx, state: { build_id: string }): Promise<IndexModel> {
  const sdb = searchDb(db);
  const [rows, departments, aliases, offices, services, serviceOffices, phones, matters, duties, shares] =
    await Promise.all([
      sdb
        .selectFrom('search_documents')
        .select([
          'id',
          'kind',
          'record_id',
          'parent_id',
          'department_id',
          'office_id',
          'office_inferred',
          'title',
          'url',
          'tokens',
        ])
        .execute(),
      db.selectFrom('departments').select(['id', 'name']).execute(),
      db.selectFrom('department_aliases').select(['department_id', 'alias']).execute(),
      db.selectFrom('offices').select(['id', 'name', 'department_id', 'is_group']).execute(),
      db.selectFrom('public_services').select(['id']).orderBy('seq').orderBy('id').execute(),
      db
        .selectFrom('service_offices')
        .select(['service_id', 'office_id', 'position'])
        .orderBy('position')
        .execute(),
      db
        .selectFrom('service_phones')
        .select(['service_id', 'phone', 'position'])
        .orderBy('position')
        .execute(),
      db.selectFrom('boundary_matters').select(['id', 'name', 'department_id']).execute(),
      db.selectFrom('duties').select(['id', 'seq']).execute(),
      db
        .selectFrom('boundary_shares')
        .select(['id', 'matter_id', 'position', 'department_id', 'text'])
        .execute(),
    ]);
  // Office → phone: a service with as many phones as offices pairs them in order (外国投资管理和
  // 对外经济合作科、招商引资管理科 / 2127065、2990862); with one phone, every office gets it.
  const servicePhones = new Map<number, Array<{ officeId: number | null; phone: string }>>();
  const phoneVotes = new Map<number, Map<string, number>>();
  for (const s of services) {
    const os = serviceOffices.filter((o) => o.service_id === s.id).map((o) => o.office_id);
    const ps = phones.filter((p) => p.service_id === s.id).map((p) => p.phone);
    let pairs: Array<{ officeId: number | null; phone: string }>;
    if (os.length > 0 && os.length === ps.length) pairs = os.map((o, i) => ({ officeId: o, phone: ps[i]! }));
    else if (ps.length === 1) pairs = (os.length ? os : [null]).map((o) => ({ officeId: o, phone: ps[0]! }));
    else pairs = ps.map((p, i) => ({ officeId: os[i] ?? null, phone: p }));
    servicePhones.set(s.id, pairs);
    for (const p of pairs) {
      if (p.officeId === null) continue;
      const votes = phoneVotes.get(p.officeId) ?? new Map<string, number>();
      votes.set(p.phone, (votes.get(p.phone) ?? 0) + 1);
      phoneVotes.set(p.officeId, votes);
    }
  }
  const officeMap = new Map<number, OfficeInfo>();
  for (const o of offices) {
    const votes = [...(phoneVotes.get(o.id) ?? new Map<string, number>()).entries()].sort(
      (a, b) => b[1] - a[1],
    );
    officeMap.set(o.id, {
      id: o.id,
      name: o.name,
      departmentId: o.department_id,
      phone: votes[0]?.[0] ?? null,
    });
  }
  const vocab = new Map<string, number>();
  const dfById: number[] = [];
  const docs = new Map<number, IndexDoc>();
  let totalLength = 0;
  for (const r of rows) {
    const parts = r.tokens.split(' ').filter(Boolean);
    const counts = new Map<number, number>();
    for (const t of parts) {
      let v = vocab.get(t);
      if (v === undefined) {
        v = vocab.size;
        vocab.set(t, v);
        dfById.push(0);
      }
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const termIds = Int32Array.from(counts.keys()).sort();
    const termCounts = Int32Array.from(termIds, (v) => counts.get(v)!);
    for (const v of termIds) dfById[v]!++;
    totalLength += parts.length;
    const id = Number(r.id);
    docs.set(id, {
      id,
      kind: r.kind,
      recordId: Number(r.record_id),
      parentId: r.parent_id === null ? null : Number(r.parent_id),
      departmentId: Number(r.department_id),
      officeId: r.office_id === null ? null : Number(r.office_id),
      officeInferred: Number(r.office_inferred) === 1,
      title: r.title,
      url: r.url,
      length: parts.length,
      termIds,
      termCounts,
    });
  }
  const model: IndexModel = {
    buildId: state.build_id,
    documents: docs.size,
    avgLength: docs.size ? totalLength / docs.size : 1,
    docs,
    vocab,
    df: new Map([...vocab.entries()].map(([t, v]) => [t, dfById[v]!])),
    departments: new Map(departments.map((d) => [d.id, d.name])),
    offices: officeMap,
    servicePhones,
    matters: new Map(matters.map((m) => [m.id, m.name])),
    matterOwners: new Map(matters.map((m) => [m.id, m.department_id])),
    complaintLines: complaintLines(docs, servicePhones, officeMap),
    duties: new Map(duties.map((d) => [d.id, d.seq])),
    departmentMentions: mentionPatterns(departments, aliases, QUESTION_DEPARTMENT_WORDS),
    shareRoles: shareRoles(shares),
    cache: new Lru(cacheSize),
  };
  return model;
}

/** Words of a public service's name that make it a department's complaint line. */
const COMPLAINT_SERVICE_WORDS = ['投诉', '举报'];

function complaintLines(
  docs: Map<number, IndexDoc>,
  servicePhones: IndexModel['servicePhones'],
  offices: Map<number, OfficeInfo>,
): IndexModel['complaintLines'] {
  const out: IndexModel['complaintLines'] = new Map();
  const services = [...docs.values()]
    .filter((d) => d.kind === 'service' && COMPLAINT_SERVICE_WORDS.some((w) => d.title.includes(w)))
    .sort((a, b) => a.recordId - b.recordId);
  for (const d of services) {
    const phone = servicePhones.get(d.recordId)?.[0];
    if (!phone || out.has(d.departmentId)) continue;
    const office = phone.officeId !== null ? (offices.get(phone.officeId)?.name ?? null) : null;
    out.set(d.departmentId, { phone: phone.phone, service: d.title, office, url: d.url });
  }
  return out;
}

/**
 * How long a check of the index state is trusted. A rebuild in this process is seen at once (it
 * bumps indexGeneration); one made by another process (another server on the same PostgreSQL
 * database) within this delay. Saves a database round trip on most requests.
 */
const STATE_RECHECK_MS = 1000;

/** The model of the current index build, loaded once per build; null when no index exists yet. */
export async function currentModel(db: DbOrTx): Promise<IndexModel | null> {
  let slot = models.get(db);
  if (!slot) {
    slot = {};
    models.set(db, slot);
  }
  const now = Date.now();
  if (
    slot.model &&
    !db.isTransaction &&
    slot.checkedGeneration === indexGeneration() &&
    now - (slot.checkedAt ?? 0) < STATE_RECHECK_MS
  ) {
    return slot.model;
  }
  const generation = indexGeneration();
  const state = await searchDb(db)
    .selectFrom('search_index_state')
    .select(['build_id'])
    .where('id', '=', 1)
    .executeTakeFirst();
  if (!state) return null;
  const s = slot;
  s.checkedAt = now;
  s.checkedGeneration = generation;
  if (s.model?.buildId === state.build_id) return s.model;
  if (s.loading && s.buildId === state.build_id) return s.loading;
  s.buildId = state.build_id;
  const loading = loadModel(db, state).then((m) => {
    if (s.buildId === m.buildId) s.model = m;
    return m;
  });
  s.loading = loading;
  return loading;
}

// ---------------------------------------------------------------------------------------------
// Candidates from the full-text index

/** A document that matches the query, with the frequencies of the query's tokens in it. */
export interface Candidate extends Omit<IndexDoc, 'termIds' | 'termCounts'> {
  /** Frequencies of the query's tokens only (the others do not matter for scoring). */
  tf: Map<string, number>;
  /** The database's own relevance (bm25 on SQLite, ts_rank on PostgreSQL), larger is better. */
  rank: number;
}

/** A token in more than this share of the documents is not worth asking the database for. */
const COMMON_TOKEN_SHARE = 0.05;

/**
 * Tokens worth asking the database for: per concept, its tokens present in the index and not
 * common (in at most 5% of the documents); a concept with only common tokens contributes its
 * rarest one. Documents are still scored on all the query's tokens.
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

/**
 * Documents containing any of the query's index tokens, as found by the database's full-text
 * index (FTS5 MATCH / tsvector @@ tsquery) and ordered by its ranking function (bm25 / ts_rank),
 * at most `pool` of them; the rest comes from the in-memory model. Tokens are letters and digits
 * only (tokenize.ts), so quoting them is safe on both databases. When more than `pool` documents
 * match, the two ranking functions may keep slightly different pools; below that, both databases
 * give exactly the same candidates.
 */
export async function findCandidates(
  db: DbOrTx,
  dialect: DialectName,
  query: AnalyzedQuery,
  model: IndexModel,
  kinds: readonly IndexKind[],
  pool: number,
): Promise<Candidate[]> {
  const safe = matchTokens(query, model).filter((t) => /^[\p{L}\p{N}]+$/u.test(t));
  if (safe.length === 0 || kinds.length === 0) return [];
  let rows: Array<{ id: number; rank: number }>;
  if (dialect === 'sqlite') {
    const match = safe.map((t) => `"${t}"`).join(' OR ');
    const r = await sql<{ id: number; rank: number }>`
      select rowid as id, -bm25(search_fts) as rank from search_fts
      where search_fts match ${match}
      order by bm25(search_fts), rowid
      limit ${pool}`.execute(db);
    rows = r.rows;
  } else {
    const expr = safe.join(' | ');
    const r = await sql<{ id: number; rank: number }>`
      select d.id, ts_rank(d.tsv, q) as rank
      from search_documents d, to_tsquery('simple', ${expr}) q
      where d.tsv @@ q
      order by rank desc, d.id
      limit ${pool}`.execute(db);
    rows = r.rows;
  }
  const wanted: Array<[number, string]> = [];
  for (const t of query.terms) {
    const v = model.vocab.get(t.token);
    if (v !== undefined) wanted.push([v, t.token]);
  }
  const allowed = new Set(kinds);
  const out: Candidate[] = [];
  for (const r of rows) {
    const doc = model.docs.get(Number(r.id));
    if (!doc || !allowed.has(doc.kind)) continue;
    const tf = new Map<string, number>();
    for (const [v, t] of wanted) {
      const i = binarySearch(doc.termIds, v);
      if (i >= 0) tf.set(t, doc.termCounts[i]!);
    }
    out.push({
      id: doc.id,
      kind: doc.kind,
      recordId: doc.recordId,
      parentId: doc.parentId,
      departmentId: doc.departmentId,
      officeId: doc.officeId,
      officeInferred: doc.officeInferred,
      title: doc.title,
      url: doc.url,
      length: doc.length,
      tf,
      rank: Number(r.rank),
    });
  }
  return out;
}

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

/** The display text of the given index documents (only those that are presented). */
export async function loadBodies(db: DbOrTx, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await searchDb(db)
    .selectFrom('search_documents')
    .select(['id', 'body'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [Number(r.id), r.body]));
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

const K1 = 1.2;
const B = 0.75;

export function idfOf(model: IndexModel, token: string): number {
  const df = model.df.get(token) ?? 0;
  return Math.log(1 + (model.documents - df + 0.5) / (df + 0.5));
}

/**
 * How much of a concept a document contains, and what that part is worth:
 *   - the whole word (or, for a word of one or two characters, the word itself): share 1, full weight;
 *   - otherwise the share of the word's characters covered by bigrams found in the document (none
 *     below half), worth no more than its best matched bigram — 报社记者 found only as 记者 is
 *     worth what 记者 is worth.
 * The share is scaled by a BM25-style saturation of the frequency against the document's length:
 * a long regime mentioning a word once in passing is not about it; one repeating it is.
 */
function conceptMatch(
  tokens: string[],
  weight: number,
  parts: Map<string, number> | null,
  tf: Map<string, number>,
  norm: number,
): number {
  const word = tokens[0];
  if (word === undefined) return 0;
  const chars = [...word];
  let freq = 0;
  let share = 0;
  let worth = weight;
  if (chars.length >= 3 && tf.has(word)) {
    share = 1;
    freq = tf.get(word)!;
  } else if (chars.length <= 2 || tokens.length === 1) {
    freq = tf.get(word) ?? 0;
    share = freq > 0 ? 1 : 0;
  } else {
    const covered = new Array<boolean>(chars.length).fill(false);
    let best = 0;
    for (let i = 0; i + 1 < chars.length; i++) {
      const b = chars[i]! + chars[i + 1]!;
      const f = tf.get(b);
      if (!f) continue;
      covered[i] = true;
      covered[i + 1] = true;
      freq = Math.max(freq, f);
      best = Math.max(best, parts?.get(b) ?? weight);
    }
    share = covered.filter(Boolean).length / chars.length;
    worth = Math.min(weight, best);
  }
  if (share < 0.5 || freq === 0) return 0;
  return worth * share * Math.min(1, (freq * (K1 + 1)) / (freq + norm));
}

/** Scores candidates for a query; the same inputs give the same numbers on both databases. */
export function scoreCandidates(query: AnalyzedQuery, candidates: Candidate[], model: IndexModel): Scored[] {
  const idf = new Map(query.terms.map((t) => [t.token, idfOf(model, t.token)]));
  // Coverage is measured against the question's Chinese words and whatever else the index could
  // match at all: a Chinese word found nowhere in the lists (冰雪) says the question is about
  // something else; a stray Latin word (an English "and") neither helps nor dilutes.
  const counts = (c: AnalyzedQuery['concepts'][number]) =>
    /\p{Script=Han}/u.test(c.text) ||
    [...c.tokens, ...c.canonicalTokens, ...c.canonicalParts].some((t) => (model.df.get(t) ?? 0) > 0);
  const totalWeight = query.concepts.reduce((a, c) => a + (counts(c) ? c.weight : 0), 0) || 1;
  return candidates.map((c) => {
    let bm25 = 0;
    const norm = K1 * (1 - B + (B * c.length) / model.avgLength);
    for (const t of query.terms) {
      const f = c.tf.get(t.token);
      if (!f) continue;
      bm25 += t.weight * idf.get(t.token)! * ((f * (K1 + 1)) / (f + norm));
    }
    const values = query.concepts.map((k) =>
      Math.max(
        conceptMatch(k.tokens, k.weight, k.partWeights, c.tf, norm),
        0.9 * conceptMatch(k.canonicalTokens, k.weight, k.canonicalPartWeights, c.tf, norm),
        ...k.canonicalParts.map((p) => 0.9 * conceptMatch([p], k.weight, null, c.tf, norm)),
      ),
    );
    const degrees = values.map((v, i) => v / query.concepts[i]!.weight);
    const matched = values.reduce((a, v) => a + v, 0);
    const coverage = matched / totalWeight;
    const score = coverage * (0.75 + (0.25 * bm25) / (bm25 + 8));
    return { candidate: c, bm25, coverage, matched, degrees, score };
  });
}

/** Final order: score, then kind and id so that ties break the same way everywhere. */
export function byScore(a: Scored, b: Scored): number {
  return b.score - a.score || b.bm25 - a.bm25 || a.candidate.id - b.candidate.id;
}

/**
 * The candidates of a query, scored, those below `minCoverage` dropped, best first; `prior`
 * weighs a candidate's score by its kind (the resolver prefers some kinds of records).
 */
export async function rankedCandidates(
  db: DbOrTx,
  dialect: DialectName,
  query: AnalyzedQuery,
  model: IndexModel,
  options: {
    kinds: readonly IndexKind[];
    pool: number;
    minCoverage: number;
    prior?: (kind: IndexKind) => number;
  },
): Promise<Scored[]> {
  const candidates = await findCandidates(db, dialect, query, model, options.kinds, options.pool);
  const prior = options.prior;
  return scoreCandidates(query, candidates, model)
    .filter((s) => s.coverage >= options.minCoverage)
    .map((s) => (prior ? { ...s, score: s.score * prior(s.candidate.kind) } : s))
    .sort(byScore);
}
