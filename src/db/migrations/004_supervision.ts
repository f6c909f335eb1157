import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../database.ts';
import { withId } from './schema-helpers.ts';

/**
 * Supervision (issue 5): reference data (entity categories, counties), the register of regulated
 * entities (检查对象名录库), the register of inspectors (执法检查人员名录库) with declared conflicts,
 * inspection plans with their frozen draw inputs, and the drawn tasks.
 *
 * The reference rows are seeded here from a frozen copy of src/modules/supervision/reference.ts
 * (a landed migration never changes; a test checks that the two agree).
 */

const CATEGORIES: Array<[string, string]> = [
  ['refined-oil-retail', '成品油零售'],
  ['refined-oil-wholesale', '成品油批发/仓储'],
  ['auction', '拍卖'],
  ['pawn', '典当'],
  ['prepaid-card-issuer', '单用途预付卡发卡'],
  ['retailer', '零售商'],
  ['supplier', '供应商'],
  ['foreign-trade', '对外贸易经营者'],
  ['foreign-invested', '外商投资企业'],
  ['vehicle-recycling', '报废机动车回收拆解'],
  ['development-zone', '开发区'],
  ['overseas-investment', '境外投资'],
  ['overseas-contracting', '对外承包工程'],
  ['labour-cooperation', '对外劳务合作'],
  ['pig-reserve', '生猪储备'],
  ['county-bureau', '县级商务主管部门/受委托机关'],
];

const COUNTIES: Array<[string, string, string]> = [
  ['桃城区', '131102', 'district'],
  ['冀州区', '131103', 'district'],
  ['枣强县', '131121', 'county'],
  ['武邑县', '131122', 'county'],
  ['武强县', '131123', 'county'],
  ['饶阳县', '131124', 'county'],
  ['安平县', '131125', 'county'],
  ['故城县', '131126', 'county'],
  ['景县', '131127', 'county'],
  ['阜城县', '131128', 'county'],
  ['深州市', '131182', 'county-level city'],
  ['衡水高新技术产业开发区', '131171', 'zone'],
  ['衡水滨湖新区', '131172', 'zone'],
];

