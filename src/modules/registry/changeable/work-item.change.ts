import { z } from 'zod';
import { officeLinks, WORK_ITEM_OFFICES } from '../write/common.ts';
import { deleteWorkItem, insertWorkItem, updateWorkItem } from '../write/work-item.repo.ts';
import { defineChange, mustAllExist, mustExist } from './change-adapter.ts';
import { officeIdList, requiredText } from './payload-text.ts';

export const WorkItemPayload = z.object({
  dutyId: z.coerce.number().int().positive('请选择所属主要职责'),
  text: requiredText('具体工作事项'),
  officeIds: officeIdList('请至少选择一个责任科室'),
  remark: z.string().trim().max(500, '备注不能超过 500 个字符').nullable().default(null),
});

/** 具体工作事项: editors change those of their own offices. */
export const workItemChange = defineChange('workItem', '具体工作事项', {
  payload: WorkItemPayload,
  fields: [
    { key: 'dutyId', label: '所属主要职责', kind: 'duty' },
    { key: 'text', label: '具体工作事项', kind: 'area', max: 2000 },
    { key: 'officeIds', label: '责任科室', kind: 'offices' },
    { key: 'remark', label: '备注', kind: 'text', optional: true, max: 500 },
  ],
  officeScoped: true,
  async current(db, id) {
    const [w, officeIds] = await Promise.all([
      db
        .selectFrom('work_items as w')
        .innerJoin('duties as d', 'd.id', 'w.duty_id')
        .select(['w.id', 'w.duty_id', 'w.text', 'w.remark', 'd.department_id'])
        .where('w.id', '=', id)
        .executeTakeFirst(),
      officeLinks(db, WORK_ITEM_OFFICES, id),
    ]);
    return w
      ? {
          payload: { dutyId: w.duty_id, text: w.text, officeIds, remark: w.remark },
          officeIds,
          departmentId: w.department_id,
        }
      : null;
  },
  officesOf: (w) => w.officeIds,
  async checkReferences(db, w) {
    await mustExist(db, 'duties', w.dutyId, '主要职责');
    await mustAllExist(db, w.officeIds);
  },
  writes: { insert: insertWorkItem, update: updateWorkItem, remove: deleteWorkItem },
  label: 'text',
});
