import { type Kysely, type Migration, sql } from 'kysely';
import type { DialectName } from '../database.ts';
import { withId } from './schema-helpers.ts';

/**
 * The search index (derived data, rebuilt from the registry by `rebuildSearchIndex`):
 *   - search_documents: one row per searchable record (and per department-naming clause of a
 *     boundary case), with the app-side tokens as space-joined text;
 *   - SQLite: an external-content FTS5 table over those tokens (tokenizer unicode61);
 *     PostgreSQL: a generated tsvector('simple') column over them with a GIN index;
 *   - search_index_state: one row naming the current build, so caches know when to drop.
 * No foreign keys: the index is rebuilt wholesale and must never block registry writes.
 */
export function searchMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      let docs = withId(db.schema.createTable('search_documents'), dialect)
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('record_id', 'integer', (c) => c.notNull())
        .addColumn('parent_id', 'integer')
        .addColumn('department_id', 'integer', (c) => c.notNull())
        .addColumn('office_id', 'integer')
        .addColumn('office_inferred', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('tokens', 'text', (c) => c.notNull());
      if (dialect === 'postgres') {
        docs = docs.addColumn('tsv', sql`tsvector`, (c) =>
          c.generatedAlwaysAs(sql`to_tsvector('simple'::regconfig, tokens)`).stored(),
        );
      }
      await docs.execute();
      await db.schema
        .createIndex('search_documents_kind_record_idx')
        .on('search_documents')
        .columns(['kind', 'record_id'])
        .execute();
      if (dialect === 'postgres') {
        await db.schema
          .createIndex('search_documents_tsv_idx')
          .on('search_documents')
          .using('gin')
          .column('tsv')
          .execute();
      } else {
        await sql`create virtual table search_fts using fts5(
          tokens,
          content = 'search_documents',
          content_rowid = 'id',
          tokenize = 'unicode61 remove_diacritics 0'
        )`.execute(db);
      }

      await db.schema
        .createTable('search_index_state')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('build_id', 'text', (c) => c.notNull())
        .addColumn('built_at', 'text', (c) => c.notNull())
        .addColumn('documents', 'integer', (c) => c.notNull())
        .addColumn('avg_length', dialect === 'postgres' ? 'double precision' : 'real', (c) => c.notNull())
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('search_index_state').execute();
      if (dialect === 'sqlite') await sql`drop table search_fts`.execute(db);
      await db.schema.dropTable('search_documents').execute();
    },
  };
}
