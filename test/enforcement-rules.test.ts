import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boundOf, parseYuan, yuanText } from '../src/modules/supervision/penalties/penalty.amount.ts';
import {
  addYears,
  assertWithinLimitation,
  clockEnd,
  decisionDue,
  earliestHearing,
  hearingRequestLastDay,
  lateFee,
  paymentDue,
  publicationDue,
} from '../src/modules/supervision/penalties/penalty.clocks.ts';
import { CASE_CLOCKS, LATE_FEE } from '../src/modules/supervision/penalties/penalty.law.ts';
import {
  nextSteps,
  RECTIFICATION_CLAUSES,
} from '../src/modules/supervision/rectifications/rectification.rules.ts';
import { ruleOf } from '../src/modules/supervision/rules/rules.ts';

/**
 * Enforcement's rule data against its sources: each rectification clause is on its line of the
 * bundled document, inside its regime; the next steps of an unheeded order are exactly what each
 * regime's penalty rules allow; every clock of 行政处罚法 cites its article here and in
 * docs/enforcement.md; and the clocks and bounds compute what the law says.
 */

const source = readFileSync(resolve(import.meta.dirname, '../data-bundled/source.txt'), 'utf8').split(
  /\r?\n/,
);
const doc = readFileSync(resolve(import.meta.dirname, '../docs/enforcement.md'), 'utf8');

describe('rectification clauses', () => {
  for (const c of RECTIFICATION_CLAUSES) {
    it(`regime ${c.regime}: “${c.quote}” is on line ${c.line}, inside the regime`, () => {
      expect(source[c.line - 1]).toContain(c.quote);
      const r = ruleOf(c.regime)!;
      expect(c.line).toBeGreaterThanOrEqual(r.lines.from);
      expect(c.line).toBeLessThanOrEqual(r.lines.to);
      // The document writes 限期 without days: the period is the bureau's default, in working days.
      expect(source[c.line - 1]).not.toMatch(new RegExp(`${c.quote}[^。；]*\\d+日`));
      expect(c.term).toMatchObject({ unit: 'working-days', stated: false });
    });
  }

  it('offers exactly the steps the regimes’ rules allow', () => {
    const kinds = (r: number) => nextSteps(r).map((s) => s.kind);
    expect(kinds(4)).toEqual(['province-revocation']);
    expect(kinds(15)).toEqual(['province-revocation']);
    expect(kinds(7)).toEqual(['penalty-case']);
    expect(kinds(8)).toEqual(['penalty-case', 'public-announcement', 'police-handover']);
    expect(kinds(5)).toEqual([]);
    expect(nextSteps(7)[0]!.rules.map((r) => r.key)).toContain('issuance-violation');
  });
});

describe('the clocks of 行政处罚法', () => {
  it('cites every clock’s article in docs/enforcement.md with its figure', () => {
    for (const c of CASE_CLOCKS) {
      expect(doc, c.key).toContain(c.citation.article);
      expect(doc, c.key).toContain(c.citation.words.slice(0, 12));
    }
    expect(doc).toContain(LATE_FEE.citation.article);
  });

  it('computes the dates the articles set', () => {
    expect(clockEnd({ unit: 'working-days', amount: 15 }, '2026-09-28')).toBe('2026-10-23');
    expect(decisionDue('2026-10-01')).toBe('2026-12-30');
    expect(hearingRequestLastDay('2026-10-28')).toBe('2026-11-02');
    expect(earliestHearing('2026-11-01')).toBe('2026-11-08');
    expect(paymentDue('2026-10-21')).toBe('2026-11-05');
    expect(publicationDue('2026-10-20')).toEqual({ date: '2026-10-29', error: null });
    // A decision whose 7 working days run into a year the calendar does not cover says so.
    const uncovered = publicationDue('2026-12-28');
    expect(uncovered.date).toBeNull();
    expect(uncovered.error).toContain('2027');
    expect(addYears('2024-02-29', 2)).toBe('2026-02-28');
  });

  it('refuses 立案 after the limitation period: two years, five for harm to life, health or finance', () => {
    expect(() => assertWithinLimitation('2024-10-15', '2026-10-15', 'ordinary')).not.toThrow();
    expect(() => assertWithinLimitation('2024-10-15', '2026-10-16', 'ordinary')).toThrow(/超过2年追责时效/);
    expect(() => assertWithinLimitation('2022-10-15', '2026-10-16', 'life-health-finance')).not.toThrow();
  });

  it('adds 3 % a day after the deadline, never above the fine', () => {
    expect(lateFee(500_000, '2026-11-05', '2026-11-05').feeFen).toBe(0);
    expect(lateFee(500_000, '2026-11-05', '2026-11-07').feeFen).toBe(30_000);
    const capped = lateFee(500_000, '2026-11-05', '2027-03-01');
    expect(capped).toMatchObject({ feeFen: 500_000, capped: true });
  });
});

describe('amounts', () => {
  it('reads and writes yuan', () => {
    expect(parseYuan('20,000')).toBe(2_000_000);
    expect(parseYuan('24000.01')).toBe(2_400_001);
    expect(parseYuan('abc')).toBeNull();
    expect(yuanText(1_234_567)).toBe('12,345.67元');
  });

  it('computes the bound from the rule and the recorded gain', () => {
    const eight = ruleOf(8)!.penalties.items;
    const withGain = eight.find((r) => r.key === 'fine-with-gain')!;
    expect(boundOf(withGain, { illegalGainFen: 800_000 }).maxFen).toBe(2_400_000);
    expect(boundOf(withGain, { illegalGainFen: 2_000_000 }).maxFen).toBe(3_000_000);
    expect(() => boundOf(withGain, { illegalGainFen: null })).toThrow(/违法所得/);
    const seven = ruleOf(7)!.penalties.items.find((r) => r.key === 'issuance-violation')!;
    expect(boundOf(seven, { illegalGainFen: null })).toMatchObject({ minFen: 1_000_000, maxFen: 3_000_000 });
  });
});
