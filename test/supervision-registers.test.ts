import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/modules/auth/auth.service.ts';
import { createTestApp, type TestApp } from './helpers.ts';
import { type Browser, browser, createStaff, loginAs } from './staff-helpers.ts';
import {
  breakCheckChar,
  ENTITY_HEADER,
  entityCsv,
  makeUscc,
  text,
  uploadEntities,
} from './supervision-helpers.ts';

/** The registers of entities and inspectors through the real back office, with their guards. */

let t: TestApp;
const as: Partial<Record<Role, Browser>> = {};

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  await createStaff(t.database, 'sv_admin', 'admin');
  // An editor maintains only the categories their offices' regimes cover (shared/reach.ts): these
  // three offices run regimes 4–8, which cover every category these tests write (refined oil,
  // auction and pawn, prepaid cards, suppliers). Narrowing itself: supervision-reach.test.ts.
  await createStaff(t.database, 'sv_editor', 'editor', [
    '市场秩序和政策法规科',
    '市场运行和消费促进科',
    '流通业发展服务贸易和市场体系建设科',
  ]);
  await createStaff(t.database, 'sv_reviewer', 'reviewer');
  await createStaff(t.database, 'sv_inspector', 'inspector');
  await createStaff(t.database, 'sv_auditor', 'auditor');
  for (const role of ['admin', 'editor', 'reviewer', 'inspector', 'auditor'] as const) {
    as[role] = await loginAs(t.app, `sv_${role}`);
  }
});

afterAll(async () => {
  await t?.close();
});

