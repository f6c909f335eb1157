import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../database.ts';
import { withId } from './schema-helpers.ts';

/**
 * Complaints (issue 12, 12312 and 12345): the ticket with its personal fields (erasable after the
 * retention period), the routing history (the resolver's proposal, the dispatcher's confirmation or
 * correction — a correction is a labelled example for the resolver's evaluation), the timeline,
 * disputes between the dispatcher and the receiving office, replies, and attachments (bytes with
 * their SHA-256; an upload waits under a token until its form is accepted).
 */
export function complaintsMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db.schema.createTable('complaints'), dialect)
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('secret_hash', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('business_name', 'text')
        .addColumn('business_uscc', 'text')
        .addColumn('place', 'text')
        .addColumn('occurred_on', 'text')
        .addColumn('contact_name', 'text')
        .addColumn('contact_phone', 'text')
        .addColumn('contact_email', 'text')
        .addColumn('anonymous', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('consent', 'text')
        .addColumn('service_code', 'text')
        .addColumn('external_ref', 'text')
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('received_on', 'text', (c) => c.notNull())
        .addColumn('department_id', 'integer', (c) => c.references('departments.id'))
        .addColumn('office_id', 'integer', (c) => c.references('offices.id'))
        .addColumn('assigned_on', 'text')
        .addColumn('accept_due', 'text')
        .addColumn('reply_due', 'text')
        .addColumn('extended_days', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('extensions', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('closed_on', 'text')
        .addColumn('outcome_reason', 'text')
        .addColumn('satisfaction', 'text')
        .addColumn('satisfaction_comment', 'text')
        .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_by', 'integer', (c) => c.references('users.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('erased_at', 'text')
        .execute();
      await db.schema.createIndex('complaints_status_idx').on('complaints').column('status').execute();
      await db.schema.createIndex('complaints_office_idx').on('complaints').column('office_id').execute();
      await db.schema.createIndex('complaints_received_idx').on('complaints').column('received_on').execute();

      await withId(db.schema.createTable('complaint_routings'), dialect)
        .addColumn('complaint_id', 'integer', (c) =>
          c.notNull().references('complaints.id').onDelete('cascade'),
        )
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('department_id', 'integer', (c) => c.references('departments.id'))
        .addColumn('office_id', 'integer', (c) => c.references('offices.id'))
        .addColumn('transfer', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('no_match', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('reason', 'text')
        .addColumn('source_type', 'text')
        .addColumn('source_id', 'integer')
        .addColumn('source_url', 'text')
        .addColumn('matter_id', 'integer')
        .addColumn('share_id', 'integer')
        .addColumn('share_text', 'text')
        .addColumn('note', 'text')
        .addColumn('by_id', 'integer')
        .addColumn('by_name', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('complaint_routings_complaint_idx')
        .on('complaint_routings')
        .column('complaint_id')
        .execute();

      await withId(db.schema.createTable('complaint_events'), dialect)
        .addColumn('complaint_id', 'integer', (c) =>
          c.notNull().references('complaints.id').onDelete('cascade'),
        )
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('from_status', 'text')
        .addColumn('to_status', 'text')
        .addColumn('note', 'text')
        .addColumn('by_id', 'integer')
        .addColumn('by_name', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('on_date', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('complaint_events_complaint_idx')
        .on('complaint_events')
        .column('complaint_id')
        .execute();

      await withId(db.schema.createTable('complaint_disputes'), dialect)
        .addColumn('complaint_id', 'integer', (c) =>
          c.notNull().references('complaints.id').onDelete('cascade'),
        )
        .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id'))
        .addColumn('returned_by', 'integer', (c) => c.references('users.id'))
        .addColumn('returned_at', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('cited_type', 'text', (c) => c.notNull())
        .addColumn('cited_id', 'integer', (c) => c.notNull())
        .addColumn('cited_text', 'text', (c) => c.notNull())
        .addColumn('dispatch_citation', 'text')
        .addColumn('decided_by', 'integer', (c) => c.references('users.id'))
        .addColumn('decided_at', 'text')
        .addColumn('decision', 'text')
        .addColumn('decision_reason', 'text')
        .execute();

      await withId(db.schema.createTable('complaint_replies'), dialect)
        .addColumn('complaint_id', 'integer', (c) =>
          c.notNull().references('complaints.id').onDelete('cascade'),
        )
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('doc_number', 'text')
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('by_id', 'integer', (c) => c.references('users.id'))
        .addColumn('by_name', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();

      await withId(db.schema.createTable('complaint_attachments'), dialect)
        .addColumn('complaint_id', 'integer', (c) => c.references('complaints.id').onDelete('cascade'))
        .addColumn('pending_hash', 'text')
        .addColumn('filename', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('data', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('complaint_attachments_complaint_idx')
        .on('complaint_attachments')
        .column('complaint_id')
        .execute();
      await db.schema
        .createIndex('complaint_attachments_pending_idx')
        .on('complaint_attachments')
        .column('pending_hash')
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of [
        'complaint_attachments',
        'complaint_replies',
        'complaint_disputes',
        'complaint_events',
        'complaint_routings',
        'complaints',
      ]) {
        await db.schema.dropTable(t).execute();
      }
    },
  };
}
