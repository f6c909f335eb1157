import { z } from 'zod';
import { officeLinks, SERVICE_OFFICES } from '../write/common.ts';
import { deleteService, insertService, updateService } from '../write/service.repo.ts';
import { defineChange, mustAllExist } from './change-adapter.ts';
import { officeIdList, requiredText } from './payload-text.ts';

export const ServicePayload = z.object({
  name: requiredText('服务事项', 200),
  content: requiredText('主要内容'),
  officeIds: officeIdList('请至少选择一个承办机构'),
  phones: z
    .array(
      z
        .string()
        .trim()
        .regex(/^[0-9+\-() ]{3,20}$/, '电话号码只能包含数字、+、-、括号和空格'),
    )
    .min(1, '请至少填写一个联系电话'),
});

/** 公共服务事项: editors change those their offices handle. */
export const serviceChange = defineChange('service', '公共服务事项', {
  payload: ServicePayload,
  fields: [
    { key: 'name', label: '服务事项', kind: 'text', max: 200 },
    { key: 'content', label: '主要内容', kind: 'area', max: 2000 },
    { key: 'officeIds', label: '承办机构', kind: 'offices' },
    { key: 'phones', label: '联系电话', kind: 'list', hint: '多个号码用“、”或逗号分隔' },
  ],
  officeScoped: true,
  async current(db, id) {
    const [sv, officeIds, phones] = await Promise.all([
      db.selectFrom('public_services').selectAll().where('id', '=', id).executeTakeFirst(),
      officeLinks(db, SERVICE_OFFICES, id),
      db
        .selectFrom('service_phones')
        .select('phone')
        .where('service_id', '=', id)
        .orderBy('position')
        .execute(),
    ]);
    return sv
      ? {
          payload: { name: sv.name, content: sv.content, officeIds, phones: phones.map((p) => p.phone) },
          officeIds,
          departmentId: sv.department_id,
        }
      : null;
  },
  officesOf: (s) => s.officeIds,
  checkReferences: (db, s) => mustAllExist(db, s.officeIds),
  writes: {
    insert: (tx, s, departmentId) => insertService(tx, departmentId, s),
    update: updateService,
    remove: deleteService,
  },
  label: 'name',
});
