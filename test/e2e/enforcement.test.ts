import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEnforcementWorld } from '../enforcement-fixtures.ts';
import { createStaff } from '../staff-helpers.ts';
import { DESKTOP, type Portal, runAxe, SCREENSHOT_DIR, signInThroughForm, startPortal } from './support.ts';

/**
 * Tried as a new user would, in Chromium: from a spot check that found a problem (regime 7, prepaid
 * cards) to a paid fine. The office's editor opens the rectification order, records its delivery on
 * 2026-09-28 (deadline 2026-10-23) and the unheeded re-inspection, files the case from the order, is
 * refused 40,000元 with the range and proposes 20,000元; the legal reviewer approves; the bureau's
 * leader confirms the decision; its print view is screenshotted and the DOCX downloaded, unzipped and
 * its text checked; the handler records delivery and payment. Each page is screenshotted and checked
 * with axe.
 */

let portal: Portal;
const contexts: BrowserContext[] = [];
let inspectionEntity = '';

beforeAll(async () => {
  portal = await startPortal();
  const { database } = portal.app;
  await createStaff(database, 'ee-handler', 'editor', ['市场秩序和政策法规科']);
  await createStaff(database, 'ee-legal', 'legal_reviewer');
  await createStaff(database, 'ee-leader', 'reviewer');
  const w = await buildEnforcementWorld(database, 'ee', { issuers: 3, retailers: 2 });
  const inspectionId = await w.problemResult(7);
  const row = await database.db
    .selectFrom('inspections as i')
    .innerJoin('plan_tasks as t', 't.id', 'i.task_id')
    .select('t.name')
    .where('i.id', '=', inspectionId)
    .executeTakeFirstOrThrow();
  inspectionEntity = row.name;
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await portal?.close();
});

