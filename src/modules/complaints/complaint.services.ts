import type { DbOrTx } from '../../db/database.ts';
import { shorten } from '../../lib/text.ts';
import { ownerDepartment } from './complaint.repo.ts';

/**
 * The services a ticket can be about, derived from the lists (for Open311's services.json and the
 * staff API): each of the bureau's boundary matters (职责边界, `matter-<序号>`), each main duty
 * (主要职责, `duty-<序号>`), and `other` for a matter the person cannot place. A service names the
 * matter the resolver reads first; it never decides the routing by itself.
 */

export interface ServiceOut {
  code: string;
  name: string;
  description: string;
  group: string;
  keywords: string[];
}

export const OTHER_SERVICE: ServiceOut = {
  code: 'other',
  name: '其他商务领域事项',
  description: '不知道属于哪一项时选择此项，由工作人员根据职责清单分派',
  group: '其他',
  keywords: ['举报', '投诉', '咨询', '申诉'],
};

export async function listServices(db: DbOrTx): Promise<ServiceOut[]> {
  const owner = await ownerDepartment(db);
  if (!owner) return [OTHER_SERVICE];
  const [matters, duties] = await Promise.all([
    db
      .selectFrom('boundary_matters')
      .select(['seq', 'name'])
      .where('department_id', '=', owner.id)
      .orderBy('seq')
      .execute(),
    db
      .selectFrom('duties')
      .select(['seq', 'text'])
      .where('department_id', '=', owner.id)
      .orderBy('seq')
      .execute(),
  ]);
  return [
    ...matters.map((m) => ({
      code: `matter-${m.seq}`,
      name: m.name,
      description: `职责边界清单第 ${m.seq} 项：${m.name}`,
      group: '职责边界事项',
      keywords: [m.name],
    })),
    ...duties.map((d) => ({
      code: `duty-${d.seq}`,
      name: shorten(d.text.replace(/^负责/, ''), 30),
      description: `部门职责清单第 ${d.seq} 项主要职责：${d.text}`,
      group: '部门职责',
      keywords: [],
    })),
    OTHER_SERVICE,
  ];
}

/** The name of a service by its code, or null (unknown codes and `other` add nothing to routing). */
export async function serviceNameOf(db: DbOrTx, code: string | null): Promise<string | null> {
  if (!code || code === 'other') return null;
  const service = (await listServices(db)).find((s) => s.code === code);
  return service ? service.name : null;
}
