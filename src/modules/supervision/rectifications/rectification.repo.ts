import type { Insertable, Selectable } from 'kysely';
import type { DbOrTx, Tx } from '../../../db/database.ts';
import type {
  DeliveryConsentTable,
  EnforcementStepTable,
  RectificationOrderTable,
} from '../../../db/types.ts';
import { notFound } from '../../../http/errors.ts';

/**
 * Rectification orders, their escalation steps and the parties' consents to electronic delivery
 * (Kysely; `db` or a transaction first). No rules here: the services decide.
 */

export type OrderRow = Selectable<RectificationOrderTable>;
export type StepRow = Selectable<EnforcementStepTable>;
export type ConsentRow = Selectable<DeliveryConsentTable>;

export interface OrderListRow extends OrderRow {
  entityName: string;
  uscc: string;
  taskId: number;
  handlerName: string;
  reinspectorName: string | null;
  officeName: string | null;
}

const listQuery = (db: DbOrTx) =>
  db
    .selectFrom('rectification_orders as o')
    .innerJoin('regulated_entities as e', 'e.id', 'o.entity_id')
    .innerJoin('inspections as i', 'i.id', 'o.inspection_id')
    .innerJoin('users as h', 'h.id', 'o.handler_id')
    .leftJoin('users as r', 'r.id', 'o.reinspector_id')
    .leftJoin('offices as f', 'f.id', 'o.office_id')
    .selectAll('o')
    .select([
      'e.name as entityName',
      'e.uscc as uscc',
      'i.task_id as taskId',
      'h.display_name as handlerName',
      'r.display_name as reinspectorName',
      'f.name as officeName',
    ]);

export async function listOrders(
  db: DbOrTx,
  filter: { statuses?: readonly string[]; regimes?: readonly number[]; inspectionId?: number } = {},
): Promise<OrderListRow[]> {
  let q = listQuery(db);
  if (filter.statuses) q = q.where('o.status', 'in', [...filter.statuses]);
  if (filter.regimes) {
    if (filter.regimes.length === 0) return [];
    q = q.where('o.regime_seq', 'in', [...filter.regimes]);
  }
  if (filter.inspectionId !== undefined) q = q.where('o.inspection_id', '=', filter.inspectionId);
  return (await q.orderBy('o.id', 'desc').execute()) as OrderListRow[];
}

export async function loadOrder(db: DbOrTx, id: number): Promise<OrderListRow> {
  const row = await listQuery(db).where('o.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('这份整改通知');
  return row as OrderListRow;
}

export async function insertOrder(tx: Tx, values: Insertable<RectificationOrderTable>): Promise<number> {
  const row = await tx
    .insertInto('rectification_orders')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateOrder(
  tx: Tx,
  id: number,
  values: Partial<Omit<OrderRow, 'id' | 'inspection_id' | 'entity_id' | 'regime_seq'>>,
): Promise<void> {
  await tx.updateTable('rectification_orders').set(values).where('id', '=', id).execute();
}

/** status → `to` where the status is one of `from`; false when no row moved. */
export async function moveOrderStatus(
  tx: Tx,
  id: number,
  from: readonly string[],
  to: string,
  set: Partial<OrderRow>,
): Promise<boolean> {
  const moved = await tx
    .updateTable('rectification_orders')
    .set({ ...set, status: to })
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .returning('id')
    .executeTakeFirst();
  return moved !== undefined;
}

export async function listSteps(db: DbOrTx, orderId: number): Promise<StepRow[]> {
  return db
    .selectFrom('enforcement_steps')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('id')
    .execute();
}

export async function insertStep(tx: Tx, values: Insertable<EnforcementStepTable>): Promise<number> {
  const row = await tx
    .insertInto('enforcement_steps')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertConsent(tx: Tx, values: Insertable<DeliveryConsentTable>): Promise<number> {
  const row = await tx
    .insertInto('delivery_consents')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The party's consents to electronic delivery in force on `on` (signed by then, not withdrawn), newest first. */
export async function consentsInForce(db: DbOrTx, entityId: number, on: string): Promise<ConsentRow[]> {
  return db
    .selectFrom('delivery_consents')
    .selectAll()
    .where('entity_id', '=', entityId)
    .where('signed_on', '<=', on)
    .where((eb) => eb.or([eb('withdrawn_on', 'is', null), eb('withdrawn_on', '>', on)]))
    .orderBy('signed_on', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function listConsents(db: DbOrTx, entityId: number): Promise<ConsentRow[]> {
  return db
    .selectFrom('delivery_consents')
    .selectAll()
    .where('entity_id', '=', entityId)
    .orderBy('id', 'desc')
    .execute();
}

/** The office's id by its name (the owner of a regime), or null. */
export async function officeIdByName(db: DbOrTx, name: string | undefined): Promise<number | null> {
  if (!name) return null;
  const row = await db.selectFrom('offices').select('id').where('name', '=', name).executeTakeFirst();
  return row?.id ?? null;
}

/** An active account with the inspector role (a re-inspector), or undefined. */
export async function inspectorAccount(db: DbOrTx, userId: number) {
  return db
    .selectFrom('users')
    .select(['id', 'display_name', 'role', 'active'])
    .where('id', '=', userId)
    .executeTakeFirst();
}
