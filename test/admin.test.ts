import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../src/modules/audit/audit.repo.ts';
import { createTestApp, type TestApp } from './helpers.ts';
import { type Browser, createStaff, loginAs } from './staff-helpers.ts';

/** The staff back office through its forms: propose, review, publish; refusals; users; audit. */

let t: TestApp;
let editor: Browser;
let reviewer: Browser;
let admin: Browser;
const ids = {
  waishi: 0,
  caiwu: 0,
  ownItem: 0,
  ownDuty: 0,
  foreignItem: 0,
  foreignDuty: 0,
  foreignService: 0,
};

const workItemByText = (text: string) =>
  t.database.db
    .selectFrom('work_items')
    .select(['id', 'duty_id'])
    .where('text', '=', text)
    .executeTakeFirstOrThrow();
const officeId = async (name: string) =>
  (await t.database.db.selectFrom('offices').select('id').where('name', '=', name).executeTakeFirstOrThrow())
    .id;
const setIdOf = (location: string | undefined) => Number(/\/admin\/changes\/(\d+)/.exec(location ?? '')?.[1]);
const countRows = async (table: 'change_sets' | 'change_items') =>
  Number(
    (
      await t.database.db
        .selectFrom(table)
        .select((e) => e.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  await createStaff(t.database, 'admin1', 'admin');
  await createStaff(t.database, 'waishi', 'editor', ['外事科']);
  await createStaff(t.database, 'leader', 'reviewer');
  await createStaff(t.database, 'audit1', 'auditor');
  [editor, reviewer, admin] = await Promise.all([
    loginAs(t.app, 'waishi'),
    loginAs(t.app, 'leader'),
    loginAs(t.app, 'admin1'),
  ]);
  ids.waishi = await officeId('外事科');
  ids.caiwu = await officeId('财务科');
  const own = await workItemByText('负责我市对外交往工作');
  ids.ownItem = own.id;
  ids.ownDuty = own.duty_id;
  const foreign = await workItemByText('负责定点扶贫、对口援助资金管理工作');
  ids.foreignItem = foreign.id;
  ids.foreignDuty = foreign.duty_id;
  ids.foreignService = (
    await t.database.db
      .selectFrom('public_services')
      .select('id')
      .where('name', '=', '中央和省市商务促进财政政策培训和宣讲')
      .executeTakeFirstOrThrow()
  ).id;
});
afterAll(async () => {
  await t?.close();
});

describe('proposing, reviewing and publishing through the forms', () => {
  it('publishes an editor’s change only after review, then shows it on the portal, the API and 调整记录', async () => {
    const form = await editor.get(`/admin/changes/new/item?entity=workItem&op=update&target=${ids.ownItem}`);
    expect(form.status).toBe(200);
    expect(form.body).toContain('负责我市对外交往工作');
    expect(form.body).toContain('调整依据');

    const created = await editor.post('/admin/changes/new/item', {
      entity: 'workItem',
      op: 'update',
      target: String(ids.ownItem),
      title: '调整对外交往职责表述',
      reason: '依据市委外办〔2026〕5号通知',
      dutyId: String(ids.ownDuty),
      text: '负责我市对外交往与友好合作工作',
      officeIds: String(ids.waishi),
      remark: '',
    });
    expect(created.status).toBe(303);
    const setId = setIdOf(created.location);
    expect(created.location).toBe(`/admin/changes/${setId}?done=created`);

    const page = await editor.get(created.location!);
    expect(page.body).toContain('调整单已创建');
    expect(page.body).toContain('依据市委外办〔2026〕5号通知');
    expect(page.body).toMatch(/具体工作事项[\s\S]*负责我市对外交往工作[\s\S]*负责我市对外交往与友好合作工作/);
    expect(page.body).toContain('提交审核');

    const apiText = async () =>
      (await t.app.inject({ method: 'GET', url: `/api/v1/work-items/${ids.ownItem}` })).json().text as string;
    const dutyPage = async () => (await t.app.inject({ method: 'GET', url: `/duties/${ids.ownDuty}` })).body;

    expect((await editor.post(`/admin/changes/${setId}/submit`, {})).location).toBe(
      `/admin/changes/${setId}?done=submit`,
    );
    expect(await apiText()).toBe('负责我市对外交往工作');

    const dash = await reviewer.get('/admin');
    expect(dash.body).toContain('调整对外交往职责表述');
    const review = await reviewer.get(`/admin/changes/${setId}`);
    expect(review.body).toContain('审核通过');
    expect(review.body).toContain('退回');
    expect(review.body).not.toContain(`/admin/changes/${setId}/publish`);

    expect((await reviewer.post(`/admin/changes/${setId}/approve`, { comment: '同意' })).status).toBe(303);
    expect(await apiText()).toBe('负责我市对外交往工作');
    expect(await dutyPage()).not.toContain('负责我市对外交往与友好合作工作');
    expect((await t.app.inject({ method: 'GET', url: '/changes' })).body).not.toContain(
      '调整对外交往职责表述',
    );

    const pub = await reviewer.post(`/admin/changes/${setId}/publish`, {
      effectiveDate: '2026-07-01',
      confirm: 'yes',
    });
    expect(pub.location).toBe(`/admin/changes/${setId}?done=publish`);
    expect((await reviewer.get(pub.location!)).body).toContain('已发布');
    expect(await apiText()).toBe('负责我市对外交往与友好合作工作');
    expect(await dutyPage()).toContain('负责我市对外交往与友好合作工作');

    const changes = await t.app.inject({ method: 'GET', url: '/changes' });
    expect(changes.statusCode).toBe(200);
    expect(changes.body).toContain('调整对外交往职责表述');
    expect(changes.body).toContain('2026-07-01');
    expect(changes.body).toContain('审计链头哈希');
    const head = await t.database.db.selectFrom('audit_head').select('hash').executeTakeFirstOrThrow();
    expect(changes.body).toContain(head.hash);

    const diff = await t.app.inject({ method: 'GET', url: '/changes/diff' });
    expect(diff.statusCode).toBe(200);
    expect(diff.body).toContain('第 1 版 → 第 2 版');
    expect(diff.body).toMatch(/具体工作事项[\s\S]*负责我市对外交往工作[\s\S]*负责我市对外交往与友好合作工作/);
    const explicit = await t.app.inject({ method: 'GET', url: '/changes/diff?from=2&to=1' });
    expect(explicit.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/changes/diff?from=1&to=99' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/changes/diff?from=abc' })).statusCode).toBe(400);
  });

  it('requires a comment to return a set, and shows the comment to the author', async () => {
    const created = await editor.post('/admin/changes', { title: '补充备注', reason: '内部整改意见' });
    const setId = setIdOf(created.location);
    const added = await editor.post(`/admin/changes/${setId}/items`, {
      entity: 'workItem',
      op: 'update',
      target: String(ids.ownItem),
      dutyId: String(ids.ownDuty),
      text: '负责我市对外交往与友好合作工作',
      officeIds: String(ids.waishi),
      remark: '新增备注',
    });
    expect(added.location).toBe(`/admin/changes/${setId}?done=added`);
    await editor.post(`/admin/changes/${setId}/submit`, {});

    const refused = await reviewer.post(`/admin/changes/${setId}/return`, { comment: '   ' });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('退回时请填写意见');
    const returned = await reviewer.post(`/admin/changes/${setId}/return`, { comment: '备注请写明依据' });
    expect(returned.status).toBe(303);

    const page = await editor.get(`/admin/changes/${setId}`);
    expect(page.body).toContain('已退回');
    expect(page.body).toContain('备注请写明依据');
    expect((await editor.get('/admin')).body).toContain('补充备注');
    expect(page.body).toContain('删除此项修改');
  });

  it('keeps what was typed when the form is refused, with the reason in Chinese', async () => {
    const before = await countRows('change_sets');
    const res = await editor.post('/admin/changes/new/item', {
      entity: 'workItem',
      op: 'create',
      title: '新增外事工作事项',
      reason: '',
      dutyId: String(ids.ownDuty),
      text: '承办友城交流年会',
      officeIds: String(ids.waishi),
      remark: '每年一次',
    });
    expect(res.status).toBe(400);
    expect(res.body).toContain('调整依据不能为空');
    expect(res.body).toContain('新增外事工作事项');
    expect(res.body).toContain('承办友城交流年会');
    expect(res.body).toContain('每年一次');
    expect(res.body).toMatch(/value="\d+" checked/);
    expect(await countRows('change_sets')).toBe(before);

    const noOffice = await editor.post('/admin/changes/new/item', {
      entity: 'workItem',
      op: 'create',
      title: '新增外事工作事项',
      reason: '市委外办通知',
      dutyId: String(ids.ownDuty),
      text: '承办友城交流年会',
    });
    expect(noOffice.status).toBe(400);
    expect(noOffice.body).toContain('请至少选择一个责任科室');
    expect(noOffice.body).toContain('市委外办通知');
    expect(await countRows('change_sets')).toBe(before);

    const emptySet = await editor.post('/admin/changes', { title: '', reason: '有依据' });
    expect(emptySet.status).toBe(400);
    expect(emptySet.body).toContain('标题不能为空');
    expect(emptySet.body).toContain('有依据');
  });

  it('lets the author delete one item and withdraw the set', async () => {
    const created = await editor.post('/admin/changes', { title: '临时调整', reason: '测试撤回' });
    const setId = setIdOf(created.location);
    await editor.post(`/admin/changes/${setId}/items`, {
      entity: 'workItem',
      op: 'retire',
      target: String(ids.ownItem),
    });
    const item = await t.database.db
      .selectFrom('change_items')
      .select('id')
      .where('change_set_id', '=', setId)
      .executeTakeFirstOrThrow();
    const del = await editor.post(`/admin/changes/${setId}/items/${item.id}/delete`, {});
    expect(del.location).toBe(`/admin/changes/${setId}?done=removed`);
    const empty = await editor.get(`/admin/changes/${setId}`);
    expect(empty.body).toContain('调整单中还没有修改');
    expect(empty.body).not.toContain(`/admin/changes/${setId}/submit`);
    expect((await editor.post(`/admin/changes/${setId}/submit`, {})).status).toBe(400);
    expect((await editor.post(`/admin/changes/${setId}/withdraw`, { confirm: 'yes' })).location).toBe(
      `/admin/changes/${setId}?done=withdraw`,
    );
    const list = await editor.get('/admin/changes?status=withdrawn');
    expect(list.body).toContain('临时调整');
    expect((await editor.get('/admin/changes?status=draft')).body).not.toContain('临时调整');
  });

  it('lets an admin add a work item, an office and a boundary share, and a reviewer publish them', async () => {
    const matter = await t.database.db
      .selectFrom('boundary_matters')
      .select('id')
      .orderBy('seq')
      .executeTakeFirstOrThrow();
    const dept = await t.database.db
      .selectFrom('departments')
      .select('id')
      .where('name', '=', '市市场监管局')
      .executeTakeFirst();
    const anyDept =
      dept ?? (await t.database.db.selectFrom('departments').select('id').executeTakeFirstOrThrow());
    const created = await admin.post('/admin/changes', { title: '机构调整', reason: '市编办〔2026〕1号' });
    const setId = setIdOf(created.location);
    const forms: Array<Record<string, string | string[]>> = [
      { entity: 'office', op: 'create', name: '数字商务科', aliases: '数字科、电子商务科' },
      {
        entity: 'share',
        op: 'create',
        matterId: String(matter.id),
        departmentId: String(anyDept.id),
        text: '负责数字消费监测',
      },
      {
        entity: 'service',
        op: 'create',
        name: '跨境电商政策咨询',
        content: '提供跨境电商政策解读',
        officeIds: [String(ids.waishi), String(ids.caiwu)],
        phones: '2156789、0318-2156790',
      },
    ];
    for (const form of forms) {
      const res = await admin.post(`/admin/changes/${setId}/items`, form);
      expect(res.status, res.body.slice(0, 500)).toBe(303);
    }
    const page = await admin.get(`/admin/changes/${setId}`);
    expect(page.body).toContain('新增内设科室');
    expect(page.body).toContain('数字科、电子商务科');
    expect(page.body).toContain('外事科、财务科');
    await admin.post(`/admin/changes/${setId}/submit`, {});
    expect((await admin.post(`/admin/changes/${setId}/approve`, {})).status).toBe(403);
    expect((await reviewer.post(`/admin/changes/${setId}/approve`, {})).status).toBe(303);
    expect(
      (await reviewer.post(`/admin/changes/${setId}/publish`, { effectiveDate: '', confirm: 'yes' })).status,
    ).toBe(303);
    const office = await t.database.db
      .selectFrom('offices')
      .select('id')
      .where('name', '=', '数字商务科')
      .executeTakeFirstOrThrow();
    // The published office as the public sees it: its name, its aliases, its department.
    const published = (await t.app.inject({ method: 'GET', url: `/api/v1/offices/${office.id}` })).json();
    expect(published).toMatchObject({
      name: '数字商务科',
      aliases: ['数字科', '电子商务科'],
      department: '衡水市商务局',
      isGroup: false,
    });
    const svc = await t.app.inject({ method: 'GET', url: '/services' });
    expect(svc.body).toContain('跨境电商政策咨询');
  });
});

