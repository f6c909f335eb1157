import type { Selectable } from 'kysely';
import type { DbOrTx, Tx } from '../../db/database.ts';
import type { ContactEntryTable } from '../../db/types.ts';

/** The directory's queries: the bureau, its offices and other departments, part 4's phones, the entries staff keep. */

export type ContactEntryRow = Selectable<ContactEntryTable>;

/** The department whose lists these are: the one with a duty list (衡水市商务局). */
export async function bureauDepartment(db: DbOrTx): Promise<{ id: number; name: string } | null> {
  const r = await db
    .selectFrom('duties as u')
    .innerJoin('departments as d', 'd.id', 'u.department_id')
    .select(['d.id', 'd.name'])
    .orderBy('u.id')
    .executeTakeFirst();
  return r ?? null;
}

export const officesOf = (db: DbOrTx, departmentId: number) =>
  db
    .selectFrom('offices')
    .select(['id', 'name'])
    .where('department_id', '=', departmentId)
    .where('is_group', '=', 0)
    .orderBy('position')
    .orderBy('id')
    .execute();

export const departmentsExcept = (db: DbOrTx, departmentId: number | null) => {
  let q = db.selectFrom('departments').select(['id', 'name']);
  if (departmentId !== null) q = q.where('id', '!=', departmentId);
  return q.orderBy('position').orderBy('id').execute();
};

/** The public services of part 4 with their offices and phones, each in its published order. */
export async function servicePhones(db: DbOrTx) {
  const [services, offices, phones] = await Promise.all([
    db.selectFrom('public_services').select(['id', 'seq', 'name', 'line_start']).orderBy('seq').execute(),
    db
      .selectFrom('service_offices')
      .select(['service_id', 'office_id', 'position'])
      .orderBy('position')
      .execute(),
    db.selectFrom('service_phones').select(['service_id', 'phone', 'position']).orderBy('position').execute(),
  ]);
  return services.map((s) => ({
    ...s,
    officeIds: offices.filter((o) => o.service_id === s.id).map((o) => o.office_id),
    phones: phones.filter((p) => p.service_id === s.id).map((p) => p.phone),
  }));
}

export const listEntries = (db: DbOrTx): Promise<ContactEntryRow[]> =>
  db.selectFrom('contact_entries').selectAll().orderBy('id').execute();

export async function findEntry(
  db: DbOrTx,
  kind: string,
  officeId: number | null,
  departmentId: number | null,
): Promise<ContactEntryRow | undefined> {
  let q = db.selectFrom('contact_entries').selectAll().where('kind', '=', kind);
  q = officeId === null ? q.where('office_id', 'is', null) : q.where('office_id', '=', officeId);
  q =
    departmentId === null
      ? q.where('department_id', 'is', null)
      : q.where('department_id', '=', departmentId);
  return q.executeTakeFirst();
}

export type EntryValues = Pick<
  ContactEntryRow,
  'phone' | 'address' | 'hours' | 'note' | 'source' | 'updated_by' | 'updated_at'
>;

export async function insertEntry(
  tx: Tx,
  values: EntryValues & Pick<ContactEntryRow, 'kind' | 'office_id' | 'department_id'>,
): Promise<number> {
  const r = await tx.insertInto('contact_entries').values(values).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function updateEntry(tx: Tx, id: number, values: EntryValues): Promise<void> {
  await tx.updateTable('contact_entries').set(values).where('id', '=', id).execute();
}
