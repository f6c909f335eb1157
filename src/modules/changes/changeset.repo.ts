import type { DbOrTx, Tx } from '../../db/database.ts';
import { nowIso } from '../../db/database.ts';
import type { SessionUser } from '../auth/index.ts';
import type { ChangeEntity, ChangeOp, ChangeStatus } from './changeset.schema.ts';
import { chainFromJson, type ReviewChain } from './review-chain.ts';

/** The change_sets and change_items tables: reads for the pages, writes for the service. */

export interface ChangeSetRow {
  id: number;
  title: string;
  reason: string;
  status: ChangeStatus;
  departmentId: number;
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
  /** The chain the set was submitted into (the default chain before its first submission). */
  reviewChain: ReviewChain;
  /** The step the set waits for while submitted (0-based). */
  reviewStep: number;
  /** How many times it was submitted. */
  reviewRound: number;
  /** Who took a step of the current round (filled by findChangeSet; empty in lists). */
  actedBy: number[];
}

/** One step taken on a set: passed, returned, published or scheduled. */
export interface ChangeSetReviewRow {
  round: number;
  step: number;
  stepName: string;
  action: 'pass' | 'return' | 'publish' | 'schedule';
  userId: number;
  userName: string;
  comment: string | null;
  at: string;
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
  statuses?: readonly ChangeStatus[];
  /** Only sets written by this user (editors see their own). */
  authorId?: number;
  /** Only sets written by someone else (four eyes: what waits for a reviewer). */
  notAuthorId?: number;
  id?: number;
}

/** The sets a filter selects (as `c`). */
function matching(db: DbOrTx, filter: ChangeSetFilter) {
  let q = db.selectFrom('change_sets as c');
  if (filter.id !== undefined) q = q.where('c.id', '=', filter.id);
  if (filter.status) q = q.where('c.status', '=', filter.status);
  if (filter.statuses) q = q.where('c.status', 'in', [...filter.statuses]);
  if (filter.authorId !== undefined) q = q.where('c.author_id', '=', filter.authorId);
  if (filter.notAuthorId !== undefined) q = q.where('c.author_id', '<>', filter.notAuthorId);
  return q;
}

/** Change sets, newest first, with author and reviewer names and the number of items. */
export async function listChangeSets(db: DbOrTx, filter: ChangeSetFilter = {}): Promise<ChangeSetRow[]> {
  const rows = await matching(db, filter)
    .innerJoin('users as a', 'a.id', 'c.author_id')
    .leftJoin('users as r', 'r.id', 'c.reviewer_id')
    .leftJoin('versions as v', 'v.id', 'c.version_id')
    .select([
      'c.id',
      'c.title',
      'c.reason',
      'c.status',
      'c.department_id',
      'c.author_id',
      'a.display_name as author',
      'c.reviewer_id',
      'r.display_name as reviewer',
      'c.review_comment',
      'c.effective_date',
      'v.number as version_number',
      'c.created_at',
      'c.updated_at',
      'c.review_chain',
      'c.review_step',
      'c.review_round',
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
    departmentId: r.department_id,
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
    reviewChain: chainFromJson(r.review_chain),
    reviewStep: Number(r.review_step ?? 0),
    reviewRound: Number(r.review_round ?? 0),
    actedBy: [],
  }));
}

export async function findChangeSet(db: DbOrTx, id: number): Promise<ChangeSetRow | null> {
  const set = (await listChangeSets(db, { id }))[0];
  if (!set) return null;
  const reviews = await listReviews(db, id);
  set.actedBy = [...new Set(reviews.filter((r) => r.round === set.reviewRound).map((r) => r.userId))];
  return set;
}

/** Every step taken on the set, in order. */
export async function listReviews(db: DbOrTx, setId: number): Promise<ChangeSetReviewRow[]> {
  const rows = await db
    .selectFrom('change_set_reviews')
    .selectAll()
    .where('change_set_id', '=', setId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    round: r.round,
    step: r.step,
    stepName: r.step_name,
    action: r.action as ChangeSetReviewRow['action'],
    userId: r.user_id,
    userName: r.user_name,
    comment: r.comment,
    at: r.at,
  }));
}

export async function insertReview(
  tx: Tx,
  setId: number,
  review: Omit<ChangeSetReviewRow, 'at'>,
): Promise<void> {
  await tx
    .insertInto('change_set_reviews')
    .values({
      change_set_id: setId,
      round: review.round,
      step: review.step,
      step_name: review.stepName,
      action: review.action,
      user_id: review.userId,
      user_name: review.userName,
      comment: review.comment,
      at: nowIso(),
    })
    .execute();
}

