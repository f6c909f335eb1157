import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KIND_RULES, KINDS, RETURN_WINDOW } from '../src/modules/complaints/complaint.clocks.ts';
import { STATUSES, TRANSITIONS } from '../src/modules/complaints/complaint.workflow.ts';
import { createComplaintsApp, fileByForm, setToday, visitor } from './complaints-helpers.ts';
import { type Browser, createStaff, loginAs } from './staff-helpers.ts';
import type { SharedApp } from './token-helpers.ts';

/**
 * Casework on the working-day calendar with a fixed clock (issue 12 parts 3, 4 and 6): the clocks
 * per kind with their sources, extensions within their limits, overdue tickets on the dashboard;
 * the return of a mis-routed ticket within 2 working days and the coordinator's decision on both
 * citations; replies with honest end states, the satisfaction follow-up and reopening.
 * Dates: Monday 2026-03-02; National Day 2026 (holiday 10-01 to 10-07).
 */

let s: SharedApp;
let dispatcher: Browser;
let coordinator: Browser;
let handler: Browser;
let otherHandler: Browser;
const office = { zhixu: 0, xiaofei: 0 };

beforeAll(async () => {
  s = await createComplaintsApp();
  await createStaff(s.database, 'dispatcher', 'reviewer');
  await createStaff(s.database, 'coordinator', 'reviewer');
  await createStaff(s.database, 'zhixu', 'editor', ['市场秩序和政策法规科']);
  await createStaff(s.database, 'xiaofei', 'editor', ['市场运行和消费促进科']);
  dispatcher = await loginAs(s.app, 'dispatcher');
  coordinator = await loginAs(s.app, 'coordinator');
  handler = await loginAs(s.app, 'zhixu');
  otherHandler = await loginAs(s.app, 'xiaofei');
  for (const [k, name] of [
    ['zhixu', '市场秩序和政策法规科'],
    ['xiaofei', '市场运行和消费促进科'],
  ] as const) {
    office[k] = (
      await s.database.db
        .selectFrom('offices')
        .select('id')
        .where('name', '=', name)
        .executeTakeFirstOrThrow()
    ).id;
  }
});
afterAll(async () => {
  await s?.close();
});
beforeEach(() => setToday('2026-03-02'));

const ticket = (id: number) =>
  s.database.db.selectFrom('complaints').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const PREPAID = '超市发行的购物卡违规发卡，单张面值超过5000元。';

/** A ticket filed and accepted to 市场秩序和政策法规科 on `date`. */
async function assignedOn(date: string, kind = 'complaint') {
  setToday(date);
  const filed = await fileByForm(s, {
    kind,
    description: `${kind === 'report' ? '举报' : '投诉'}：${PREPAID}`,
  });
  const res = await dispatcher.post(`/admin/complaints/${filed.id}/assign`, {
    officeId: String(office.zhixu),
    reason: '',
  });
  expect(res.status, res.body.slice(0, 300)).toBe(303);
  return filed;
}

