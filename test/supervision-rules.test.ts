import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRegimes } from '../src/modules/registry/read/registry.repo.ts';
import {
  type CategoryCode,
  COUNTIES,
  ENTITY_CATEGORIES,
} from '../src/modules/supervision/reference/index.ts';
import {
  type Citation,
  dueDate,
  type Figure,
  NOT_STATED,
  REGIME_RULES,
  type RegimeRule,
} from '../src/modules/supervision/rules/rules.ts';
import { createTestApp, type TestApp } from './helpers.ts';

/** The regimes as rules: every figure is cited, and every citation says what the rule claims. */

const SOURCE = readFileSync(new URL('../data-bundled/source.txt', import.meta.url), 'utf8').split(
  /\r\n|\n|\r/,
);

const DIGITS: Record<string, number> = {
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** Chinese numerals up to 99 (一, 十, 十二, 三十): value or NaN. */
function chineseNumber(s: string): number {
  if (s === '十') return 10;
  const ten = s.indexOf('十');
  if (ten < 0) return s.length === 1 ? (DIGITS[s] ?? Number.NaN) : Number.NaN;
  const tens = ten === 0 ? 1 : (DIGITS[s.slice(0, ten)] ?? Number.NaN);
  const ones = ten === s.length - 1 ? 0 : (DIGITS[s.slice(ten + 1)] ?? Number.NaN);
  return tens * 10 + ones;
}

/** Every number a quote states, in Arabic or Chinese numerals, with 万 applied. */
function numbersIn(quote: string): number[] {
  const out: number[] = [];
  for (const m of quote.matchAll(/(\d+(?:\.\d+)?|[一二两三四五六七八九十]+)(万?)/g)) {
    const n = /\d/.test(m[1]!) ? Number(m[1]) : chineseNumber(m[1]!);
    if (!Number.isNaN(n)) out.push(m[2] ? n * 10_000 : n);
  }
  return out;
}

interface Cited {
  path: string;
  citation: Citation;
}

function allCitations(value: unknown, path = ''): Cited[] {
  if (value === null || typeof value !== 'object') return [];
  const v = value as Record<string, unknown>;
  if (typeof v.line === 'number' && typeof v.quote === 'string' && typeof v.regime === 'number') {
    return [{ path, citation: v as unknown as Citation }];
  }
  return Object.entries(v).flatMap(([k, x]) => allCitations(x, `${path}.${k}`));
}

const CATEGORY_WORDS: Record<CategoryCode, string[]> = {
  'refined-oil-retail': ['成品油零售'],
  'refined-oil-wholesale': ['批发', '仓储'],
  auction: ['拍卖'],
  pawn: ['典当'],
  'prepaid-card-issuer': ['预付卡'],
  retailer: ['零售商'],
  supplier: ['供应商'],
  'foreign-trade': ['对外贸易经营者'],
  'foreign-invested': ['外商投资企业'],
  'vehicle-recycling': ['报废机动车'],
  'development-zone': ['开发区'],
  'overseas-investment': ['境外企业'],
  'overseas-contracting': ['对外承包工程'],
  'labour-cooperation': ['对外劳务合作'],
  'pig-reserve': ['生猪储备'],
  'county-bureau': ['商务主管部门', '行政机关', '商务部门'],
};

function expectNotStatedOrCited<T>(f: Figure<T>, what: string) {
  if (f.value === null) {
    expect(f.citation, what).toBeNull();
    expect(f.note, what).toBe(NOT_STATED);
  } else {
    expect(f.citation, what).not.toBeNull();
  }
}

describe('the 15 regimes as rules', () => {
  it('lists the 15 regimes in order, each with at least one supervised category', () => {
    expect(REGIME_RULES.map((r) => r.seq)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    for (const r of REGIME_RULES) expect(r.subjects.categories.length, r.title).toBeGreaterThan(0);
  });

  it('cites, for every figure, a line of source.txt that contains the quoted words, inside its regime', () => {
    const byRegime = new Map(REGIME_RULES.map((r) => [r.seq, r]));
    const cited = REGIME_RULES.flatMap((r) => allCitations(r, `regime ${r.seq}`));
    expect(cited.length).toBeGreaterThan(80);
    for (const { path, citation } of cited) {
      const rule = byRegime.get(citation.regime)!;
      expect(path.startsWith(`regime ${citation.regime}.`), path).toBe(true);
      expect(citation.line, path).toBeGreaterThanOrEqual(rule.lines.from);
      expect(citation.line, path).toBeLessThanOrEqual(rule.lines.to);
      expect(SOURCE[citation.line - 1], `${path}: line ${citation.line}`).toContain(citation.quote);
    }
  });

  it('quotes words that state each figure: ratios, rounds, inspectors, deadlines and penalties', () => {
    for (const r of REGIME_RULES) {
      const where = `regime ${r.seq}`;
      if (r.minSamplingRatio.value !== null) {
        const q = r.minSamplingRatio.citation.quote;
        expect(q, where).toContain('%');
        expect(numbersIn(q), where).toContain(Math.round(r.minSamplingRatio.value * 100));
        expect(q, where).toMatch(/不少于/);
      }
      if (r.roundsPerYear.value !== null) {
        const n = numbersIn(r.roundsPerYear.citation.quote);
        expect(n, where).toContain(r.roundsPerYear.value.min);
        expect(n, where).toContain(r.roundsPerYear.value.max);
        expect(r.roundsPerYear.citation.quote, where).toMatch(/[每一]年/);
      }
      if (r.minInspectors.value !== null) {
        expect(numbersIn(r.minInspectors.citation.quote), where).toContain(r.minInspectors.value);
        expect(r.minInspectors.citation.quote, where).toMatch(/以上/);
      }
      if (r.onComplaint.value !== null) expect(r.onComplaint.citation.quote, where).toMatch(/举报|投诉/);
      for (const f of [r.minSamplingRatio, r.roundsPerYear, r.minInspectors, r.onComplaint]) {
        expectNotStatedOrCited(f as Figure<unknown>, where);
        if (f.value !== null) expect(f.asARule, where).toBe(f.citation.quote.includes('原则上'));
      }
      for (const d of r.deadlines.items) {
        const n = numbersIn(d.citation.quote);
        if (d.unit === 'date') {
          expect(n, d.key).toContain(Number(d.date!.slice(0, 2)));
          expect(n, d.key).toContain(Number(d.date!.slice(3)));
        } else {
          expect(n, d.key).toContain(d.amount);
          expect(d.citation.quote.includes('工作日'), d.key).toBe(d.unit === 'working-days');
        }
      }
      for (const p of r.penalties.items) {
        const n = numbersIn(p.citation.quote);
        const figures = [
          p.minYuan,
          p.maxYuan,
          p.maxMultipleOfGain,
          p.minYears,
          p.maxYears,
          ...Object.values(p.figures),
        ];
        for (const x of figures) if (x !== null) expect(n, `${where} ${p.key}`).toContain(x);
      }
    }
  });

  it('says "not stated in the document" for every list the regime leaves empty', () => {
    for (const r of REGIME_RULES) {
      for (const list of [r.deadlines, r.penalties, r.documentContents]) {
        expect(list.note, `regime ${r.seq}`).toBe(list.items.length === 0 ? NOT_STATED : null);
      }
    }
  });

  it('names each supervised category in the cited objects text', () => {
    for (const r of REGIME_RULES) {
      const quotes = r.subjects.citations.map((c) => c.quote).join(' ');
      for (const c of r.subjects.categories) {
        expect(
          CATEGORY_WORDS[c].some((w) => quotes.includes(w)),
          `regime ${r.seq}: ${c}`,
        ).toBe(true);
      }
    }
  });

  it('matches the rules domain.md lists: 每年一到两次, 不少于10%, 委派两名以上', () => {
    const seqs = (f: (r: RegimeRule) => boolean) => REGIME_RULES.filter(f).map((r) => r.seq);
    expect(seqs((r) => r.roundsPerYear.value?.max === 2)).toEqual([1, 2, 3, 7, 8, 10, 12, 13]);
    expect(seqs((r) => r.minSamplingRatio.value === 0.1)).toEqual([3, 4, 7, 10, 12, 13]);
    expect(seqs((r) => r.minInspectors.value === 2)).toEqual([2, 10]);
    const fines = REGIME_RULES[6]!.penalties.items.filter((p) => p.kind === 'fine');
    expect(fines.map((p) => [p.minYuan, p.maxYuan])).toEqual([
      [10_000, 30_000],
      [10_000, 30_000],
      [10_000, 30_000],
      [null, 30_000],
      [10_000, 30_000],
    ]);
    const retail = REGIME_RULES[7]!.penalties.items;
    expect(retail[0]).toMatchObject({ maxMultipleOfGain: 3, maxYuan: 30_000 });
    expect(retail[1]).toMatchObject({ maxYuan: 10_000, maxMultipleOfGain: null });
    expect(REGIME_RULES[8]!.penalties.items[0]).toMatchObject({ kind: 'ban', minYears: 1, maxYears: 3 });
    for (const seq of [12, 13]) {
      expect(
        REGIME_RULES[seq - 1]!.penalties.items.find((p) => p.kind === 'policy-support-loss')?.maxYears,
      ).toBe(3);
    }
  });

  it('computes the oversight-notice review deadlines in statutory working days', () => {
    const [request, decision] = REGIME_RULES[0]!.deadlines.items;
    expect(dueDate(request!, '2026-09-28')).toBe('2026-10-16');
    expect(dueDate(decision!, '2026-09-28')).toBe('2026-10-23');
    const notice = REGIME_RULES[3]!.deadlines.items.find((d) => d.key === 'annual-review-notice')!;
    expect(dueDate(notice, '2026-01-05')).toBe('2026-01-30');
  });
});

describe('rules against the imported document and the seeded reference data', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ seed: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('uses the order, title and line range of each regime as imported', async () => {
    const regimes = (await listRegimes(t.database.db, {}, { limit: 100, offset: 0 })).items;
    expect(regimes).toHaveLength(15);
    for (const r of REGIME_RULES) {
      const imported = regimes.find((x) => x.seq === r.seq)!;
      expect(imported.title).toBe(r.title);
      expect(imported.source.lineStart).toBe(r.lines.from);
      expect(imported.source.lineEnd).toBe(r.lines.to);
    }
  });

  it('seeds the 16 entity categories and the 13 county-level divisions and zones', async () => {
    const cats = await t.database.db
      .selectFrom('entity_categories')
      .selectAll()
      .orderBy('position')
      .execute();
    expect(cats.map((c) => [c.code, c.name])).toEqual(ENTITY_CATEGORIES.map((c) => [c.code, c.name]));
    const counties = await t.database.db.selectFrom('counties').selectAll().orderBy('position').execute();
    expect(counties.map((c) => [c.name, c.division_code, c.kind])).toEqual(
      COUNTIES.map((c) => [c.name, c.divisionCode, c.kind]),
    );
  });

  it('serves the rules as JSON with categories by name, and the 抽查事项清单 with line links', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/supervision/rules/4' });
    expect(res.statusCode).toBe(200);
    const rule = res.json();
    expect(rule.subjects.categories.map((c: { name: string }) => c.name)).toEqual([
      '成品油零售',
      '成品油批发/仓储',
    ]);
    expect(rule.minSamplingRatio).toMatchObject({ value: 0.1, asARule: true, citation: { line: 1486 } });
    expect(rule.roundsPerYear).toEqual({ value: null, citation: null, note: NOT_STATED });
    const page = await t.app.inject({ method: 'GET', url: '/supervision/items' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('不少于10%（原则上）');
    expect(page.body).toMatch(/href="\/sources\/\d+\?from=1486&amp;to=1486#L1486"/);
    expect(page.body).toContain('原文未规定');
    const csv = await t.app.inject({ method: 'GET', url: '/supervision/items.csv' });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toContain('抽查事项');
  });
});