/** Scheduled sets whose effective date has come (China date `today`), soonest first. */
export async function dueScheduledSets(db: DbOrTx, today: string): Promise<number[]> {
  const rows = await db
    .selectFrom('change_sets')
    .select('id')
    .where('status', '=', 'scheduled')
    .where('effective_date', '<=', today)
    .orderBy('effective_date')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/** How many sets match (the back office's "waiting for you" counts). */
export async function countChangeSets(db: DbOrTx, filter: ChangeSetFilter): Promise<number> {
  const r = await matching(db, filter)
    .select((e) => e.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Sets the user may see: editors their own, the other staff roles all of them. */
export function visibleFilter(user: SessionUser): ChangeSetFilter {
  return user.role === 'editor' ? { authorId: user.id } : {};
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
    entity: r.entity,
    op: r.op as ChangeOp,
    targetId: r.target_id,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    before: r.before ? (JSON.parse(r.before) as Record<string, unknown>) : null,
  }));
}

export async function findChangeItem(
  db: DbOrTx,
  setId: number,
  itemId: number,
): Promise<ChangeItemRow | null> {
  return (await listChangeItems(db, setId)).find((i) => i.id === itemId) ?? null;
}

export async function insertChangeSet(
  tx: Tx,
  values: { title: string; reason: string; departmentId: number; authorId: number },
): Promise<number> {
  const now = nowIso();
  const row = await tx
    .insertInto('change_sets')
    .values({
      title: values.title,
      reason: values.reason,
      status: 'draft',
      department_id: values.departmentId,
      author_id: values.authorId,
      reviewer_id: null,
      review_comment: null,
      effective_date: null,
      version_id: null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Title and 调整依据, only while the set is still in one of `editable` (0 rows otherwise). */
export async function updateChangeSetFields(
  tx: Tx,
  id: number,
  values: { title: string; reason: string },
  editable: readonly ChangeStatus[],
): Promise<boolean> {
  const r = await tx
    .updateTable('change_sets')
    .set({ title: values.title, reason: values.reason, updated_at: nowIso() })
    .where('id', '=', id)
    .where('status', 'in', [...editable])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function touchChangeSet(tx: Tx, id: number): Promise<void> {
  await tx.updateTable('change_sets').set({ updated_at: nowIso() }).where('id', '=', id).execute();
}

/**
 * Moves a set from one of `from` to `to` in one conditional statement: of two concurrent
 * transitions from the same state only one updates the row; false when this one did not.
 */
export async function moveChangeSet(
  tx: Tx,
  id: number,
  from: readonly ChangeStatus[],
  to: ChangeStatus,
  extra: {
    reviewerId?: number;
    reviewComment?: string | null;
    effectiveDate?: string;
    versionId?: number;
    reviewChain?: ReviewChain;
    reviewStep?: number;
    reviewRound?: number;
    /** Only while the set waits for this step (two people passing one step at once). */
    atStep?: number;
  } = {},
): Promise<boolean> {
  let q = tx
    .updateTable('change_sets')
    .set({
      status: to,
      updated_at: nowIso(),
      ...(extra.reviewerId !== undefined ? { reviewer_id: extra.reviewerId } : {}),
      ...(extra.reviewComment !== undefined ? { review_comment: extra.reviewComment } : {}),
      ...(extra.effectiveDate !== undefined ? { effective_date: extra.effectiveDate } : {}),
      ...(extra.versionId !== undefined ? { version_id: extra.versionId } : {}),
      ...(extra.reviewChain !== undefined ? { review_chain: JSON.stringify(extra.reviewChain) } : {}),
      ...(extra.reviewStep !== undefined ? { review_step: extra.reviewStep } : {}),
      ...(extra.reviewRound !== undefined ? { review_round: extra.reviewRound } : {}),
    })
    .where('id', '=', id)
    .where('status', 'in', [...from]);
  if (extra.atStep !== undefined) q = q.where('review_step', '=', extra.atStep);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertChangeItem(
  tx: Tx,
  setId: number,
  item: { entity: string; op: ChangeOp; targetId: number | null; payload: unknown; before: unknown },
): Promise<number> {
  const position = await tx
    .selectFrom('change_items')
    .select((eb) => eb.fn.max('position').as('p'))
    .where('change_set_id', '=', setId)
    .executeTakeFirst();
  const row = await tx
    .insertInto('change_items')
    .values({
      change_set_id: setId,
      position: Number(position?.p ?? 0) + 1,
      entity: item.entity,
      op: item.op,
      target_id: item.targetId,
      payload: JSON.stringify(item.payload ?? {}),
      before: item.before ? JSON.stringify(item.before) : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateChangeItemPayload(tx: Tx, itemId: number, payload: unknown): Promise<void> {
  await tx
    .updateTable('change_items')
    .set({ payload: JSON.stringify(payload ?? {}) })
    .where('id', '=', itemId)
    .execute();
}

export async function deleteChangeItem(tx: Tx, itemId: number): Promise<void> {
  await tx.deleteFrom('change_items').where('id', '=', itemId).execute();
}