export function supervisionMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('entity_categories')
        .addColumn('code', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('position', 'integer', (c) => c.notNull())
        .execute();

      await withId(db.schema.createTable('counties'), dialect)
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('division_code', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .execute();

      await withId(db.schema.createTable('regulated_entities'), dialect)
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('uscc', 'text', (c) => c.notNull().unique())
        .addColumn('county_id', 'integer', (c) => c.notNull().references('counties.id'))
        .addColumn('licence_no', 'text')
        .addColumn('licence_valid_from', 'text')
        .addColumn('licence_valid_until', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('risk_class', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('regulated_entities_county_idx')
        .on('regulated_entities')
        .columns(['county_id', 'status'])
        .execute();

      await db.schema
        .createTable('regulated_entity_categories')
        .addColumn('entity_id', 'integer', (c) =>
          c.notNull().references('regulated_entities.id').onDelete('cascade'),
        )
        .addColumn('category_code', 'text', (c) => c.notNull().references('entity_categories.code'))
        .addPrimaryKeyConstraint('regulated_entity_categories_pk', ['entity_id', 'category_code'])
        .execute();
      await db.schema
        .createIndex('regulated_entity_categories_code_idx')
        .on('regulated_entity_categories')
        .column('category_code')
        .execute();

      await withId(db.schema.createTable('inspectors'), dialect)
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('certificate_no', 'text', (c) => c.notNull().unique())
        .addColumn('office_id', 'integer', (c) => c.references('offices.id'))
        .addColumn('county_id', 'integer', (c) => c.references('counties.id'))
        .addColumn('user_id', 'integer', (c) => c.unique().references('users.id').onDelete('set null'))
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await withId(db.schema.createTable('inspector_conflicts'), dialect)
        .addColumn('inspector_id', 'integer', (c) =>
          c.notNull().references('inspectors.id').onDelete('cascade'),
        )
        .addColumn('entity_id', 'integer', (c) =>
          c.notNull().references('regulated_entities.id').onDelete('cascade'),
        )
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('inspector_conflicts_uq', ['inspector_id', 'entity_id'])
        .execute();

      await withId(db.schema.createTable('inspection_plans'), dialect)
        .addColumn('regime_seq', 'integer', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('round', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('ratio_bp', 'integer', (c) => c.notNull())
        .addColumn('min_inspectors', 'integer', (c) => c.notNull())
        // JSON arrays of county ids / risk classes; null = no narrowing.
        .addColumn('county_filter', 'text')
        .addColumn('risk_filter', 'text')
        // draft | committed | drawn | cancelled
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('below_min_reason', 'text')
        .addColumn('approved_by', 'integer', (c) => c.references('users.id'))
        .addColumn('approved_at', 'text')
        .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        // Published at commit.
        .addColumn('committed_by', 'integer', (c) => c.references('users.id'))
        .addColumn('committed_at', 'text')
        .addColumn('population_size', 'integer')
        .addColumn('sample_size', 'integer')
        .addColumn('allocation', 'text')
        .addColumn('population_hash', 'text')
        .addColumn('inspectors_hash', 'text')
        .addColumn('server_seed_hash', 'text')
        .addColumn('commit_hash', 'text')
        // The regimeId of the draw parameters, fixed at commit (a later re-import may retitle the regime).
        .addColumn('draw_regime_id', 'text')
        // Secret until the draw: never presented before status 'drawn'.
        .addColumn('server_seed', 'text')
        // Published at the draw.
        .addColumn('witness', 'text')
        .addColumn('draw_seed', 'text')
        .addColumn('drawn_by', 'integer', (c) => c.references('users.id'))
        .addColumn('drawn_at', 'text')
        .addColumn('draw_file', 'text')
        .addColumn('draw_file_sha256', 'text')
        .execute();
      // One live plan per regime, year and round is enforced by plans.service.ts (a cancelled draft
      // frees its round, so a plain unique constraint would be too strict).
      await db.schema
        .createIndex('inspection_plans_round_idx')
        .on('inspection_plans')
        .columns(['regime_seq', 'year', 'round'])
        .execute();

      // The draw inputs frozen at commit: exactly what the commitment hashes.
      await db.schema
        .createTable('plan_population')
        .addColumn('plan_id', 'integer', (c) =>
          c.notNull().references('inspection_plans.id').onDelete('cascade'),
        )
        .addColumn('uscc', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'integer', (c) => c.notNull().references('regulated_entities.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('county', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('plan_population_pk', ['plan_id', 'uscc'])
        .execute();
      await db.schema
        .createTable('plan_inspectors')
        .addColumn('plan_id', 'integer', (c) =>
          c.notNull().references('inspection_plans.id').onDelete('cascade'),
        )
        .addColumn('certificate_no', 'text', (c) => c.notNull())
        .addColumn('inspector_id', 'integer', (c) => c.notNull().references('inspectors.id'))
        .addColumn('county', 'text', (c) => c.notNull())
        // Comma-joined USCCs of declared conflicts within the population.
        .addColumn('conflicts', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('plan_inspectors_pk', ['plan_id', 'certificate_no'])
        .execute();

      await withId(db.schema.createTable('plan_tasks'), dialect)
        .addColumn('plan_id', 'integer', (c) =>
          c.notNull().references('inspection_plans.id').onDelete('cascade'),
        )
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('entity_id', 'integer', (c) => c.notNull().references('regulated_entities.id'))
        .addColumn('uscc', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('county', 'text', (c) => c.notNull())
        .addColumn('rank', 'text', (c) => c.notNull())
        .addUniqueConstraint('plan_tasks_position_uq', ['plan_id', 'position'])
        .execute();
      await db.schema
        .createTable('plan_task_inspectors')
        .addColumn('task_id', 'integer', (c) => c.notNull().references('plan_tasks.id').onDelete('cascade'))
        .addColumn('inspector_id', 'integer', (c) => c.notNull().references('inspectors.id'))
        .addColumn('certificate_no', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('plan_task_inspectors_pk', ['task_id', 'inspector_id'])
        .execute();
      await db.schema
        .createIndex('plan_task_inspectors_inspector_idx')
        .on('plan_task_inspectors')
        .column('inspector_id')
        .execute();

      const seedDb = db as Kysely<{
        entity_categories: { code: string; name: string; position: number };
        counties: { name: string; division_code: string; kind: string; position: number };
      }>;
      await seedDb
        .insertInto('entity_categories')
        .values(CATEGORIES.map(([code, name], i) => ({ code, name, position: i + 1 })))
        .execute();
      await seedDb
        .insertInto('counties')
        .values(
          COUNTIES.map(([name, division_code, kind], i) => ({ name, division_code, kind, position: i + 1 })),
        )
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of [
        'plan_task_inspectors',
        'plan_tasks',
        'plan_inspectors',
        'plan_population',
        'inspection_plans',
        'inspector_conflicts',
        'inspectors',
        'regulated_entity_categories',
        'regulated_entities',
        'counties',
        'entity_categories',
      ]) {
        await db.schema.dropTable(t).execute();
      }
    },
  };
}