describe('an editor of 外事科 and 财务科’s records', () => {
  const foreignForms = (): Array<{ what: string; url: string; form: Record<string, string | string[]> }> => [
    {
      what: 'update of a 财务科 work item',
      url: `/admin/changes/new/item`,
      form: {
        entity: 'workItem',
        op: 'update',
        target: String(ids.foreignItem),
        dutyId: String(ids.foreignDuty),
        text: '改掉财务科的事项',
        officeIds: String(ids.waishi),
      },
    },
    {
      what: 'retirement of a 财务科 work item',
      url: `/admin/changes/new/item`,
      form: { entity: 'workItem', op: 'retire', target: String(ids.foreignItem) },
    },
    {
      what: 'update of a 财务科 service',
      url: `/admin/changes/new/item`,
      form: {
        entity: 'service',
        op: 'update',
        target: String(ids.foreignService),
        name: '改名',
        content: '改内容',
        officeIds: String(ids.waishi),
        phones: '2123456',
      },
    },
    {
      what: 'retirement of a 财务科 service',
      url: `/admin/changes/new/item`,
      form: { entity: 'service', op: 'retire', target: String(ids.foreignService) },
    },
    {
      what: 'a new work item for 财务科',
      url: `/admin/changes/new/item`,
      form: {
        entity: 'workItem',
        op: 'create',
        dutyId: String(ids.foreignDuty),
        text: '替财务科新增',
        officeIds: String(ids.caiwu),
      },
    },
    {
      what: 'a new service for 财务科 and 外事科',
      url: `/admin/changes/new/item`,
      form: {
        entity: 'service',
        op: 'create',
        name: '新服务',
        content: '内容',
        officeIds: [String(ids.waishi), String(ids.caiwu)],
        phones: '2123456',
      },
    },
    {
      what: 'moving an own work item to 财务科',
      url: `/admin/changes/new/item`,
      form: {
        entity: 'workItem',
        op: 'update',
        target: String(ids.ownItem),
        dutyId: String(ids.ownDuty),
        text: '负责我市对外交往与友好合作工作',
        officeIds: String(ids.caiwu),
      },
    },
    {
      what: 'an invalid update of a 财务科 work item (403 before validation)',
      url: `/admin/changes/new/item`,
      form: { entity: 'workItem', op: 'update', target: String(ids.foreignItem), text: '' },
    },
    {
      what: 'a duty (department-level record)',
      url: `/admin/changes/new/item`,
      form: { entity: 'duty', op: 'create', seq: '99', text: '新职责' },
    },
  ];

  it('gets 403 from every form, in a new set and in an existing one, and nothing is stored', async () => {
    const draft = await editor.post('/admin/changes', { title: '外事科草稿', reason: '测试' });
    const setId = setIdOf(draft.location);
    const sets = await countRows('change_sets');
    const items = await countRows('change_items');
    for (const c of foreignForms()) {
      const fresh = await editor.post(c.url, { title: '越权', reason: '测试', ...c.form });
      expect(fresh.status, c.what).toBe(403);
      expect(fresh.body, c.what).toContain('无权');
      const existing = await editor.post(`/admin/changes/${setId}/items`, c.form);
      expect(existing.status, c.what).toBe(403);
    }
    expect(await countRows('change_sets')).toBe(sets);
    expect(await countRows('change_items')).toBe(items);
  });

  it('gets 403 for the forms of 财务科’s records, and sees only its own records', async () => {
    for (const q of [
      `entity=workItem&op=update&target=${ids.foreignItem}`,
      `entity=workItem&op=retire&target=${ids.foreignItem}`,
      `entity=service&op=update&target=${ids.foreignService}`,
      `entity=service&op=retire&target=${ids.foreignService}`,
      `entity=duty&op=create`,
      `entity=office&op=update&target=${ids.caiwu}`,
    ]) {
      expect((await editor.get(`/admin/changes/new/item?${q}`)).status, q).toBe(403);
    }
    const records = await editor.get('/admin/records');
    expect(records.status).toBe(200);
    expect(records.body).toContain('负责处理市委外事工作委员会办公室日常事务');
    expect(records.body).not.toContain('负责定点扶贫、对口援助资金管理工作');
    expect(records.body).not.toContain('新增主要职责');
    const adminRecords = await admin.get('/admin/records');
    expect(adminRecords.body).toContain('负责定点扶贫、对口援助资金管理工作');
    expect(adminRecords.body).toContain('新增主要职责');
    expect(adminRecords.body).toContain('新增职责分工');
  });

  it('cannot see, change or submit another user’s change set', async () => {
    const other = await admin.post('/admin/changes', { title: '管理员的调整单', reason: '测试' });
    const setId = setIdOf(other.location);
    expect((await editor.get(`/admin/changes/${setId}`)).status).toBe(403);
    expect((await editor.post(`/admin/changes/${setId}/submit`, {})).status).toBe(403);
    expect(
      (
        await editor.post(`/admin/changes/${setId}/items`, {
          entity: 'workItem',
          op: 'retire',
          target: String(ids.ownItem),
        })
      ).status,
    ).toBe(403);
    expect((await editor.get('/admin/changes')).body).not.toContain('管理员的调整单');
  });
});

