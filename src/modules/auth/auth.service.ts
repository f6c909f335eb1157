import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { DbOrTx } from '../../db/database.ts';
import { nowIso } from '../../db/database.ts';
import { AppError } from '../../http/errors.ts';
import { type Actor, appendAudit } from '../audit/index.ts';

/** Users, passwords (argon2id, the library default), sessions and login throttling. */

export const ROLES = ['admin', 'editor', 'reviewer', 'inspector', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, string> = {
  admin: '系统管理员',
  editor: '科室编辑',
  reviewer: '审核人',
  inspector: '执法人员',
  auditor: '审计',
};

/** The audit trail's actor for a logged-in user. */
/** The signed-in user as the staff frame shows them. */
export function staffIdentity(user: SessionUser): { displayName: string; role: string; roleName: string } {
  return { displayName: user.displayName, role: user.role, roleName: ROLE_NAMES[user.role] };
}

export function actorOf(user: SessionUser): Actor {
  return { id: user.id, name: user.username };
}

export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  officeIds: number[];
}

export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_MAX_FAILURES_PER_ADDRESS = 30;

export function validatePassword(password: string): string | null {
  if (password.length < 10) return '密码至少需要 10 个字符';
  if (password.length > 200) return '密码不能超过 200 个字符';
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return '密码需同时包含字母和数字';
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export interface CreateUserInput {
  username: string;
  displayName?: string;
  role: Role;
  password: string;
  /** Office ids an editor (or inspector) is bound to. */
  officeIds?: number[];
  actor: Actor;
}

export async function createUser(tx: DbOrTx, input: CreateUserInput): Promise<SessionUser> {
  if (!/^[A-Za-z0-9_.-]{3,40}$/.test(input.username)) {
    throw new AppError(400, 'bad_username', '用户名只能包含字母、数字、下划线、点和连字符，长度 3–40');
  }
  if (!ROLES.includes(input.role)) throw new AppError(400, 'bad_role', `角色必须是：${ROLES.join('、')}`);
  const problem = validatePassword(input.password);
  if (problem) throw new AppError(400, 'weak_password', problem);
  if (input.role === 'editor' && (input.officeIds ?? []).length === 0) {
    throw new AppError(400, 'editor_without_office', '科室编辑必须绑定至少一个科室');
  }
  const exists = await tx
    .selectFrom('users')
    .select('id')
    .where('username', '=', input.username)
    .executeTakeFirst();
  if (exists) throw new AppError(409, 'username_taken', `用户名“${input.username}”已存在`);
  const now = nowIso();
  const row = await tx
    .insertInto('users')
    .values({
      username: input.username,
      display_name: input.displayName ?? input.username,
      role: input.role,
      password_hash: await hashPassword(input.password),
      active: 1,
      created_at: now,
      password_changed_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const officeIds = [...new Set(input.officeIds ?? [])];
  if (officeIds.length) {
    await tx
      .insertInto('user_offices')
      .values(officeIds.map((office_id) => ({ user_id: row.id, office_id })))
      .execute();
  }
  await appendAudit(tx, {
    actor: input.actor,
    action: 'create',
    entity: 'user',
    entityId: row.id,
    after: { username: input.username, role: input.role, officeIds },
  });
  return {
    id: row.id,
    username: input.username,
    displayName: input.displayName ?? input.username,
    role: input.role,
    officeIds,
  };
}

export async function loadUser(db: DbOrTx, id: number): Promise<SessionUser | null> {
  const u = await db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', id)
    .where('active', '=', 1)
    .executeTakeFirst();
  if (!u) return null;
  const offices = await db.selectFrom('user_offices').select('office_id').where('user_id', '=', id).execute();
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role as Role,
    officeIds: offices.map((o) => o.office_id),
  };
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Throws 429 with the wait time when this username, or this address, failed too often recently.
 * The address limit is higher: a whole office may sit behind one NAT address.
 */
export async function assertLoginAllowed(
  db: DbOrTx,
  username: string,
  ip: string,
  now = Date.now(),
): Promise<void> {
  const since = new Date(now - LOGIN_WINDOW_MS).toISOString();
  const failures = (column: 'username' | 'ip', value: string) =>
    db
      .selectFrom('login_attempts')
      .select(['at'])
      .where('success', '=', 0)
      .where('at', '>=', since)
      .where(column, '=', value)
      .orderBy('at', 'desc')
      .execute();
  for (const [list, limit] of [
    [await failures('username', username), LOGIN_MAX_FAILURES],
    [await failures('ip', ip), LOGIN_MAX_FAILURES_PER_ADDRESS],
  ] as const) {
    if (list.length < limit) continue;
    // Back-off: each failure beyond the limit doubles the wait, from one minute up to the window.
    const waitMs = Math.min(LOGIN_WINDOW_MS, 60_000 * 2 ** (list.length - limit));
    const remaining = Date.parse(list[0]!.at) + waitMs - now;
    if (remaining > 0) {
      throw new AppError(
        429,
        'login_throttled',
        `登录失败次数过多，请 ${Math.ceil(remaining / 60_000)} 分钟后再试`,
      );
    }
  }
}

export interface LoginResult {
  user: SessionUser;
  token: string;
}

/** Checks the password and opens a new session (a fresh token: no session fixation). */
export async function login(
  db: DbOrTx,
  username: string,
  password: string,
  ip: string,
): Promise<LoginResult> {
  await assertLoginAllowed(db, username, ip);
  const u = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  const ok = u !== undefined && u.active === 1 && (await verify(u.password_hash, password));
  await db
    .insertInto('login_attempts')
    .values({ username, ip, at: nowIso(), success: ok ? 1 : 0 })
    .execute();
  if (!ok || !u) throw new AppError(401, 'bad_credentials', '用户名或密码不正确');
  const token = randomBytes(32).toString('base64url');
  const now = Date.now();
  await db
    .insertInto('sessions')
    .values({
      token_hash: tokenHash(token),
      user_id: u.id,
      created_at: new Date(now).toISOString(),
      last_seen_at: new Date(now).toISOString(),
      expires_at: new Date(now + SESSION_ABSOLUTE_MS).toISOString(),
      ip,
    })
    .execute();
  await appendAudit(db, {
    actor: { id: u.id, name: u.username },
    action: 'login',
    entity: 'session',
    entityId: u.id,
  });
  return { user: (await loadUser(db, u.id))!, token };
}

/** The user of a live session, refreshing its idle timer; null when absent, idle or expired. */
export async function sessionUser(
  db: DbOrTx,
  token: string | undefined,
  now = Date.now(),
): Promise<SessionUser | null> {
  if (!token) return null;
  const s = await db
    .selectFrom('sessions')
    .selectAll()
    .where('token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  if (!s) return null;
  if (Date.parse(s.expires_at) <= now || Date.parse(s.last_seen_at) + SESSION_IDLE_MS <= now) {
    await db.deleteFrom('sessions').where('token_hash', '=', s.token_hash).execute();
    return null;
  }
  if (now - Date.parse(s.last_seen_at) > 60_000) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(now).toISOString() })
      .where('token_hash', '=', s.token_hash)
      .execute();
  }
  return loadUser(db, s.user_id);
}

export async function logout(db: DbOrTx, token: string | undefined): Promise<void> {
  if (!token) return;
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash(token)).execute();
}

