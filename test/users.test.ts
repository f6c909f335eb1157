import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionUser } from '../src/modules/auth/auth.service.ts';
import { createTestApp, type TestApp } from './helpers.ts';
import { browser, createStaff, loginAs, TEST_PASSWORD } from './staff-helpers.ts';

/** 用户管理 journeys: password resets, role and office changes, disabling with a reason. */

let t: TestApp;
let adminId = 0;
beforeAll(async () => {
  t = await createTestApp({ seed: true });
  adminId = (await createStaff(t.database, 'admin1', 'admin')).id;
});
afterAll(async () => {
  await t.close();
});

const auditOf = (action: string, entityId: number) =>
  t.database.db
    .selectFrom('audit_log')
    .select(['actor', 'before', 'after'])
    .where('entity', '=', 'user')
    .where('action', '=', action)
    .where('entity_id', '=', String(entityId))
    .execute();

describe('an admin resets a password', () => {
  it('shows a generated temporary password once, ends the sessions, and forces a new password at login', async () => {
    const forgot = await createStaff(t.database, 'forgot', 'reviewer');
    const theirs = await loginAs(t.app, 'forgot');
    const admin = await loginAs(t.app, 'admin1');
    const res = await admin.post(`/admin/users/${forgot.id}/password`, { password: '' });
    expect(res.status).toBe(200);
    const temporary = /<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})<\/code>/.exec(res.body)?.[1];
    expect(temporary).toBeTruthy();
    expect(res.body).toContain('只显示这一次');
    expect(await sessionUser(t.database.db, theirs.jar.zhize_session)).toBeNull();
    // Shown once: the page reloaded does not show it again.
    expect((await admin.get(`/admin/users/${forgot.id}`)).body).not.toContain(temporary!);
    // The old password no longer works; the temporary one does, but only for the password page.
    expect(
      (await browser(t.app).post('/admin/login', { username: 'forgot', password: TEST_PASSWORD })).status,
    ).toBe(401);
    const b = await loginAs(t.app, 'forgot', temporary!);
    for (const url of ['/admin', '/admin/', '/admin/changes', '/admin/supervision', '/admin/users']) {
      const page = await b.get(url);
      expect(page.status, url).toBe(303);
      expect(page.location, url).toBe('/admin/password');
    }
    const form = await b.get('/admin/password');
    expect(form.status).toBe(200);
    expect(form.body).toContain('管理员已重置您的密码');
    const same = await b.post('/admin/password', {
      current: temporary!,
      next: temporary!,
      confirm: temporary!,
    });
    expect(same.status).toBe(400);
    const changed = await b.post('/admin/password', {
      current: temporary!,
      next: 'my-own-pass-2026',
      confirm: 'my-own-pass-2026',
    });
    expect(changed.status).toBe(303);
    const after = await loginAs(t.app, 'forgot', 'my-own-pass-2026');
    expect((await after.get('/admin')).status).toBe(200);
    const [entry] = await auditOf('reset-password', forgot.id);
    expect(entry?.actor).toBe('admin1');
    expect(JSON.parse(entry!.after!)).toEqual({
      username: 'forgot',
      mustChangePassword: true,
      generated: true,
    });
    expect(entry!.after).not.toContain(temporary!);
  });

  it('takes a temporary password the admin typed, refusing a weak one with the form kept', async () => {
    const u = await createStaff(t.database, 'typed', 'auditor');
    const admin = await loginAs(t.app, 'admin1');
    const weak = await admin.post(`/admin/users/${u.id}/password`, { password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body).toContain('密码至少需要 10 个字符');
    const ok = await admin.post(`/admin/users/${u.id}/password`, { password: 'temp-pass-4711' });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('temp-pass-4711');
    const b = await loginAs(t.app, 'typed', 'temp-pass-4711');
    expect((await b.get('/admin/audit')).location).toBe('/admin/password');
    expect(JSON.parse((await auditOf('reset-password', u.id))[0]!.after!).generated).toBe(false);
  });
});

