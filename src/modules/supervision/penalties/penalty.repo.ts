import type { Insertable, Selectable } from 'kysely';
import type { DbOrTx, Tx } from '../../../db/database.ts';
import type { PenaltyCaseTable } from '../../../db/types.ts';
import { notFound } from '../../../http/errors.ts';

/** Penalty cases (Kysely; `db` or a transaction first). No rules here: the services decide. */

export type CaseRow = Selectable<PenaltyCaseTable>;

export interface CaseListRow extends CaseRow {
  entityName: string;
  uscc: string;
  entityAddress: string | null;
  handlerName: string;
  officeName: string | null;
}

const listQuery = (db: DbOrTx) =>
  db
    .selectFrom('penalty_cases as c')
    .innerJoin('regulated_entities as e', 'e.id', 'c.entity_id')
    .innerJoin('users as h', 'h.id', 'c.handler_id')
    .leftJoin('offices as f', 'f.id', 'c.office_id')
    .selectAll('c')
    .select([
      'e.name as entityName',
      'e.uscc as uscc',
      'e.address as entityAddress',
      'h.display_name as handlerName',
      'f.name as officeName',
    ]);

export async function listCases(
  db: DbOrTx,
  filter: { statuses?: readonly string[]; regimes?: readonly number[]; orderId?: number } = {},
): Promise<CaseListRow[]> {
  let q = listQuery(db);
  if (filter.statuses) q = q.where('c.status', 'in', [...filter.statuses]);
  if (filter.regimes) {
    if (filter.regimes.length === 0) return [];
    q = q.where('c.regime_seq', 'in', [...filter.regimes]);
  }
  if (filter.orderId !== undefined) q = q.where('c.order_id', '=', filter.orderId);
  return (await q.orderBy('c.id', 'desc').execute()) as CaseListRow[];
}

export async function loadCase(db: DbOrTx, id: number): Promise<CaseListRow> {
  const row = await listQuery(db).where('c.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('这件处罚案件');
  return row as CaseListRow;
}

export async function insertCase(tx: Tx, values: Insertable<PenaltyCaseTable>): Promise<number> {
  const row = await tx.insertInto('penalty_cases').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateCase(
  tx: Tx,
  id: number,
  values: Partial<Omit<CaseRow, 'id' | 'entity_id' | 'regime_seq' | 'rule_key'>>,
): Promise<void> {
  await tx.updateTable('penalty_cases').set(values).where('id', '=', id).execute();
}

/** status → `to` where the status is one of `from`; false when no row moved. */
export async function moveCaseStatus(
  tx: Tx,
  id: number,
  from: readonly string[],
  to: string,
  set: Partial<CaseRow>,
): Promise<boolean> {
  const moved = await tx
    .updateTable('penalty_cases')
    .set({ ...set, status: to })
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .returning('id')
    .executeTakeFirst();
  return moved !== undefined;
}

/**
 * Penalty decisions (a fine or a warning decided, paid or not) against the card sellers registered
 * as belonging to the issuer, decided from `from` to `to` inclusive: the register's own history.
 */
export async function sellerPenalties(
  db: DbOrTx,
  issuerEntityId: number,
  from: string,
  to: string,
): Promise<Array<{ id: number; entityName: string; decisionOn: string }>> {
  const rows = await db
    .selectFrom('penalty_cases as c')
    .innerJoin('prepaid_card_sellers as s', 's.seller_entity_id', 'c.entity_id')
    .innerJoin('regulated_entities as e', 'e.id', 'c.entity_id')
    .select(['c.id', 'e.name', 'c.decision_on'])
    .where('s.issuer_entity_id', '=', issuerEntityId)
    .where('c.status', 'in', ['decided', 'paid'])
    .where('c.decision_on', '>=', from)
    .where('c.decision_on', '<=', to)
    .orderBy('c.decision_on')
    .execute();
  return rows.map((r) => ({ id: r.id, entityName: r.name, decisionOn: r.decision_on! }));
}

export async function entityOf(db: DbOrTx, id: number) {
  const row = await db
    .selectFrom('regulated_entities')
    .select(['id', 'name', 'uscc', 'address'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('这个检查对象');
  return row;
}

export async function entityCategories(db: DbOrTx, id: number): Promise<string[]> {
  const rows = await db
    .selectFrom('regulated_entity_categories')
    .select('category_code')
    .where('entity_id', '=', id)
    .execute();
  return rows.map((r) => r.category_code);
}

/** Records that a card seller belongs to a filed issuer (隶属的售卡企业). */
export async function linkSeller(tx: Tx, sellerId: number, issuerId: number, userId: number, at: string) {
  await tx
    .insertInto('prepaid_card_sellers')
    .values({ seller_entity_id: sellerId, issuer_entity_id: issuerId, recorded_by: userId, recorded_at: at })
    .onConflict((oc) => oc.column('seller_entity_id').doUpdateSet({ issuer_entity_id: issuerId }))
    .execute();
}
