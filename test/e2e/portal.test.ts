import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DESKTOP,
  horizontalOverflow,
  PHONE,
  type Portal,
  runAxe,
  SCREENSHOT_DIR,
  startPortal,
} from './support.ts';

/** The public portal in a real browser: journeys, phone layout, keyboard, accessibility, screenshots. */

let portal: Portal;
const ids = { office: 0, department: 0, duty: 0, matter: 0, regime: 0, service: 0 };

beforeAll(async () => {
  portal = await startPortal();
  const db = portal.app.database.db;
  const first = async (p: Promise<{ id: number } | undefined>) => (await p)!.id;
  ids.office = await first(
    db.selectFrom('offices').select('id').where('name', '=', '市场秩序和政策法规科').executeTakeFirst(),
  );
  ids.department = await first(
    db.selectFrom('departments').select('id').where('name', '=', '市市场监督管理局').executeTakeFirst(),
  );
  ids.duty = await first(db.selectFrom('duties').select('id').where('seq', '=', 4).executeTakeFirst());
  ids.matter = await first(
    db.selectFrom('boundary_matters').select('id').where('name', 'like', '单用途%').executeTakeFirst(),
  );
  ids.regime = await first(
    db.selectFrom('regimes').select('id').where('title', 'like', '成品油%').executeTakeFirst(),
  );
  ids.service = await first(
    db.selectFrom('public_services').select('id').where('name', 'like', '受理商务举报%').executeTakeFirst(),
  );
});

afterAll(async () => {
  await portal?.close();
});

const url = (path: string) => `${portal.baseUrl}${path}`;

