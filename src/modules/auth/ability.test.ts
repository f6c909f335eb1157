import { describe, expect, it } from 'vitest';
import { AppError } from '../../http/errors.ts';
import { defineAbilities } from './ability.ts';
import type { SessionUser } from './auth.service.ts';

const user = (id: number, role: SessionUser['role']): SessionUser =>
  ({
    id,
    role,
    username: `u${id}`,
    displayName: `用户${id}`,
    officeIds: [],
    active: true,
  }) as unknown as SessionUser;

const abilities = defineAbilities<{ authorId: number }>()({
  edit: {
    roles: ['admin', 'editor'],
    when: (u, r) => u.role === 'admin' || r.authorId === u.id,
    refusal: '只能修改自己的记录',
  },
  review: { roles: ['reviewer'], when: (u, r) => r.authorId !== u.id, refusal: '审核人不能审核自己的记录' },
});

describe('ability tables', () => {
  it('combines the role and the record part, and lists what a user may do', () => {
    expect(abilities.can('edit', user(1, 'editor'), { authorId: 1 })).toBe(true);
    expect(abilities.can('edit', user(1, 'editor'), { authorId: 2 })).toBe(false);
    expect(abilities.can('edit', user(9, 'admin'), { authorId: 2 })).toBe(true);
    expect(abilities.can('review', user(3, 'reviewer'), { authorId: 3 })).toBe(false);
    expect(abilities.allowed(user(3, 'reviewer'), { authorId: 1 })).toEqual(['review']);
    expect(abilities.allowed(null, { authorId: 1 })).toEqual([]);
    expect(abilities.canRole('edit', user(4, 'auditor'))).toBe(false);
  });

  it('refuses with the table’s Chinese message as a 403, and an anonymous caller with 401', () => {
    try {
      abilities.assert('edit', user(1, 'editor'), { authorId: 2 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).status).toBe(403);
      expect((e as AppError).message).toBe('只能修改自己的记录');
    }
    expect(() => abilities.assert('edit', null, { authorId: 2 })).toThrow('请先登录');
  });
});
