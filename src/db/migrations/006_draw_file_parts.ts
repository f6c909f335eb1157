import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * The publishable draw file in parts (decisions §17): a million-entity draw file is about 85 MB,
 * and storing it as one value meant one statement that held the event loop (and SQLite's one
 * writer) for a long time. The parts are staged in short transactions before the draw's final
 * transaction, like the tasks, and are read back in `seq` order; each part ends at a line break,
 * so every part is valid UTF-8 text on its own. Plans drawn before this migration keep their file
 * in `inspection_plans.draw_file`.
 */
export function drawFilePartsMigration(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('plan_draw_file_parts')
        .addColumn('plan_id', 'integer', (c) =>
          c.notNull().references('inspection_plans.id').onDelete('cascade'),
        )
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('plan_draw_file_parts_pk', ['plan_id', 'seq'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('plan_draw_file_parts').execute();
    },
  };
}
