import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createApiToken } from '../src/modules/auth/api-token.service.ts';
import {
  LOGIN_MAX_FAILURES,
  LOGIN_MAX_FAILURES_PER_ADDRESS,
  login,
  type SessionUser,
} from '../src/modules/auth/auth.service.ts';
import { fingerprint } from './attack-helpers.ts';
import { createTestApp, type TestApp } from './helpers.ts';
import {
  type Browser,
  browser,
  cookieHeader,
  createStaff,
  loginAs,
  mergeCookies,
  TEST_PASSWORD,
} from './staff-helpers.ts';

/**
 * Attacks on sessions, tokens and logins: CSRF missing, wrong and foreign (an attacker's own valid
 * token with the victim's session), tampered cookies and API tokens, brute force per username and
 * per real client address (X-Forwarded-For believed only from TRUST_PROXY), role escalation through
 * extra form fields. Zero 5xx; a refused request writes nothing.
 */

let t: TestApp;
const users = {} as Record<'admin' | 'editor' | 'inspector', SessionUser>;

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  users.admin = await createStaff(t.database, 'victim-admin', 'admin');
  users.editor = await createStaff(t.database, 'mallory', 'editor', ['外事科']);
  users.inspector = await createStaff(t.database, 'insp-a', 'inspector');
});
afterAll(async () => {
  await t?.close();
});

const NEW_USER = {
  username: 'planted',
  displayName: '植入账号',
  role: 'admin',
  password: 'Planted-pass-123',
};

async function postAs(
  jar: Record<string, string>,
  url: string,
  form: Record<string, string>,
  app: FastifyInstance = t.app,
) {
  const res = await app.inject({
    method: 'POST',
    url,
    payload: new URLSearchParams(form).toString(),
    headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded' },
  });
  return res;
}

const attemptsOf = async (username: string) =>
  t.database.db.selectFrom('login_attempts').selectAll().where('username', '=', username).execute();

