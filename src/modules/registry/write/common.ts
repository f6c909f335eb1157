import type { DbOrTx } from '../../../db/database.ts';

/**
 * Rules every writer of the registry tables follows, written once: records entered by staff
 * carry no provenance (they stand in no source document), a new child goes after its siblings,
 * and a record's office_text names its offices in their order.
 */

export const NO_PROVENANCE = { source_document_id: null, line_start: null, line_end: null } as const;

type Positioned =
  | { table: 'work_items'; parent: 'duty_id' }
  | { table: 'boundary_shares'; parent: 'matter_id' }
  | { table: 'offices'; parent: 'department_id' };

/** The position after the last child of the parent (1 for the first). */
export async function nextPosition(db: DbOrTx, of: Positioned, parentId: number): Promise<number> {
  const r = await db
    .selectFrom(of.table)
    .select((eb) => eb.fn.max('position').as('p'))
    .where(of.parent, '=', parentId)
    .executeTakeFirst();
  return Number(r?.p ?? 0) + 1;
}

/** The 序号 after the department's last public service (1 for the first). */
export async function nextServiceSeq(db: DbOrTx, departmentId: number): Promise<number> {
  const r = await db
    .selectFrom('public_services')
    .select((eb) => eb.fn.max('seq').as('s'))
    .where('department_id', '=', departmentId)
    .executeTakeFirst();
  return Number(r?.s ?? 0) + 1;
}

/** The denormalised office_text of a record: its offices' names in order, joined with 、. */
export async function officeText(db: DbOrTx, officeIds: readonly number[]): Promise<string> {
  if (officeIds.length === 0) return '';
  const rows = await db
    .selectFrom('offices')
    .select(['id', 'name'])
    .where('id', 'in', [...officeIds])
    .execute();
  const names = new Map(rows.map((r) => [r.id, r.name]));
  return officeIds.map((i) => names.get(i) ?? '').join('、');
}

/** The office links of work items and of services. */
export type OfficeLinks =
  | { table: 'work_item_offices'; owner: 'work_item_id' }
  | { table: 'service_offices'; owner: 'service_id' };

export const WORK_ITEM_OFFICES = { table: 'work_item_offices', owner: 'work_item_id' } as const;
export const SERVICE_OFFICES = { table: 'service_offices', owner: 'service_id' } as const;

/** The offices a work item or a service links to, in their order. */
export async function officeLinks(db: DbOrTx, link: OfficeLinks, ownerId: number): Promise<number[]> {
  // biome-ignore lint/suspicious/noExplicitAny: the two link tables have the same shape.
  const q = db as any;
  const rows: Array<{ office_id: number }> = await q
    .selectFrom(link.table)
    .select('office_id')
    .where(link.owner, '=', ownerId)
    .orderBy('position')
    .execute();
  return rows.map((r) => r.office_id);
}

/** Replaces the ordered office links of a work item or a service. */
export async function setOfficeLinks(
  db: DbOrTx,
  link: OfficeLinks,
  ownerId: number,
  officeIds: readonly number[],
): Promise<void> {
  // biome-ignore lint/suspicious/noExplicitAny: the two link tables have the same shape.
  const q = db as any;
  await q.deleteFrom(link.table).where(link.owner, '=', ownerId).execute();
  if (officeIds.length === 0) return;
  await q
    .insertInto(link.table)
    .values(officeIds.map((office_id, i) => ({ [link.owner]: ownerId, office_id, position: i + 1 })))
    .execute();
}
