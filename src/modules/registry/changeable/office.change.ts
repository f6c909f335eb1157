import { z } from 'zod';
import { deleteOffice, insertOffice, updateOffice } from '../write/office.repo.ts';
import { defineChange } from './change-adapter.ts';
import { requiredText } from './payload-text.ts';

export const OfficePayload = z.object({
  name: requiredText('科室名称', 100),
  aliases: z.array(z.string().trim().min(1).max(100)).default([]),
});

/** 内设科室: a department-level record, changed by admins. */
export const officeChange = defineChange('office', '内设科室', {
  payload: OfficePayload,
  fields: [
    { key: 'name', label: '科室名称', kind: 'text', max: 100 },
    { key: 'aliases', label: '别名', kind: 'list', optional: true, hint: '多个别名用“、”或逗号分隔' },
  ],
  async current(db, id) {
    const [o, aliases] = await Promise.all([
      db.selectFrom('offices').selectAll().where('id', '=', id).executeTakeFirst(),
      db.selectFrom('office_aliases').select('alias').where('office_id', '=', id).orderBy('id').execute(),
    ]);
    return o
      ? {
          payload: { name: o.name, aliases: aliases.map((a) => a.alias) },
          officeIds: [o.id],
          departmentId: o.department_id,
        }
      : null;
  },
  writes: {
    insert: (tx, o, departmentId) => insertOffice(tx, departmentId, o),
    update: (tx, id, o, departmentId) => updateOffice(tx, id, departmentId, o),
    remove: deleteOffice,
  },
  label: 'name',
});
