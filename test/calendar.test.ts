import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, loginAs } from './staff-helpers.ts';
import { createSharedApp, type SharedApp } from './token-helpers.ts';

/**
 * The working-day calendar as data (issue 10, item 5), through the real app and the real command
 * line on one database (SQLite file, or PostgreSQL in the PG suite): the deadline calculator of the
 * staff API refuses a window that reaches an uncovered year and names the notice to load; after
 * `zhize calendar import` of the 2027 TEST FIXTURE (test/fixtures, not official data) it answers.
 */

const FIXTURE = join(import.meta.dirname, 'fixtures/holiday-notice-2027.test-fixture.json');
const NOTICE_2027 = '国务院办公厅关于2027年部分节假日安排的通知';

let s: SharedApp;
let token = '';

beforeAll(async () => {
  s = await createSharedApp();
  await createStaff(s.database, 'cal_admin', 'admin');
  await createStaff(s.database, 'cal_insp', 'inspector');
  token = (await s.cli('token', 'create', 'cal_insp')).out.trim();
});
afterAll(async () => {
  await s?.close();
});

const due = (from: string, days: number) =>
  s.app.inject({
    method: 'GET',
    url: `/api/v1/staff/calendar/working-days?from=${from}&days=${days}`,
    headers: { authorization: `Bearer ${token}` },
  });

/** A copy of the fixture with changes, in a temporary file. */
function variant(change: (json: Record<string, unknown>) => void): string {
  const json = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown>;
  change(json);
  const path = join(tmpdir(), `notice-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(json));
  return path;
}

const auditCount = async (action: string) =>
  Number(
    (
      await s.database.db
        .selectFrom('audit_log')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('action', '=', action)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('the working-day calendar loaded from the State Council notices', () => {
  it('counts 15 working days from 2026-09-28 to 2026-10-23 (国庆 and 中秋 2026, chinese-days)', async () => {
    const res = await due('2026-09-28', 15);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ from: '2026-09-28', days: 15, due: '2026-10-23' });
  });

  it('refuses a 10-working-day window from 2026-12-24 until 2027 is loaded, naming the notice', async () => {
    const res = await due('2026-12-24', 10);
    expect(res.statusCode).toBe(409);
    const body = res.json();
    expect(body.error.code).toBe('calendar-not-covered');
    expect(body.error.message).toContain(`《${NOTICE_2027}》`);
    expect(body.error.message).toContain('zhize calendar import');
    expect(body.error.details).toEqual({ year: 2027, notice: NOTICE_2027 });
    const page = await (await loginAs(s.app, 'cal_admin')).get('/admin/calendar');
    expect(page.status).toBe(200);
    expect(page.body).toContain(`尚未覆盖2027年`);
  });

  it('loads the 2027 fixture with zhize calendar import (audited), then gives the date', async () => {
    const before = await auditCount('calendar-import');
    const r = await s.cli('calendar', 'import', FIXTURE);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('已载入2027年节假日安排');
    // 3 + 8 + 3 + 5 + 1 + 1 + 7 days off in the fixture
    expect(r.out).toContain('放假28天，调休上班6天');
    expect(r.err).toContain('测试数据');
    expect(await auditCount('calendar-import')).toBe(before + 1);
    const entry = await s.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'calendar-import')
      .executeTakeFirstOrThrow();
    expect(entry.entity_id).toBe('2027');
    expect(entry.actor).toMatch(/^cli:/);
    // Dec 25, 28, 29, 30, 31 (5), 元旦 1–3 Jan off in the fixture, then Jan 4–8 (10).
    const res = await due('2026-12-24', 10);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().due).toBe('2027-01-08');
    // The fixture's make-up workday (Sunday 2027-01-31) counts; its 春节 days (5–12 Feb) do not.
    expect((await due('2027-01-29', 1)).json().due).toBe('2027-01-31');
    expect((await due('2027-02-04', 1)).json().due).toBe('2027-02-15');
  });

  it('shows the covered years and their sources, the fixture marked as such', async () => {
    const list = await s.app.inject({
      method: 'GET',
      url: '/api/v1/staff/calendar',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(list.statusCode).toBe(200);
    const items = list.json().items as Array<{ year: number; source: string; testFixture: boolean }>;
    expect(items.find((i) => i.year === 2026)).toMatchObject({ source: 'chinese-days' });
    expect(items.find((i) => i.year === 2027)).toMatchObject({
      source: 'notice',
      documentNumber: '测试数据〔2026〕0号',
      testFixture: true,
    });
    const page = await (await loginAs(s.app, 'cal_admin')).get('/admin/calendar');
    expect(page.body).toContain('测试数据〔2026〕0号');
    expect(page.body).toContain('（测试数据，非官方通知）');
    expect(page.body).toContain('chinese-days 软件包内置数据');
    const cli = await s.cli('calendar', 'list', '--json');
    expect(JSON.parse(cli.out)).toContainEqual(expect.objectContaining({ year: 2027, source: 'notice' }));
  });

  it('changes nothing on a second import of the same notice, and replaces only with --replace', async () => {
    const same = await s.cli('calendar', 'import', FIXTURE);
    expect(same.code).toBe(0);
    expect(same.out).toContain('内容相同，未改动');
    const moved = variant((j) => {
      (j.holidays as Array<{ name: string; from: string; to: string }>)[4] = {
        name: '端午节',
        from: '2027-06-09',
        to: '2027-06-11',
      };
    });
    const refused = await s.cli('calendar', 'import', moved);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('--replace');
    expect((await due('2027-06-08', 1)).json().due).toBe('2027-06-10');
    const replacedBefore = await auditCount('calendar-replace');
    const replaced = await s.cli('calendar', 'import', moved, '--replace');
    expect(replaced.code, replaced.err).toBe(0);
    expect(replaced.out).toContain('已替换');
    expect(await auditCount('calendar-replace')).toBe(replacedBefore + 1);
    expect((await due('2027-06-08', 1)).json().due).toBe('2027-06-14');
    // Back to the fixture for the tests that follow.
    expect((await s.cli('calendar', 'import', FIXTURE, '--replace')).code).toBe(0);
  });

  it('refuses a notice with a make-up workday on a weekday or a date outside its year, changing nothing', async () => {
    const bad = variant((j) => {
      j.year = 2028;
      j.title = '测试数据：2028年';
      j.holidays = [{ name: '元旦', from: '2028-01-01', to: '2028-01-03' }];
      j.workdays = [
        { name: '春节', date: '2028-02-02' },
        { name: '春节', date: '2029-01-06' },
      ];
    });
    const r = await s.cli('calendar', 'import', bad);
    expect(r.code).toBe(1);
    expect(r.err).toContain('未载入，数据库未改动');
    expect(r.err).toContain('2028-02-02是周一至周五，调休上班日应为周六或周日');
    expect(r.err).toContain('2029-01-06不在2028年');
    const rows = await s.database.db.selectFrom('calendar_notices').select('year').execute();
    expect(rows.map((x) => x.year)).toEqual([2027]);
    const res = await due('2027-12-24', 10);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('国务院办公厅关于2028年部分节假日安排的通知');
  });

  it('lets zhize workdays add use the loaded notices of the database', async () => {
    const r = await s.cli('workdays', 'add', '2026-12-24', '10');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe('2027-01-08\n');
  });
});
