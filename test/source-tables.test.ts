import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers.ts';
import { type Browser, createStaff, loginAs } from './staff-helpers.ts';

/**
 * Issue 14 item 7: the original. The source page renders the document's four parts as HTML tables
 * (the cells the importer reads), every line keeping its anchor L<n> so record links still land;
 * it links the official publication, an address an admin enters, each change audited.
 */

let t: TestApp;
let admin: Browser;
let editor: Browser;
const get = async (url: string) => t.app.inject({ method: 'GET', url });

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  await createStaff(t.database, 's-admin', 'admin');
  await createStaff(t.database, 's-editor', 'editor', ['外事科']);
  admin = await loginAs(t.app, 's-admin');
  editor = await loginAs(t.app, 's-editor');
});
afterAll(async () => {
  await t?.close();
});

describe('the source page', () => {
  it('renders the four tables as HTML tables with every line’s anchor', async () => {
    const doc = await t.database.db
      .selectFrom('source_documents')
      .select(['id', 'line_count'])
      .executeTakeFirstOrThrow();
    const r = await get(`/sources/${doc.id}`);
    expect(r.statusCode).toBe(200);
    const tables = r.body.match(/<table class="stack source-table">/g) ?? [];
    expect(tables).toHaveLength(4);
    for (const h of ['部门职责登记表', '职责边界登记表', '事中事后监管制度', '公共服务事项登记表'])
      expect(r.body).toContain(h);
    for (const col of [
      '主要职责',
      '具体工作事项',
      '责任科室',
      '职责分工',
      '相关依据',
      '承办机构',
      '联系电话',
    ])
      expect(r.body).toContain(`<th scope="col">${col}</th>`);
    // Every line of the document has exactly one anchor.
    for (let n = 1; n <= doc.line_count; n++) {
      const hits = r.body.split(`id="L${n}"`).length - 1;
      expect(hits, `L${n}`).toBe(1);
    }
    // A record's source link lands on the cell that holds its text.
    const w = await t.database.db
      .selectFrom('work_items')
      .select(['line_start'])
      .where('text', '=', '负责我市对外交往工作')
      .executeTakeFirstOrThrow();
    const at = r.body.indexOf(`id="L${w.line_start}"`);
    const row = r.body.slice(r.body.lastIndexOf('<tr', at), r.body.indexOf('</tr>', at));
    expect(row).toMatch(
      /<td data-label="具体工作事项"><span id="L\d+" class="cell-line"[^>]*>.*?负责我市对外交往工作</,
    );
    // Every work item's and service's first line lies in its own row of the table.
    const starts = [
      ...(await t.database.db.selectFrom('work_items').select('line_start').execute()),
      ...(await t.database.db.selectFrom('public_services').select('line_start').execute()),
    ].map((x) => x.line_start!);
    for (const n of starts) {
      const a = r.body.indexOf(`id="L${n}"`);
      const tr = r.body.slice(r.body.lastIndexOf('<tr', a), a);
      expect(tr, `L${n}`).toMatch(new RegExp(`^<tr data-lines="${n}-`));
    }
    // The line-range view stays as it was (highlighted context).
    expect((await get(`/sources/${doc.id}?from=806&to=810`)).body).toContain(
      '<div id="L806" class="line hl">',
    );
  });

  it('links the official publication that an admin records, audited; others may not set it', async () => {
    expect((await get('/sources/1')).body).toContain('尚未登记这份文档正式发布的网址');
    expect((await editor.get('/admin/sources')).status).toBe(403);
    expect((await editor.post('/admin/sources/1/url', { officialUrl: 'http://evil.example/' })).status).toBe(
      403,
    );

    const bad = await admin.post('/admin/sources/1/url', { officialUrl: 'javascript:alert(1)' });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('请填写以 http:// 或 https:// 开头的完整网址');

    const url = 'http://swj.hengshui.gov.cn/art/2023/zrqd.html';
    const ok = await admin.post('/admin/sources/1/url', { officialUrl: url });
    expect(ok.location).toBe('/admin/sources?done=url');
    const page = (await get('/sources/1')).body;
    expect(page).toContain(`正式发布的原文：<a href="${url}"`);
    expect((await get('/sources/1?from=806&to=810')).body).toContain(`href="${url}"`);
    expect((await get('/api/v1/sources/1')).json().officialUrl).toBe(url);

    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['actor', 'before', 'after'])
      .where('action', '=', 'set-official-url')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.before!)).toEqual({ officialUrl: null });
    expect(JSON.parse(audit[0]!.after!)).toEqual({ officialUrl: url });
  });
});
