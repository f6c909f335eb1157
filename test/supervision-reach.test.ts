import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGIME_RULES } from '../src/modules/supervision/index.ts';
import { createPlan } from '../src/modules/supervision/plans/plan.service.ts';
import { REGIME_OFFICES } from '../src/modules/supervision/rules/regime-offices.ts';
import { createTestApp, type TestApp } from './helpers.ts';
import { type Browser, createStaff, loginAs } from './staff-helpers.ts';
import { entityCsv, makeUscc, text, uploadEntities } from './supervision-helpers.ts';

/**
 * What an editor may do in supervision is narrowed to what their offices own (shared/reach.ts,
 * rules/regime-offices.ts): the 外事科 editor, whose office runs no regime, maintains nothing and
 * sees no inspector's name; the 市场秩序和政策法规科 editor maintains suppliers and retailers
 * (regime 8) and prepaid-card issuers (regime 7), not pawnshops (regime 5), and only their own
 * office's inspectors. Irreversible plan actions ask for confirmation, cancelling for a reason.
 */

const SOURCE = readFileSync(new URL('../data-bundled/source.txt', import.meta.url), 'utf8').split('\n');

let t: TestApp;
let admin: Browser;
let waishi: Browser;
let orderEditor: Browser;
let reviewer: Browser;
let reviewerUser: Awaited<ReturnType<typeof createStaff>>;
const office: Record<string, number> = {};
let serial = 0;

const officeId = async (name: string) =>
  (await t.database.db.selectFrom('offices').select('id').where('name', '=', name).executeTakeFirstOrThrow())
    .id;

const entityCount = async () =>
  Number(
    (
      await t.database.db
        .selectFrom('regulated_entities')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const entityForm = (name: string, categories: string[]) => ({
  name,
  uscc: makeUscc(5000 + ++serial),
  categories,
  county: '1',
  status: 'active',
});

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  await createStaff(t.database, 'r_admin', 'admin');
  await createStaff(t.database, 'r_waishi', 'editor', ['外事科']);
  await createStaff(t.database, 'r_order', 'editor', ['市场秩序和政策法规科']);
  reviewerUser = await createStaff(t.database, 'r_reviewer', 'reviewer');
  admin = await loginAs(t.app, 'r_admin');
  waishi = await loginAs(t.app, 'r_waishi');
  orderEditor = await loginAs(t.app, 'r_order');
  reviewer = await loginAs(t.app, 'r_reviewer');
  for (const name of ['市场秩序和政策法规科', '流通业发展服务贸易和市场体系建设科'])
    office[name] = await officeId(name);
  // One inspector of each office, added by the admin.
  for (const [name, cert, of] of [
    ['欧阳秩序', 'R-0001', '市场秩序和政策法规科'],
    ['司马流通', 'R-0002', '流通业发展服务贸易和市场体系建设科'],
  ] as const) {
    const r = await admin.post('/admin/supervision/inspectors', {
      name,
      certificateNo: cert,
      officeId: String(office[of]),
      countyId: '',
      username: '',
      active: '1',
    });
    expect(r.status, text(r.body)).toBe(303);
  }
});

afterAll(async () => {
  await t?.close();
});

describe('which office runs each regime (data with its citation)', () => {
  it('covers all fifteen regimes', () => {
    expect(REGIME_OFFICES.map((r) => r.regime).sort((a, b) => a - b)).toEqual(REGIME_RULES.map((r) => r.seq));
  });

  it.each(REGIME_OFFICES.filter((r) => r.citation !== null))(
    'regime $regime: the cited work item is on its line and names the office below it',
    ({ citation, offices }) => {
      const line = SOURCE[citation!.line - 1]!;
      expect(line).toContain(citation!.quote);
      // The 责任科室 cell follows the work item within a few lines (the table's next cell).
      const below = SOURCE.slice(citation!.line, citation!.line + 6).join('\n');
      for (const name of offices) expect(below).toContain(name);
    },
  );

  it('leaves the regimes no work item covers without an office (only admins maintain them)', () => {
    const none = REGIME_OFFICES.filter((r) => r.citation === null);
    expect(none.map((r) => r.regime)).toEqual([2, 3]);
    for (const r of none) expect(r.offices).toEqual([]);
  });
});

