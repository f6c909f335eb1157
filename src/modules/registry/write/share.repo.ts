import type { Tx } from '../../../db/database.ts';
import { NO_PROVENANCE, nextPosition } from './common.ts';

/** Writes of the boundary_shares table (职责分工 of a boundary matter). */

export interface ShareValues {
  matterId: number;
  departmentId: number;
  text: string;
}

/** What an insert and an update both write; department_text is the department's name as the record shows it. */
async function columns(tx: Tx, s: ShareValues) {
  const department = await tx
    .selectFrom('departments')
    .select('name')
    .where('id', '=', s.departmentId)
    .executeTakeFirstOrThrow();
  return { department_id: s.departmentId, department_text: department.name, text: s.text };
}

export async function insertShare(tx: Tx, s: ShareValues): Promise<number> {
  const row = await tx
    .insertInto('boundary_shares')
    .values({
      matter_id: s.matterId,
      position: await nextPosition(tx, { table: 'boundary_shares', parent: 'matter_id' }, s.matterId),
      ...(await columns(tx, s)),
      ...NO_PROVENANCE,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateShare(tx: Tx, id: number, s: ShareValues): Promise<void> {
  await tx
    .updateTable('boundary_shares')
    .set(await columns(tx, s))
    .where('id', '=', id)
    .execute();
}

export async function deleteShare(tx: Tx, id: number): Promise<void> {
  await tx.deleteFrom('boundary_shares').where('id', '=', id).execute();
}
