import { randomUUID } from 'node:crypto';
import { type Generated, type Kysely, sql } from 'kysely';
import type { Database, DbOrTx, DialectName } from '../../db/database.ts';
import { nowIso } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import { shorten } from '../../lib/text.ts';
import { urls } from '../../views/portal/urls.ts';
import { mentionPatterns, splitCase } from './search.mentions.ts';
import { contentWords, generalIdf, tokenizeDocument } from './tokenize.ts';

/**
 * The search index: derived from the registry, rebuilt wholesale in the caller's transaction
 * (the importer calls it at the end of its transaction; staff publishing changes call it too).
 * Tables are created by migration 002_search.
 */

/** Kinds stored in search_documents: the public kinds plus the clauses of boundary cases. */
export type IndexKind = 'workItem' | 'duty' | 'share' | 'case' | 'caseClause' | 'regime' | 'service';

export interface SearchDocumentTable {
  id: Generated<number>;
  kind: IndexKind;
  record_id: number;
  /** Duty of a work item; matter of a share, case or case clause; null otherwise. */
  parent_id: number | null;
  /** The department the record assigns the matter to (for a case clause: the one it names). */
  department_id: number;
  office_id: number | null;
  /** 1 when office_id is inferred from the duty list (closest work item), not written in the record. */
  office_inferred: number;
  title: string;
  body: string;
  url: string;
  /** Space-joined tokens (see tokenize.ts); FTS5 and tsvector index this column. */
  tokens: string;
}

export interface SearchIndexStateTable {
  id: number;
  build_id: string;
  built_at: string;
  documents: number;
  avg_length: number;
}

export type SearchTables = {
  search_documents: SearchDocumentTable;
  search_index_state: SearchIndexStateTable;
};

export type SearchDb = Kysely<DB & SearchTables>;

/** The database (or transaction) seen with the search tables. */
export function searchDb(db: DbOrTx): SearchDb {
  return (db as Kysely<DB>).withTables<SearchTables>();
}

// ---------------------------------------------------------------------------------------------
// Building the documents

interface DocRow extends Omit<SearchDocumentTable, 'id' | 'tokens'> {
  tokens: string[];
  /** Text to infer an office from (records that name only a department). */
  inferFrom?: string;
  /** A longer text to try when inferFrom finds nothing. */
  inferFallback?: string;
  /** Text to compare with when inferring offices (work items, services). */
  inferText?: string;
}

const clip = shorten;

/**
 * Infers an office for records that name only a department: the office of the department's work
 * item (or public service) that shares the most specific words with the record's text — words
 * weighted by how rare they are among the department's items and in general language. Returns
 * null when no item shares at least one specific word.
 */
function officeInferrer(docs: DocRow[]) {
  const byDept = new Map<number, Array<{ office: number; words: Set<string> }>>();
  for (const d of docs) {
    if ((d.kind !== 'workItem' && d.kind !== 'service') || d.office_id === null) continue;
    const list = byDept.get(d.department_id) ?? [];
    list.push({ office: d.office_id, words: new Set(contentWords(d.inferText ?? d.body)) });
    byDept.set(d.department_id, list);
  }
  const dfByDept = new Map<number, Map<string, number>>();
  for (const [dept, list] of byDept) {
    const df = new Map<string, number>();
    for (const it of list) for (const t of it.words) df.set(t, (df.get(t) ?? 0) + 1);
    dfByDept.set(dept, df);
  }
  return (departmentId: number, text: string): number | null => {
    const list = byDept.get(departmentId);
    const df = dfByDept.get(departmentId);
    if (!list || !df) return null;
    const n = list.length;
    const weight = new Map<string, number>();
    for (const w of contentWords(text)) {
      const f = df.get(w);
      if (f === undefined) continue;
      const local = Math.log(1 + (n - f + 0.5) / (f + 0.5));
      const general = Math.min(1, Math.max(0, (generalIdf(w) - 5) / 5));
      weight.set(w, local * general);
    }
    const scores = new Map<number, number>();
    for (const it of list) {
      let score = 0;
      for (const [w, v] of weight) if (it.words.has(w)) score += v;
      scores.set(it.office, Math.max(scores.get(it.office) ?? 0, score));
    }
    const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1]);
    const best = ranked[0];
    // One specific word (rare among the items, not a common word) is enough; a tie is not.
    if (!best || best[1] < INFER_MIN_SCORE) return null;
    if (ranked[1] && ranked[1][1] >= best[1] * 0.999) return null;
    return best[0];
  };
}

