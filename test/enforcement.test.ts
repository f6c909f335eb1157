import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../src/modules/auth/auth.service.ts';
import { buildEnforcementWorld, type EnforcementWorld, NOW } from './enforcement-fixtures.ts';
import { createStaff, loginAs } from './staff-helpers.ts';
import { createSharedApp, type SharedApp } from './token-helpers.ts';

/**
 * From finding to closed case through the real app (SQLite, and PostgreSQL in the PG suite), by the
 * staff API with bearer tokens and by the back-office pages: rectification orders from a problem
 * result, the deadline in working days from delivery, the next steps of an unheeded order, penalty
 * cases with the amount checked against the rule's range, the limitation period, 法制审核 by someone
 * who is not the handler, the decision issued as a 行政处罚决定书 through the documents module, and the
 * deadlines dashboard of the office that owns the regime. The app's clock is fixed at 2026-11-20.
 */

let s: SharedApp;
let w: EnforcementWorld;
const users = {} as Record<'admin' | 'handler' | 'other' | 'reviewer' | 'legal' | 'auditor', SessionUser>;
const tokens = {} as Record<keyof typeof users, string>;

async function api(
  who: keyof typeof users,
  method: 'GET' | 'POST',
  url: string,
  body?: Record<string, unknown>,
) {
  const res = await s.app.inject({
    method,
    url,
    payload: body,
    headers: { authorization: `Bearer ${tokens[who]}` },
  });
  // biome-ignore lint/suspicious/noExplicitAny: the tests read the answers' nested JSON freely
  return { status: res.statusCode, json: res.json() as Record<string, any>, body: res.body };
}

beforeAll(async () => {
  s = await createSharedApp({ seed: true, now: () => NOW });
  users.admin = await createStaff(s.database, 'en_admin', 'admin');
  // 市场秩序和政策法规科 runs regimes 7 and 8 (rules/regime-offices.ts).
  users.handler = await createStaff(s.database, 'en_handler', 'editor', ['市场秩序和政策法规科']);
  users.other = await createStaff(s.database, 'en_other', 'editor', ['外事科']);
  users.reviewer = await createStaff(s.database, 'en_leader', 'reviewer');
  users.legal = await createStaff(s.database, 'en_legal', 'legal_reviewer');
  users.auditor = await createStaff(s.database, 'en_audit', 'auditor');
  for (const who of Object.keys(users) as (keyof typeof users)[]) {
    tokens[who] = (await s.cli('token', 'create', users[who].username)).out.trim();
  }
  w = await buildEnforcementWorld(s.database, 'en');
}, 120_000);

afterAll(async () => {
  await s?.close();
});

