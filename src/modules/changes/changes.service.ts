import type { DbOrTx, Tx } from '../../db/database.ts';
import { nowIso } from '../../db/database.ts';
import { AppError, forbidden, notFound } from '../../http/errors.ts';
import { isCalendarDate, todayInChina } from '../../lib/china-time.ts';
import { appendAudit } from '../audit/index.ts';
import { actorOf, type SessionUser } from '../auth/index.ts';
import { publishVersion } from '../registry/index.ts';
import { canAuthor, canProposeOn, canPublish, canReview } from './changes.policy.ts';
import {
  type ChangeEntity,
  type ChangeOp,
  type ChangeStatus,
  ENTITY_NAMES,
  PAYLOADS,
  type Payload,
} from './changes.schema.ts';

/**
 * List changes as proposals: a change set (with its 调整依据) holds proposed creates, updates
 * and retirements; it is submitted, reviewed (approved or returned with a comment) and
 * published as a new version. Nothing reaches the public registry before publication.
 */

/** The workflow as an explicit transition table. */
export const TRANSITIONS = {
  submit: { from: ['draft', 'returned'], to: 'submitted' },
  withdraw: { from: ['draft', 'returned', 'submitted'], to: 'withdrawn' },
  approve: { from: ['submitted'], to: 'approved' },
  return: { from: ['submitted', 'approved'], to: 'returned' },
  publish: { from: ['approved'], to: 'published' },
} as const satisfies Record<string, { from: readonly ChangeStatus[]; to: ChangeStatus }>;
export type Transition = keyof typeof TRANSITIONS;

export interface CurrentRecord {
  payload: Record<string, unknown>;
  officeIds: number[];
  departmentId: number;
}

/** The record as it stands now, in the shape of its change payload. */
export async function currentRecord(
  db: DbOrTx,
  entity: ChangeEntity,
  id: number,
): Promise<CurrentRecord | null> {
  if (entity === 'duty') {
    const d = await db.selectFrom('duties').selectAll().where('id', '=', id).executeTakeFirst();
    return d ? { payload: { seq: d.seq, text: d.text }, officeIds: [], departmentId: d.department_id } : null;
  }
  if (entity === 'workItem') {
    const w = await db
      .selectFrom('work_items as w')
      .innerJoin('duties as d', 'd.id', 'w.duty_id')
      .select(['w.id', 'w.duty_id', 'w.text', 'w.remark', 'd.department_id'])
      .where('w.id', '=', id)
      .executeTakeFirst();
    if (!w) return null;
    const links = await db
      .selectFrom('work_item_offices')
      .select('office_id')
      .where('work_item_id', '=', id)
      .orderBy('position')
      .execute();
    const officeIds = links.map((l) => l.office_id);
    return {
      payload: { dutyId: w.duty_id, text: w.text, officeIds, remark: w.remark },
      officeIds,
      departmentId: w.department_id,
    };
  }
  if (entity === 'office') {
    const o = await db.selectFrom('offices').selectAll().where('id', '=', id).executeTakeFirst();
    if (!o) return null;
    const aliases = await db
      .selectFrom('office_aliases')
      .select('alias')
      .where('office_id', '=', id)
      .orderBy('id')
      .execute();
    return {
      payload: { name: o.name, aliases: aliases.map((a) => a.alias) },
      officeIds: [o.id],
      departmentId: o.department_id,
    };
  }
  if (entity === 'share') {
    const s = await db
      .selectFrom('boundary_shares as s')
      .innerJoin('boundary_matters as m', 'm.id', 's.matter_id')
      .select(['s.matter_id', 's.department_id', 's.text', 'm.department_id as owner'])
      .where('s.id', '=', id)
      .executeTakeFirst();
    return s
      ? {
          payload: { matterId: s.matter_id, departmentId: s.department_id, text: s.text },
          officeIds: [],
          departmentId: s.owner,
        }
      : null;
  }
  const sv = await db.selectFrom('public_services').selectAll().where('id', '=', id).executeTakeFirst();
  if (!sv) return null;
  const offices = await db
    .selectFrom('service_offices')
    .select('office_id')
    .where('service_id', '=', id)
    .orderBy('position')
    .execute();
  const phones = await db
    .selectFrom('service_phones')
    .select('phone')
    .where('service_id', '=', id)
    .orderBy('position')
    .execute();
  const officeIds = offices.map((o) => o.office_id);
  return {
    payload: { name: sv.name, content: sv.content, officeIds, phones: phones.map((p) => p.phone) },
    officeIds,
    departmentId: sv.department_id,
  };
}

