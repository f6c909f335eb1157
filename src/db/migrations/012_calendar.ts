import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../database.ts';
import { withId } from './schema-helpers.ts';

/**
 * The working-day calendar as data (issue 10, item 5): the State Council's yearly holiday notices
 * (国务院办公厅关于YYYY年部分节假日安排的通知) loaded by `zhize calendar import`, on top of what the
 * chinese-days package ships.
 * - calendar_notices: one per year — its document number (国办发明电〔…〕…号), title, the hash of
 *   the imported content, who loaded it and when, and whether it is a test fixture;
 * - calendar_days: the days the notice moves — holidays (放假) and make-up workdays (调休上班).
 */
export function calendarMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db.schema.createTable('calendar_notices'), dialect)
        .addColumn('year', 'integer', (c) => c.notNull().unique())
        .addColumn('document_number', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('published_on', 'text')
        .addColumn('test_fixture', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('imported_by', 'text', (c) => c.notNull())
        .addColumn('imported_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('calendar_days')
        .addColumn('notice_id', 'integer', (c) =>
          c.notNull().references('calendar_notices.id').onDelete('cascade'),
        )
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('calendar_days_pk', ['notice_id', 'date'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('calendar_days').execute();
      await db.schema.dropTable('calendar_notices').execute();
    },
  };
}
