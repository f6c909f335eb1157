import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundledDocument } from '../src/bundled.ts';
import { PUBLIC_WRITE_LIMIT } from '../src/http/plugins/rate-limit.ts';
import { LOGIN_MAX_FAILURES } from '../src/modules/auth/auth.service.ts';
import { createTestDatabase, importDocument, onPostgres, type TestDb } from './helpers.ts';
import { type ServerProcess, startServerProcess, stopServerProcess } from './process-helpers.ts';
import { createStaff, TEST_PASSWORD } from './staff-helpers.ts';

/**
 * Two app processes on one PostgreSQL database, as behind a load balancer: the staff journey
 * (log in, propose, submit, approve, publish) alternates between them request by request, and
 * sessions, CSRF tokens, login throttling, rate limits and the search index stay correct.
 * PostgreSQL only: several instances are a PostgreSQL deployment (README, "Deployment").
 */

if (!onPostgres) {
  console.log(
    'multi-instance.test.ts: skipped on SQLite — several app instances share one PostgreSQL database (run npm run test:pg)',
  );
}

let tdb: TestDb;
let a: ServerProcess;
let b: ServerProcess;
let ids = { item: 0, duty: 0, waishi: 0 };

/** A cookie-keeping client over fetch that does not follow redirects. */
function client() {
  const jar: Record<string, string> = {};
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) delete jar[name];
      else jar[name] = value;
    }
  };
  const cookie = () =>
    Object.entries(jar)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
  return {
    jar,
    async get(base: string, path: string) {
      const res = await fetch(`${base}${path}`, { headers: { cookie: cookie() }, redirect: 'manual' });
      keep(res);
      return { status: res.status, body: await res.text(), location: res.headers.get('location') };
    },
    /** Posts a form with the token of the CSRF cookie (as the page's hidden field carries it). */
    async post(base: string, path: string, form: Record<string, string>) {
      const body = new URLSearchParams({ ...form, _csrf: jar.zhize_csrf?.split('.')[0] ?? '' });
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        body,
        headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
        redirect: 'manual',
      });
      keep(res);
      return { status: res.status, body: await res.text(), location: res.headers.get('location') };
    },
  };
}

