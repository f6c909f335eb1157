import { defineAbilities } from './ability.ts';
import type { Role } from './user.schema.ts';

/**
 * Who may manage staff accounts (用户管理): admins only, and an admin never on themself where it
 * could lock the installation out — they cannot disable their own account or give up their own
 * admin role. The pages show the buttons from this table; the services check it before any work.
 */

/** The account acted on, and for a role change the role it would get. */
export interface UserTarget {
  id: number;
  nextRole?: Role;
}

export const USER_ADMINS: readonly Role[] = ['admin'];

export const userAbilities = defineAbilities<UserTarget>()({
  list: { roles: USER_ADMINS, refusal: '只有系统管理员可以管理用户' },
  create: { roles: USER_ADMINS, refusal: '只有系统管理员可以新建用户' },
  resetPassword: { roles: USER_ADMINS, refusal: '只有系统管理员可以重置密码' },
  setRole: {
    roles: USER_ADMINS,
    when: (u, t) => u.id !== t.id || t.nextRole === undefined || t.nextRole === 'admin',
    refusal: '不能取消自己的系统管理员角色',
  },
  disable: { roles: USER_ADMINS, when: (u, t) => u.id !== t.id, refusal: '不能停用自己的账号' },
  enable: { roles: USER_ADMINS, refusal: '只有系统管理员可以启用账号' },
});
