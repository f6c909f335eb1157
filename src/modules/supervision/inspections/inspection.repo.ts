import type { Insertable, Selectable } from 'kysely';
import type { DbOrTx, Tx } from '../../../db/database.ts';
import type {
  InspectionAttachmentTable,
  InspectionItemTable,
  InspectionTable,
  TaskAdjustmentTable,
} from '../../../db/types.ts';
import { notFound } from '../../../http/errors.ts';
import { type PlanRow, TASK_PLAN_STATUSES } from '../plans/plan.repo.ts';

/**
 * The inspections' queries (Kysely; `db` or a transaction first): a drawn task with its entity and
 * inspectors, the on-site record, its checklist, confirmations and attachments, adjustments after
 * the draw and the published results. No rules here: the services decide.
 */

export type InspectionRow = Selectable<InspectionTable>;
export type AdjustmentRow = Selectable<TaskAdjustmentTable>;

export interface TaskInspector {
  inspectorId: number;
  certificate: string;
  name: string;
  userId: number | null;
  position: number;
}

export interface TaskContext {
  task: {
    id: number;
    planId: number;
    position: number;
    entityId: number;
    uscc: string;
    name: string;
    county: string;
  };
  /** The whole plan row (its inspection period, when the plans table has one, is read from it). */
  plan: PlanRow;
  entity: {
    address: string | null;
    licenceNo: string | null;
    licenceValidUntil: string | null;
    status: string;
  };
  inspectors: TaskInspector[];
}

/** The current inspectors of tasks, by task id (in their assignment order). */
export async function taskInspectors(
  db: DbOrTx,
  taskIds: readonly number[],
): Promise<Map<number, TaskInspector[]>> {
  const out = new Map<number, TaskInspector[]>();
  for (let i = 0; i < taskIds.length; i += 500) {
    const rows = await db
      .selectFrom('plan_task_inspectors as ti')
      .innerJoin('inspectors as i', 'i.id', 'ti.inspector_id')
      .select(['ti.task_id', 'ti.inspector_id', 'ti.certificate_no', 'ti.position', 'i.name', 'i.user_id'])
      .where('ti.task_id', 'in', taskIds.slice(i, i + 500))
      .orderBy('ti.task_id')
      .orderBy('ti.position')
      .execute();
    for (const r of rows) {
      const list = out.get(r.task_id) ?? [];
      list.push({
        inspectorId: r.inspector_id,
        certificate: r.certificate_no,
        name: r.name,
        userId: r.user_id,
        position: r.position,
      });
      out.set(r.task_id, list);
    }
  }
  return out;
}

/** A task of a drawn plan with its plan, entity and current inspectors; 404 otherwise. */
export async function loadTaskContext(db: DbOrTx, taskId: number): Promise<TaskContext> {
  const t = await db
    .selectFrom('plan_tasks as t')
    .innerJoin('inspection_plans as p', 'p.id', 't.plan_id')
    .innerJoin('regulated_entities as e', 'e.id', 't.entity_id')
    .select([
      't.id',
      't.plan_id',
      't.position',
      't.entity_id',
      't.uscc',
      't.name',
      't.county',
      'e.address',
      'e.licence_no',
      'e.licence_valid_until',
      'e.status as entity_status',
    ])
    .where('t.id', '=', taskId)
    .where('p.status', 'in', [...TASK_PLAN_STATUSES])
    .executeTakeFirst();
  if (!t) throw notFound('这项抽查任务');
  const plan = await db
    .selectFrom('inspection_plans')
    .selectAll()
    .where('id', '=', t.plan_id)
    .executeTakeFirstOrThrow();
  return {
    task: {
      id: t.id,
      planId: t.plan_id,
      position: t.position,
      entityId: t.entity_id,
      uscc: t.uscc,
      name: t.name,
      county: t.county,
    },
    plan,
    entity: {
      address: t.address,
      licenceNo: t.licence_no,
      licenceValidUntil: t.licence_valid_until,
      status: t.entity_status,
    },
    inspectors: (await taskInspectors(db, [taskId])).get(taskId) ?? [],
  };
}

/** Address and licence of entities, by entity id. */
export async function entityDetails(
  db: DbOrTx,
  entityIds: readonly number[],
): Promise<Map<number, { address: string | null; licenceNo: string | null }>> {
  const out = new Map<number, { address: string | null; licenceNo: string | null }>();
  for (let i = 0; i < entityIds.length; i += 500) {
    const rows = await db
      .selectFrom('regulated_entities')
      .select(['id', 'address', 'licence_no'])
      .where('id', 'in', entityIds.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.id, { address: r.address, licenceNo: r.licence_no });
  }
  return out;
}

