import { defineAbilities, forbiddenAction, type Role, type SessionUser } from '../auth/index.ts';
import type { ChangeStatus } from './changeset.schema.ts';
import { DEFAULT_CHAIN, type ReviewChain } from './review-chain.ts';

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
 *
 * Review, return and publication follow the set's review chain (review-chain.ts): a person takes
 * the step the set waits for only if their role is that step's, and — in a chain of distinct
 * persons — only if they took no other step of this round and did not write the set. A publication
 * dated after today schedules the set (`schedule`, through the same 发布 form); the system takes it
 * into effect on that date (`takeEffect`, no person).
 */

/** What the rules look at. */
export interface SetForPolicy {
  authorId: number;
  status: ChangeStatus;
  itemCount: number;
  /** The chain the set was submitted into (default: today's two steps). */
  reviewChain?: ReviewChain;
  /** The step the set waits for while submitted (0-based). */
  reviewStep?: number;
  /** Who took a step of the current round (user ids). */
  actedBy?: readonly number[];
}

/** The step of its chain the set waits for: the review step while submitted, the last once approved. */
export function currentStep(s: SetForPolicy): number {
  const chain = s.reviewChain ?? DEFAULT_CHAIN;
  return s.status === 'submitted' ? (s.reviewStep ?? 0) : chain.steps.length - 1;
}

/** Why this person may not take the step the set waits for (null when they may). */
export function stepRefusal(u: SessionUser, s: SetForPolicy): string | null {
  const chain = s.reviewChain ?? DEFAULT_CHAIN;
  const step = chain.steps[currentStep(s)];
  if (!step) return '调整单的审核环节有误，请联系系统管理员';
  if (!step.roles.includes(u.role)) return `当前环节“${step.name}”不由您的角色办理`;
  if (chain.distinctPersons) {
    if (s.authorId === u.id) return '提出人不能办理审核链中的环节';
    if (s.actedBy?.includes(u.id)) return '同一人不能在审核链中办理两个环节，请由其他人员办理当前环节';
  }
  return null;
}
const mayTakeStep = (u: SessionUser, s: SetForPolicy) => stepRefusal(u, s) === null;

const AUTHORS: readonly Role[] = ['admin', 'editor'];
const REVIEWERS: readonly Role[] = ['admin', 'reviewer'];
const READERS: readonly Role[] = ['admin', 'editor', 'reviewer', 'auditor'];

const authorOrAdmin = (u: SessionUser, s: SetForPolicy) => s.authorId === u.id || u.role === 'admin';
const notTheAuthor = (u: SessionUser, s: SetForPolicy) => s.authorId !== u.id;
const NOBODY: readonly Role[] = [];

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
  /** Passes the step the set waits for; the set is `approved` once only the last step is left. */
  approve: {
    from: ['submitted'],
    to: 'approved',
    name: '审核通过',
    roles: REVIEWERS,
    when: (u, s) => notTheAuthor(u, s) && mayTakeStep(u, s),
    refusal: '只有审核人可以审核，且不能审核自己提出的调整单',
  },
  return: {
    from: ['submitted', 'approved', 'scheduled'],
    to: 'returned',
    name: '退回',
    roles: REVIEWERS,
    when: (u, s) => notTheAuthor(u, s) && mayTakeStep(u, s),
    refusal: '只有审核人可以审核，且不能审核自己提出的调整单',
  },
  publish: {
    from: ['approved'],
    to: 'published',
    name: '发布',
    roles: REVIEWERS,
    when: mayTakeStep,
    refusal: '只有审核人可以发布',
  },
  /** 发布 with an effective date after today: the lists stay as they are until that date. */
  schedule: {
    from: ['approved'],
    to: 'scheduled',
    name: '发布（定期生效）',
    roles: REVIEWERS,
    when: mayTakeStep,
    refusal: '只有审核人可以发布',
    routed: false,
  },
  /** Taken by the system on the effective date (China time), never by a person. */
  takeEffect: {
    from: ['scheduled'],
    to: 'published',
    name: '到期生效',
    roles: NOBODY,
    refusal: '调整单在生效日期由系统自动生效',
    routed: false,
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
    /** False: no form posts it (taken through another action, or by the system). */
    routed?: false;
  }
>;
export type Transition = keyof typeof TRANSITIONS;

/** The transitions people take through their own form (`/admin/changes/:id/<action>`). */
export const ROUTED_TRANSITIONS = (Object.keys(TRANSITIONS) as Transition[]).filter(
  (a) => !('routed' in TRANSITIONS[a]),
);

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
  return ROUTED_TRANSITIONS.filter(
    (action) =>
      stateAllows(action, set) &&
      changeSetAbilities.can(action, user, set) &&
      !(action === 'submit' && set.itemCount === 0),
  );
}

/**
 * Refuses (403) a person who may not take the transition, with the chain's own reason when it is
 * the chain that refuses (wrong role for this step, the same person at a second step).
 */
export function assertTransition(
  action: Transition,
  user: SessionUser | null,
  set: SetForPolicy,
): SessionUser {
  const stepped =
    action === 'approve' || action === 'return' || action === 'publish' || action === 'schedule';
  if (user && stepped && stateAllows(action, set) && changeSetAbilities.canRole(action, user)) {
    const why = stepRefusal(user, set);
    if (why) throw forbiddenAction(why);
  }
  return changeSetAbilities.assert(action, user, set);
}
