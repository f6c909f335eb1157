import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_INT_MAX } from '../src/http/params.ts';
import { PUBLIC_BODY_LIMIT } from '../src/http/plugins/rate-limit.ts';
import {
  FiveHundreds,
  fill,
  fingerprint,
  makeZip,
  type RegisteredRoute,
  registeredRoutes,
} from './attack-helpers.ts';
import { validForm, visitor } from './complaints-helpers.ts';
import { createTestApp, onPostgres, type TestApp } from './helpers.ts';
import { type Browser, cookieHeader, createStaff, loginAs } from './staff-helpers.ts';
import { multipart } from './supervision-helpers.ts';

/**
 * Hostile requests against every route the app registers (read from its router, so a new route is
 * probed too), on whichever database the suite runs: out-of-range and malformed ids and filters,
 * invalid UTF-8 and percent-encoding, path traversal, oversized and malformed bodies, zip bombs and
 * files whose type lies. Every answer must be below 500, and no refused request may write.
 */

let t: TestApp;
let admin: Browser;
let routes: RegisteredRoute[];

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  await createStaff(t.database, 'atk-admin', 'admin');
  admin = await loginAs(t.app, 'atk-admin');
  routes = registeredRoutes(t.app);
});
afterAll(async () => {
  await t?.close();
});

/** Query parameters the routes read (their schemas and handlers), all set at once. */
const QUERY_NAMES = [
  'version',
  'page',
  'plan',
  'regime',
  'year',
  'office',
  'duty',
  'involves',
  'department',
  'from',
  'to',
  'limit',
  'offset',
  'set',
  'month',
  'status',
  'q',
  'county',
  'category',
  'show',
  'done',
  'table',
  'line',
  'format',
  'part',
  'next',
  'service_request_id',
  'service_code',
  'entity',
  'op',
  'target',
];

const token = (b: Browser) => b.jar.zhize_csrf?.split('.')[0] ?? '';

async function send(
  method: string,
  url: string,
  who: Browser | null,
  body?: string,
): Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  if (who) headers.cookie = cookieHeader(who.jar);
  if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  const res = await t.app.inject({ method: method as 'GET', url, headers, payload: body });
  return { statusCode: res.statusCode, body: res.body, headers: res.headers };
}

describe('ids and numeric filters beyond the databases’ integer range', () => {
  const VALUES = [
    String(DB_INT_MAX + 1),
    '99999999999',
    '9'.repeat(40),
    '-1',
    '0',
    '1e308',
    '0x10',
    '1.5',
    ' 1',
  ];

  it('answer 400 or 404 (never 5xx) in every path parameter of every route, and nothing is written', async () => {
    const fails = new FiveHundreds();
    const before = await fingerprint(t.database);
    for (const r of routes.filter((x) => x.params.length > 0)) {
      for (const v of VALUES) {
        const url = fill(r, v);
        const res = await send(
          r.method,
          url,
          admin,
          r.method === 'GET' ? undefined : `_csrf=${token(admin)}`,
        );
        fails.note(`${r.method} ${url}`, res);
        if (r.method === 'GET' && v === String(DB_INT_MAX + 1) && !r.path.startsWith('/api/v1/staff/')) {
          // Out of range names nothing: refused, or a page that says it was not found (the staff
          // API wants its bearer token first: 401, see attacks-auth).
          expect([400, 404], `${r.method} ${url}`).toContain(res.statusCode);
        }
      }
    }
    expect(fails.seen).toEqual([]);
    expect(fails.total).toBeGreaterThan(500);
    expect(await fingerprint(t.database)).toBe(before);
  });

  it('answer 400 in every numeric query filter of the JSON API (the 37 URLs of the probe among them)', async () => {
    const fails = new FiveHundreds();
    const api = routes.filter((r) => r.method === 'GET' && r.path.startsWith('/api/v1/'));
    let refused = 0;
    for (const r of api) {
      for (const name of QUERY_NAMES) {
        const url = `${fill(r, '1')}?${name}=${DB_INT_MAX + 1}`;
        const res = await send('GET', url, admin);
        fails.note(url, res);
        if (res.statusCode === 400) refused++;
      }
    }
    expect(fails.seen).toEqual([]);
    // The registry's version, department, office, duty and involves filters at least.
    expect(refused).toBeGreaterThan(30);
    for (const url of [
      '/api/v1/duties?version=2147483648',
      '/api/v1/work-items?office=99999999999',
      '/api/v1/supervision/plans?year=99999999999',
      '/api/v1/versions/1/diff/2147483648',
    ]) {
      const res = await send('GET', url, null);
      expect(res.statusCode, url).toBe(400);
      expect(res.body).toContain('超出范围');
    }
    expect((await send('GET', `/api/v1/duties/${DB_INT_MAX}`, null)).statusCode).toBe(404);
  });

  it('answer below 500 on every page route with every query parameter out of range at once', async () => {
    const fails = new FiveHundreds();
    const query = QUERY_NAMES.map((n) => `${n}=99999999999`).join('&');
    for (const r of routes.filter((x) => x.method === 'GET')) {
      for (const who of [null, admin]) {
        const url = `${fill(r, '1')}?${query}`;
        fails.note(`${url} (${who ? 'admin' : 'anonymous'})`, await send('GET', url, who));
      }
    }
    expect(fails.seen).toEqual([]);
  });
});

