import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../src/db/database.ts';
import { mapRiskFilter } from '../src/db/migrations/009_draw_v2.ts';
import { migrationProvider } from '../src/db/migrations/index.ts';
import { createTestDatabase, type TestDb } from './helpers.ts';
import { createStaff } from './staff-helpers.ts';
import { makeUscc } from './supervision-helpers.ts';

/**
 * Migration 009 (draw version 2) on a database that holds data of before it: risk classes
 * low / medium / high become A / B / D in the register and in the plans' risk filters, plans keep
 * algorithm version 1, and down restores the old codes (C, which had none, becomes high).
 */

let tdb: TestDb;

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.close();
});

const migrator = () =>
  new Migrator({ db: tdb.database.db, provider: migrationProvider(tdb.database.dialect) });

describe('migration 009_draw_v2', () => {
  it('maps the old risk codes of entities and plan filters to the national classes', async () => {
    const down = await migrator().migrateTo('006_draw_file_parts');
    expect(down.error).toBeUndefined();
    const db = tdb.database.db;
    const user = await createStaff(tdb.database, 'mig_admin', 'admin');
    const county = (await db.selectFrom('counties').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
    const now = new Date().toISOString();
    const old = ['low', 'medium', 'high', null] as const;
    for (const [i, risk] of old.entries()) {
      await db
        .insertInto('regulated_entities')
        .values({
          name: `迁移测试企业${i}`,
          uscc: makeUscc(90_000 + i),
          county_id: county,
          licence_no: null,
          licence_valid_from: null,
          licence_valid_until: null,
          status: 'active',
          risk_class: risk,
          created_at: now,
          updated_at: now,
        } as never)
        .execute();
    }
    await db
      .insertInto('inspection_plans')
      .values({
        regime_seq: 4,
        year: 2026,
        round: 1,
        title: '迁移测试计划',
        ratio_bp: 1000,
        min_inspectors: 2,
        county_filter: null,
        risk_filter: JSON.stringify(['low', 'high']),
        status: 'draft',
        below_min_reason: null,
        approved_by: null,
        approved_at: null,
        created_by: user.id,
        created_at: now,
        updated_at: now,
      } as never)
      .execute();
    await migrateToLatest(tdb.database);
    const risks = await db.selectFrom('regulated_entities').select('risk_class').orderBy('uscc').execute();
    expect(risks.map((r) => r.risk_class)).toEqual(['A', 'B', 'D', null]);
    const plan = await db
      .selectFrom('inspection_plans')
      .select(['risk_filter', 'algorithm_version', 'witness_source'])
      .executeTakeFirstOrThrow();
    expect(plan).toEqual({ risk_filter: '["A","D"]', algorithm_version: 1, witness_source: null });
  });

  it('restores the old codes on the way down', async () => {
    const db = tdb.database.db;
    await db
      .updateTable('regulated_entities')
      .set({ risk_class: 'C' })
      .where('risk_class', 'is', null)
      .execute();
    expect((await migrator().migrateTo('006_draw_file_parts')).error).toBeUndefined();
    const risks = await db.selectFrom('regulated_entities').select('risk_class').orderBy('uscc').execute();
    expect(risks.map((r) => r.risk_class)).toEqual(['low', 'medium', 'high', 'high']);
    await migrateToLatest(tdb.database);
  });

  it('maps a filter code by code, keeping unknown codes and dropping repeats', () => {
    const map = new Map([
      ['low', 'A'],
      ['high', 'D'],
    ]);
    expect(mapRiskFilter('["low","x","high","low"]', map)).toBe('["A","x","D"]');
  });
});
