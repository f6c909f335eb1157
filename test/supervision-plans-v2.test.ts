import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawVerify } from '../src/main/commands/supervision.ts';
import { createTestApp, type TestApp } from './helpers.ts';
import { type Browser, createStaff, loginAs } from './staff-helpers.ts';
import { entityCsv, makeUscc, text, uploadEntities } from './supervision-helpers.ts';

/**
 * Plans of algorithm version 2 through the real app: an inspection period, ratios per risk class
 * stratified by county × class, a yearly cap whose excluded entities are listed in the commitment,
 * inspectors only from their own county (属地), a witness source fixed at commit with its planned
 * draw time, the witness normalised by the published rule, and a file that `zhize draw verify`
 * checks against the commitment published before the draw.
 */

let t: TestApp;
let admin: Browser;
let reviewer: Browser;
let reviewer2: Browser;
let dir: string;
const year = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
const county: Record<string, number> = {};
/** Per county: the entities and their risk class as typed in the spreadsheet. */
const LAYOUT: Array<[string, string, number, string]> = [
  // county, division, count, risk class column
  ['桃城区', '131102', 12, 'A'],
  ['桃城区', '131102', 6, 'B类（信用风险一般）'],
  ['桃城区', '131102', 2, 'C'],
  ['桃城区', '131102', 2, '高风险'], // a legacy name: read as D
  ['景县', '131127', 10, 'A类'],
  ['景县', '131127', 4, 'D'],
  ['景县', '131127', 3, ''],
  ['冀州区', '131103', 8, 'B'],
];
const entities: Array<{ uscc: string; county: string; risk: string }> = [];

/** Beijing wall-clock time `YYYY-MM-DDTHH:MM:SS` of an instant, as a datetime-local field posts it. */
const beijingLocal = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 19);
const sleepUntil = (ms: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, ms - Date.now()) + 50));
const planIdOf = (location: string | undefined) => Number(/plans\/(\d+)/.exec(location ?? '')![1]);

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  dir = mkdtempSync(join(tmpdir(), 'zhize-v2-'));
  await createStaff(t.database, 'v2_admin', 'admin');
  await createStaff(t.database, 'v2_reviewer', 'reviewer');
  await createStaff(t.database, 'v2_reviewer2', 'reviewer');
  admin = await loginAs(t.app, 'v2_admin');
  reviewer = await loginAs(t.app, 'v2_reviewer');
  reviewer2 = await loginAs(t.app, 'v2_reviewer2');
  for (const c of await t.database.db.selectFrom('counties').select(['id', 'name']).execute())
    county[c.name] = c.id;
  const rows: string[][] = [];
  let i = 0;
  for (const [name, division, count, risk] of LAYOUT) {
    for (let k = 0; k < count; k += 1, i += 1) {
      const uscc = makeUscc(70_000 + i, division);
      entities.push({ uscc, county: name, risk });
      rows.push([`${name}油站${i}`, uscc, '成品油零售', name, '', '', '', '', risk]);
    }
  }
  const res = await uploadEntities(t.app, admin, { filename: 'v2.csv', data: entityCsv(rows) });
  if (res.status !== 200) throw new Error(text(res.body).slice(0, 800));
  // Inspectors: two in 桃城区, one each in 景县 and 冀州区, two city-wide (an office, no county).
  const office = await t.database.db
    .selectFrom('offices')
    .select('id')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const inspectors: Array<[string, string]> = [
    ['13120001', '桃城区'],
    ['13120002', '桃城区'],
    ['13120003', '景县'],
    ['13120004', '冀州区'],
    ['13120005', ''],
    ['13120006', ''],
  ];
  for (const [certificateNo, c] of inspectors) {
    const r = await admin.post('/admin/supervision/inspectors', {
      name: `执法${certificateNo}`,
      certificateNo,
      officeId: c === '' ? String(office.id) : '',
      countyId: c === '' ? '' : String(county[c]),
      username: '',
      active: '1',
    });
    if (r.status !== 303) throw new Error(text(r.body).slice(0, 800));
  }
});

afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The form of a version-2 plan for regime 4, with overrides. */
function v2Form(over: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    regimeSeq: '4',
    year: String(year),
    round: '1',
    ratioPercent: '10',
    minInspectors: '2',
    belowMinReason: '',
    periodStart: `${year}-01-01`,
    periodEnd: `${year}-12-31`,
    ratioA: '2',
    ratioB: '5',
    ratioC: '100',
    ratioD: '100',
    yearlyCap: '1',
    inspectorScope: 'own-county',
    witnessSource: 'cwl-ssq',
    witnessReference: '2026139',
    plannedDrawAt: beijingLocal(Date.now() + 60_000),
    ...over,
  };
}

