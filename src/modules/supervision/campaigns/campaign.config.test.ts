import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ruleOf } from '../rules/rules.ts';
import { CAMPAIGNS, type Cite } from './campaign.config.ts';
import { applyAction, stepDue } from './campaign.logic.ts';
import { evaluateZones } from './zone.logic.ts';

const lines = readFileSync(new URL('../../../../data-bundled/source.txt', import.meta.url), 'utf8').split(
  '\n',
);

/** Every citation of a definition: its notice, steps, clocks, outcomes and partners. */
function citations(def: (typeof CAMPAIGNS)[number]): Cite[] {
  return [
    def.notice.at,
    ...def.tracks.flatMap((t) => t.steps.flatMap((s) => [s.at, ...(s.clock ? [s.clock.at] : [])])),
    ...(def.outcome.passMark ? [def.outcome.passMark.at] : []),
    def.outcome.onFail.at,
    ...(def.outcome.onRectificationFail ? [def.outcome.onRectificationFail.at] : []),
    ...(def.partners ? [def.partners.at] : []),
  ];
}

describe('campaign definitions', () => {
  it('configure regimes 4, 5, 6, 10 and 11, each citing words that stand on their line inside the regime', () => {
    expect(CAMPAIGNS.map((c) => c.regime).sort((a, b) => a - b)).toEqual([4, 5, 6, 10, 11]);
    for (const def of CAMPAIGNS) {
      const rule = ruleOf(def.regime)!;
      for (const [line, quote] of citations(def)) {
        expect(lines[line - 1], `${def.key} line ${line}`).toContain(quote);
        expect(line, `${def.key} line ${line} inside regime ${def.regime}`).toBeGreaterThanOrEqual(
          rule.lines.from,
        );
        expect(line).toBeLessThanOrEqual(rule.lines.to);
      }
    }
  });

  it('states the clocks the document states: the 年检通知 by 30 January, the city’s 20 日 from receipt', () => {
    const oil = CAMPAIGNS.find((c) => c.regime === 4)!;
    expect(oil.notice.dueBy).toBe('01-30');
    const decision = oil.tracks
      .find((t) => t.key === 'retail')!
      .steps.find((s) => s.key === 'city-decision')!;
    expect(decision.clock).toMatchObject({ unit: 'calendar-days', amount: 20 });
    // 日 are calendar days: across the 2026 National Day holiday too.
    expect(stepDue(decision, '2026-09-28')).toBe('2026-10-18');
  });

  it('returns a filing to the enterprise only from a review, and offers the report only where the regime does', () => {
    const oil = CAMPAIGNS.find((c) => c.regime === 4)!;
    const retail = oil.tracks[0]!;
    const atReview = { status: 'open' as const, stepIndex: 1, stepSince: '2027-02-01' };
    expect(applyAction(oil, retail, atReview, 'return', '2027-02-02').next).toEqual({
      status: 'open',
      stepIndex: 0,
      stepSince: '2027-02-02',
    });
    const pawn = CAMPAIGNS.find((c) => c.regime === 5)!;
    expect(() =>
      applyAction(
        pawn,
        pawn.tracks[0]!,
        { status: 'rectifying', stepIndex: 2, stepSince: null },
        'rectification-failed',
        '2027-03-01',
      ),
    ).toThrow(/不能执行/);
  });
});

describe('the delisting rule', () => {
  it('counts a tie at the third-from-last place as bottom three and needs two consecutive years', () => {
    const s = (year: number, zone: string, score: number) => ({ year, zone, score, inCity: true });
    const ev = evaluateZones(
      [s(2024, 'A', 1), s(2024, 'B', 2), s(2024, 'C', 2), s(2024, 'D', 9), s(2026, 'A', 1), s(2026, 'D', 9)],
      { consecutiveYears: 2, bottomRanks: 3 },
    );
    expect(ev.ranked.filter((r) => r.year === 2024 && r.bottom).map((r) => r.zone)).toEqual(['B', 'C', 'A']);
    expect(ev.considered).toEqual([2024, 2026]);
    expect(ev.recommended).toEqual([]); // 2024 and 2026 are not consecutive
  });
});