describe('an editor whose office runs no regime (外事科)', () => {
  it('may not open the add or import pages, nor download the templates', async () => {
    for (const url of [
      '/admin/supervision/entities/new',
      '/admin/supervision/entities/import',
      '/admin/supervision/entities/template.csv',
    ]) {
      const res = await waishi.get(url);
      expect(res.status, url).toBe(403);
      expect(text(res.body)).toContain('不负责任何监管制度');
    }
  });

  it('cannot import into the entity register, and nothing is written', async () => {
    const before = await entityCount();
    const res = await uploadEntities(t.app, waishi, {
      filename: 'x.csv',
      data: entityCsv([['外事科导入公司', makeUscc(4001), '供应商', '景县', '', '', '', '', '']]),
    });
    expect(res.status).toBe(403);
    expect(await entityCount()).toBe(before);
  });

  it('sees the register but no add or import buttons', async () => {
    const res = await waishi.get('/admin/supervision/entities');
    expect(res.status).toBe(200);
    expect(res.body).not.toContain('href="/admin/supervision/entities/new"');
    expect(res.body).not.toContain('href="/admin/supervision/entities/import"');
  });

  it("sees inspectors' certificate numbers but not their names", async () => {
    const list = await waishi.get('/admin/supervision/inspectors');
    expect(list.status).toBe(200);
    expect(list.body).toContain('R-0001');
    expect(list.body).not.toContain('欧阳秩序');
    expect(list.body).not.toContain('司马流通');
    expect(text(list.body)).toContain('欧***');
    const seen = await admin.get('/admin/supervision/inspectors');
    expect(seen.body).toContain('欧阳秩序');
  });
});

