import { createHash, randomBytes } from 'node:crypto';
import type { DbOrTx } from '../../db/database.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { type Actor, appendAudit } from '../audit/index.ts';
import { loadUser, type SessionUser } from './auth.service.ts';

/**
 * API tokens (issue 9 item 6, used by issue 12's staff API and Open311 façade): a random 32-byte
 * token, shown once when made (`zhize token create`), stored only as its SHA-256. A token acts as
 * its user — the same SessionUser as a login, so the role and the offices apply — until it expires
 * or is revoked; a disabled account's tokens stop working with it. Tokens are accepted only where
 * a scope asks for them (api-token.plugin.ts), never on cookie-session pages.
 */

/** Tokens start with this, so a leaked one is recognisable (secret scanners, logs). */
export const TOKEN_PREFIX = 'zhize_';
export const DEFAULT_TOKEN_DAYS = 90;
export const MAX_TOKEN_DAYS = 366;
/** `last_used_at` is refreshed at most this often per token. */
const LAST_USED_GRANULARITY_MS = 60_000;
const DAY_MS = 24 * 3600_000;

const hashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export interface ApiTokenRow {
  id: number;
  userId: number;
  username: string;
  name: string;
  createdAt: string;
  createdBy: string;
  expiresAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
  lastUsedAt: string | null;
}

export interface NewApiToken {
  username: string;
  name: string;
  /** Days until it expires (1–366, default 90). */
  days?: number;
  actor: Actor;
  now?: number;
}

/** Makes a token for an active account; returns it once (only its hash is kept). Audited. */
export async function createApiToken(
  tx: DbOrTx,
  input: NewApiToken,
): Promise<{ id: number; token: string; expiresAt: string }> {
  const days = input.days ?? DEFAULT_TOKEN_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) {
    throw new AppError(400, 'bad_days', `有效天数必须是 1–${MAX_TOKEN_DAYS} 之间的整数`);
  }
  const name = input.name.trim();
  if (name === '' || name.length > 100) throw new AppError(400, 'bad_name', '令牌用途说明须为 1–100 个字符');
  const user = await tx
    .selectFrom('users')
    .select(['id', 'username', 'active'])
    .where('username', '=', input.username)
    .executeTakeFirst();
  if (!user) throw notFound(`用户“${input.username}”`);
  if (user.active !== 1)
    throw new AppError(409, 'inactive_user', `用户“${user.username}”已停用，不能发放令牌`);
  const now = input.now ?? Date.now();
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(now + days * DAY_MS).toISOString();
  const row = await tx
    .insertInto('api_tokens')
    .values({
      user_id: user.id,
      name,
      token_hash: hashOf(token),
      created_at: new Date(now).toISOString(),
      created_by: input.actor.name,
      expires_at: expiresAt,
      revoked_at: null,
      revoked_by: null,
      last_used_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(tx, {
    actor: input.actor,
    action: 'create-token',
    entity: 'api_token',
    entityId: row.id,
    after: { user: user.username, name, expiresAt },
  });
  return { id: row.id, token, expiresAt };
}

/** Revokes a token at once (refused when unknown or already revoked). Audited. */
export async function revokeApiToken(tx: DbOrTx, id: number, actor: Actor, now = Date.now()): Promise<void> {
  const before = await tx.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  if (!before) throw notFound(`编号为 ${id} 的令牌`);
  const revokedAt = new Date(now).toISOString();
  const moved = await tx
    .updateTable('api_tokens')
    .set({ revoked_at: revokedAt, revoked_by: actor.name })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) === 0) throw new AppError(409, 'already_revoked', `令牌 ${id} 已经吊销`);
  await appendAudit(tx, {
    actor,
    action: 'revoke-token',
    entity: 'api_token',
    entityId: id,
    before: { name: before.name, revokedAt: null },
    after: { revokedAt },
  });
}

/** Every token (never its hash), newest first. */
export async function listApiTokens(db: DbOrTx): Promise<ApiTokenRow[]> {
  const rows = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select([
      't.id',
      't.user_id',
      'u.username',
      't.name',
      't.created_at',
      't.created_by',
      't.expires_at',
      't.revoked_at',
      't.revoked_by',
      't.last_used_at',
    ])
    .orderBy('t.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    username: r.username,
    name: r.name,
    createdAt: r.created_at,
    createdBy: r.created_by,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    revokedBy: r.revoked_by,
    lastUsedAt: r.last_used_at,
  }));
}

/**
 * The user a presented token acts as, or null when it is unknown, expired, revoked or its account
 * is disabled. Refreshes `last_used_at` (at most once a minute).
 */
export async function apiTokenUser(db: DbOrTx, token: string, now = Date.now()): Promise<SessionUser | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const t = await db
    .selectFrom('api_tokens')
    .select(['id', 'user_id', 'expires_at', 'revoked_at', 'last_used_at'])
    .where('token_hash', '=', hashOf(token))
    .executeTakeFirst();
  if (!t || t.revoked_at !== null || Date.parse(t.expires_at) <= now) return null;
  const user = await loadUser(db, t.user_id);
  if (!user) return null;
  if (t.last_used_at === null || now - Date.parse(t.last_used_at) > LAST_USED_GRANULARITY_MS) {
    await db
      .updateTable('api_tokens')
      .set({ last_used_at: new Date(now).toISOString() })
      .where('id', '=', t.id)
      .execute();
  }
  return user;
}
