import type { z } from 'zod';
import type { DbOrTx, Tx } from '../../db/database.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { isCalendarDate, todayInChina } from '../../lib/china-time.ts';
import { appendAudit } from '../audit/index.ts';
import { actorOf, forbiddenAction, type SessionUser } from '../auth/index.ts';
import {
  type ChangeAdapter,
  type CurrentRecord,
  departmentOfOffices,
  publishVersion,
  REGISTRY_CHANGES,
} from '../registry/index.ts';
import { canProposeOn, outOfReach } from './changeset.policy.ts';
import {
  type ChangeItemRow,
  type ChangeSetRow,
  deleteChangeItem,
  findChangeItem,
  findChangeSet,
  insertChangeItem,
  insertChangeSet,
  listChangeItems,
  moveChangeSet,
  touchChangeSet,
  updateChangeItemPayload,
  updateChangeSetFields,
} from './changeset.repo.ts';
import { type ChangeOp, ChangeSetInput, type ChangeStatus } from './changeset.schema.ts';
import {
  changeSetAbilities,
  EDITABLE,
  stateAllows,
  TRANSITIONS,
  type Transition,
} from './changeset.workflow.ts';

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

const raced = () =>
  new AppError(409, 'bad_transition', '调整单刚被他人处理，当前状态已不允许此操作，请刷新后查看');

/**
 * Moves a change set along the workflow; publishing applies it and records a new version. The
 * state change is one conditional update made first (`… where status in (from)`), so of two
 * people taking a transition at once only one succeeds; the other gets 409 and nothing changes.
 */
export async function transitionChangeSet(
  tx: Tx,
  user: SessionUser,
  setId: number,
  action: Transition,
  input: TransitionInput = {},
  kinds: ChangeKinds = REGISTRY_CHANGES,
): Promise<{ status: ChangeStatus; version?: number }> {
  const set = await loadSet(tx, setId);
  const rule = TRANSITIONS[action];
  changeSetAbilities.assert(action, user, set);
  if (!stateAllows(action, set)) {
    throw new AppError(409, 'bad_transition', `调整单当前状态不允许此操作（当前：${set.status}）`);
  }
  if (action === 'submit' && set.itemCount === 0)
    throw new AppError(400, 'empty_change_set', '调整单中还没有任何修改');
  if (action === 'return' && !input.comment?.trim())
    throw new AppError(400, 'comment_required', '退回时请填写意见');
  const effective = action === 'publish' ? (input.effectiveDate ?? todayInChina()) : undefined;
  if (effective !== undefined && !isCalendarDate(effective))
    throw new AppError(400, 'bad_date', '生效日期应为有效日期，格式 YYYY-MM-DD');
  const review =
    action === 'approve' || action === 'return'
      ? { reviewerId: user.id, reviewComment: input.comment?.trim() || null }
      : {};
  if (!(await moveChangeSet(tx, setId, rule.from, rule.to, { ...review, effectiveDate: effective })))
    throw raced();
  let version: number | undefined;
  if (action === 'publish') {
    for (const item of await listChangeItems(tx, setId))
      await applyChange(tx, user, set.departmentId, item, kinds);
    const v = await publishVersion(tx, {
      reason: `${set.title}（调整依据：${set.reason}）`,
      effectiveDate: effective,
      changeSetId: setId,
      actor: actorOf(user),
    });
    version = v.number;
    await moveChangeSet(tx, setId, [rule.to], rule.to, { versionId: v.id });
  }
  await appendAudit(tx, {
    actor: actorOf(user),
    action,
    entity: 'change_set',
    entityId: setId,
    before: { status: set.status },
    after: { status: rule.to, comment: input.comment ?? null, version: version ?? null },
  });
  return { status: rule.to, version };
}

/** Applies one change to the registry through its adapter, refusing stale proposals, and audits it. */
async function applyChange(
  tx: Tx,
  user: SessionUser,
  departmentId: number,
  item: ChangeItemRow,
  kinds: ChangeKinds,
): Promise<void> {
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
    actor: actorOf(user),
    action: item.op,
    entity: adapter.entity,
    entityId: targetId,
    before: before?.payload ?? null,
    after: payload,
  });
}