async function loadSet(db: DbOrTx, id: number) {
  const set = await db.selectFrom('change_sets').selectAll().where('id', '=', id).executeTakeFirst();
  if (!set) throw notFound(`调整单 ${id}`);
  return set;
}

async function ownerDepartment(db: DbOrTx, user: SessionUser): Promise<number> {
  if (user.officeIds.length) {
    const o = await db
      .selectFrom('offices')
      .select('department_id')
      .where('id', '=', user.officeIds[0]!)
      .executeTakeFirst();
    if (o) return o.department_id;
  }
  const d = await db.selectFrom('duties').select('department_id').orderBy('id').executeTakeFirst();
  if (!d) throw new AppError(409, 'empty_registry', '清单为空：请先导入部门职责清单');
  return d.department_id;
}

export async function createChangeSet(
  tx: Tx,
  user: SessionUser,
  input: { title: string; reason: string },
): Promise<number> {
  if (!canAuthor(user)) throw forbidden('只有科室编辑和系统管理员可以提出清单调整');
  const now = nowIso();
  const row = await tx
    .insertInto('change_sets')
    .values({
      title: input.title,
      reason: input.reason,
      status: 'draft',
      department_id: await ownerDepartment(tx, user),
      author_id: user.id,
      reviewer_id: null,
      review_comment: null,
      effective_date: null,
      version_id: null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'create',
    entity: 'change_set',
    entityId: row.id,
    after: input,
  });
  return row.id;
}

export interface ProposedChange {
  entity: ChangeEntity;
  op: ChangeOp;
  targetId?: number | null;
  payload?: unknown;
}

/** Adds one proposed change to a draft (or returned) set, after validation and the policy check. */
export async function addChange(
  tx: Tx,
  user: SessionUser,
  setId: number,
  change: ProposedChange,
): Promise<number> {
  const set = await loadSet(tx, setId);
  if (set.author_id !== user.id && user.role !== 'admin') throw forbidden('只能修改自己提出的调整单');
  if (set.status !== 'draft' && set.status !== 'returned') {
    throw new AppError(409, 'not_editable', '调整单已提交，不能再增加修改；请先撤回');
  }
  let before: CurrentRecord | null = null;
  if (change.op !== 'create') {
    if (!change.targetId) throw new AppError(400, 'missing_target', '请指明要修改或停用的记录');
    before = await currentRecord(tx, change.entity, change.targetId);
    if (!before) throw notFound(`${ENTITY_NAMES[change.entity]} ${change.targetId}`);
  }
  let payload: Record<string, unknown> | null = null;
  if (change.op !== 'retire') {
    const parsed = PAYLOADS[change.entity].safeParse(change.payload);
    if (!parsed.success) {
      throw new AppError(
        400,
        'invalid_change',
        parsed.error.issues.map((i) => i.message).join('；'),
        parsed.error.issues,
      );
    }
    payload = parsed.data as Record<string, unknown>;
    await checkReferences(tx, change.entity, payload);
  }
  const after = payload && 'officeIds' in payload ? { officeIds: payload.officeIds as number[] } : null;
  if (
    !canProposeOn(user, change.entity, before, change.op === 'retire' ? null : (after ?? { officeIds: [] }))
  ) {
    throw forbidden(`您无权调整这条${ENTITY_NAMES[change.entity]}：只能调整本科室的工作事项和公共服务事项`);
  }
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
      entity: change.entity,
      op: change.op,
      target_id: change.targetId ?? null,
      payload: JSON.stringify(payload ?? {}),
      before: before ? JSON.stringify(before.payload) : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx.updateTable('change_sets').set({ updated_at: nowIso() }).where('id', '=', setId).execute();
  await appendAudit(tx, {
    actor: actorOf(user),
    action: `propose-${change.op}`,
    entity: change.entity,
    entityId: change.targetId ?? null,
    before: before?.payload ?? null,
    after: { changeSet: setId, payload },
  });
  return row.id;
}

