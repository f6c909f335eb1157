import type { DbOrTx } from '../../../db/database.ts';

/** What change forms choose among and change tables name by id: duties, offices, matters, departments. */
export interface ChangeChoices {
  duties: Array<{ id: number; seq: number; text: string }>;
  offices: Array<{ id: number; name: string; isGroup: boolean; departmentId: number }>;
  matters: Array<{ id: number; seq: number; name: string }>;
  departments: Array<{ id: number; name: string }>;
}

export async function loadChangeChoices(db: DbOrTx): Promise<ChangeChoices> {
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

/** The department new change sets of this person belong to: that of their first office, else the lists'. */
export async function departmentOfOffices(db: DbOrTx, officeIds: readonly number[]): Promise<number | null> {
  if (officeIds.length) {
    const o = await db
      .selectFrom('offices')
      .select('department_id')
      .where('id', '=', officeIds[0]!)
      .executeTakeFirst();
    if (o) return o.department_id;
  }
  const d = await db.selectFrom('duties').select('department_id').orderBy('id').executeTakeFirst();
  return d?.department_id ?? null;
}
