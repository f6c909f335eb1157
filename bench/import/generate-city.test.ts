import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SEED,
  DEPARTMENTS,
  generateCity,
  generateCityDocument,
  HEADERS,
  PART_SUFFIXES,
  SECTION_HEADINGS,
} from './generate-city.ts';

const city = generateCity();
const lines = city.text.split('\n');

function countLines(pred: (line: string) => boolean): number {
  return lines.reduce((n, l) => n + (pred(l) ? 1 : 0), 0);
}

/** Occurrences of a header block: its cells on consecutive lines, each after a TAB. */
function countHeader(cells: readonly string[]): number {
  const block = `\n${cells.map((c) => `\t${c}`).join('\n')}\n\n`;
  return city.text.split(block).length - 1;
}

/** The lines of one part of one department, from its title to the next title. */
function partLines(dept: string, part: number): string[] {
  const start = lines.indexOf(`${dept}${PART_SUFFIXES[part]}`);
  let end = start + 1;
  const titleRe = new RegExp(`(${PART_SUFFIXES.join('|')})$`);
  while (end < lines.length && !(titleRe.test(lines[end]!) && !lines[end]!.startsWith('\t'))) end++;
  return lines.slice(start + 1, end);
}

describe('generateCityDocument', () => {
  it('is deterministic: the same seed gives the same document', () => {
    expect(generateCityDocument({ seed: 7 })).toBe(generateCityDocument({ seed: 7 }));
    expect(generateCityDocument()).toBe(city.text);
    expect(generateCityDocument({ seed: DEFAULT_SEED })).toBe(city.text);
    expect(generateCityDocument({ seed: 8 })).not.toBe(city.text);
  });

  it('uses no Math.random', () => {
    const source = readFileSync(new URL('./generate-city.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/Math\.random/);
  });

  it('gives the first n departments of the full run when asked for n', () => {
    const three = generateCity({ departments: 3 });
    expect(city.text.startsWith(three.text)).toBe(true);
    expect(three.counts.departments).toBe(3);
    expect(() => generateCity({ departments: 0 })).toThrow(RangeError);
    expect(() => generateCity({ departments: 41 })).toThrow(RangeError);
  });

  it('has 40 distinct departments, 衡水市商务局 first, each with 6–10 offices', () => {
    expect(DEPARTMENTS).toHaveLength(40);
    expect(DEPARTMENTS[0]!.name).toBe('衡水市商务局');
    expect(new Set(DEPARTMENTS.map((d) => d.name)).size).toBe(40);
    expect(new Set(DEPARTMENTS.map((d) => d.short)).size).toBe(40);
    for (const d of DEPARTMENTS) {
      expect(d.name).toMatch(/^衡水市[\u4e00-\u9fa5]+$/);
      expect(d.offices.length).toBeGreaterThanOrEqual(6);
      expect(d.offices.length).toBeLessThanOrEqual(10);
      expect(new Set(d.offices).size).toBe(d.offices.length);
    }
  });

  it('has counts in the expected ranges', () => {
    const c = city.counts;
    expect(c.departments).toBe(40);
    expect(c.offices).toBe(DEPARTMENTS.reduce((n, d) => n + d.offices.length, 0));
    expect(c.duties).toBeGreaterThanOrEqual(40 * 22);
    expect(c.duties).toBeLessThanOrEqual(40 * 28);
    expect(c.workItems).toBeGreaterThanOrEqual(4000);
    expect(c.workItems).toBeLessThanOrEqual(6000);
    expect(c.boundaryMatters).toBeGreaterThanOrEqual(40 * 8);
    expect(c.boundaryMatters).toBeLessThanOrEqual(40 * 12);
    expect(c.shares).toBeGreaterThanOrEqual(2 * c.boundaryMatters);
    expect(c.shares).toBeLessThanOrEqual(5 * c.boundaryMatters);
    expect(c.legalBases).toBeGreaterThanOrEqual(c.boundaryMatters);
    expect(c.regimes).toBeGreaterThanOrEqual(40 * 8);
    expect(c.regimes).toBeLessThanOrEqual(40 * 15);
    expect(c.services).toBeGreaterThanOrEqual(40 * 10);
    expect(c.services).toBeLessThanOrEqual(40 * 20);
  });

  it('has every part title once per department, in order, each table part with its header', () => {
    for (const d of DEPARTMENTS) {
      const at = PART_SUFFIXES.map((s) => {
        const title = `${d.name}${s}`;
        expect(countLines((l) => l === title)).toBe(1);
        return lines.indexOf(title);
      });
      expect([...at].sort((a, b) => a - b)).toEqual(at);
      const header = (part: number, cells: readonly string[]) =>
        expect(partLines(d.name, part).slice(1, 1 + cells.length)).toEqual(cells.map((c) => `\t${c}`));
      header(0, HEADERS.duties);
      header(1, HEADERS.matters);
      header(3, HEADERS.services);
    }
    expect(countHeader(HEADERS.duties)).toBe(40);
    expect(countHeader(HEADERS.matters)).toBe(40);
    expect(countHeader(HEADERS.services)).toBe(40);
  });

  it('writes the six sections of every regime in order', () => {
    const c = city.counts;
    SECTION_HEADINGS.forEach((h, k) => {
      const re = new RegExp(`^\\s*${'一二三四五六'[k]}、${h}$`);
      expect(countLines((l) => re.test(l))).toBe(c.regimes);
    });
    // Regime headings are numbered 一、二、… and are not section headings.
    const regimeHeadings = countLines((l) => /^ ?[一二三四五六七八九十]+、(?!监督检查)/.test(l));
    expect(regimeHeadings).toBe(c.regimes);
  });

  it('keeps the seed layout: cells after a TAB, rows ended by a blank line, the traps on purpose', () => {
    const t = city.counts.traps;
    expect(t.splitRow).toBeGreaterThan(0);
    expect(t.spilledCell).toBeGreaterThan(0);
    expect(t.gluedRow).toBeGreaterThan(0);
    expect(countLines((l) => l.startsWith(' \t'))).toBe(t.gluedRow);
    // Inside the tables, the only lines that are neither cells nor blank are the spilled cells.
    let loose = 0;
    for (const d of DEPARTMENTS) {
      for (const part of [0, 1, 3]) {
        loose += partLines(d.name, part).filter((l) => l !== '' && !/^ ?\t/.test(l)).length;
      }
    }
    expect(loose).toBe(t.spilledCell);
    expect(city.text.startsWith('\n衡水市商务局部门职责登记表\n\n\t序号\n')).toBe(true);
    expect(city.text.endsWith('\n\n\n')).toBe(true);
  });

  it('gives services 7-digit phones and cites document numbers like 衡政办〔2019〕12号', () => {
    for (const d of DEPARTMENTS.slice(0, 5)) {
      const rows = partLines(d.name, 3)
        .join('\n')
        .split(/\n{2,}/)
        .map((r) => r.split('\n').filter((l) => l.startsWith('\t')))
        .filter((r) => r.length === 5)
        .slice(1);
      expect(rows.length).toBeGreaterThanOrEqual(10);
      for (const r of rows) expect(r[4]).toMatch(/^\t\d{7}(、\d{7})*$/);
    }
    const docNumbers = city.text.match(/[\u4e00-\u9fa5]{1,6}〔20\d\d〕\d{1,3}号/g) ?? [];
    expect(docNumbers.length).toBeGreaterThan(100);
    expect(docNumbers.some((n) => n.startsWith('衡政办'))).toBe(true);
  });

  it('has a varied vocabulary', () => {
    const cells = lines.filter((l) => l.startsWith('\t') && l.length > 8);
    expect(new Set(cells).size / cells.length).toBeGreaterThan(0.8);
    const chars = new Set(city.text.match(/[\u4e00-\u9fff]/g));
    expect(chars.size).toBeGreaterThan(500);
  });
});
