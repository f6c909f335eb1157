import { type Kysely, type Migration, sql } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * Draw protocol version 2 and what plans need in practice (issue 9, items 1–2):
 * - inspection_plans: the algorithm version (1 for every plan before this migration), the
 *   inspection period, per-risk-class ratios, the yearly cap of checks per entity, the inspector
 *   scope (属地), the witness source with its reference and planned draw time, and at commit and draw
 *   the commit text, the exclusions hash and the canonical witness;
 * - plan_population: the risk class each entity had when the plan was committed;
 * - plan_exclusions: the entities left out at commit because they reached the yearly cap, with the
 *   checks counted (listed in the commitment);
 * - the data: risk classes low / medium / high become the national classes A / B / D
 *   (docs/decisions.md, "Risk classes A–D"), in the register and in the plans' risk filters.
 *
 * SQLite adds one column per ALTER TABLE, so each column is its own statement.
 */

const PLAN_COLUMNS: Array<[string, 'integer' | 'text']> = [
  ['period_start', 'text'],
  ['period_end', 'text'],
  ['class_ratios', 'text'],
  ['yearly_cap', 'integer'],
  ['inspector_scope', 'text'],
  ['witness_source', 'text'],
  ['witness_reference', 'text'],
  ['planned_draw_at', 'text'],
  ['commit_text', 'text'],
  ['exclusions_hash', 'text'],
  ['witness_canonical', 'text'],
];

/** The old risk codes and the national classes they become (and back, for down: C has no old code). */
export const RISK_CODE_MIGRATION: ReadonlyArray<readonly [old: string, next: string]> = [
  ['low', 'A'],
  ['medium', 'B'],
  ['high', 'D'],
];

/** A plan's JSON risk filter with every code mapped; unknown codes are kept as they are. */
export function mapRiskFilter(json: string, map: ReadonlyMap<string, string>): string {
  const codes = JSON.parse(json) as string[];
  return JSON.stringify([...new Set(codes.map((c) => map.get(c) ?? c))]);
}

async function recodeRisks(
  db: Kysely<unknown>,
  pairs: ReadonlyArray<readonly [string, string]>,
): Promise<void> {
  for (const [from, to] of pairs) {
    await sql`update regulated_entities set risk_class = ${to} where risk_class = ${from}`.execute(db);
  }
  const map = new Map(pairs);
  const plans = await sql<{
    id: number;
    risk_filter: string;
  }>`select id, risk_filter from inspection_plans where risk_filter is not null`.execute(db);
  for (const p of plans.rows) {
    const next = mapRiskFilter(p.risk_filter, map);
    if (next !== p.risk_filter) {
      await sql`update inspection_plans set risk_filter = ${next} where id = ${p.id}`.execute(db);
    }
  }
}

export function drawV2Migration(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('inspection_plans')
        .addColumn('algorithm_version', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      for (const [name, type] of PLAN_COLUMNS) {
        await db.schema.alterTable('inspection_plans').addColumn(name, type).execute();
      }
      await db.schema.alterTable('plan_population').addColumn('risk_class', 'text').execute();
      await db.schema
        .createTable('plan_exclusions')
        .addColumn('plan_id', 'integer', (c) =>
          c.notNull().references('inspection_plans.id').onDelete('cascade'),
        )
        .addColumn('uscc', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'integer', (c) => c.notNull().references('regulated_entities.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('county', 'text', (c) => c.notNull())
        .addColumn('checks', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('plan_exclusions_pk', ['plan_id', 'uscc'])
        .execute();
      await recodeRisks(db, RISK_CODE_MIGRATION);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await recodeRisks(db, [
        ...RISK_CODE_MIGRATION.map(([old, next]) => [next, old] as const),
        ['C', 'high'],
      ]);
      await db.schema.dropTable('plan_exclusions').execute();
      await db.schema.alterTable('plan_population').dropColumn('risk_class').execute();
      for (const [name] of [...PLAN_COLUMNS].reverse()) {
        await db.schema.alterTable('inspection_plans').dropColumn(name).execute();
      }
      await db.schema.alterTable('inspection_plans').dropColumn('algorithm_version').execute();
    },
  };
}
