import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, verifyAudit } from '../src/modules/audit/index.ts';
import { SESSION_IDLE_MS, sessionUser } from '../src/modules/auth/auth.service.ts';
import { addChange, createChangeSet, transitionChangeSet } from '../src/modules/changes/changeset.service.ts';
import { diffVersions, listVersions } from '../src/modules/registry/versions/version.service.ts';
import { createTestApp, type TestApp } from './helpers.ts';
import { browser, createStaff, loginAs, TEST_PASSWORD } from './staff-helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ seed: true });
  await createStaff(t.database, 'admin1', 'admin');
  await createStaff(t.database, 'waishi', 'editor', ['外事科']);
  await createStaff(t.database, 'caiwu', 'editor', ['财务科']);
  await createStaff(t.database, 'leader', 'reviewer');
  await createStaff(t.database, 'audit1', 'auditor');
});
afterAll(async () => {
  await t.close();
});

const user = async (username: string) => {
  const u = await t.database.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  const { loadUser } = await import('../src/modules/auth/auth.service.ts');
  return (await loadUser(t.database.db, u.id))!;
};

describe('login and sessions', () => {
  it('logs in with the right password and opens the back office', async () => {
    const b = await loginAs(t.app, 'admin1');
    expect(b.jar.zhize_session).toBeTruthy();
    const page = await b.get('/admin/password');
    expect(page.status).toBe(200);
    expect(page.body).toContain('修改密码');
  });

  it('refuses a wrong password with a Chinese message and no session', async () => {
    const b = browser(t.app);
    const res = await b.post('/admin/login', { username: 'admin1', password: 'wrong-password-1' });
    expect(res.status).toBe(401);
    expect(res.body).toContain('用户名或密码不正确');
    expect(b.jar.zhize_session).toBeUndefined();
  });

  it('refuses a login form posted without the CSRF token', async () => {
    const b = browser(t.app);
    const res = await b.post(
      '/admin/login',
      { username: 'admin1', password: TEST_PASSWORD },
      { csrf: false },
    );
    expect(res.status).toBe(403);
    expect(b.jar.zhize_session).toBeUndefined();
  });

  it('sends the anonymous to the login page, remembering where they were going', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/admin/password' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/login?next=%2Fadmin%2Fpassword');
  });

  it('issues a fresh session token at login, ignoring one planted before (no session fixation)', async () => {
    const b = browser(t.app);
    b.jar.zhize_session = 'attacker-chosen-token';
    await b.post('/admin/login', { username: 'leader', password: TEST_PASSWORD });
    expect(b.jar.zhize_session).not.toBe('attacker-chosen-token');
    expect(await sessionUser(t.database.db, 'attacker-chosen-token')).toBeNull();
    expect((await sessionUser(t.database.db, b.jar.zhize_session))?.username).toBe('leader');
  });

  it('ends the session on logout', async () => {
    const b = await loginAs(t.app, 'audit1');
    const token = b.jar.zhize_session!;
    const res = await b.post('/admin/logout', {});
    expect(res.status).toBe(303);
    expect(await sessionUser(t.database.db, token)).toBeNull();
    expect((await b.get('/admin/password')).status).toBe(303);
  });

  it('expires an idle session', async () => {
    const b = await loginAs(t.app, 'audit1');
    const later = Date.now() + SESSION_IDLE_MS + 1000;
    expect(await sessionUser(t.database.db, b.jar.zhize_session, later)).toBeNull();
  });

  it('ends every session of the user when the password changes', async () => {
    await createStaff(t.database, 'changer', 'reviewer');
    const one = await loginAs(t.app, 'changer');
    const two = await loginAs(t.app, 'changer');
    const res = await one.post('/admin/password', {
      current: TEST_PASSWORD,
      next: 'new-password-99',
      confirm: 'new-password-99',
    });
    expect(res.status).toBe(303);
    expect(await sessionUser(t.database.db, two.jar.zhize_session)).toBeNull();
    expect(await sessionUser(t.database.db, one.jar.zhize_session)).toBeNull();
    await loginAs(t.app, 'changer', 'new-password-99');
  });

  it('throttles repeated failures for a username and says when to retry', async () => {
    await createStaff(t.database, 'victim', 'auditor');
    const b = browser(t.app);
    for (let i = 0; i < 5; i++)
      await b.post('/admin/login', { username: 'victim', password: `wrong-${i}-password` });
    const res = await b.post('/admin/login', { username: 'victim', password: TEST_PASSWORD });
    expect(res.status).toBe(429);
    expect(res.body).toContain('登录失败次数过多');
  });
});

