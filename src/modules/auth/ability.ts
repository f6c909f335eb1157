import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../http/errors.ts';
import { staffGuard } from '../../views/staff/guard.ts';
import type { Role, SessionUser } from './auth.service.ts';

/**
 * One ability table per entity: who may take each action, with the Chinese refusal people read.
 * The same table answers the route guard (`guard`), the service (`assert`, before any work) and
 * the page deciding which buttons to show (`can`, `allowed`), so the three cannot drift apart.
 *
 *   export const planAbilities = defineAbilities<PlanForPolicy>()({
 *     commit: { roles: ['admin', 'reviewer'], when: (u, p) => p.status === 'approved', refusal: '…' },
 *   });
 *   planAbilities.assert('commit', user, plan);          // in the service: throws 403 with the refusal
 *   planAbilities.guard('commit')                         // route preHandler: the role part only
 *   planAbilities.allowed(user, plan)                     // page: the actions to offer
 *
 * `roles` is the part a route can check before loading the record; `when` adds the record's part
 * (ownership, office, four eyes). State checks that are not about the person (a plan already
 * drawn) belong to the workflow's transition table, not here.
 */

export interface AbilityRule<R> {
  /** Roles that may take the action at all (checked first, also by the route guard). */
  roles: readonly Role[];
  /** The record-dependent part; absent means the roles suffice. */
  when?: (user: SessionUser, record: R) => boolean;
  /** Why a person may not, in Chinese: shown on the 403 page or beside a disabled button. */
  refusal: string;
}

export interface Abilities<A extends string, R> {
  readonly rules: Readonly<Record<A, AbilityRule<R>>>;
  /** May this user take the action on this record? */
  can(action: A, user: SessionUser | null, record: R): boolean;
  /** May this user's role take the action on some record? (route guards, navigation) */
  canRole(action: A, user: SessionUser | null): boolean;
  /** Throws 403 with the action's Chinese refusal (401 when nobody is signed in) unless the user may; returns the user. */
  assert(action: A, user: SessionUser | null, record: R): SessionUser;
  /** Like `assert` for the role part only: before the record is loaded or validated. */
  assertRole(action: A, user: SessionUser | null): SessionUser;
  /** The actions this user may take on the record, in the table's order. */
  allowed(user: SessionUser | null, record: R): A[];
  /** A route preHandler for the role part: anonymous → login page (HTML GET) or 401; wrong role → 403. */
  guard(action: A): (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;
  /** The refusal message of an action. */
  refusal(action: A): string;
}

export const forbiddenAction = (message: string) => new AppError(403, 'forbidden', message);

/** Builds an ability table; the extra call lets the record type be given while the actions are inferred. */
export function defineAbilities<R>() {
  return <A extends string>(rules: Record<A, AbilityRule<R>>): Abilities<A, R> => {
    const canRole = (action: A, user: SessionUser | null) =>
      user !== null && rules[action].roles.includes(user.role);
    const can = (action: A, user: SessionUser | null, record: R) =>
      canRole(action, user) && (rules[action].when?.(user!, record) ?? true);
    return {
      rules,
      can,
      canRole,
      assert(action, user, record) {
        if (!user) throw new AppError(401, 'unauthenticated', '请先登录');
        if (!can(action, user, record)) throw forbiddenAction(rules[action].refusal);
        return user;
      },
      assertRole(action, user) {
        if (!user) throw new AppError(401, 'unauthenticated', '请先登录');
        if (!canRole(action, user)) throw forbiddenAction(rules[action].refusal);
        return user;
      },
      allowed: (user, record) => (Object.keys(rules) as A[]).filter((a) => can(a, user, record)),
      guard: (action) => staffGuard(rules[action].roles, rules[action].refusal),
      refusal: (action) => rules[action].refusal,
    };
  };
}
