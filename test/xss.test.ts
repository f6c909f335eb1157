import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers.ts';
import { type Browser, createStaff, loginAs } from './staff-helpers.ts';

/**
 * Hostile text through every editable field of the back office forms: it must come out escaped
 * on the public and staff pages (never a live tag, never a javascript: link), and SQL-looking
 * text must be stored and shown exactly as typed.
 */

const XSS = `<script>alert(1)</script>"><img src=x onerror=alert(1)>javascript:alert(1)`;
/** A payload tagged with a marker, so a page can be shown to really contain it. */
const P = (marker: string) => `${marker}${XSS}`;
const SQL_TEXT = `'; DROP TABLE work_items; --`;
const SQL_REMARK = '1 OR 1=1';

let t: TestApp;
let admin: Browser;
let reviewer: Browser;
let editor: Browser;
const ids = { waishi: 0, duty: 0, matter: 0, department: 0 };
const created = { set: 0, duty: 0, office: 0, share: 0, service: 0, item: 0, sqlItem: 0 };

const decode = (html: string) =>
  html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&');

/** The tags of a page with their attributes (quoted values may hold any escaped text). */
function tagsOf(html: string): Array<{ name: string; attrs: Array<{ name: string; value: string }> }> {
  const out: Array<{ name: string; attrs: Array<{ name: string; value: string }> }> = [];
  const attr = /\s*(?:([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?|(\/?>))/y;
  let i = html.indexOf('<');
  while (i !== -1) {
    const m = /^<([a-zA-Z][\w-]*)/.exec(html.slice(i, i + 40));
    if (!m) {
      i = html.indexOf('<', i + 1);
      continue;
    }
    const tag = { name: m[1]!.toLowerCase(), attrs: [] as Array<{ name: string; value: string }> };
    attr.lastIndex = i + m[0].length;
    for (let a = attr.exec(html); a; a = attr.exec(html)) {
      if (a[5]) break;
      tag.attrs.push({ name: a[1]!.toLowerCase(), value: decode(a[2] ?? a[3] ?? a[4] ?? '') });
    }
    out.push(tag);
    i = html.indexOf('<', attr.lastIndex > i ? attr.lastIndex : i + 1);
  }
  return out;
}

/**
 * No live payload: data never opens a tag (every "<" of data is escaped), no tag carries an
 * event handler, no link or source is a javascript: URL, and the only scripts are our own files.
 */
function assertSafe(html: string, where: string) {
  expect(html, where).not.toContain('<script>alert(1)');
  expect(html, where).not.toContain('<img src=x');
  for (const tag of tagsOf(html)) {
    for (const a of tag.attrs) {
      expect(a.name.startsWith('on'), `${where}: <${tag.name} ${a.name}=…>`).toBe(false);
      if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(a.name))
        expect(a.value.trim().toLowerCase().startsWith('javascript:'), `${where}: ${a.name}=${a.value}`).toBe(
          false,
        );
    }
    if (tag.name === 'script')
      expect(tag.attrs.find((a) => a.name === 'src')?.value ?? '', where).toMatch(/^\/static\//);
    expect(tag.name, where).not.toBe('img');
  }
}

/** The page shows the payload with this marker as text. */
function assertShown(html: string, marker: string, where: string) {
  expect(decode(html), `${where} shows ${marker}`).toContain(P(marker));
}

const setIdOf = (location: string | undefined) => Number(/\/admin\/changes\/(\d+)/.exec(location ?? '')?.[1]);

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  await createStaff(t.database, 'admin1', 'admin');
  await createStaff(t.database, 'leader', 'reviewer');
  await createStaff(t.database, 'waishi', 'editor', ['外事科']);
  [admin, reviewer, editor] = await Promise.all([
    loginAs(t.app, 'admin1'),
    loginAs(t.app, 'leader'),
    loginAs(t.app, 'waishi'),
  ]);
  const db = t.database.db;
  ids.waishi = (
    await db.selectFrom('offices').select('id').where('name', '=', '外事科').executeTakeFirstOrThrow()
  ).id;
  ids.duty = (
    await db
      .selectFrom('work_items')
      .select('duty_id')
      .where('text', '=', '负责我市对外交往工作')
      .executeTakeFirstOrThrow()
  ).duty_id;
  ids.matter = (
    await db.selectFrom('boundary_matters').select('id').orderBy('seq').executeTakeFirstOrThrow()
  ).id;
  ids.department = (
    await db.selectFrom('departments').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()
  ).id;
});
afterAll(async () => {
  await t?.close();
});

describe('the safety check itself', () => {
  it('catches a live tag, an event handler and a javascript: link', () => {
    for (const bad of [
      '<p><script>alert(1)</script></p>',
      '<p>"><img src=x onerror=alert(1)></p>',
      '<a href=" javascript:alert(1)">x</a>',
      '<a href="JAVASCRIPT:alert(1)">x</a>',
      '<div title="x" onclick="alert(1)">x</div>',
    ])
      expect(() => assertSafe(bad, 'sample'), bad).toThrow();
    assertSafe('<p>&lt;script>alert(1)&lt;/script>&quot;>&lt;img src=x onerror=alert(1)></p>', 'escaped');
    assertSafe('<input value="&lt;img src=x onerror=alert(1)> javascript:alert(1)"/>', 'escaped attribute');
  });
});

