import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowIso } from '../src/db/database.ts';
import { verifyAudit } from '../src/modules/audit/index.ts';
import { documentXml } from '../src/modules/documents/index.ts';
import { multipartBody } from './complaints-helpers.ts';
import { cookieHeader, createStaff, csrfFrom, loginAs, mergeCookies } from './staff-helpers.ts';
import { makeUscc, text } from './supervision-helpers.ts';
import { createSharedApp, type SharedApp } from './token-helpers.ts';

/**
 * Yearly campaigns (issue 11) through the real app and its staff API with tokens, on SQLite and
 * PostgreSQL: a 2027 成品油年检 — the notice's 30 January date, 12 retail enterprises in three
 * counties through county pre-review and city decision, 2 wholesale ones through the province,
 * the 20-day decision clock, a failure through rectification to the report to the province —
 * the enterprise's own filing through its link, the development-zone rule, and the oversight of
 * county bureaus with its five-element notice and 复查 window.
 */

const clock = { iso: '2027-01-10T02:00:00.000Z' };
const setToday = (date: string) => {
  clock.iso = `${date}T02:00:00.000Z`;
};

let s: SharedApp;
let app: FastifyInstance;
let admin: string;
let editorOther: string;
const entities = { retail: [] as number[], wholesale: [] as number[] };

async function token(user: string): Promise<string> {
  const r = await s.cli('token', 'create', user, '--name', 'campaign test', '--days', '366');
  expect(r.code, r.err).toBe(0);
  return r.out.trim();
}

