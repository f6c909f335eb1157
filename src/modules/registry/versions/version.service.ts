import type { Database, DbOrTx } from '../../../db/database.ts';
import { dialectOf, migrateToLatest, nowIso, openDatabase } from '../../../db/database.ts';
import { AppError } from '../../../http/errors.ts';
import { todayInChina } from '../../../lib/china-time.ts';
import { type Actor, appendAudit } from '../../audit/index.ts';
import { rebuildSearchIndex } from '../../search/index.ts';
import { type Dataset, exportDataset, loadDataset } from '../export/dataset.export.ts';
import { insertRevisions, type RevisionInput } from './revision.repo.ts';
import { closeScheduledVersion } from './schedule.repo.ts';

/**
 * Published versions of the lists. The registry tables always hold the current version; each
 * published version keeps a snapshot (the JSON dataset) so any two can be compared field by
 * field and any version can be served (`?version=`). Version 1 is the first import.
 */

export interface FlatRecord {
  key: string;
  entity: string;
  /** Chinese name of the kind of record. */
  kind: string;
  label: string;
  fields: Record<string, string>;
}

export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

export interface VersionDiff {
  from: number;
  to: number;
  added: FlatRecord[];
  removed: FlatRecord[];
  changed: Array<{ key: string; entity: string; kind: string; label: string; changes: FieldChange[] }>;
}

type Row = Record<string, unknown>;
const s = (v: unknown) => (v === null || v === undefined ? '' : String(v));

/** A version reduced to the records people care about, keyed by entity and id, with Chinese field names. */
export function flattenDataset(data: Dataset): Map<string, FlatRecord> {
  const t = data.tables as unknown as Record<string, Row[]>;
  const out = new Map<string, FlatRecord>();
  const add = (entity: string, kind: string, id: unknown, label: string, fields: Record<string, string>) =>
    out.set(`${entity}:${s(id)}`, { key: `${entity}:${s(id)}`, entity, kind, label, fields });
  const deptName = new Map((t.departments ?? []).map((d) => [d.id, s(d.name)]));
  const officeName = new Map((t.offices ?? []).map((o) => [o.id, s(o.name)]));
  const dutySeq = new Map((t.duties ?? []).map((d) => [d.id, s(d.seq)]));
  const matterName = new Map((t.boundary_matters ?? []).map((m) => [m.id, s(m.name)]));
  const linksOf = (table: string, owner: string, id: unknown) =>
    (t[table] ?? [])
      .filter((l) => l[owner] === id)
      .sort((a, b) => Number(a.position) - Number(b.position))
      .map((l) => officeName.get(l.office_id) ?? '')
      .join('、');
  for (const d of t.departments ?? []) add('department', '部门', d.id, s(d.name), { 名称: s(d.name) });
  for (const o of t.offices ?? []) {
    const aliases = (t.office_aliases ?? []).filter((a) => a.office_id === o.id).map((a) => s(a.alias));
    add('office', '科室', o.id, s(o.name), {
      名称: s(o.name),
      别名: aliases.join('、'),
      部门: s(deptName.get(o.department_id)),
    });
  }
  for (const d of t.duties ?? [])
    add('duty', '主要职责', d.id, `主要职责 ${s(d.seq)}`, { 序号: s(d.seq), 主要职责: s(d.text) });
  for (const w of t.work_items ?? []) {
    add('workItem', '工作事项', w.id, s(w.text).slice(0, 40), {
      主要职责: s(dutySeq.get(w.duty_id)),
      具体工作事项: s(w.text),
      责任科室: linksOf('work_item_offices', 'work_item_id', w.id) || s(w.office_text),
      备注: s(w.remark),
    });
  }
  for (const m of t.boundary_matters ?? [])
    add('matter', '管理事项', m.id, s(m.name), { 序号: s(m.seq), 管理事项: s(m.name) });
  for (const sh of t.boundary_shares ?? []) {
    add(
      'share',
      '职责分工',
      sh.id,
      `${s(matterName.get(sh.matter_id))} · ${s(deptName.get(sh.department_id))}`,
      {
        管理事项: s(matterName.get(sh.matter_id)),
        相关部门: s(deptName.get(sh.department_id)),
        职责分工: s(sh.text),
      },
    );
  }
  for (const b of t.legal_bases ?? []) {
    add('legalBasis', '相关依据', b.id, s(b.text).slice(0, 40), {
      管理事项: s(matterName.get(b.matter_id)),
      相关依据: s(b.text),
    });
  }
  for (const c of t.boundary_cases ?? []) {
    add('case', '案例', c.id, s(c.text).slice(0, 40), {
      管理事项: s(matterName.get(c.matter_id)),
      案例: s(c.text),
    });
  }
  for (const r of t.regimes ?? []) {
    const body = (t.regime_sections ?? [])
      .filter((x) => x.regime_id === r.id)
      .sort((a, b) => Number(a.position) - Number(b.position))
      .map((x) => `${s(x.heading)}\n${s(x.body)}`)
      .join('\n');
    add('regime', '监管制度', r.id, s(r.title), { 监管制度: s(r.title), 内容: body });
  }
  for (const sv of t.public_services ?? []) {
    const phones = (t.service_phones ?? [])
      .filter((p) => p.service_id === sv.id)
      .sort((a, b) => Number(a.position) - Number(b.position))
      .map((p) => s(p.phone))
      .join('、');
    add('service', '公共服务事项', sv.id, s(sv.name), {
      服务事项: s(sv.name),
      主要内容: s(sv.content),
      承办机构: linksOf('service_offices', 'service_id', sv.id) || s(sv.office_text),
      联系电话: phones,
    });
  }
  return out;
}

