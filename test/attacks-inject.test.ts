import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../src/modules/audit/index.ts';
import { FiveHundreds, fill, fingerprint, type RegisteredRoute, registeredRoutes } from './attack-helpers.ts';
import { createTestApp, type TestApp } from './helpers.ts';
import { type Browser, browser, cookieHeader, createStaff, loginAs, TEST_PASSWORD } from './staff-helpers.ts';

/**
 * SQL and XSS payloads in every parameter of every route: each path parameter, every query
 * parameter and every form field the app's own pages name (collected by rendering every page as
 * an admin), sent to every registered route as the anonymous visitor and as an admin with a valid
 * CSRF token. No answer is 5xx, no HTML answer carries a payload unescaped, the database keeps its
 * tables, users and audit chain, and whatever text was accepted comes back escaped everywhere.
 */

let t: TestApp;
let admin: Browser;
let routes: RegisteredRoute[];
let fields: string[];
let address = 0;
/** A fresh client address per request: the per-address limits stay out of the way. */
const nextAddress = () => `203.0.${(++address >> 8) & 255}.${address & 255}`;

const XSS = [
  '<script>alert("zx1")</script>',
  '"><img src=x onerror=alert("zx2")>',
  "'><svg/onload=alert('zx3')>",
];
const SQL = [
  "' OR '1'='1",
  '1; DROP TABLE users; --',
  "1' UNION SELECT password_hash, username FROM users --",
  "'); select pg_sleep(3); --",
];
const PAYLOADS = [...SQL, ...XSS, 'javascript:alert("zx4")'];

/** Marks that must never appear raw in HTML: the payloads' live parts. */
const RAW_MARKS = [
  '<script>alert("zx1")',
  '<img src=x onerror=alert("zx2")',
  "<svg/onload=alert('zx3')",
  'href="javascript:',
];

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  // Id 1 is someone else: the sweep's `…/1/…` URLs (a password reset among them) act on them.
  await createStaff(t.database, 'inj-other', 'editor', ['外事科']);
  await createStaff(t.database, 'inj-admin', 'admin');
  admin = await loginAs(t.app, 'inj-admin');
  routes = registeredRoutes(t.app);
  // Every field name the app's own pages ask for, from every page an admin can open.
  const names = new Set<string>();
  for (const r of routes.filter((x) => x.method === 'GET')) {
    const res = await admin.get(fill(r, '1'));
    for (const m of res.body.matchAll(/\bname="([A-Za-z_][\w[\].-]*)"/g)) names.add(m[1]!);
  }
  names.delete('_csrf');
  fields = [...names].sort();
});
afterAll(async () => {
  await t?.close();
});

async function request(
  method: string,
  url: string,
  who: Browser | null,
  body?: Record<string, string>,
): Promise<{ statusCode: number; body: string; type: string }> {
  const headers: Record<string, string> = {};
  if (who) headers.cookie = cookieHeader(who.jar);
  let payload: string | undefined;
  if (body) {
    const json = url.startsWith('/api/') || url.startsWith('/open311/');
    headers['content-type'] = json ? 'application/json' : 'application/x-www-form-urlencoded';
    payload = json ? JSON.stringify(body) : new URLSearchParams(body).toString();
  }
  const res = await t.app.inject({
    method: method as 'GET',
    url,
    headers,
    payload,
    remoteAddress: nextAddress(),
  });
  return { statusCode: res.statusCode, body: res.body, type: String(res.headers['content-type'] ?? '') };
}

function unescaped(res: { body: string; type: string }): string | undefined {
  if (!res.type.includes('html')) return undefined; // JSON, CSV and text are not rendered as markup
  return RAW_MARKS.find((m) => res.body.includes(m));
}

