import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowIso } from '../../src/db/database.ts';
import { todayInChina } from '../../src/lib/china-time.ts';
import type { SessionUser } from '../../src/modules/auth/auth.service.ts';
import {
  actOnFiling,
  createFilingLink,
  openCampaign,
} from '../../src/modules/supervision/campaigns/campaign.service.ts';
import { createStaff } from '../staff-helpers.ts';
import { makeUscc } from '../supervision-helpers.ts';
import { horizontalOverflow, PHONE, type Portal, runAxe, SCREENSHOT_DIR, startPortal } from './support.ts';

/**
 * An enterprise files its 成品油年检 online from a phone, with no staff account: opens its link,
 * makes a mistake and sees it beside the form with what it typed kept, submits with a PDF, is
 * returned with the office's reason, resubmits, and sees 年检合格. axe finds nothing on each page;
 * screenshots go to test-artifacts/screenshots/campaigns-*.png.
 */

let portal: Portal;
let admin: SessionUser;
let filingId = 0;
let link = '';
const url = (path: string) => `${portal.baseUrl}${path}`;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

beforeAll(async () => {
  portal = await startPortal();
  const database = portal.app.database;
  admin = await createStaff(database, 'e2e-campaigns', 'admin');
  const county = await database.db
    .selectFrom('counties')
    .select('id')
    .where('name', '=', '冀州区')
    .executeTakeFirstOrThrow();
  const now = nowIso();
  const entity = await database.db
    .insertInto('regulated_entities')
    .values({
      name: '冀州区城南加油站',
      uscc: makeUscc(4242),
      county_id: county.id,
      licence_no: '油零售证书第0042号',
      licence_valid_from: '2024-01-01',
      licence_valid_until: '2029-12-31',
      status: 'active',
      risk_class: 'A',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await database.db
    .insertInto('regulated_entity_categories')
    .values({ entity_id: entity.id, category_code: 'refined-oil-retail' })
    .execute();
  const year = Number(todayInChina().slice(0, 4));
  await database.db.transaction().execute(async (tx) => {
    const campaignId = await openCampaign(tx, admin, {
      definitionKey: 'refined-oil-annual',
      year,
      noticeDate: `${year}-01-20`,
      noticeText: '请各成品油经营企业按时申报年检。',
      basisReason: '省商务厅年检通知仍按此程序部署',
    });
    filingId = (
      await tx
        .selectFrom('campaign_filings')
        .select('id')
        .where('campaign_id', '=', campaignId)
        .executeTakeFirstOrThrow()
    ).id;
    link = `/filing/${await createFilingLink(tx, admin, filingId)}`;
  });
});
afterAll(async () => {
  await portal?.close();
});

async function checkPage(page: Page, name: string) {
  expect(await horizontalOverflow(page), `${name}: horizontal overflow`).toBe(0);
  const violations = await runAxe(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
  await page.screenshot({ path: `${SCREENSHOT_DIR}campaigns-${name}.png`, fullPage: true });
}

const staff = (action: 'return' | 'forward' | 'pass', reason?: string) =>
  portal.app.database.db
    .transaction()
    .execute((tx) => actOnFiling(tx, { kind: 'staff', user: admin }, filingId, { action, reason }));

describe('an enterprise files online at 390 px', () => {
  it('is returned with a reason, resubmits and passes, without a staff login', async () => {
    const context = await portal.browser.newContext({ viewport: PHONE, locale: 'zh-CN', bypassCSP: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(url(link));
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('成品油经营企业年检');
      expect(await page.getByText('依据提示').isVisible()).toBe(true);
      await checkPage(page, 'filing');

      // A first attempt without a phone number: the error is shown, the typed text kept.
      await page.getByLabel('联系人').fill('李站长');
      await page.getByLabel('年度经营情况').fill('全年正常经营，未发生安全事故。');
      await page
        .getByLabel(/年度检查登记表/)
        .setInputFiles({ name: '登记表.pdf', mimeType: 'application/pdf', buffer: PDF });
      await page.getByLabel('联系电话').evaluate((el) => el.removeAttribute('required'));
      await page.getByRole('button', { name: '提交' }).click();
      await page.waitForLoadState('domcontentloaded');
      expect(await page.getByRole('alert').textContent()).toContain('请填写联系电话');
      expect(await page.getByLabel('联系人').inputValue()).toBe('李站长');
      await checkPage(page, 'filing-error');

      await page.getByLabel('联系电话').fill('13800001234');
      await page
        .getByLabel(/年度检查登记表/)
        .setInputFiles({ name: '登记表.pdf', mimeType: 'application/pdf', buffer: PDF });
      await page.getByRole('button', { name: '提交' }).click();
      await page.waitForURL(/done=1/);
      expect(await page.getByRole('status').textContent()).toContain('材料已提交');
      await checkPage(page, 'filed');

      await staff('return', '缺少消防验收意见书，请补充后重新提交');
      await page.goto(url(link));
      expect(await page.getByRole('note').last().textContent()).toContain('缺少消防验收意见书');
      expect(await page.getByRole('heading', { name: '重新提交材料' }).isVisible()).toBe(true);
      await checkPage(page, 'returned');
      await page.getByLabel('联系人').fill('李站长');
      await page.getByLabel('联系电话').fill('13800001234');
      await page.getByLabel('年度经营情况').fill('已补充消防验收意见书。');
      await page.getByRole('button', { name: '提交' }).click();
      await page.waitForURL(/done=1/);

      await staff('forward');
      await staff('pass');
      await page.goto(url(link));
      expect(await page.getByText('年检合格').first().isVisible()).toBe(true);
      await checkPage(page, 'passed');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
