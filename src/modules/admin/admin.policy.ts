import type { Role, SessionUser } from '../auth/index.ts';
import type { ChangeEntity, ChangeStatus } from '../changes/index.ts';
import { canAuthor, canPublish, canReview, TRANSITIONS, type Transition } from '../changes/index.ts';

/**
 * Who sees which back office page and which action buttons. The services decide again when the
 * action runs (changes.policy.ts); these only keep pages and forms honest and refuse early.
 */

export const READ_CHANGES: Role[] = ['admin', 'editor', 'reviewer', 'auditor'];
export const AUTHORS: Role[] = ['admin', 'editor'];
export const REVIEWERS: Role[] = ['admin', 'reviewer'];
export const AUDIT_READERS: Role[] = ['admin', 'auditor'];
export const USER_ADMINS: Role[] = ['admin'];

/** Editors see the change sets they wrote; admins, reviewers and auditors see all of them. */
export function canSeeChangeSet(user: SessionUser, set: { authorId: number }): boolean {
  if (user.role === 'editor') return set.authorId === user.id;
  return READ_CHANGES.includes(user.role);
}

/** The author (or an admin) may add and remove items while the set is a draft or returned. */
export function canEditChangeSet(
  user: SessionUser,
  set: { authorId: number; status: ChangeStatus },
): boolean {
  return (
    canAuthor(user) &&
    (set.authorId === user.id || user.role === 'admin') &&
    (set.status === 'draft' || set.status === 'returned')
  );
}

/** The workflow actions this user may take on the set in its present state. */
export function allowedTransitions(
  user: SessionUser,
  set: { authorId: number; status: ChangeStatus; itemCount: number },
): Transition[] {
  return (Object.keys(TRANSITIONS) as Transition[]).filter(
    (action) =>
      (TRANSITIONS[action].from as readonly string[]).includes(set.status) &&
      mayTransition(user, set, action) &&
      !(action === 'submit' && set.itemCount === 0),
  );
}

/** Whether the user's role and relation to the set allow the action at all (state aside). */
export function mayTransition(user: SessionUser, set: { authorId: number }, action: Transition): boolean {
  if (action === 'submit' || action === 'withdraw')
    return canAuthor(user) && (set.authorId === user.id || user.role === 'admin');
  if (action === 'publish') return canPublish(user);
  return canReview(user, set.authorId);
}

export const TRANSITION_ROLES: Record<Transition, Role[]> = {
  submit: AUTHORS,
  withdraw: AUTHORS,
  approve: REVIEWERS,
  return: REVIEWERS,
  publish: REVIEWERS,
};

export const TRANSITION_NAMES: Record<Transition, string> = {
  submit: '提交审核',
  withdraw: '撤回',
  approve: '审核通过',
  return: '退回',
  publish: '发布',
};

/** Kinds of records a role may propose changes to (editors: within their offices). */
export function editableEntities(user: SessionUser): ChangeEntity[] {
  if (user.role === 'admin') return ['duty', 'workItem', 'office', 'share', 'service'];
  if (user.role === 'editor') return ['workItem', 'service'];
  return [];
}
