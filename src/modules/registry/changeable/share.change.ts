import { z } from 'zod';
import { deleteShare, insertShare, updateShare } from '../write/share.repo.ts';
import { defineChange, mustExist } from './change-adapter.ts';
import { requiredText } from './payload-text.ts';

export const SharePayload = z.object({
  matterId: z.coerce.number().int().positive('请选择管理事项'),
  departmentId: z.coerce.number().int().positive('请选择相关部门'),
  text: requiredText('职责分工'),
});

/** 职责分工 of a boundary matter: changed by admins. */
export const shareChange = defineChange('share', '职责分工', {
  payload: SharePayload,
  fields: [
    { key: 'matterId', label: '管理事项', kind: 'matter' },
    { key: 'departmentId', label: '相关部门', kind: 'department' },
    { key: 'text', label: '职责分工', kind: 'area', max: 2000 },
  ],
  async current(db, id) {
    const s = await db
      .selectFrom('boundary_shares as s')
      .innerJoin('boundary_matters as m', 'm.id', 's.matter_id')
      .select(['s.matter_id', 's.department_id', 's.text', 'm.department_id as owner'])
      .where('s.id', '=', id)
      .executeTakeFirst();
    return s
      ? {
          payload: { matterId: s.matter_id, departmentId: s.department_id, text: s.text },
          officeIds: [],
          departmentId: s.owner,
        }
      : null;
  },
  async checkReferences(db, s) {
    await mustExist(db, 'boundary_matters', s.matterId, '管理事项');
    await mustExist(db, 'departments', s.departmentId, '部门');
  },
  writes: { insert: insertShare, update: updateShare, remove: deleteShare },
  label: 'text',
});