describe('rectification orders', () => {
  it('counts 15 working days from a delivery on 2026-09-28 to 2026-10-23 and issues the 责令限期整改通知书', async () => {
    const inspectionId = await w.problemResult(7);
    const created = await api('handler', 'POST', '/api/v1/staff/rectifications', {
      inspectionId,
      findings: '单张记名卡面值超过5000元',
      requirement: '停止发行超限额的记名卡',
      termAmount: 15,
      issuedOn: '2026-09-28',
    });
    expect(created.status, created.body).toBe(201);
    expect(created.json).toMatchObject({
      status: 'issued',
      office: '市场秩序和政策法规科',
      term: { unit: 'working-days' },
    });
    const id = created.json.id as number;
    const delivered = await api('handler', 'POST', `/api/v1/staff/rectifications/${id}/delivery`, {
      method: 'on-site',
      deliveredOn: '2026-09-28',
      proof: '送达回证 2026-001',
    });
    expect(delivered.status, delivered.body).toBe(200);
    expect(delivered.json.deadline).toBe('2026-10-23');
    expect(delivered.json.reinspectionDue).toBe('2026-10-24');
    const [doc] = delivered.json.documents as Array<{ number: string; title: string }>;
    expect(doc?.title).toBe('责令限期整改通知书');
    expect(doc?.number).toMatch(/^衡商整改〔2026〕\d+号$/);
  });

  it('refuses electronic delivery until the party’s consent is recorded', async () => {
    const id = await w.order(7, users.handler, 'issued');
    const refused = await api('handler', 'POST', `/api/v1/staff/rectifications/${id}/delivery`, {
      method: 'electronic',
      deliveredOn: '2026-09-29',
      proof: '电子邮件回执',
    });
    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toContain('第六十一条第二款');
    const consent = await api('handler', 'POST', `/api/v1/staff/rectifications/${id}/consent`, {
      channel: 'email',
      address: 'law@example.cn',
      signedOn: '2026-09-28',
      proof: '送达地址确认书 001号',
    });
    expect(consent.status, consent.body).toBe(200);
    const ok = await api('handler', 'POST', `/api/v1/staff/rectifications/${id}/delivery`, {
      method: 'electronic',
      deliveredOn: '2026-09-29',
      proof: '电子邮件回执',
    });
    expect(ok.status, ok.body).toBe(200);
    expect(ok.json.delivery.consentId).toBeGreaterThan(0);
  });

  it('refuses 逾期未整改 before the deadline has run, closes 已整改', async () => {
    const id = await w.order(8, users.handler, 'delivered');
    const early = await api('handler', 'POST', `/api/v1/staff/rectifications/${id}/outcome`, {
      outcome: 'overdue',
      reinspectedOn: '2026-10-23',
      note: '未整改',
    });
    expect(early.status).toBe(409);
    expect(early.json.error.message).toContain('2026-10-23届满');
    const done = await api('handler', 'POST', `/api/v1/staff/rectifications/${id}/outcome`, {
      outcome: 'rectified',
      reinspectedOn: '2026-10-20',
      note: '已整改到位',
    });
    expect(done.status).toBe(200);
    expect(done.json.status).toBe('rectified');
    expect(done.json.nextSteps).toEqual([]);
  });

  it('offers exactly the next steps the regime’s rules allow after an unheeded order', async () => {
    const seven = await w.order(7, users.handler, 'overdue');
    const eight = await w.order(8, users.handler, 'overdue');
    const steps = async (id: number) =>
      (
        (await api('handler', 'GET', `/api/v1/staff/rectifications/${id}`)).json.nextSteps as Array<{
          kind: string;
        }>
      ).map((x) => x.kind);
    expect(await steps(seven)).toEqual(['penalty-case']);
    expect(await steps(eight)).toEqual(['penalty-case', 'public-announcement', 'police-handover']);
    const notAllowed = await api('handler', 'POST', `/api/v1/staff/rectifications/${seven}/escalations`, {
      kind: 'public-announcement',
      ruleKey: 'publication',
      note: '拟向社会公告',
    });
    expect(notAllowed.status).toBe(409);
    expect(notAllowed.json.error.message).toContain('可以采取的后续处理：立案处罚');
    const announced = await api('handler', 'POST', `/api/v1/staff/rectifications/${eight}/escalations`, {
      kind: 'public-announcement',
      ruleKey: 'publication',
      note: '逾期未整改，向社会公告',
    });
    expect(announced.status, announced.body).toBe(200);
    expect(await steps(eight)).toEqual(['penalty-case', 'police-handover']);
    const twice = await api('handler', 'POST', `/api/v1/staff/rectifications/${eight}/escalations`, {
      kind: 'public-announcement',
      ruleKey: 'publication',
      note: '再次公告',
    });
    expect(twice.status).toBe(409);
  });
});

