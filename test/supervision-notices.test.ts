import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../src/modules/supervision/shared/csv.ts';
import { createTestApp, type TestApp } from './helpers.ts';

/**
 * The public notices (一公开) beyond the draw journey of supervision-draw.test.ts: the CSV of the
 * 抽查事项清单 line by line, and which failures become "no such plan".
 */

const PLAN_ROUTES = (id: number) => [
  `/supervision/plans/${id}`,
  `/supervision/plans/${id}/draw`,
  `/supervision/plans/${id}/draw.json`,
  `/supervision/plans/${id}/tasks.csv`,
  `/supervision/plans/${id}/population.csv`,
];

describe('the 抽查事项清单 as CSV', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ seed: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('has one header line and 15 rows of the same 12 columns, each figure with its line', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/supervision/items.csv' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="supervision-items.csv"');
    const [header, ...rows] = parseCsv(res.body.replace(/^\ufeff/, '')).map((r) => r.fields);
    expect(header).toEqual([
      '序号',
      '抽查事项',
      '抽查依据',
      '抽查对象',
      '抽查比例',
      '比例出处',
      '抽查频次',
      '频次出处',
      '执法人员',
      '人数出处',
      '抽查内容',
      '抽查方式',
    ]);
    expect(rows).toHaveLength(15);
    for (const row of rows) expect(row).toHaveLength(12);
    const oil = rows[3]!;
    expect(oil.slice(0, 2)).toEqual(['4', '成品油流通市场监督管理']);
    expect(oil[2]).toBe('《衡水市商务局事中事后监管制度》成品油流通市场监督管理（原文第1446–1508行）');
    expect(oil[3]).toBe('成品油零售、成品油批发/仓储');
    expect(oil.slice(4, 10)).toEqual([
      '不少于10%（原则上）',
      '第1486行',
      '原文未规定',
      '',
      expect.any(String),
      '',
    ]);
    expect(oil[8]).toMatch(/^原文未规定（抽查时默认至少\d+名）$/);
    expect(oil[10]).not.toBe(''); // the regime's check items, one a line
    expect(oil[11]).toBe('年检；日常监督、检查；对企业开展不定期检查');
    expect(rows[1]!.slice(8, 10)).toEqual(['至少2名', '第1318行']);
  });
});

describe('a public plan that cannot be loaded', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 404 when there is no such plan', async () => {
    for (const url of [...PLAN_ROUTES(4242), ...PLAN_ROUTES(0).slice(0, 1)]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
    }
  });

  it('answers 500, not 404, when loading the plan fails for another reason', async () => {
    // The plans table is gone: the notice must not pretend the plan does not exist.
    await sql`alter table inspection_plans rename to inspection_plans_gone`.execute(t.database.db);
    try {
      for (const url of PLAN_ROUTES(1)) {
        const res = await t.app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(500);
        expect(res.json(), url).toMatchObject({ error: { code: 'internal' } });
      }
    } finally {
      await sql`alter table inspection_plans_gone rename to inspection_plans`.execute(t.database.db);
    }
    expect((await t.app.inject({ method: 'GET', url: '/supervision/plans/1' })).statusCode).toBe(404);
  });
});
