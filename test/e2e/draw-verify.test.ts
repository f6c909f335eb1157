import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawVerify } from '../../src/main/commands/supervision.ts';
import { login } from '../../src/modules/auth/auth.service.ts';
import {
  buildDrawFile,
  type RunDrawInput,
  runDraw,
  serializeDrawFile,
} from '../../src/modules/supervision/draw/index.ts';
import { createStaff, TEST_PASSWORD } from '../staff-helpers.ts';
import { docVector, drawnV2Plan } from './draw-fixture.ts';
import { PHONE, type Portal, runAxe, SCREENSHOT_DIR, startPortal } from './support.ts';

/**
 * The browser verifier of the public draw page (public/draw-verify.js) and `zhize draw verify`
 * reach the same verdict, with the same list of problems, on a real draw, on the test vectors of
 * docs/draws.md and on tampered files — in Chromium, on a 390 px phone.
 */

let portal: Portal;
let planId = 0;
let dir = '';
let session = '';

beforeAll(async () => {
  portal = await startPortal();
  dir = mkdtempSync(join(tmpdir(), 'zhize-e2e-draw-'));
  const admin = await createStaff(portal.app.database, 'e2e.draw', 'admin');
  planId = await drawnV2Plan(portal.app, admin);
  session = (await login(portal.app.database.db, 'e2e.draw', TEST_PASSWORD, '127.0.0.1')).token;
});

