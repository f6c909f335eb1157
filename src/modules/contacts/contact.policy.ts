import { defineAbilities, ROLES, type Role } from '../auth/index.ts';

/**
 * Who may maintain the contact directory (通讯录). Every staff account reads it in the back office
 * (the public reads it at /contacts). Admins keep every entry — the bureau's address and office
 * hours, the offices' phones, other departments' phones and addresses; an editor keeps the entry of
 * their own offices (a phone part 4 of the document does not give, the room). Every write is audited.
 */
export interface ContactTarget {
  kind: 'bureau' | 'office' | 'department';
  officeId: number | null;
}

const STAFF: readonly Role[] = ROLES;

export const contactAbilities = defineAbilities<ContactTarget>()({
  read: { roles: STAFF, refusal: '只有本局工作人员可以进入通讯录维护页面' },
  maintain: {
    roles: ['admin', 'editor'],
    when: (u, t) =>
      u.role === 'admin' || (t.kind === 'office' && t.officeId !== null && u.officeIds.includes(t.officeId)),
    refusal: '只有系统管理员可以维护本局地址、办公时间和其他部门的联系方式；科室编辑只能维护本科室的联系方式',
  },
});