async function checkReferences(db: DbOrTx, entity: ChangeEntity, p: Record<string, unknown>): Promise<void> {
  const exists = async (
    table: 'duties' | 'offices' | 'boundary_matters' | 'departments',
    id: unknown,
    what: string,
  ) => {
    const r = await db.selectFrom(table).select('id').where('id', '=', Number(id)).executeTakeFirst();
    if (!r) throw new AppError(400, 'bad_reference', `${what} ${String(id)} 不存在`);
  };
  if (entity === 'workItem') await exists('duties', p.dutyId, '主要职责');
  if (entity === 'share') {
    await exists('boundary_matters', p.matterId, '管理事项');
    await exists('departments', p.departmentId, '部门');
  }
  for (const o of (p.officeIds as number[] | undefined) ?? []) await exists('offices', o, '科室');
}

export async function removeChange(tx: Tx, user: SessionUser, setId: number, itemId: number): Promise<void> {
  const set = await loadSet(tx, setId);
  if (set.author_id !== user.id && user.role !== 'admin') throw forbidden('只能修改自己提出的调整单');
  if (set.status !== 'draft' && set.status !== 'returned')
    throw new AppError(409, 'not_editable', '调整单已提交，不能再修改');
  const item = await tx
    .selectFrom('change_items')
    .selectAll()
    .where('id', '=', itemId)
    .where('change_set_id', '=', setId)
    .executeTakeFirst();
  if (!item) throw notFound(`调整项 ${itemId}`);
  await tx.deleteFrom('change_items').where('id', '=', itemId).execute();
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'withdraw-item',
    entity: 'change_item',
    entityId: itemId,
    before: { entity: item.entity, op: item.op, targetId: item.target_id, payload: JSON.parse(item.payload) },
  });
}

export interface TransitionInput {
  comment?: string;
  effectiveDate?: string;
}

