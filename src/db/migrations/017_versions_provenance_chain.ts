import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../database.ts';
import { withId } from './schema-helpers.ts';

/**
 * Effective dates that hold, provenance after edits, the review chain of 动态调整 and the official
 * publication of a source document (issue 14, items 4–7):
 * - change_sets.review_chain / review_step / review_round: the chain a set was submitted into (JSON,
 *   null = the default chain), the step it waits for (0-based) and how many times it was submitted;
 * - change_set_reviews: every step taken on a set (passed, returned, published, scheduled) by whom;
 * - version_schedule: a published change set whose effective date is still to come, until it takes
 *   effect (then `applied` with its version) or is returned (`cancelled`);
 * - record_revisions: which change set and version made a record what it is now, with the source
 *   lines its text had before (those lines no longer state it);
 * - source_documents.official_url: where the document was officially published.
 */
export function versionsProvenanceChainMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('change_sets').addColumn('review_chain', 'text').execute();
      await db.schema
        .alterTable('change_sets')
        .addColumn('review_step', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('change_sets')
        .addColumn('review_round', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();

      await withId(db.schema.createTable('change_set_reviews'), dialect)
        .addColumn('change_set_id', 'integer', (c) =>
          c.notNull().references('change_sets.id').onDelete('cascade'),
        )
        .addColumn('round', 'integer', (c) => c.notNull())
        .addColumn('step', 'integer', (c) => c.notNull())
        .addColumn('step_name', 'text', (c) => c.notNull())
        // pass | return | publish | schedule
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('user_name', 'text', (c) => c.notNull())
        .addColumn('comment', 'text')
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('change_set_reviews_set_idx')
        .on('change_set_reviews')
        .column('change_set_id')
        .execute();

      await withId(db.schema.createTable('version_schedule'), dialect)
        .addColumn('change_set_id', 'integer', (c) => c.notNull().unique())
        .addColumn('effective_date', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('scheduled_by', 'text', (c) => c.notNull())
        .addColumn('scheduled_at', 'text', (c) => c.notNull())
        // pending | applied | cancelled
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('version_number', 'integer')
        .execute();
      await db.schema
        .createIndex('version_schedule_due_idx')
        .on('version_schedule')
        .columns(['state', 'effective_date'])
        .execute();

      await withId(db.schema.createTable('record_revisions'), dialect)
        // The change adapter's key: workItem, service, duty, office, share, …
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('record_id', 'integer', (c) => c.notNull())
        // create | update
        .addColumn('op', 'text', (c) => c.notNull())
        // JSON array of the payload keys whose value changed
        .addColumn('fields', 'text', (c) => c.notNull())
        .addColumn('version_number', 'integer', (c) => c.notNull())
        .addColumn('effective_date', 'text', (c) => c.notNull())
        .addColumn('change_set_id', 'integer')
        .addColumn('change_set_title', 'text', (c) => c.notNull())
        .addColumn('basis', 'text', (c) => c.notNull())
        .addColumn('proposed_by', 'text', (c) => c.notNull())
        // JSON array of { step, name }: who passed each step of the review chain
        .addColumn('reviewed_by', 'text', (c) => c.notNull())
        .addColumn('published_by', 'text', (c) => c.notNull())
        // The lines that stated the record's text before this change (null for a new record).
        .addColumn('before_source_document_id', 'integer')
        .addColumn('before_line_start', 'integer')
        .addColumn('before_line_end', 'integer')
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('record_revisions_record_idx')
        .on('record_revisions')
        .columns(['entity', 'record_id'])
        .execute();

      await db.schema.alterTable('source_documents').addColumn('official_url', 'text').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('source_documents').dropColumn('official_url').execute();
      await db.schema.dropTable('record_revisions').execute();
      await db.schema.dropTable('version_schedule').execute();
      await db.schema.dropTable('change_set_reviews').execute();
      await db.schema.alterTable('change_sets').dropColumn('review_round').execute();
      await db.schema.alterTable('change_sets').dropColumn('review_step').execute();
      await db.schema.alterTable('change_sets').dropColumn('review_chain').execute();
    },
  };
}