describe('the entity register reads risk classes as the national classes A–D', () => {
  it('stores A–D for codes, names and the legacy names, and leaves a blank unclassified', async () => {
    const rows = await t.database.db
      .selectFrom('regulated_entities')
      .select(['uscc', 'risk_class'])
      .execute();
    const stored = new Map(rows.map((r) => [r.uscc, r.risk_class]));
    const expected: Record<string, string | null> = {
      A: 'A',
      'B类（信用风险一般）': 'B',
      C: 'C',
      高风险: 'D',
      A类: 'A',
      D: 'D',
      '': null,
      B: 'B',
    };
    for (const e of entities) expect(stored.get(e.uscc), e.risk).toBe(expected[e.risk]);
    const page = await admin.get('/admin/supervision/entities');
    expect(text(page.body)).toContain('D类（信用风险高）');
  });
});

describe('a version-2 plan: period, class ratios, cap, 属地, witness source', () => {
  let first = 0;
  let planId = 0;
  let planned = 0;
  let commitText = '';

  it('refuses bad version-2 fields with one reason each', async () => {
    const res = await reviewer.post(
      '/admin/supervision/plans',
      v2Form({
        periodStart: `${year}-07-01`,
        periodEnd: `${year}-06-30`,
        ratioC: '120',
        yearlyCap: '0',
        witnessReference: '26139',
        plannedDrawAt: beijingLocal(Date.now() - 60_000),
      }),
    );
    expect(res.status).toBe(400);
    const body = text(res.body);
    for (const reason of [
      '期号（4位年份加3位序号）应写作如 2026055',
      '计划抽取时间必须晚于现在',
      '检查期间的开始日期晚于结束日期',
      'C类的抽查比例应为0–100之间的百分数',
      '每家企业年度检查次数上限应为1–12之间的整数',
    ]) {
      expect(body).toContain(reason);
    }
  });

  it('first draws every 冀州区 entity once (a version-1 plan), so the cap of 1 leaves them out later', async () => {
    const res = await admin.post('/admin/supervision/plans', {
      regimeSeq: '4',
      year: String(year),
      round: '9',
      ratioPercent: '100',
      minInspectors: '2',
      belowMinReason: '',
      countyIds: String(county['冀州区']),
    });
    expect(res.status, text(res.body).slice(0, 400)).toBe(303);
    first = planIdOf(res.location);
    expect((await admin.post(`/admin/supervision/plans/${first}/commit`, { confirm: 'yes' })).status).toBe(
      303,
    );
    const drawn = await admin.post(`/admin/supervision/plans/${first}/draw`, { witness: '任意见证值' });
    expect(drawn.status, text(drawn.body).slice(0, 400)).toBe(303);
    const plan = (await t.app.inject({ method: 'GET', url: `/api/v1/supervision/plans/${first}` })).json();
    expect(plan).toMatchObject({ algorithmVersion: 1, witness: null, draw: { tasks: 8 } });
  });

  it('needs a reason and a second reviewer for class ratios below the regime’s 10 %', async () => {
    planned = Date.now() + 4_000;
    const form = v2Form({ plannedDrawAt: beijingLocal(planned) });
    const refused = await reviewer.post('/admin/supervision/plans', form);
    expect(refused.status).toBe(400);
    expect(text(refused.body)).toContain('抽查比例（A类2%、B类5%） 低于本制度规定的10%：必须填写理由');
    const res = await reviewer.post('/admin/supervision/plans', {
      ...form,
      belowMinReason: '按企业信用风险分类差异化抽查（国市监信发〔2022〕6号）',
    });
    expect(res.status, text(res.body).slice(0, 400)).toBe(303);
    planId = planIdOf(res.location);
    const page = text((await reviewer.get(`/admin/supervision/plans/${planId}`)).body);
    expect(page).toContain('检查期间');
    expect(page).toContain('A类 2%，B类 5%，C类 100%，D类 100%，未评定 10%');
    expect(page).toContain('中国福利彩票双色球 2026139');
    expect(page).toContain('另有 8 个本年度已达检查次数上限而不进入名录');
    expect(
      (await reviewer2.post(`/admin/supervision/plans/${planId}/approve`, { comment: '同意' })).status,
    ).toBe(303);
  });

  it('commits the selection criteria, the exclusions at the cap, the witness source and the planned time', async () => {
    const res = await reviewer.post(`/admin/supervision/plans/${planId}/commit`, { confirm: 'yes' });
    expect(res.status, text(res.body).slice(0, 400)).toBe(303);
    const row = await t.database.db
      .selectFrom('inspection_plans')
      .selectAll()
      .where('id', '=', planId)
      .executeTakeFirstOrThrow();
    commitText = row.commit_text!;
    expect(createHash('sha256').update(commitText, 'utf8').digest('hex')).toBe(row.commit_hash);
    expect(commitText).toMatch(/^zhize-draw\/v2\n/);
    for (const line of [
      `inspectionPeriod=${year}-01-01/${year}-12-31`,
      'selection.categories=refined-oil-retail,refined-oil-wholesale',
      'selection.statuses=active',
      'selection.counties=*',
      'yearlyCap=1',
      'ratios=A:200,B:500,C:10000,D:10000,U:1000',
      'inspectorScope=own-county',
      'witnessSource=cwl-ssq',
      'witnessReference=2026139',
      'witnessFormat=groups:6@1-33,1@1-16',
      `plannedDrawAt=${beijingLocal(Math.floor(planned / 1000) * 1000)}+08:00`,
    ]) {
      expect(commitText).toContain(`${line}\n`);
    }
    expect(row.population_size).toBe(39); // 47 minus the 8 of 冀州区 at the cap
    const excluded = await t.database.db
      .selectFrom('plan_exclusions')
      .select(['county', 'checks'])
      .where('plan_id', '=', planId)
      .execute();
    expect(excluded).toHaveLength(8);
    for (const e of excluded) expect(e).toEqual({ county: '冀州区', checks: 1 });
    // Public: the commit text byte for byte, the exclusions, explanations, Beijing time.
    const txt = await t.app.inject({ method: 'GET', url: `/supervision/plans/${planId}/commitment.txt` });
    expect(txt.body).toBe(commitText);
    const csv = await t.app.inject({ method: 'GET', url: `/supervision/plans/${planId}/exclusions.csv` });
    expect(csv.body.trim().split('\r\n')).toHaveLength(9);
    const notice = text((await t.app.inject({ method: 'GET', url: `/supervision/plans/${planId}` })).body);
    expect(notice).toContain('因达到年度检查次数上限而未进入名录（8 个）');
    expect(notice).toContain('检查对象名录的“指纹”');
    expect(notice).toContain('服务器种子的“指纹”');
    expect(notice).toContain('（北京时间）');
    expect(notice).not.toContain('UTC');
    expect(notice).toContain('第2版：见证值来源、计划抽取时间和检查对象的选取条件都已写入承诺');
  });

  it('refuses to draw before the planned time, and a witness that does not read as 6 + 1 numbers', async () => {
    const early = await reviewer.post(`/admin/supervision/plans/${planId}/draw`, {
      witness: '02 09 14 21 27 33 08',
    });
    expect(early.status).toBe(409);
    expect(text(early.body)).toContain('此前见证值尚未产生，不能抽取');
    await sleepUntil(planned);
    const bad = await reviewer.post(`/admin/supervision/plans/${planId}/draw`, {
      witness: `${year}-12-03 双色球 02 09 14 21 27 33 08`,
    });
    expect(bad.status).toBe(400);
    expect(text(bad.body)).toContain('见证值应为7个号码（6+1），读到10个');
    const row = await t.database.db
      .selectFrom('inspection_plans')
      .select(['status', 'drawn_at'])
      .where('id', '=', planId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'committed', drawn_at: null });
  });

  it('draws with a witness typed with full-width digits and spaces, normalised by the published rule', async () => {
    const res = await reviewer2.post(`/admin/supervision/plans/${planId}/draw`, {
      witness: '  第2026139期 红球：３３ ０２ 09  14 21 27　蓝球 ０８ ',
    });
    expect(res.status, text(res.body).slice(0, 400)).toBe(303);
    const plan = (await t.app.inject({ method: 'GET', url: `/api/v1/supervision/plans/${planId}` })).json();
    expect(plan.draw.witnessCanonical).toBe('cwl-ssq:2026139:02,09,14,21,27,33+08');
    const file = (await t.app.inject({ method: 'GET', url: `/supervision/plans/${planId}/draw.json` })).body;
    const parsed = JSON.parse(file);
    const seed = createHash('sha256')
      .update(Buffer.from(parsed.serverSeed, 'hex'))
      .update('cwl-ssq:2026139:02,09,14,21,27,33+08', 'utf8')
      .digest('hex');
    expect(parsed.result.drawSeed).toBe(seed);
    expect(Date.parse(parsed.drawnAt)).toBeGreaterThanOrEqual(Math.floor(planned / 1000) * 1000);
    // n per class: A 22 → 1, B 6 → 1, C 2 → 2, D 6 → 6, U 3 → 1.
    const tasks = parsed.result.tasks as Array<{ riskClass: string; county: string; inspectors: string[] }>;
    const perClass = Object.fromEntries(
      ['A', 'B', 'C', 'D', 'U'].map((c) => [c, tasks.filter((x) => x.riskClass === c).length]),
    );
    expect(perClass).toEqual({ A: 1, B: 1, C: 2, D: 6, U: 1 });
    // 属地: every inspector is of the entity's county or city-wide.
    const countyOf: Record<string, string> = {
      '13120001': '桃城区',
      '13120002': '桃城区',
      '13120003': '景县',
      '13120004': '冀州区',
      '13120005': '市本级',
      '13120006': '市本级',
    };
    for (const task of tasks) {
      for (const c of task.inspectors) expect([task.county, '市本级']).toContain(countyOf[c]);
    }
    expect(tasks.some((x) => x.county === '冀州区')).toBe(false);
  });

  it('publishes a file `zhize draw verify` accepts against the commitment published before the draw', async () => {
    const file = join(dir, 'v2.json');
    const res = await t.app.inject({ method: 'GET', url: `/supervision/plans/${planId}/draw.json` });
    writeFileSync(file, res.rawPayload);
    const commitment = join(dir, 'commitment.txt');
    writeFileSync(commitment, commitText);
    const ok = drawVerify([file, '--commitment', commitment]);
    expect(ok.exitCode, ok.stderr).toBe(0);
    // The same file against another plan's commitment: refused, naming what differs.
    const other = await t.database.db
      .selectFrom('inspection_plans')
      .select('commit_hash')
      .where('id', '=', first)
      .executeTakeFirstOrThrow();
    const wrong = drawVerify([file, '--commitment', other.commit_hash!]);
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stderr).toContain('commitHash 与抽取前公布的承诺不一致');
  });

  it('shows the draw page with each value explained and the browser verifier, never a staff name', async () => {
    const page = await t.app.inject({ method: 'GET', url: `/supervision/plans/${planId}/draw` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="browser-verify"');
    expect(page.body).toMatch(/<script type="module" src="\/static\/draw-verify\.js\?v=[0-9a-f]{10}">/);
    expect(text(page.body)).toContain('规范化见证值');
    expect(text(page.body)).toContain('抽取种子：由服务器种子和见证值合成');
    for (const name of ['执法13120001', 'v2_reviewer']) expect(page.body).not.toContain(name);
    const script = await t.app.inject({ method: 'GET', url: '/static/draw-verify.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');
  });
});

describe('a committed version-2 plan whose planned draw time passed before the commit', () => {
  it('cannot be committed: the witness might already be known', async () => {
    const planned = Date.now() + 1_500;
    const res = await admin.post(
      '/admin/supervision/plans',
      v2Form({ round: '3', plannedDrawAt: beijingLocal(planned), belowMinReason: '按风险分类抽查' }),
    );
    expect(res.status, text(res.body).slice(0, 400)).toBe(303);
    const id = planIdOf(res.location);
    expect((await reviewer.post(`/admin/supervision/plans/${id}/approve`, {})).status).toBe(303);
    await sleepUntil(planned);
    const commit = await admin.post(`/admin/supervision/plans/${id}/commit`, { confirm: 'yes' });
    expect(commit.status).toBe(409);
    expect(text(commit.body)).toContain('计划抽取时间已过');
    const row = await t.database.db
      .selectFrom('inspection_plans')
      .select(['status', 'commit_hash'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'draft', commit_hash: null });
  });

  it('with 属地, refuses a commit where a county has too few inspectors, naming the option', async () => {
    const res = await admin.post(
      '/admin/supervision/plans',
      v2Form({ round: '4', minInspectors: '4', ratioA: '', ratioB: '', ratioC: '', ratioD: '' }),
    );
    expect(res.status, text(res.body).slice(0, 400)).toBe(303);
    const id = planIdOf(res.location);
    const commit = await admin.post(`/admin/supervision/plans/${id}/commit`, { confirm: 'yes' });
    expect(commit.status).toBe(409);
    expect(text(commit.body)).toContain('本县（市、区）和市本级无利害关系的只有 3 名');
    expect(text(commit.body)).toContain('允许跨县（市、区）选派');
  });
});

describe('the figures of practice are data with their sources', () => {
  it('quotes the source document on the line it cites for the default yearly cap', async () => {
    const { FREQUENCY_CAP } = await import('../src/modules/supervision/reference/inspection-practice.ts');
    const lines = readFileSync(join(process.cwd(), 'data-bundled/source.txt'), 'utf8').split('\n');
    const own = FREQUENCY_CAP.citations.find((c) => c.url.startsWith('data-bundled/source.txt#L'))!;
    const line = Number(own.url.split('#L')[1]);
    expect(lines[line - 1]).toContain(own.says);
    expect(own.says).toContain('一到两次');
    expect(FREQUENCY_CAP.defaultPerYear).toBe(2);
    expect(FREQUENCY_CAP.citations.some((c) => c.document.includes('国办发〔2024〕54号'))).toBe(true);
  });
});