const count = async (table: 'regulated_entities' | 'inspectors' | 'inspector_conflicts') =>
  Number(
    (
      await t.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('the register of regulated entities (检查对象名录库)', () => {
  it('adds an entity with a valid credit code and several categories, and records it in the audit log', async () => {
    const code = makeUscc(1, '131182');
    const res = await as.editor!.post('/admin/supervision/entities', {
      name: '深州市某石油销售有限公司',
      uscc: code.toLowerCase(),
      categories: ['refined-oil-retail', 'refined-oil-wholesale'],
      county: String(
        (
          await t.database.db
            .selectFrom('counties')
            .select('id')
            .where('name', '=', '深州市')
            .executeTakeFirstOrThrow()
        ).id,
      ),
      licenceNo: '冀油零售2025001',
      licenceValidFrom: '2025-01-01',
      licenceValidUntil: '2029-12-31',
      status: 'active',
      riskClass: 'medium',
    });
    expect(res.status).toBe(303);
    const page = await as.auditor!.get(res.location!.replace(/\?.*/, ''));
    expect(page.status).toBe(200);
    expect(page.body).toContain(code);
    const list = await as.reviewer!.get('/admin/supervision/entities?category=refined-oil-wholesale');
    expect(list.body).toContain('深州市某石油销售有限公司');
    expect(text(list.body)).toContain('成品油零售、成品油批发/仓储');
    const audit = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'regulated_entity')
      .where('action', '=', 'create')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe('sv_editor');
  });

  it('refuses a credit code with a wrong check character and says why', async () => {
    const before = await count('regulated_entities');
    const res = await as.admin!.post('/admin/supervision/entities', {
      name: '某拍卖有限公司',
      uscc: breakCheckChar(makeUscc(2)),
      categories: ['auction'],
      county: '1',
    });
    expect(res.status).toBe(400);
    expect(text(res.body)).toMatch(/统一社会信用代码：无效：第18位校验码应为\w，实际为\w/);
    expect(await count('regulated_entities')).toBe(before);
  });

  it('filters the list by category, county and status', async () => {
    const csv = entityCsv([
      ['桃城区某典当行', makeUscc(10), '典当', '桃城区', '', '', '', '正常经营', ''],
      ['冀州区某典当行', makeUscc(11, '131103'), '典当', '冀州区', '', '', '', '已注销/关闭', ''],
      ['高新区某拍卖行', makeUscc(12, '131171'), '拍卖、典当', '高新区', '', '', '', '', '高风险'],
    ]);
    expect((await uploadEntities(t.app, as.editor!, { filename: 'a.csv', data: csv })).status).toBe(200);
    const pawn = await as.editor!.get('/admin/supervision/entities?category=pawn');
    expect(text(pawn.body)).toContain('共 3 条');
    const closed = await as.editor!.get('/admin/supervision/entities?category=pawn&status=closed');
    expect(text(closed.body)).toContain('共 1 条');
    expect(closed.body).toContain('冀州区某典当行');
    const zone = await t.database.db
      .selectFrom('counties')
      .select('id')
      .where('name', '=', '衡水高新技术产业开发区')
      .executeTakeFirstOrThrow();
    const byCounty = await as.editor!.get(`/admin/supervision/entities?county=${zone.id}`);
    expect(text(byCounty.body)).toContain('共 1 条');
    expect(byCounty.body).toContain('高新区某拍卖行');
  });

  it('imports a CSV file all or nothing: one invalid credit code refuses the whole file, naming row and reason', async () => {
    const before = await count('regulated_entities');
    const rows = Array.from({ length: 20 }, (_, i) => [
      `某零售商${i}`,
      makeUscc(100 + i),
      '零售商',
      '武邑县',
      '',
      '',
      '',
      '',
      '',
    ]);
    rows[13]![1] = breakCheckChar(rows[13]![1]!);
    rows[17]![3] = '衡水县';
    const res = await uploadEntities(t.app, as.editor!, { filename: 'retail.csv', data: entityCsv(rows) });
    expect(res.status).toBe(400);
    const body = text(res.body);
    expect(body).toContain('整个文件均未导入');
    // Row numbers as a spreadsheet shows them: the heading is row 1, so data row 14 is line 15.
    expect(body).toMatch(/第 15 行 统一社会信用代码 无效：第18位校验码应为\w，实际为\w/);
    expect(body).toMatch(/第 19 行 县（市、区） 县（市、区）“衡水县”不存在/);
    expect(await count('regulated_entities')).toBe(before);
  });

  it('refuses duplicated codes within a file and a wrong heading', async () => {
    const code = makeUscc(300);
    const dup = await uploadEntities(t.app, as.editor!, {
      filename: 'dup.csv',
      data: entityCsv([
        ['甲', code, '供应商', '景县', '', '', '', '', ''],
        ['乙', code, '供应商', '景县', '', '', '', '', ''],
      ]),
    });
    expect(dup.status).toBe(400);
    expect(text(dup.body)).toContain(`第 3 行 统一社会信用代码 统一社会信用代码 ${code} 与第 2 行重复`);
    const heading = await uploadEntities(t.app, as.editor!, {
      filename: 'bad.csv',
      data: Buffer.from('名字,代码\n甲,1\n'),
    });
    expect(heading.status).toBe(400);
    expect(text(heading.body)).toContain('表头缺少“名称”列');
  });

  it('imports an Excel file made from the template, and updates entities already registered', async () => {
    const template = await t.app.inject({
      method: 'GET',
      url: '/admin/supervision/entities/template.xlsx',
      headers: {
        cookie: Object.entries(as.editor!.jar)
          .map(([k, v]) => `${k}=${v}`)
          .join('; '),
      },
    });
    expect(template.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('检查对象')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(ENTITY_HEADER);
    sheet.addRow([
      '故城县某报废机动车回收拆解有限公司',
      makeUscc(400, '131126'),
      '报废机动车回收拆解',
      '故城县',
      'BF-001',
      new Date(Date.UTC(2024, 5, 1)),
      '2026-05-31',
      '',
      '低风险',
    ]);
    sheet.addRow(['桃城区某典当行（更名）', makeUscc(10), '典当', '桃城区', '', '', '', '暂停经营', '']);
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await uploadEntities(t.app, as.admin!, {
      filename: 'entities.xlsx',
      data,
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
    expect(res.status, text(res.body)).toBe(200);
    expect(text(res.body)).toContain('新增 1 个检查对象，更新 1 个');
    const updated = await t.database.db
      .selectFrom('regulated_entities')
      .selectAll()
      .where('uscc', '=', makeUscc(10))
      .executeTakeFirstOrThrow();
    expect(updated).toMatchObject({ name: '桃城区某典当行（更名）', status: 'suspended' });
    const scrap = await t.database.db
      .selectFrom('regulated_entities')
      .selectAll()
      .where('uscc', '=', makeUscc(400, '131126'))
      .executeTakeFirstOrThrow();
    expect(scrap).toMatchObject({
      licence_valid_from: '2024-06-01',
      licence_valid_until: '2026-05-31',
      risk_class: 'A', // 低风险 is read as A since migration 009 (national classes A–D)
    });
  });

  it('refuses an Excel credit-code column stored as numbers (Excel rounds 18 digits)', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('检查对象');
    sheet.addRow(ENTITY_HEADER);
    // An 18-digit code typed into a General-format cell becomes a number.
    sheet.addRow(['某公司', Number('911311021234567890'), '供应商', '景县']);
    const res = await uploadEntities(t.app, as.admin!, {
      filename: 'numbers.xlsx',
      data: Buffer.from(await wb.xlsx.writeBuffer()),
    });
    expect(res.status).toBe(400);
    expect(text(res.body)).toContain('该单元格是数字格式');
  });

  it('offers a CSV template whose heading the importer accepts', async () => {
    const res = await as.editor!.get('/admin/supervision/entities/template.csv');
    expect(res.status).toBe(200);
    expect(res.body.replace(/^\ufeff/, '').trim()).toBe(ENTITY_HEADER.join(','));
  });
});

describe('the register of inspectors (执法检查人员名录库) and declared conflicts', () => {
  it('adds inspectors with unique certificate numbers and declares a conflict with an entity', async () => {
    const office = await t.database.db
      .selectFrom('offices')
      .select('id')
      .where('name', '=', '市场秩序和政策法规科')
      .executeTakeFirstOrThrow();
    const add = await as.editor!.post('/admin/supervision/inspectors', {
      name: '王五',
      certificateNo: '13110001',
      officeId: String(office.id),
      countyId: '',
      username: 'sv_inspector',
      active: '1',
    });
    expect(add.status).toBe(303);
    const again = await as.editor!.post('/admin/supervision/inspectors', {
      name: '赵六',
      certificateNo: '13110001',
      officeId: '',
      countyId: '',
      username: '',
      active: '1',
    });
    expect(again.status).toBe(400);
    expect(text(again.body)).toContain('执法证号 13110001 已在名录库中');
    const id = Number(/inspectors\/(\d+)/.exec(add.location!)![1]);
    const conflict = await as.editor!.post(`/admin/supervision/inspectors/${id}/conflicts`, {
      uscc: makeUscc(10),
      reason: '配偶在该企业任职',
    });
    expect(conflict.status).toBe(303);
    const page = await as.auditor!.get(`/admin/supervision/inspectors/${id}`);
    expect(text(page.body)).toContain('配偶在该企业任职');
    const unknown = await as.editor!.post(`/admin/supervision/inspectors/${id}/conflicts`, {
      uscc: makeUscc(999),
      reason: '亲属',
    });
    expect(unknown.status).toBe(400);
    expect(text(unknown.body)).toContain('不在检查对象名录库中');
    expect(await count('inspector_conflicts')).toBe(1);
    const conflictId = (
      await t.database.db.selectFrom('inspector_conflicts').select('id').executeTakeFirstOrThrow()
    ).id;
    const withdraw = await as.admin!.post(
      `/admin/supervision/inspectors/${id}/conflicts/${conflictId}/delete`,
      {},
    );
    expect(withdraw.status).toBe(303);
    expect(await count('inspector_conflicts')).toBe(0);
    const actions = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'inspector')
      .where('entity_id', '=', String(id))
      .orderBy('seq')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['create', 'declare-conflict', 'withdraw-conflict']);
  });

  it('edits an entity and keeps the previous values in the audit log', async () => {
    const entity = await t.database.db
      .selectFrom('regulated_entities')
      .selectAll()
      .where('uscc', '=', makeUscc(12, '131171'))
      .executeTakeFirstOrThrow();
    const res = await as.editor!.post(`/admin/supervision/entities/${entity.id}`, {
      name: entity.name,
      uscc: entity.uscc,
      categories: ['auction'],
      county: String(entity.county_id),
      status: 'revoked',
      riskClass: 'high',
    });
    expect(res.status).toBe(303);
    const after = await t.database.db
      .selectFrom('regulated_entities')
      .selectAll()
      .where('id', '=', entity.id)
      .executeTakeFirstOrThrow();
    expect(after.status).toBe('revoked');
    const audit = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'regulated_entity')
      .where('action', '=', 'update')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.before!)).toMatchObject({ status: 'active', categories: ['auction', 'pawn'] });
    expect(JSON.parse(audit.after!)).toMatchObject({ status: 'revoked', categories: ['auction'] });
  });
});

