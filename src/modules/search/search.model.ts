import type { DbOrTx } from '../../db/database.ts';
import { buildRegister, flagsOf, type RegisterEntry } from '../../lib/legal-citations.ts';
import { type ShareRole, shareRoles, sharesByMatter } from './resolve.shares.ts';
import { type IndexKind, indexGeneration, searchDb } from './search.index.ts';
import { type MentionPattern, mentionPatterns } from './search.mentions.ts';
import { buildPostings, type Postings } from './search.postings.ts';

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
  /** The display text (quoted in answers, cut into snippets). */
  body: string;
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
  /** The documents in rowid order (their positions in `postings`). */
  docList: IndexDoc[];
  /** Token id → documents: candidate retrieval in memory (search.postings.ts). */
  postings: Postings;
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
  /** The shares of each boundary matter, in list order. */
  matterShares: Map<number, ShareRole[]>;
  /**
   * Index document → the warnings of the register of legal instruments for its record (a boundary
   * share or case also carries those of its matter's legal bases), e.g. 依据《中华人民共和国外资企业法》
   * 已于2020-01-01废止…: the resolver's reason repeats them. Read at load; the registry rebuilds the
   * index when the register changes.
   */
  legalNotes: Map<number, string[]>;
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
          'body',
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
      body: r.body,
      length: parts.length,
      termIds,
      termCounts,
    });
  }
  const docList = [...docs.values()].sort((a, b) => a.id - b.id);
  const roles = shareRoles(shares);
  const legalNotes = await legalNotesOf(db, docList, matters);
  const model: IndexModel = {
    buildId: state.build_id,
    documents: docs.size,
    avgLength: docs.size ? totalLength / docs.size : 1,
    docs,
    docList,
    postings: buildPostings(docList, vocab.size),
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
    shareRoles: roles,
    matterShares: sharesByMatter(roles),
    legalNotes,
    cache: new Lru(cacheSize),
  };
  return model;
}

/** The register's warnings per index document (see IndexModel.legalNotes). */
async function legalNotesOf(
  db: DbOrTx,
  docList: readonly IndexDoc[],
  matters: ReadonlyArray<{ id: number; name: string }>,
): Promise<Map<number, string[]>> {
  const [instruments, names, bases] = await Promise.all([
    db.selectFrom('legal_instruments').selectAll().orderBy('id').execute(),
    db.selectFrom('legal_instrument_names').select(['instrument_id', 'name', 'kind']).orderBy('id').execute(),
    db.selectFrom('legal_bases').select(['matter_id', 'text']).orderBy('position').execute(),
  ]);
  const out = new Map<number, string[]>();
  if (instruments.length === 0) return out;
  const titles = new Map(instruments.map((i) => [i.id, i.title]));
  const register = buildRegister(
    instruments.map((i) => ({
      id: i.id,
      title: i.title,
      status: i.status as RegisterEntry['status'],
      statusDate: i.status_date,
      docNumber: i.doc_number,
      successorTitle: i.successor_id !== null ? (titles.get(i.successor_id) ?? null) : null,
      successorRelation: i.successor_relation as RegisterEntry['successorRelation'],
      affectsLists: i.affects_lists === 1,
      note: i.note,
      aliases: names.filter((n) => n.instrument_id === i.id && n.kind === 'alias').map((n) => n.name),
      subjects: names.filter((n) => n.instrument_id === i.id && n.kind === 'subject').map((n) => n.name),
    })),
  );
  const matterName = new Map(matters.map((m) => [m.id, m.name]));
  const matterTexts = new Map<number, string[]>();
  for (const b of bases) matterTexts.set(b.matter_id, [...(matterTexts.get(b.matter_id) ?? []), b.text]);
  for (const d of docList) {
    const ofMatter = d.kind === 'share' || d.kind === 'case' || d.kind === 'caseClause';
    const texts =
      ofMatter && d.parentId !== null
        ? [d.body, matterName.get(d.parentId), ...(matterTexts.get(d.parentId) ?? [])]
        : [d.title, d.body];
    const flags = flagsOf(texts, register);
    if (flags.length)
      out.set(
        d.id,
        flags.map((f) => f.message),
      );
  }
  return out;
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
// Candidates (search.score.ts finds and scores them)

/** A document that matches the query, with the frequencies of the query's tokens in it. */
export interface Candidate extends Omit<IndexDoc, 'termIds' | 'termCounts' | 'body'> {
  /** The document's place in the model's docList (and in its postings). */
  position: number;
  /** Frequency in the document of each of the query's terms (query.terms order; 0: absent). */
  readonly tf: Int32Array;
  /** The same, as a slice of the query's buffer of all candidates' frequencies: freqs[tfAt + i]. */
  freqs: Int32Array;
  tfAt: number;
  /** FTS5's bm25 of the document for the query's index tokens (search.postings.ts), larger is better. */
  rank: number;
}

/** The display text of the given index documents (only those that are presented), from the model. */
export function bodiesOf(model: IndexModel, ids: number[]): Map<number, string> {
  return new Map(ids.map((id) => [id, model.docs.get(id)?.body ?? '']));
}

export type { Scored } from './search.score.ts';
export {
  byScore,
  matchTokens,
  rankedCandidates,
  SharedWork,
  scoreCandidates,
  sortByScore,
} from './search.score.ts';
