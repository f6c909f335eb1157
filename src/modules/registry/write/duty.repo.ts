import type { Tx } from '../../../db/database.ts';
import { AppError } from '../../../http/errors.ts';
import { NO_PROVENANCE } from './common.ts';

/** Writes of the duties table (主要职责). */

export interface DutyValues {
  seq: number;
  text: string;
}

export async function insertDuty(tx: Tx, departmentId: number, d: DutyValues): Promise<number> {
  const taken = await tx
    .selectFrom('duties')
    .select('id')
    .where('department_id', '=', departmentId)
    .where('seq', '=', d.seq)
    .executeTakeFirst();
  if (taken) throw new AppError(409, 'seq_taken', `主要职责序号 ${d.seq} 已存在`);
  const row = await tx
    .insertInto('duties')
    .values({ department_id: departmentId, seq: d.seq, text: d.text, ...NO_PROVENANCE })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateDuty(tx: Tx, id: number, d: DutyValues): Promise<void> {
  await tx.updateTable('duties').set({ seq: d.seq, text: d.text }).where('id', '=', id).execute();
}

/** Refuses (409) while work items still belong to the duty. */
export async function deleteDuty(tx: Tx, id: number): Promise<void> {
  const items = await tx.selectFrom('work_items').select('id').where('duty_id', '=', id).executeTakeFirst();
  if (items)
    throw new AppError(409, 'duty_has_items', '该主要职责下还有工作事项，请先停用或移走这些工作事项');
  await tx.deleteFrom('duties').where('id', '=', id).execute();
}
