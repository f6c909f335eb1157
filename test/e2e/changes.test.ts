import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, TEST_PASSWORD } from '../staff-helpers.ts';
import { DESKTOP, type Portal, startPortal } from './support.ts';

/**
 * The change-set journey in a real browser, clicked as a new member of staff would: an editor
 * proposes a change, a reviewer returns it, the editor fixes the title, the 调整依据 and the change
 * and resubmits, the reviewer approves and publishes (ticking the confirmation), and the portal
 * shows the new text.
 */

let portal: Portal;
let dutyId = 0;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  portal = await startPortal();
  await createStaff(portal.app.database, 'e2e-editor', 'editor', ['外事科']);
  await createStaff(portal.app.database, 'e2e-reviewer', 'reviewer');
  dutyId = (
    await portal.app.database.db
      .selectFrom('work_items')
      .select('duty_id')
      .where('text', '=', '负责我市对外交往工作')
      .executeTakeFirstOrThrow()
  ).duty_id;
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await portal?.close();
});

const url = (path: string) => `${portal.baseUrl}${path}`;

/** A browser of one person, signed in through the login form. */
async function signIn(username: string): Promise<Page> {
  const context = await portal.browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(url('/admin/login'));
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/admin/login'));
  return page;
}

const heading = (page: Page) => page.locator('h1').first().textContent();

describe('return → edit → resubmit → approve → publish', () => {
  it('works by clicking through the back office, and the portal shows the published text', async () => {
    const editor = await signIn('e2e-editor');
    const reviewer = await signIn('e2e-reviewer');

    // The editor finds their work item among the records they may change and proposes a new text.
    await editor.goto(url('/admin/records'));
    await editor
      .locator('li', { hasText: '负责我市对外交往工作' })
      .first()
      .getByRole('link', { name: '修改', exact: true })
      .click();
    await editor.getByLabel('调整单标题').fill('调整对外交往表述');
    await editor.getByLabel(/调整依据/).fill('市委外办通知');
    await editor.getByLabel('具体工作事项').fill('负责我市对外交往与合作工作');
    await editor.getByRole('button', { name: '创建调整单并加入这项修改' }).click();
    expect(await editor.getByText('调整单已创建。').isVisible()).toBe(true);
    const setPath = new URL(editor.url()).pathname;
    await editor.getByRole('button', { name: '提交审核' }).click();
    expect(await editor.getByText('调整单已提交审核。').isVisible()).toBe(true);

    // The reviewer returns it with a comment.
    await reviewer.goto(url(setPath));
    await reviewer.getByLabel('退回意见（必填）').fill('请写明文号，并写全“友好往来”');
    await reviewer.getByRole('button', { name: '退回', exact: true }).click();
    expect(await reviewer.getByText('已退回调整单').isVisible()).toBe(true);

    // The editor sees the comment, fixes the title and the 调整依据, then the change itself.
    await editor.goto(url(setPath));
    expect(await editor.getByText('请写明文号').first().isVisible()).toBe(true);
    await editor.getByRole('link', { name: '修改标题和调整依据' }).click();
    await editor.getByLabel('调整单标题').fill('调整对外交往职责表述');
    await editor.getByLabel(/调整依据/).fill('依据市委外办〔2026〕5号通知');
    await editor.getByRole('button', { name: '保存修改' }).click();
    expect(await editor.getByText('调整单的标题和调整依据已更新。').isVisible()).toBe(true);
    await editor.getByRole('link', { name: '修改此项' }).click();
    await editor.getByLabel('具体工作事项').fill('负责我市对外交往和友好往来工作');
    await editor.getByRole('button', { name: '保存这项修改' }).click();
    expect(await editor.getByText('这项修改已更新。').isVisible()).toBe(true);
    expect(await heading(editor)).toContain('调整对外交往职责表述');
    await editor.getByRole('button', { name: '提交审核' }).click();
    expect(await editor.getByText('调整单已提交审核。').isVisible()).toBe(true);

    // The reviewer approves, then publishes — only after ticking the confirmation.
    await reviewer.goto(url(setPath));
    expect(await reviewer.getByText('依据市委外办〔2026〕5号通知').isVisible()).toBe(true);
    await reviewer.getByRole('button', { name: '审核通过' }).click();
    expect(await reviewer.getByText('已审核通过，等待发布。').isVisible()).toBe(true);
    const publish = reviewer.getByRole('button', { name: '发布', exact: true });
    await publish.click();
    // The browser refuses the form while the required box is unticked: still on the set page, not published.
    expect(new URL(reviewer.url()).pathname).toBe(setPath);
    expect(await reviewer.getByText('已发布：新版本已生效').count()).toBe(0);
    await reviewer.getByLabel('我已确认').check();
    await publish.click();
    expect(await reviewer.getByText('已发布：新版本已生效').isVisible()).toBe(true);

    // The portal shows the published text.
    const visitor = await portal.browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    contexts.push(visitor);
    const page = await visitor.newPage();
    await page.goto(url(`/duties/${dutyId}`));
    expect(await page.getByText('负责我市对外交往和友好往来工作').first().isVisible()).toBe(true);
  });
});
