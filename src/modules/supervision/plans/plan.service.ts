import type { DbOrTx, Tx } from '../../../db/database.ts';
import { nowIso } from '../../../db/database.ts';
import { AppError, notFound } from '../../../http/errors.ts';
import { appendAudit } from '../../audit/index.ts';
import { actorOf, type SessionUser } from '../../auth/index.ts';
import { sampleSize } from '../draw/index.ts';
import { RISK_CLASSES } from '../reference/index.ts';
import { minRatioBasisPoints } from '../rules/rules.ts';
import { minInspectorsOf, planError, ruleOr404 } from './plan.common.ts';
import { planAbilities } from './plan.policy.ts';
import { basisPointsText, isBelowMinimum, type PlanOut, presentStaff } from './plan.presenter.ts';
import {
  checksInYear,
  countyIds,
  findLivePlan,
  insertPlan,
  listPlanRows,
  loadPlan,
  loadPopulation,
  type PlanListFilter,
  regimeTitle,
  updatePlan,
} from './plan.repo.ts';
import { checkV2Fields, isV2Input, type PlanInput, percentToBasisPoints } from './plan.schema.ts';
import { transition } from './plan.workflow.ts';

export { commitPlanAction, drawParameters } from './plan.commit.ts';
export { minInspectorsOf, planFilter } from './plan.common.ts';
export { drawPlan } from './plan.draw.ts';
export { type PlanInput, percentToBasisPoints } from './plan.schema.ts';

/**
 * Inspection plans (抽查计划) and their verifiable draws:
 *   create (draft) → [approve a below-minimum ratio] → commit (plan.commit.ts) → draw (plan.draw.ts).
 * Commit freezes the population and the inspectors, generates the secret server seed and publishes
 * the commitment; draw takes the witness value, runs the draw in a worker thread (draw/off-thread.ts)
 * and then stores the tasks and the publishable draw file. A plan that names a witness source is
 * drawn by algorithm version 2 (docs/draws.md); one that names none by version 1. Every step writes
 * its audit entry in the same transaction as its change.
 */

export async function createPlan(tx: Tx, user: SessionUser, input: PlanInput): Promise<number> {
  planAbilities.assertRole('create', user);
  const rule = ruleOr404(input.regimeSeq);
  const problems: string[] = [];
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100)
    problems.push('年度应为2000–2100之间的整数');
  if (!Number.isInteger(input.round) || input.round < 1 || input.round > 99)
    problems.push('轮次应为1–99之间的整数');
  const bp = percentToBasisPoints(input.ratioPercent);
  if (bp === null) problems.push('抽查比例应为0.01–100之间的百分数，最多两位小数');
  const minInspectors = minInspectorsOf(rule);
  if (
    !Number.isInteger(input.minInspectors) ||
    input.minInspectors < minInspectors ||
    input.minInspectors > 20
  ) {
    problems.push(
      `每项任务的执法人员应为${minInspectors}–20名（${rule.minInspectors.value === null ? '本制度未规定人数，按默认至少2名' : `本制度规定至少${minInspectors}名`}）`,
    );
  }
  const known = await countyIds(tx);
  const counties = [...new Set(input.countyIds)].sort((a, b) => a - b);
  if (counties.some((id) => !known.includes(id))) problems.push('所选县（市、区）不存在');
  const risks = [...new Set(input.riskClasses)];
  if (risks.some((r) => !(RISK_CLASSES as readonly string[]).includes(r))) problems.push('风险等级无效');
  const v2 = isV2Input(input) ? checkV2Fields(input, bp, Date.now(), problems) : null;
  const minBp = minRatioBasisPoints(rule);
  const reason = input.belowMinReason.trim();
  const lowest = bp === null ? null : Math.min(bp, ...(v2 ? Object.values(v2.classRatios) : []));
  const below = lowest !== null && minBp !== null && lowest < minBp;
  if (below && reason.length < 4) {
    const which =
      v2 && lowest !== bp
        ? `（${RISK_CLASSES.filter((r) => v2.classRatios[r] < minBp!)
            .map((r) => `${r}类${basisPointsText(v2.classRatios[r])}`)
            .join('、')}）`
        : ` ${basisPointsText(bp!)}`;
    problems.push(
      `抽查比例${which} 低于本制度规定的${basisPointsText(minBp!)}：必须填写理由（至少4个字），并经审核人批准后才能公布`,
    );
  }
  if (problems.length > 0) throw new AppError(400, 'invalid_plan', problems.join('；'), problems);
  const live = await findLivePlan(tx, rule.seq, input.year, input.round);
  if (live) {
    throw planError(
      409,
      'plan_exists',
      `${input.year}年第${input.round}轮的该项抽查计划已存在（计划编号 ${live.id}）`,
    );
  }
  const now = nowIso();
  const title = `${input.year}年第${input.round}轮 ${await regimeTitle(tx, rule)}`;
  const planId = await insertPlan(tx, {
    regime_seq: rule.seq,
    year: input.year,
    round: input.round,
    title,
    ratio_bp: bp!,
    min_inspectors: input.minInspectors,
    county_filter: counties.length ? JSON.stringify(counties) : null,
    risk_filter: risks.length ? JSON.stringify(risks) : null,
    status: 'draft',
    below_min_reason: below ? reason : null,
    approved_by: null,
    approved_at: null,
    created_by: user.id,
    created_at: now,
    updated_at: now,
    ...(v2
      ? {
          algorithm_version: 2,
          period_start: v2.periodStart,
          period_end: v2.periodEnd,
          class_ratios: JSON.stringify(v2.classRatios),
          yearly_cap: v2.yearlyCap,
          inspector_scope: v2.inspectorScope,
          witness_source: v2.witnessSource,
          witness_reference: v2.witnessReference,
          planned_draw_at: v2.plannedDrawAt,
        }
      : {}),
  });
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'create',
    entity: 'inspection_plan',
    entityId: planId,
    after: {
      ...input,
      ratioBasisPoints: bp,
      title,
      belowMinimum: below,
      algorithmVersion: v2 ? 2 : 1,
      ...v2,
    },
  });
  return planId;
}

