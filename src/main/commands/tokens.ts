import type { Database } from '../../db/database.ts';
import { chinaDateTime } from '../../lib/china-time.ts';
import {
  createApiToken,
  DEFAULT_TOKEN_DAYS,
  listApiTokens,
  MAX_TOKEN_DAYS,
  revokeApiToken,
} from '../../modules/auth/index.ts';
import { cliActor, type Io, parseOptions, UsageError } from './io.ts';
import { refusing } from './users.ts';

/**
 * `zhize token …`: API tokens for the staff API and Open311 (`Authorization: Bearer …`, or
 * Open311's `api_key`). The token is printed once on stdout (alone, so it can be piped into a
 * secret store); only its SHA-256 is kept. Every creation and revocation is audited.
 */

/** `zhize token create <username> [--days N] [--name 用途]`. */
export async function tokenCreate(database: Database, args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    days: { type: 'string' },
    name: { type: 'string' },
  });
  const username = positionals[0];
  if (!username) throw new UsageError('请指定用户名');
  const daysText = (values.days as string | undefined) ?? String(DEFAULT_TOKEN_DAYS);
  if (!/^\d{1,4}$/.test(daysText)) throw new UsageError(`--days 必须是 1–${MAX_TOKEN_DAYS} 之间的整数`);
  const name = (values.name as string | undefined) ?? `${username} 的接口令牌`;
  return refusing(io, async () => {
    const r = await database.db
      .transaction()
      .execute((tx) => createApiToken(tx, { username, name, days: Number(daysText), actor: cliActor() }));
    io.out(`${r.token}\n`);
    io.err(
      `已为用户 ${username} 创建令牌 ${r.id}（${name}），有效期至 ${chinaDateTime(r.expiresAt)}（北京时间）。上面的令牌只显示这一次，请妥善保存；吊销：zhize token revoke ${r.id}\n`,
    );
    return 0;
  });
}

/** `zhize token revoke <id>`. */
export async function tokenRevoke(database: Database, args: string[], io: Io): Promise<number> {
  const { positionals } = parseOptions(args, {});
  const id = positionals[0];
  if (!id || !/^[1-9]\d{0,9}$/.test(id)) throw new UsageError('请指定令牌编号（zhize token list 可查看）');
  return refusing(io, async () => {
    await database.db.transaction().execute((tx) => revokeApiToken(tx, Number(id), cliActor()));
    io.out(`已吊销令牌 ${id}\n`);
    return 0;
  });
}

const state = (t: { revokedAt: string | null; expiresAt: string }, now: number) =>
  t.revokedAt ? '已吊销' : Date.parse(t.expiresAt) <= now ? '已过期' : '有效';

/** `zhize token list [--json]`: every token, never the token or its hash. */
export async function tokenList(database: Database, args: string[], io: Io): Promise<number> {
  const { values } = parseOptions(args, { json: { type: 'boolean' } });
  const tokens = await listApiTokens(database.db);
  const now = Date.now();
  if (values.json) {
    io.out(
      `${JSON.stringify(
        tokens.map((t) => ({ ...t, state: state(t, now) })),
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  if (tokens.length === 0) {
    io.out('还没有接口令牌\n');
    return 0;
  }
  for (const t of tokens) {
    io.out(
      `${t.id}\t${t.username}\t${t.name}\t${state(t, now)}\t创建 ${chinaDateTime(t.createdAt)}\t到期 ${chinaDateTime(t.expiresAt)}\t最近使用 ${t.lastUsedAt ? chinaDateTime(t.lastUsedAt) : '从未'}${t.revokedAt ? `\t吊销 ${chinaDateTime(t.revokedAt)}（${t.revokedBy}）` : ''}\n`,
    );
  }
  return 0;
}