describe('penalty cases', () => {
  const ctxCase = async (orderId: number, extra: Record<string, unknown> = {}) =>
    api('handler', 'POST', '/api/v1/staff/penalties', {
      orderId,
      entityId: (await api('handler', 'GET', `/api/v1/staff/rectifications/${orderId}`)).json.entity.id,
      regimeSeq: 7,
      ruleKey: 'issuance-violation',
      facts: '发行超过限额的记名卡，经责令限期整改逾期仍不改正',
      violationOn: '2026-09-20',
      filedOn: '2026-10-27',
      ...extra,
    });

  it('refuses 40,000元 under regime 7 with the range in Chinese; 20,000元 passes to 法制审核', async () => {
    const order = await w.order(7, users.handler, 'overdue');
    const filed = await ctxCase(order);
    expect(filed.status, filed.body).toBe(201);
    const id = filed.json.id as number;
    expect(filed.json.bound).toMatchObject({ minFen: 1_000_000, maxFen: 3_000_000 });
    const tooMuch = await api('handler', 'POST', `/api/v1/staff/penalties/${id}/notice`, {
      amountYuan: 40000,
      noticeOn: '2026-10-28',
    });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.json.error.code).toBe('amount_out_of_range');
    expect(tooMuch.json.error.message).toContain('罚款金额40,000元超出处罚依据允许的范围');
    expect(tooMuch.json.error.message).toContain('1万元以上3万元以下（10,000元至30,000元）');
    const ok = await api('handler', 'POST', `/api/v1/staff/penalties/${id}/notice`, {
      amountYuan: 20000,
      noticeOn: '2026-10-28',
    });
    expect(ok.status, ok.body).toBe(200);
    expect(ok.json).toMatchObject({ status: 'notified', hearingOffered: true, amount: { fen: 2_000_000 } });
    expect((ok.json.documents as Array<{ title: string }>).map((d) => d.title).sort()).toEqual(
      ['听证告知书', '行政处罚事先告知书'].sort(),
    );
    expect(ok.json.clocks.hearingRequestLast).toBe('2026-11-02');
    const submitted = await api('handler', 'POST', `/api/v1/staff/penalties/${id}/submission`, {});
    expect(submitted.status, submitted.body).toBe(200);
    expect(submitted.json.status).toBe('in-review');
    // The unheeded order now records the case as its step.
    const o = await api('handler', 'GET', `/api/v1/staff/rectifications/${order}`);
    expect(o.json.steps).toMatchObject([{ kind: 'penalty-case', penaltyCaseId: id }]);
  });

  it('refuses a regime-7 fine that needs an unheeded order when none is given', async () => {
    const res = await api('handler', 'POST', '/api/v1/staff/penalties', {
      entityId: w.entities[7][0],
      regimeSeq: 7,
      ruleKey: 'issuance-violation',
      facts: '发行超过限额的记名卡',
      violationOn: '2026-09-20',
      filedOn: '2026-10-27',
    });
    expect(res.status).toBe(409);
    expect(res.json.error.message).toContain('须先责令限期改正且逾期仍不改正');
  });

  it('caps a fair-trade fine at three times an illegal gain of 8,000元: 24,000元', async () => {
    const filed = await api('handler', 'POST', '/api/v1/staff/penalties', {
      entityId: w.entities[8][0],
      regimeSeq: 8,
      ruleKey: 'fine-with-gain',
      facts: '向供应商收取未约定的费用',
      violationOn: '2026-08-01',
      illegalGainYuan: 8000,
      filedOn: '2026-10-01',
    });
    expect(filed.status, filed.body).toBe(201);
    expect(filed.json.bound.maxFen).toBe(2_400_000);
    expect(filed.json.bound.rangeText).toContain('24,000元以下');
    const over = await api('handler', 'POST', `/api/v1/staff/penalties/${filed.json.id}/notice`, {
      amountYuan: '24000.01',
      noticeOn: '2026-10-02',
    });
    expect(over.status).toBe(400);
    expect(over.json.error.message).toContain('违法所得8,000元的3倍为24,000元');
    const at = await api('handler', 'POST', `/api/v1/staff/penalties/${filed.json.id}/notice`, {
      amountYuan: 24000,
      noticeOn: '2026-10-02',
    });
    expect(at.status, at.body).toBe(200);
    expect(at.json.amount.text).toBe('24,000元');
  });

  it('refuses a case opened 2 years and 1 day after the violation, with the reason', async () => {
    const base = {
      entityId: w.entities[8][1],
      regimeSeq: 8,
      ruleKey: 'fine-without-gain',
      facts: '拖欠供应商货款',
      violationOn: '2024-10-15',
    };
    const late = await api('handler', 'POST', '/api/v1/staff/penalties', { ...base, filedOn: '2026-10-16' });
    expect(late.status).toBe(409);
    expect(late.json.error.code).toBe('limitation_expired');
    expect(late.json.error.message).toContain('超过2年追责时效（时效届满日为2026-10-15）');
    expect(late.json.error.message).toContain('第三十六条');
    const last = await api('handler', 'POST', '/api/v1/staff/penalties', { ...base, filedOn: '2026-10-15' });
    expect(last.status, last.body).toBe(201);
  });

  it('never lets the handler approve their own case, even after becoming a legal reviewer', async () => {
    const account = await createStaff(s.database, 'en_handler2', 'editor', ['市场秩序和政策法规科']);
    const id = await w.fairTradeCase(account, 'in-review');
    // The handler's account is made a legal reviewer (its sessions end; a token keeps the account).
    const set = await s.cli('user', 'set-role', 'en_handler2', '--role', 'legal_reviewer');
    expect(set.code, set.err).toBe(0);
    const token = (await s.cli('token', 'create', 'en_handler2')).out.trim();
    const own = await s.app.inject({
      method: 'POST',
      url: `/api/v1/staff/penalties/${id}/legal-review`,
      payload: { decision: 'approve', opinion: '同意' },
      headers: { authorization: `Bearer ${token}` },
    });
    expect(own.statusCode).toBe(403);
    expect(own.json().error.message).toContain('不得由本案承办人审核');
    // Nor may an admin or the bureau's leader: 法制审核 is the legal reviewer's.
    for (const who of ['admin', 'reviewer'] as const) {
      const r = await api(who, 'POST', `/api/v1/staff/penalties/${id}/legal-review`, {
        decision: 'approve',
        opinion: '同意',
      });
      expect(r.status, who).toBe(403);
    }
    const ok = await api('legal', 'POST', `/api/v1/staff/penalties/${id}/legal-review`, {
      decision: 'approve',
      opinion: '事实清楚，依据正确，罚款在法定幅度内',
    });
    expect(ok.status, ok.body).toBe(200);
    expect(ok.json.status).toBe('approved');
  });

  it('issues the 行政处罚决定书 through the documents module, byte-identical on every download; payment adds the late fee', async () => {
    const id = await w.fairTradeCase(users.handler, 'in-review');
    await api('legal', 'POST', `/api/v1/staff/penalties/${id}/legal-review`, {
      decision: 'approve',
      opinion: '同意',
    });
    const byHandler = await api('handler', 'POST', `/api/v1/staff/penalties/${id}/decision`, {
      confirm: true,
      decisionOn: '2026-10-20',
    });
    expect(byHandler.status).toBe(403);
    const decided = await api('reviewer', 'POST', `/api/v1/staff/penalties/${id}/decision`, {
      confirm: true,
      decisionOn: '2026-10-20',
    });
    expect(decided.status, decided.body).toBe(200);
    expect(decided.json.status).toBe('decided');
    const decision = (
      decided.json.documents as Array<{ id: number; title: string; number: string; sha256: string }>
    ).find((d) => d.title === '行政处罚决定书')!;
    expect(decision.number).toMatch(/^衡商罚决〔2026〕\d+号$/);
    const download = () =>
      s.app.inject({
        method: 'GET',
        url: `/api/v1/staff/documents/${decision.id}/download`,
        headers: { authorization: `Bearer ${tokens.reviewer}` },
      });
    const [a, b] = [await download(), await download()];
    expect(a.statusCode).toBe(200);
    expect(a.rawPayload.equals(b.rawPayload)).toBe(true);
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(a.rawPayload).digest('hex')).toBe(decision.sha256);

    const delivered = await api('handler', 'POST', `/api/v1/staff/penalties/${id}/delivery`, {
      method: 'on-site',
      deliveredOn: '2026-10-21',
      proof: '送达回证 2026-088',
    });
    expect(delivered.status, delivered.body).toBe(200);
    expect(delivered.json.clocks.paymentDue).toBe('2026-11-05');
    // Paid on 2026-11-07: 2 days late, 3 % of 5,000元 a day = 300元.
    const short = await api('handler', 'POST', `/api/v1/staff/penalties/${id}/payment`, {
      paidOn: '2026-11-07',
      paidYuan: 5000,
      receipt: 'PAY-1',
    });
    expect(short.status).toBe(400);
    expect(short.json.error.message).toContain('应缴5,300元');
    const paid = await api('handler', 'POST', `/api/v1/staff/penalties/${id}/payment`, {
      paidOn: '2026-11-07',
      paidYuan: 5300,
      receipt: 'PAY-1',
    });
    expect(paid.status, paid.body).toBe(200);
    expect(paid.json).toMatchObject({ status: 'paid', lateFee: { fen: 30_000 } });
    const published = await api('reviewer', 'POST', `/api/v1/staff/penalties/${id}/publication`, {
      publishedOn: '2026-10-28',
      where: '衡水市商务局网站 行政执法公示',
    });
    expect(published.status, published.body).toBe(200);
    expect(published.json.clocks.publicationDue).toBe('2026-10-29');
  });

  it('counts the issuer’s sellers’ penalties in 12 months from the register’s own history (regime 7)', async () => {
    const issuer = w.entities[7][10]!;
    const res = await api('handler', 'POST', '/api/v1/staff/penalties', {
      entityId: issuer,
      regimeSeq: 7,
      ruleKey: 'lax-management-of-sellers',
      facts: '疏于管理隶属售卡企业',
      violationOn: '2026-10-01',
      filedOn: '2026-11-01',
    });
    expect(res.status).toBe(409);
    expect(res.json.error.message).toContain('只有0次');
  });
});