/** Changes a password after checking the current one; every session of the user ends. */
export async function changePassword(
  db: DbOrTx,
  user: SessionUser,
  current: string,
  next: string,
): Promise<void> {
  const u = await db.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
  if (!(await verify(u.password_hash, current)))
    throw new AppError(400, 'bad_current_password', '当前密码不正确');
  const problem = validatePassword(next);
  if (problem) throw new AppError(400, 'weak_password', problem);
  await db
    .updateTable('users')
    .set({ password_hash: await hashPassword(next), password_changed_at: nowIso() })
    .where('id', '=', user.id)
    .execute();
  await db.deleteFrom('sessions').where('user_id', '=', user.id).execute();
  await appendAudit(db, {
    actor: actorOf(user),
    action: 'change-password',
    entity: 'user',
    entityId: user.id,
  });
}

/**
 * Turns an account off (停用) or on again. A disabled account cannot log in and its sessions end
 * at once; admins cannot disable themselves (so an installation never locks its last admin out by
 * accident). Audited in the caller's transaction.
 */
export async function setUserActive(
  tx: DbOrTx,
  actor: SessionUser,
  userId: number,
  active: boolean,
): Promise<void> {
  const u = await tx
    .selectFrom('users')
    .select(['id', 'username', 'active'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!u) throw new AppError(404, 'not_found', `未找到用户 ${userId}`);
  if (!active && u.id === actor.id) throw new AppError(409, 'self_disable', '不能停用自己的账号');
  if ((u.active === 1) === active) return;
  await tx
    .updateTable('users')
    .set({ active: active ? 1 : 0 })
    .where('id', '=', userId)
    .execute();
  if (!active) await tx.deleteFrom('sessions').where('user_id', '=', userId).execute();
  await appendAudit(tx, {
    actor: actorOf(actor),
    action: active ? 'enable' : 'disable',
    entity: 'user',
    entityId: userId,
    before: { active: u.active === 1 },
    after: { active },
  });
}
