import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOME_EXAMPLES } from '../src/modules/registry/pages/home.pages.tsx';
import { createTestApp, type TestApp } from './helpers.ts';

/**
 * The home page's example chips (issue 13 §4): every chip on the page, followed as a visitor
 * would, gets the department (and office) that the lists give for it; no bare 护照.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ seed: true });
});
afterAll(async () => {
  await t.close();
});

/** The chips as rendered: [text, href] of each link in the home page's examples paragraph. */
async function renderedChips(): Promise<Array<{ text: string; href: string }>> {
  const res = await t.app.inject({ method: 'GET', url: '/' });
  expect(res.statusCode).toBe(200);
  const block = /<p class="examples">([\s\S]*?)<\/p>/.exec(res.body)?.[1] ?? '';
  return [...block.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => ({
    href: m[1]!.replace(/&amp;/g, '&'),
    text: m[2]!,
  }));
}

describe('home page example chips', () => {
  it('shows exactly the chips of HOME_EXAMPLES, none of them a bare 护照', async () => {
    const chips = await renderedChips();
    expect(chips.map((c) => c.text)).toEqual(HOME_EXAMPLES.map((e) => e.q));
    expect(chips.map((c) => c.text)).not.toContain('护照');
    expect(chips.length).toBeGreaterThanOrEqual(5);
  });

  it('cites, for each chip with an office, the work item line followed by that office (data-bundled/source.txt)', () => {
    const lines = readFileSync(new URL('../data-bundled/source.txt', import.meta.url), 'utf8').split('\n');
    for (const e of HOME_EXAMPLES) {
      expect(lines[e.line - 1]?.trim(), e.q).not.toBe('');
      if (e.office !== null) expect(lines[e.line]?.trim(), e.q).toBe(e.office);
    }
  });

  it('resolves every chip to the department (and office) the lists give, on the page it links to and in the API', async () => {
    const chips = await renderedChips();
    for (const e of HOME_EXAMPLES) {
      const chip = chips.find((c) => c.text === e.q)!;
      const page = await t.app.inject({ method: 'GET', url: chip.href });
      expect(page.statusCode, e.q).toBe(200);
      const dept = /<p class="dept">([^<]*)<\/p>/.exec(page.body)?.[1];
      expect(dept, e.q).toBe(e.department);

      const api = await t.app.inject({ method: 'GET', url: `/api/v1/resolve?q=${encodeURIComponent(e.q)}` });
      const first = api.json().answers[0];
      expect(first?.department, e.q).toBe(e.department);
      if (e.office !== null) expect(first?.office, e.q).toBe(e.office);
    }
  });
});
