import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../database.ts';
import { withId } from './schema-helpers.ts';

/** Staff accounts and sessions, the audit chain, change sets and published versions. */
export function staffMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db.schema.createTable('users'), dialect)
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('password_changed_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('user_offices')
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('user_offices_pk', ['user_id', 'office_id'])
        .execute();

      await db.schema
        .createTable('sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('ip', 'text')
        .execute();
      await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

      await withId(db.schema.createTable('login_attempts'), dialect)
        .addColumn('username', 'text', (c) => c.notNull())
        .addColumn('ip', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('success', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('login_attempts_user_idx')
        .on('login_attempts')
        .columns(['username', 'at'])
        .execute();

      // The audit chain: one head row serialises appends (a row lock on PostgreSQL).
      await db.schema
        .createTable('audit_head')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await withId(db.schema.createTable('audit_log'), dialect)
        .addColumn('seq', 'integer', (c) => c.notNull().unique())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'integer')
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'text')
        .addColumn('before', 'text')
        .addColumn('after', 'text')
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();

      await withId(db.schema.createTable('change_sets'), dialect)
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id'))
        .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('reviewer_id', 'integer', (c) => c.references('users.id'))
        .addColumn('review_comment', 'text')
        .addColumn('effective_date', 'text')
        .addColumn('version_id', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await withId(db.schema.createTable('change_items'), dialect)
        .addColumn('change_set_id', 'integer', (c) =>
          c.notNull().references('change_sets.id').onDelete('cascade'),
        )
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('op', 'text', (c) => c.notNull())
        .addColumn('target_id', 'integer')
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('before', 'text')
        .execute();

      await withId(db.schema.createTable('versions'), dialect)
        .addColumn('number', 'integer', (c) => c.notNull().unique())
        .addColumn('published_at', 'text', (c) => c.notNull())
        .addColumn('effective_date', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('change_set_id', 'integer')
        .addColumn('published_by', 'text', (c) => c.notNull())
        .addColumn('snapshot', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of [
        'versions',
        'change_items',
        'change_sets',
        'audit_log',
        'audit_head',
        'login_attempts',
        'sessions',
        'user_offices',
        'users',
      ]) {
        await db.schema.dropTable(t).execute();
      }
    },
  };
}
