import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../src/modules/auth/index.ts';
import { createStaff, loginAs } from './staff-helpers.ts';
import { createSharedApp, type SharedApp } from './token-helpers.ts';

/**
 * API tokens (issue 9 item 6): made and revoked on the command line, stored as a hash only,
 * audited, and accepted as `Authorization: Bearer …` on the staff API alone — never on the cookie
 * pages, and the staff API never takes a session cookie instead.
 */

let s: SharedApp;

beforeAll(async () => {
  s = await createSharedApp({ seed: true });
  await createStaff(s.database, 'api12345', 'editor', ['市场秩序和政策法规科']);
  await createStaff(s.database, 'tokenadmin', 'admin');
});
afterAll(async () => {
  await s?.close();
});

const me = (token: string | null, cookie?: string) =>
  s.app.inject({
    method: 'GET',
    url: '/api/v1/staff/me',
    headers: {
      ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
      ...(cookie ? { cookie } : {}),
    },
  });

async function newToken(...extra: string[]): Promise<{ token: string; id: number }> {
  const r = await s.cli('token', 'create', 'api12345', '--name', '12345 平台对接', ...extra);
  expect(r.code, r.err).toBe(0);
  const token = r.out.trim();
  const id = Number(/令牌 (\d+)/.exec(r.err)![1]);
  return { token, id };
}

describe('zhize token create / list / revoke', () => {
  it('prints a 32-byte random token once, on stdout alone, and keeps only its SHA-256', async () => {
    const { token, id } = await newToken('--days', '30');
    expect(token).toMatch(/^zhize_[A-Za-z0-9_-]{43}$/);
    const row = await s.database.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const { createHash } = await import('node:crypto');
    expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(token.slice(6, 30));
    const days = (Date.parse(row.expires_at) - Date.parse(row.created_at)) / 86_400_000;
    expect(days).toBe(30);
    const list = await s.cli('token', 'list');
    expect(list.code).toBe(0);
    expect(list.out).toContain(`${id}\tapi12345\t12345 平台对接\t有效`);
    expect(list.out).not.toContain(token);
    expect(list.out).not.toContain(row.token_hash);
    const json = JSON.parse((await s.cli('token', 'list', '--json')).out);
    expect(json.find((t: { id: number }) => t.id === id)).toMatchObject({
      username: 'api12345',
      state: '有效',
    });
    expect(JSON.stringify(json)).not.toContain(row.token_hash);
  });

  it('refuses a bad --days, an unknown user and a disabled account', async () => {
    expect((await s.cli('token', 'create', 'api12345', '--days', '0')).code).toBe(1);
    expect((await s.cli('token', 'create', 'api12345', '--days', '999')).err).toContain('1–366');
    expect((await s.cli('token', 'create', 'api12345', '--days', 'x')).code).toBe(2);
    expect((await s.cli('token', 'create', 'nobody')).err).toContain('未找到用户“nobody”');
    await createStaff(s.database, 'gone', 'auditor');
    await s.database.db.updateTable('users').set({ active: 0 }).where('username', '=', 'gone').execute();
    expect((await s.cli('token', 'create', 'gone')).err).toContain('已停用');
  });

  it('writes an audit entry for creation and revocation, without the token, and the chain verifies', async () => {
    const { token, id } = await newToken();
    expect((await s.cli('token', 'revoke', String(id))).code).toBe(0);
    const again = await s.cli('token', 'revoke', String(id));
    expect(again.code).toBe(1);
    expect(again.err).toContain('已经吊销');
    const entries = await s.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'after'])
      .where('entity', '=', 'api_token')
      .where('entity_id', '=', String(id))
      .orderBy('seq')
      .execute();
    expect(entries.map((e) => e.action)).toEqual(['create-token', 'revoke-token']);
    expect(entries[0]!.actor).toMatch(/^cli:/);
    expect(JSON.parse(entries[0]!.after!)).toMatchObject({ user: 'api12345', name: '12345 平台对接' });
    expect(JSON.stringify(entries)).not.toContain(token);
    const verify = await s.cli('audit', 'verify');
    expect(verify.code, verify.out).toBe(0);
  });
});

describe('the bearer path of the staff API', () => {
  it('gives the token the SessionUser of its account: role and offices apply', async () => {
    const { token } = await newToken();
    const res = await me(token);
    expect(res.statusCode, res.body).toBe(200);
    const office = await s.database.db
      .selectFrom('offices')
      .select('id')
      .where('name', '=', '市场秩序和政策法规科')
      .executeTakeFirstOrThrow();
    expect(res.json()).toMatchObject({
      username: 'api12345',
      role: 'editor',
      roleName: '科室编辑',
      officeIds: [office.id],
    });
    // A role change applies to the token at once.
    await s.database.db
      .updateTable('users')
      .set({ role: 'reviewer' })
      .where('username', '=', 'api12345')
      .execute();
    expect((await me(token)).json().role).toBe('reviewer');
    await s.database.db
      .updateTable('users')
      .set({ role: 'editor' })
      .where('username', '=', 'api12345')
      .execute();
    const row = await s.database.db
      .selectFrom('api_tokens')
      .select('last_used_at')
      .where('token_hash', '!=', '')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(row.last_used_at).not.toBeNull();
  });

  it('answers 401 without a token, with an unknown, revoked or expired one, and for a disabled account', async () => {
    expect((await me(null)).statusCode).toBe(401);
    const unknown = await me('zhize_not-a-real-token-at-all-0000000000000000000');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.headers['www-authenticate']).toContain('invalid_token');
    expect(unknown.json().error.message).toContain('API 令牌无效');
    expect((await me('')).statusCode).toBe(401);

    const { token, id } = await newToken();
    expect((await me(token)).statusCode).toBe(200);
    await s.cli('token', 'revoke', String(id));
    expect((await me(token)).statusCode).toBe(401);

    const expired = await s.database.db.transaction().execute((tx) =>
      createApiToken(tx, {
        username: 'api12345',
        name: '过期',
        days: 1,
        actor: { id: null, name: 'test' },
        now: Date.now() - 2 * 86_400_000,
      }),
    );
    expect((await me(expired.token)).statusCode).toBe(401);

    await createStaff(s.database, 'leaver', 'auditor');
    const leaverToken = (await s.cli('token', 'create', 'leaver')).out.trim();
    expect((await me(leaverToken)).statusCode).toBe(200);
    await s.database.db.updateTable('users').set({ active: 0 }).where('username', '=', 'leaver').execute();
    expect((await me(leaverToken)).statusCode).toBe(401);
  });

  it('does not take a session cookie instead of a token (no cookies, so no CSRF on the staff API)', async () => {
    const b = await loginAs(s.app, 'tokenadmin');
    const cookie = Object.entries(b.jar)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
    expect((await s.app.inject({ method: 'GET', url: '/admin', headers: { cookie } })).statusCode).toBe(200);
    expect((await me(null, cookie)).statusCode).toBe(401);
  });

  it('is never accepted on the cookie-session pages', async () => {
    const { token } = await newToken();
    const page = await s.app.inject({
      method: 'GET',
      url: '/admin',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toMatch(/^\/admin\/login/);
    const post = await s.app.inject({
      method: 'POST',
      url: '/admin/changes',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'title=x&reason=y',
    });
    expect([401, 403]).toContain(post.statusCode);
  });

  it('is documented in the OpenAPI document with the bearer scheme', async () => {
    const doc = (await s.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/api/v1/staff/me'].get.security).toEqual([{ bearerAuth: [] }]);
  });
});
