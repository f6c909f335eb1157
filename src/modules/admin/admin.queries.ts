import type { DbOrTx } from '../../db/database.ts';
import type { SessionUser } from '../auth/index.ts';
import type { ChangeEntity, ChangeOp, ChangeStatus } from '../changes/index.ts';

/**
 * Read-only queries of the change-set pages (change sets, their items, form choices); the
 * users and audit queries moved to modules/auth and modules/audit. Writes go through modules/changes.
 */

export interface ChangeSetRow {
  id: number;
  title: string;
  reason: string;
  status: ChangeStatus;
  authorId: number;
  author: string;
  reviewerId: number | null;
  reviewer: string | null;
  reviewComment: string | null;
  effectiveDate: string | null;
  versionNumber: number | null;
  createdAt: string;
  updatedAt: string;
  itemCount: number;
}

export interface ChangeItemRow {
  id: number;
  position: number;
  entity: ChangeEntity;
  op: ChangeOp;
  targetId: number | null;
  payload: Record<string, unknown>;
  before: Record<string, unknown> | null;
}

export interface ChangeSetFilter {
  status?: ChangeStatus;
  /** Only sets written by this user (editors see their own). */
  authorId?: number;
  statuses?: ChangeStatus[];
}

/** Change sets, newest first, with author and reviewer names and the number of items. */
export async function listChangeSets(db: DbOrTx, filter: ChangeSetFilter = {}): Promise<ChangeSetRow[]> {
  let q = db
    .selectFrom('change_sets as c')
    .innerJoin('users as a', 'a.id', 'c.author_id')
    .leftJoin('users as r', 'r.id', 'c.reviewer_id')
    .leftJoin('versions as v', 'v.id', 'c.version_id');
  if (filter.status) q = q.where('c.status', '=', filter.status);
  if (filter.statuses) q = q.where('c.status', 'in', filter.statuses);
  if (filter.authorId !== undefined) q = q.where('c.author_id', '=', filter.authorId);
  const rows = await q
    .select([
      'c.id',
      'c.title',
      'c.reason',
      'c.status',
      'c.author_id',
      'a.display_name as author',
      'c.reviewer_id',
      'r.display_name as reviewer',
      'c.review_comment',
      'c.effective_date',
      'v.number as version_number',
      'c.created_at',
      'c.updated_at',
    ])
    .select((eb) =>
      eb
        .selectFrom('change_items as i')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('i.change_set_id', '=', 'c.id')
        .as('item_count'),
    )
    .orderBy('c.updated_at', 'desc')
    .orderBy('c.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    reason: r.reason,
    status: r.status as ChangeStatus,
    authorId: r.author_id,
    author: r.author,
    reviewerId: r.reviewer_id,
    reviewer: r.reviewer ?? null,
    reviewComment: r.review_comment,
    effectiveDate: r.effective_date,
    versionNumber: r.version_number ?? null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    itemCount: Number(r.item_count ?? 0),
  }));
}

export async function findChangeSet(db: DbOrTx, id: number): Promise<ChangeSetRow | null> {
  const rows = await db
    .selectFrom('change_sets as c')
    .innerJoin('users as a', 'a.id', 'c.author_id')
    .leftJoin('users as r', 'r.id', 'c.reviewer_id')
    .leftJoin('versions as v', 'v.id', 'c.version_id')
    .select([
      'c.id',
      'c.title',
      'c.reason',
      'c.status',
      'c.author_id',
      'a.display_name as author',
      'c.reviewer_id',
      'r.display_name as reviewer',
      'c.review_comment',
      'c.effective_date',
      'v.number as version_number',
      'c.created_at',
      'c.updated_at',
    ])
    .where('c.id', '=', id)
    .execute();
  const r = rows[0];
  if (!r) return null;
  const count = await db
    .selectFrom('change_items')
    .select((e) => e.fn.countAll<number>().as('n'))
    .where('change_set_id', '=', id)
    .executeTakeFirstOrThrow();
  return {
    id: r.id,
    title: r.title,
    reason: r.reason,
    status: r.status as ChangeStatus,
    authorId: r.author_id,
    author: r.author,
    reviewerId: r.reviewer_id,
    reviewer: r.reviewer ?? null,
    reviewComment: r.review_comment,
    effectiveDate: r.effective_date,
    versionNumber: r.version_number ?? null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    itemCount: Number(count.n),
  };
}

export async function listChangeItems(db: DbOrTx, setId: number): Promise<ChangeItemRow[]> {
  const rows = await db
    .selectFrom('change_items')
    .selectAll()
    .where('change_set_id', '=', setId)
    .orderBy('position')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    position: r.position,
    entity: r.entity as ChangeEntity,
    op: r.op as ChangeOp,
    targetId: r.target_id,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    before: r.before ? (JSON.parse(r.before) as Record<string, unknown>) : null,
  }));
}

/** Names for ids that appear in change payloads: duties, offices, matters, departments. */
export interface Lookups {
  duties: Array<{ id: number; seq: number; text: string }>;
  offices: Array<{ id: number; name: string; isGroup: boolean; departmentId: number }>;
  matters: Array<{ id: number; seq: number; name: string }>;
  departments: Array<{ id: number; name: string }>;
}

export async function loadLookups(db: DbOrTx): Promise<Lookups> {
  const [duties, offices, matters, departments] = await Promise.all([
    db.selectFrom('duties').select(['id', 'seq', 'text']).orderBy('department_id').orderBy('seq').execute(),
    db
      .selectFrom('offices')
      .select(['id', 'name', 'is_group', 'department_id'])
      .orderBy('department_id')
      .orderBy('position')
      .orderBy('id')
      .execute(),
    db.selectFrom('boundary_matters').select(['id', 'seq', 'name']).orderBy('seq').execute(),
    db.selectFrom('departments').select(['id', 'name']).orderBy('position').orderBy('id').execute(),
  ]);
  return {
    duties,
    offices: offices.map((o) => ({
      id: o.id,
      name: o.name,
      isGroup: o.is_group === 1,
      departmentId: o.department_id,
    })),
    matters,
    departments,
  };
}

/** Sets the user may see: editors their own, the other staff roles all of them. */
export function visibleFilter(user: SessionUser): ChangeSetFilter {
  return user.role === 'editor' ? { authorId: user.id } : {};
}