export async function approveBelowMinimum(
  tx: Tx,
  user: SessionUser,
  id: number,
  comment: string,
): Promise<void> {
  const plan = await loadPlan(tx, id);
  planAbilities.assert('approveBelowMinimum', user, { createdById: plan.created_by });
  if (plan.status !== 'draft') throw planError(409, 'not_draft', '只有草稿状态的计划需要批准');
  if (!isBelowMinimum(plan))
    throw planError(409, 'not_below_minimum', '该计划的抽查比例不低于规定比例，无需批准');
  if (plan.approved_by !== null) throw planError(409, 'already_approved', '该计划已经批准');
  const now = nowIso();
  await updatePlan(tx, id, { approved_by: user.id, approved_at: now, updated_at: now });
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'approve-below-minimum',
    entity: 'inspection_plan',
    entityId: id,
    after: {
      ratioBasisPoints: plan.ratio_bp,
      reason: plan.below_min_reason,
      comment: comment.trim() || null,
    },
  });
}

/** Cancels a draft; the reason (required) goes to the audit entry. */
export async function cancelPlan(tx: Tx, user: SessionUser, id: number, reason: string): Promise<void> {
  planAbilities.assertRole('cancel', user);
  if (reason.trim() === '') throw planError(400, 'reason_required', '请填写取消理由：理由会写入审计日志。');
  await transition(tx, id, 'cancel');
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'cancel',
    entity: 'inspection_plan',
    entityId: id,
    after: { reason: reason.trim() },
  });
}

export interface PopulationPreview {
  size: number;
  /** Version 2: entities that would be left out at the yearly cap. */
  excluded: number;
  sampleSize: number;
  byCounty: Array<{ county: string; population: number }>;
}

/**
 * What a draft would draw from the register as it is now: the population, (version 2) the entities
 * at the yearly cap, and the sample size — n per risk class for version 2, else n over all.
 */
export async function previewPopulation(db: DbOrTx, plan: PlanOut): Promise<PopulationPreview> {
  const filter = {
    regimeSeq: plan.regimeSeq,
    countyIds: plan.countyIds,
    riskClasses: plan.riskClasses.map((r) => r.code),
  };
  const candidates = await loadPopulation(db, ruleOr404(plan.regimeSeq), filter);
  const capped =
    plan.yearlyCap === null ? new Map<number, number>() : await checksInYear(db, plan.year, plan.yearlyCap);
  const pop = candidates.filter((e) => !capped.has(e.entityId));
  const counts = new Map<string, number>();
  for (const e of pop) counts.set(e.county, (counts.get(e.county) ?? 0) + 1);
  let n = pop.length ? sampleSize(pop.length, plan.ratioBasisPoints) : 0;
  if (plan.algorithmVersion === 2) {
    n = plan.classRatios.reduce((sum, r) => {
      const size = pop.filter((e) => e.riskClass === r.code).length;
      return sum + (size ? sampleSize(size, r.ratioBasisPoints) : 0);
    }, 0);
  }
  return {
    size: pop.length,
    excluded: candidates.length - pop.length,
    sampleSize: n,
    byCounty: [...counts].map(([county, population]) => ({ county, population })),
  };
}

export async function listPlans(db: DbOrTx, filter: PlanListFilter = {}): Promise<PlanOut[]> {
  return presentStaff(db, await listPlanRows(db, filter));
}

export async function getPlan(db: DbOrTx, id: number, opts: { publicOnly?: boolean } = {}): Promise<PlanOut> {
  const row = await loadPlan(db, id);
  if (opts.publicOnly && row.status !== 'committed' && row.status !== 'drawn')
    throw notFound(`抽查计划 ${id}`);
  return (await presentStaff(db, [row]))[0]!;
}
