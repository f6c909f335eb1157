import type { Tx } from '../../../db/database.ts';
import { appendAudit } from '../../audit/index.ts';
import { actorOf, type SessionUser } from '../../auth/index.ts';
import {
  type AnyDrawParameters,
  CITY_WIDE_COUNTY,
  commitPlan,
  compareUtf8,
  type DrawInspector,
  type DrawParameters,
  type DrawParametersV2,
  generateServerSeed,
  STRATA_V2,
  witnessSourceOf,
} from '../draw/index.ts';
import { RISK_CLASSES } from '../reference/index.ts';
import type { RegimeRule } from '../rules/rules.ts';
import { drawErrorToApp, planError, planFilter, ruleOr404 } from './plan.common.ts';
import { planAbilities } from './plan.policy.ts';
import { basisPointsText, classRatiosOf, filtersOf, isBelowMinimum } from './plan.presenter.ts';
import {
  checksInYear,
  countyNames,
  type ExcludedMember,
  insertFrozenInput,
  loadDrawInspectors,
  loadPopulation,
  type PlanRow,
  type PopulationMember,
  regimeTitle,
  updatePlan,
} from './plan.repo.ts';
import { beijingIso } from './plan.schema.ts';
import { transition } from './plan.workflow.ts';

/**
 * Commit (公布承诺): freezes the population and the inspectors, leaves out (version 2) the entities
 * at the yearly cap, generates the secret server seed and publishes the parameters, the commit text
 * and its hash. A below-minimum ratio must have been approved; a version-2 plan must commit before
 * its planned draw time.
 */

/** The draw parameters of a version-1 plan. */
export function drawParameters(
  plan: Pick<PlanRow, 'regime_seq' | 'year' | 'round' | 'ratio_bp' | 'min_inspectors'>,
  title: string,
): DrawParameters {
  return {
    regimeId: `${plan.regime_seq}:${title}`,
    year: plan.year,
    round: plan.round,
    ratioBasisPoints: plan.ratio_bp,
    minInspectorsPerTask: plan.min_inspectors,
    strata: 'county',
  };
}

/** The version-2 parameters of a plan at commit time `committedAt` (docs/draws.md "Parameters"). */
async function parametersV2(
  tx: Tx,
  plan: PlanRow,
  rule: RegimeRule,
  title: string,
  committedAt: string,
): Promise<DrawParametersV2> {
  const { countyIds, riskClasses } = filtersOf(plan);
  const names = (await countyNames(tx)).filter((c) => countyIds.includes(c.id)).map((c) => c.name);
  return {
    regimeId: `${plan.regime_seq}:${title}`,
    year: plan.year,
    round: plan.round,
    inspectionPeriod: { start: plan.period_start!, end: plan.period_end! },
    selection: {
      categories: [...rule.subjects.categories].sort(compareUtf8),
      statuses: ['active'],
      counties: names.sort(compareUtf8),
      riskClasses: RISK_CLASSES.filter((r) => riskClasses.includes(r)),
    },
    yearlyCap: plan.yearly_cap!,
    strata: STRATA_V2,
    ratios: { ...classRatiosOf(plan), U: plan.ratio_bp },
    minInspectorsPerTask: plan.min_inspectors,
    inspectorScope: plan.inspector_scope as DrawParametersV2['inspectorScope'],
    witnessSource: plan.witness_source!,
    witnessReference: plan.witness_reference!,
    witnessFormat: witnessSourceOf(plan.witness_source!)!.format,
    plannedDrawAt: beijingIso(plan.planned_draw_at!),
    committedAt,
  };
}

/**
 * Refuses the commit unless every entity can get `need` inspectors free of declared conflicts (and,
 * with `own-county`, of its county or city-wide), so that a committed plan can always be drawn.
 */
function assertEnoughInspectors(
  population: readonly PopulationMember[],
  inspectors: readonly DrawInspector[],
  need: number,
  ownCounty: boolean,
): void {
  if (inspectors.length < need) {
    throw planError(
      409,
      'insufficient_inspectors',
      `在岗执法人员只有 ${inspectors.length} 名，每项任务需要 ${need} 名`,
    );
  }
  const countyOf = new Map(population.map((e) => [e.uscc, e.county]));
  const eligible = (i: DrawInspector, county: string) =>
    !ownCounty || i.county === county || i.county === CITY_WIDE_COUNTY;
  const inScope = new Map<string, number>();
  const conflicted = new Map<string, number>();
  for (const i of inspectors) {
    for (const u of i.conflicts) {
      if (eligible(i, countyOf.get(u) ?? '')) conflicted.set(u, (conflicted.get(u) ?? 0) + 1);
    }
  }
  for (const e of population) {
    let available = inScope.get(e.county);
    if (available === undefined) {
      available = inspectors.filter((i) => eligible(i, e.county)).length;
      inScope.set(e.county, available);
    }
    const free = available - (conflicted.get(e.uscc) ?? 0);
    if (free < need) {
      throw planError(
        409,
        'insufficient_inspectors',
        ownCounty
          ? `检查对象 ${e.uscc}（${e.name}，${e.county}）需要 ${need} 名执法人员，但本县（市、区）和市本级无利害关系的只有 ${free} 名：请补充执法人员、核实回避申报，或允许跨县（市、区）选派`
          : `检查对象 ${e.uscc}（${e.name}）需要 ${need} 名执法人员，但无利害关系的只有 ${free} 名：请补充执法人员或核实回避申报`,
      );
    }
  }
}

