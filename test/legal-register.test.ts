import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../src/modules/audit/index.ts';
import { importRegisterFile, seedLegalRegister } from '../src/modules/registry/index.ts';
import { readSeed } from '../src/modules/registry/legal/legal.service.ts';
import { createTestApp, type TestApp } from './helpers.ts';
import { createStaff, loginAs } from './staff-helpers.ts';

/**
 * The register of legal instruments (issue 14 items 1 and 2): seeded from legal-status.md with its
 * sources, linked from the records that cite it, its warnings on the portal, in the API, in the
 * exports and in the resolver's reasons, and an admin's audited CSV/JSON import.
 */

const REPEAL_11 = '依据《中华人民共和国外资企业法》已于2020-01-01废止，由《中华人民共和国外商投资法》替代';

let t: TestApp;
const source = readFileSync(new URL('../data-bundled/source.txt', import.meta.url), 'utf8').split('\n');

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  await seedLegalRegister(t.database.db, SYSTEM_ACTOR);
  await createStaff(t.database, 'legal-admin', 'admin');
  await createStaff(t.database, 'legal-editor', 'editor', ['外事科']);
});
afterAll(async () => {
  await t?.close();
});

const audits = (entity: string) =>
  t.database.db.selectFrom('audit_log').selectAll().where('entity', '=', entity).orderBy('seq').execute();
const matterBySeq = async (seq: number) =>
  (
    await t.database.db
      .selectFrom('boundary_matters')
      .select('id')
      .where('seq', '=', seq)
      .executeTakeFirstOrThrow()
  ).id;

describe('the seed', () => {
  it('cites each instrument at a line of the source that names it, and each subject word at its line', () => {
    for (const s of readSeed().instruments) {
      expect(s.sources.length).toBeGreaterThan(0);
      if (s.citedAt !== null)
        expect(source[s.citedAt - 1]).toContain(
          `《${[s.title, ...s.aliases].find((n) => source[s.citedAt! - 1]!.includes(`《${n}》`))}》`,
        );
      for (const sub of s.subjects) expect(source[sub.line - 1]).toContain(sub.term);
    }
  });

  it('holds the facts of legal-status.md with their sources, and running it again changes nothing', async () => {
    const res = await t.app.inject({ url: '/api/v1/legal-instruments' });
    const items = res.json().items as Array<Record<string, unknown>>;
    const fie = items.find((i) => i.title === '中华人民共和国外资企业法')!;
    expect(fie).toMatchObject({
      status: 'repealed',
      statusName: '已废止',
      statusDate: '2020-01-01',
      confirmed: false,
    });
    expect((fie.successor as { title: string }).title).toBe('中华人民共和国外商投资法');
    expect(fie.source).toContain('gr.cri.cn 2019-03-21');
    const scrap = items.find((i) => i.title === '报废汽车回收管理办法')!;
    expect(scrap).toMatchObject({ docNumber: '国务院令第307号', level: 'regulation', levelName: '行政法规' });
    const before = (await audits('legal_instrument')).length;
    const again = await seedLegalRegister(t.database.db, SYSTEM_ACTOR);
    expect(again.created).toEqual([]);
    expect((await audits('legal_instrument')).length).toBe(before);
  });
});

