import type { DbOrTx } from '../../../db/database.ts';

/**
 * Brings the rows of one table within one scope (e.g. the work items of one duty) to the
 * desired state, keyed by a natural key, updating in place so that ids stay stable.
 * Content columns decide whether a row "changed"; provenance columns are refreshed silently.
 */

export interface EntityChanges {
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  details: string[];
}

export type ChangeLog = Record<string, EntityChanges>;

export function emptyChanges(): EntityChanges {
  return { added: 0, updated: 0, removed: 0, unchanged: 0, details: [] };
}

const MAX_DETAILS = 200;

function note(
  log: ChangeLog,
  entity: string,
  kind: 'added' | 'updated' | 'removed' | 'unchanged',
  detail?: string,
) {
  log[entity] ??= emptyChanges();
  const e = log[entity];
  e[kind]++;
  if (detail && e.details.length < MAX_DETAILS) e.details.push(detail);
}

type Row = Record<string, unknown>;

export interface SyncSpec {
  entity: string;
  table: string;
  /** Columns fixing the scope, e.g. { duty_id: 7 }. */
  scope: Row;
  /** Natural key column within the scope. */
  key: string;
  content: readonly string[];
  /** Columns refreshed without counting as a change. */
  quiet?: readonly string[];
  /** Label used in change details. */
  label: (row: Row) => string;
  /** Delete rows that are no longer desired (default true). */
  removeMissing?: boolean;
}

/** Returns natural key → id for the desired rows. */
export async function syncRows(
  db: DbOrTx,
  spec: SyncSpec,
  desired: readonly Row[],
  log: ChangeLog,
): Promise<Map<unknown, number>> {
  // biome-ignore lint/suspicious/noExplicitAny: table names are dynamic here; callers are typed.
  const q = db as any;
  let sel = q.selectFrom(spec.table).selectAll();
  for (const [c, v] of Object.entries(spec.scope)) sel = sel.where(c, '=', v);
  const existing: Row[] = await sel.execute();
  const byKey = new Map(existing.map((r) => [r[spec.key], r]));
  const ids = new Map<unknown, number>();
  for (const want of desired) {
    const k = want[spec.key];
    const have = byKey.get(k);
    if (!have) {
      const inserted = await q
        .insertInto(spec.table)
        .values({ ...spec.scope, ...want })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.set(k, inserted.id as number);
      note(log, spec.entity, 'added', `新增 ${spec.label(want)}`);
      continue;
    }
    byKey.delete(k);
    ids.set(k, have.id as number);
    const changed = spec.content.filter((c) => (have[c] ?? null) !== (want[c] ?? null));
    const quietChanged = (spec.quiet ?? []).filter((c) => (have[c] ?? null) !== (want[c] ?? null));
    if (changed.length === 0 && quietChanged.length === 0) {
      note(log, spec.entity, 'unchanged');
      continue;
    }
    const set: Row = {};
    for (const c of [...changed, ...quietChanged]) set[c] = want[c] ?? null;
    await q.updateTable(spec.table).set(set).where('id', '=', have.id).execute();
    if (changed.length > 0)
      note(log, spec.entity, 'updated', `修改 ${spec.label(want)}：${changed.join(', ')}`);
    else note(log, spec.entity, 'unchanged');
  }
  if (spec.removeMissing !== false) {
    for (const gone of byKey.values()) {
      await q.deleteFrom(spec.table).where('id', '=', gone.id).execute();
      note(log, spec.entity, 'removed', `删除 ${spec.label(gone)}`);
    }
  }
  return ids;
}

/**
 * Replaces a link table's rows for one owner when they differ (link rows carry no identity).
 * Returns whether anything changed.
 */
export async function replaceLinks(
  db: DbOrTx,
  table: string,
  ownerCol: string,
  ownerId: number,
  rows: readonly Row[],
  compareCols: readonly string[],
): Promise<boolean> {
  // biome-ignore lint/suspicious/noExplicitAny: dynamic link tables.
  const q = db as any;
  const existing: Row[] = await q.selectFrom(table).selectAll().where(ownerCol, '=', ownerId).execute();
  const sig = (rs: readonly Row[]) =>
    rs
      .map((r) => compareCols.map((c) => String(r[c])).join('\u0001'))
      .sort()
      .join('\u0002');
  if (sig(existing) === sig(rows)) return false;
  await q.deleteFrom(table).where(ownerCol, '=', ownerId).execute();
  if (rows.length)
    await q
      .insertInto(table)
      .values(rows.map((r) => ({ [ownerCol]: ownerId, ...r })))
      .execute();
  return true;
}
