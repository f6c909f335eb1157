import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneJpeg } from '../fixtures/images.ts';
import { createStaff, loginAs } from '../staff-helpers.ts';
import { entityCsv, makeUscc, text, uploadEntities } from '../supervision-helpers.ts';
import {
  horizontalOverflow,
  PHONE,
  type Portal,
  runAxe,
  SCREENSHOT_DIR,
  signInThroughForm,
  startPortal,
} from './support.ts';

/**
 * Tried as a new user would on a 390 px phone: an inspector finds today's task from the dashboard,
 * fills in the checklist, adds a photo and confirms; the second inspector confirms with their own
 * account; a reviewer publishes the result. Every page is checked with axe and for horizontal
 * overflow, and screenshotted.
 */

let portal: Portal;
const contexts: BrowserContext[] = [];
let entityName = '';

beforeAll(async () => {
  portal = await startPortal();
  const { app, database } = portal.app;
  await createStaff(database, 'e2e-planner', 'admin');
  await createStaff(database, 'e2e-reviewer', 'reviewer');
  const admin = await loginAs(app, 'e2e-planner');
  const rows = Array.from({ length: 10 }, (_, k) => [
    `桃城区惠民加油站${k + 1}号`,
    makeUscc(90_000 + k),
    '成品油零售',
    '桃城区',
    `冀油零售2026${String(k).padStart(3, '0')}`,
    '',
    '2028-12-31',
    '',
    '',
    `衡水市桃城区人民东路${k + 100}号`,
  ]);
  const up = await uploadEntities(app, admin, { filename: 'oil.csv', data: entityCsv(rows) });
  if (up.status !== 200) throw new Error(text(up.body).slice(0, 300));
  for (const [k, name] of ['张明', '李华'].entries()) {
    const username = `e2e-insp${k + 1}`;
    await createStaff(database, username, 'inspector');
    const r = await admin.post('/admin/supervision/inspectors', {
      name,
      certificateNo: `1311E00${k + 1}`,
      officeId: '',
      countyId: '',
      username,
      active: '1',
    });
    if (r.status !== 303) throw new Error(text(r.body).slice(0, 300));
  }
  const plan = await admin.post('/admin/supervision/plans', {
    regimeSeq: '4',
    year: '2026',
    round: '4',
    ratioPercent: '10',
    minInspectors: '2',
    belowMinReason: '',
  });
  const id = Number(/plans\/(\d+)/.exec(plan.location ?? '')![1]);
  await admin.post(`/admin/supervision/plans/${id}/commit`, { confirm: 'yes' });
  const drawn = await admin.post(`/admin/supervision/plans/${id}/draw`, {
    witness: '福彩3D 2026330期 1 9 6',
  });
  if (drawn.status !== 303) throw new Error(text(drawn.body).slice(0, 300));
  entityName = (
    await database.db
      .selectFrom('plan_tasks')
      .select('name')
      .where('plan_id', '=', id)
      .executeTakeFirstOrThrow()
  ).name;
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await portal?.close();
});

const url = (path: string) => `${portal.baseUrl}${path}`;

async function phoneSignIn(username: string): Promise<Page> {
  const { page, context } = await signInThroughForm(portal, username, { viewport: PHONE, bypassCSP: true });
  contexts.push(context);
  return page;
}

