import type { z } from 'zod';
import type { Database, DbOrTx, Tx } from '../../db/database.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { isCalendarDate, todayInChina } from '../../lib/china-time.ts';
import { type Actor, appendAudit } from '../audit/index.ts';
import { actorOf, forbiddenAction, type SessionUser } from '../auth/index.ts';
import {
  type ChangeAdapter,
  type CurrentRecord,
  closeScheduledVersion,
  departmentOfOffices,
  publishVersion,
  REGISTRY_CHANGES,
  type RevisionInput,
  scheduleVersion,
} from '../registry/index.ts';
import { canProposeOn, outOfReach } from './changeset.policy.ts';
import {
  type ChangeItemRow,
  type ChangeSetReviewRow,
  type ChangeSetRow,
  deleteChangeItem,
  dueScheduledSets,
  findChangeItem,
  findChangeSet,
  insertChangeItem,
  insertChangeSet,
  insertReview,
  listChangeItems,
  listReviews,
  moveChangeSet,
  touchChangeSet,
  updateChangeItemPayload,
  updateChangeSetFields,
} from './changeset.repo.ts';
import { type ChangeOp, ChangeSetInput, type ChangeStatus } from './changeset.schema.ts';
import {
  assertTransition,
  changeSetAbilities,
  currentStep,
  EDITABLE,
  stateAllows,
  TRANSITIONS,
  type Transition,
} from './changeset.workflow.ts';
import { DEFAULT_CHAIN, type ReviewChain } from './review-chain.ts';

/**
 * List changes as proposals: a change set (with its 调整依据) holds proposed creates, updates
 * and retirements of records; it is submitted, reviewed (approved, or returned with a comment
 * and then edited and resubmitted) and published as a new version. Nothing reaches the public
 * registry before publication. The kinds of records are the adapters' (`kinds`, the registry's
 * by default): this file names none of them.
 */

export type ChangeKinds = readonly ChangeAdapter[];

/** The adapter of a kind of record; 400 for a kind nobody declared. */
export function adapterOf(kinds: ChangeKinds, entity: string): ChangeAdapter {
  const a = kinds.find((k) => k.entity === entity);
  if (!a) throw new AppError(400, 'bad_change_kind', '请从“可调整的记录”页面选择要新增、修改或停用的记录');
  return a;
}

/** The record as it stands now, in the shape of its change payload (null when it does not exist). */
export function currentRecord(db: DbOrTx, entity: string, id: number, kinds: ChangeKinds = REGISTRY_CHANGES) {
  return adapterOf(kinds, entity).current(db, id);
}

async function loadSet(db: DbOrTx, id: number): Promise<ChangeSetRow> {
  const set = await findChangeSet(db, id);
  if (!set) throw notFound(`调整单 ${id}`);
  return set;
}

/** The author (or an admin) may edit while the set is a draft or returned; 403 / 409 otherwise. */
async function editableSet(tx: Tx, user: SessionUser, setId: number, what: string): Promise<ChangeSetRow> {
  const set = await loadSet(tx, setId);
  changeSetAbilities.assert('edit', user, set);
  if (!EDITABLE.includes(set.status))
    throw new AppError(409, 'not_editable', `调整单已提交，不能再${what}；请先撤回或等待退回`);
  return set;
}

/** The value as the schema reads it; 400 with the schema's Chinese messages otherwise. */
function parsed<T>(schema: z.ZodType<T>, value: unknown, code: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new AppError(400, code, r.error.issues.map((i) => i.message).join('；'), r.error.issues);
  }
  return r.data;
}

/** A new draft set in the author's department; its title and 调整依据 are validated here (400). */
export async function createChangeSet(tx: Tx, user: SessionUser, raw: ChangeSetInput): Promise<number> {
  changeSetAbilities.assert('create', user, { authorId: user.id, status: 'draft', itemCount: 0 });
  const input = parsed(ChangeSetInput, raw, 'invalid_change_set');
  const departmentId = await departmentOfOffices(tx, user.officeIds);
  if (departmentId === null) throw new AppError(409, 'empty_registry', '清单为空：请先导入部门职责清单');
  const id = await insertChangeSet(tx, { ...input, departmentId, authorId: user.id });
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'create',
    entity: 'change_set',
    entityId: id,
    after: input,
  });
  return id;
}

