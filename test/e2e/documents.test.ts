import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueDocument } from '../../src/modules/documents/index.ts';
import { createStaff } from '../staff-helpers.ts';
import { DESKTOP, PHONE, type Portal, SCREENSHOT_DIR, signInThroughForm, startPortal } from './support.ts';

/**
 * Documents in Chromium, as a staff member would meet them: the list, one document, the DOCX
 * downloaded from the page (its word/document.xml read), and the A4 print view — screenshots, and
 * the print view rendered to PDF on A4 paper.
 */

let portal: Portal;
let id = 0;
let number = '';

beforeAll(async () => {
  portal = await startPortal();
  const leader = await createStaff(portal.app.database, 'e2e_leader', 'reviewer');
  const d = await issueDocument(portal.app.database.db, {
    type: 'rectification-notice',
    subject: { kind: 'rectification', id: 1 },
    fields: {
      party: '衡水市某超市有限公司',
      facts: '发行的单用途商业预付卡未按规定办理备案。',
      basis: '《单用途商业预付卡管理办法（试行）》第七条',
      requirement: '自收到本通知书之日起办理备案，并将结果书面报告本局。',
      deadline: '2026-10-23',
    },
    issuedBy: leader,
  });
  id = d.id;
  number = d.number;
});
afterAll(async () => {
  await portal?.close();
});

describe('documents in the browser', () => {
  it('lists the document, downloads its DOCX from the page and shows the A4 print view', async () => {
    const { page, context } = await signInThroughForm(portal, 'e2e_leader', { viewport: DESKTOP });
    await page.goto(`${portal.baseUrl}/admin/documents`);
    await page.getByRole('link', { name: number }).click();
    await expect.poll(() => page.url()).toContain(`/admin/documents/${id}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('责令限期整改通知书');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByText('下载 DOCX').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.docx$/);
    const { readFileSync } = await import('node:fs');
    const { documentXml } = await import('../../src/modules/documents/index.ts');
    const xml = documentXml(readFileSync((await download.path())!));
    expect(xml).toContain('衡水市某超市有限公司');
    expect(xml).toContain('2026年10月23日');

    await page.goto(`${portal.baseUrl}/admin/documents/${id}/print`);
    const sheet = page.locator('main.sheet');
    expect(await sheet.textContent()).toContain(number);
    expect(await sheet.textContent()).toContain('整改期限：2026年10月23日');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'document-print-desktop.png'), fullPage: true });
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    await context.close();
  });

  it('reads at 390 px without horizontal scrolling', async () => {
    const { page, context } = await signInThroughForm(portal, 'e2e_leader', { viewport: PHONE });
    await page.goto(`${portal.baseUrl}/admin/documents/${id}/print`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'document-print-phone.png'), fullPage: true });
    await context.close();
  });
});
