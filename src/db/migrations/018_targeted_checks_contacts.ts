import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../database.ts';
import { withId } from './schema-helpers.ts';

/**
 * Checks outside the random plans, list issues found in disputes, and the contact directory
 * (issue 12, items 3, 5 and 9):
 * - targeted_checks: an inspection task opened on a named business outside the random draw (a
 *   举报 that calls for a check); its plan row has status `targeted` and holds one task, which
 *   counts against the entity's yearly cap like a drawn one. `source` / `source_ref` name what
 *   asked for it (e.g. complaint + the ticket's query code) without a reference into that module;
 * - complaint_disputes gains the gap or overlap in the lists a coordinator's decision revealed, and
 *   the draft change set on the boundary list it opened;
 * - contact_entries: what staff maintain of the directory — the bureau's address and office hours,
 *   an office's phone where part 4 of the document gives none, other departments' phones and
 *   addresses. One row per subject (kind + office or department; the service keeps it so); every write is audited.
 */
export function targetedChecksContactsMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db.schema.createTable('targeted_checks'), dialect)
        .addColumn('plan_id', 'integer', (c) =>
          c.notNull().unique().references('inspection_plans.id').onDelete('cascade'),
        )
        .addColumn('task_id', 'integer', (c) =>
          c.notNull().unique().references('plan_tasks.id').onDelete('cascade'),
        )
        .addColumn('entity_id', 'integer', (c) => c.notNull().references('regulated_entities.id'))
        // complaint | … ; with source_ref (the ticket's query code) it names what asked for the check.
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('source_ref', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        // Checks of the entity in the year when the task was opened, this one included.
        .addColumn('checks_in_year', 'integer', (c) => c.notNull())
        .addColumn('opened_by', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('opened_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('targeted_checks_source_idx')
        .on('targeted_checks')
        .columns(['source', 'source_ref'])
        .execute();

      // gap | overlap, null when the decision revealed nothing about the lists.
      await db.schema.alterTable('complaint_disputes').addColumn('list_issue', 'text').execute();
      await db.schema.alterTable('complaint_disputes').addColumn('list_issue_note', 'text').execute();
      await db.schema
        .alterTable('complaint_disputes')
        .addColumn('change_set_id', 'integer', (c) => c.references('change_sets.id').onDelete('set null'))
        .execute();

      await withId(db.schema.createTable('contact_entries'), dialect)
        // bureau | office | department
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('office_id', 'integer', (c) => c.references('offices.id').onDelete('cascade'))
        .addColumn('department_id', 'integer', (c) => c.references('departments.id').onDelete('cascade'))
        .addColumn('phone', 'text')
        .addColumn('address', 'text')
        .addColumn('hours', 'text')
        .addColumn('note', 'text')
        // Where staff took it from (a notice, a web page), shown beside it.
        .addColumn('source', 'text')
        .addColumn('updated_by', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('contact_entries').execute();
      for (const c of ['change_set_id', 'list_issue_note', 'list_issue'])
        await db.schema.alterTable('complaint_disputes').dropColumn(c).execute();
      await db.schema.dropTable('targeted_checks').execute();
    },
  };
}
