import type { FastifyInstance } from 'fastify';
import type { Database } from '../src/db/database.ts';
import type { Role, SessionUser } from '../src/modules/auth/auth.service.ts';
import { createUser } from '../src/modules/auth/user.service.ts';

/** Staff accounts and logged-in sessions for tests, through the real login form. */

export const TEST_PASSWORD = 'correct-horse-42';

export async function createStaff(
  database: Database,
  username: string,
  role: Role,
  officeNames: string[] = [],
): Promise<SessionUser> {
  const offices = officeNames.length
    ? await database.db
        .selectFrom('offices')
        .select(['id', 'name'])
        .where('name', 'in', officeNames)
        .execute()
    : [];
  if (offices.length !== officeNames.length) throw new Error(`unknown office in ${officeNames.join(',')}`);
  return database.db.transaction().execute((tx) =>
    createUser(tx, {
      username,
      role,
      password: TEST_PASSWORD,
      officeIds: officeNames.map((n) => offices.find((o) => o.name === n)!.id),
      actor: { id: null, name: 'test' },
    }),
  );
}

/** Cookies from a response's set-cookie headers, merged into a jar. */
export function mergeCookies(
  jar: Record<string, string>,
  setCookie: string | string[] | undefined,
): Record<string, string> {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const next = { ...jar };
  for (const c of list) {
    const [pair] = c.split(';');
    const eq = pair!.indexOf('=');
    const name = pair!.slice(0, eq).trim();
    const value = pair!.slice(eq + 1).trim();
    if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) delete next[name];
    else next[name] = value;
  }
  return next;
}

export const cookieHeader = (jar: Record<string, string>) =>
  Object.entries(jar)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

/** The hidden `_csrf` value of the first form in an HTML page. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no _csrf field in page');
  return m[1]!;
}

export interface Browser {
  jar: Record<string, string>;
  get(url: string): Promise<{ status: number; body: string; location?: string }>;
  post(
    url: string,
    form: Record<string, string | string[]>,
    opts?: { csrf?: boolean },
  ): Promise<{ status: number; body: string; location?: string }>;
}

/** A cookie-keeping client over app.inject that posts forms with the page's CSRF token. */
export function browser(app: FastifyInstance): Browser {
  const b: Browser = {
    jar: {},
    async get(url) {
      const res = await app.inject({ method: 'GET', url, headers: { cookie: cookieHeader(b.jar) } });
      b.jar = mergeCookies(b.jar, res.headers['set-cookie']);
      return { status: res.statusCode, body: res.body, location: res.headers.location as string | undefined };
    },
    async post(url, form, opts = {}) {
      const params = new URLSearchParams();
      // The form field repeats the token held in the signed zhize_csrf cookie (double submit).
      if (opts.csrf !== false && !b.jar.zhize_csrf) csrfFrom((await b.get('/admin/login')).body);
      const token = b.jar.zhize_csrf?.split('.')[0];
      for (const [k, v] of Object.entries(form))
        for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
      if (opts.csrf !== false && !('_csrf' in form)) params.append('_csrf', token!);
      const res = await app.inject({
        method: 'POST',
        url,
        payload: params.toString(),
        headers: { cookie: cookieHeader(b.jar), 'content-type': 'application/x-www-form-urlencoded' },
      });
      b.jar = mergeCookies(b.jar, res.headers['set-cookie']);
      return { status: res.statusCode, body: res.body, location: res.headers.location as string | undefined };
    },
  };
  return b;
}

/** Logs in through the form and returns the browser holding the session. */
export async function loginAs(
  app: FastifyInstance,
  username: string,
  password = TEST_PASSWORD,
): Promise<Browser> {
  const b = browser(app);
  const res = await b.post('/admin/login', { username, password });
  if (res.status !== 303)
    throw new Error(`login of ${username} failed: ${res.status} ${res.body.slice(0, 300)}`);
  return b;
}