/** axe finds nothing, nothing sticks out sideways, and the screen is kept for looking at. */
async function check(page: Page, name: string) {
  const violations = await runAxe(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
  expect(await horizontalOverflow(page), name).toBe(0);
  await page.screenshot({ path: `${SCREENSHOT_DIR}inspection-${name}-390.png`, fullPage: true });
}

describe('an inspection on a phone', () => {
  it('is found, filled in, photographed and confirmed by both inspectors, then published by a reviewer', async () => {
    // The first inspector: from the dashboard to today's task.
    const first = await phoneSignIn('e2e-insp1');
    await first.goto(url('/admin'));
    await check(first, '1-dashboard');
    await first.getByRole('link', { name: '我的待完成抽查任务' }).click();
    await first.waitForURL((u) => u.pathname === '/admin/supervision/tasks');
    expect(await first.getByText('还有 30 天').count()).toBeGreaterThan(0);
    await check(first, '2-tasks');
    await first.getByRole('link', { name: entityName }).click();
    await first.waitForURL((u) => /\/admin\/supervision\/tasks\/\d+$/.test(u.pathname));
    expect(await first.getByText('衡水市桃城区人民东路').count()).toBeGreaterThan(0);
    await check(first, '3-task');

    // The checklist: every item answered 符合, one 不符合 with a note; the result.
    await first.getByLabel('被检查单位在场人员（姓名）').fill('王站长');
    await first.getByLabel('在场人员职务').fill('站长');
    const items = first.locator('fieldset.check-item');
    const n = await items.count();
    expect(n).toBe(12);
    for (let k = 0; k < n; k += 1) await items.nth(k).getByLabel('符合', { exact: true }).check();
    await items.nth(3).getByLabel('不符合', { exact: true }).check();
    await items.nth(3).getByLabel('说明（可空）').fill('加油机铅封缺失，已当场改正');
    await first.getByLabel('结果类别').selectOption({ label: '发现问题已责令改正' });
    await first.getByLabel(/^结果说明/).fill('加油机铅封缺失，已责令当场改正');
    await first.getByRole('button', { name: '保存笔录' }).click();
    await first.waitForURL((u) => u.search.includes('done=saved'));

    // A photo from the phone (with its GPS position), shown again without it.
    await first.locator('input[name="file"]').setInputFiles({
      name: 'IMG_20261103_093012.jpg',
      mimeType: 'image/jpeg',
      buffer: phoneJpeg(6),
    });
    await first.getByRole('button', { name: '上传' }).click();
    await first.waitForURL((u) => u.search.includes('done=attached'));
    const img = first.locator('ul.attachments img');
    await img.scrollIntoViewIfNeeded();
    // The stripped photo still decodes, and upright: the 24×16 picture taken "on its side"
    // (EXIF orientation 6, the one piece of EXIF kept) is drawn 16 wide.
    const width = await img.evaluate((el) => {
      const image = el as unknown as { decode(): Promise<void>; naturalWidth: number };
      return image.decode().then(() => image.naturalWidth);
    });
    expect(width).toBe(16);
    expect(await first.getByText(/已去除.*EXIF（含GPS位置）/).count()).toBe(1);

    await first.getByLabel(/我已核对第 1 版笔录/).check();
    await first.getByRole('button', { name: '确认笔录' }).click();
    await first.waitForURL((u) => u.search.includes('done=confirmed'));
    await check(first, '4-confirmed-by-first');

    // The second inspector confirms with their own account.
    const second = await phoneSignIn('e2e-insp2');
    await second.goto(url('/admin/supervision/tasks'));
    await second.getByRole('link', { name: entityName }).click();
    await second.getByLabel(/我已核对第 1 版笔录/).check();
    await second.getByRole('button', { name: '确认笔录' }).click();
    await second.waitForURL((u) => u.search.includes('done=submitted'));
    expect(await second.getByText('待审核').count()).toBeGreaterThan(0);
    await check(second, '5-submitted');

    // A reviewer (not on the inspection) publishes it.
    const reviewer = await phoneSignIn('e2e-reviewer');
    await reviewer.goto(url('/admin'));
    await reviewer.getByRole('link', { name: '待审核的抽查结果' }).click();
    await check(reviewer, '6-review-list');
    await reviewer.getByRole('link', { name: entityName }).click();
    await reviewer.locator('#publish-confirm').check();
    await check(reviewer, '7-review');
    await reviewer.getByRole('button', { name: '公示检查结果' }).click();
    await reviewer.waitForURL((u) => u.search.includes('done=published'));

    // The public notice, without the inspectors' names.
    await reviewer.goto(url('/supervision/results'));
    expect(await reviewer.getByText(entityName).count()).toBeGreaterThan(0);
    expect(await reviewer.getByText('发现问题已责令改正').count()).toBeGreaterThan(0);
    const body = await reviewer.content();
    for (const name of ['张明', '李华']) expect(body).not.toContain(name);
    await check(reviewer, '8-public-results');
  });
});