const INFER_MIN_SCORE = 1.5;

async function buildDocuments(db: DbOrTx): Promise<DocRow[]> {
  const [
    departments,
    aliases,
    offices,
    duties,
    items,
    itemOffices,
    matters,
    shares,
    cases,
    regimes,
    sections,
    checks,
    services,
    serviceOffices,
    servicePhones,
  ] = await Promise.all([
    db.selectFrom('departments').select(['id', 'name']).orderBy('id').execute(),
    db.selectFrom('department_aliases').select(['department_id', 'alias']).orderBy('id').execute(),
    db.selectFrom('offices').select(['id', 'name', 'is_group', 'department_id']).orderBy('id').execute(),
    db.selectFrom('duties').select(['id', 'department_id', 'seq', 'text']).orderBy('id').execute(),
    db.selectFrom('work_items').select(['id', 'duty_id', 'text', 'remark']).orderBy('id').execute(),
    db
      .selectFrom('work_item_offices')
      .select(['work_item_id', 'office_id', 'position'])
      .orderBy('work_item_id')
      .orderBy('position')
      .execute(),
    db.selectFrom('boundary_matters').select(['id', 'department_id', 'name']).orderBy('id').execute(),
    db
      .selectFrom('boundary_shares')
      .select(['id', 'matter_id', 'department_id', 'text'])
      .orderBy('id')
      .execute(),
    db.selectFrom('boundary_cases').select(['id', 'matter_id', 'text']).orderBy('id').execute(),
    db.selectFrom('regimes').select(['id', 'department_id', 'title', 'intro']).orderBy('id').execute(),
    db
      .selectFrom('regime_sections')
      .select(['regime_id', 'heading', 'body'])
      .orderBy('regime_id')
      .orderBy('position')
      .execute(),
    db
      .selectFrom('regime_check_items')
      .select(['regime_id', 'text'])
      .orderBy('regime_id')
      .orderBy('position')
      .execute(),
    db
      .selectFrom('public_services')
      .select(['id', 'department_id', 'name', 'content'])
      .orderBy('id')
      .execute(),
    db
      .selectFrom('service_offices')
      .select(['service_id', 'office_id', 'position'])
      .orderBy('service_id')
      .orderBy('position')
      .execute(),
    db
      .selectFrom('service_phones')
      .select(['service_id', 'phone'])
      .orderBy('service_id')
      .orderBy('position')
      .execute(),
  ]);
  const deptName = new Map(departments.map((d) => [d.id, d.name]));
  const officeById = new Map(offices.map((o) => [o.id, o]));
  const dutyById = new Map(duties.map((d) => [d.id, d]));
  const matterById = new Map(matters.map((m) => [m.id, m]));
  const firstOffice = (links: Array<{ office_id: number }>): number | null => {
    const real = links.find((l) => officeById.get(l.office_id)?.is_group === 0);
    return real ? real.office_id : null;
  };
  const group = <T, K>(rows: T[], key: (r: T) => K): Map<K, T[]> => {
    const m = new Map<K, T[]>();
    for (const r of rows) {
      const list = m.get(key(r));
      if (list) list.push(r);
      else m.set(key(r), [r]);
    }
    return m;
  };
  const officesOfItem = group(itemOffices, (r) => r.work_item_id);
  const officesOfService = group(serviceOffices, (r) => r.service_id);
  const phonesOfService = group(servicePhones, (r) => r.service_id);
  const sectionsOf = group(sections, (r) => r.regime_id);
  const checksOf = group(checks, (r) => r.regime_id);
  const itemsOfDuty = group(items, (r) => r.duty_id);

  const docs: DocRow[] = [];
  for (const it of items) {
    const duty = dutyById.get(it.duty_id);
    if (!duty) continue;
    const body = it.remark ? `${it.text}（备注：${it.remark}）` : it.text;
    docs.push({
      kind: 'workItem',
      record_id: it.id,
      parent_id: duty.id,
      department_id: duty.department_id,
      office_id: firstOffice(officesOfItem.get(it.id) ?? []),
      office_inferred: 0,
      title: clip(it.text, 60),
      body,
      url: urls.workItem(duty.id, it.id),
      tokens: tokenizeDocument(body),
    });
  }
  for (const d of duties) {
    const counts = new Map<number, number>();
    for (const it of itemsOfDuty.get(d.id) ?? []) {
      const o = firstOffice(officesOfItem.get(it.id) ?? []);
      if (o !== null) counts.set(o, (counts.get(o) ?? 0) + 1);
    }
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    docs.push({
      kind: 'duty',
      record_id: d.id,
      parent_id: null,
      department_id: d.department_id,
      office_id: ranked[0]?.[0] ?? null,
      office_inferred: ranked.length > 1 ? 1 : 0,
      title: `主要职责 ${d.seq}：${clip(d.text, 40)}`,
      body: d.text,
      url: urls.duty(d.id),
      tokens: tokenizeDocument(d.text),
    });
  }
  for (const s of shares) {
    const m = matterById.get(s.matter_id);
    if (!m) continue;
    docs.push({
      kind: 'share',
      record_id: s.id,
      parent_id: m.id,
      department_id: s.department_id,
      office_id: null,
      office_inferred: 0,
      title: `${m.name}：${deptName.get(s.department_id) ?? ''}`,
      body: s.text,
      url: urls.share(m.id, s.id),
      tokens: tokenizeDocument(`${m.name} ${s.text}`),
      inferFrom: `${m.name} ${s.text}`,
    });
  }
  const patterns = mentionPatterns(departments, aliases);
  for (const c of cases) {
    const m = matterById.get(c.matter_id);
    if (!m) continue;
    docs.push({
      kind: 'case',
      record_id: c.id,
      parent_id: m.id,
      department_id: m.department_id,
      office_id: null,
      office_inferred: 0,
      title: `${m.name}：案例`,
      body: c.text,
      url: urls.case(m.id, c.id),
      tokens: tokenizeDocument(c.text),
    });
    for (const clause of splitCase(c.text, patterns)) {
      docs.push({
        kind: 'caseClause',
        record_id: c.id,
        parent_id: m.id,
        department_id: clause.departmentId,
        office_id: null,
        office_inferred: 0,
        title: `${m.name}：案例`,
        body: clause.text,
        url: urls.case(m.id, c.id),
        tokens: [...tokenizeDocument(m.name), ...tokenizeDocument(clause.text)],
        inferFrom: `${m.name} ${clause.text}`,
      });
    }
  }
  for (const r of regimes) {
    const parts = [
      r.intro ?? '',
      ...(sectionsOf.get(r.id) ?? []).map((s) => `${s.heading}：${s.body}`),
      ...(checksOf.get(r.id) ?? []).map((c) => c.text),
    ].filter(Boolean);
    const body = parts.join('\n');
    docs.push({
      kind: 'regime',
      record_id: r.id,
      parent_id: null,
      department_id: r.department_id,
      office_id: null,
      office_inferred: 0,
      title: r.title,
      body,
      url: urls.regime(r.id),
      tokens: [...tokenizeDocument(r.title), ...tokenizeDocument(r.title), ...tokenizeDocument(body)],
      inferFrom: r.title,
      inferFallback: `${r.title} ${r.intro ?? ''}`,
    });
  }
  for (const s of services) {
    const phones = (phonesOfService.get(s.id) ?? []).map((p) => p.phone);
    docs.push({
      kind: 'service',
      record_id: s.id,
      parent_id: null,
      department_id: s.department_id,
      office_id: firstOffice(officesOfService.get(s.id) ?? []),
      office_inferred: 0,
      title: s.name,
      body: phones.length ? `${s.content}（联系电话：${phones.join('、')}）` : s.content,
      url: urls.service(s.id),
      tokens: [...tokenizeDocument(s.name), ...tokenizeDocument(s.content)],
      inferText: `${s.name} ${s.content}`,
    });
  }

  const infer = officeInferrer(docs);
  const hasOffices = new Set(offices.filter((o) => o.is_group === 0).map((o) => o.department_id));
  for (const d of docs) {
    if (d.inferFrom && d.office_id === null && hasOffices.has(d.department_id)) {
      const o =
        infer(d.department_id, d.inferFrom) ??
        (d.inferFallback ? infer(d.department_id, d.inferFallback) : null);
      if (o !== null) {
        d.office_id = o;
        d.office_inferred = 1;
      }
    }
  }
  return docs;
}

