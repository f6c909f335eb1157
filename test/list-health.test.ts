import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundledDocument } from '../src/bundled.ts';
import { runCli } from '../src/main/cli.ts';
import { SYSTEM_ACTOR } from '../src/modules/audit/index.ts';
import { addMonths } from '../src/modules/registry/health/health.service.ts';
import { healthReport, importDocument, seedLegalRegister } from '../src/modules/registry/index.ts';
import { createTestApp, createTestDatabase, onPostgres, type TestApp } from './helpers.ts';
import { createStaff, loginAs } from './staff-helpers.ts';

/**
 * The list-health report (issue 14 item 3): after seeding, `zhize health --json` lists the seven
 * stale bases of the issue with the records citing them; the other findings; first-seen dates and
 * deadlines; "propose a fix" opening a draft change set; the dashboard; CSV and JSON downloads.
 */

interface Rec {
  kind: string;
  label: string;
  entity: string | null;
}
interface F {
  key: string;
  kind: string;
  title: string;
  records: Rec[];
  deadline: string;
  overdue: boolean;
  changeSetId: number | null;
}

describe('zhize health --json after seeding', () => {
  let url: string;
  let close = async () => {};
  beforeAll(async () => {
    if (onPostgres) {
      const t = await createTestDatabase();
      url = t.url;
      close = () => t.close();
    } else url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'zhize-health-')), 'h.sqlite')}`;
  });
  afterAll(() => close());

  async function cli(...args: string[]) {
    const prev = process.env.DATABASE_URL;
    process.env.DATABASE_URL = url;
    let out = '';
    let err = '';
    try {
      const code = await runCli(args, { out: (s) => (out += s), err: (s) => (err += s) });
      return { code, out, err };
    } finally {
      if (prev === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = prev;
    }
  }

  it('lists the seven stale bases of the issue, each with the records that cite it', async () => {
    expect((await cli('import', 'data-bundled/source.txt', '--json')).code).toBe(0);
    const seeded = await cli('legal', 'seed', '--json');
    expect(seeded.code).toBe(0);
    expect(JSON.parse(seeded.out).created.length).toBeGreaterThanOrEqual(26);
    const r = await cli('health', '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { findings: F[] };
    const stale = report.findings.filter((f) => f.kind === 'stale_basis');
    const about = (title: string) => stale.find((f) => f.title.includes(`《${title}》`));
    const labels = (title: string) => about(title)?.records.map((x) => x.label) ?? [];
    // boundary matter 11: the three foreign-investment laws repealed on 2020-01-01
    for (const law of [
      '中华人民共和国外资企业法',
      '中华人民共和国中外合资经营企业法',
      '中华人民共和国中外合作经营企业法',
    ]) {
      expect(about(law)!.title).toContain('已于2020-01-01废止，由《中华人民共和国外商投资法》替代');
      expect(labels(law)).toContain(
        `管理事项 11「外商投资企业登记管理」相关依据 ${['中华人民共和国外资企业法', '中华人民共和国中外合资经营企业法', '中华人民共和国中外合作经营企业法'].indexOf(law) + 1}`,
      );
    }
    // matter 6 and regime 15: the scrap-vehicle rules replaced in 2019
    expect(labels('报废汽车回收管理办法')).toEqual(
      expect.arrayContaining([
        '管理事项 6「报废汽车回收管理」相关依据 1',
        '监管制度 十五「报废汽车回收拆解企业监管」',
      ]),
    );
    // matter 5 and duty 5: the abolished 酒类流通管理办法
    expect(labels('酒类流通管理办法')).toEqual(
      expect.arrayContaining(['管理事项 5「食品安全监管」相关依据 2', '主要职责 5']),
    );
    // regime 4: 成品油市场管理办法 repealed in 2020
    expect(labels('成品油市场管理办法')).toContain('监管制度 四「成品油流通市场监督管理」');
    // regime 5: pawnshop supervision left commerce in 2018
    expect(labels('典当管理办法')).toContain('监管制度 五「内贸特种行业监管」');
    // regime 9: foreign-trade operator registration abolished in 2022
    expect(labels('中华人民共和国对外贸易法')).toContain('监管制度 九「对外贸易经营者监管」');
    expect(stale.length).toBeGreaterThanOrEqual(7);
    for (const f of stale) expect(f.overdue).toBe(true);
    // The other kinds of the report.
    const kinds = new Set(report.findings.map((f) => f.kind));
    for (const k of [
      'duplicate_item',
      'share_without_office',
      'office_without_items',
      'name_variant',
      'likely_typo',
    ])
      expect(kinds).toContain(k);
    expect(report.findings.some((f) => f.kind === 'likely_typo' && f.title.includes('科科技兴贸'))).toBe(
      true,
    );
    // The text form names the same.
    const text = await cli('health');
    expect(text.out).toContain('依据《中华人民共和国外资企业法》已于2020-01-01废止');
  });
});

describe('the report in the app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    await seedLegalRegister(t.database.db, SYSTEM_ACTOR);
    await createStaff(t.database, 'health-admin', 'admin');
    await createStaff(t.database, 'health-editor', 'editor', ['市场运行和消费促进科']);
    await createStaff(t.database, 'health-auditor', 'auditor');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts a deadline from the change of the basis, else from the day the finding was first seen', async () => {
    expect(addMonths('2020-01-31', 1)).toBe('2020-02-29');
    expect(addMonths('2026-12-05', 1)).toBe('2027-01-05');
    const now = new Date('2026-12-10T04:00:00Z');
    const r = await healthReport(t.database.db, { months: 2, now, record: { actor: SYSTEM_ACTOR } });
    const fie = r.findings.find((f) => f.title.startsWith('依据《中华人民共和国外资企业法》'))!;
    expect(fie.deadline).toBe('2020-03-01');
    const dup = r.findings.find((f) => f.kind === 'duplicate_item')!;
    expect(dup.firstSeenOn).toBe('2026-12-10');
    expect(dup.deadline).toBe('2027-02-10');
    expect(dup.overdue).toBe(false);
    // Seen again later: the first-seen date stays.
    const later = await healthReport(t.database.db, {
      months: 2,
      now: new Date('2027-03-01T04:00:00Z'),
      record: { actor: SYSTEM_ACTOR },
    });
    const again = later.findings.find((f) => f.key === dup.key)!;
    expect(again.firstSeenOn).toBe('2026-12-10');
    expect(again.overdue).toBe(true);
  });

  it('finds a service with no phone', async () => {
    const s = await t.database.db
      .selectFrom('public_services')
      .select('id')
      .where('seq', '=', 1)
      .executeTakeFirstOrThrow();
    const phones = await t.database.db
      .selectFrom('service_phones')
      .selectAll()
      .where('service_id', '=', s.id)
      .execute();
    await t.database.db.deleteFrom('service_phones').where('service_id', '=', s.id).execute();
    try {
      const r = await healthReport(t.database.db, { months: 1 });
      expect(
        r.findings.filter((f) => f.kind === 'service_without_phone').map((f) => f.records[0]!.id),
      ).toEqual([s.id]);
    } finally {
      await t.database.db.insertInto('service_phones').values(phones).execute();
    }
  });

  it('serves the public page and the CSV and JSON downloads', async () => {
    const page = await t.app.inject({ url: '/health' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('依据《中华人民共和国外资企业法》已于2020-01-01废止');
    expect(page.body).not.toContain('提出修改');
    const json = await t.app.inject({ url: '/api/v1/health?format=json' });
    expect(json.json().findings.length).toBeGreaterThanOrEqual(7);
    const csv = await t.app.inject({ url: '/api/v1/health?format=csv' });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toContain('调整期限');
    expect(csv.body).toContain('管理事项 11「外商投资企业登记管理」相关依据 1');
  });

  it('"propose a fix" opens a draft change set on the affected records, and the finding remembers it', async () => {
    const admin = await loginAs(t.app, 'health-admin');
    const page = await admin.get('/admin/health');
    expect(page.status).toBe(200);
    expect(page.body).toContain('提出修改');
    const report = await healthReport(t.database.db, { months: 1 });
    const f = report.findings.find((x) => x.title.startsWith('依据《中华人民共和国外资企业法》'))!;
    const res = await admin.post('/admin/health/propose', { key: f.key });
    expect(res.status).toBe(303);
    const setId = Number(/\/admin\/changes\/(\d+)$/.exec(res.location!)![1]);
    const set = await t.database.db
      .selectFrom('change_sets')
      .selectAll()
      .where('id', '=', setId)
      .executeTakeFirstOrThrow();
    expect(set.status).toBe('draft');
    expect(set.reason).toContain('依据《中华人民共和国外资企业法》已于2020-01-01废止');
    const items = await t.database.db
      .selectFrom('change_items')
      .selectAll()
      .where('change_set_id', '=', setId)
      .execute();
    const shareIds = f.records.filter((r) => r.entity === 'share').map((r) => r.id);
    expect(items.map((i) => [i.entity, i.op, i.target_id])).toEqual(
      shareIds.map((id) => ['share', 'update', id]),
    );
    const after = await healthReport(t.database.db, { months: 1 });
    expect(after.findings.find((x) => x.key === f.key)!.changeSetId).toBe(setId);
    expect((await admin.get('/admin/health')).body).toContain(`/admin/changes/${setId}`);
    // Twice is refused.
    expect((await admin.post('/admin/health/propose', { key: f.key })).status).toBe(409);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'health_finding')
      .where('action', '=', 'propose-fix')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('an editor proposes only on records of their offices; an auditor cannot propose', async () => {
    const editor = await loginAs(t.app, 'health-editor');
    const report = await healthReport(t.database.db, { months: 1 });
    const oil = report.findings.find((x) => x.title.startsWith('依据《成品油市场管理办法》'))!;
    const res = await editor.post('/admin/health/propose', { key: oil.key });
    expect(res.status).toBe(303);
    const setId = Number(/(\d+)$/.exec(res.location!)![1]);
    const items = await t.database.db
      .selectFrom('change_items')
      .select(['entity'])
      .where('change_set_id', '=', setId)
      .execute();
    expect(items.map((i) => i.entity)).toEqual(['workItem']);
    const scrap = report.findings.find((x) => x.title.startsWith('依据《报废汽车回收管理办法》'))!;
    expect((await editor.post('/admin/health/propose', { key: scrap.key })).status).toBe(403);
    const auditor = await loginAs(t.app, 'health-auditor');
    expect((await auditor.get('/admin/health')).body).not.toContain('提出修改');
    expect((await auditor.post('/admin/health/propose', { key: scrap.key })).status).toBe(403);
  });

  it('tracks the deadlines on the dashboard', async () => {
    const admin = await loginAs(t.app, 'health-admin');
    const dash = await admin.get('/admin');
    expect(dash.body).toContain('已过调整期限、尚未提出调整的清单问题');
    expect(dash.body).toContain('href="/admin/health"');
  });
});

describe('a fresh database', () => {
  it('reports nothing stale before the register is seeded, and the stale bases after', async () => {
    const t = await createTestDatabase();
    try {
      await importDocument(t.database, readBundledDocument(), {
        sourceName: 'source.txt',
        department: '衡水市商务局',
      });
      const before = await healthReport(t.database.db, { months: 1 });
      expect(before.findings.filter((f) => f.kind === 'stale_basis')).toEqual([]);
      await seedLegalRegister(t.database.db, SYSTEM_ACTOR);
      const after = await healthReport(t.database.db, { months: 1 });
      expect(after.findings.filter((f) => f.kind === 'stale_basis').length).toBeGreaterThanOrEqual(7);
    } finally {
      await t.close();
    }
  });
});