describe('invalid UTF-8, percent-encoding and path traversal', () => {
  const RAW = [
    '%FF%FE',
    '%C0%AF',
    '%E4%B8',
    '%',
    '%zz',
    '%00',
    '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '..%2F..%2F..%2Fetc%2Fpasswd',
    '..%252F..%252Fpackage.json',
    '%5c..%5c..%5cwindows',
    '%ED%A0%80',
    '%F4%90%80%80',
  ];

  it('never answer 5xx nor serve a file outside the site, in path and query of every route', async () => {
    const fails = new FiveHundreds();
    const before = await fingerprint(t.database);
    for (const r of routes) {
      for (const v of RAW) {
        const body = r.method === 'GET' ? undefined : `_csrf=${token(admin)}&q=${v}&title=${v}`;
        const urls = [
          ...(r.params.length > 0 ? [fill(r, v, true)] : []),
          ...(r.method === 'GET' ? [`${fill(r, '1')}?q=${v}&version=${v}&next=${v}&set=${v}`] : []),
        ];
        for (const url of urls) {
          const res = await send(r.method, url, admin, body);
          fails.note(`${r.method} ${url}`, res);
          expect(res.body, url).not.toMatch(/root:x:0:0|"name": "zhize"/);
        }
      }
    }
    expect(fails.seen).toEqual([]);
    expect(await fingerprint(t.database)).toBe(before);
  });

  it('serve no file outside public/ through the static route', async () => {
    for (const url of [
      '/static/../package.json',
      '/static/..%2Fpackage.json',
      '/static/%2e%2e/%2e%2e/package.json',
      '/static/....//package.json',
      '/static/..%5cpackage.json',
      '/static/%00',
      '/static/%FF',
    ]) {
      const res = await send('GET', url, null);
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.body, url).not.toContain('"name": "zhize"');
    }
  });
});

describe('oversized bodies', () => {
  it('refuses a 19 MB nested JSON on the public large-text form at once (413), before parsing', async () => {
    const big = `${'['.repeat(9_500_000)}${']'.repeat(9_500_000)}`;
    const started = Date.now();
    const res = await t.app.inject({
      method: 'POST',
      url: '/preferences/large-text',
      headers: { 'content-type': 'application/json' },
      payload: big,
    });
    expect(res.statusCode).toBe(413);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('limits public posts to a small body and staff forms to a larger one', async () => {
    const pub = await send(
      'POST',
      '/preferences/large-text',
      null,
      `enabled=1&x=${'a'.repeat(PUBLIC_BODY_LIMIT)}`,
    );
    expect(pub.statusCode).toBe(413);
    const track = await send('POST', '/complaints/track', null, `code=${'a'.repeat(20_000)}`);
    expect(track.statusCode).toBe(413);
    const before = await fingerprint(t.database);
    const staff = await send(
      'POST',
      '/admin/changes',
      admin,
      `_csrf=${token(admin)}&title=${'a'.repeat(300 * 1024)}`,
    );
    expect(staff.statusCode).toBe(413);
    const api = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ description: 'x'.repeat(200 * 1024) }),
    });
    expect(api.statusCode).toBe(413);
    expect(await fingerprint(t.database)).toBe(before);
  });

  it('answers 4xx to a very long URL, a huge query and thousands of parameters', async () => {
    for (const url of [
      `/search?q=${'测'.repeat(20_000)}`,
      `/api/v1/resolve?q=${'a'.repeat(100_000)}`,
      `/duties/${'1'.repeat(5000)}`,
      `/api/v1/duties?${Array.from({ length: 5000 }, (_, i) => `p${i}=1`).join('&')}`,
      `/api/v1/duties?version=1&version=2&version=3`,
    ]) {
      const res = await send('GET', url, null);
      expect(res.statusCode, url.slice(0, 60)).toBeLessThan(500);
    }
  });
});

