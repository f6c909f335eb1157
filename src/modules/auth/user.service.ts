import { randomInt } from 'node:crypto';
import type { DbOrTx } from '../../db/database.ts';
import { nowIso } from '../../db/database.ts';
import { AppError } from '../../http/errors.ts';
import { parseInput } from '../../http/forms.ts';
import { type Actor, appendAudit } from '../audit/index.ts';
import { forbiddenAction } from './ability.ts';
import { hashPassword, type SessionUser } from './auth.service.ts';
import { type UserTarget, userAbilities } from './user.policy.ts';
import { endSessions, findAccount, replaceOffices } from './user.repo.ts';
import {
  NewUser,
  type NewUserInput,
  PasswordReset,
  RoleAssignment,
  type RoleAssignmentInput,
} from './user.schema.ts';

/**
 * User management actions (用户管理). Each takes the transaction first and writes its audit entry
 * in it. `by` is the signed-in admin whose abilities are checked (user.policy.ts); the command
 * line passes none — whoever runs it already holds the database. A refusal of the role is 403; a
 * refusal about the record itself (an admin on their own account) is 409, a form to correct.
 */

/** The audit entry of an action on an account, recorded as the actor's. */
function auditUser(
  tx: DbOrTx,
  input: Acting,
  action: string,
  userId: number,
  change: { before?: unknown; after: unknown },
) {
  return appendAudit(tx, { actor: input.actor, action, entity: 'user', entityId: userId, ...change });
}

interface Acting {
  /** Recorded in the audit trail. */
  actor: Actor;
  /** The signed-in person, when the action comes from a page. */
  by?: SessionUser;
}

function checkAbility(
  action: keyof typeof userAbilities.rules,
  by: SessionUser | undefined,
  target: UserTarget,
) {
  if (!by) return;
  if (!userAbilities.canRole(action, by)) throw forbiddenAction(userAbilities.refusal(action));
  if (!userAbilities.can(action, by, target))
    throw new AppError(409, `self_${action}`, userAbilities.refusal(action));
}

async function accountOrThrow(db: DbOrTx, id: number) {
  const account = await findAccount(db, id);
  if (!account) throw new AppError(404, 'not_found', `未找到用户 ${id}`);
  return account;
}

export async function createUser(tx: DbOrTx, input: NewUserInput & Acting): Promise<SessionUser> {
  checkAbility('create', input.by, { id: 0 });
  const v = parseInput(NewUser, input);
  const exists = await tx
    .selectFrom('users')
    .select('id')
    .where('username', '=', v.username)
    .executeTakeFirst();
  if (exists) throw new AppError(409, 'username_taken', `用户名“${v.username}”已存在`);
  const now = nowIso();
  const row = await tx
    .insertInto('users')
    .values({
      username: v.username,
      display_name: v.displayName ?? v.username,
      role: v.role,
      password_hash: await hashPassword(v.password),
      active: 1,
      created_at: now,
      password_changed_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await replaceOffices(tx, row.id, v.officeIds);
  await auditUser(tx, input, 'create', row.id, {
    after: { username: v.username, role: v.role, officeIds: v.officeIds },
  });
  return {
    id: row.id,
    username: v.username,
    displayName: v.displayName ?? v.username,
    role: v.role,
    officeIds: v.officeIds,
  };
}

/** Letters and digits that cannot be mistaken for one another when read out or copied. */
const TEMPORARY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A temporary password of three groups of four ("k7pm-3xqa-9ve2"), always with a letter and a digit. */
export function generateTemporaryPassword(): string {
  for (;;) {
    const chars = Array.from({ length: 12 }, () => TEMPORARY_ALPHABET[randomInt(TEMPORARY_ALPHABET.length)]);
    const text = [0, 4, 8].map((i) => chars.slice(i, i + 4).join('')).join('-');
    if (/[a-z]/.test(text) && /\d/.test(text)) return text;
  }
}

/**
 * Gives an account a temporary password (the one typed, or a generated one returned once): its
 * sessions end, and at the next login the person must choose a new password before anything else.
 */
export async function resetPassword(
  tx: DbOrTx,
  input: { userId: number; password?: string } & Acting,
): Promise<{ password: string; generated: boolean }> {
  checkAbility('resetPassword', input.by, { id: input.userId });
  const typed = parseInput(PasswordReset, { password: input.password }).password;
  const account = await accountOrThrow(tx, input.userId);
  const password = typed ?? generateTemporaryPassword();
  await tx
    .updateTable('users')
    .set({
      password_hash: await hashPassword(password),
      password_changed_at: nowIso(),
      must_change_password: 1,
    })
    .where('id', '=', account.id)
    .execute();
  await endSessions(tx, account.id);
  await auditUser(tx, input, 'reset-password', account.id, {
    // Never the password itself: only that it must be changed, and whether it was generated.
    after: { username: account.username, mustChangePassword: true, generated: typed === undefined },
  });
  return { password, generated: typed === undefined };
}

/** Changes an account's role and offices; its sessions end at once (the next page asks to log in). */
export async function setUserRole(
  tx: DbOrTx,
  input: { userId: number } & RoleAssignmentInput & Acting,
): Promise<{ changed: boolean }> {
  const v = parseInput(RoleAssignment, input);
  checkAbility('setRole', input.by, { id: input.userId, nextRole: v.role });
  const account = await accountOrThrow(tx, input.userId);
  const sameOffices =
    account.officeIds.length === v.officeIds.length &&
    v.officeIds.every((id) => account.officeIds.includes(id));
  if (account.role === v.role && sameOffices) return { changed: false };
  await tx.updateTable('users').set({ role: v.role }).where('id', '=', account.id).execute();
  await replaceOffices(tx, account.id, v.officeIds);
  await endSessions(tx, account.id);
  await auditUser(tx, input, 'set-role', account.id, {
    before: { role: account.role, officeIds: account.officeIds },
    after: { role: v.role, officeIds: v.officeIds },
  });
  return { changed: true };
}

/**
 * Turns an account off (停用) or on again. A disabled account cannot log in and its sessions end
 * at once; admins cannot disable themselves (so an installation never locks its last admin out by
 * accident). The reason of the confirmation goes into the audit entry.
 */
export async function setUserActive(
  tx: DbOrTx,
  input: {
    userId: number;
    active: boolean;
    /** The confirmation of the form (views/staff/confirm.tsx), asked once the person may act; returns the reason. */
    confirm?: () => string;
  } & Acting,
): Promise<void> {
  const account = await accountOrThrow(tx, input.userId);
  checkAbility(input.active ? 'enable' : 'disable', input.by, { id: account.id });
  const reason = input.confirm?.();
  if (account.active === input.active) return;
  await tx
    .updateTable('users')
    .set({ active: input.active ? 1 : 0 })
    .where('id', '=', account.id)
    .execute();
  if (!input.active) await endSessions(tx, account.id);
  await auditUser(tx, input, input.active ? 'enable' : 'disable', account.id, {
    before: { active: account.active },
    after: { active: input.active, ...(reason ? { reason } : {}) },
  });
}
