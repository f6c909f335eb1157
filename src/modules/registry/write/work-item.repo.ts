import type { Tx } from '../../../db/database.ts';
import { NO_PROVENANCE, nextPosition, officeText, setOfficeLinks } from './common.ts';

/** Writes of the work_items table (具体工作事项) and its office links. */

export interface WorkItemValues {
  dutyId: number;
  text: string;
  officeIds: number[];
  remark: string | null;
}

const AFTER_SIBLINGS = { table: 'work_items', parent: 'duty_id' } as const;
const LINKS = { table: 'work_item_offices', owner: 'work_item_id' } as const;

export async function insertWorkItem(tx: Tx, w: WorkItemValues): Promise<number> {
  const row = await tx
    .insertInto('work_items')
    .values({
      duty_id: w.dutyId,
      position: await nextPosition(tx, AFTER_SIBLINGS, w.dutyId),
      text: w.text,
      office_text: await officeText(tx, w.officeIds),
      remark: w.remark,
      ...NO_PROVENANCE,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await setOfficeLinks(tx, LINKS, row.id, w.officeIds);
  return row.id;
}

/** Updates in place; an item moved to another duty goes after that duty's items. */
export async function updateWorkItem(tx: Tx, id: number, w: WorkItemValues): Promise<void> {
  const now = await tx
    .selectFrom('work_items')
    .select('duty_id')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const moved = now.duty_id !== w.dutyId;
  await tx
    .updateTable('work_items')
    .set({
      text: w.text,
      office_text: await officeText(tx, w.officeIds),
      remark: w.remark,
      ...(moved ? { duty_id: w.dutyId, position: await nextPosition(tx, AFTER_SIBLINGS, w.dutyId) } : {}),
    })
    .where('id', '=', id)
    .execute();
  await setOfficeLinks(tx, LINKS, id, w.officeIds);
}

export async function deleteWorkItem(tx: Tx, id: number): Promise<void> {
  await tx.deleteFrom('work_items').where('id', '=', id).execute();
}