async function withPage<T>(
  options: { viewport?: { width: number; height: number }; bypassCSP?: boolean },
  fn: (page: Page, context: BrowserContext) => Promise<T>,
): Promise<T> {
  const context = await portal.browser.newContext({
    viewport: options.viewport ?? DESKTOP,
    bypassCSP: options.bypassCSP ?? false,
    locale: 'zh-CN',
  });
  try {
    return await fn(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

/** Browser errors (including CSP refusals, which Chromium reports on the console). */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

const activeId = (page: Page) =>
  page.evaluate<string>('document.activeElement ? document.activeElement.id : ""');

describe('search journey', () => {
  it('types 药店 in the home search box and sees grouped, highlighted results', async () => {
    await withPage({}, async (page) => {
      const errors = collectErrors(page);
      await page.goto(url('/'));
      const box = page.getByRole('searchbox', { name: /输入问题或关键词/ });
      await box.fill('药店');
      await Promise.all([page.waitForURL(/\/search\?q=/), box.press('Enter')]);
      expect(decodeURIComponent(new URL(page.url()).search)).toBe('?q=药店');
      expect(await page.locator('h1').textContent()).toBe('搜索“药店”');
      const groups = page.locator('section[id^="kind-"]');
      expect(await groups.count()).toBeGreaterThan(0);
      const heading = await groups.first().locator('h3').textContent();
      expect(heading).toMatch(/（\d+ 条）/);
      const marks = page.locator('.records mark');
      expect(await marks.count()).toBeGreaterThan(0);
      expect(await page.locator('.records a.hit-title').count()).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    });
  });
});

describe('who handles journey', () => {
  it('answers 我想开药店找哪个部门 with the department in the 谁来管 card', async () => {
    await withPage({}, async (page) => {
      await page.goto(url('/'));
      await page.locator('#home-q').fill('我想开药店找哪个部门');
      await Promise.all([page.waitForURL(/\/search\?q=/), page.locator('#home-q').press('Enter')]);
      const card = page.locator('.who-card');
      expect(await card.locator('h2').textContent()).toBe('谁来管');
      expect(await card.locator('.dept').textContent()).toContain('市市场监督管理局');
      const source = card.locator('a.src');
      expect(await source.getAttribute('href')).toMatch(/^\//);
    });
  });
});

describe('large-text mode (长者模式)', () => {
  it('turns on with the header button, persists across pages, and turns off again', async () => {
    await withPage({}, async (page) => {
      await page.goto(url('/'));
      const normal = Number.parseFloat(
        await page.evaluate<string>('getComputedStyle(document.body).fontSize'),
      );
      await page.getByRole('button', { name: '长者模式（大字版）' }).click();
      await expect.poll(() => page.locator('html').getAttribute('class')).toBe('large-text');
      expect(new URL(page.url()).pathname).toBe('/');
      const large = Number.parseFloat(
        await page.evaluate<string>('getComputedStyle(document.body).fontSize'),
      );
      expect(large).toBeGreaterThanOrEqual(normal * 1.2);

      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '公共服务' }).click();
      await page.waitForURL(/\/services$/);
      expect(await page.locator('html').getAttribute('class')).toBe('large-text');
      await page.goto(url(`/offices/${ids.office}`));
      expect(await page.locator('html').getAttribute('class')).toBe('large-text');

      await page.getByRole('button', { name: '标准版' }).click();
      await expect.poll(() => page.locator('html').getAttribute('class')).toBeNull();
      expect(new URL(page.url()).pathname).toBe(`/offices/${ids.office}`);
    });
  });
});

const PHONE_PAGES = () => [
  '/',
  `/search?q=${encodeURIComponent('我想开药店找哪个部门')}`,
  `/offices/${ids.office}`,
  `/departments/${ids.department}`,
  '/duties',
  `/boundaries/${ids.matter}`,
  `/regimes/${ids.regime}`,
  '/services',
  '/sources/1?from=806&to=832',
];

describe('phone viewport (390×844)', () => {
  it('renders every page type without horizontal scrolling, also in large-text mode', async () => {
    await withPage({ viewport: PHONE }, async (page, context) => {
      for (const path of PHONE_PAGES()) {
        await page.goto(url(path));
        expect(await horizontalOverflow(page), path).toBe(0);
      }
      await context.addCookies([{ name: 'zhize_large_text', value: '1', url: portal.baseUrl }]);
      for (const path of PHONE_PAGES()) {
        await page.goto(url(path));
        expect(await page.locator('html').getAttribute('class')).toBe('large-text');
        expect(await horizontalOverflow(page), `large text ${path}`).toBe(0);
      }
    });
  });
});

describe('keyboard only', () => {
  it('reaches the skip link first, then the search box, and the result links after searching', async () => {
    await withPage({}, async (page) => {
      await page.goto(url('/'));
      await page.keyboard.press('Tab');
      expect(await page.evaluate<string>('document.activeElement.className')).toBe('skip-link');
      let reached = false;
      for (let i = 0; i < 30 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = (await activeId(page)) === 'home-q';
      }
      expect(reached).toBe(true);
      // The focus is visible.
      expect(await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle')).not.toBe(
        'none',
      );
      await page.keyboard.type('药店');
      await Promise.all([page.waitForURL(/\/search\?q=/), page.keyboard.press('Enter')]);

      let onResult = false;
      for (let i = 0; i < 60 && !onResult; i++) {
        await page.keyboard.press('Tab');
        onResult = await page.evaluate<boolean>(
          `!!(document.activeElement && document.activeElement.closest('section[id^="kind-"]') && document.activeElement.tagName === 'A')`,
        );
      }
      expect(onResult).toBe(true);
      const href = await page.evaluate<string>('document.activeElement.getAttribute("href")');
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => u.pathname === href.split('#')[0]);
    });
  });

  it('moves focus to the main content with the skip link', async () => {
    await withPage({}, async (page) => {
      await page.goto(url('/services'));
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      expect(await activeId(page)).toBe('main');
    });
  });
});

describe('printing', () => {
  it('hides the navigation, the forms and the downloads in print', async () => {
    await withPage({}, async (page) => {
      await page.goto(url('/duties'));
      expect(await page.locator('.site-nav').isVisible()).toBe(true);
      await page.emulateMedia({ media: 'print' });
      for (const selector of ['.site-nav', '.pref-form', '.header-search', '.downloads', '.skip-link']) {
        expect(await page.locator(selector).isVisible(), selector).toBe(false);
      }
      expect(await page.locator('h1').isVisible()).toBe(true);
    });
  });
});

describe('accessibility (axe-core)', () => {
  const pages = () => [
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
    `/search?q=${encodeURIComponent('药店')}`,
    `/search?q=${encodeURIComponent('火星移民签证')}`,
    '/offices/99999',
  ];

  it('reports no serious or critical violations on any page type', async () => {
    await withPage({ bypassCSP: true }, async (page) => {
      const found: Record<string, unknown> = {};
      for (const path of pages()) {
        await page.goto(url(path));
        const bad = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
        if (bad.length > 0) found[path] = bad;
      }
      expect(found).toEqual({});
    });
  });

  it('reports none in large-text mode on a phone either', async () => {
    await withPage({ viewport: PHONE, bypassCSP: true }, async (page, context) => {
      await context.addCookies([{ name: 'zhize_large_text', value: '1', url: portal.baseUrl }]);
      const found: Record<string, unknown> = {};
      for (const path of ['/', `/offices/${ids.office}`, `/search?q=${encodeURIComponent('药店')}`]) {
        await page.goto(url(path));
        const bad = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
        if (bad.length > 0) found[path] = bad;
      }
      expect(found).toEqual({});
    });
  });
});

describe('screenshots', () => {
  it('saves the home page, a search result and an office page on desktop and phone', async () => {
    const shots = [
      { name: 'home', path: '/' },
      { name: 'search', path: `/search?q=${encodeURIComponent('我想开药店找哪个部门')}` },
      { name: 'office', path: `/offices/${ids.office}` },
    ];
    for (const [device, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      await withPage({ viewport }, async (page) => {
        const errors = collectErrors(page);
        for (const s of shots) {
          await page.goto(url(s.path));
          await page.evaluate('document.fonts.ready');
          await page.screenshot({ path: `${SCREENSHOT_DIR}${s.name}-${device}.png` });
          await page.screenshot({ path: `${SCREENSHOT_DIR}${s.name}-${device}-full.png`, fullPage: true });
        }
        expect(errors).toEqual([]);
      });
    }
  });
});
