import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { sql } from 'kysely';
import type { Db, DbOrTx } from '../../db/database.ts';
import { dialectOf, nowIso } from '../../db/database.ts';
import { AppError } from '../../http/errors.ts';
import { parseInput } from '../../http/forms.ts';
import { type Actor, appendAudit } from '../audit/index.ts';
import { Password, ROLE_NAMES, type Role } from './user.schema.ts';

/** Users, passwords (argon2id, the library default), sessions and login throttling. */

export type { Role };

/** The signed-in user as the staff frame shows them. */
export function staffIdentity(user: SessionUser): { displayName: string; role: string; roleName: string } {
  return { displayName: user.displayName, role: user.role, roleName: ROLE_NAMES[user.role] };
}

/** The audit trail's actor for a logged-in user. */
export function actorOf(user: SessionUser): Actor {
  return { id: user.id, name: user.username };
}

export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  officeIds: number[];
  /** Set after an admin reset the password: every staff page sends them to change it first. */
  mustChangePassword?: boolean;
}

export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_MAX_FAILURES_PER_ADDRESS = 30;

export function hashPassword(password: string): Promise<string> {
  return hash(password);
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
    ...(u.must_change_password === 1 ? { mustChangePassword: true } : {}),
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

/**
 * Reserves one login attempt, atomically: under a lock on the username and the address, checks the
 * throttle (429) and records the attempt as a failure before any password is checked. Parallel
 * guesses therefore count each other while they are still being verified: 18 at once check at most
 * LOGIN_MAX_FAILURES passwords. The lock is PostgreSQL's transaction advisory lock (it holds
 * across app processes on one database); on SQLite the single connection serialises transactions.
 * Returns the attempt's id, to be marked successful when the password was right.
 */
async function reserveAttempt(db: DbOrTx, username: string, ip: string): Promise<number> {
  const run = async (tx: DbOrTx) => {
    if (dialectOf(tx) === 'postgres') {
      for (const key of [`login:user:${username}`, `login:ip:${ip}`].sort()) {
        await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(tx);
      }
    }
    await assertLoginAllowed(tx, username, ip);
    const row = await tx
      .insertInto('login_attempts')
      .values({ username, ip, at: nowIso(), success: 0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  };
  return db.isTransaction ? run(db) : (db as Db).transaction().execute(run);
}

/** Checks the password and opens a new session (a fresh token: no session fixation). */
export async function login(
  db: DbOrTx,
  username: string,
  password: string,
  ip: string,
): Promise<LoginResult> {
  const attempt = await reserveAttempt(db, username, ip);
  const u = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  const ok = u !== undefined && u.active === 1 && (await verify(u.password_hash, password));
  if (ok) await db.updateTable('login_attempts').set({ success: 1 }).where('id', '=', attempt).execute();
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
  parseInput(Password, next);
  if (next === current) throw new AppError(400, 'same_password', '新密码不能与当前密码相同');
  await db
    .updateTable('users')
    .set({ password_hash: await hashPassword(next), password_changed_at: nowIso(), must_change_password: 0 })
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