/** The candidates split at the yearly cap (version 2): the population and the entities left out. */
async function applyYearlyCap(
  tx: Tx,
  plan: PlanRow,
  candidates: PopulationMember[],
): Promise<{ population: PopulationMember[]; exclusions: ExcludedMember[] }> {
  const checks = await checksInYear(tx, plan.year, plan.yearly_cap!);
  const population: PopulationMember[] = [];
  const exclusions: ExcludedMember[] = [];
  for (const e of candidates) {
    const n = checks.get(e.entityId);
    if (n === undefined) population.push(e);
    else exclusions.push({ entityId: e.entityId, uscc: e.uscc, name: e.name, county: e.county, checks: n });
  }
  return { population, exclusions };
}

export async function commitPlanAction(tx: Tx, user: SessionUser, id: number): Promise<void> {
  planAbilities.assertRole('commit', user);
  const plan = await transition(tx, id, 'commit');
  if (isBelowMinimum(plan) && plan.approved_by === null) {
    throw planError(
      409,
      'approval_required',
      `抽查比例 ${basisPointsText(plan.ratio_bp)} 低于本制度规定的比例：须经制定人以外的审核人批准后才能公布`,
    );
  }
  const v2 = plan.algorithm_version === 2;
  const nowMs = Date.now();
  if (v2 && Date.parse(plan.planned_draw_at!) <= nowMs) {
    throw planError(
      409,
      'planned_draw_passed',
      '计划抽取时间已过：见证值必须在公布承诺之后才产生。请取消本计划，按新的抽取时间重新制定。',
    );
  }
  const rule = ruleOr404(plan.regime_seq);
  const candidates = await loadPopulation(tx, rule, planFilter(plan));
  const { population, exclusions } = v2
    ? await applyYearlyCap(tx, plan, candidates)
    : { population: candidates, exclusions: [] };
  if (population.length === 0) {
    throw planError(
      409,
      'empty_population',
      exclusions.length > 0
        ? `符合条件的 ${exclusions.length} 个检查对象本年度都已达到检查次数上限，无法公布计划`
        : '检查对象名录库中没有符合条件的在营检查对象，无法公布计划',
    );
  }
  const inspectors = await loadDrawInspectors(tx, population);
  assertEnoughInspectors(
    population,
    inspectors,
    plan.min_inspectors,
    v2 && plan.inspector_scope === 'own-county',
  );
  const title = await regimeTitle(tx, rule);
  const parameters: AnyDrawParameters = v2
    ? await parametersV2(tx, plan, rule, title, beijingIso(nowMs))
    : drawParameters(plan, title);
  const serverSeed = generateServerSeed();
  let commitment: ReturnType<typeof commitPlan>;
  try {
    commitment = commitPlan({ parameters, population, exclusions, inspectors, serverSeed });
  } catch (e) {
    return drawErrorToApp(e);
  }
  await insertFrozenInput(tx, id, population, inspectors, { withRiskClass: v2, exclusions });
  const now = new Date(nowMs).toISOString();
  await updatePlan(tx, id, {
    committed_by: user.id,
    committed_at: now,
    population_size: commitment.populationSize,
    sample_size: commitment.sampleSize,
    allocation: JSON.stringify(commitment.allocation),
    population_hash: commitment.populationHash,
    inspectors_hash: commitment.inspectorsHash,
    server_seed_hash: commitment.serverSeedHash,
    exclusions_hash: commitment.exclusionsHash ?? null,
    commit_hash: commitment.commitHash,
    commit_text: commitment.commitText,
    server_seed: serverSeed,
    draw_regime_id: parameters.regimeId,
    updated_at: now,
  });
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'commit',
    entity: 'inspection_plan',
    entityId: id,
    after: {
      parameters,
      populationSize: commitment.populationSize,
      sampleSize: commitment.sampleSize,
      inspectors: inspectors.length,
      excluded: exclusions.length,
      populationHash: commitment.populationHash,
      ...(v2 ? { exclusionsHash: commitment.exclusionsHash } : {}),
      inspectorsHash: commitment.inspectorsHash,
      serverSeedHash: commitment.serverSeedHash,
      commitHash: commitment.commitHash,
    },
  });
}
