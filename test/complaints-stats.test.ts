import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkStaff, createComplaintsApp, fileByForm, setToday, visitor } from './complaints-helpers.ts';
import type { Browser } from './staff-helpers.ts';
import type { SharedApp } from './token-helpers.ts';

/**
 * Public monthly statistics (issue 12 part 8): counts by kind, matter and responsible body, the
 * on-time rate and satisfaction, each as an SVG chart with its table and a CSV beside it; counts
 * only, no ticket and no personal data.
 */

let s: SharedApp;
let dispatcher: Browser;
let handler: Browser;
let zhixu = 0;

beforeAll(async () => {
  s = await createComplaintsApp();
  ({ dispatcher, handler, zhixu } = await caseworkStaff(s));

  // March 2026: a complaint about a prepaid card answered on time and rated 满意, a report about one
  // answered after its 15 working days (due 2026-03-23), a report about a pharmacy transferred, and an
  // enquiry left waiting.
  setToday('2026-03-02');
  const onTime = await fileByForm(s, {
    contactName: '张三',
    description: '投诉：超市发行的购物卡违规发卡，单张面值超过5000元。',
  });
  const late = await fileByForm(s, {
    kind: 'report',
    contactName: '张三',
    description: '举报：超市发行的购物卡违规发卡，单张面值超过5000元。',
  });
  const pharmacy = await fileByForm(s, {
    kind: 'report',
    description: '举报：小区旁边新开的药店没有经过审批就开办营业了。',
  });
  await fileByForm(s, { kind: 'enquiry', description: '咨询：成品油零售经营资格如何申请？' });
  for (const t of [onTime, late])
    await dispatcher.post(`/admin/complaints/${t.id}/assign`, { officeId: String(zhixu), reason: '' });
  const share = await s.database.db
    .selectFrom('boundary_shares')
    .select('id')
    .where('text', '=', '负责药品流通准入和质量管理')
    .executeTakeFirstOrThrow();
  await dispatcher.post(`/admin/complaints/${pharmacy.id}/transfer`, {
    shareId: String(share.id),
    reason: '',
  });
  setToday('2026-03-20');
  await handler.post(`/admin/complaints/${onTime.id}/reply`, {
    outcome: 'resolved',
    docNumber: '衡商秩函〔2026〕30号',
    body: '经核查，已责令超市整改。',
  });
  await visitor(s.app).postForm('/complaints/track/rate', {
    code: onTime.code,
    secret: onTime.secret,
    satisfaction: 'satisfied',
    comment: '',
  });
  setToday('2026-03-31');
  await handler.post(`/admin/complaints/${late.id}/reply`, {
    outcome: 'unresolved',
    docNumber: '衡商秩函〔2026〕31号',
    body: '经核查，无法联系到经营者。',
    reason: '经营者已停业',
  });
});
afterAll(async () => {
  await s?.close();
});

describe('the monthly statistics', () => {
  it('count by kind, matter and body, with the on-time rate and satisfaction, as charts, tables and CSV', async () => {
    const page = await s.app.inject({ method: 'GET', url: '/complaints/stats?month=2026-03' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('举报投诉统计（2026-03）');
    expect(page.body).toContain(
      '本月收到 4 件；办结 3 件，其中可计算期限的 3 件按期办结 2 件，按期办结率 66.7%',
    );
    expect((page.body.match(/<svg class="chart"[^>]*role="img"/g) ?? []).length).toBe(5);
    expect(page.body).toContain('<title id="chart-kind-title">按类型（图表，数据见下表）</title>');
    for (const p of ['张三', '13812341234', '购物卡违规发卡']) expect(page.body).not.toContain(p);

    const csv = async (table: string) =>
      (await s.app.inject({ method: 'GET', url: `/complaints/stats.csv?month=2026-03&table=${table}` })).body;
    expect(await csv('kind')).toBe(
      '\uFEFF月份,类型,件数\n2026-03,举报,2\n2026-03,投诉,1\n2026-03,申诉,0\n2026-03,咨询,1\n',
    );
    const matter = await csv('matter');
    expect(matter).toContain('2026-03,2 单用途商业预付卡管理工作,2');
    expect(matter).toContain('2026-03,1 药品流通行业管理,1');
    const body = await csv('body');
    expect(body).toContain('2026-03,衡水市商务局 市场秩序和政策法规科,2');
    expect(body).toContain('2026-03,市市场监督管理局（转办）,1');
    expect(body).toContain('2026-03,待分派,1');
    expect(await csv('ontime')).toBe('\uFEFF月份,项目,件数\n2026-03,按期办结,2\n2026-03,超期办结,1\n');
    expect(await csv('satisfaction')).toBe(
      '\uFEFF月份,评价,件数\n2026-03,满意,1\n2026-03,基本满意,0\n2026-03,不满意,0\n',
    );
  });

  it('move from month to month, and fall back to the current month for a bad one', async () => {
    const april = await s.app.inject({ method: 'GET', url: '/complaints/stats?month=2026-04' });
    expect(april.body).toContain('本月收到 0 件');
    expect(april.body).toContain('href="/complaints/stats?month=2026-03"');
    setToday('2026-03-31');
    const bad = await s.app.inject({ method: 'GET', url: '/complaints/stats?month=2026-13' });
    expect(bad.body).toContain('举报投诉统计（2026-03）');
  });
});
