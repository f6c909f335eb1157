/**
 * Regime 11's delisting rule (rules.data.ts, penalty `delisting`): a development zone ranked in the
 * bottom three of the province's 综合发展水平评价 two years running is recommended for 摘牌. Pure.
 *
 * Input: every zone's score per year as imported (province-wide: the bottom three are of the whole
 * province, so the import carries other cities' zones too, marked `inCity: false`). Ranks are by
 * score, highest first; equal scores share a rank (standard competition ranking, 1224), so a tie
 * at the third-from-last place includes every tied zone — the data shown beside the result says
 * so. Only the city's own zones are recommended (the bureau recommends its own).
 */

export interface ZoneScore {
  year: number;
  zone: string;
  score: number;
  inCity: boolean;
}

export interface RankedZone extends ZoneScore {
  /** 1 = best. */
  rank: number;
  /** Zones ranked in that year. */
  of: number;
  bottom: boolean;
}

export interface DelistingRule {
  consecutiveYears: number;
  bottomRanks: number;
}

export interface ZoneEvaluation {
  years: number[];
  /** The years the rule looks at: the last `consecutiveYears` years imported. */
  considered: number[];
  ranked: RankedZone[];
  recommended: Array<{ zone: string; ranks: Array<{ year: number; rank: number; of: number }> }>;
}

export function rankYear(scores: readonly ZoneScore[], bottomRanks: number): RankedZone[] {
  const sorted = [...scores].sort((a, b) => b.score - a.score || a.zone.localeCompare(b.zone, 'zh'));
  const n = sorted.length;
  const out: RankedZone[] = [];
  sorted.forEach((s, i) => {
    const rank = i > 0 && sorted[i - 1]!.score === s.score ? out[i - 1]!.rank : i + 1;
    out.push({ ...s, rank, of: n, bottom: false });
  });
  // Bottom k: every zone whose score is at or below the k-th lowest score.
  if (n > 0) {
    const threshold = sorted[Math.max(0, n - bottomRanks)]!.score;
    for (const z of out) z.bottom = z.score <= threshold;
  }
  return out;
}

export function evaluateZones(scores: readonly ZoneScore[], rule: DelistingRule): ZoneEvaluation {
  const years = [...new Set(scores.map((s) => s.year))].sort((a, b) => a - b);
  const ranked = years.flatMap((y) =>
    rankYear(
      scores.filter((s) => s.year === y),
      rule.bottomRanks,
    ),
  );
  const considered = years.slice(-rule.consecutiveYears);
  const recommended: ZoneEvaluation['recommended'] = [];
  if (considered.length === rule.consecutiveYears && isConsecutive(considered)) {
    const cityZones = [...new Set(ranked.filter((r) => r.inCity).map((r) => r.zone))].sort((a, b) =>
      a.localeCompare(b, 'zh'),
    );
    for (const zone of cityZones) {
      const rows = considered.map((y) => ranked.find((r) => r.year === y && r.zone === zone));
      if (rows.every((r) => r?.bottom)) {
        recommended.push({ zone, ranks: rows.map((r) => ({ year: r!.year, rank: r!.rank, of: r!.of })) });
      }
    }
  }
  return { years, considered, ranked, recommended };
}

function isConsecutive(years: readonly number[]): boolean {
  return years.every((y, i) => i === 0 || y === years[i - 1]! + 1);
}