/** Edits the title and 调整依据 of a draft or returned set (a returned set is fixed, not voided). */
export async function editChangeSet(tx: Tx, user: SessionUser, setId: number, input: unknown): Promise<void> {
  const set = await editableSet(tx, user, setId, '修改');
  const values = parsed(ChangeSetInput, input, 'invalid_change_set');
  if (!(await updateChangeSetFields(tx, setId, values, EDITABLE)))
    throw new AppError(409, 'not_editable', '调整单已提交，不能再修改；请先撤回或等待退回');
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'edit',
    entity: 'change_set',
    entityId: setId,
    before: { title: set.title, reason: set.reason },
    after: values,
  });
}

export interface ProposedChange {
  entity: string;
  op: ChangeOp;
  targetId?: number | null;
  payload?: unknown;
}

/** Validates a payload for the kind, checks what it names exists and that the person may hand the record over. */
async function checkedPayload(
  db: DbOrTx,
  user: SessionUser,
  kinds: ChangeKinds,
  adapter: ChangeAdapter,
  before: CurrentRecord | null,
  raw: unknown,
): Promise<Record<string, unknown>> {
  const payload = parsed(adapter.payload, raw, 'invalid_change');
  await adapter.checkReferences(db, payload);
  if (!canProposeOn(user, adapter, before, { officeIds: adapter.officesOf(payload) }))
    throw forbiddenAction(outOfReach(kinds, adapter, true));
  return payload;
}

/** Adds one proposed change to a draft (or returned) set, after validation and the policy check. */
export async function addChange(
  tx: Tx,
  user: SessionUser,
  setId: number,
  change: ProposedChange,
  kinds: ChangeKinds = REGISTRY_CHANGES,
): Promise<number> {
  await editableSet(tx, user, setId, '增加修改');
  const adapter = adapterOf(kinds, change.entity);
  let before: CurrentRecord | null = null;
  if (change.op !== 'create') {
    if (!change.targetId) throw new AppError(400, 'missing_target', '请指明要修改或停用的记录');
    before = await adapter.current(tx, change.targetId);
    if (!before) throw notFound(`${adapter.name} ${change.targetId}`);
  }
  let payload: Record<string, unknown> | null = null;
  if (change.op !== 'retire')
    payload = await checkedPayload(tx, user, kinds, adapter, before, change.payload);
  else if (!canProposeOn(user, adapter, before, null))
    throw forbiddenAction(outOfReach(kinds, adapter, true));
  const id = await insertChangeItem(tx, setId, {
    entity: adapter.entity,
    op: change.op,
    targetId: change.targetId ?? null,
    payload,
    before: before?.payload ?? null,
  });
  await touchChangeSet(tx, setId);
  await appendAudit(tx, {
    actor: actorOf(user),
    action: `propose-${change.op}`,
    entity: adapter.entity,
    entityId: change.targetId ?? null,
    before: before?.payload ?? null,
    after: { changeSet: setId, payload },
  });
  return id;
}

async function itemOf(tx: Tx, setId: number, itemId: number): Promise<ChangeItemRow> {
  const item = await findChangeItem(tx, setId, itemId);
  if (!item) throw notFound(`调整项 ${itemId}`);
  return item;
}

/** Rewrites what one proposed change of a draft or returned set would set (its kind, op and record stay). */
export async function reviseChange(
  tx: Tx,
  user: SessionUser,
  setId: number,
  itemId: number,
  rawPayload: unknown,
  kinds: ChangeKinds = REGISTRY_CHANGES,
): Promise<void> {
  await editableSet(tx, user, setId, '修改');
  const item = await itemOf(tx, setId, itemId);
  if (item.op === 'retire')
    throw new AppError(409, 'nothing_to_revise', '停用的修改没有可改的内容；如不再需要，请删除此项修改');
  const adapter = adapterOf(kinds, item.entity);
  const before = item.targetId === null ? null : await adapter.current(tx, item.targetId);
  const payload = await checkedPayload(tx, user, kinds, adapter, before, rawPayload);
  await updateChangeItemPayload(tx, itemId, payload);
  await touchChangeSet(tx, setId);
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'revise-item',
    entity: 'change_item',
    entityId: itemId,
    before: { changeSet: setId, payload: item.payload },
    after: { changeSet: setId, payload },
  });
}