export function diffFlat(
  from: number,
  to: number,
  a: Map<string, FlatRecord>,
  b: Map<string, FlatRecord>,
): VersionDiff {
  const diff: VersionDiff = { from, to, added: [], removed: [], changed: [] };
  for (const [k, rb] of b) {
    const ra = a.get(k);
    if (!ra) {
      diff.added.push(rb);
      continue;
    }
    const changes: FieldChange[] = [];
    for (const f of new Set([...Object.keys(ra.fields), ...Object.keys(rb.fields)])) {
      if ((ra.fields[f] ?? '') !== (rb.fields[f] ?? ''))
        changes.push({ field: f, before: ra.fields[f] ?? '', after: rb.fields[f] ?? '' });
    }
    if (changes.length)
      diff.changed.push({ key: k, entity: rb.entity, kind: rb.kind, label: rb.label, changes });
  }
  for (const [k, ra] of a) if (!b.has(k)) diff.removed.push(ra);
  return diff;
}

export interface RecordVersionInput {
  reason: string;
  effectiveDate?: string;
  changeSetId?: number | null;
  actor: Actor;
  /** The records the change set created or changed: their provenance becomes the change set. */
  revisions?: readonly RevisionInput[];
  /** The name under 发布人 (default: the actor's); a scheduled set names who published it. */
  publishedBy?: string;
}

/**
 * Publishes what the registry tables now hold (inside the writing transaction): rebuilds the
 * search index and records the next version. The import and the change sets both publish here.
 */
export async function publishVersion(
  tx: DbOrTx,
  input: RecordVersionInput,
): Promise<{ id: number; number: number }> {
  if (input.revisions?.length) {
    const number = ((await latestVersionNumber(tx)) ?? 0) + 1;
    await insertRevisions(
      tx,
      { number, effectiveDate: input.effectiveDate ?? todayInChina() },
      input.revisions,
    );
  }
  await rebuildSearchIndex(tx, dialectOf(tx));
  return recordVersion(tx, input);
}

