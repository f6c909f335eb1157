import type { Tx } from '../../../db/database.ts';
import { AppError } from '../../../http/errors.ts';
import { NO_PROVENANCE, nextPosition } from './common.ts';

/** Writes of the offices table (内设科室) and its aliases. */

export interface OfficeValues {
  name: string;
  aliases: string[];
}

export async function insertOffice(tx: Tx, departmentId: number, o: OfficeValues): Promise<number> {
  const row = await tx
    .insertInto('offices')
    .values({
      department_id: departmentId,
      name: o.name,
      is_group: 0,
      position: await nextPosition(tx, { table: 'offices', parent: 'department_id' }, departmentId),
      ...NO_PROVENANCE,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await setAliases(tx, row.id, departmentId, o);
  return row.id;
}

export async function updateOffice(tx: Tx, id: number, departmentId: number, o: OfficeValues): Promise<void> {
  await tx.updateTable('offices').set({ name: o.name }).where('id', '=', id).execute();
  await tx.deleteFrom('office_aliases').where('office_id', '=', id).execute();
  await setAliases(tx, id, departmentId, o);
}

/** Refuses (409) while a work item or a service names the office. */
export async function deleteOffice(tx: Tx, id: number): Promise<void> {
  const [item, service] = await Promise.all([
    tx.selectFrom('work_item_offices').select('office_id').where('office_id', '=', id).executeTakeFirst(),
    tx.selectFrom('service_offices').select('office_id').where('office_id', '=', id).executeTakeFirst(),
  ]);
  if (item || service)
    throw new AppError(409, 'office_in_use', '该科室仍是某些工作事项或公共服务的承办科室，不能停用');
  await tx.deleteFrom('offices').where('id', '=', id).execute();
}

async function setAliases(tx: Tx, officeId: number, departmentId: number, o: OfficeValues): Promise<void> {
  const aliases = [...new Set(o.aliases)].filter((a) => a !== o.name);
  if (aliases.length === 0) return;
  await tx
    .insertInto('office_aliases')
    .values(aliases.map((alias) => ({ office_id: officeId, department_id: departmentId, alias })))
    .execute();
}