describe('SQL and XSS payloads in every parameter', () => {
  it('collects the form fields of the app’s own pages', () => {
    expect(fields.length).toBeGreaterThan(40);
    for (const f of ['username', 'title', 'reason', 'description', 'q']) expect(fields).toContain(f);
  });

  it('never answer 5xx nor echo a payload unescaped on any GET route, for the anonymous or an admin', async () => {
    const fails = new FiveHundreds();
    const raw: string[] = [];
    const started = Date.now();
    for (const r of routes.filter((x) => x.method === 'GET')) {
      for (const p of PAYLOADS) {
        const query = [...new Set(['q', 'next', 'version', 'plan', 'set', ...fields])]
          .map((n) => `${encodeURIComponent(n)}=${encodeURIComponent(p)}`)
          .join('&');
        const urls = [`${fill(r, '1')}?${query}`, ...(r.params.length > 0 ? [fill(r, p)] : [])];
        for (const url of urls) {
          for (const who of [null, admin]) {
            const res = await request('GET', url, who);
            fails.note(`GET ${url.slice(0, 120)}`, res);
            const mark = unescaped(res);
            if (mark) raw.push(`${r.path} ${mark}`);
          }
        }
      }
    }
    expect(fails.seen).toEqual([]);
    expect(raw).toEqual([]);
    expect(fails.total).toBeGreaterThan(1500);
    // pg_sleep never ran: the whole sweep takes far less than one injected sleep per route.
    expect(Date.now() - started).toBeLessThan(120_000);
  });

  it('never answer 5xx on any write route with every field set to a payload, and keep the database whole', async () => {
    const fails = new FiveHundreds();
    const raw: string[] = [];
    const csrfRefused: string[] = [];
    const usersBefore = await t.database.db
      .selectFrom('users')
      .select(['username', 'role'])
      .orderBy('id')
      .execute();
    for (const r of routes.filter((x) => x.method !== 'GET' && x.path !== '/admin/logout')) {
      for (const p of PAYLOADS) {
        const body = Object.fromEntries(fields.map((f) => [f, p]));
        body._csrf = admin.jar.zhize_csrf?.split('.')[0] ?? '';
        for (const url of [fill(r, '1'), ...(r.params.length > 0 ? [fill(r, p)] : [])]) {
          const res = await request(r.method, url, admin, body);
          fails.note(`${r.method} ${url.slice(0, 120)}`, res);
          // The admin's requests reach the handlers: the token is valid, the payload is what is judged.
          if (res.body.includes('安全校验失败')) csrfRefused.push(`${r.method} ${url}`);
          const mark = unescaped(res);
          if (mark) raw.push(`${r.method} ${r.path} ${mark}`);
          const anon = await request(r.method, url, null, body);
          fails.note(`${r.method} ${url.slice(0, 120)} (anonymous)`, anon);
        }
      }
      // A route that ends the session (a password form) gets a fresh one for the next.
      if ((await admin.get('/admin')).status !== 200) admin = await loginAs(t.app, 'inj-admin');
    }
    expect(fails.seen).toEqual([]);
    expect(raw).toEqual([]);
    expect(csrfRefused).toEqual([]);
    // The tables are all there, no account was created, renamed or promoted, the chain verifies.
    expect(await fingerprint(t.database)).toMatch(/users=\d+/);
    const usersAfter = await t.database.db
      .selectFrom('users')
      .select(['username', 'role'])
      .orderBy('id')
      .execute();
    expect(usersAfter).toEqual(usersBefore);
    const audit = await verifyAudit(t.database.db);
    expect(audit.ok, JSON.stringify(audit.problems)).toBe(true);
    const again = browser(t.app);
    expect(
      (await again.post('/admin/login', { username: 'inj-admin', password: TEST_PASSWORD })).status,
    ).toBe(303);
  });

  it('shows whatever payload text was stored escaped on every page afterwards', async () => {
    const raw: string[] = [];
    for (const r of routes.filter((x) => x.method === 'GET')) {
      for (const who of [null, admin]) {
        const res = await request('GET', fill(r, '1'), who);
        const mark = unescaped(res);
        if (mark) raw.push(`${r.path} ${mark}`);
      }
    }
    expect(raw).toEqual([]);
  });
});