async function as(username: string, bypassCSP = true): Promise<Page> {
  const { page, context } = await signInThroughForm(portal, username, { viewport: DESKTOP, bypassCSP });
  contexts.push(context);
  return page;
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${SCREENSHOT_DIR}enforcement-${name}.png`, fullPage: true });
  const violations = await runAxe(page);
  expect(
    violations.filter((v) => v.impact === 'critical' || v.impact === 'serious'),
    name,
  ).toEqual([]);
}

describe('from finding to paid fine', () => {
  it('runs the whole case in Chromium', async () => {
    const handler = await as('ee-handler');
    await handler.getByRole('link', { name: '责令整改' }).first().click();
    await handler.waitForURL('**/admin/supervision/rectifications');
    await expect(handler.getByText(inspectionEntity)).toBeTruthy();
    await handler.getByRole('link', { name: '开具整改通知' }).first().click();
    await handler
      .getByLabel('整改要求', { exact: true })
      .fill('立即停止发行面值超过5000元的记名卡，并提交整改报告');
    await handler.getByLabel('开具日期', { exact: true }).fill('2026-09-28');
    await shot(handler, '1-order-form');
    await handler.getByRole('button', { name: '开具整改通知' }).click();
    await handler.waitForURL(/rectifications\/\d+\?done=created/);

    await handler.getByLabel('送达方式', { exact: true }).selectOption('on-site');
    await handler.getByLabel('送达日期', { exact: true }).fill('2026-09-28');
    await handler
      .getByLabel('送达凭证（送达回证编号、邮件单号、电子送达记录）', { exact: true })
      .fill('送达回证 2026-017');
    await handler.getByRole('button', { name: '签发并登记送达' }).click();
    await handler.waitForURL(/done=delivered/);
    const delivered = await handler.textContent('main');
    expect(delivered).toContain('2026-10-23');
    expect(delivered).toMatch(/衡商整改〔2026〕\d+号/);

    await handler.getByLabel('复查结果', { exact: true }).selectOption('overdue');
    await handler.getByLabel('复查日期', { exact: true }).fill('2026-10-26');
    await handler.getByLabel('复查情况', { exact: true }).fill('复查时仍在发行超限额记名卡');
    await handler.getByRole('button', { name: '登记复查结果' }).click();
    await handler.waitForURL(/done=outcome/);
    await shot(handler, '2-order-overdue');
    await handler.getByRole('link', { name: '按此依据立案' }).first().click();
    await handler.waitForURL(/penalties\/new\?order=/);
    await handler.getByLabel('处罚依据', { exact: true }).selectOption('issuance-violation');
    await handler.getByLabel('违法行为发生（终了）日期', { exact: true }).fill('2026-09-20');
    await handler.getByLabel('立案日期', { exact: true }).fill('2026-10-27');
    await handler.getByRole('button', { name: '立案' }).click();
    await handler.waitForURL(/penalties\/\d+\?done=filed/);
    const caseUrl = handler.url().split('?')[0]!;

    await handler.getByLabel('拟处罚款（元）').fill('40000');
    await handler.getByLabel('告知书送达日期', { exact: true }).fill('2026-10-28');
    await handler.getByRole('button', { name: '签发告知书' }).click();
    const refusal = await handler.getByRole('alert').textContent();
    expect(refusal).toContain('罚款金额40,000元超出处罚依据允许的范围');
    expect(refusal).toContain('1万元以上3万元以下（10,000元至30,000元）');
    await shot(handler, '3-amount-refused');
    await handler.getByLabel('拟处罚款（元）').fill('20000');
    await handler.getByRole('button', { name: '签发告知书' }).click();
    await handler.waitForURL(/done=notified/);
    expect(await handler.textContent('main')).toContain('听证告知书');
    await handler.getByRole('button', { name: '提交法制审核' }).click();
    await handler.waitForURL(/done=submitted/);
    expect(await handler.textContent('main')).toContain('待法制审核');

    const legal = await as('ee-legal');
    await legal.goto(caseUrl);
    await legal.getByLabel('审核意见', { exact: true }).selectOption('approve');
    await legal
      .getByLabel('法制审核意见', { exact: true })
      .fill('事实清楚，证据确凿，适用依据正确，罚款在法定幅度内');
    await legal.getByRole('button', { name: '提交审核意见' }).click();
    await legal.waitForURL(/done=reviewed/);

    const leader = await as('ee-leader');
    await leader.goto(caseUrl);
    await leader.getByLabel('决定日期', { exact: true }).fill('2026-11-20');
    // Without the confirmation the browser refuses to submit; the box is required.
    await leader.getByLabel('我已确认', { exact: true }).check();
    await shot(leader, '4-decision-confirm');
    await leader.getByRole('button', { name: '作出行政处罚决定' }).click();
    await leader.waitForURL(/done=decided/);
    const decisionLinks = leader.locator('li', { hasText: '行政处罚决定书' });
    const number = /衡商罚决〔2026〕\d+号/.exec((await decisionLinks.first().textContent()) ?? '')?.[0];
    expect(number).toBeTruthy();
    await decisionLinks.first().getByRole('link', { name: '打印版' }).click();
    await leader.waitForURL(/\/print$/);
    const print = await leader.textContent('body');
    expect(print).toContain(number!);
    expect(print).toContain('罚款20,000元');
    await leader.screenshot({ path: `${SCREENSHOT_DIR}enforcement-5-decision-print.png`, fullPage: true });
    await leader.goBack();
    const [download] = await Promise.all([
      leader.waitForEvent('download'),
      leader
        .locator('li', { hasText: '行政处罚决定书' })
        .first()
        .getByRole('link', { name: '下载DOCX' })
        .click(),
    ]);
    const path = await download.path();
    const files = unzipSync(new Uint8Array(readFileSync(path!)));
    const xml = strFromU8(files['word/document.xml']!);
    const text = xml.replace(/<[^>]+>/g, '');
    expect(text).toContain('行政处罚决定书');
    expect(text).toContain(number!);
    expect(text).toContain('罚款20,000元');
    expect(text).toContain('逾期仍不改正的，处以1万元以上3万元以下罚款');

    await handler.goto(caseUrl);
    await handler.getByLabel('送达方式', { exact: true }).selectOption('on-site');
    await handler.getByLabel('送达日期', { exact: true }).fill('2026-11-21');
    await handler.getByLabel('送达凭证', { exact: true }).fill('送达回证 2026-101');
    await handler.getByRole('button', { name: '登记送达' }).click();
    await handler.waitForURL(/done=delivered/);
    await handler.getByLabel('缴款日期', { exact: true }).fill('2026-12-01');
    await handler.getByLabel('实缴金额（元）', { exact: true }).fill('20000');
    await handler.getByLabel('缴款凭证号', { exact: true }).fill('FS-2026-3301');
    await handler.getByRole('button', { name: '登记缴纳' }).click();
    await handler.waitForURL(/done=paid/);
    const paid = await handler.textContent('main');
    expect(paid).toContain('已缴纳罚款');
    expect(paid).toContain('实缴20,000元');
    await shot(handler, '6-paid');
  });
});
