import { defineAbilities, type Role, type SessionUser } from '../auth/index.ts';
import type { ChangeStatus } from './changeset.schema.ts';

/**
 * The change-set workflow as one table: each transition's states (from → to) and who may take
 * it (roles, the record's part, the Chinese refusal). Route guards (`guard`), the service
 * (`assert`, before any work) and the page's buttons (`allowedTransitions`) all read it.
 *
 * - admin (系统管理员): everything but reviewing their own set;
 * - editor (科室编辑): writes change sets and sees only their own; what records they may change
 *   is the adapters' (only office-scoped kinds, only within their offices — changeset.policy.ts);
 * - reviewer (审核人): approves, returns and publishes others' sets (four eyes: never their own);
 * - auditor (审计): reads every set, changes nothing; inspector: no list changes.
 */

/** What the rules look at. */
export interface SetForPolicy {
  authorId: number;
  status: ChangeStatus;
  itemCount: number;
}

const AUTHORS: readonly Role[] = ['admin', 'editor'];
const REVIEWERS: readonly Role[] = ['admin', 'reviewer'];
const READERS: readonly Role[] = ['admin', 'editor', 'reviewer', 'auditor'];

const authorOrAdmin = (u: SessionUser, s: SetForPolicy) => s.authorId === u.id || u.role === 'admin';
const notTheAuthor = (u: SessionUser, s: SetForPolicy) => s.authorId !== u.id;

/** A draft or a returned set can still be edited (title, 调整依据, items) by its author. */
export const EDITABLE: readonly ChangeStatus[] = ['draft', 'returned'];

export const TRANSITIONS = {
  submit: {
    from: EDITABLE,
    to: 'submitted',
    name: '提交审核',
    roles: AUTHORS,
    when: authorOrAdmin,
    refusal: '只有提出人可以提交或撤回调整单',
  },
  withdraw: {
    from: ['draft', 'returned', 'submitted'],
    to: 'withdrawn',
    name: '撤回',
    roles: AUTHORS,
    when: authorOrAdmin,
    refusal: '只有提出人可以提交或撤回调整单',
  },
  approve: {
    from: ['submitted'],
    to: 'approved',
    name: '审核通过',
    roles: REVIEWERS,
    when: notTheAuthor,
    refusal: '只有审核人可以审核，且不能审核自己提出的调整单',
  },
  return: {
    from: ['submitted', 'approved'],
    to: 'returned',
    name: '退回',
    roles: REVIEWERS,
    when: notTheAuthor,
    refusal: '只有审核人可以审核，且不能审核自己提出的调整单',
  },
  publish: {
    from: ['approved'],
    to: 'published',
    name: '发布',
    roles: REVIEWERS,
    refusal: '只有审核人可以发布',
  },
} as const satisfies Record<
  string,
  {
    from: readonly ChangeStatus[];
    to: ChangeStatus;
    name: string;
    roles: readonly Role[];
    when?: (u: SessionUser, s: SetForPolicy) => boolean;
    refusal: string;
  }
>;
export type Transition = keyof typeof TRANSITIONS;

/** Who may do what with a change set: the transitions above, plus reading, creating and editing. */
export const changeSetAbilities = defineAbilities<SetForPolicy>()({
  read: {
    roles: READERS,
    when: (u, s) => u.role !== 'editor' || s.authorId === u.id,
    refusal: '只能查看自己提出的调整单',
  },
  create: { roles: AUTHORS, refusal: '只有科室编辑和系统管理员可以提出清单调整' },
  edit: { roles: AUTHORS, when: authorOrAdmin, refusal: '只能修改自己提出的调整单' },
  ...TRANSITIONS,
});

/** Whether the set's state lets the transition happen (who aside). */
export function stateAllows(action: Transition, set: SetForPolicy): boolean {
  return (TRANSITIONS[action].from as readonly ChangeStatus[]).includes(set.status);
}

/** The author (or an admin) may edit the set while it is a draft or returned. */
export function canEditChangeSet(user: SessionUser, set: SetForPolicy): boolean {
  return changeSetAbilities.can('edit', user, set) && EDITABLE.includes(set.status);
}

/** The transitions this user may take on the set in its present state, in the table's order. */
export function allowedTransitions(user: SessionUser, set: SetForPolicy): Transition[] {
  return (Object.keys(TRANSITIONS) as Transition[]).filter(
    (action) =>
      stateAllows(action, set) &&
      changeSetAbilities.can(action, user, set) &&
      !(action === 'submit' && set.itemCount === 0),
  );
}
