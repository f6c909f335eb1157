import { defineAbilities } from '../../auth/index.ts';
import { ownsOffice, type SupervisionReach } from '../shared/reach.ts';
import { REGISTER_READERS, REGISTER_WRITERS } from '../shared/supervision.policy.ts';

/**
 * Who may do what in the inspector register (执法检查人员名录库). Inspectors' names are not public
 * (public tasks list certificate numbers only); in the back office admins, reviewers and auditors
 * see every name, an editor only the names of their own offices' inspectors. Admins maintain every
 * inspector; an editor those of their own offices, and may not move one to an office not theirs.
 */
export interface InspectorTarget {
  reach: SupervisionReach;
  /** The inspector's office as stored (or, for `create`, as chosen). */
  officeId: number | null;
  /** For `edit`: the office the change would give them. */
  nextOfficeId?: number | null;
}

export const inspectorAbilities = defineAbilities<InspectorTarget>()({
  read: {
    roles: REGISTER_READERS,
    refusal: '只有系统管理员、科室编辑、审核人和审计人员可以查看执法检查人员名录库',
  },
  seeName: {
    roles: REGISTER_READERS,
    when: (_u, t) => ownsOffice(t.reach, t.officeId),
    refusal: '执法人员姓名不对外公开：科室编辑只能看到本科室执法人员的姓名',
  },
  create: {
    roles: REGISTER_WRITERS,
    when: (_u, t) => ownsOffice(t.reach, t.officeId),
    refusal: '科室编辑只能新增本科室的执法人员：请在“科室”中选择您所在的科室',
  },
  edit: {
    roles: REGISTER_WRITERS,
    when: (_u, t) =>
      ownsOffice(t.reach, t.officeId) &&
      (t.nextOfficeId === undefined || ownsOffice(t.reach, t.nextOfficeId)),
    refusal: '科室编辑只能维护本科室的执法人员（含回避申报），也不能把人员调到其他科室',
  },
});

/** 张三丰 → 张**: what a reader who may not see the name sees. */
export const maskedName = (name: string) => {
  const chars = Array.from(name);
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
};
