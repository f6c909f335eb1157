import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, TEST_PASSWORD } from '../staff-helpers.ts';
import { DESKTOP, type Portal, startPortal } from './support.ts';

/**
 * Account journeys in a real browser: an admin resets a colleague's password, the colleague signs
 * in with the temporary one and can go nowhere but the password page until they choose a new
 * one; and staff paths with a trailing slash answer like the path without it.
 */

let portal: Portal;
const contexts: BrowserContext[] = [];
const NEW_PASSWORD = 'brand-new-pass-77';

beforeAll(async () => {
  portal = await startPortal();
  await createStaff(portal.app.database, 'e2e-admin', 'admin');
  await createStaff(portal.app.database, 'e2e-forgetful', 'auditor');
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await portal?.close();
});

const url = (path: string) => `${portal.baseUrl}${path}`;

async function signIn(username: string, password: string): Promise<Page> {
  const context = await portal.browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(url('/admin/login'));
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/admin/login'));
  return page;
}

describe('a password reset by an admin', () => {
  it('forces the colleague to choose a new password before anything else', async () => {
    const admin = await signIn('e2e-admin', TEST_PASSWORD);
    await admin.goto(url('/admin/users'));
    await admin.locator('tr', { hasText: 'e2e-forgetful' }).getByRole('link', { name: '管理' }).click();
    await admin.getByRole('button', { name: '重置密码' }).click();
    const temporary = (await admin.locator('.temporary-password code').textContent())!.trim();
    expect(temporary.length).toBeGreaterThanOrEqual(10);

    const colleague = await signIn('e2e-forgetful', temporary);
    expect(new URL(colleague.url()).pathname).toBe('/admin/password');
    expect(await colleague.getByText('管理员已重置您的密码').isVisible()).toBe(true);
    // Any other staff page leads back to the password page.
    await colleague.goto(url('/admin/audit'));
    expect(new URL(colleague.url()).pathname).toBe('/admin/password');

    await colleague.getByLabel('当前密码').fill(temporary);
    await colleague.getByLabel(/^新密码/).fill(NEW_PASSWORD);
    await colleague.getByLabel('再次输入新密码').fill(NEW_PASSWORD);
    await colleague.getByRole('button', { name: '修改密码' }).click();
    await colleague.waitForURL((u) => u.pathname === '/admin/login');

    // The temporary password no longer works; the new one does, and the back office opens.
    const again = await signIn('e2e-forgetful', NEW_PASSWORD);
    await again.goto(url('/admin/audit'));
    expect(new URL(again.url()).pathname).toBe('/admin/audit');
    const old = await portal.app.app.inject({
      method: 'POST',
      url: '/admin/login',
      payload: `username=e2e-forgetful&password=${encodeURIComponent(temporary)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(old.statusCode).not.toBe(303);
  });
});

describe('a trailing slash', () => {
  it('answers /admin/ like /admin, and a portal path likewise (HEAD, as curl -I sends)', async () => {
    for (const [bare, slashed] of [
      ['/admin', '/admin/'],
      ['/admin/login', '/admin/login/'],
      ['/duties', '/duties/'],
    ] as const) {
      const a = await fetch(url(bare), { method: 'HEAD', redirect: 'manual' });
      const b = await fetch(url(slashed), { method: 'HEAD', redirect: 'manual' });
      expect(b.status, slashed).toBe(a.status);
      expect(b.headers.get('location'), slashed).toBe(a.headers.get('location'));
      expect(b.headers.get('content-type'), slashed).toBe(a.headers.get('content-type'));
    }
  });
});