const api = (tok: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  app.inject({
    method,
    url: `/api/v1/staff${url}`,
    headers: { authorization: `Bearer ${tok}` },
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
  });

async function addEntity(name: string, county: string, category: string, i: number): Promise<number> {
  const db = s.database.db;
  const c = await db.selectFrom('counties').select('id').where('name', '=', county).executeTakeFirstOrThrow();
  const now = nowIso();
  const row = await db
    .insertInto('regulated_entities')
    .values({
      name,
      uscc: makeUscc(7000 + i),
      county_id: c.id,
      licence_no: `油零售证书第${1000 + i}号`,
      licence_valid_from: '2025-01-01',
      licence_valid_until: '2030-12-31',
      status: 'active',
      risk_class: 'B',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('regulated_entity_categories')
    .values({ entity_id: row.id, category_code: category })
    .execute();
  return row.id;
}

beforeAll(async () => {
  s = await createSharedApp({ seed: true, now: () => new Date(clock.iso) });
  app = s.app;
  await createStaff(s.database, 'campadmin', 'admin');
  await createStaff(s.database, 'campstaff2', 'reviewer');
  await createStaff(s.database, 'campforeign', 'editor', ['外事科']);
  admin = await token('campadmin');
  editorOther = await token('campforeign');
  const counties = ['桃城区', '冀州区', '枣强县'];
  let i = 0;
  for (const county of counties)
    for (let k = 0; k < 4; k += 1)
      entities.retail!.push(await addEntity(`${county}加油站${k + 1}`, county, 'refined-oil-retail', i++));
  for (let k = 0; k < 2; k += 1)
    entities.wholesale!.push(await addEntity(`油库${k + 1}`, '桃城区', 'refined-oil-wholesale', i++));
}, 120_000);

afterAll(async () => {
  await s?.close();
});

let campaignId: number;
const filingOf = async (entityId: number) =>
  s.database.db
    .selectFrom('campaign_filings')
    .select('id')
    .where('campaign_id', '=', campaignId)
    .where('entity_id', '=', entityId)
    .executeTakeFirstOrThrow()
    .then((r) => r.id);

const act = (filing: number, body: Record<string, unknown>) =>
  api(admin, 'POST', `/campaigns/filings/${filing}/actions`, body);
const form = { contact: '张经理', phone: '0318-1234567', summary: '本年度正常经营，无违规记录。' };

describe('a 2027 成品油年检 campaign', () => {
  it('refuses a notice dated after 30 January and a stale basis without a reason, then opens with 14 enterprises', async () => {
    const base = {
      definition: 'refined-oil-annual',
      year: 2027,
      noticeText: '各成品油经营企业：请于2月28日前申报年检。',
    };
    const late = await api(admin, 'POST', '/campaigns', {
      ...base,
      noticeDate: '2027-01-31',
      basisReason: '省厅仍按原制度部署',
    });
    expect(late.statusCode).toBe(400);
    expect(late.json().error.message).toContain('应于2027年1月30日前下发');
    expect(late.json().error.message).toContain('第 1492 行');

    const noReason = await api(admin, 'POST', '/campaigns', { ...base, noticeDate: '2027-01-20' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.message).toContain('《成品油市场管理办法》');
    expect(noReason.json().error.message).toContain('《成品油流通管理办法》');

    const other = await api(editorOther, 'POST', '/campaigns', {
      ...base,
      noticeDate: '2027-01-20',
      basisReason: 'x',
    });
    expect(other.statusCode).toBe(403);

    const ok = await api(admin, 'POST', '/campaigns', {
      ...base,
      noticeDate: '2027-01-20',
      filingDeadline: '2027-02-28',
      basisReason: '省商务厅2027年年检通知仍按此程序部署，待按《成品油流通管理办法》修订制度',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    campaignId = ok.json().id;
    const detail = (await api(admin, 'GET', `/campaigns/${campaignId}`)).json();
    expect(detail.noticeDate).toBe('2027-01-20');
    expect(detail.noticeDueBy).toBe('2027-01-30');
    expect(detail.basisNote).toContain('已于2020-07-01废止');
    expect(detail.filings).toHaveLength(14);
    expect(detail.filings.filter((f: { track: { key: string } }) => f.track.key === 'retail')).toHaveLength(
      12,
    );
    expect(
      detail.filings.filter((f: { track: { key: string } }) => f.track.key === 'wholesale'),
    ).toHaveLength(2);
    expect(new Set(detail.filings.map((f: { entity: { county: string } }) => f.entity.county))).toEqual(
      new Set(['桃城区', '冀州区', '枣强县']),
    );
    expect(detail.summary.byCounty).toHaveLength(3);
    const again = await api(admin, 'POST', '/campaigns', {
      ...base,
      noticeDate: '2027-01-21',
      basisReason: 'x',
    });
    expect(again.statusCode).toBe(409);
  });

  it('walks retail filings through county pre-review to the city decision and flags a decision on day 21', async () => {
    setToday('2027-03-10');
    const [onTime, late] = [await filingOf(entities.retail[0]!), await filingOf(entities.retail[1]!)];
    for (const f of [onTime, late]) {
      expect((await act(f, { action: 'submit', on: '2027-02-01', form })).json().status).toBe('open');
      // The county forwards; the city's 20-day clock (日: calendar days, line 1496) starts that day.
      expect((await act(f, { action: 'forward', on: '2027-02-05' })).statusCode).toBe(200);
    }
    const filing = (await api(admin, 'GET', `/campaigns/filings/${late}`)).json();
    expect(filing.filing.step.key).toBe('city-decision');
    expect(filing.filing.step.since).toBe('2027-02-05');
    expect(filing.filing.step.due).toBe('2027-02-25');
    expect(filing.filing.overdue).toBe(true);

    const a = await act(onTime, { action: 'pass', on: '2027-02-25' });
    expect(a.json()).toEqual({ status: 'passed', overdue: false });
    const b = await act(late, { action: 'pass', on: '2027-02-26' });
    expect(b.json()).toEqual({ status: 'passed', overdue: true });
    const lateEvents = (await api(admin, 'GET', `/campaigns/filings/${late}`)).json();
    expect(lateEvents.events.at(-1)).toMatchObject({
      action: 'pass',
      on: '2027-02-26',
      due: '2027-02-25',
      overdue: true,
    });
    expect(lateEvents.mark).toEqual({ text: '年检合格', year: 2027, on: '2027-02-26' });
  });

  it('puts a filing past its due date on the handler’s dashboard, with a count', async () => {
    const f = await filingOf(entities.retail[4]!);
    await act(f, { action: 'submit', on: '2027-02-01', form });
    await act(f, { action: 'forward', on: '2027-02-05' });
    const b = await loginAs(app, 'campadmin');
    const html = (await b.get('/admin')).body;
    expect(html).toMatch(
      /<span class="count-num">1<\/span><span class="count-label">超过期限的年度工作申报（年检、年审等）<\/span>/,
    );
    expect(text(html)).toContain('冀州区加油站1（2027年度成品油经营企业年检，应于 2027-02-25 前）');
  });

  it('refuses what a step does not allow, a date before the step began, and a failure without a reason', async () => {
    const f = await filingOf(entities.retail[2]!);
    const early = await act(f, { action: 'pass' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toContain('不能执行“合格”');
    await act(f, { action: 'submit', on: '2027-02-02', form });
    const before = await act(f, { action: 'forward', on: '2027-02-01' });
    expect(before.statusCode).toBe(400);
    expect(before.json().error.message).toContain('不能早于本环节开始的日期（2027-02-02）');
    await act(f, { action: 'forward', on: '2027-02-06' });
    const noReason = await act(f, { action: 'fail', on: '2027-02-10' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.message).toContain('须写明理由');
  });

  it('takes a failure through its written notice and rectification to the report to the province, each with its document and 文号', async () => {
    const f = await filingOf(entities.retail[2]!);
    expect(
      (await act(f, { action: 'fail', on: '2027-02-10', reason: '储油罐防渗设施不符合要求' })).json().status,
    ).toBe('failed');
    const noDeadline = await act(f, { action: 'rectify', on: '2027-02-11' });
    expect(noDeadline.statusCode).toBe(400);
    expect(noDeadline.json().error.message).toContain('须写明整改期限');
    const rectify = await act(f, { action: 'rectify', on: '2027-02-11', deadline: '2027-03-01' });
    expect(rectify.json().status, rectify.body).toBe('rectifying');
    const r = await act(f, { action: 'rectification-failed', on: '2027-03-05', reason: '逾期复查仍不合格' });
    expect(r.json().status).toBe('reported');
    const events = (await api(admin, 'GET', `/campaigns/filings/${f}`)).json().events as Array<{
      action: string;
      document: { id: number; number: string } | null;
    }>;
    expect(events.map((e) => e.action)).toEqual([
      'submit',
      'forward',
      'fail',
      'rectify',
      'rectification-failed',
    ]);
    const numbers = events.map((e) => e.document?.number ?? null);
    expect(numbers).toEqual([
      null,
      null,
      '衡商年检告〔2027〕1号',
      '衡商整改〔2027〕1号',
      '衡商报〔2027〕1号',
    ]);
    // Each is an issued document: downloaded, its text names the enterprise and what happened.
    const expected = ['储油罐防渗设施不符合要求', '2027年3月1日', '河北省商务厅'];
    for (const [k, e] of events.filter((x) => x.document).entries()) {
      const doc = await api(admin, 'GET', `/documents/${e.document!.id}/download`);
      expect(doc.statusCode).toBe(200);
      const xml = documentXml(doc.rawPayload);
      expect(xml).toContain('桃城区加油站3');
      expect(xml).toContain(expected[k]);
    }
    const detail = (await api(admin, 'GET', `/campaigns/${campaignId}`)).json();
    expect(detail.noticeDocument.number).toBe('衡商年检通〔2027〕1号');
  });

  it('sends wholesale filings to the city and records the province’s decision', async () => {
    const f = await filingOf(entities.wholesale[0]!);
    await act(f, { action: 'submit', on: '2027-02-03', form });
    const step = (await api(admin, 'GET', `/campaigns/filings/${f}`)).json().filing.step;
    expect(step).toMatchObject({ key: 'city-forward', actor: '市商务局', due: null });
    await act(f, { action: 'forward', on: '2027-02-04' });
    expect((await api(admin, 'GET', `/campaigns/filings/${f}`)).json().filing.step.key).toBe(
      'province-decision',
    );
    expect((await act(f, { action: 'pass', on: '2027-03-01' })).json().status).toBe('passed');
  });

  it('publishes per-county aggregates without any enterprise’s data, as page, CSV and JSON', async () => {
    const json = await app.inject({ method: 'GET', url: '/api/v1/supervision/campaigns?year=2027' });
    expect(json.statusCode).toBe(200);
    const item = json.json().items.find((c: { id: number }) => c.id === campaignId);
    expect(item.summary.byStatus).toMatchObject({ passed: 3, reported: 1 });
    expect(item.summary.byCounty.find((c: { county: string }) => c.county === '桃城区')).toMatchObject({
      total: 6,
    });
    const page = await app.inject({ method: 'GET', url: '/supervision/campaigns?year=2027' });
    const csv = await app.inject({ method: 'GET', url: '/supervision/campaigns.csv?year=2027' });
    expect(text(page.body)).toContain('2027年度成品油经营企业年检');
    expect(text(page.body)).toContain('依据提示');
    expect(csv.body.split('\r\n')[0]).toContain('年度工作,年度,通知日期,县（市、区）');
    for (const body of [json.body, page.body, csv.body]) {
      expect(body).not.toContain(makeUscc(7000));
      expect(body).not.toContain('加油站1');
    }
  });
});

describe('an enterprise files through its link, with no staff account', () => {
  const visitor = { jar: {} as Record<string, string> };
  const get = async (url: string) => {
    const r = await app.inject({ method: 'GET', url, headers: { cookie: cookieHeader(visitor.jar) } });
    visitor.jar = mergeCookies(visitor.jar, r.headers['set-cookie']);
    return r;
  };
  const postFiling = async (url: string, fields: Record<string, string>) => {
    const page = await get(url);
    const { payload, contentType } = multipartBody({ _csrf: csrfFrom(page.body), ...fields }, [
      {
        field: 'files',
        filename: '登记表.pdf',
        contentType: 'application/pdf',
        data: Buffer.from('%PDF-1.4\n% test form\n'),
      },
    ]);
    const r = await app.inject({
      method: 'POST',
      url,
      payload,
      headers: { 'content-type': contentType, cookie: cookieHeader(visitor.jar) },
    });
    visitor.jar = mergeCookies(visitor.jar, r.headers['set-cookie']);
    return r;
  };

  it('is rejected with a reason, resubmits, and passes — every step audited', async () => {
    setToday('2027-02-08');
    const f = await filingOf(entities.retail[5]!);
    const link = await api(admin, 'POST', `/campaigns/filings/${f}/link`);
    expect(link.statusCode).toBe(201);
    const path = link.json().path as string;
    const first = await get(path);
    expect(first.statusCode).toBe(200);
    expect(first.headers['referrer-policy']).toBe('no-referrer');
    expect(text(first.body)).toContain('提交材料');

    const missing = await postFiling(path, { contact: '李站长', phone: '', summary: '' });
    expect(missing.statusCode).toBe(400);
    expect(text(missing.body)).toContain('请填写联系电话');
    expect(missing.body).toContain('value="李站长"');

    expect(
      (await postFiling(path, { contact: '李站长', phone: '13800000000', summary: '正常经营' })).statusCode,
    ).toBe(303);
    expect(
      (await act(f, { action: 'return', on: '2027-02-08', reason: '缺少消防验收意见书，请补充后重新提交' }))
        .statusCode,
    ).toBe(200);
    const returned = await get(path);
    expect(text(returned.body)).toContain('缺少消防验收意见书');
    expect(text(returned.body)).toContain('重新提交材料');
    expect(
      (await postFiling(path, { contact: '李站长', phone: '13800000000', summary: '已补充消防验收意见书' }))
        .statusCode,
    ).toBe(303);
    await act(f, { action: 'forward', on: '2027-02-08' });
    await act(f, { action: 'pass', on: '2027-02-08' });
    const done = await get(path);
    expect(text(done.body)).toContain('年检合格');
    const audit = await s.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'campaign-filing')
      .where('entity_id', '=', String(f))
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'create-filing-link',
      'campaign-submit',
      'campaign-return',
      'campaign-submit',
      'campaign-forward',
      'campaign-pass',
    ]);
    expect((await verifyAudit(s.database.db)).ok).toBe(true);
    // A new link replaces the old one; a made-up one opens nothing.
    await api(admin, 'POST', `/campaigns/filings/${f}/link`);
    expect((await get(path)).statusCode).toBe(404);
    expect((await get('/filing/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).statusCode).toBe(404);
  });

  it('signs in with the credit code and a one-time code that works once', async () => {
    const entity = entities.retail[6]!;
    const f = await filingOf(entity);
    const code = (await api(admin, 'POST', `/campaigns/filings/${f}/code`)).json().code as string;
    expect(code).toMatch(/^\d{6}$/);
    const uscc = makeUscc(7006);
    const start = await get('/filing');
    const post = (c: string) =>
      app.inject({
        method: 'POST',
        url: '/filing',
        payload: new URLSearchParams({ _csrf: csrfFrom(start.body), uscc, code: c }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(visitor.jar) },
      });
    const wrong = await post(code === '000000' ? '111111' : '000000');
    expect(wrong.statusCode).toBe(400);
    expect(text(wrong.body)).toContain('验证码不正确');
    const ok = await post(code);
    expect(ok.statusCode).toBe(303);
    expect((await get(ok.headers.location as string)).statusCode).toBe(200);
    expect((await post(code)).statusCode).toBe(400);
  });

  it('an editor of another office cannot handle the campaign’s filings', async () => {
    const f = await filingOf(entities.retail[7]!);
    expect(
      (await api(editorOther, 'POST', `/campaigns/filings/${f}/actions`, { action: 'submit', form }))
        .statusCode,
    ).toBe(403);
    expect((await api(editorOther, 'POST', `/campaigns/filings/${f}/link`)).statusCode).toBe(403);
  });
});

describe('the development-zone rule', () => {
  it('recommends exactly the city’s zones in the bottom three in both of the last two years', async () => {
    const rows = ['年度,开发区,得分,是否本市'];
    const scores: Record<number, Record<string, number>> = {
      2024: { 甲区: 50, 乙区: 60, 丙区: 70, 丁区: 80, 戊区: 90, 己区: 95 },
      2025: { 甲区: 90, 乙区: 61, 丙区: 55, 丁区: 50, 戊区: 92, 己区: 96 },
      2026: { 甲区: 40, 乙区: 62, 丙区: 58, 丁区: 85, 戊区: 93, 己区: 97 },
    };
    const city = new Set(['甲区', '乙区', '丙区', '丁区']);
    for (const [y, zs] of Object.entries(scores))
      for (const [z, sc] of Object.entries(zs)) rows.push(`${y},${z},${sc},${city.has(z) ? '是' : '否'}`);
    const imported = await api(admin, 'POST', '/campaigns/zones/scores', {
      csv: rows.join('\n'),
      source: '测试数据',
    });
    expect(imported.json()).toEqual({ rows: 18, years: [2024, 2025, 2026] });
    const ev = (await api(admin, 'GET', '/campaigns/zones/evaluation')).json();
    expect(ev.considered).toEqual([2025, 2026]);
    expect(ev.rule).toMatchObject({ consecutiveYears: 2, bottomRanks: 3, citation: { line: 1825 } });
    // 2025 bottom three: 丁 50, 丙 55, 乙 61; 2026: 甲 40, 丙 58, 乙 62 → 乙 and 丙 both years.
    expect(ev.recommended.map((r: { zone: string }) => r.zone)).toEqual(
      ['丙区', '乙区'].sort((a, b) => a.localeCompare(b, 'zh')),
    );
    const bad = await api(admin, 'POST', '/campaigns/zones/scores', {
      csv: '年度,开发区,得分,是否本市\n2026,甲区,abc,是',
      source: 'x',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('第 2 行：得分应为数字');
  });
});

describe('oversight of a county bureau', () => {
  let bodyId: number;
  let staff: number[];
  beforeAll(async () => {
    setToday('2026-12-01');
    bodyId = await addEntity('枣强县商务局', '枣强县', 'county-bureau', 500);
    staff = (
      await s.database.db
        .selectFrom('users')
        .select('id')
        .where('username', 'in', ['campadmin', 'campstaff2'])
        .orderBy('id')
        .execute()
    ).map((u) => u.id);
  });

  it('refuses a check with fewer staff than the regime requires', async () => {
    const r = await api(admin, 'POST', '/oversight', {
      bodyEntityId: bodyId,
      regime: 2,
      method: 'spot',
      checkedOn: '2026-10-20',
      staffUserIds: [staff[0]],
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toContain('应当委派2名以上工作人员');
    expect(r.json().error.message).toContain('第 1318 行');
  });

  it('refuses a notice without its execution deadline, and a 复查 request on the 11th working day with the date it was due', async () => {
    const created = await api(admin, 'POST', '/oversight', {
      bodyEntityId: bodyId,
      regime: 2,
      method: 'spot',
      checkedOn: '2026-10-20',
      staffUserIds: staff,
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    await api(admin, 'POST', `/oversight/${id}/findings`, { findings: '两件许可案卷缺少现场核查记录' });
    const notice = {
      bodyName: '枣强县商务局',
      facts: '抽查许可案卷20件，其中2件缺少现场核查记录',
      decision: '责令限期改正，依据《行政许可法》第六十一条',
      execution: '补齐核查记录并书面报告',
      issuer: '衡水市商务局',
      issuedOn: '2026-10-30',
    };
    const missing = await api(admin, 'POST', `/oversight/${id}/notice`, notice);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toContain('执行处理决定的方式和期限');
    expect(missing.json().error.message).toContain('执行期限');
    const emptyFacts = await api(admin, 'POST', `/oversight/${id}/notice`, {
      ...notice,
      facts: '',
      executionDeadline: '2026-11-30',
    });
    expect(emptyFacts.json().error.message).toContain('“认定的事实和理由”（原文第 1227 行）');
    const issued = await api(admin, 'POST', `/oversight/${id}/notice`, {
      ...notice,
      executionDeadline: '2026-11-30',
    });
    expect(issued.statusCode, issued.body).toBe(201);
    expect(issued.json().number).toBe('衡商监督〔2026〕1号');
    await api(admin, 'POST', `/oversight/${id}/receipt`, { on: '2026-11-02' });
    const check = (await api(admin, 'GET', `/oversight/${id}`)).json();
    // 10 working days from Monday 2 November 2026: 16 November.
    expect(check.notice.reviewRequestDue).toBe('2026-11-16');
    const eleventh = await api(admin, 'POST', `/oversight/${id}/review-request`, {
      on: '2026-11-17',
      reason: '事实认定有误',
    });
    expect(eleventh.statusCode).toBe(409);
    expect(eleventh.json().error.message).toContain('最迟 2026-11-16');
    const tenth = await api(admin, 'POST', `/oversight/${id}/review-request`, {
      on: '2026-11-16',
      reason: '事实认定有误',
    });
    expect(tenth.statusCode, tenth.body).toBe(200);
    expect((await api(admin, 'GET', `/oversight/${id}`)).json().notice.reviewDecisionDue).toBe('2026-12-07');
    await api(admin, 'POST', `/oversight/${id}/review-decision`, {
      on: '2026-11-30',
      decision: '维持原决定',
    });
    await api(admin, 'POST', `/oversight/${id}/correction`, {
      on: '2026-12-01',
      report: '已补齐两件案卷的核查记录',
    });
    const assessment = (await api(admin, 'GET', '/oversight/assessment?year=2026')).json();
    expect(assessment.counties).toEqual([
      {
        county: '枣强县',
        checks: 1,
        withFindings: 1,
        notices: 1,
        corrected: 1,
        correctedOnTime: 0,
        reviews: 1,
      },
    ]);
  });
});