/** Snapshots the registry as the next version (inside the publishing transaction). */
export async function recordVersion(
  tx: DbOrTx,
  input: RecordVersionInput,
): Promise<{ id: number; number: number }> {
  const last = await tx
    .selectFrom('versions')
    .select(['number', 'snapshot'])
    .orderBy('number', 'desc')
    .executeTakeFirst();
  const number = (last?.number ?? 0) + 1;
  const effectiveDate = input.effectiveDate ?? todayInChina();
  if (input.changeSetId) await closeScheduledVersion(tx, input.changeSetId, number);
  const dataset = await exportDataset(tx);
  dataset.exportedAt = '';
  const prev = last ? flattenDataset(JSON.parse(last.snapshot) as Dataset) : new Map<string, FlatRecord>();
  const diff = diffFlat(last?.number ?? 0, number, prev, flattenDataset(dataset));
  const summary = { added: diff.added.length, removed: diff.removed.length, changed: diff.changed.length };
  const publishedAt = nowIso();
  const row = await tx
    .insertInto('versions')
    .values({
      number,
      published_at: publishedAt,
      effective_date: effectiveDate,
      reason: input.reason,
      change_set_id: input.changeSetId ?? null,
      published_by: input.publishedBy ?? input.actor.name,
      snapshot: JSON.stringify(dataset),
      summary: JSON.stringify(summary),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(tx, {
    actor: input.actor,
    action: 'publish',
    entity: 'version',
    entityId: number,
    after: {
      number,
      reason: input.reason,
      effectiveDate,
      summary,
    },
  });
  return { id: row.id, number };
}

export interface VersionInfo {
  number: number;
  publishedAt: string;
  effectiveDate: string;
  reason: string;
  publishedBy: string;
  changeSetId: number | null;
  summary: { added: number; removed: number; changed: number };
}

export async function listVersions(db: DbOrTx): Promise<VersionInfo[]> {
  const rows = await db
    .selectFrom('versions')
    .select([
      'number',
      'published_at',
      'effective_date',
      'reason',
      'published_by',
      'change_set_id',
      'summary',
    ])
    .orderBy('number', 'desc')
    .execute();
  return rows.map((r) => ({
    number: r.number,
    publishedAt: r.published_at,
    effectiveDate: r.effective_date,
    reason: r.reason,
    publishedBy: r.published_by,
    changeSetId: r.change_set_id,
    summary: JSON.parse(r.summary),
  }));
}

async function snapshotOf(db: DbOrTx, number: number): Promise<Dataset> {
  const row = await db
    .selectFrom('versions')
    .select('snapshot')
    .where('number', '=', number)
    .executeTakeFirst();
  if (!row) throw new AppError(404, 'not_found', `未找到第 ${number} 版`);
  return JSON.parse(row.snapshot) as Dataset;
}

export async function diffVersions(db: DbOrTx, from: number, to: number): Promise<VersionDiff> {
  const [a, b] = await Promise.all([snapshotOf(db, from), snapshotOf(db, to)]);
  return diffFlat(from, to, flattenDataset(a), flattenDataset(b));
}

/**
 * The version that stood on a China date: the last one that had been published by then and had
 * taken effect (a version recorded later but dated back did not stand on the earlier days). Null
 * when no version stood yet.
 */
export async function versionOnDate(db: DbOrTx, date: string): Promise<number | null> {
  const rows = await db.selectFrom('versions').select(['number', 'published_at', 'effective_date']).execute();
  let best: number | null = null;
  for (const r of rows) {
    const publishedOn = todayInChina(Date.parse(r.published_at));
    if (r.effective_date <= date && publishedOn <= date && (best === null || r.number > best))
      best = r.number;
  }
  return best;
}

export async function latestVersionNumber(db: DbOrTx): Promise<number | null> {
  const r = await db.selectFrom('versions').select('number').orderBy('number', 'desc').executeTakeFirst();
  return r?.number ?? null;
}

/**
 * A read-only database holding an earlier version, for `?version=` reads: the snapshot is
 * loaded into an in-memory SQLite database and the ordinary queries run on it. A few are cached.
 */
const cache = new Map<string, Promise<Database>>();
const CACHE_SIZE = 4;
/** One key per live database object: two databases never share cached versions. */
const instanceIds = new WeakMap<object, number>();
let nextInstanceId = 1;

export async function databaseForVersion(db: DbOrTx, number: number): Promise<Database> {
  let instance = instanceIds.get(db);
  if (instance === undefined) {
    instance = nextInstanceId++;
    instanceIds.set(db, instance);
  }
  const key = `${instance}:${number}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = (async () => {
      const snapshot = await snapshotOf(db, number);
      const mem = openDatabase({ kind: 'sqlite', path: ':memory:' });
      await migrateToLatest(mem);
      await loadDataset(mem, snapshot);
      return mem;
    })();
    hit.catch(() => cache.delete(key));
    cache.set(key, hit);
    while (cache.size > CACHE_SIZE) {
      const oldest = cache.keys().next().value as string;
      const evicted = cache.get(oldest);
      cache.delete(oldest);
      evicted?.then((d) => d.close()).catch(() => {});
    }
  }
  return hit;
}