describe('flags where people read', () => {
  it('the API shows the repeal on boundary matter 11, and on the regimes and work items resting on replaced rules', async () => {
    const m = (await t.app.inject({ url: `/api/v1/boundary-matters/${await matterBySeq(11)}` })).json();
    expect(m.legalFlags.map((f: { message: string }) => f.message)).toContain(REPEAL_11);
    expect(m.legalFlags).toHaveLength(3);
    const regimes = (await t.app.inject({ url: '/api/v1/regimes?limit=50' })).json().items as Array<{
      seq: number;
      legalFlags: Array<{ message: string }>;
    }>;
    expect(regimes.find((r) => r.seq === 15)!.legalFlags[0]!.message).toContain(
      '《报废汽车回收管理办法》已于2019-06-01废止',
    );
    expect(regimes.find((r) => r.seq === 4)!.legalFlags[0]!.message).toContain(
      '《成品油市场管理办法》已于2020-07-01废止',
    );
    const items = (await t.app.inject({ url: '/api/v1/work-items?limit=500' })).json().items as Array<{
      text: string;
      legalFlags: Array<{ message: string; link: string }>;
    }>;
    const liquor = items.find((i) => i.text.includes('酒类流通规划'))!;
    expect(liquor.legalFlags).toEqual([
      expect.objectContaining({ link: 'concerns', message: '所涉《酒类流通管理办法》已于2016-11废止' }),
    ]);
    const plain = items.find((i) => i.text.includes('药品流通'))!;
    expect(plain.legalFlags).toEqual([]);
  });

  it('the portal page of boundary matter 11 shows the repeal flag, linking to the instrument', async () => {
    const page = await t.app.inject({ url: `/boundaries/${await matterBySeq(11)}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(REPEAL_11);
    expect(page.body).toMatch(/<a href="\/legal\/\d+">依据《中华人民共和国外资企业法》/);
    const list = await t.app.inject({ url: '/boundaries' });
    expect(list.body).toContain(REPEAL_11);
    const regime = await t.app.inject({ url: '/regimes' });
    expect(regime.body).toContain('《典当管理办法》：典当行监管职责已于2018-04-20');
  });

  it('the CSV export carries the flag in its last column', async () => {
    const csv = (await t.app.inject({ url: '/api/v1/export?format=csv&part=boundaries' })).body;
    expect(csv.split('\n')[0]).toContain('依据变化提示');
    expect(csv).toContain(REPEAL_11);
  });

  it("the resolver's reason carries the flag", async () => {
    const res = await t.app.inject({
      url: `/api/v1/resolve?q=${encodeURIComponent('外商投资企业设立审核找谁')}`,
    });
    const answers = res.json().answers as Array<{ reason: string }>;
    expect(answers.some((a) => a.reason.includes(`注意：${REPEAL_11}`))).toBe(true);
  });

  it('the register page lists the instrument with the records citing it', async () => {
    const items = (await t.app.inject({ url: '/api/v1/legal-instruments' })).json().items as Array<{
      id: number;
      title: string;
    }>;
    const id = items.find((i) => i.title === '中华人民共和国外资企业法')!.id;
    const one = (await t.app.inject({ url: `/api/v1/legal-instruments/${id}` })).json();
    expect(one.citedBy.map((r: { kind: string }) => r.kind)).toContain('相关依据');
    const page = await t.app.inject({ url: `/legal/${id}` });
    expect(page.body).toContain('管理事项 11「外商投资企业登记管理」相关依据 1');
    expect((await t.app.inject({ url: '/legal' })).body).toContain('已废止');
  });
});

describe('importing updates', () => {
  it('maps the national database status words by label, sets the successor, and audits each change', async () => {
    const csv = [
      '标题,法律性质,制定机关,时效性,变化日期,替代或修改它的文件,信息来源',
      '禁止传销条例,行政法规,国务院,已废止,2026-11-01,测试替代条例,测试来源 A',
      '测试替代条例,行政法规,国务院,有效,,,测试来源 B',
    ].join('\n');
    const r = await importRegisterFile(t.database.db, csv, 'csv', { id: null, name: 'test' });
    expect(r).toMatchObject({ created: ['测试替代条例'], updated: ['禁止传销条例'] });
    const one = (await t.app.inject({ url: '/api/v1/legal-instruments' }))
      .json()
      .items.find((i: { title: string }) => i.title === '禁止传销条例');
    expect(one).toMatchObject({ status: 'repealed', statusDate: '2026-11-01', source: '测试来源 A' });
    expect(one.successor.title).toBe('测试替代条例');
    const trail = (await audits('legal_instrument')).slice(-2);
    expect(trail.map((a) => a.action).sort()).toEqual(['create', 'update']);
    const upd = trail.find((a) => a.action === 'update')!;
    expect(JSON.parse(upd.before!).status).toBe('in_force');
    expect(JSON.parse(upd.after!).status).toBe('repealed');
    // Matter 10 cites 《禁止传销条例》: it now shows the repeal.
    const m = (await t.app.inject({ url: `/api/v1/boundary-matters/${await matterBySeq(10)}` })).json();
    expect(m.legalFlags.map((f: { message: string }) => f.message)).toContain(
      '依据《禁止传销条例》已于2026-11-01废止，由《测试替代条例》替代',
    );
  });

  it('refuses a whole file with one bad row, naming the row, and writes nothing', async () => {
    const before = (await audits('legal_instrument')).length;
    const json = JSON.stringify([
      { title: '甲办法', level: '部门规章', status: '有效', source: 'x' },
      { title: '乙办法', level: '部门规章', status: '作废了', source: 'x' },
    ]);
    await expect(importRegisterFile(t.database.db, json, 'json', SYSTEM_ACTOR)).rejects.toThrow(
      /第 2 条：时效性“作废了”无法识别/,
    );
    expect((await audits('legal_instrument')).length).toBe(before);
    const titles = (await t.app.inject({ url: '/api/v1/legal-instruments' }))
      .json()
      .items.map((i: { title: string }) => i.title);
    expect(titles).not.toContain('甲办法');
  });

  it('refuses a file naming one instrument twice', async () => {
    const csv = '名称,效力级别,时效性,信息来源\n戊办法,部门规章,有效,x\n戊办法,部门规章,已废止,y';
    await expect(importRegisterFile(t.database.db, csv, 'csv', SYSTEM_ACTOR)).rejects.toThrow(/出现了两次/);
  });

  it('is done by an admin on /admin/legal (CSRF-protected); an editor is refused', async () => {
    const admin = await loginAs(t.app, 'legal-admin');
    const page = await admin.get('/admin/legal');
    expect(page.status).toBe(200);
    const ok = await admin.post('/admin/legal/import', {
      format: 'json',
      text: JSON.stringify([
        { 名称: '丙办法', 效力级别: '规范性文件', 时效性: '尚未生效', 信息来源: '测试' },
      ]),
    });
    expect(ok.status).toBe(303);
    const bad = await admin.post('/admin/legal/import', { format: 'csv', text: '名称,时效性\n丁办法,有效' });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('第 1 条');
    const editor = await loginAs(t.app, 'legal-editor');
    expect((await editor.get('/admin/legal')).status).toBe(403);
    expect((await editor.post('/admin/legal/import', { format: 'csv', text: 'x' })).status).toBe(403);
  });
});
