import type { Tx } from '../../../db/database.ts';
import { NO_PROVENANCE, nextPosition, officeText, setOfficeLinks, WORK_ITEM_OFFICES } from './common.ts';

/** Writes of the work_items table (具体工作事项) and its office links. */

export interface WorkItemValues {
  dutyId: number;
  text: string;
  officeIds: number[];
  remark: string | null;
}

const AFTER_SIBLINGS = { table: 'work_items', parent: 'duty_id' } as const;

/** What an insert and an update both write: the item and the denormalised text of its offices. */
async function columns(tx: Tx, w: WorkItemValues) {
  return { text: w.text, office_text: await officeText(tx, w.officeIds), remark: w.remark };
}

export async function insertWorkItem(tx: Tx, w: WorkItemValues): Promise<number> {
  const row = await tx
    .insertInto('work_items')
    .values({
      duty_id: w.dutyId,
      position: await nextPosition(tx, AFTER_SIBLINGS, w.dutyId),
      ...(await columns(tx, w)),
      ...NO_PROVENANCE,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await setOfficeLinks(tx, WORK_ITEM_OFFICES, row.id, w.officeIds);
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
      ...(await columns(tx, w)),
      ...(moved ? { duty_id: w.dutyId, position: await nextPosition(tx, AFTER_SIBLINGS, w.dutyId) } : {}),
    })
    .where('id', '=', id)
    .execute();
  await setOfficeLinks(tx, WORK_ITEM_OFFICES, id, w.officeIds);
}

export async function deleteWorkItem(tx: Tx, id: number): Promise<void> {
  await tx.deleteFrom('work_items').where('id', '=', id).execute();
}
