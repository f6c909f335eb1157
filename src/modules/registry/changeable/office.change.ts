import { z } from 'zod';
import { shorten } from '../../../lib/text.ts';
import { deleteOffice, insertOffice, updateOffice } from '../write/office.repo.ts';
import { applyThrough, changeAdapter } from './change-adapter.ts';
import { requiredText } from './payload-text.ts';

export const OfficePayload = z.object({
  name: requiredText('科室名称', 100),
  aliases: z.array(z.string().trim().min(1).max(100)).default([]),
});

/** 内设科室: a department-level record, changed by admins. */
export const officeChange = changeAdapter<z.infer<typeof OfficePayload>>({
  entity: 'office',
  name: '内设科室',
  payload: OfficePayload,
  fields: [
    { key: 'name', label: '科室名称', kind: 'text', max: 100 },
    { key: 'aliases', label: '别名', kind: 'list', optional: true, hint: '多个别名用“、”或逗号分隔' },
  ],
  officeScoped: false,
  async current(db, id) {
    const o = await db.selectFrom('offices').selectAll().where('id', '=', id).executeTakeFirst();
    if (!o) return null;
    const aliases = await db
      .selectFrom('office_aliases')
      .select('alias')
      .where('office_id', '=', id)
      .orderBy('id')
      .execute();
    return {
      payload: { name: o.name, aliases: aliases.map((a) => a.alias) },
      officeIds: [o.id],
      departmentId: o.department_id,
    };
  },
  officesOf: () => [],
  checkReferences: async () => {},
  apply: applyThrough({
    insert: (tx, o, departmentId) => insertOffice(tx, departmentId, o),
    update: (tx, id, o, departmentId) => updateOffice(tx, id, departmentId, o),
    remove: deleteOffice,
  }),
  label: (p) => (typeof p.name === 'string' ? shorten(p.name, 40) : ''),
});
