import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../src/modules/auth/auth.service.ts';
import { createStaff, TEST_PASSWORD } from '../staff-helpers.ts';
import { drawnV2Plan } from './draw-fixture.ts';
import { DESKTOP, type Portal, runAxe, SCREENSHOT_DIR, startPortal } from './support.ts';

/**
 * Every portal page and the main staff pages at phone widths (320, 360, 390 px), in normal and
 * 长者模式: nothing scrolls sideways (document.documentElement.scrollWidth <= innerWidth); and axe
 * finds no violation at all, on a desktop and at 360 px in 长者模式.
 */

let portal: Portal;
let session = '';
const ids = { office: 0, department: 0, duty: 0, matter: 0, regime: 0, service: 0, item: 0, plan: 0 };

beforeAll(async () => {
  portal = await startPortal();
  const db = portal.app.database.db;
  const first = async (
    table: 'offices' | 'departments' | 'duties' | 'boundary_matters' | 'regimes' | 'public_services',
  ) => (await db.selectFrom(table).select('id').orderBy('id').executeTakeFirstOrThrow()).id;
  ids.office = await first('offices');
  ids.department = await first('departments');
  ids.duty = await first('duties');
  ids.matter = await first('boundary_matters');
  ids.regime = await first('regimes');
  ids.service = await first('public_services');
  const admin = await createStaff(portal.app.database, 'layout.admin', 'admin');
  session = (await login(db, 'layout.admin', TEST_PASSWORD, '127.0.0.1')).token;
  ids.plan = await drawnV2Plan(portal.app, admin); // a drawn version-2 plan: its staff page and notices
});

afterAll(async () => {
  await portal?.close();
});

const PORTAL_PAGES = () => [
  '/',
  '/departments',
  `/departments/${ids.department}`,
  `/offices/${ids.office}`,
  '/duties',
  `/duties/${ids.duty}`,
  '/boundaries',
  `/boundaries/${ids.matter}`,
  '/regimes',
  `/regimes/${ids.regime}`,
  '/services',
  `/services/${ids.service}`,
  '/sources/1?from=806&to=832',
  '/search',
  `/search?q=${encodeURIComponent('我想开药店找哪个部门')}`,
  '/changes',
  '/supervision',
  '/supervision/items',
  '/supervision/items/1',
  '/supervision/plans',
  `/supervision/plans/${ids.plan}`,
  `/supervision/plans/${ids.plan}/draw`,
  '/supervision/tasks',
  '/offices/99999',
];

const STAFF_PAGES = () => [
  '/admin',
  '/admin/users',
  '/admin/audit',
  '/admin/changes',
  '/admin/records',
  '/admin/supervision',
  '/admin/supervision/plans',
  '/admin/supervision/plans/new',
  `/admin/supervision/plans/${ids.plan}`,
];

const WIDTHS = [320, 360, 390] as const;

async function withContext<T>(
  options: { width: number; largeText: boolean; staff?: boolean },
  fn: (page: Page, context: BrowserContext) => Promise<T>,
): Promise<T> {
  const context = await portal.browser.newContext({
    viewport: { width: options.width, height: options.width < 800 ? 780 : DESKTOP.height },
    bypassCSP: true,
    locale: 'zh-CN',
  });
  const cookies = [];
  if (options.largeText) cookies.push({ name: 'zhize_large_text', value: '1', url: portal.baseUrl });
  if (options.staff) cookies.push({ name: 'zhize_session', value: session, url: portal.baseUrl });
  if (cookies.length) await context.addCookies(cookies);
  try {
    return await fn(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

/** How far the page sticks out sideways, and the widest elements that do it. */
const sideways = (page: Page) =>
  page.evaluate<{ over: number; culprits: string[] }>(`(() => {
    const over = document.documentElement.scrollWidth - window.innerWidth;
    const culprits = over <= 0 ? [] : [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
      .slice(0, 5)
      .map((e) => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : ''));
    return { over, culprits };
  })()`);

describe('no page scrolls sideways on a phone', () => {
  for (const largeText of [false, true]) {
    for (const width of WIDTHS) {
      it(`at ${width} px${largeText ? ' in 长者模式' : ''}`, async () => {
        const found: Record<string, unknown> = {};
        for (const staff of [false, true]) {
          await withContext({ width, largeText, staff }, async (page) => {
            for (const path of staff ? STAFF_PAGES() : PORTAL_PAGES()) {
              await page.goto(`${portal.baseUrl}${path}`);
              const r = await sideways(page);
              if (r.over > 0) found[path] = r;
            }
          });
        }
        expect(found).toEqual({});
      });
    }
  }
});

describe('axe-core finds no violation', () => {
  for (const [label, width, largeText] of [
    ['on a desktop', DESKTOP.width, false],
    ['at 360 px in 长者模式', 360, true],
  ] as const) {
    it(`on every portal page and the main staff pages ${label}`, async () => {
      const found: Record<string, unknown> = {};
      for (const staff of [false, true]) {
        await withContext({ width, largeText, staff }, async (page) => {
          for (const path of staff ? STAFF_PAGES() : PORTAL_PAGES()) {
            await page.goto(`${portal.baseUrl}${path}`);
            const violations = await runAxe(page);
            if (violations.length > 0) found[path] = violations;
          }
        });
      }
      expect(found).toEqual({});
    });
  }
});

describe('screenshots of the staff pages', () => {
  it('saves the dashboard, the users and the audit pages on a phone and a desktop', async () => {
    for (const [device, width] of [
      ['phone', 360],
      ['desktop', DESKTOP.width],
    ] as const) {
      await withContext({ width, largeText: false, staff: true }, async (page) => {
        for (const [name, path] of [
          ['dashboard', '/admin'],
          ['users', '/admin/users'],
          ['audit', '/admin/audit'],
        ] as const) {
          const res = await page.goto(`${portal.baseUrl}${path}`);
          expect(res?.status(), path).toBe(200);
          await page.screenshot({ path: `${SCREENSHOT_DIR}staff-${name}-${device}.png` });
        }
      });
    }
    await withContext({ width: 360, largeText: true }, async (page) => {
      await page.goto(`${portal.baseUrl}/`);
      await page.screenshot({ path: `${SCREENSHOT_DIR}home-large-360.png` });
    });
    await withContext({ width: DESKTOP.width, largeText: false }, async (page) => {
      await page.goto(`${portal.baseUrl}/supervision/items`);
      // The 抽查事项清单 table fits a desktop with every 抽查内容 opened too.
      await page.evaluate(`document.querySelectorAll('details').forEach((d) => { d.open = true; })`);
      await page.screenshot({ path: `${SCREENSHOT_DIR}supervision-items-desktop.png` });
      expect(await sideways(page)).toEqual({ over: 0, culprits: [] });
      const table = await page.evaluate<number>(
        `(() => { const t = document.querySelector('main table'); return t.getBoundingClientRect().right - document.querySelector('main').getBoundingClientRect().right; })()`,
      );
      expect(table).toBeLessThanOrEqual(0);
    });
  });
});