describe('users and the audit trail', () => {
  it('lets an admin create an editor bound to an office, keeping input on a refusal', async () => {
    const weak = await admin.post('/admin/users', {
      username: 'new.editor',
      displayName: '张三',
      role: 'editor',
      officeIds: String(ids.caiwu),
      password: 'short',
    });
    expect(weak.status).toBe(400);
    expect(weak.body).toContain('密码至少需要 10 个字符');
    expect(weak.body).toContain('value="new.editor"');
    expect(weak.body).toContain('张三');
    const ok = await admin.post('/admin/users', {
      username: 'new.editor',
      displayName: '张三',
      role: 'editor',
      officeIds: String(ids.caiwu),
      password: 'a-good-password-7',
    });
    expect(ok.location).toBe('/admin/users?done=user-created');
    const list = await admin.get(ok.location!);
    expect(list.body).toContain('用户已创建');
    expect(list.body).toMatch(/new\.editor[\s\S]*张三[\s\S]*科室编辑[\s\S]*财务科/);
    await loginAs(t.app, 'new.editor', 'a-good-password-7');
    const dup = await admin.post('/admin/users', {
      username: 'new.editor',
      role: 'auditor',
      password: 'a-good-password-7',
    });
    expect(dup.status).toBe(409);
    expect(dup.body).toContain('已存在');
  });

  it('keeps the audit chain whole when several people log in at the same moment', async () => {
    await Promise.all(['admin1', 'leader', 'waishi', 'audit1'].map((u) => loginAs(t.app, u)));
    const page = await (await loginAs(t.app, 'audit1')).get('/admin/audit');
    expect(page.body).toContain('审计链校验通过');
  });

  it('shows the audit trail newest first with the chain verified, and names a tampered entry', async () => {
    // More than one page of entries.
    await t.database.db.transaction().execute(async (tx) => {
      for (let i = 0; i < 60; i++)
        await appendAudit(tx, { actor: { id: null, name: 'test' }, action: 'x', entity: 'y', after: { i } });
    });
    const auditor = await loginAs(t.app, 'audit1');
    const page = await auditor.get('/admin/audit');
    expect(page.status).toBe(200);
    expect(page.body).toContain('审计链校验通过');
    const seqs = [...page.body.matchAll(/<td data-label="序号">(\d+)<\/td>/g)].map((m) => Number(m[1]));
    expect(seqs.length).toBe(50);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    const head = await t.database.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow();
    expect(seqs[0]).toBe(head.seq);
    expect((await auditor.get('/admin/audit?page=2')).body).toContain('第 2 /');

    await t.database.db
      .updateTable('audit_log')
      .set({ actor: 'someone-else' })
      .where('seq', '=', 3)
      .execute();
    const bad = await auditor.get('/admin/audit');
    expect(bad.body).toContain('审计链校验失败');
    expect(bad.body).toContain('第 3 条审计记录');
  });
});