describe('guards of every back-office route', () => {
  /** Route, allowed roles, a role that must be refused. */
  const GETS: Array<[string, Role]> = [
    ['/admin/supervision/entities', 'inspector'],
    ['/admin/supervision/entities.csv', 'inspector'],
    ['/admin/supervision/entities/new', 'reviewer'],
    ['/admin/supervision/entities/import', 'auditor'],
    ['/admin/supervision/entities/template.csv', 'inspector'],
    ['/admin/supervision/entities/template.xlsx', 'reviewer'],
    ['/admin/supervision/entities/1', 'inspector'],
    ['/admin/supervision/inspectors', 'inspector'],
    ['/admin/supervision/inspectors/1', 'inspector'],
    ['/admin/supervision/plans', 'inspector'],
    ['/admin/supervision/plans/new', 'editor'],
    ['/admin/supervision/plans/1', 'inspector'],
    ['/admin/supervision/tasks', 'editor'],
  ];
  const POSTS: Array<[string, Role]> = [
    ['/admin/supervision/entities', 'reviewer'],
    ['/admin/supervision/entities/1', 'auditor'],
    ['/admin/supervision/entities/import', 'reviewer'],
    ['/admin/supervision/inspectors', 'reviewer'],
    ['/admin/supervision/inspectors/1', 'inspector'],
    ['/admin/supervision/inspectors/1/conflicts', 'auditor'],
    ['/admin/supervision/inspectors/1/conflicts/1/delete', 'reviewer'],
    ['/admin/supervision/plans', 'editor'],
    ['/admin/supervision/plans/1/approve', 'editor'],
    ['/admin/supervision/plans/1/commit', 'auditor'],
    ['/admin/supervision/plans/1/draw', 'inspector'],
    ['/admin/supervision/plans/1/cancel', 'editor'],
  ];

  /** The registered pattern of a concrete URL (ids written as 1). */
  const pattern = (url: string) =>
    url.replace('/conflicts/1', '/conflicts/:conflictId').replace(/\/1(?=\/|$)/, '/:id');

  it('sends the anonymous to the login page and refuses a wrong role with 403 on every page', async () => {
    for (const [url, wrong] of [...GETS, ['/admin/supervision', 'admin'] as [string, Role]]) {
      expect(t.app.hasRoute({ method: 'GET', url: pattern(url) }), url).toBe(true);
      const anon = await browser(t.app).get(url);
      expect(anon.status, url).toBe(303);
      expect(anon.location, url).toBe(`/admin/login?next=${encodeURIComponent(url)}`);
      if (url === '/admin/supervision') continue;
      const refused = await as[wrong]!.get(url);
      expect(refused.status, `${url} as ${wrong}`).toBe(403);
    }
  });

  it('refuses anonymous and wrong-role form posts, and posts without the CSRF token', async () => {
    for (const [url, wrong] of POSTS) {
      expect(t.app.hasRoute({ method: 'POST', url: pattern(url) }), url).toBe(true);
      const anon = await browser(t.app).post(url, {});
      expect(anon.status, url).toBe(401);
      const refused = await as[wrong]!.post(url, {});
      expect(refused.status, `${url} as ${wrong}`).toBe(403);
    }
    const before = await count('regulated_entities');
    const noToken = await as.admin!.post(
      '/admin/supervision/entities',
      { name: '无令牌公司', uscc: makeUscc(777), categories: ['supplier'], county: '1' },
      { csrf: false },
    );
    expect(noToken.status).toBe(403);
    expect(noToken.body).toContain('安全校验失败');
    const upload = await uploadEntities(
      t.app,
      as.admin!,
      {
        filename: 'x.csv',
        data: entityCsv([['无令牌', makeUscc(778), '供应商', '景县', '', '', '', '', '']]),
      },
      { csrf: false },
    );
    expect(upload.status).toBe(403);
    expect(await count('regulated_entities')).toBe(before);
  });
});