describe('reviewed, versioned list changes', () => {
  it('keeps an editor change invisible to the public until a reviewer publishes it, then shows a diff', async () => {
    const editor = await user('waishi');
    const reviewer = await user('leader');
    const item = await t.database.db
      .selectFrom('work_items')
      .select(['id', 'duty_id', 'text'])
      .where('text', '=', '负责我市对外交往工作')
      .executeTakeFirstOrThrow();
    const office = await t.database.db
      .selectFrom('offices')
      .select('id')
      .where('name', '=', '外事科')
      .executeTakeFirstOrThrow();
    const setId = await t.database.db.transaction().execute(async (trx) => {
      const id = await createChangeSet(trx, editor, {
        title: '调整对外交往职责表述',
        reason: '依据市委外办〔2026〕3号通知',
      });
      await addChange(trx, editor, id, {
        entity: 'workItem',
        op: 'update',
        targetId: item.id,
        payload: {
          dutyId: item.duty_id,
          text: '负责我市对外交往和友好往来工作',
          officeIds: [office.id],
          remark: null,
        },
      });
      await transitionChangeSet(trx, editor, id, 'submit');
      return id;
    });
    const publicView = async () =>
      (await t.app.inject({ method: 'GET', url: `/api/v1/work-items/${item.id}` })).json().text;
    expect(await publicView()).toBe('负责我市对外交往工作');
    await t.database.db.transaction().execute(async (trx) => {
      await transitionChangeSet(trx, reviewer, setId, 'approve', { comment: '同意' });
    });
    expect(await publicView()).toBe('负责我市对外交往工作');
    const published = await t.database.db
      .transaction()
      .execute((trx) =>
        transitionChangeSet(trx, reviewer, setId, 'publish', { effectiveDate: '2026-12-01' }),
      );
    expect(published.status).toBe('published');
    expect(await publicView()).toBe('负责我市对外交往和友好往来工作');
    const versions = await listVersions(t.database.db);
    expect(versions[0]).toMatchObject({ number: published.version, effectiveDate: '2026-12-01' });
    const diff = await diffVersions(t.database.db, 1, published.version!);
    expect(diff.changed).toHaveLength(1);
    expect(diff.changed[0]!.changes).toEqual([
      { field: '具体工作事项', before: '负责我市对外交往工作', after: '负责我市对外交往和友好往来工作' },
    ]);
  });

  it('refuses an editor changing another office’s item, and a reviewer approving their own set', async () => {
    const editor = await user('caiwu');
    const item = await t.database.db
      .selectFrom('work_items')
      .select(['id', 'duty_id'])
      .where('text', '=', '承办市领导对外交往事宜')
      .executeTakeFirstOrThrow();
    const caiwu = await t.database.db
      .selectFrom('offices')
      .select('id')
      .where('name', '=', '财务科')
      .executeTakeFirstOrThrow();
    await expect(
      t.database.db.transaction().execute(async (trx) => {
        const id = await createChangeSet(trx, editor, { title: '越权', reason: '测试' });
        await addChange(trx, editor, id, {
          entity: 'workItem',
          op: 'update',
          targetId: item.id,
          payload: { dutyId: item.duty_id, text: '改掉别人的', officeIds: [caiwu.id], remark: null },
        });
      }),
    ).rejects.toMatchObject({ status: 403 });
    const admin = await user('admin1');
    await expect(
      t.database.db.transaction().execute(async (trx) => {
        const id = await createChangeSet(trx, admin, { title: '自审', reason: '测试' });
        await addChange(trx, admin, id, { entity: 'workItem', op: 'retire', targetId: item.id });
        await transitionChangeSet(trx, admin, id, 'submit');
        await transitionChangeSet(trx, admin, id, 'approve');
      }),
    ).rejects.toMatchObject({ status: 403 });
  });

  it('serves an earlier version through ?version=', async () => {
    const item = await t.database.db
      .selectFrom('work_items')
      .select('id')
      .where('text', '=', '负责我市对外交往和友好往来工作')
      .executeTakeFirstOrThrow();
    const v1 = await t.app.inject({ method: 'GET', url: `/api/v1/work-items?version=1&limit=500` });
    expect(v1.statusCode).toBe(200);
    const old = v1.json().items.find((i: { id: number }) => i.id === item.id);
    expect(old.text).toBe('负责我市对外交往工作');
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/versions' });
    expect(list.json().items.length).toBeGreaterThanOrEqual(2);
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/work-items?version=99' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.message).toBe('未找到第 99 版');
    const diff = await t.app.inject({ method: 'GET', url: '/api/v1/versions/1/diff/2' });
    expect(diff.json().changed[0].changes[0].field).toBe('具体工作事项');
  });
});