/** Moves a change set along the workflow; publishing applies it and records a new version. */
export async function transitionChangeSet(
  tx: Tx,
  user: SessionUser,
  setId: number,
  action: Transition,
  input: TransitionInput = {},
): Promise<{ status: ChangeStatus; version?: number }> {
  const set = await loadSet(tx, setId);
  const rule = TRANSITIONS[action];
  const isAuthor = set.author_id === user.id;
  if (action === 'submit' || action === 'withdraw') {
    if (!isAuthor && user.role !== 'admin') throw forbidden('只有提出人可以提交或撤回调整单');
  } else if (action === 'publish') {
    if (!canPublish(user)) throw forbidden('只有审核人可以发布');
  } else if (!canReview(user, set.author_id)) {
    throw forbidden(isAuthor ? '不能审核自己提出的调整单' : '只有审核人可以审核');
  }
  if (!(rule.from as readonly string[]).includes(set.status)) {
    throw new AppError(409, 'bad_transition', `调整单当前状态不允许此操作（当前：${set.status}）`);
  }
  const items = await tx
    .selectFrom('change_items')
    .selectAll()
    .where('change_set_id', '=', setId)
    .orderBy('position')
    .execute();
  if (action === 'submit' && items.length === 0)
    throw new AppError(400, 'empty_change_set', '调整单中还没有任何修改');
  if (action === 'return' && !input.comment?.trim())
    throw new AppError(400, 'comment_required', '退回时请填写意见');
  const update: Record<string, unknown> = { status: rule.to, updated_at: nowIso() };
  if (action === 'approve' || action === 'return') {
    update.reviewer_id = user.id;
    update.review_comment = input.comment?.trim() || null;
  }
  let version: number | undefined;
  if (action === 'publish') {
    const effective = input.effectiveDate ?? todayInChina();
    if (!isCalendarDate(effective))
      throw new AppError(400, 'bad_date', '生效日期应为有效日期，格式 YYYY-MM-DD');
    for (const item of items) await applyChange(tx, user, set.department_id, item);
    const v = await publishVersion(tx, {
      reason: `${set.title}（调整依据：${set.reason}）`,
      effectiveDate: effective,
      changeSetId: setId,
      actor: actorOf(user),
    });
    version = v.number;
    update.effective_date = effective;
    update.version_id = v.id;
  }
  await tx.updateTable('change_sets').set(update).where('id', '=', setId).execute();
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

type ItemRow = {
  id: number;
  entity: string;
  op: string;
  target_id: number | null;
  payload: string;
  before: string | null;
};

async function nextPosition(
  tx: Tx,
  table: 'work_items' | 'boundary_shares',
  col: 'duty_id' | 'matter_id',
  id: number,
) {
  const r = await tx
    .selectFrom(table)
    .select((eb) => eb.fn.max('position').as('p'))
    .where(col, '=', id)
    .executeTakeFirst();
  return Number(r?.p ?? 0) + 1;
}

async function officeNames(tx: Tx, ids: number[]): Promise<string> {
  const rows = await tx.selectFrom('offices').select(['id', 'name']).where('id', 'in', ids).execute();
  return ids.map((i) => rows.find((r) => r.id === i)?.name ?? '').join('、');
}

/** Applies one change to the registry, refusing stale proposals, and audits it. */
async function applyChange(tx: Tx, user: SessionUser, departmentId: number, item: ItemRow): Promise<void> {
  const entity = item.entity as ChangeEntity;
  const op = item.op as ChangeOp;
  const p = JSON.parse(item.payload) as Record<string, unknown>;
  let targetId = item.target_id;
  const before = targetId ? await currentRecord(tx, entity, targetId) : null;
  if (op !== 'create') {
    if (!before)
      throw new AppError(
        409,
        'stale_change',
        `${ENTITY_NAMES[entity]} ${targetId} 已不存在，无法发布这项调整`,
      );
    if (item.before && JSON.stringify(before.payload) !== item.before) {
      throw new AppError(
        409,
        'stale_change',
        `${ENTITY_NAMES[entity]} ${targetId} 在提出调整后已被改动，请退回后重新提出`,
      );
    }
  }
  if (entity === 'duty') {
    const d = p as Payload<'duty'>;
    if (op === 'create') {
      const taken = await tx
        .selectFrom('duties')
        .select('id')
        .where('department_id', '=', departmentId)
        .where('seq', '=', d.seq)
        .executeTakeFirst();
      if (taken) throw new AppError(409, 'seq_taken', `主要职责序号 ${d.seq} 已存在`);
      targetId = (
        await tx
          .insertInto('duties')
          .values({
            department_id: departmentId,
            seq: d.seq,
            text: d.text,
            source_document_id: null,
            line_start: null,
            line_end: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    } else if (op === 'update') {
      await tx.updateTable('duties').set({ seq: d.seq, text: d.text }).where('id', '=', targetId!).execute();
    } else {
      const items = await tx
        .selectFrom('work_items')
        .select('id')
        .where('duty_id', '=', targetId!)
        .executeTakeFirst();
      if (items)
        throw new AppError(409, 'duty_has_items', '该主要职责下还有工作事项，请先停用或移走这些工作事项');
      await tx.deleteFrom('duties').where('id', '=', targetId!).execute();
    }
  } else if (entity === 'workItem') {
    const w = p as Payload<'workItem'>;
    if (op === 'retire') {
      await tx.deleteFrom('work_items').where('id', '=', targetId!).execute();
    } else {
      const officeText = await officeNames(tx, w.officeIds);
      if (op === 'create') {
        targetId = (
          await tx
            .insertInto('work_items')
            .values({
              duty_id: w.dutyId,
              position: await nextPosition(tx, 'work_items', 'duty_id', w.dutyId),
              text: w.text,
              office_text: officeText,
              remark: w.remark,
              source_document_id: null,
              line_start: null,
              line_end: null,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      } else {
        const moved = before!.payload.dutyId !== w.dutyId;
        await tx
          .updateTable('work_items')
          .set({
            text: w.text,
            office_text: officeText,
            remark: w.remark,
            ...(moved
              ? { duty_id: w.dutyId, position: await nextPosition(tx, 'work_items', 'duty_id', w.dutyId) }
              : {}),
          })
          .where('id', '=', targetId!)
          .execute();
        await tx.deleteFrom('work_item_offices').where('work_item_id', '=', targetId!).execute();
      }
      await tx
        .insertInto('work_item_offices')
        .values(w.officeIds.map((office_id, i) => ({ work_item_id: targetId!, office_id, position: i + 1 })))
        .execute();
    }
  } else if (entity === 'office') {
    const o = p as Payload<'office'>;
    if (op === 'retire') {
      const used = await tx
        .selectFrom('work_item_offices')
        .select('office_id')
        .where('office_id', '=', targetId!)
        .executeTakeFirst();
      const usedBy = await tx
        .selectFrom('service_offices')
        .select('office_id')
        .where('office_id', '=', targetId!)
        .executeTakeFirst();
      if (used || usedBy)
        throw new AppError(409, 'office_in_use', '该科室仍是某些工作事项或公共服务的承办科室，不能停用');
      await tx.deleteFrom('offices').where('id', '=', targetId!).execute();
    } else {
      if (op === 'create') {
        const pos = await tx
          .selectFrom('offices')
          .select((eb) => eb.fn.max('position').as('p'))
          .where('department_id', '=', departmentId)
          .executeTakeFirst();
        targetId = (
          await tx
            .insertInto('offices')
            .values({
              department_id: departmentId,
              name: o.name,
              is_group: 0,
              position: Number(pos?.p ?? 0) + 1,
              source_document_id: null,
              line_start: null,
              line_end: null,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      } else {
        await tx.updateTable('offices').set({ name: o.name }).where('id', '=', targetId!).execute();
        await tx.deleteFrom('office_aliases').where('office_id', '=', targetId!).execute();
      }
      const aliases = [...new Set(o.aliases)].filter((a) => a !== o.name);
      if (aliases.length)
        await tx
          .insertInto('office_aliases')
          .values(aliases.map((alias) => ({ office_id: targetId!, department_id: departmentId, alias })))
          .execute();
    }
  } else if (entity === 'share') {
    const s = p as Payload<'share'>;
    if (op === 'retire') {
      await tx.deleteFrom('boundary_shares').where('id', '=', targetId!).execute();
    } else {
      const dept = await tx
        .selectFrom('departments')
        .select('name')
        .where('id', '=', s.departmentId)
        .executeTakeFirstOrThrow();
      if (op === 'create') {
        targetId = (
          await tx
            .insertInto('boundary_shares')
            .values({
              matter_id: s.matterId,
              position: await nextPosition(tx, 'boundary_shares', 'matter_id', s.matterId),
              department_id: s.departmentId,
              department_text: dept.name,
              text: s.text,
              source_document_id: null,
              line_start: null,
              line_end: null,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      } else {
        await tx
          .updateTable('boundary_shares')
          .set({ department_id: s.departmentId, department_text: dept.name, text: s.text })
          .where('id', '=', targetId!)
          .execute();
      }
    }
  } else {
    const sv = p as Payload<'service'>;
    if (op === 'retire') {
      await tx.deleteFrom('public_services').where('id', '=', targetId!).execute();
    } else {
      const officeText = await officeNames(tx, sv.officeIds);
      const phoneText = sv.phones.join('、');
      if (op === 'create') {
        const seq = await tx
          .selectFrom('public_services')
          .select((eb) => eb.fn.max('seq').as('s'))
          .where('department_id', '=', departmentId)
          .executeTakeFirst();
        targetId = (
          await tx
            .insertInto('public_services')
            .values({
              department_id: departmentId,
              seq: Number(seq?.s ?? 0) + 1,
              name: sv.name,
              content: sv.content,
              office_text: officeText,
              phone_text: phoneText,
              source_document_id: null,
              line_start: null,
              line_end: null,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      } else {
        await tx
          .updateTable('public_services')
          .set({ name: sv.name, content: sv.content, office_text: officeText, phone_text: phoneText })
          .where('id', '=', targetId!)
          .execute();
        await tx.deleteFrom('service_offices').where('service_id', '=', targetId!).execute();
        await tx.deleteFrom('service_phones').where('service_id', '=', targetId!).execute();
      }
      await tx
        .insertInto('service_offices')
        .values(sv.officeIds.map((office_id, i) => ({ service_id: targetId!, office_id, position: i + 1 })))
        .execute();
      await tx
        .insertInto('service_phones')
        .values(sv.phones.map((phone, i) => ({ service_id: targetId!, position: i + 1, phone })))
        .execute();
    }
  }
  await appendAudit(tx, {
    actor: actorOf(user),
    action: op,
    entity,
    entityId: targetId,
    before: before?.payload ?? null,
    after: op === 'retire' ? null : p,
  });
}
