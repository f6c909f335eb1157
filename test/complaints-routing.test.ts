import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_DOCUMENT_PATH } from '../src/bundled.ts';
import { createComplaintsApp, fileByForm, visitor } from './complaints-helpers.ts';
import { type Browser, createStaff, loginAs } from './staff-helpers.ts';
import type { SharedApp } from './token-helpers.ts';

/**
 * Routing by the lists (issue 12 part 2): on intake the resolver proposes a department, an office
 * and the sentence that decides; the dispatcher confirms or corrects (a correction is a labelled
 * example, exported by `zhize complaints examples`); another department's matter becomes a 转办
 * citing the boundary share; a matter in no list says so. The expected routes are read from the
 * source document, not typed into the code.
 */

let s: SharedApp;
let dispatcher: Browser;
const source = readFileSync(BUNDLED_DOCUMENT_PATH, 'utf8');
/** The text between the quotation marks of a sentence, without trailing punctuation. */
const quoted = (reason: string) => [...reason.matchAll(/“([^”]+)”/g)].map((m) => m[1]!);

beforeAll(async () => {
  s = await createComplaintsApp();
  await createStaff(s.database, 'dispatcher', 'reviewer');
  dispatcher = await loginAs(s.app, 'dispatcher');
});
afterAll(async () => {
  await s?.close();
});

const routings = (id: number) =>
  s.database.db
    .selectFrom('complaint_routings as r')
    .leftJoin('departments as d', 'd.id', 'r.department_id')
    .leftJoin('offices as o', 'o.id', 'r.office_id')
    .leftJoin('boundary_matters as m', 'm.id', 'r.matter_id')
    .select([
      'r.action',
      'd.name as department',
      'o.name as office',
      'r.reason',
      'r.transfer',
      'r.no_match',
      'r.share_text',
      'm.seq as matterSeq',
      'r.note',
    ])
    .where('r.complaint_id', '=', id)
    .orderBy('r.id')
    .execute();

describe('a public 投诉 about a prepaid card', () => {
  it('is proposed to 市场秩序和政策法规科 with the sentence of the boundary list, and the dispatcher confirms it', async () => {
    const { id, page } = await fileByForm(s, {
      kind: 'complaint',
      description: '投诉：某超市发行的购物卡违规发卡，单张面值超过5000元。',
    });
    expect(page).toContain('市场秩序和政策法规科');
    const [proposal] = await routings(id);
    expect(proposal).toMatchObject({
      action: 'proposed',
      department: '衡水市商务局',
      office: '市场秩序和政策法规科',
      transfer: 0,
    });
    expect(proposal!.matterSeq).toBe(2);
    expect(proposal!.reason).toContain('职责边界清单“单用途商业预付卡管理工作”');
    // The cited words are the document's (matter 2, 单用途商业预付卡管理工作).
    const cited = quoted(proposal!.reason!).filter((q) => q !== '单用途商业预付卡管理工作');
    expect(cited.length).toBeGreaterThan(0);
    for (const q of cited) expect(source).toContain(q);

    const office = await s.database.db
      .selectFrom('offices')
      .select('id')
      .where('name', '=', '市场秩序和政策法规科')
      .executeTakeFirstOrThrow();
    const detail = await dispatcher.get(`/admin/complaints/${id}`);
    expect(detail.body).toContain('按职责清单的分派建议');
    expect(detail.body).toMatch(new RegExp(`<option value="${office.id}" selected`));
    const res = await dispatcher.post(`/admin/complaints/${id}/assign`, {
      officeId: String(office.id),
      reason: '',
    });
    expect(res.status, res.body.slice(0, 300)).toBe(303);
    const after = await routings(id);
    expect(after.map((r) => r.action)).toEqual(['proposed', 'confirmed']);
    const t = await s.database.db
      .selectFrom('complaints')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(t).toMatchObject({ status: 'assigned', office_id: office.id, assigned_on: '2026-03-02' });
  });
});