export async function removeChange(tx: Tx, user: SessionUser, setId: number, itemId: number): Promise<void> {
  await editableSet(tx, user, setId, '修改');
  const item = await itemOf(tx, setId, itemId);
  await deleteChangeItem(tx, itemId);
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'withdraw-item',
    entity: 'change_item',
    entityId: itemId,
    before: { entity: item.entity, op: item.op, targetId: item.targetId, payload: item.payload },
  });
}

export interface TransitionInput {
  comment?: string;
  effectiveDate?: string;
}

/** What the deployment decides around a transition: its clock and its review chain. */
export interface TransitionContext {
  /** The clock that says which China date it is (default: the system clock). */
  now?: Date;
  /** The chain a set is submitted into (default: DEFAULT_CHAIN); later steps follow the set's own. */
  chain?: ReviewChain;
}

const raced = () =>
  new AppError(409, 'bad_transition', '调整单刚被他人处理，当前状态已不允许此操作，请刷新后查看');

/** The review row of a transition a person takes at a step of the chain. */
const REVIEW_ACTION: Partial<Record<Transition, ChangeSetReviewRow['action']>> = {
  approve: 'pass',
  return: 'return',
  publish: 'publish',
  schedule: 'schedule',
};

/**
 * Moves a change set along the workflow; publishing applies it and records a new version, or —
 * with an effective date after today (China time) — schedules it: the lists, the search index and
 * every read stay as they are until that date, when `applyDueChangeSets` applies it. The state
 * change is one conditional update made first (`… where status in (from)`), so of two people
 * taking a transition at once only one succeeds; the other gets 409 and nothing changes.
 */