describe('malformed multipart bodies', () => {
  const BAD: Array<[string, string, string]> = [
    [
      'no boundary',
      'multipart/form-data',
      '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n',
    ],
    [
      'truncated',
      'multipart/form-data; boundary=x',
      '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x\r\nContent-Disposition: form-data; name="f"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xffabc',
    ],
    [
      'too many fields',
      'multipart/form-data; boundary=x',
      `${Array.from({ length: 300 }, (_, i) => `--x\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\n1\r\n`).join('')}--x--\r\n`,
    ],
    ['boundary too long', `multipart/form-data; boundary=${'b'.repeat(300)}`, `--${'b'.repeat(300)}--\r\n`],
  ];

  it('answer 400 on the public complaint form, without logging in', async () => {
    for (const [name, type, body] of BAD) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/complaints/new',
        headers: { 'content-type': type },
        payload: body,
        remoteAddress: `198.51.100.${BAD.findIndex((b) => b[0] === name) + 10}`,
      });
      expect(res.statusCode, name).toBe(400);
    }
  });

  it('answer 400 on the staff upload routes when logged in, 401 before reading anything otherwise', async () => {
    const before = await fingerprint(t.database);
    for (const url of ['/admin/supervision/entities/import', '/admin/supervision/tasks/1/attachments']) {
      for (const [name, type, body] of BAD) {
        const anon = await t.app.inject({
          method: 'POST',
          url,
          headers: { 'content-type': type },
          payload: body,
        });
        expect(anon.statusCode, `${url} ${name} anonymous`).toBe(401);
        const res = await t.app.inject({
          method: 'POST',
          url,
          headers: { 'content-type': type, cookie: cookieHeader(admin.jar) },
          payload: body,
        });
        expect(res.statusCode, `${url} ${name}`).toBe(400);
      }
    }
    expect(await fingerprint(t.database)).toBe(before);
  });
});

describe('upload archives and files whose type lies', () => {
  const upload = async (filename: string, type: string, data: Buffer) => {
    const m = multipart({ _csrf: token(admin) }, { field: 'file', filename, contentType: type, data });
    return t.app.inject({
      method: 'POST',
      url: '/admin/supervision/entities/import',
      headers: { 'content-type': m.contentType, cookie: cookieHeader(admin.jar) },
      payload: m.payload,
    });
  };

  it('refuses an XLSX zip bomb before inflating it, and imports nothing', async () => {
    const before = await fingerprint(t.database);
    // One sheet that declares 1 KB and inflates to 256 MB; then one that declares 3 × 100 MB honestly.
    const lying = makeZip([
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(256 * 1024 * 1024, 0x20), declaredSize: 1024 },
    ]);
    expect(lying.length).toBeLessThan(1024 * 1024);
    const rssBefore = process.memoryUsage().rss;
    const started = Date.now();
    const res = await upload(
      '对象.xlsx',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      lying,
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('压缩炸弹');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
    const declared = makeZip(
      [0, 1, 2].map((i) => ({
        name: `xl/worksheets/sheet${i}.xml`,
        data: Buffer.from('x'),
        declaredSize: 100 * 1024 * 1024,
      })),
    );
    const res2 = await upload('对象.xlsx', 'application/octet-stream', declared);
    expect(res2.statusCode).toBe(400);
    expect(res2.body).toContain('解压后超过');
    expect(await fingerprint(t.database)).toBe(before);
  });

  it('refuses files named and typed as something they are not', async () => {
    const before = await fingerprint(t.database);
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    for (const [name, type, data] of [
      ['对象.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', html],
      ['对象.csv', 'text/csv', Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00')],
      ['对象.xlsx', 'application/zip', Buffer.from('PK\x03\x04broken')],
    ] as const) {
      const res = await upload(name, type, data);
      expect(res.statusCode, name).toBeLessThan(500);
      expect(res.body).not.toContain('<script>alert(1)</script>');
    }
    expect(await fingerprint(t.database)).toBe(before);
  });

  it('stores no complaint attachment whose bytes are not the photo or PDF its name says', async () => {
    const v = visitor(t.app, '198.51.100.77');
    const before = await fingerprint(t.database);
    const res = await v.postForm('/complaints/new', validForm(), [
      {
        field: 'attachments',
        filename: 'photo.jpg',
        contentType: 'image/jpeg',
        data: Buffer.from('<?php system($_GET[1]); ?>'),
      },
    ]);
    expect(res.status).toBe(400);
    expect(res.body).toContain('不是JPG');
    expect(await fingerprint(t.database)).toBe(before);
  });
});

describe('the suite ran where it says', () => {
  it(`probes ${onPostgres ? 'PostgreSQL' : 'SQLite'} through every registered route`, () => {
    expect(routes.length).toBeGreaterThan(150);
    expect(routes.some((r) => r.path === '/api/v1/duties/:id')).toBe(true);
    expect(
      routes.some((r) => r.path === '/admin/supervision/tasks/:id/attachments' && r.method === 'POST'),
    ).toBe(true);
  });
});
