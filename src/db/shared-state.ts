import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { DbOrTx } from './database.ts';
import { nowIso } from './database.ts';
import type { DB } from './types.ts';

/**
 * Tables of state shared by every app process on one database (migration 015): rate counters and
 * site secrets. Read through `sharedState(db)` so the main table list (types.ts) stays untouched.
 */

export interface RateLimitTable {
  key: string;
  hits: number;
  /** Epoch milliseconds at which the window ends. */
  reset_at: number;
}

export interface AppSecretTable {
  name: string;
  value: string;
  created_at: string;
}

export type SharedStateTables = { rate_limits: RateLimitTable; app_secrets: AppSecretTable };

export function sharedState(db: DbOrTx): Kysely<DB & SharedStateTables> {
  return (db as Kysely<DB>).withTables<SharedStateTables>();
}

/**
 * The named secret of this site, created at random by the first process that asks (every later
 * one, on any instance, reads the same value): `insert … on conflict do nothing`, then read.
 */
export async function siteSecret(db: DbOrTx, name: string): Promise<string> {
  const s = sharedState(db);
  await s
    .insertInto('app_secrets')
    .values({ name, value: randomBytes(32).toString('base64url'), created_at: nowIso() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await s
    .selectFrom('app_secrets')
    .select('value')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.value;
}

type Incr = (err: Error | null, res: { current: number; ttl: number }) => void;

/**
 * A @fastify/rate-limit store over the `rate_limits` table: a fixed window per key, counted by one
 * `insert … on conflict do update … returning` statement (atomic on both databases).
 */
export function databaseRateStore(db: () => DbOrTx) {
  let writes = 0;
  class DatabaseStore {
    private readonly prefix: string;
    /** The plugin passes its options; a child passes its route's key prefix. */
    constructor(prefix: unknown = '') {
      this.prefix = typeof prefix === 'string' ? prefix : '';
    }
    incr(key: string, cb: Incr, timeWindow: number): void {
      const now = Date.now();
      const fullKey = `${this.prefix}${key}`;
      const s = sharedState(db());
      s.insertInto('rate_limits')
        .values({ key: fullKey, hits: 1, reset_at: now + timeWindow })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            hits: sql`case when rate_limits.reset_at <= ${now} then 1 else rate_limits.hits + 1 end`,
            reset_at: sql`case when rate_limits.reset_at <= ${now} then ${now + timeWindow} else rate_limits.reset_at end`,
          }),
        )
        .returning(['hits', 'reset_at'])
        .executeTakeFirstOrThrow()
        .then(async (row) => {
          // Now and then, forget windows that ended long ago.
          if (++writes % 500 === 0) {
            await s
              .deleteFrom('rate_limits')
              .where('reset_at', '<', now - 3_600_000)
              .execute();
          }
          cb(null, { current: Number(row.hits), ttl: Math.max(0, Number(row.reset_at) - now) });
        })
        .catch((err: Error) => cb(err, { current: 0, ttl: 0 }));
    }
    read(key: string, cb: Incr): void {
      const now = Date.now();
      sharedState(db())
        .selectFrom('rate_limits')
        .select(['hits', 'reset_at'])
        .where('key', '=', `${this.prefix}${key}`)
        .executeTakeFirst()
        .then((row) =>
          cb(
            null,
            row && Number(row.reset_at) > now
              ? { current: Number(row.hits), ttl: Number(row.reset_at) - now }
              : { current: 0, ttl: 0 },
          ),
        )
        .catch((err: Error) => cb(err, { current: 0, ttl: 0 }));
    }
    child(options: object): DatabaseStore {
      const r = (options as { routeInfo?: { method?: string | string[]; url?: string } }).routeInfo ?? {};
      const method = Array.isArray(r.method) ? r.method.join(',') : (r.method ?? '');
      return new DatabaseStore(`${method} ${r.url ?? ''}|`);
    }
  }
  return DatabaseStore;
}