export async function transitionChangeSet(
  tx: Tx,
  user: SessionUser,
  setId: number,
  requested: Transition,
  input: TransitionInput = {},
  kinds: ChangeKinds = REGISTRY_CHANGES,
  context: TransitionContext = {},
): Promise<{ status: ChangeStatus; version?: number }> {
  const set = await loadSet(tx, setId);
  const today = todayInChina((context.now ?? new Date()).getTime());
  const effective =
    requested === 'publish' || requested === 'schedule' ? (input.effectiveDate ?? today) : undefined;
  if (effective !== undefined && !isCalendarDate(effective))
    throw new AppError(400, 'bad_date', '生效日期应为有效日期，格式 YYYY-MM-DD');
  const action: Transition =
    requested === 'publish' && effective !== undefined && effective > today ? 'schedule' : requested;
  if (action === 'takeEffect' || (action === 'schedule' && !(effective! > today)))
    throw new AppError(409, 'bad_transition', '调整单在生效日期由系统自动生效');
  const rule = TRANSITIONS[action];
  assertTransition(action, user, set);
  if (!stateAllows(action, set)) {
    throw new AppError(409, 'bad_transition', `调整单当前状态不允许此操作（当前：${set.status}）`);
  }
  if (action === 'submit' && set.itemCount === 0)
    throw new AppError(400, 'empty_change_set', '调整单中还没有任何修改');
  if (action === 'return' && !input.comment?.trim())
    throw new AppError(400, 'comment_required', '退回时请填写意见');
  const chain = set.reviewChain;
  const step = currentStep(set);
  let to: ChangeStatus = rule.to;
  const extra: Parameters<typeof moveChangeSet>[4] = {};
  if (action === 'submit') {
    Object.assign(extra, {
      reviewChain: context.chain ?? DEFAULT_CHAIN,
      reviewStep: 0,
      reviewRound: set.reviewRound + 1,
    });
  } else if (action === 'approve') {
    const next = step + 1;
    to = next >= chain.steps.length - 1 ? 'approved' : 'submitted';
    Object.assign(extra, { reviewStep: next, atStep: step });
  } else if (action === 'return') {
    Object.assign(extra, { reviewStep: 0 });
    if (set.status === 'submitted') extra.atStep = step;
  }
  if (action === 'approve' || action === 'return')
    Object.assign(extra, { reviewerId: user.id, reviewComment: input.comment?.trim() || null });
  if (effective !== undefined) extra.effectiveDate = effective;
  if (!(await moveChangeSet(tx, setId, rule.from, to, extra))) throw raced();
  const reviewAction = REVIEW_ACTION[action];
  if (reviewAction) {
    await insertReview(tx, setId, {
      round: set.reviewRound,
      step,
      stepName: chain.steps[step]?.name ?? '',
      action: reviewAction,
      userId: user.id,
      userName: user.displayName,
      comment: input.comment?.trim() || null,
    });
  }
  let version: number | undefined;
  if (action === 'publish') {
    version = await applyChangeSet(
      tx,
      actorOf(user),
      user.displayName,
      { ...set, effectiveDate: effective! },
      kinds,
    );
  } else if (action === 'schedule') {
    await scheduleVersion(tx, {
      changeSetId: setId,
      effectiveDate: effective!,
      reason: `${set.title}（调整依据：${set.reason}）`,
      scheduledBy: user.displayName,
    });
  } else if (action === 'return' && set.status === 'scheduled') {
    await closeScheduledVersion(tx, setId, null);
  }
  await appendAudit(tx, {
    actor: actorOf(user),
    action,
    entity: 'change_set',
    entityId: setId,
    before: { status: set.status, step: chain.steps[step]?.name ?? null },
    after: {
      status: to,
      comment: input.comment ?? null,
      version: version ?? null,
      effectiveDate: effective ?? null,
      ...(action === 'approve' && to === 'submitted' ? { nextStep: chain.steps[step + 1]?.name } : {}),
    },
  });
  return { status: to, version };
}

/**
 * Applies a set's items, records the version (its revisions: the provenance of what it changed)
 * and links the set to it. Inside the publishing transaction; returns the version number.
 */
async function applyChangeSet(
  tx: Tx,
  actor: Actor,
  publishedBy: string,
  set: ChangeSetRow & { effectiveDate: string },
  kinds: ChangeKinds,
): Promise<number> {
  const revisions: RevisionInput[] = [];
  const reviews = (await listReviews(tx, set.id)).filter(
    (r) => r.round === set.reviewRound && r.action !== 'return',
  );
  for (const item of await listChangeItems(tx, set.id)) {
    const applied = await applyChange(tx, actor, set.departmentId, item, kinds);
    if (item.op === 'retire') continue;
    revisions.push({
      entity: item.entity,
      recordId: applied.targetId,
      op: item.op === 'create' ? 'create' : 'update',
      fields: changedFields(applied.before, item.payload),
      changeSetId: set.id,
      changeSetTitle: set.title,
      basis: set.reason,
      proposedBy: set.author,
      reviewedBy: reviews.map((r) => ({ step: r.stepName, name: r.userName })),
      publishedBy,
    });
  }
  const v = await publishVersion(tx, {
    reason: `${set.title}（调整依据：${set.reason}）`,
    effectiveDate: set.effectiveDate,
    changeSetId: set.id,
    actor,
    publishedBy,
    revisions,
  });
  await moveChangeSet(tx, set.id, ['published'], 'published', { versionId: v.id });
  return v.number;
}

/** The payload keys whose values differ from the record before (all of them for a new record). */
function changedFields(before: Record<string, unknown> | null, after: Record<string, unknown>): string[] {
  return Object.keys(after).filter(
    (k) => before === null || JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null),
  );
}

/** Who takes a scheduled set into effect in the audit trail. */
const SCHEDULER: Actor = { id: null, name: '系统（按生效日期）' };

/**
 * Takes one scheduled set into effect (its date has come): applies it as the person who published
 * it would have, records the version dated with its effective date. False when another process did
 * it first. A stale item (the record changed after the set was published) throws 409.
 */
