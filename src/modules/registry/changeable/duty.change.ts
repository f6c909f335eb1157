import { z } from 'zod';
import { deleteDuty, insertDuty, updateDuty } from '../write/duty.repo.ts';
import { defineChange } from './change-adapter.ts';
import { requiredText } from './payload-text.ts';

export const DutyPayload = z.object({
  seq: z.coerce.number().int().min(1, '序号必须是正整数'),
  text: requiredText('主要职责'),
});

/** 主要职责: a department-level record, changed by admins. */
export const dutyChange = defineChange('duty', '主要职责', {
  payload: DutyPayload,
  fields: [
    { key: 'seq', label: '序号', kind: 'number' },
    { key: 'text', label: '主要职责', kind: 'area', max: 2000 },
  ],
  async current(db, id) {
    const d = await db.selectFrom('duties').selectAll().where('id', '=', id).executeTakeFirst();
    return d ? { payload: { seq: d.seq, text: d.text }, officeIds: [], departmentId: d.department_id } : null;
  },
  writes: {
    insert: (tx, d, departmentId) => insertDuty(tx, departmentId, d),
    update: updateDuty,
    remove: deleteDuty,
  },
  label: (p) => (p.seq !== undefined ? `第 ${String(p.seq)} 项` : ''),
});
