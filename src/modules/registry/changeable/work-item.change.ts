import { z } from 'zod';
import { shorten } from '../../../lib/text.ts';
import { deleteWorkItem, insertWorkItem, updateWorkItem } from '../write/work-item.repo.ts';
import { applyThrough, changeAdapter, mustAllExist, mustExist } from './change-adapter.ts';
import { officeIdList, requiredText } from './payload-text.ts';

export const WorkItemPayload = z.object({
  dutyId: z.coerce.number().int().positive('请选择所属主要职责'),
  text: requiredText('具体工作事项'),
  officeIds: officeIdList('请至少选择一个责任科室'),
  remark: z.string().trim().max(500, '备注不能超过 500 个字符').nullable().default(null),
});

/** 具体工作事项: editors change those of their own offices. */
export const workItemChange = changeAdapter<z.infer<typeof WorkItemPayload>>({
  entity: 'workItem',
  name: '具体工作事项',
  payload: WorkItemPayload,
  fields: [
    { key: 'dutyId', label: '所属主要职责', kind: 'duty' },
    { key: 'text', label: '具体工作事项', kind: 'area', max: 2000 },
    { key: 'officeIds', label: '责任科室', kind: 'offices' },
    { key: 'remark', label: '备注', kind: 'text', optional: true, max: 500 },
  ],
  officeScoped: true,
  async current(db, id) {
    const w = await db
      .selectFrom('work_items as w')
      .innerJoin('duties as d', 'd.id', 'w.duty_id')
      .select(['w.id', 'w.duty_id', 'w.text', 'w.remark', 'd.department_id'])
      .where('w.id', '=', id)
      .executeTakeFirst();
    if (!w) return null;
    const links = await db
      .selectFrom('work_item_offices')
      .select('office_id')
      .where('work_item_id', '=', id)
      .orderBy('position')
      .execute();
    const officeIds = links.map((l) => l.office_id);
    return {
      payload: { dutyId: w.duty_id, text: w.text, officeIds, remark: w.remark },
      officeIds,
      departmentId: w.department_id,
    };
  },
  officesOf: (w) => w.officeIds,
  async checkReferences(db, w) {
    await mustExist(db, 'duties', w.dutyId, '主要职责');
    await mustAllExist(db, w.officeIds);
  },
  apply: applyThrough({ insert: insertWorkItem, update: updateWorkItem, remove: deleteWorkItem }),
  label: (p) => (typeof p.text === 'string' ? shorten(p.text, 40) : ''),
});