describe('CSRF', () => {
  let victim: Browser;
  beforeAll(async () => {
    victim = await loginAs(t.app, 'victim-admin');
  });

  it('refuses a missing or wrong token, and a foreign one: the attacker’s own valid token and cookie with the victim’s session', async () => {
    // The attacker's own pair, valid for them: anonymous, and from their own logged-in session.
    const anonymous = browser(t.app);
    await anonymous.get('/admin/login');
    const mallory = await loginAs(t.app, 'mallory');
    const before = await fingerprint(t.database);
    for (const attacker of [anonymous, mallory]) {
      const theirs = attacker.jar.zhize_csrf!;
      const jar = { zhize_session: victim.jar.zhize_session!, zhize_csrf: theirs };
      const res = await postAs(jar, '/admin/users', { ...NEW_USER, _csrf: theirs.split('.')[0]! });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('安全校验失败');
    }
    // The victim's cookie with the attacker's token, with no token, with a made-up one.
    for (const field of [mallory.jar.zhize_csrf!.split('.')[0]!, '', 'x'.repeat(32)]) {
      const res = await postAs(victim.jar, '/admin/users', { ...NEW_USER, _csrf: field });
      expect(res.statusCode).toBe(403);
    }
    expect(await fingerprint(t.database)).toBe(before);
    // Control: the victim's own token goes through.
    const own = await postAs(victim.jar, '/admin/users', {
      ...NEW_USER,
      username: 'legit-new',
      _csrf: victim.jar.zhize_csrf!.split('.')[0]!,
    });
    expect(own.statusCode).toBe(303);
  });

  it('binds the token to the session: the pre-login token stops working once logged in, the login hands out a new one', async () => {
    const b = browser(t.app);
    await b.get('/admin/login');
    const before = b.jar.zhize_csrf!;
    const res = await b.post('/admin/login', { username: 'mallory', password: TEST_PASSWORD });
    expect(res.status).toBe(303);
    expect(b.jar.zhize_csrf).not.toBe(before);
    const old = await postAs({ ...b.jar, zhize_csrf: before }, '/admin/changes', {
      title: 't',
      reason: 'r',
      _csrf: before.split('.')[0]!,
    });
    expect(old.statusCode).toBe(403);
  });

  it('refuses a token cookie signed by another site’s key', async () => {
    const other = await buildApp({ config: t.config, database: t.database, logger: false });
    // Same database, so same key: a key of its own needs another database's secret. Forge one instead.
    await other.close();
    const [token] = victim.jar.zhize_csrf!.split('.');
    const forged = `${token}.${Buffer.from('forged-signature-bytes-32-long!!').toString('base64url')}`;
    const res = await postAs({ ...victim.jar, zhize_csrf: forged }, '/admin/changes', {
      title: 't',
      _csrf: token!,
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('tampered cookies and tokens', () => {
  it('treats a tampered, truncated or foreign session cookie as no session', async () => {
    const b = await loginAs(t.app, 'victim-admin');
    const s = b.jar.zhize_session!;
    const flip = (c: string) => (c === 'A' ? 'B' : 'A');
    for (const bad of [
      `${s.slice(0, -1)}${flip(s.slice(-1))}`,
      s.slice(0, 20),
      `${s}x`,
      '',
      "' OR '1'='1",
      '../../etc/passwd',
      '%00',
      'a'.repeat(5000),
    ]) {
      const res = await t.app.inject({ method: 'GET', url: '/admin', cookies: { zhize_session: bad } });
      expect(res.statusCode, bad.slice(0, 20)).toBe(303);
      expect(res.headers.location).toMatch(/^\/admin\/login/);
      const api = await t.app.inject({
        method: 'GET',
        url: '/api/v1/staff/me',
        cookies: { zhize_session: bad },
      });
      expect(api.statusCode).toBe(401);
    }
    expect(
      (await t.app.inject({ method: 'GET', url: '/admin', cookies: { zhize_session: s } })).statusCode,
    ).toBe(200);
  });

  it('refuses a tampered, truncated, wrongly prefixed or revoked API token with 401', async () => {
    const { token } = await t.database.db
      .transaction()
      .execute((tx) =>
        createApiToken(tx, { username: 'victim-admin', name: '测试', actor: { id: null, name: 'test' } }),
      );
    const me = (auth: string) =>
      t.app.inject({ method: 'GET', url: '/api/v1/staff/me', headers: { authorization: auth } });
    expect((await me(`Bearer ${token}`)).statusCode).toBe(200);
    for (const auth of [
      `Bearer ${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`,
      `Bearer ${token.slice(0, 30)}`,
      `Bearer ${token.replace('zhize_', 'other_')}`,
      `Bearer ${token} extra`,
      `Basic ${Buffer.from(`victim-admin:${TEST_PASSWORD}`).toString('base64')}`,
      'Bearer ',
      `Bearer ${'a'.repeat(10_000)}`,
      "Bearer ' OR 1=1 --",
    ]) {
      const res = await me(auth);
      expect(res.statusCode, auth.slice(0, 30)).toBe(401);
    }
  });
});

describe('brute force', () => {
  it(`checks at most ${LOGIN_MAX_FAILURES} passwords of 18 parallel guesses at one username`, async () => {
    await createStaff(t.database, 'target', 'reviewer');
    const guesses = Array.from({ length: 18 }, (_, i) =>
      t.app.inject({
        method: 'POST',
        url: '/admin/login',
        remoteAddress: `192.0.2.${i + 1}`, // from 18 addresses: only the per-username count stops them
        payload: new URLSearchParams({ username: 'target', password: `guess-${i}`, _csrf: '' }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
    // The login form wants its CSRF token: fetch one per address first, then fire all at once.
    await Promise.all(guesses); // (refused by CSRF: nothing checked — the control below)
    expect(await attemptsOf('target')).toHaveLength(0);
    const clients = await Promise.all(
      Array.from({ length: 18 }, async (_, i) => {
        const page = await t.app.inject({
          method: 'GET',
          url: '/admin/login',
          remoteAddress: `192.0.2.${i + 1}`,
        });
        const jar = mergeCookies({}, page.headers['set-cookie']);
        return { jar, ip: `192.0.2.${i + 1}`, token: jar.zhize_csrf!.split('.')[0]! };
      }),
    );
    const results = await Promise.all(
      clients.map((c, i) =>
        t.app.inject({
          method: 'POST',
          url: '/admin/login',
          remoteAddress: c.ip,
          payload: new URLSearchParams({
            username: 'target',
            password: `guess-${i}`,
            _csrf: c.token,
          }).toString(),
          headers: { cookie: cookieHeader(c.jar), 'content-type': 'application/x-www-form-urlencoded' },
        }),
      ),
    );
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(LOGIN_MAX_FAILURES);
    expect(statuses.filter((s) => s === 429)).toHaveLength(18 - LOGIN_MAX_FAILURES);
    // One recorded attempt per checked password.
    expect(await attemptsOf('target')).toHaveLength(LOGIN_MAX_FAILURES);
    // The right password is refused too while the username is throttled.
    const right = await login(t.database.db, 'target', TEST_PASSWORD, '192.0.2.200').catch((e) => e);
    expect(right.status).toBe(429);
  });

  it(`throttles one address after ${LOGIN_MAX_FAILURES_PER_ADDRESS} failures, whatever the usernames`, async () => {
    const ip = '192.0.2.99';
    for (let i = 0; i < LOGIN_MAX_FAILURES_PER_ADDRESS; i++) {
      const e = await login(t.database.db, `nobody-${i}`, 'x', ip).catch((err) => err);
      expect(e.status).toBe(401);
    }
    const e = await login(t.database.db, 'nobody-last', 'x', ip).catch((err) => err);
    expect(e.status).toBe(429);
  });

  it('counts per real address: rotated X-Forwarded-For values from an untrusted peer are ignored', async () => {
    const peer = '198.51.100.200';
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      const page = await t.app.inject({ method: 'GET', url: '/admin/login', remoteAddress: peer });
      const jar = mergeCookies({}, page.headers['set-cookie']);
      const res = await t.app.inject({
        method: 'POST',
        url: '/admin/login',
        remoteAddress: peer,
        payload: new URLSearchParams({
          username: `rot-${i}`,
          password: 'x',
          _csrf: jar.zhize_csrf!.split('.')[0]!,
        }).toString(),
        headers: {
          cookie: cookieHeader(jar),
          'content-type': 'application/x-www-form-urlencoded',
          'x-forwarded-for': `10.${i}.${i}.${i}`,
          'x-real-ip': `10.${i}.0.1`,
        },
      });
      statuses.push(res.statusCode);
    }
    // The login route allows 20 a minute per address: the rotation did not make new addresses.
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
    const rows = await t.database.db
      .selectFrom('login_attempts')
      .select('ip')
      .where('username', 'like', 'rot-%')
      .execute();
    expect(new Set(rows.map((r) => r.ip))).toEqual(new Set([peer]));
  });

  it('believes X-Forwarded-For from a configured proxy (TRUST_PROXY) and from nobody else', async () => {
    const config = {
      ...t.config,
      trustProxy: loadConfig({ TRUST_PROXY: '10.9.9.9, 10.8.0.0/16' }).trustProxy,
    };
    const app = await buildApp({ config, database: t.database, logger: false });
    await app.ready();
    try {
      const attempt = async (remoteAddress: string, forwarded: string, username: string) => {
        const page = await app.inject({ method: 'GET', url: '/admin/login', remoteAddress });
        const jar = mergeCookies({}, page.headers['set-cookie']);
        await app.inject({
          method: 'POST',
          url: '/admin/login',
          remoteAddress,
          payload: new URLSearchParams({
            username,
            password: 'x',
            _csrf: jar.zhize_csrf!.split('.')[0]!,
          }).toString(),
          headers: {
            cookie: cookieHeader(jar),
            'content-type': 'application/x-www-form-urlencoded',
            'x-forwarded-for': forwarded,
          },
        });
        return (await attemptsOf(username))[0]?.ip;
      };
      expect(await attempt('10.9.9.9', '203.0.113.5', 'xff-1')).toBe('203.0.113.5');
      expect(await attempt('10.8.1.2', '203.0.113.6', 'xff-2')).toBe('203.0.113.6');
      // A client that prepends its own value: the address the proxy saw is the one believed.
      expect(await attempt('10.9.9.9', '1.2.3.4, 203.0.113.7', 'xff-3')).toBe('203.0.113.7');
      expect(await attempt('198.51.100.7', '203.0.113.8', 'xff-4')).toBe('198.51.100.7');
    } finally {
      await app.close();
    }
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/40' })).toThrow(/TRUST_PROXY/);
  });
});

describe('role escalation through the forms', () => {
  it('ignores role and office fields an editor adds to their own forms, and refuses the admin forms', async () => {
    const mallory = await loginAs(t.app, 'mallory');
    const before = await fingerprint(t.database);
    for (const [url, form] of [
      [`/admin/users/${users.editor.id}/role`, { role: 'admin' }],
      ['/admin/users', { ...NEW_USER }],
      [`/admin/users/${users.admin.id}/active`, { active: '0' }],
      [`/admin/users/${users.admin.id}/password`, { confirm: 'yes' }],
    ] as const) {
      const res = await mallory.post(url, form);
      expect(res.status, url).toBe(403);
    }
    expect(await fingerprint(t.database)).toBe(before);
    await mallory.post('/admin/password', {
      current: 'wrong',
      next: 'New-pass-12345',
      confirm: 'New-pass-12345',
      role: 'admin',
      officeIds: '1',
    });
    const me = await t.database.db
      .selectFrom('users')
      .select('role')
      .where('id', '=', users.editor.id)
      .executeTakeFirstOrThrow();
    expect(me.role).toBe('editor');
  });

  it('refuses an inspector’s API token on the intake API, and nothing is filed', async () => {
    const { token } = await t.database.db
      .transaction()
      .execute((tx) =>
        createApiToken(tx, { username: 'insp-a', name: '测试', actor: { id: null, name: 'test' } }),
      );
    const before = await fingerprint(t.database);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/staff/complaints',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({
        kind: 'complaint',
        description: '12345转来：某超市发行的购物卡违规发卡，单张面值超过5000元。',
        contactName: '张三',
        contactPhone: '13812341234',
        consent: true,
      }),
    });
    expect(res.statusCode, res.body).toBe(403);
    expect(await fingerprint(t.database)).toBe(before);
  });
});
