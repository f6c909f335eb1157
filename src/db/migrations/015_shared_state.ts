import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * State that several app processes on one database must share (issue 15, item 6): request rate
 * counters (one row per limit key and window) and the site secrets (the CSRF signing key), so
 * that a second instance behind the same proxy counts the same requests and accepts the same
 * form tokens. The tables' row types live in src/db/shared-state.ts.
 */
export function sharedStateMigration(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('rate_limits')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('hits', 'integer', (c) => c.notNull())
        // Milliseconds since the epoch (bigint on PostgreSQL: beyond int4).
        .addColumn('reset_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('rate_limits_reset_idx').on('rate_limits').column('reset_at').execute();
      await db.schema
        .createTable('app_secrets')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('app_secrets').execute();
      await db.schema.dropTable('rate_limits').execute();
    },
  };
}
