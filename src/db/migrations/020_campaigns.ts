import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../database.ts';
import { withId } from './schema-helpers.ts';

/**
 * Yearly campaigns and oversight of county bureaus (issue 11):
 * - campaigns: one per definition (supervision/campaigns/campaign.config.ts) and year, opened by
 *   its notice (dated, checked against the definition's due day), with the reason where its legal
 *   basis is stale;
 * - campaign_filings: one per enterprise the campaign covers — its track, current step, when the
 *   step began (the materials were received) and its due date, and the outcome;
 * - campaign_filing_events: every submission, forward, return (with reason) and decision;
 * - campaign_filing_files: the filed form's attachments (same checks as inspection attachments);
 * - campaign_filing_access: the enterprise's filing link and one-time codes, stored hashed;
 * - licence_marks: 年检合格 (year) on the licence record after a pass;
 * - zone_scores: the development zones' yearly evaluation scores (imported CSV, province-wide);
 * - oversight_checks / oversight_check_staff / oversight_notices: checks of county bureaus and
 *   entrusted bodies with ≥ 2 staff, the 执法监督通知（决定）书's five elements, the body's
 *   correction report and the 复查 request and decision.
 */
export function campaignsMigration(dialect: DialectName): Migration {
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  const real = dialect === 'postgres' ? 'double precision' : 'real';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db.schema.createTable('campaigns'), dialect)
        .addColumn('definition_key', 'text', (c) => c.notNull())
        .addColumn('regime_seq', 'integer', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        // open | closed
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('notice_date', 'text', (c) => c.notNull())
        .addColumn('notice_text', 'text', (c) => c.notNull())
        // The notice as an official document (年检通知 …) with its 文号.
        .addColumn('notice_document_id', 'integer', (c) => c.references('documents.id'))
        .addColumn('filing_deadline', 'text')
        // Where the basis is stale: what the page and notice say, and why the campaign still runs.
        .addColumn('basis_note', 'text')
        .addColumn('basis_reason', 'text')
        .addColumn('opened_by', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('opened_at', 'text', (c) => c.notNull())
        .addColumn('closed_at', 'text')
        .addUniqueConstraint('campaigns_definition_year_uq', ['definition_key', 'year'])
        .execute();

      await withId(db.schema.createTable('campaign_filings'), dialect)
        .addColumn('campaign_id', 'integer', (c) =>
          c.notNull().references('campaigns.id').onDelete('cascade'),
        )
        .addColumn('entity_id', 'integer', (c) => c.notNull().references('regulated_entities.id'))
        .addColumn('track_key', 'text', (c) => c.notNull())
        .addColumn('step_index', 'integer', (c) => c.notNull())
        // open | passed | failed | rectifying | rectified | reported
        .addColumn('status', 'text', (c) => c.notNull())
        // China date the current step began (the materials were received), null before filing.
        .addColumn('step_since', 'text')
        .addColumn('step_due', 'text')
        .addColumn('outcome_on', 'text')
        .addColumn('outcome_reason', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('campaign_filings_entity_uq', ['campaign_id', 'entity_id'])
        .execute();
      await db.schema
        .createIndex('campaign_filings_status_idx')
        .on('campaign_filings')
        .columns(['campaign_id', 'status'])
        .execute();

      await withId(db.schema.createTable('campaign_filing_events'), dialect)
        .addColumn('filing_id', 'integer', (c) =>
          c.notNull().references('campaign_filings.id').onDelete('cascade'),
        )
        .addColumn('step_key', 'text', (c) => c.notNull())
        // submit | forward | return | pass | fail | notice | rectify | rectified | report
        .addColumn('action', 'text', (c) => c.notNull())
        // enterprise | staff
        .addColumn('actor_kind', 'text', (c) => c.notNull())
        .addColumn('user_id', 'integer', (c) => c.references('users.id'))
        .addColumn('reason', 'text')
        // The filed form's fields as JSON (submit only).
        .addColumn('form_json', 'text')
        .addColumn('on_date', 'text', (c) => c.notNull())
        .addColumn('due', 'text')
        .addColumn('overdue', 'integer', (c) => c.notNull().defaultTo(0))
        // The document the action issued (年检不合格告知书, the marked licence copy …).
        .addColumn('document_id', 'integer', (c) => c.references('documents.id'))
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('campaign_filing_events_filing_idx')
        .on('campaign_filing_events')
        .column('filing_id')
        .execute();

      await withId(db.schema.createTable('campaign_filing_files'), dialect)
        .addColumn('filing_id', 'integer', (c) =>
          c.notNull().references('campaign_filings.id').onDelete('cascade'),
        )
        .addColumn('event_id', 'integer', (c) => c.references('campaign_filing_events.id'))
        .addColumn('filename', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('original_sha256', 'text', (c) => c.notNull())
        .addColumn('removed', 'text', (c) => c.notNull())
        .addColumn('data', bytes, (c) => c.notNull())
        .addColumn('uploaded_at', 'text', (c) => c.notNull())
        .execute();

      await withId(db.schema.createTable('campaign_filing_access'), dialect)
        .addColumn('filing_id', 'integer', (c) =>
          c.notNull().references('campaign_filings.id').onDelete('cascade'),
        )
        // link | code
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();

      await withId(db.schema.createTable('licence_marks'), dialect)
        .addColumn('entity_id', 'integer', (c) => c.notNull().references('regulated_entities.id'))
        .addColumn('campaign_id', 'integer', (c) =>
          c.notNull().references('campaigns.id').onDelete('cascade'),
        )
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('mark', 'text', (c) => c.notNull())
        .addColumn('licence_no', 'text')
        .addColumn('marked_on', 'text', (c) => c.notNull())
        .addColumn('marked_by', 'integer', (c) => c.notNull().references('users.id'))
        .addUniqueConstraint('licence_marks_uq', ['entity_id', 'campaign_id'])
        .execute();

      await withId(db.schema.createTable('zone_scores'), dialect)
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('zone_name', 'text', (c) => c.notNull())
        .addColumn('score', real, (c) => c.notNull())
        .addColumn('in_city', 'integer', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('imported_by', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('imported_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('zone_scores_uq', ['year', 'zone_name'])
        .execute();

      await withId(db.schema.createTable('oversight_checks'), dialect)
        .addColumn('body_entity_id', 'integer', (c) => c.notNull().references('regulated_entities.id'))
        .addColumn('regime_seq', 'integer', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        // self | mutual | spot (自查 / 互查 / 抽查)
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('checked_on', 'text', (c) => c.notNull())
        .addColumn('findings', 'text')
        // open | no-finding | notice | corrected | review-requested | reviewed
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('oversight_check_staff')
        .addColumn('check_id', 'integer', (c) =>
          c.notNull().references('oversight_checks.id').onDelete('cascade'),
        )
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addPrimaryKeyConstraint('oversight_check_staff_pk', ['check_id', 'user_id'])
        .execute();

      await withId(db.schema.createTable('oversight_notices'), dialect)
        .addColumn('check_id', 'integer', (c) =>
          c.notNull().unique().references('oversight_checks.id').onDelete('cascade'),
        )
        // The five elements (regime 1, lines 1226–1230).
        .addColumn('body_name', 'text', (c) => c.notNull())
        .addColumn('facts', 'text', (c) => c.notNull())
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('execution', 'text', (c) => c.notNull())
        .addColumn('execution_deadline', 'text', (c) => c.notNull())
        .addColumn('issuer', 'text', (c) => c.notNull())
        .addColumn('issued_on', 'text', (c) => c.notNull())
        .addColumn('number', 'text', (c) => c.notNull())
        .addColumn('document_id', 'integer', (c) => c.notNull().references('documents.id'))
        .addColumn('received_on', 'text')
        .addColumn('correction_report', 'text')
        .addColumn('corrected_on', 'text')
        .addColumn('review_requested_on', 'text')
        .addColumn('review_reason', 'text')
        .addColumn('review_due', 'text')
        .addColumn('review_decided_on', 'text')
        .addColumn('review_decision', 'text')
        .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of [
        'oversight_notices',
        'oversight_check_staff',
        'oversight_checks',
        'zone_scores',
        'licence_marks',
        'campaign_filing_access',
        'campaign_filing_files',
        'campaign_filing_events',
        'campaign_filings',
        'campaigns',
      ]) {
        await db.schema.dropTable(t).execute();
      }
    },
  };
}