describe('audit trail', () => {
  it('chains every write and verifies clean', async () => {
    const v = await verifyAudit(t.database.db);
    expect(v.ok).toBe(true);
    expect(v.entries).toBeGreaterThan(10);
  });

  it('detects an entry edited with plain SQL and names it, through zhize audit verify', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhize-audit-'));
    const url = `sqlite:${join(dir, 'a.sqlite')}`;
    const env = { ...process.env, DATABASE_URL: url };
    const imp = spawnSync('./bin/zhize', ['import', 'data-bundled/source.txt'], { encoding: 'utf8', env });
    expect(imp.status).toBe(0);
    const mk = spawnSync('./bin/zhize', ['user', 'create', 'boss', '--role', 'admin', '--password-stdin'], {
      encoding: 'utf8',
      env,
      input: 'a-strong-password-1\n',
    });
    expect(mk.status).toBe(0);
    expect(mk.stdout).toContain('已创建用户 boss');
    expect(spawnSync('./bin/zhize', ['audit', 'verify'], { encoding: 'utf8', env }).status).toBe(0);
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(join(dir, 'a.sqlite'));
    raw.prepare("update audit_log set actor = 'someone-else' where seq = 2").run();
    raw.close();
    const bad = spawnSync('./bin/zhize', ['audit', 'verify'], { encoding: 'utf8', env });
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toContain('第 2 条审计记录');
    expect(bad.stdout).toContain('已被修改');
  });

  it('detects a deleted and a reordered entry', async () => {
    const db = t.database.db;
    await db
      .transaction()
      .execute((trx) => appendAudit(trx, { actor: { id: null, name: 'test' }, action: 'x', entity: 'y' }));
    const rows = await db.selectFrom('audit_log').select(['id', 'seq']).orderBy('seq').execute();
    const victim = rows[3]!;
    const saved = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '=', victim.id)
      .executeTakeFirstOrThrow();
    await db.deleteFrom('audit_log').where('id', '=', victim.id).execute();
    const del = await verifyAudit(db);
    expect(del.ok).toBe(false);
    expect(del.problems.some((p) => p.kind === 'deleted' && p.seq === victim.seq)).toBe(true);
    await db.insertInto('audit_log').values(saved).execute();
    expect((await verifyAudit(db)).ok).toBe(true);
    // Swap the contents of two entries (keeping their seq numbers): the chain breaks there.
    const a = await db.selectFrom('audit_log').selectAll().where('seq', '=', 5).executeTakeFirstOrThrow();
    const b = await db.selectFrom('audit_log').selectAll().where('seq', '=', 6).executeTakeFirstOrThrow();
    await sql`update audit_log set seq = -1 where id = ${a.id}`.execute(db);
    await sql`update audit_log set seq = 5 where id = ${b.id}`.execute(db);
    await sql`update audit_log set seq = 6 where id = ${a.id}`.execute(db);
    const swapped = await verifyAudit(db);
    expect(swapped.ok).toBe(false);
    expect(swapped.problems.map((p) => p.seq)).toContain(5);
  });
});