export async function takeEffect(
  tx: Tx,
  setId: number,
  kinds: ChangeKinds = REGISTRY_CHANGES,
): Promise<boolean> {
  const set = await loadSet(tx, setId);
  const rule = TRANSITIONS.takeEffect;
  if (!(await moveChangeSet(tx, setId, rule.from, rule.to))) return false;
  const publisher =
    (await listReviews(tx, setId))
      .filter((r) => r.action === 'schedule' && r.round === set.reviewRound)
      .at(-1)?.userName ?? SCHEDULER.name;
  const version = await applyChangeSet(
    tx,
    SCHEDULER,
    publisher,
    { ...set, effectiveDate: set.effectiveDate ?? todayInChina() },
    kinds,
  );
  await appendAudit(tx, {
    actor: SCHEDULER,
    action: 'takeEffect',
    entity: 'change_set',
    entityId: setId,
    before: { status: set.status },
    after: { status: rule.to, version, effectiveDate: set.effectiveDate, publishedBy: publisher },
  });
  return true;
}

/**
 * Applies every scheduled set whose effective date (China time) has come, soonest first, each in
 * its own transaction. A set that can no longer apply (a record it changes was changed meanwhile)
 * goes back to its author with the reason, so it never blocks the sets after it. Returns what
 * happened to each set.
 */
export async function applyDueChangeSets(
  database: Database,
  today: string,
  kinds: ChangeKinds = REGISTRY_CHANGES,
): Promise<Array<{ setId: number; result: 'applied' | 'returned' | 'skipped'; message?: string }>> {
  const out: Array<{ setId: number; result: 'applied' | 'returned' | 'skipped'; message?: string }> = [];
  for (const setId of await dueScheduledSets(database.db, today)) {
    try {
      const applied = await database.db.transaction().execute((tx) => takeEffect(tx, setId, kinds));
      out.push({ setId, result: applied ? 'applied' : 'skipped' });
    } catch (e) {
      if (!(e instanceof AppError) || e.status !== 409) throw e;
      const comment = `到生效日期 ${today} 时未能生效：${e.message}`;
      await database.db.transaction().execute(async (tx) => {
        if (
          !(await moveChangeSet(tx, setId, ['scheduled'], 'returned', {
            reviewComment: comment,
            reviewStep: 0,
          }))
        )
          return;
        await closeScheduledVersion(tx, setId, null);
        await appendAudit(tx, {
          actor: SCHEDULER,
          action: 'return',
          entity: 'change_set',
          entityId: setId,
          before: { status: 'scheduled' },
          after: { status: 'returned', comment },
        });
      });
      out.push({ setId, result: 'returned', message: comment });
    }
  }
  return out;
}

/** Applies one change to the registry through its adapter, refusing stale proposals, and audits it. */
async function applyChange(
  tx: Tx,
  actor: Actor,
  departmentId: number,
  item: ChangeItemRow,
  kinds: ChangeKinds,
): Promise<{ targetId: number; before: Record<string, unknown> | null }> {
  const adapter = adapterOf(kinds, item.entity);
  const before = item.targetId ? await adapter.current(tx, item.targetId) : null;
  if (item.op !== 'create') {
    if (!before)
      throw new AppError(409, 'stale_change', `${adapter.name} ${item.targetId} 已不存在，无法发布这项调整`);
    if (item.before && JSON.stringify(before.payload) !== JSON.stringify(item.before)) {
      throw new AppError(
        409,
        'stale_change',
        `${adapter.name} ${item.targetId} 在提出调整后已被改动，请退回后重新提出`,
      );
    }
  }
  const payload = item.op === 'retire' ? null : item.payload;
  const targetId = await adapter.apply(tx, { op: item.op, targetId: item.targetId, departmentId }, payload);
  await appendAudit(tx, {
    actor,
    action: item.op,
    entity: adapter.entity,
    entityId: targetId,
    before: before?.payload ?? null,
    after: payload,
  });
  return { targetId, before: before?.payload ?? null };
}
