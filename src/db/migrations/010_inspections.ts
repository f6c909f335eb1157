import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../database.ts';
import { withId } from './schema-helpers.ts';

/**
 * Inspections (issue 9, items 3–5): what happens to a drawn task.
 * - regulated_entities.address: where the inspectors go (经营场所), optional;
 * - task_adjustments: an inspector's conflict declared after the draw and the replacement the
 *   published rule chose (public, with its reason);
 * - inspections: one per task — the on-site record (现场检查笔录: time, place, the checked party's
 *   representative, a refusal to cooperate), the proposed result and its review and publication
 *   (待审核 → 退回 → 已公示, withdrawal with a public reason);
 * - inspection_items: the checklist copied from the regime's check items, each answered;
 * - inspection_confirmations: each assigned inspector's confirmation of one version of the record;
 * - inspection_attachments: photos and PDFs, metadata stripped, SHA-256 of the stored bytes and of
 *   the bytes received.
 */
export function inspectionsMigration(dialect: DialectName): Migration {
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('regulated_entities').addColumn('address', 'text').execute();

      await withId(db.schema.createTable('task_adjustments'), dialect)
        .addColumn('plan_id', 'integer', (c) =>
          c.notNull().references('inspection_plans.id').onDelete('cascade'),
        )
        .addColumn('task_id', 'integer', (c) => c.notNull().references('plan_tasks.id').onDelete('cascade'))
        // Numbered per plan from 1: the order in which the adjustments were made (and published).
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('uscc', 'text', (c) => c.notNull())
        .addColumn('withdrawn_inspector_id', 'integer', (c) => c.notNull().references('inspectors.id'))
        .addColumn('withdrawn_certificate', 'text', (c) => c.notNull())
        .addColumn('replacement_inspector_id', 'integer', (c) => c.notNull().references('inspectors.id'))
        .addColumn('replacement_certificate', 'text', (c) => c.notNull())
        // Public: shown on the plan's notice page.
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('rule', 'text', (c) => c.notNull())
        .addColumn('declared_by', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('declared_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('task_adjustments_seq_uq', ['plan_id', 'seq'])
        .execute();

      await withId(db.schema.createTable('inspections'), dialect)
        .addColumn('task_id', 'integer', (c) =>
          c.notNull().unique().references('plan_tasks.id').onDelete('cascade'),
        )
        .addColumn('plan_id', 'integer', (c) =>
          c.notNull().references('inspection_plans.id').onDelete('cascade'),
        )
        // draft | pending | returned | published | withdrawn (result.workflow.ts)
        .addColumn('status', 'text', (c) => c.notNull())
        // Each save of the record counts up; a confirmation names the version it confirms.
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('checked_at', 'text')
        .addColumn('checked_on', 'text')
        .addColumn('place', 'text')
        .addColumn('representative', 'text')
        .addColumn('representative_role', 'text')
        .addColumn('refused', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('refusal_note', 'text')
        .addColumn('notes', 'text')
        .addColumn('result_code', 'text')
        .addColumn('result_summary', 'text')
        .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('submitted_at', 'text')
        .addColumn('reviewed_by', 'integer', (c) => c.references('users.id'))
        .addColumn('reviewed_at', 'text')
        .addColumn('review_comment', 'text')
        .addColumn('published_by', 'integer', (c) => c.references('users.id'))
        .addColumn('published_at', 'text')
        .addColumn('withdrawn_by', 'integer', (c) => c.references('users.id'))
        .addColumn('withdrawn_at', 'text')
        .addColumn('withdrawal_reason', 'text')
        .execute();
      await db.schema
        .createIndex('inspections_plan_status_idx')
        .on('inspections')
        .columns(['plan_id', 'status'])
        .execute();

      await db.schema
        .createTable('inspection_items')
        .addColumn('inspection_id', 'integer', (c) =>
          c.notNull().references('inspections.id').onDelete('cascade'),
        )
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('source_line', 'integer')
        .addColumn('heading', 'integer', (c) => c.notNull())
        // compliant | non-compliant | not-applicable, null while unanswered
        .addColumn('answer', 'text')
        .addColumn('note', 'text')
        .addPrimaryKeyConstraint('inspection_items_pk', ['inspection_id', 'position'])
        .execute();

      await db.schema
        .createTable('inspection_confirmations')
        .addColumn('inspection_id', 'integer', (c) =>
          c.notNull().references('inspections.id').onDelete('cascade'),
        )
        .addColumn('inspector_id', 'integer', (c) => c.notNull().references('inspectors.id'))
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('confirmed_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('inspection_confirmations_pk', ['inspection_id', 'inspector_id'])
        .execute();

      await withId(db.schema.createTable('inspection_attachments'), dialect)
        .addColumn('inspection_id', 'integer', (c) =>
          c.notNull().references('inspections.id').onDelete('cascade'),
        )
        .addColumn('filename', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('original_sha256', 'text', (c) => c.notNull())
        // Comma-joined keys of what was stripped (exif,xmp,…), '' when nothing.
        .addColumn('removed', 'text', (c) => c.notNull())
        .addColumn('data', bytes, (c) => c.notNull())
        .addColumn('uploaded_by', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('uploaded_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('inspection_attachments_inspection_idx')
        .on('inspection_attachments')
        .column('inspection_id')
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of [
        'inspection_attachments',
        'inspection_confirmations',
        'inspection_items',
        'inspections',
        'task_adjustments',
      ]) {
        await db.schema.dropTable(t).execute();
      }
      await db.schema.alterTable('regulated_entities').dropColumn('address').execute();
    },
  };
}