/** The drawn plans' rows, by id. */
export async function planRows(db: DbOrTx, planIds: readonly number[]): Promise<Map<number, PlanRow>> {
  if (planIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('inspection_plans')
    .selectAll()
    .where('id', 'in', [...new Set(planIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

// ───────────────────────────── the record ─────────────────────────────

export async function findInspection(db: DbOrTx, taskId: number): Promise<InspectionRow | undefined> {
  return db.selectFrom('inspections').selectAll().where('task_id', '=', taskId).executeTakeFirst();
}

export async function loadInspection(db: DbOrTx, id: number): Promise<InspectionRow> {
  const row = await db.selectFrom('inspections').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('这项抽查结果');
  return row;
}

/** Inspections of tasks, by task id. */
export async function inspectionsOfTasks(
  db: DbOrTx,
  taskIds: readonly number[],
): Promise<Map<number, InspectionRow>> {
  const out = new Map<number, InspectionRow>();
  for (let i = 0; i < taskIds.length; i += 500) {
    const rows = await db
      .selectFrom('inspections')
      .selectAll()
      .where('task_id', 'in', taskIds.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.task_id, r);
  }
  return out;
}

export async function insertInspection(tx: Tx, values: Insertable<InspectionTable>): Promise<number> {
  const row = await tx.insertInto('inspections').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateInspection(
  tx: Tx,
  id: number,
  values: Partial<Omit<InspectionRow, 'id' | 'task_id' | 'plan_id'>>,
): Promise<void> {
  await tx.updateTable('inspections').set(values).where('id', '=', id).execute();
}

/** status → `to` where the status is one of `from`; false when no row moved. */
export async function moveInspectionStatus(
  tx: Tx,
  id: number,
  from: readonly string[],
  to: string,
  set: Record<string, string | number | null>,
): Promise<boolean> {
  const moved = await tx
    .updateTable('inspections')
    .set({ ...set, status: to })
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .returning('id')
    .executeTakeFirst();
  return moved !== undefined;
}

export type ItemRow = Selectable<InspectionItemTable>;

export async function insertItems(tx: Tx, items: readonly Insertable<InspectionItemTable>[]): Promise<void> {
  if (items.length > 0)
    await tx
      .insertInto('inspection_items')
      .values([...items])
      .execute();
}

export async function listItems(db: DbOrTx, inspectionId: number): Promise<ItemRow[]> {
  return db
    .selectFrom('inspection_items')
    .selectAll()
    .where('inspection_id', '=', inspectionId)
    .orderBy('position')
    .execute();
}

export async function answerItem(
  tx: Tx,
  inspectionId: number,
  position: number,
  answer: string | null,
  note: string | null,
): Promise<void> {
  await tx
    .updateTable('inspection_items')
    .set({ answer, note })
    .where('inspection_id', '=', inspectionId)
    .where('position', '=', position)
    .execute();
}

// ───────────────────────────── confirmations ─────────────────────────────

export async function listConfirmations(db: DbOrTx, inspectionId: number) {
  return db
    .selectFrom('inspection_confirmations')
    .selectAll()
    .where('inspection_id', '=', inspectionId)
    .orderBy('confirmed_at')
    .execute();
}

export async function insertConfirmation(
  tx: Tx,
  values: {
    inspection_id: number;
    inspector_id: number;
    user_id: number;
    version: number;
    confirmed_at: string;
  },
): Promise<void> {
  await tx.insertInto('inspection_confirmations').values(values).execute();
}

/** Removes every confirmation of the record; returns how many there were. */
export async function clearConfirmations(tx: Tx, inspectionId: number): Promise<number> {
  const rows = await tx
    .deleteFrom('inspection_confirmations')
    .where('inspection_id', '=', inspectionId)
    .returning('inspector_id')
    .execute();
  return rows.length;
}

// ───────────────────────────── attachments ─────────────────────────────

export type AttachmentMeta = Omit<Selectable<InspectionAttachmentTable>, 'data'>;

const ATTACHMENT_META = [
  'id',
  'inspection_id',
  'filename',
  'content_type',
  'size',
  'sha256',
  'original_sha256',
  'removed',
  'uploaded_by',
  'uploaded_at',
] as const;

export async function insertAttachment(
  tx: Tx,
  values: Insertable<InspectionAttachmentTable>,
): Promise<number> {
  const row = await tx
    .insertInto('inspection_attachments')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function listAttachments(db: DbOrTx, inspectionId: number): Promise<AttachmentMeta[]> {
  return db
    .selectFrom('inspection_attachments')
    .select(ATTACHMENT_META)
    .where('inspection_id', '=', inspectionId)
    .orderBy('id')
    .execute();
}

/** One attachment with its bytes, when it belongs to the inspection. */
export async function attachmentData(
  db: DbOrTx,
  inspectionId: number,
  attachmentId: number,
): Promise<Selectable<InspectionAttachmentTable> | undefined> {
  return db
    .selectFrom('inspection_attachments')
    .selectAll()
    .where('id', '=', attachmentId)
    .where('inspection_id', '=', inspectionId)
    .executeTakeFirst();
}

// ───────────────────────────── adjustments after the draw ─────────────────────────────

export async function listAdjustments(db: DbOrTx, planId: number): Promise<AdjustmentRow[]> {
  return db.selectFrom('task_adjustments').selectAll().where('plan_id', '=', planId).orderBy('seq').execute();
}

export async function insertAdjustment(
  tx: Tx,
  values: Omit<Insertable<TaskAdjustmentTable>, 'seq'>,
): Promise<{ id: number; seq: number }> {
  const last = await tx
    .selectFrom('task_adjustments')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('plan_id', '=', values.plan_id)
    .executeTakeFirst();
  const seq = Number(last?.seq ?? 0) + 1;
  const row = await tx
    .insertInto('task_adjustments')
    .values({ ...values, seq })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, seq };
}

/** Puts `to` in the place of `from` on the task (same position); false when `from` was not on it. */
export async function swapTaskInspector(
  tx: Tx,
  taskId: number,
  from: TaskInspector,
  to: { inspectorId: number; certificate: string },
): Promise<boolean> {
  const gone = await tx
    .deleteFrom('plan_task_inspectors')
    .where('task_id', '=', taskId)
    .where('inspector_id', '=', from.inspectorId)
    .returning('task_id')
    .execute();
  if (gone.length === 0) return false;
  await tx
    .insertInto('plan_task_inspectors')
    .values({
      task_id: taskId,
      inspector_id: to.inspectorId,
      certificate_no: to.certificate,
      position: from.position,
    })
    .execute();
  return true;
}

/** Registers a declared conflict in the inspector register (unless it is there already). */
export async function registerConflict(
  tx: Tx,
  inspectorId: number,
  entityId: number,
  reason: string,
  at: string,
): Promise<void> {
  const dup = await tx
    .selectFrom('inspector_conflicts')
    .select('id')
    .where('inspector_id', '=', inspectorId)
    .where('entity_id', '=', entityId)
    .executeTakeFirst();
  if (!dup) {
    await tx
      .insertInto('inspector_conflicts')
      .values({ inspector_id: inspectorId, entity_id: entityId, reason, created_at: at })
      .execute();
  }
}

/** The frozen (published) inspectors of a plan with their register ids and conflicts. */
export async function publishedInspectors(db: DbOrTx, planId: number) {
  const rows = await db
    .selectFrom('plan_inspectors')
    .select(['certificate_no', 'inspector_id', 'county', 'conflicts'])
    .where('plan_id', '=', planId)
    .orderBy('certificate_no')
    .execute();
  return rows.map((r) => ({
    certificate: r.certificate_no,
    inspectorId: r.inspector_id,
    county: r.county,
    conflicts: r.conflicts ? r.conflicts.split(',') : [],
  }));
}

// ───────────────────────────── results ─────────────────────────────

export interface ResultRow {
  id: number;
  taskId: number;
  planId: number;
  planTitle: string;
  position: number;
  uscc: string;
  name: string;
  county: string;
  status: string;
  checkedOn: string | null;
  resultCode: string | null;
  resultSummary: string | null;
  submittedAt: string | null;
  publishedAt: string | null;
  withdrawnAt: string | null;
  withdrawalReason: string | null;
}

/** Inspections with their task and plan, filtered by status and plan, in plan and task order. */
export async function listResults(
  db: DbOrTx,
  filter: { statuses: readonly string[]; planId?: number; planStatuses?: readonly string[] },
): Promise<ResultRow[]> {
  let q = db
    .selectFrom('inspections as r')
    .innerJoin('plan_tasks as t', 't.id', 'r.task_id')
    .innerJoin('inspection_plans as p', 'p.id', 'r.plan_id')
    .select([
      'r.id',
      'r.task_id',
      'r.plan_id',
      'p.title',
      't.position',
      't.uscc',
      't.name',
      't.county',
      'r.status',
      'r.checked_on',
      'r.result_code',
      'r.result_summary',
      'r.submitted_at',
      'r.published_at',
      'r.withdrawn_at',
      'r.withdrawal_reason',
    ])
    .where('r.status', 'in', [...filter.statuses]);
  if (filter.planId !== undefined) q = q.where('r.plan_id', '=', filter.planId);
  if (filter.planStatuses) q = q.where('p.status', 'in', [...filter.planStatuses]);
  const rows = await q.orderBy('r.plan_id', 'desc').orderBy('t.position').execute();
  return rows.map((r) => ({
    id: r.id,
    taskId: r.task_id,
    planId: r.plan_id,
    planTitle: r.title,
    position: r.position,
    uscc: r.uscc,
    name: r.name,
    county: r.county,
    status: r.status,
    checkedOn: r.checked_on,
    resultCode: r.result_code,
    resultSummary: r.result_summary,
    submittedAt: r.submitted_at,
    publishedAt: r.published_at,
    withdrawnAt: r.withdrawn_at,
    withdrawalReason: r.withdrawal_reason,
  }));
}

/** Accounts that confirmed any version of inspections, by inspection id. */
export async function confirmersOf(
  db: DbOrTx,
  inspectionIds: readonly number[],
): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  if (inspectionIds.length === 0) return out;
  const rows = await db
    .selectFrom('inspection_confirmations')
    .select(['inspection_id', 'user_id'])
    .where('inspection_id', 'in', [...inspectionIds])
    .execute();
  for (const r of rows) out.set(r.inspection_id, [...(out.get(r.inspection_id) ?? []), r.user_id]);
  return out;
}