describe('published changes reach search', () => {
  it('finds a published work item text through the search API and no longer finds the old one', async () => {
    const found = await t.app.inject({
      method: 'GET',
      url: `/api/v1/search?q=${encodeURIComponent('友好往来')}`,
    });
    expect(found.statusCode).toBe(200);
    const body = found.json() as { groups: Array<{ hits: Array<{ title: string }> }> };
    const titles = body.groups.flatMap((g) => g.hits.map((h) => h.title));
    expect(titles).toContain('负责我市对外交往和友好往来工作');
    expect(titles).not.toContain('负责我市对外交往工作');
  });
});

describe('disabling an account', () => {
  it('ends the account’s sessions and refuses its logins; an admin cannot disable themself', async () => {
    const leaver = await createStaff(t.database, 'leaver', 'reviewer');
    const theirs = await loginAs(t.app, 'leaver');
    const admin = await loginAs(t.app, 'admin1');
    const confirmed = { active: '0', confirm: 'yes', reason: '调离本局' };
    const res = await admin.post(`/admin/users/${leaver.id}/active`, confirmed);
    expect(res.status).toBe(303);
    expect(res.location).toBe('/admin/users?done=user-disabled');
    expect(await sessionUser(t.database.db, theirs.jar.zhize_session)).toBeNull();
    const again = await browser(t.app).post('/admin/login', { username: 'leaver', password: TEST_PASSWORD });
    expect(again.status).toBe(401);
    const self = await user('admin1');
    const refused = await admin.post(`/admin/users/${self.id}/active`, confirmed);
    expect(refused.status).toBe(409);
    expect(refused.body).toContain('不能停用自己的账号');
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id', 'after'])
      .where('entity', '=', 'user')
      .where('action', '=', 'disable')
      .execute();
    expect(audit).toEqual([
      {
        action: 'disable',
        entity_id: String(leaver.id),
        after: JSON.stringify({ active: false, reason: '调离本局' }),
      },
    ]);
    await admin.post(`/admin/users/${leaver.id}/active`, { active: '1' });
    await loginAs(t.app, 'leaver');
  });
});

describe('paths with a trailing slash', () => {
  it('answers /admin/ and other staff and portal paths like the path without the slash', async () => {
    const head = await t.app.inject({ method: 'HEAD', url: '/admin/' });
    const bare = await t.app.inject({ method: 'HEAD', url: '/admin' });
    expect(head.statusCode).toBe(303);
    expect(head.statusCode).toBe(bare.statusCode);
    // The login page returns to the path the slash stands for: the same answer as the bare path.
    expect(head.headers.location).toBe('/admin/login?next=%2Fadmin');
    expect(head.headers.location).toBe(bare.headers.location);
    const admin = await loginAs(t.app, 'admin1');
    for (const url of ['/admin/', '/admin/users/', '/admin/audit/']) {
      const slashed = await admin.get(url);
      expect(slashed.status, url).toBe(200);
      expect(slashed.body, url).toContain('<html lang="zh-CN"');
    }
    for (const url of ['/departments', '/boundaries', '/services', '/supervision', '/changes']) {
      const [a, b] = await Promise.all([
        t.app.inject({ method: 'GET', url }),
        t.app.inject({ method: 'GET', url: `${url}/` }),
      ]);
      expect(b.statusCode, url).toBe(200);
      expect(b.statusCode, url).toBe(a.statusCode);
      expect(b.headers['content-type'], url).toBe(a.headers['content-type']);
    }
    const headPortal = await t.app.inject({ method: 'HEAD', url: '/departments/' });
    expect(headPortal.statusCode).toBe(200);
    // The API documentation and static files still answer.
    expect((await t.app.inject({ method: 'GET', url: '/api/docs/' })).statusCode).toBeLessThan(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBeLessThan(400);
    const css = await t.app.inject({ method: 'GET', url: '/static/portal.css' });
    expect(css.statusCode).toBe(200);
  });
});
