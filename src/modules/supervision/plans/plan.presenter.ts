import type { DbOrTx } from '../../../db/database.ts';
import type { StratumAllocation } from '../draw/index.ts';
import { RISK_CLASS_NAME, RISK_CLASSES, type RiskClass } from '../reference/index.ts';
import { minRatioBasisPoints, ruleOf } from '../rules/rules.ts';
import { countyNames, type PlanRow, taskCounts, usernames } from './plan.repo.ts';
import { PLAN_STATUS_NAME, type PlanStatus } from './plan.workflow.ts';

/**
 * What leaves the server about a plan, in two projections side by side:
 *   presentStaff  — the back office (drafts, authors, approvers);
 *   presentPublic — the portal and the public API (no staff names, no drafts).
 * The rule both share lives here once: the server seed is never shown before the draw (it is only
 * copied into `draw`, which exists only for a drawn plan).
 */

export interface PlanOut {
  id: number;
  regimeSeq: number;
  title: string;
  year: number;
  round: number;
  ratioBasisPoints: number;
  ratio: string;
  minInspectors: number;
  countyIds: number[];
  counties: string[];
  riskClasses: Array<{ code: RiskClass; name: string }>;
  status: PlanStatus;
  statusName: string;
  belowMinimum: boolean;
  belowMinReason: string | null;
  approvedAt: string | null;
  approvedBy: string | null;
  createdBy: string;
  createdById: number;
  createdAt: string;
  committedAt: string | null;
  commitment: {
    populationSize: number;
    sampleSize: number;
    allocation: StratumAllocation[];
    populationHash: string;
    inspectorsHash: string;
    serverSeedHash: string;
    commitHash: string;
  } | null;
  draw: {
    drawnAt: string;
    witness: string;
    drawSeed: string;
    /** Revealed only after the draw. */
    serverSeed: string;
    tasks: number;
    drawFileSha256: string;
  } | null;
}

export const basisPointsText = (bp: number) => `${Number((bp / 100).toFixed(2))}%`;

const parseIds = (json: string | null): number[] => (json ? (JSON.parse(json) as number[]) : []);
const parseRisks = (json: string | null): string[] => (json ? (JSON.parse(json) as string[]) : []);

/** The county and risk filters of a plan row. */
export const filtersOf = (p: { county_filter: string | null; risk_filter: string | null }) => ({
  countyIds: parseIds(p.county_filter),
  riskClasses: parseRisks(p.risk_filter),
});

/** True when the plan's ratio is below its regime's minimum. */
export function isBelowMinimum(plan: { regime_seq: number; ratio_bp: number }): boolean {
  const rule = ruleOf(plan.regime_seq);
  const minBp = rule ? minRatioBasisPoints(rule) : null;
  return minBp !== null && plan.ratio_bp < minBp;
}

/** The staff projection: everything but the seed, which it never includes unless the plan has been drawn. */
export async function presentStaff(db: DbOrTx, rows: PlanRow[]): Promise<PlanOut[]> {
  const counties = await countyNames(db);
  const users = await usernames(
    db,
    rows.flatMap((r) => [r.created_by, r.approved_by]),
  );
  const counts = await taskCounts(
    db,
    rows.filter((r) => r.status === 'drawn').map((r) => r.id),
  );
  return rows.map((p) => {
    const status = p.status as PlanStatus;
    const countyIds = parseIds(p.county_filter);
    const committed = p.commit_hash !== null && (status === 'committed' || status === 'drawn');
    return {
      id: p.id,
      regimeSeq: p.regime_seq,
      title: p.title,
      year: p.year,
      round: p.round,
      ratioBasisPoints: p.ratio_bp,
      ratio: basisPointsText(p.ratio_bp),
      minInspectors: p.min_inspectors,
      countyIds,
      counties: counties.filter((c) => countyIds.includes(c.id)).map((c) => c.name),
      riskClasses: parseRisks(p.risk_filter)
        .filter((r): r is RiskClass => (RISK_CLASSES as readonly string[]).includes(r))
        .map((code) => ({ code, name: RISK_CLASS_NAME[code] })),
      status,
      statusName: PLAN_STATUS_NAME[status] ?? p.status,
      belowMinimum: isBelowMinimum(p),
      belowMinReason: p.below_min_reason,
      approvedAt: p.approved_at,
      approvedBy: p.approved_by === null ? null : (users.get(p.approved_by) ?? null),
      createdBy: users.get(p.created_by) ?? '',
      createdById: p.created_by,
      createdAt: p.created_at,
      committedAt: committed ? p.committed_at : null,
      commitment: committed
        ? {
            populationSize: p.population_size!,
            sampleSize: p.sample_size!,
            allocation: JSON.parse(p.allocation!) as StratumAllocation[],
            populationHash: p.population_hash!,
            inspectorsHash: p.inspectors_hash!,
            serverSeedHash: p.server_seed_hash!,
            commitHash: p.commit_hash!,
          }
        : null,
      draw:
        status === 'drawn'
          ? {
              drawnAt: p.drawn_at!,
              witness: p.witness!,
              drawSeed: p.draw_seed!,
              serverSeed: p.server_seed!,
              tasks: counts.get(p.id) ?? 0,
              drawFileSha256: p.draw_file_sha256!,
            }
          : null,
    };
  });
}

/** The public projection: no staff names, never the server seed before the draw. */
export const presentPublic = (p: PlanOut) => ({
  id: p.id,
  regimeSeq: p.regimeSeq,
  title: p.title,
  year: p.year,
  round: p.round,
  ratioBasisPoints: p.ratioBasisPoints,
  ratio: p.ratio,
  minInspectors: p.minInspectors,
  counties: p.counties,
  riskClasses: p.riskClasses,
  status: p.status as 'committed' | 'drawn',
  belowMinimum: p.belowMinimum,
  belowMinReason: p.belowMinReason,
  approvedAt: p.approvedAt,
  committedAt: p.committedAt,
  commitment: p.commitment,
  draw: p.draw,
});
export type PublicPlanOut = ReturnType<typeof presentPublic>;
