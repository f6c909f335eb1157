import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyTicket } from '../../src/modules/complaints/complaint.closing.service.ts';
import { assignTicket, fileComplaint } from '../../src/modules/complaints/complaint.service.ts';
import { PNG } from '../complaints-helpers.ts';
import { createStaff, TEST_PASSWORD } from '../staff-helpers.ts';
import { horizontalOverflow, PHONE, type Portal, runAxe, SCREENSHOT_DIR, startPortal } from './support.ts';

/**
 * The 12312 journey on a 390 px phone in Chromium, as a new user would try it: find the form from
 * the portal, file a complaint (first with a mistake, which comes back with the error beside the
 * field and everything typed kept), get the query code and secret, follow it, read the reply and
 * rate it. axe finds nothing on each page; screenshots are written to test-artifacts/.
 */

let portal: Portal;
const url = (path: string) => `${portal.baseUrl}${path}`;

beforeAll(async () => {
  portal = await startPortal();
});
afterAll(async () => {
  await portal?.close();
});

async function checkPage(page: Page, name: string) {
  expect(await horizontalOverflow(page), `${name}: horizontal overflow`).toBe(0);
  const violations = await runAxe(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
  await page.screenshot({ path: `${SCREENSHOT_DIR}complaints-${name}.png`, fullPage: true });
}

describe('file → code → track → rate, on a phone', () => {
  it('works by tapping through, with axe clean on every page', async () => {
    const context = await portal.browser.newContext({ viewport: PHONE, locale: 'zh-CN', bypassCSP: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(url('/'));
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '举报投诉' }).click();
      await page.waitForURL(/\/complaints$/);
      await checkPage(page, 'index');
      await page.getByRole('link', { name: '网上举报投诉' }).click();
      await page.waitForURL(/\/complaints\/new$/);
      await checkPage(page, 'form');

      // A first attempt with a mistake: the description is too short.
      await page.getByRole('radio', { name: /投诉/ }).check();
      await page.getByLabel(/^发生了什么/).fill('违规发卡');
      await page.getByLabel(/^经营者名称/).fill('衡水某某超市有限公司');
      await page.getByLabel(/^姓名/).fill('张三');
      await page.getByLabel(/^联系电话/).fill('13812341234');
      await page
        .locator('#f-attachments')
        .setInputFiles({ name: '购卡小票.png', mimeType: 'image/png', buffer: PNG });
      await page.getByLabel('我已阅读并同意以上说明').check();
      await page.getByRole('button', { name: '提交' }).click();
      await page.waitForLoadState('domcontentloaded');
      expect(await page.locator('#f-description-error').textContent()).toContain('请至少用10个字');
      expect(await page.getByLabel(/^经营者名称/).inputValue()).toBe('衡水某某超市有限公司');
      expect(await page.getByLabel(/^联系电话/).inputValue()).toBe('13812341234');
      expect(await page.locator('.kept-files').textContent()).toContain('购卡小票.png');
      await checkPage(page, 'form-error');

      // Corrected and sent.
      await page.getByLabel(/^发生了什么/).fill('我在这家超市买的购物卡单张面值超过5000元，超市违规发卡。');
      await page.getByLabel('我已阅读并同意以上说明').check();
      await page.getByRole('button', { name: '提交' }).click();
      await page.waitForLoadState('domcontentloaded');
      expect(await page.locator('h1').textContent()).toBe('已收到您的投诉');
      const code = (await page.locator('#query-code').textContent())!;
      const secret = (await page.locator('#query-secret').textContent())!;
      expect(code).toMatch(/^\d{6}-[A-Z0-9]{5}$/);
      expect(await page.locator('main').textContent()).toContain('市场秩序和政策法规科');
      await checkPage(page, 'filed');

      // The bureau accepts it and answers (its own back office is tested elsewhere).
      const db = portal.app.database.db;
      const staff = await createStaff(portal.app.database, 'e2e-zhixu', 'admin');
      const t = await db
        .selectFrom('complaints')
        .select(['id', 'office_id'])
        .where('code', '=', code)
        .executeTakeFirstOrThrow();
      const office = await db
        .selectFrom('offices')
        .select('id')
        .where('name', '=', '市场秩序和政策法规科')
        .executeTakeFirstOrThrow();
      expect(
        await db
          .selectFrom('complaint_attachments')
          .select('filename')
          .where('complaint_id', '=', t.id)
          .execute(),
      ).toEqual([{ filename: '购卡小票.png' }]);
      await db.transaction().execute(async (tx) => {
        await assignTicket(tx, staff, t.id, { officeId: office.id }, new Date());
        await replyTicket(
          tx,
          staff,
          t.id,
          {
            outcome: 'resolved',
            docNumber: '衡商秩函〔2026〕88号',
            body: '经核查，该超市违规发卡属实，已责令整改。',
          },
          new Date(),
        );
      });

      // Following it with the code and secret.
      await page.getByRole('link', { name: '查询办理进度' }).click();
      await page.waitForURL(/\/complaints\/track$/);
      await checkPage(page, 'track-form');
      await page.getByLabel(/^查询码/).fill(code);
      await page.getByLabel(/^查询密码/).fill(secret);
      await page.getByRole('button', { name: '查询' }).click();
      await page.waitForLoadState('domcontentloaded');
      expect(await page.locator('main').textContent()).toContain('已办结-已解决（衡商秩函〔2026〕88号）');
      expect(await page.locator('main').textContent()).not.toContain('13812341234');
      await checkPage(page, 'track-result');

      // Rating the reply.
      await page.getByRole('radio', { name: '满意', exact: true }).check();
      await page.getByRole('button', { name: '提交评价' }).click();
      await page.waitForLoadState('domcontentloaded');
      expect(await page.getByRole('status').first().textContent()).toContain('已收到您的评价');
      expect(await page.locator('main').textContent()).toContain('您的评价满意');
      await checkPage(page, 'rated');
      await page.goto(url('/complaints/stats'));
      expect(await page.locator('svg.chart').count()).toBe(5);
      await checkPage(page, 'stats');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);
});

describe('the back office of complaints, on a phone', () => {
  it('shows the dispatcher the proposal with its citation and the forms, the office its forms; axe clean', async () => {
    const dispatcher = await createStaff(portal.app.database, 'e2e-dispatch', 'reviewer');
    await createStaff(portal.app.database, 'e2e-office', 'editor', ['市场秩序和政策法规科']);
    const db = portal.app.database.db;
    const filed = await fileComplaint(db, portal.app.database.dialect, {
      values: {
        kind: 'report',
        description: '举报某超市发售的购物卡单张面值超过5000元。',
        contactName: '李四',
        contactPhone: '13900001111',
        consent: true,
      },
      channel: 'phone',
      user: dispatcher,
      now: new Date(),
    });
    const signIn = async (username: string) => {
      const context = await portal.browser.newContext({ viewport: PHONE, locale: 'zh-CN', bypassCSP: true });
      const page = await context.newPage();
      await page.goto(url('/admin/login'));
      await page.getByLabel('用户名').fill(username);
      await page.getByLabel('密码').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: '登录' }).click();
      await page.waitForURL((u) => !u.pathname.startsWith('/admin/login'));
      return { page, context };
    };
    const d = await signIn('e2e-dispatch');
    try {
      await d.page.goto(url('/admin/complaints'));
      expect(await d.page.locator('main').textContent()).toContain('139****1111');
      await checkPage(d.page, 'staff-list');
      await d.page.getByRole('link', { name: filed.code }).click();
      expect(await d.page.locator('.proposal blockquote').textContent()).toContain(
        '单用途商业预付卡管理工作',
      );
      await checkPage(d.page, 'staff-dispatch');
      await d.page.getByRole('button', { name: '受理并分派' }).click();
      await d.page.waitForLoadState('domcontentloaded');
      expect(await d.page.getByRole('status').first().textContent()).toContain('已受理并分派');
    } finally {
      await d.context.close();
    }
    const o = await signIn('e2e-office');
    try {
      await o.page.goto(url(`/admin/complaints/${filed.id}`));
      expect(await o.page.locator('main').textContent()).toContain('不属于本科室：退回');
      await checkPage(o.page, 'staff-handle');
    } finally {
      await o.context.close();
    }
  }, 180_000);
});
