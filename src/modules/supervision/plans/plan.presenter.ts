import type { DbOrTx } from '../../../db/database.ts';
import {
  commitText,
  type DrawParametersV2,
  parametersFromCommitText,
  type StratumAllocation,
  witnessSourceOf,
} from '../draw/index.ts';
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
  /** The draw algorithm (docs/draws.md): 2 for plans naming a witness source, 1 before. */
  algorithmVersion: 1 | 2;
  /** Version 2: when the inspections take place. */
  period: { start: string; end: string } | null;
  /** Version 2: the ratio of each risk class, A–D and U (未评定). */
  classRatios: Array<{ code: string; name: string; ratioBasisPoints: number; ratio: string }>;
  /** Version 2: checks per entity per year at which an entity is left out. */
  yearlyCap: number | null;
  /** Version 2: own-county (属地) or any. */
  inspectorScope: 'own-county' | 'any' | null;
  /** Version 2: where the witness comes from and when it becomes public (UTC ISO). */
  witness: {
    source: string;
    sourceName: string;
    reference: string;
    referenceLabel: string;
    format: string;
    valueLabel: string;
    plannedDrawAt: string;
  } | null;
  commitment: {
    populationSize: number;
    sampleSize: number;
    allocation: StratumAllocation[];
    populationHash: string;
    /** Version 2 only. */
    exclusionsHash: string | null;
    inspectorsHash: string;
    serverSeedHash: string;
    commitHash: string;
    /** The commit text whose SHA-256 is commitHash (docs/draws.md). */
    commitText: string;
  } | null;
  draw: {
    drawnAt: string;
    witness: string;
    /** Version 2: the witness after the published normalisation (version 1: as typed). */
    witnessCanonical: string;
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

/** The stored ratios of risk classes A–D (version 2), each defaulting to the plan's ratio. */
export function classRatiosOf(plan: {
  class_ratios: string | null;
  ratio_bp: number;
}): Record<RiskClass, number> {
  const stored = plan.class_ratios
    ? (JSON.parse(plan.class_ratios) as Partial<Record<RiskClass, number>>)
    : {};
  return Object.fromEntries(RISK_CLASSES.map((r) => [r, stored[r] ?? plan.ratio_bp])) as Record<
    RiskClass,
    number
  >;
}

/** True when the plan's ratio, or (version 2) that of a risk class, is below its regime's minimum. */
export function isBelowMinimum(plan: {
  regime_seq: number;
  ratio_bp: number;
  class_ratios: string | null;
}): boolean {
  const rule = ruleOf(plan.regime_seq);
  const minBp = rule ? minRatioBasisPoints(rule) : null;
  return minBp !== null && Math.min(plan.ratio_bp, ...Object.values(classRatiosOf(plan))) < minBp;
}

/** The commit text of a committed plan: stored, or (version-1 plans committed before it was stored) rebuilt. */
function commitTextOfRow(p: PlanRow): string {
  if (p.commit_text !== null) return p.commit_text;
  return commitText(
    {
      regimeId: p.draw_regime_id!,
      year: p.year,
      round: p.round,
      ratioBasisPoints: p.ratio_bp,
      minInspectorsPerTask: p.min_inspectors,
      strata: 'county',
    },
    {
      populationHash: p.population_hash!,
      inspectorsHash: p.inspectors_hash!,
      serverSeedHash: p.server_seed_hash!,
    },
  );
}

/** The version-2 fields of a plan row (null and empty for version 1). */
function v2Fields(p: PlanRow) {
  if (p.algorithm_version !== 2) {
    return { period: null, classRatios: [], yearlyCap: null, inspectorScope: null, witness: null };
  }
  const committed: DrawParametersV2 | null = p.commit_text ? parametersFromCommitText(p.commit_text) : null;
  const ratios = { ...classRatiosOf(p), U: p.ratio_bp };
  const source = witnessSourceOf(p.witness_source!);
  return {
    period: { start: p.period_start!, end: p.period_end! },
    classRatios: (['A', 'B', 'C', 'D', 'U'] as const).map((code) => ({
      code,
      name: code === 'U' ? '未评定' : RISK_CLASS_NAME[code],
      ratioBasisPoints: ratios[code],
      ratio: basisPointsText(ratios[code]),
    })),
    yearlyCap: p.yearly_cap,
    inspectorScope: p.inspector_scope as 'own-county' | 'any',
    witness: {
      source: p.witness_source!,
      sourceName: source?.name ?? p.witness_source!,
      reference: p.witness_reference!,
      referenceLabel: source?.reference.label ?? '',
      format: committed?.witnessFormat ?? source?.format ?? '',
      valueLabel: source?.value.label ?? '',
      plannedDrawAt: p.planned_draw_at!,
    },
  };
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
      algorithmVersion: p.algorithm_version === 2 ? 2 : 1,
      ...v2Fields(p),
      commitment: committed
        ? {
            populationSize: p.population_size!,
            sampleSize: p.sample_size!,
            allocation: JSON.parse(p.allocation!) as StratumAllocation[],
            populationHash: p.population_hash!,
            exclusionsHash: p.exclusions_hash,
            inspectorsHash: p.inspectors_hash!,
            serverSeedHash: p.server_seed_hash!,
            commitHash: p.commit_hash!,
            commitText: commitTextOfRow(p),
          }
        : null,
      draw:
        status === 'drawn'
          ? {
              drawnAt: p.drawn_at!,
              witness: p.witness!,
              witnessCanonical: p.witness_canonical ?? p.witness!,
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
  algorithmVersion: p.algorithmVersion,
  period: p.period,
  classRatios: p.classRatios,
  yearlyCap: p.yearlyCap,
  inspectorScope: p.inspectorScope,
  witness: p.witness,
  commitment: p.commitment,
  draw: p.draw,
});
export type PublicPlanOut = ReturnType<typeof presentPublic>;