beforeAll(async () => {
  if (!onPostgres) return;
  tdb = await createTestDatabase();
  await importDocument(tdb.database, readBundledDocument(), {
    sourceName: 'source.txt',
    department: '衡水市商务局',
  });
  await createStaff(tdb.database, 'mi-editor', 'editor', ['外事科']);
  await createStaff(tdb.database, 'mi-reviewer', 'reviewer');
  await createStaff(tdb.database, 'mi-target', 'reviewer');
  const item = await tdb.database.db
    .selectFrom('work_items')
    .select(['id', 'duty_id'])
    .where('text', '=', '负责我市对外交往工作')
    .executeTakeFirstOrThrow();
  const waishi = await tdb.database.db
    .selectFrom('offices')
    .select('id')
    .where('name', '=', '外事科')
    .executeTakeFirstOrThrow();
  ids = { item: item.id, duty: item.duty_id, waishi: waishi.id };
  const env = { DATABASE_URL: tdb.url, AUTO_IMPORT: '0' };
  [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
}, 180_000);

afterAll(async () => {
  await Promise.all([stopServerProcess(a), stopServerProcess(b)]);
  await tdb?.close();
});

describe.runIf(onPostgres)('two app instances on one PostgreSQL database', () => {
  it('carry the staff journey request by request, alternating between the instances', async () => {
    const editor = client();
    expect((await editor.get(a.url, '/admin/login')).status).toBe(200); // CSRF cookie from A
    const login = await editor.post(b.url, '/admin/login', {
      username: 'mi-editor',
      password: TEST_PASSWORD,
    });
    expect(login.status).toBe(303); // …accepted by B: one site secret
    const form = await editor.get(
      a.url,
      `/admin/changes/new/item?entity=workItem&op=update&target=${ids.item}`,
    );
    expect(form.status).toBe(200); // the session opened on B is valid on A
    const created = await editor.post(b.url, '/admin/changes/new/item', {
      entity: 'workItem',
      op: 'update',
      target: String(ids.item),
      title: '两个实例的调整',
      reason: '多实例测试',
      dutyId: String(ids.duty),
      text: '负责我市对外交往与友好城市合作工作',
      officeIds: String(ids.waishi),
      remark: '',
    });
    expect(created.status).toBe(303);
    const setId = Number(/\/admin\/changes\/(\d+)/.exec(created.location ?? '')?.[1]);
    expect(setId).toBeGreaterThan(0);
    expect((await editor.post(a.url, `/admin/changes/${setId}/submit`, {})).status).toBe(303);

    const reviewer = client();
    await reviewer.get(b.url, '/admin/login');
    expect(
      (await reviewer.post(a.url, '/admin/login', { username: 'mi-reviewer', password: TEST_PASSWORD }))
        .status,
    ).toBe(303);
    expect((await reviewer.get(b.url, `/admin/changes/${setId}`)).body).toContain('两个实例的调整');
    expect((await reviewer.post(b.url, `/admin/changes/${setId}/approve`, { comment: '同意' })).status).toBe(
      303,
    );
    const pub = await reviewer.post(a.url, `/admin/changes/${setId}/publish`, {
      effectiveDate: '2026-07-01',
      confirm: 'yes',
    });
    expect(pub.status).toBe(303);

    // Published on A: B's pages, API and search index show it (B rechecks the index within a second).
    const api = await fetch(`${b.url}/api/v1/work-items/${ids.item}`);
    expect((await api.json()).text).toBe('负责我市对外交往与友好城市合作工作');
    let found = false;
    for (let i = 0; i < 30 && !found; i++) {
      const s = await fetch(`${b.url}/api/v1/search?q=${encodeURIComponent('友好城市合作')}`);
      found = (await s.text()).includes('负责我市对外交往与友好城市合作工作');
      if (!found) await new Promise((r) => setTimeout(r, 200));
    }
    expect(found).toBe(true);

    // A token bound to the editor's session fails with the reviewer's on the other instance.
    const mixed = await fetch(`${b.url}/admin/changes`, {
      method: 'POST',
      body: new URLSearchParams({ title: 'x', reason: 'y', _csrf: editor.jar.zhize_csrf!.split('.')[0]! }),
      headers: {
        cookie: `zhize_session=${reviewer.jar.zhize_session}; zhize_csrf=${editor.jar.zhize_csrf}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      redirect: 'manual',
    });
    expect(mixed.status).toBe(403);

    // Logging out on B ends the session on A too.
    const session = editor.jar.zhize_session!;
    expect((await fetch(`${a.url}/admin`, { headers: { cookie: `zhize_session=${session}` } })).status).toBe(
      200,
    );
    expect((await editor.post(b.url, '/admin/logout', {})).status).toBe(303);
    const after = await fetch(`${a.url}/admin`, {
      headers: { cookie: `zhize_session=${session}` },
      redirect: 'manual',
    });
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toMatch(/^\/admin\/login/);
  });

  it(`count login failures across both: the ${LOGIN_MAX_FAILURES + 1}th guess is refused whichever instance gets it`, async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= LOGIN_MAX_FAILURES; i++) {
      const c = client();
      const base = i % 2 === 0 ? a.url : b.url;
      await c.get(base, '/admin/login');
      statuses.push(
        (
          await c.post(i % 2 === 0 ? b.url : a.url, '/admin/login', {
            username: 'mi-target',
            password: `guess-${i}`,
          })
        ).status,
      );
    }
    expect(statuses).toEqual([...Array(LOGIN_MAX_FAILURES).fill(401), 429]);
  });

  it(`share the rate limit of a public form: ${PUBLIC_WRITE_LIMIT.max} a minute in all, not per instance`, async () => {
    const c = client();
    await c.get(a.url, '/');
    const statuses: number[] = [];
    for (let i = 0; i <= PUBLIC_WRITE_LIMIT.max; i++) {
      statuses.push(
        (await c.post(i % 2 === 0 ? a.url : b.url, '/preferences/large-text', { enabled: '1', back: '/' }))
          .status,
      );
    }
    expect(statuses.slice(0, PUBLIC_WRITE_LIMIT.max).every((s) => s === 303)).toBe(true);
    expect(statuses[PUBLIC_WRITE_LIMIT.max]).toBe(429);
  });
});