describe('an editor of 市场秩序和政策法规科 (regimes 1, 7, 8)', () => {
  it('adds a supplier (regime 8), but not a pawnshop (regime 5): the form says which categories are theirs', async () => {
    const ok = await orderEditor.post(
      '/admin/supervision/entities',
      entityForm('某供应商有限公司', ['supplier']),
    );
    expect(ok.status, text(ok.body)).toBe(303);
    const before = await entityCount();
    const refused = await orderEditor.post('/admin/supervision/entities', entityForm('某典当行', ['pawn']));
    expect(refused.status).toBe(400);
    const body = text(refused.body);
    expect(body).toContain('“典当”不属于您所在科室负责的监管制度');
    expect(body).toContain('单用途预付卡发卡');
    expect(refused.body).toContain('value="某典当行"'); // what they typed is kept
    expect(refused.body).not.toContain('name="categories" value="pawn"');
    expect(await entityCount()).toBe(before);
  });

  it('is offered only their categories on the form', async () => {
    const form = await orderEditor.get('/admin/supervision/entities/new');
    expect(form.status).toBe(200);
    expect(form.body).toContain('value="supplier"');
    expect(form.body).not.toContain('value="pawn"');
  });

  it('has an import row outside their categories refused with the row and the category named', async () => {
    const before = await entityCount();
    const res = await uploadEntities(t.app, orderEditor, {
      filename: 'mixed.csv',
      data: entityCsv([
        ['某零售商', makeUscc(4101), '零售商', '景县', '', '', '', '', ''],
        ['某拍卖行', makeUscc(4102), '拍卖', '景县', '', '', '', '', ''],
      ]),
    });
    expect(res.status).toBe(400);
    const body = text(res.body);
    expect(body).toContain('第 3 行');
    expect(body).toContain('“拍卖”不属于您所在科室负责的监管制度');
    expect(await entityCount()).toBe(before);
  });

  it("may not edit another office's entity (403), and keeps another office's category when editing theirs", async () => {
    const pawn = await admin.post('/admin/supervision/entities', entityForm('某典当拍卖公司', ['pawn']));
    expect(pawn.status).toBe(303);
    const pawnId = Number(/entities\/(\d+)/.exec(pawn.location!)![1]);
    const page = await orderEditor.get(`/admin/supervision/entities/${pawnId}`);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('保存修改');
    const edit = await orderEditor.post(
      `/admin/supervision/entities/${pawnId}`,
      entityForm('改名的典当拍卖公司', ['pawn']),
    );
    expect(edit.status).toBe(403);

    const shared = entityForm('某供应商兼典当公司', ['supplier', 'pawn']);
    const made = await admin.post('/admin/supervision/entities', shared);
    const id = Number(/entities\/(\d+)/.exec(made.location!)![1]);
    const mine = await orderEditor.get(`/admin/supervision/entities/${id}`);
    expect(mine.body).toContain('保存修改');
    expect(mine.body).toContain('<input type="hidden" name="categories" value="pawn"/>');
    expect(text(mine.body)).toContain('另有其他科室负责的类别：典当');
    const renamed = await orderEditor.post(`/admin/supervision/entities/${id}`, {
      ...shared,
      name: '改名的供应商兼典当公司',
    });
    expect(renamed.status, text(renamed.body)).toBe(303);
    const dropped = await orderEditor.post(`/admin/supervision/entities/${id}`, {
      ...shared,
      categories: ['supplier'],
    });
    expect(dropped.status).toBe(400);
    expect(text(dropped.body)).toContain('“典当”不属于您所在科室负责的监管制度，不能增删');
  });

  it("sees their office's inspectors' names only, and may edit only those", async () => {
    const list = await orderEditor.get('/admin/supervision/inspectors');
    expect(list.body).toContain('欧阳秩序');
    expect(list.body).not.toContain('司马流通');
    const ids = await t.database.db.selectFrom('inspectors').select(['id', 'certificate_no']).execute();
    const other = ids.find((i) => i.certificate_no === 'R-0002')!.id;
    const own = ids.find((i) => i.certificate_no === 'R-0001')!.id;
    const form = (name: string, cert: string, of: string) => ({
      name,
      certificateNo: cert,
      officeId: String(office[of]),
      countyId: '',
      username: '',
      active: '1',
    });
    expect(
      (
        await orderEditor.post(
          `/admin/supervision/inspectors/${other}`,
          form('改名', 'R-0002', '流通业发展服务贸易和市场体系建设科'),
        )
      ).status,
    ).toBe(403);
    // Moving their own inspector to an office not theirs is refused too.
    expect(
      (
        await orderEditor.post(
          `/admin/supervision/inspectors/${own}`,
          form('欧阳秩序', 'R-0001', '流通业发展服务贸易和市场体系建设科'),
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await orderEditor.post(
          `/admin/supervision/inspectors/${own}`,
          form('欧阳秩序', 'R-0001', '市场秩序和政策法规科'),
        )
      ).status,
    ).toBe(303);
  });
});

describe('irreversible plan actions ask for confirmation', () => {
  const draft = async () =>
    t.database.db.transaction().execute((tx) =>
      createPlan(tx, reviewerUser, {
        regimeSeq: 4,
        year: 2027,
        round: ++serial,
        ratioPercent: '50',
        minInspectors: 2,
        countyIds: [],
        riskClasses: [],
        belowMinReason: '',
      }),
    );
  const statusOf = async (id: number) =>
    (
      await t.database.db
        .selectFrom('inspection_plans')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).status;

  it('publishing the commitment without ticking the box changes nothing and says what to do', async () => {
    const id = await draft();
    const res = await reviewer.post(`/admin/supervision/plans/${id}/commit`, {});
    expect(res.status).toBe(400);
    expect(text(res.body)).toContain('请勾选“我已确认”');
    expect(await statusOf(id)).toBe('draft');
  });

  it('cancelling needs the box and a reason; the reason is kept on the form and goes into the audit', async () => {
    const id = await draft();
    const noReason = await reviewer.post(`/admin/supervision/plans/${id}/cancel`, {
      confirm: 'yes',
      reason: ' ',
    });
    expect(noReason.status).toBe(400);
    expect(text(noReason.body)).toContain('请填写理由');
    const noBox = await reviewer.post(`/admin/supervision/plans/${id}/cancel`, { reason: '与专项检查重复' });
    expect(noBox.status).toBe(400);
    expect(noBox.body).toContain('与专项检查重复');
    expect(await statusOf(id)).toBe('draft');
    const done = await reviewer.post(`/admin/supervision/plans/${id}/cancel`, {
      confirm: 'yes',
      reason: '与专项检查重复',
    });
    expect(done.status).toBe(303);
    expect(await statusOf(id)).toBe('cancelled');
    const audit = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'cancel')
      .where('entity_id', '=', String(id))
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(audit)).toContain('与专项检查重复');
  });
});

describe('the dashboard shows supervision work waiting for the person', () => {
  it('a below-minimum plan waits for a manager other than its author, never for the author or an editor', async () => {
    const other = await createStaff(t.database, 'r_reviewer2', 'reviewer');
    const second = await loginAs(t.app, 'r_reviewer2');
    const id = await t.database.db.transaction().execute((tx) =>
      createPlan(tx, reviewerUser, {
        regimeSeq: 4,
        year: 2028,
        round: 1,
        ratioPercent: '5',
        minInspectors: 2,
        countyIds: [],
        riskClasses: [],
        belowMinReason: '上半年已全覆盖检查',
      }),
    );
    const title = (
      await t.database.db
        .selectFrom('inspection_plans')
        .select('title')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).title;
    const theirs = text((await second.get('/admin')).body);
    expect(theirs).toContain('待批准的低比例抽查计划');
    expect(theirs).toContain(title);
    const author = text((await reviewer.get('/admin')).body);
    expect(author).not.toContain('待批准的低比例抽查计划');
    // An editor manages no plans: nothing of the kind waits for them.
    expect(text((await orderEditor.get('/admin')).body)).not.toContain('待批准的低比例抽查计划');
    expect(other.role).toBe('reviewer');
  });
});