describe('an admin changes a role or offices', () => {
  it('changes the role and offices, ends the sessions at once, and audits before and after', async () => {
    const u = await createStaff(t.database, 'mover', 'editor', ['外事科']);
    const theirs = await loginAs(t.app, 'mover');
    const admin = await loginAs(t.app, 'admin1');
    const offices = await t.database.db.selectFrom('offices').select(['id', 'name']).execute();
    const caiwu = offices.find((o) => o.name === '财务科')!.id;
    const waishi = offices.find((o) => o.name === '外事科')!.id;
    const res = await admin.post(`/admin/users/${u.id}/role`, { role: 'editor', officeIds: String(caiwu) });
    expect(res.location).toBe(`/admin/users/${u.id}?done=role-changed`);
    expect(await sessionUser(t.database.db, theirs.jar.zhize_session)).toBeNull();
    const page = await admin.get(res.location!);
    expect(page.body).toContain('角色和科室已修改');
    expect(page.body).toMatch(/科室编辑 · 财务科/);
    const reviewer = await admin.post(`/admin/users/${u.id}/role`, { role: 'reviewer' });
    expect(reviewer.location).toBe(`/admin/users/${u.id}?done=role-changed`);
    const entries = await auditOf('set-role', u.id);
    expect(entries.map((e) => [JSON.parse(e.before!), JSON.parse(e.after!)])).toEqual([
      [
        { role: 'editor', officeIds: [waishi] },
        { role: 'editor', officeIds: [caiwu] },
      ],
      [
        { role: 'editor', officeIds: [caiwu] },
        { role: 'reviewer', officeIds: [] },
      ],
    ]);
    const unchanged = await admin.post(`/admin/users/${u.id}/role`, { role: 'reviewer' });
    expect(unchanged.location).toBe(`/admin/users/${u.id}?done=unchanged`);
    expect(await auditOf('set-role', u.id)).toHaveLength(2);
  });

  it('refuses an editor without an office and an admin removing their own admin role', async () => {
    const u = await createStaff(t.database, 'nooffice', 'auditor');
    const admin = await loginAs(t.app, 'admin1');
    const bare = await admin.post(`/admin/users/${u.id}/role`, { role: 'editor' });
    expect(bare.status).toBe(400);
    expect(bare.body).toContain('科室编辑必须绑定至少一个科室');
    const self = await admin.post(`/admin/users/${adminId}/role`, { role: 'reviewer' });
    expect(self.status).toBe(409);
    expect(self.body).toContain('不能取消自己的系统管理员角色');
    const row = await t.database.db
      .selectFrom('users')
      .select('role')
      .where('id', '=', adminId)
      .executeTakeFirst();
    expect(row?.role).toBe('admin');
    expect(await auditOf('set-role', adminId)).toEqual([]);
  });
});

describe('disabling an account asks first', () => {
  it('asks for the confirmation and a reason, and changes nothing without them', async () => {
    const stays = await createStaff(t.database, 'stays', 'auditor');
    const admin = await loginAs(t.app, 'admin1');
    const page = await admin.get(`/admin/users/${stays.id}`);
    expect(page.body).toContain('name="confirm"');
    expect(page.body).toContain('停用理由');
    const unticked = await admin.post(`/admin/users/${stays.id}/active`, { active: '0', reason: '调离' });
    expect(unticked.status).toBe(400);
    expect(unticked.body).toContain('我已确认');
    expect(unticked.body).toContain('调离');
    const noReason = await admin.post(`/admin/users/${stays.id}/active`, { active: '0', confirm: 'yes' });
    expect(noReason.status).toBe(400);
    expect(noReason.body).toContain('请填写理由');
    expect(await auditOf('disable', stays.id)).toEqual([]);
    await loginAs(t.app, 'stays');
    // The admin's own page offers no way to disable themself: the button is there, disabled, with the reason.
    const own = await admin.get(`/admin/users/${adminId}`);
    expect(own.body).toMatch(/<button type="button" disabled[^>]*>停用账号<\/button>/);
    expect(own.body).toContain('不能停用自己的账号');
  });
});