describe('the clocks', () => {
  it('are data with their source for every kind', () => {
    for (const k of KINDS) {
      const r = KIND_RULES[k];
      for (const c of [r.accept, r.reply]) {
        expect(c.days).toBeGreaterThan(0);
        expect(c.source.law.length).toBeGreaterThan(2);
        expect(c.source.article.length).toBeGreaterThan(2);
        if (c.source.verified !== 'default') expect(c.source.url).toMatch(/^https?:\/\//);
      }
    }
    expect(KIND_RULES.complaint.accept.days).toBe(7);
    expect(KIND_RULES.complaint.accept.source.article).toContain('七个工作日');
    expect(KIND_RULES.report.reply.days).toBe(15);
    expect(KIND_RULES.report.reply.source.article).toContain('十五个工作日');
    expect(RETURN_WINDOW.days).toBe(2);
  });

  it('count acceptance in working days across National Day, and put an overdue ticket on the dashboard', async () => {
    setToday('2026-09-28');
    const { id, code } = await fileByForm(s);
    expect((await ticket(id)).accept_due).toBe('2026-10-13');
    // The waiting item of overdue tickets, with the codes it names.
    const overdueItem = async () =>
      /<li>(?:(?!<li>).)*?已超期的举报投诉.*?<\/ul>/s.exec((await dispatcher.get('/admin')).body)?.[0] ?? '';
    setToday('2026-10-13');
    expect(await overdueItem()).toBe('');
    setToday('2026-10-14');
    const item = await overdueItem();
    expect(item).toContain(code);
    expect(item).toContain('期限 2026-10-13');
    const list = await dispatcher.get('/admin/complaints?show=overdue');
    expect(list.body).toContain(code);
    expect(list.body).toContain('已超期');
  });

  it('leave a date open when the holiday schedule of its year is not published, and say so', async () => {
    setToday('2026-12-28');
    const { id } = await fileByForm(s);
    expect((await ticket(id)).accept_due).toBeNull();
    expect((await dispatcher.get(`/admin/complaints/${id}`)).body).toContain('节假日安排未公布，期限待定');
  });

  it('give a report 15 working days from receipt, extended once by at most 15 with a reason', async () => {
    const { id } = await assignedOn('2026-03-02', 'report');
    expect((await ticket(id)).reply_due).toBe('2026-03-23');
    const noReason = await handler.post(`/admin/complaints/${id}/extend`, { days: '15', reason: '' });
    expect(noReason.status).toBe(400);
    expect(noReason.body).toContain('请填写延期理由');
    const tooLong = await handler.post(`/admin/complaints/${id}/extend`, {
      days: '16',
      reason: '需调取交易记录',
    });
    expect(tooLong.status).toBe(409);
    expect(tooLong.body).toContain('共 15 个工作日');
    expect(
      (await handler.post(`/admin/complaints/${id}/extend`, { days: '15', reason: '需调取交易记录' })).status,
    ).toBe(303);
    const t = await ticket(id);
    expect(t).toMatchObject({ reply_due: '2026-04-14', extended_days: 15, extensions: 1 });
    const again = await handler.post(`/admin/complaints/${id}/extend`, { days: '1', reason: '还需要时间' });
    expect(again.status).toBe(409);
    expect(again.body).toContain('最多延期 1 次');
  });

  it('give a complaint 45 working days from acceptance, without extension', async () => {
    const { id } = await assignedOn('2026-03-02');
    expect((await ticket(id)).reply_due).toBe('2026-05-08');
    const res = await handler.post(`/admin/complaints/${id}/extend`, { days: '5', reason: '需要调解' });
    expect(res.status).toBe(409);
    expect(res.body).toContain('这类工单不能延期');
  });
});

describe('returning a mis-routed ticket', () => {
  const workItemOf = async (officeName: string) =>
    await s.database.db
      .selectFrom('work_items as w')
      .innerJoin('work_item_offices as l', 'l.work_item_id', 'w.id')
      .innerJoin('offices as o', 'o.id', 'l.office_id')
      .select(['w.id', 'w.text'])
      .where('o.name', '=', officeName)
      .orderBy('w.id')
      .executeTakeFirstOrThrow();

  it('reaches the coordinator within 2 working days with both citations, who decides', async () => {
    const { id, code } = await assignedOn('2026-03-02');
    const item = await workItemOf('市场运行和消费促进科');
    setToday('2026-03-04'); // the 2nd working day
    const page = await handler.get(`/admin/complaints/${id}`);
    expect(page.body).toContain('不属于本科室：退回');
    const noCite = await handler.post(`/admin/complaints/${id}/return`, {
      reason: '不是本科室的事',
      cited: '',
    });
    expect(noCite.status).toBe(400);
    expect(noCite.body).toContain('退回须引用清单中的一条职责');
    const res = await handler.post(`/admin/complaints/${id}/return`, {
      reason: '购物卡促销属于消费促进',
      cited: `workItem:${item.id}`,
    });
    expect(res.status, res.body.slice(0, 300)).toBe(303);
    expect((await ticket(id)).status).toBe('returned');

    const dash = await coordinator.get('/admin');
    expect(dash.body).toContain('承办科室退回、待协调的工单');
    expect(dash.body).toContain(code);
    const view = await coordinator.get(`/admin/complaints/${id}`);
    expect(view.body).toContain('分派依据');
    expect(view.body).toContain('职责边界清单“单用途商业预付卡管理工作”'); // the dispatcher's side
    expect(view.body).toContain(`部门职责清单的工作事项：“${item.text}”`); // the office's side
    expect(view.body).toContain('购物卡促销属于消费促进');
    // Only a coordinator decides.
    expect(
      (await handler.post(`/admin/complaints/${id}/settle`, { decision: 'keep', reason: '不同意' })).status,
    ).toBe(403);
    const decided = await coordinator.post(`/admin/complaints/${id}/settle`, {
      decision: 'reassign',
      officeId: String(office.xiaofei),
      reason: '按部门职责清单，促销活动由市场运行和消费促进科负责',
    });
    expect(decided.status, decided.body.slice(0, 300)).toBe(303);
    const t = await ticket(id);
    expect(t).toMatchObject({ status: 'assigned', office_id: office.xiaofei, assigned_on: '2026-03-04' });
    const dispute = await s.database.db
      .selectFrom('complaint_disputes')
      .selectAll()
      .where('complaint_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(dispute).toMatchObject({ decision: 'reassigned', cited_type: 'workItem', cited_id: item.id });
    expect(dispute.dispatch_citation).toContain('单用途商业预付卡管理工作');
    // The new office now holds it; the first office no longer may act on it.
    expect((await otherHandler.get(`/admin/complaints/${id}`)).body).toContain('书面答复并办结');
    expect((await handler.post(`/admin/complaints/${id}/extend`, { days: '1', reason: 'x1' })).status).toBe(
      403,
    );
  });

  it('is refused on the 3rd working day', async () => {
    const { id } = await assignedOn('2026-03-02');
    const item = await workItemOf('市场运行和消费促进科');
    setToday('2026-03-05');
    expect((await handler.get(`/admin/complaints/${id}`)).body).not.toContain('不属于本科室：退回');
    const res = await handler.post(`/admin/complaints/${id}/return`, {
      reason: '不是本科室的事',
      cited: `workItem:${item.id}`,
    });
    expect(res.status).toBe(409);
    expect(res.body).toContain('退回期限已过');
    expect(res.body).toContain('今天是第 3 个工作日');
    expect((await ticket(id)).status).toBe('assigned');
  });

  it('counts working days, not calendar days: Friday to the next Tuesday is 2', async () => {
    const { id } = await assignedOn('2026-03-06');
    const item = await workItemOf('市场运行和消费促进科');
    setToday('2026-03-10');
    const res = await handler.post(`/admin/complaints/${id}/return`, {
      reason: '不属于本科室',
      cited: `workItem:${item.id}`,
    });
    expect(res.status).toBe(303);
  });

  it('cannot be returned again by the office the coordinator kept it with', async () => {
    const { id } = await assignedOn('2026-03-02');
    const item = await workItemOf('市场运行和消费促进科');
    await handler.post(`/admin/complaints/${id}/return`, {
      reason: '不属于本科室',
      cited: `workItem:${item.id}`,
    });
    expect(
      (
        await coordinator.post(`/admin/complaints/${id}/settle`, {
          decision: 'keep',
          reason: '清单第2项写明由本局负责预付卡',
        })
      ).status,
    ).toBe(303);
    expect((await ticket(id)).office_id).toBe(office.zhixu);
    const again = await handler.post(`/admin/complaints/${id}/return`, {
      reason: '还是不属于',
      cited: `workItem:${item.id}`,
    });
    expect(again.status).toBe(409);
    expect(again.body).toContain('协调已决定由本科室办理');
  });
});

describe('replies, end states and the follow-up', () => {
  it('closes with a written reply (文号 required) and the person rates it', async () => {
    const { id, code, secret } = await assignedOn('2026-03-02');
    const noNumber = await handler.post(`/admin/complaints/${id}/reply`, {
      outcome: 'resolved',
      docNumber: '',
      body: '经核查，已责令超市整改。',
    });
    expect(noNumber.status).toBe(400);
    expect(noNumber.body).toContain('书面答复须有文号');
    expect(noNumber.body).toContain('经核查，已责令超市整改。'); // kept
    setToday('2026-03-10');
    const ok = await handler.post(`/admin/complaints/${id}/reply`, {
      outcome: 'resolved',
      docNumber: '衡商秩函〔2026〕3号',
      body: '经核查，已责令超市整改。',
    });
    expect(ok.status).toBe(303);
    expect(await ticket(id)).toMatchObject({ status: 'resolved', closed_on: '2026-03-10' });
    const v = visitor(s.app);
    const tracked = await v.postForm('/complaints/track', { code, secret });
    expect(tracked.body).toContain('已办结-已解决（衡商秩函〔2026〕3号）');
    expect(tracked.body).toContain('对答复是否满意');
    const rated = await v.postForm('/complaints/track/rate', {
      code,
      secret,
      satisfaction: 'satisfied',
      comment: '',
    });
    expect(rated.status).toBe(200);
    expect(rated.body).toContain('已收到您的评价，谢谢。');
    expect((await ticket(id)).satisfaction).toBe('satisfied');
    const twice = await v.postForm('/complaints/track/rate', {
      code,
      secret,
      satisfaction: 'dissatisfied',
      comment: '不行',
    });
    expect(twice.status).toBe(409);
  });

  it('says 未解决 only with the reason, and 不予受理 only with the reason', async () => {
    const { id } = await assignedOn('2026-03-02');
    const noReason = await handler.post(`/admin/complaints/${id}/reply`, {
      outcome: 'unresolved',
      docNumber: '衡商秩函〔2026〕4号',
      body: '经核查，未能联系到经营者。',
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body).toContain('须写明未能解决的原因');
    const ok = await handler.post(`/admin/complaints/${id}/reply`, {
      outcome: 'unresolved',
      docNumber: '衡商秩函〔2026〕4号',
      body: '经核查，未能联系到经营者。',
      reason: '经营者已注销，无法送达',
    });
    expect(ok.status).toBe(303);
    expect(await ticket(id)).toMatchObject({
      status: 'unresolved',
      outcome_reason: '经营者已注销，无法送达',
    });

    const other = await fileByForm(s);
    expect((await dispatcher.post(`/admin/complaints/${other.id}/reject`, { reason: '' })).status).toBe(400);
    expect(
      (
        await dispatcher.post(`/admin/complaints/${other.id}/reject`, {
          reason: '已向法院起诉，不属于受理范围',
        })
      ).status,
    ).toBe(303);
    expect(await ticket(other.id)).toMatchObject({
      status: 'rejected',
      outcome_reason: '已向法院起诉，不属于受理范围',
    });
    const tracked = await visitor(s.app).postForm('/complaints/track', {
      code: other.code,
      secret: other.secret,
    });
    expect(tracked.body).toContain('不予受理。理由：已向法院起诉，不属于受理范围');
  });

  it('reopens after 不满意 with a reason, once; the second 不满意 stands', async () => {
    const { id, code, secret } = await assignedOn('2026-03-02');
    const reply = (n: number) =>
      handler.post(`/admin/complaints/${id}/reply`, {
        outcome: 'resolved',
        docNumber: `衡商秩函〔2026〕${n}号`,
        body: '经核查，已责令超市整改。',
      });
    expect((await reply(10)).status).toBe(303);
    const v = visitor(s.app);
    const noReason = await v.postForm('/complaints/track/rate', {
      code,
      secret,
      satisfaction: 'dissatisfied',
      comment: '',
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body).toMatch(/id="f-comment-error">选择“不满意”时请写明原因/);
    const reopened = await v.postForm('/complaints/track/rate', {
      code,
      secret,
      satisfaction: 'dissatisfied',
      comment: '超市仍在违规发卡',
    });
    expect(reopened.status).toBe(200);
    expect(reopened.body).toContain('已重新交承办科室办理');
    expect(await ticket(id)).toMatchObject({
      status: 'assigned',
      reopen_count: 1,
      satisfaction: null,
      closed_on: null,
    });
    expect((await reply(11)).status).toBe(303);
    const last = await v.postForm('/complaints/track/rate', {
      code,
      secret,
      satisfaction: 'dissatisfied',
      comment: '还是没有改',
    });
    expect(last.status).toBe(200);
    expect(await ticket(id)).toMatchObject({
      status: 'resolved',
      reopen_count: 1,
      satisfaction: 'dissatisfied',
    });
    const events = await s.database.db
      .selectFrom('complaint_events')
      .select('action')
      .where('complaint_id', '=', id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['file', 'assign', 'resolve', 'reopen', 'resolve', 'rate']);
  });

  it('moves only along the transition table, and two dispatchers cannot both accept one ticket', async () => {
    for (const t of Object.values(TRANSITIONS)) {
      for (const f of t.from) expect(STATUSES).toContain(f);
      expect(STATUSES).toContain(t.to);
    }
    const { id } = await fileByForm(s);
    const early = await handler.post(`/admin/complaints/${id}/reply`, {
      outcome: 'resolved',
      docNumber: '1号',
      body: '经核查，已经处理完毕了。',
    });
    expect(early.status).toBe(403); // not the office's yet
    const both = await Promise.all([
      dispatcher.post(`/admin/complaints/${id}/assign`, { officeId: String(office.zhixu), reason: '' }),
      coordinator.post(`/admin/complaints/${id}/reject`, { reason: '重复反映' }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([303, 409]);
  });
});