describe('hostile text through the forms', () => {
  it('accepts the payloads into every text field and publishes them', async () => {
    const first = await admin.post('/admin/changes/new/item', {
      title: P('标题'),
      reason: P('依据'),
      entity: 'duty',
      op: 'create',
      seq: '27',
      text: P('主要职责'),
    });
    expect(first.status, first.body.slice(0, 300)).toBe(303);
    created.set = setIdOf(first.location);
    const add = async (form: Record<string, string | string[]>) => {
      const res = await admin.post(`/admin/changes/${created.set}/items`, form);
      expect(res.status, res.body.slice(0, 300)).toBe(303);
    };
    await add({ entity: 'office', op: 'create', name: P('科室'), aliases: `${P('别名')}、另一个别名` });
    await add({
      entity: 'share',
      op: 'create',
      matterId: String(ids.matter),
      departmentId: String(ids.department),
      text: P('分工'),
    });
    await add({
      entity: 'service',
      op: 'create',
      name: P('服务'),
      content: P('内容'),
      officeIds: String(ids.waishi),
      phones: '2156789',
    });
    await add({
      entity: 'workItem',
      op: 'create',
      dutyId: String(ids.duty),
      text: P('事项'),
      officeIds: String(ids.waishi),
      remark: P('备注'),
    });
    await add({
      entity: 'workItem',
      op: 'create',
      dutyId: String(ids.duty),
      text: SQL_TEXT,
      officeIds: String(ids.waishi),
      remark: SQL_REMARK,
    });

    expect((await admin.post(`/admin/changes/${created.set}/submit`, {})).status).toBe(303);
    expect(
      (await reviewer.post(`/admin/changes/${created.set}/return`, { comment: P('退回意见') })).status,
    ).toBe(303);
    const returned = await admin.get(`/admin/changes/${created.set}`);
    assertSafe(returned.body, 'returned set');
    assertShown(returned.body, '退回意见', 'returned set');
    expect((await admin.post(`/admin/changes/${created.set}/submit`, {})).status).toBe(303);
    expect(
      (await reviewer.post(`/admin/changes/${created.set}/approve`, { comment: P('审核意见') })).status,
    ).toBe(303);
    const pub = await reviewer.post(`/admin/changes/${created.set}/publish`, {
      effectiveDate: '2026-10-01',
      confirm: 'yes',
    });
    expect(pub.status, pub.body.slice(0, 300)).toBe(303);

    const db = t.database.db;
    created.duty = (
      await db.selectFrom('duties').select('id').where('text', '=', P('主要职责')).executeTakeFirstOrThrow()
    ).id;
    created.office = (
      await db.selectFrom('offices').select('id').where('name', '=', P('科室')).executeTakeFirstOrThrow()
    ).id;
    created.share = (
      await db
        .selectFrom('boundary_shares')
        .select('id')
        .where('text', '=', P('分工'))
        .executeTakeFirstOrThrow()
    ).id;
    created.service = (
      await db
        .selectFrom('public_services')
        .select('id')
        .where('name', '=', P('服务'))
        .executeTakeFirstOrThrow()
    ).id;
    created.item = (
      await db.selectFrom('work_items').select('id').where('text', '=', P('事项')).executeTakeFirstOrThrow()
    ).id;
    const sqlRow = await db
      .selectFrom('work_items')
      .select(['id', 'text', 'remark'])
      .where('text', '=', SQL_TEXT)
      .executeTakeFirstOrThrow();
    created.sqlItem = sqlRow.id;
    expect(sqlRow).toMatchObject({ text: SQL_TEXT, remark: SQL_REMARK });
  });

  it('keeps a refused phone number (not a phone) escaped in the re-rendered form', async () => {
    const res = await editor.post('/admin/changes/new/item', {
      title: P('草稿标题'),
      reason: P('草稿依据'),
      entity: 'service',
      op: 'create',
      name: P('新服务'),
      content: P('新内容'),
      officeIds: String(ids.waishi),
      phones: P('电话'),
    });
    expect(res.status).toBe(400);
    expect(res.body).toContain('电话号码只能包含数字');
    assertSafe(res.body, 'refused service form');
    for (const m of ['草稿标题', '草稿依据', '新服务', '新内容', '电话'])
      assertShown(res.body, m, 'refused service form');
  });

  it('shows every payload escaped on the public pages', async () => {
    const pages: Array<[string, string[]]> = [
      ['/', []],
      ['/duties', ['主要职责']],
      [`/duties/${created.duty}`, ['主要职责']],
      [`/duties/${ids.duty}`, ['事项', '备注']],
      ['/services', ['服务', '内容']],
      [`/services/${created.service}`, ['服务', '内容']],
      [`/offices/${created.office}`, ['科室', '别名']],
      [`/offices/${ids.waishi}`, ['事项']],
      ['/departments', []],
      ['/boundaries', []],
      [`/boundaries/${ids.matter}`, ['分工']],
      ['/changes', ['标题', '依据']],
      ['/changes/diff', ['主要职责', '科室', '别名', '分工', '服务', '内容', '事项', '备注']],
    ];
    for (const [url, markers] of pages) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      assertSafe(res.body, url);
      for (const m of markers) assertShown(res.body, m, url);
    }
  });

  it('shows every payload escaped on the staff pages, forms included', async () => {
    const pages: Array<[Browser, string, string[]]> = [
      [admin, '/admin', []],
      [reviewer, '/admin', []],
      [admin, '/admin/changes', ['标题']],
      [
        admin,
        `/admin/changes/${created.set}`,
        ['标题', '依据', '审核意见', '主要职责', '科室', '分工', '服务', '事项', '备注'],
      ],
      [admin, '/admin/records', ['主要职责', '科室', '服务', '事项']],
      [editor, '/admin/records', ['事项']],
      [admin, '/admin/audit', []],
      [admin, `/admin/changes/new/item?entity=duty&op=update&target=${created.duty}`, ['主要职责']],
      [admin, `/admin/changes/new/item?entity=office&op=update&target=${created.office}`, ['科室', '别名']],
      [admin, `/admin/changes/new/item?entity=share&op=update&target=${created.share}`, ['分工']],
      [admin, `/admin/changes/new/item?entity=service&op=update&target=${created.service}`, ['服务', '内容']],
      [editor, `/admin/changes/new/item?entity=workItem&op=update&target=${created.item}`, ['事项', '备注']],
      [editor, `/admin/changes/new/item?entity=workItem&op=retire&target=${created.item}`, ['事项', '备注']],
    ];
    for (const [b, url, markers] of pages) {
      const res = await b.get(url);
      expect(res.status, url).toBe(200);
      assertSafe(res.body, url);
      for (const m of markers) assertShown(res.body, m, url);
    }
    // The audit trail holds the payloads as JSON text: escaped too.
    const audit = await admin.get('/admin/audit');
    expect(decode(audit.body)).toContain('主要职责<script>alert(1)</script>');
  });

  it('escapes a hostile display name and refuses a hostile username', async () => {
    const made = await admin.post('/admin/users', {
      username: 'xss.user',
      displayName: P('姓名'),
      role: 'auditor',
      password: 'xss-password-1',
    });
    expect(made.status).toBe(303);
    const list = await admin.get('/admin/users');
    assertSafe(list.body, '/admin/users');
    assertShown(list.body, '姓名', '/admin/users');
    const own = await (await loginAs(t.app, 'xss.user', 'xss-password-1')).get('/admin');
    assertSafe(own.body, 'dashboard of xss.user');
    assertShown(own.body, '姓名', 'dashboard of xss.user');
    const bad = await admin.post('/admin/users', {
      username: P('u'),
      role: 'auditor',
      password: 'xss-password-1',
    });
    expect(bad.status).toBe(400);
    assertSafe(bad.body, 'refused user form');
  });

  it('stores SQL-looking text verbatim, shows it as typed, and the tables survive', async () => {
    const duty = await t.app.inject({ method: 'GET', url: `/duties/${ids.duty}` });
    expect(decode(duty.body)).toContain(SQL_TEXT);
    expect(decode(duty.body)).toContain(SQL_REMARK);
    const api = (await t.app.inject({ method: 'GET', url: `/api/v1/work-items/${created.sqlItem}` })).json();
    expect(api).toMatchObject({ text: SQL_TEXT, remark: SQL_REMARK });
    const staff = await editor.get(
      `/admin/changes/new/item?entity=workItem&op=update&target=${created.sqlItem}`,
    );
    expect(decode(staff.body)).toContain(SQL_TEXT);

    // SQL-looking query strings are plain values too.
    expect((await admin.get(`/admin/changes?status=${encodeURIComponent(SQL_REMARK)}`)).status).toBe(200);
    expect((await admin.get(`/admin/audit?page=${encodeURIComponent(SQL_REMARK)}`)).status).toBe(200);
    expect((await admin.get(`/admin/changes/${encodeURIComponent(SQL_REMARK)}`)).status).toBe(404);
    expect(
      (await t.app.inject({ method: 'GET', url: `/changes/diff?from=${encodeURIComponent(SQL_TEXT)}` }))
        .statusCode,
    ).toBe(400);
    const set = await admin.post('/admin/changes', { title: SQL_TEXT, reason: SQL_REMARK });
    expect(set.status).toBe(303);
    expect(decode((await admin.get(set.location!)).body)).toContain(SQL_TEXT);

    const n = await sql<{ n: number }>`select count(*) as n from work_items`.execute(t.database.db);
    expect(Number(n.rows[0]!.n)).toBeGreaterThan(128);
    for (const table of ['work_items', 'change_sets', 'users', 'audit_log'] as const) {
      const r = await t.database.db
        .selectFrom(table)
        .select((e) => e.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(r.n), table).toBeGreaterThan(0);
    }
  });
});