describe('a 举报 about 药店开办', () => {
  it('becomes a 转办 to 市市场监督管理局 citing boundary matter 1 and its share', async () => {
    const { id, code, secret } = await fileByForm(s, {
      kind: 'report',
      description: '举报：小区旁边新开的药店没有经过审批就开办营业了。',
    });
    const [proposal] = await routings(id);
    expect(proposal).toMatchObject({
      action: 'proposed',
      department: '市市场监督管理局',
      office: null,
      transfer: 1,
      matterSeq: 1,
    });
    // 市市场监督管理局's share of matter 1 as the document writes it.
    expect(source).toContain(`市市场监督管理局\n\t${proposal!.share_text}`);
    expect(proposal!.share_text).toBe('负责药品流通准入和质量管理');
    for (const q of quoted(proposal!.reason!).filter((x) => x !== '药品流通行业管理'))
      expect(source).toContain(q);

    const share = await s.database.db
      .selectFrom('boundary_shares')
      .select('id')
      .where('text', '=', proposal!.share_text!)
      .executeTakeFirstOrThrow();
    const detail = await dispatcher.get(`/admin/complaints/${id}`);
    expect(detail.body).toContain('其他部门的职责：应转办');
    expect(detail.body).toMatch(new RegExp(`<option value="${share.id}" selected`));
    const res = await dispatcher.post(`/admin/complaints/${id}/transfer`, {
      shareId: String(share.id),
      reason: '',
    });
    expect(res.status, res.body.slice(0, 300)).toBe(303);
    const last = (await routings(id)).at(-1)!;
    expect(last).toMatchObject({
      action: 'transferred',
      department: '市市场监督管理局',
      transfer: 1,
      matterSeq: 1,
    });
    expect(last.reason).toBe(
      '职责边界清单第 1 项“药品流通行业管理”中，市市场监督管理局的职责分工是：“负责药品流通准入和质量管理”。',
    );
    const t = await s.database.db
      .selectFrom('complaints')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(t).toMatchObject({ status: 'transferred', closed_on: '2026-03-02' });
    // The person sees the 转办 and where it went.
    const tracked = await visitor(s.app).postForm('/complaints/track', { code, secret });
    expect(tracked.body).toContain('已转办');
    expect(tracked.body).toContain('转办至');
    expect(tracked.body).toContain('市市场监督管理局');
  });
});

describe('a matter in no list', () => {
  it('says so instead of guessing', async () => {
    const { id, page } = await fileByForm(s, {
      kind: 'enquiry',
      description: '咨询：孩子上户口需要带哪些材料，到哪里办理户口登记？',
    });
    expect(page).toContain('职责清单中没有对应的事项');
    const [proposal] = await routings(id);
    expect(proposal).toMatchObject({ action: 'proposed', department: null, office: null, no_match: 1 });
    expect(proposal!.reason).toMatch(/职责清单中没有对应的事项.*12345|职责清单中没有对应的事项.*通常由/);
    const detail = await dispatcher.get(`/admin/complaints/${id}`);
    expect(detail.body).toContain('清单中没有对应的事项');
  });
});

describe('a dispatcher’s correction', () => {
  it('needs a reason, is stored as a labelled example and is exported by zhize complaints examples', async () => {
    const { id, code } = await fileByForm(s, {
      kind: 'complaint',
      description: '投诉：某超市发行的购物卡违规发卡，单张面值超过5000元。',
    });
    const other = await s.database.db
      .selectFrom('offices')
      .select(['id', 'name'])
      .where('name', '=', '市场运行和消费促进科')
      .executeTakeFirstOrThrow();
    const refused = await dispatcher.post(`/admin/complaints/${id}/assign`, {
      officeId: String(other.id),
      reason: '',
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('请填写更正分派的理由');
    expect(refused.body).toMatch(new RegExp(`<option value="${other.id}" selected`));
    const ok = await dispatcher.post(`/admin/complaints/${id}/assign`, {
      officeId: String(other.id),
      reason: '属于消费促进活动中的预付卡宣传',
    });
    expect(ok.status).toBe(303);
    expect((await routings(id)).at(-1)).toMatchObject({
      action: 'corrected',
      office: '市场运行和消费促进科',
      note: '属于消费促进活动中的预付卡宣传',
    });

    const json = await s.cli('complaints', 'examples');
    expect(json.code).toBe(0);
    const examples = JSON.parse(json.out);
    expect(examples).toContainEqual(
      expect.objectContaining({
        code,
        kind: 'complaint',
        question: '投诉：某超市发行的购物卡违规发卡，单张面值超过5000元。',
        proposedDepartment: '衡水市商务局',
        proposedOffice: '市场秩序和政策法规科',
        department: '衡水市商务局',
        office: '市场运行和消费促进科',
        transfer: false,
        labelledBy: 'dispatcher',
      }),
    );
    // Confirmations are no examples.
    expect(examples.every((e: { note: string | null }) => e.note !== null)).toBe(true);
    const csv = await s.cli('complaints', 'examples', '--format', 'csv');
    expect(csv.out.split('\n')[0]).toBe(
      'code,kind,question,proposedDepartment,proposedOffice,department,office,transfer,note,labelledBy,labelledAt',
    );
    expect(csv.out).toContain(`${code},complaint,`);
  });
});