afterAll(async () => {
  await portal?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface BrowserVerdict {
  verdict: string;
  problems: string[];
}

/** Runs the page's verifier on `text` (chosen as a file) with `commitment` in its field. */
async function inBrowser(
  page: Page,
  name: string,
  text: string,
  commitment: string,
): Promise<BrowserVerdict> {
  await page.fill('#verify-commitment', commitment);
  await page.evaluate(`document.getElementById('verify-result').dataset.verdict = 'idle'`);
  await page.setInputFiles('#verify-file', {
    name,
    mimeType: 'application/json',
    buffer: Buffer.from(text, 'utf8'),
  });
  return readVerdict(page);
}

async function readVerdict(page: Page): Promise<BrowserVerdict> {
  // A selector, not a polled function: the page's CSP forbids evaluating strings.
  await page.waitForSelector(
    '#verify-result[data-verdict="match"], #verify-result[data-verdict="mismatch"], #verify-result[data-verdict="unreadable"]',
  );
  return page.evaluate<BrowserVerdict>(`({
    verdict: document.getElementById('verify-result').dataset.verdict,
    problems: [...document.querySelectorAll('#verify-problems li')].map((li) => li.textContent),
  })`);
}

/** `zhize draw verify` on the same text and commitment: its verdict and the problems it printed. */
function onCommandLine(name: string, text: string, commitment: string): BrowserVerdict {
  const file = join(dir, name);
  writeFileSync(file, text);
  let published = commitment;
  if (commitment !== '' && !/^[0-9a-f]{64}$/.test(commitment)) {
    published = join(dir, `${name}.commitment.txt`); // a commit text goes to the command line as a file
    writeFileSync(published, commitment);
  }
  const r = drawVerify(commitment === '' ? [file] : [file, '--commitment', published]);
  const problems = r.stderr
    .split('\n')
    .filter((l) => l.startsWith('  - '))
    .map((l) => l.slice(4));
  return { verdict: r.exitCode === 0 ? 'match' : r.exitCode === 1 ? 'mismatch' : 'unreadable', problems };
}

/** The draw page on a 390 px phone, under the site's CSP unless `bypassCSP` (to inject axe). */
async function drawPage(run: (page: Page) => Promise<void>, bypassCSP = false): Promise<void> {
  const context = await portal.browser.newContext({ viewport: PHONE, locale: 'zh-CN', bypassCSP });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const res = await page.goto(`${portal.baseUrl}/supervision/plans/${planId}/draw`);
    expect(res?.status()).toBe(200);
    await run(page);
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
}

const v1 = docVector('test-vector') as RunDrawInput;
const v2 = docVector('v2-test-vector') as RunDrawInput;
const fileOf = (input: RunDrawInput) => serializeDrawFile(buildDrawFile(input, runDraw(input)));

describe('the browser verifier and `zhize draw verify` agree', () => {
  it('on the plan’s own draw file, fetched by the page, against the commitment the page shows', async () => {
    await drawPage(async (page) => {
      const commitment = await page.inputValue('#verify-commitment');
      expect(commitment).toMatch(/^[0-9a-f]{64}$/);
      await page.click('#verify-this');
      const browser = await readVerdict(page);
      expect(browser).toEqual({ verdict: 'match', problems: [] });
      const file = await portal.app.app.inject({
        method: 'GET',
        url: `/supervision/plans/${planId}/draw.json`,
      });
      expect(onCommandLine('plan.json', file.body, commitment)).toEqual(browser);
      await page.screenshot({ path: `${SCREENSHOT_DIR}draw-verify-phone.png`, fullPage: true });
    });
  });

  it('on the test vectors of both versions, and on tampered copies of them', async () => {
    const text2 = fileOf(v2);
    const commit2 = runDraw(v2).commitment.commitHash;
    const forged = {
      ...v2,
      parameters: {
        ...(v2.parameters as object),
        witnessSource: 'cslc-dlt',
        witnessReference: '26025',
        witnessFormat: 'groups:5@1-35,2@1-12',
      },
      witness: '03 11 19 27 35 02 09',
    } as RunDrawInput;
    const cases: Array<[string, string, string, string]> = [
      // name, text, commitment, expected verdict
      ['v1.json', fileOf(v1), '', 'match'],
      ['v2.json', text2, commit2, 'match'],
      ['v2-commit-text.json', text2, runDraw(v2).commitment.commitText, 'match'],
      ['v2-name.json', text2.replace('有限公司5"', '有限公司五"'), commit2, 'mismatch'],
      ['v2-witness.json', text2.replace('蓝球 08', '蓝球 09'), commit2, 'mismatch'],
      ['v1-witness.json', fileOf(v1).replace('3 8 1', '3 8 2'), '', 'mismatch'],
      ['v2-other-source.json', fileOf(forged), runDraw(v2).commitment.commitText, 'mismatch'],
      ['v2-wrong-commitment.json', text2, runDraw(v1).commitment.commitHash, 'mismatch'],
      ['not-json.json', text2.slice(0, -10), '', 'unreadable'],
    ];
    await drawPage(async (page) => {
      for (const [name, text, commitment, expected] of cases) {
        const cli = onCommandLine(name, text, commitment);
        const browser = await inBrowser(page, name, text, commitment);
        expect(cli.verdict, name).toBe(expected);
        if (expected === 'unreadable') expect(browser.verdict, name).toBe('unreadable');
        else expect(browser, name).toEqual(cli);
        if (expected === 'mismatch') expect(browser.problems.length, name).toBeGreaterThan(0);
      }
      const other = onCommandLine('other.json', fileOf(forged), runDraw(v2).commitment.commitText);
      expect(other.problems).toContain(
        'witnessSource 与抽取前公布的承诺不一致：承诺为“cwl-ssq”，文件中为“cslc-dlt”（witnessSource differs from the published commitment）',
      );
    });
  });

  it('with the JavaScript SHA-256 too (a page without crypto.subtle), on the test vector and a tampered copy', async () => {
    await drawPage(async (page) => {
      const sources = await page.getAttribute('#browser-verify', 'data-sources');
      const run = (text: string) =>
        page.evaluate<{ match: boolean; problems: string[]; hashing: string }>(
          `import('/static/draw-verify.js').then((m) => m.verifyDrawText(${JSON.stringify(text)}, { sources: ${sources}, forceFallback: true }))`,
        );
      const ok = await run(fileOf(v2));
      expect(ok).toMatchObject({ match: true, problems: [], hashing: 'JavaScript SHA-256' });
      const tampered = fileOf(v2).replace('有限公司5"', '有限公司五"');
      expect((await run(tampered)).problems).toEqual(onCommandLine('fb.json', tampered, '').problems);
    });
  });

  it('leaves the draw page axe-clean and not scrolling sideways at 390 px after a verification', async () => {
    await drawPage(async (page) => {
      await page.click('#verify-this');
      await readVerdict(page);
      expect(await runAxe(page)).toEqual([]);
      expect(
        await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth'),
      ).toBeLessThanOrEqual(0);
    }, true);
  });
});

describe('the staff plan pages on a 390 px phone', () => {
  it('show the version-2 form and a drawn plan without sideways scrolling (screenshots saved)', async () => {
    const context = await portal.browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    await context.addCookies([{ name: 'zhize_session', value: session, url: portal.baseUrl }]);
    try {
      const page = await context.newPage();
      for (const [name, path] of [
        ['plan-new', '/admin/supervision/plans/new'],
        ['plan-drawn', `/admin/supervision/plans/${planId}`],
        ['plan-notice', `/supervision/plans/${planId}`],
      ] as const) {
        const res = await page.goto(`${portal.baseUrl}${path}`);
        expect(res?.status(), path).toBe(200);
        expect(
          await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth'),
          path,
        ).toBeLessThanOrEqual(0);
        await page.screenshot({ path: `${SCREENSHOT_DIR}${name}-phone.png`, fullPage: true });
      }
      await page.goto(`${portal.baseUrl}/admin/supervision/plans/new`);
      expect(await page.inputValue('select[name="witnessSource"]')).toBe('cwl-ssq');
      expect(await page.isChecked('input[name="inspectorScope"][value="own-county"]')).toBe(true);
      expect(await page.inputValue('input[name="yearlyCap"]')).toBe('2');
    } finally {
      await context.close();
    }
  });
});