// ---------------------------------------------------------------------------------------------
// Writing the index

const DOC_BATCH = 300;

async function writeIndex(tx: DbOrTx, dialect: DialectName, docs: DocRow[]): Promise<void> {
  const sdb = searchDb(tx);
  if (dialect === 'postgres') {
    // One rebuild at a time across processes; released at commit.
    await sql`select pg_advisory_xact_lock(hashtext('zhize_search_index'))`.execute(tx);
  }
  await sdb.deleteFrom('search_documents').execute();
  await sdb.deleteFrom('search_index_state').execute();

  let totalLength = 0;
  for (let i = 0; i < docs.length; i += DOC_BATCH) {
    const batch = docs.slice(i, i + DOC_BATCH).map((d) => {
      totalLength += d.tokens.length;
      return {
        kind: d.kind,
        record_id: d.record_id,
        parent_id: d.parent_id,
        department_id: d.department_id,
        office_id: d.office_id,
        office_inferred: d.office_inferred,
        title: d.title,
        body: d.body,
        url: d.url,
        tokens: d.tokens.join(' '),
      };
    });
    await sdb.insertInto('search_documents').values(batch).execute();
  }
  if (dialect === 'sqlite') {
    await sql`insert into search_fts(search_fts) values('rebuild')`.execute(tx);
  }
  await sdb
    .insertInto('search_index_state')
    .values({
      id: 1,
      build_id: randomUUID(),
      built_at: nowIso(),
      documents: docs.length,
      avg_length: docs.length ? totalLength / docs.length : 0,
    })
    .execute();
}

/**
 * Rebuilds the whole search index from the registry tables. Call it inside the transaction that
 * changed the registry (the importer does); given the database itself, it opens its own transaction.
 */
export async function rebuildSearchIndex(db: DbOrTx, dialect: DialectName): Promise<void> {
  if (!db.isTransaction) {
    await (db as Kysely<DB>).transaction().execute((tx) => rebuildSearchIndex(tx, dialect));
    generation++;
    return;
  }
  generation++;
  const docs = await buildDocuments(db);
  await writeIndex(db, dialect, docs);
  generation++;
}

let generation = 0;

/**
 * Bumped whenever this process rebuilds the index: query-time caches then re-read the index state
 * at once instead of trusting a recent check (see currentModel).
 */
export function indexGeneration(): number {
  return generation;
}

/** Builds the index when it has never been built (a database migrated after its data was imported). */
export async function ensureSearchIndex(database: Database): Promise<boolean> {
  const state = await searchDb(database.db)
    .selectFrom('search_index_state')
    .select('build_id')
    .executeTakeFirst();
  if (state) return false;
  await rebuildSearchIndex(database.db, database.dialect);
  return true;
}
