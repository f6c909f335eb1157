import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../database.ts';
import { withId, withProvenance } from './schema-helpers.ts';

/** The registry: departments, offices, duties, work items, boundaries, regimes, services. */
export function registryMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db.schema.createTable('source_documents'), dialect)
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('encoding', 'text', (c) => c.notNull())
        .addColumn('line_ending', 'text', (c) => c.notNull())
        .addColumn('line_count', 'integer', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('imported_at', 'text', (c) => c.notNull())
        .execute();

      await withId(db.schema.createTable('departments'), dialect)
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await withId(db.schema.createTable('department_aliases'), dialect)
        .addColumn('department_id', 'integer', (c) =>
          c.notNull().references('departments.id').onDelete('cascade'),
        )
        .addColumn('alias', 'text', (c) => c.notNull().unique())
        .execute();

      await withProvenance(withId(db.schema.createTable('offices'), dialect))
        .addColumn('department_id', 'integer', (c) =>
          c.notNull().references('departments.id').onDelete('cascade'),
        )
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('is_group', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addUniqueConstraint('offices_department_name_uq', ['department_id', 'name'])
        .execute();

      await withId(db.schema.createTable('office_aliases'), dialect)
        .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id').onDelete('cascade'))
        .addColumn('department_id', 'integer', (c) =>
          c.notNull().references('departments.id').onDelete('cascade'),
        )
        .addColumn('alias', 'text', (c) => c.notNull())
        .addUniqueConstraint('office_aliases_department_alias_uq', ['department_id', 'alias'])
        .execute();

      await db.schema
        .createTable('office_group_members')
        .addColumn('group_id', 'integer', (c) => c.notNull().references('offices.id').onDelete('cascade'))
        .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('office_group_members_pk', ['group_id', 'office_id'])
        .execute();

      await withProvenance(withId(db.schema.createTable('duties'), dialect))
        .addColumn('department_id', 'integer', (c) =>
          c.notNull().references('departments.id').onDelete('cascade'),
        )
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addUniqueConstraint('duties_department_seq_uq', ['department_id', 'seq'])
        .execute();

      await withProvenance(withId(db.schema.createTable('work_items'), dialect))
        .addColumn('duty_id', 'integer', (c) => c.notNull().references('duties.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('office_text', 'text', (c) => c.notNull())
        .addColumn('remark', 'text')
        .addUniqueConstraint('work_items_duty_position_uq', ['duty_id', 'position'])
        .execute();

      await db.schema
        .createTable('work_item_offices')
        .addColumn('work_item_id', 'integer', (c) =>
          c.notNull().references('work_items.id').onDelete('cascade'),
        )
        .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('work_item_offices_pk', ['work_item_id', 'office_id'])
        .execute();
      await db.schema
        .createIndex('work_item_offices_office_idx')
        .on('work_item_offices')
        .column('office_id')
        .execute();

      await withProvenance(withId(db.schema.createTable('boundary_matters'), dialect))
        .addColumn('department_id', 'integer', (c) =>
          c.notNull().references('departments.id').onDelete('cascade'),
        )
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addUniqueConstraint('boundary_matters_department_seq_uq', ['department_id', 'seq'])
        .execute();

      await withProvenance(withId(db.schema.createTable('boundary_shares'), dialect))
        .addColumn('matter_id', 'integer', (c) =>
          c.notNull().references('boundary_matters.id').onDelete('cascade'),
        )
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id'))
        .addColumn('department_text', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addUniqueConstraint('boundary_shares_matter_position_uq', ['matter_id', 'position'])
        .execute();
      await db.schema
        .createIndex('boundary_shares_department_idx')
        .on('boundary_shares')
        .column('department_id')
        .execute();

      await withProvenance(withId(db.schema.createTable('legal_bases'), dialect))
        .addColumn('matter_id', 'integer', (c) =>
          c.notNull().references('boundary_matters.id').onDelete('cascade'),
        )
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('doc_number', 'text')
        .addUniqueConstraint('legal_bases_matter_position_uq', ['matter_id', 'position'])
        .execute();

      await withProvenance(withId(db.schema.createTable('boundary_cases'), dialect))
        .addColumn('matter_id', 'integer', (c) =>
          c.notNull().references('boundary_matters.id').onDelete('cascade'),
        )
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addUniqueConstraint('boundary_cases_matter_position_uq', ['matter_id', 'position'])
        .execute();

      await withProvenance(withId(db.schema.createTable('regimes'), dialect))
        .addColumn('department_id', 'integer', (c) =>
          c.notNull().references('departments.id').onDelete('cascade'),
        )
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('label', 'text')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('intro', 'text')
        .addUniqueConstraint('regimes_department_seq_uq', ['department_id', 'seq'])
        .execute();

      await withProvenance(withId(db.schema.createTable('regime_sections'), dialect))
        .addColumn('regime_id', 'integer', (c) => c.notNull().references('regimes.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('heading', 'text', (c) => c.notNull())
        .addColumn('kinds', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addUniqueConstraint('regime_sections_regime_position_uq', ['regime_id', 'position'])
        .execute();

      await withProvenance(withId(db.schema.createTable('regime_check_items'), dialect))
        .addColumn('regime_id', 'integer', (c) => c.notNull().references('regimes.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addUniqueConstraint('regime_check_items_regime_position_uq', ['regime_id', 'position'])
        .execute();

      await withProvenance(withId(db.schema.createTable('public_services'), dialect))
        .addColumn('department_id', 'integer', (c) =>
          c.notNull().references('departments.id').onDelete('cascade'),
        )
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('office_text', 'text', (c) => c.notNull())
        .addColumn('phone_text', 'text', (c) => c.notNull())
        .addUniqueConstraint('public_services_department_seq_uq', ['department_id', 'seq'])
        .execute();

      await db.schema
        .createTable('service_offices')
        .addColumn('service_id', 'integer', (c) =>
          c.notNull().references('public_services.id').onDelete('cascade'),
        )
        .addColumn('office_id', 'integer', (c) => c.notNull().references('offices.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('service_offices_pk', ['service_id', 'office_id'])
        .execute();

      await db.schema
        .createTable('service_phones')
        .addColumn('service_id', 'integer', (c) =>
          c.notNull().references('public_services.id').onDelete('cascade'),
        )
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('phone', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('service_phones_pk', ['service_id', 'position'])
        .execute();

      await withId(db.schema.createTable('import_repairs'), dialect)
        .addColumn('source_document_id', 'integer', (c) =>
          c.notNull().references('source_documents.id').onDelete('cascade'),
        )
        .addColumn('part', 'integer', (c) => c.notNull())
        .addColumn('line', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .execute();

      await withId(db.schema.createTable('import_runs'), dialect)
        .addColumn('source_document_id', 'integer', (c) =>
          c.references('source_documents.id').onDelete('set null'),
        )
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      const tables = [
        'import_runs',
        'import_repairs',
        'service_phones',
        'service_offices',
        'public_services',
        'regime_check_items',
        'regime_sections',
        'regimes',
        'boundary_cases',
        'legal_bases',
        'boundary_shares',
        'boundary_matters',
        'work_item_offices',
        'work_items',
        'duties',
        'office_group_members',
        'office_aliases',
        'offices',
        'department_aliases',
        'departments',
        'source_documents',
      ];
      for (const t of tables) await db.schema.dropTable(t).execute();
    },
  };
}
