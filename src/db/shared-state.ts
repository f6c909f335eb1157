import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
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