describe('the deadlines dashboard', () => {
  it('shows an overdue rectification to the office that owns it, with a count in the navigation, and names who holds it', async () => {
    const id = await w.order(7, users.handler, 'delivered'); // deadline 2026-10-23, today 2026-11-20
    const mine = await loginAs(s.app, 'en_handler');
    const page = await mine.get('/admin/deadlines');
    expect(page.status).toBe(200);
    expect(page.body).toContain(`/admin/supervision/rectifications/${id}`);
    expect(page.body).toContain('已逾期');
    expect(page.body).toContain('承办人 en_handler（未指派复查人员）');
    const overdue = Number(/已逾期 (\d+) 项/.exec(page.body)![1]);
    expect(overdue).toBeGreaterThan(0);
    expect(page.body).toMatch(
      /期限提醒<span class="nav-count"> \d+<span class="visually-hidden">项<\/span><\/span>/,
    );
    const dashboard = await mine.get('/admin');
    expect(dashboard.body).toContain('已逾期的期限');
    const csv = await mine.get('/admin/deadlines.csv');
    expect(csv.status).toBe(200);
    expect(csv.body).toContain('整改期限届满，复查整改情况');
    const other = await loginAs(s.app, 'en_other');
    const theirs = await other.get('/admin/deadlines');
    expect(theirs.body).not.toContain(`/admin/supervision/rectifications/${id}`);
    const rectifications = await other.get(`/admin/supervision/rectifications/${id}`);
    expect(rectifications.status).toBe(403);
  });
});
