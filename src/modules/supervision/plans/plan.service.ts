import { availableParallelism } from 'node:os';
import type { Db, DbOrTx, Tx } from '../../../db/database.ts';
import { nowIso } from '../../../db/database.ts';
import { AppError, notFound } from '../../../http/errors.ts';
import { appendAudit } from '../../audit/index.ts';
import { actorOf, type SessionUser } from '../../auth/index.ts';
import {
  commitPlan,
  DrawError,
  type DrawJobOutcome,
  type DrawParameters,
  generateServerSeed,
  type RunDrawOptions,
  sampleSize,
  splitDrawFile,
  startDrawJob,
} from '../draw/index.ts';
import { DEFAULT_MIN_INSPECTORS, RISK_CLASSES } from '../reference/index.ts';
import { minRatioBasisPoints, type RegimeRule, ruleOf } from '../rules/rules.ts';
import { planAbilities } from './plan.policy.ts';
import { basisPointsText, filtersOf, isBelowMinimum, type PlanOut, presentStaff } from './plan.presenter.ts';
import {
  breathe,
  claimDraw,
  countyIds,
  deleteStagedTasks,
  findLivePlan,
  frozenInspectors,
  frozenPopulationParts,
  insertDrawFilePart,
  insertFrozenInput,
  insertPlan,
  insertTasks,
  listPlanRows,
  loadDrawInspectors,
  loadPlan,
  loadPopulation,
  type NewTask,
  type PlanListFilter,
  type PlanRow,
  type PopulationFilter,
  regimeTitle,
  releaseDraw,
  updatePlan,
} from './plan.repo.ts';
import { badTransition, mayMove, transition } from './plan.workflow.ts';

/**
 * Inspection plans (抽查计划) and their verifiable draws:
 *   create (draft) → [approve a below-minimum ratio] → commit → draw.
 * Commit freezes the population and the inspectors, generates the secret server seed and publishes
 * the hashes; draw takes the witness value, runs the draw in a worker thread (draw/off-thread.ts)
 * and then stores the tasks and the publishable draw file. Every step writes its audit entry in
 * the same transaction as its change.
 */

export interface PlanInput {
  regimeSeq: number;
  year: number;
  round: number;
  /** Sampling ratio in percent as typed (e.g. "10", "7.5"); at most two decimals. */
  ratioPercent: string;
  minInspectors: number;
  countyIds: number[];
  riskClasses: string[];
  /** Required when the ratio is below the regime's minimum. */
  belowMinReason: string;
}

const planError = (status: number, code: string, message: string) => new AppError(status, code, message);

/** "10" → 1000, "7.5" → 750; null when not a percentage with at most two decimals in (0, 100]. */
export function percentToBasisPoints(text: string): number | null {
  const m = /^\s*(\d{1,3})(?:\.(\d{1,2}))?\s*%?\s*$/.exec(text);
  if (!m) return null;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bp >= 1 && bp <= 10_000 ? bp : null;
}

const ruleOr404 = (seq: number): RegimeRule => {
  const rule = ruleOf(seq);
  if (!rule) throw notFound(`第 ${seq} 项监管制度`);
  return rule;
};

/** Minimum inspectors per task: the regime's figure, or the default 2 where it states none. */
export const minInspectorsOf = (rule: RegimeRule) => rule.minInspectors.value ?? DEFAULT_MIN_INSPECTORS;

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
  const minBp = minRatioBasisPoints(rule);
  const reason = input.belowMinReason.trim();
  const below = bp !== null && minBp !== null && bp < minBp;
  if (below && reason.length < 4) {
    problems.push(
      `抽查比例 ${basisPointsText(bp!)} 低于本制度规定的${basisPointsText(minBp!)}：必须填写理由（至少4个字），并经审核人批准后才能公布`,
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
  });
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'create',
    entity: 'inspection_plan',
    entityId: planId,
    after: { ...input, ratioBasisPoints: bp, title, belowMinimum: below },
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

// ───────────────────────────── population ─────────────────────────────

export const planFilter = (p: {
  regime_seq: number;
  county_filter: string | null;
  risk_filter: string | null;
}): PopulationFilter => ({ regimeSeq: p.regime_seq, ...filtersOf(p) });

export interface PopulationPreview {
  size: number;
  sampleSize: number;
  byCounty: Array<{ county: string; population: number }>;
}

export async function previewPopulation(
  db: DbOrTx,
  filter: PopulationFilter,
  ratioBp: number,
): Promise<PopulationPreview> {
  const pop = await loadPopulation(db, ruleOr404(filter.regimeSeq), filter);
  const counts = new Map<string, number>();
  for (const e of pop) counts.set(e.county, (counts.get(e.county) ?? 0) + 1);
  return {
    size: pop.length,
    sampleSize: pop.length ? sampleSize(pop.length, ratioBp) : 0,
    byCounty: [...counts].map(([county, population]) => ({ county, population })),
  };
}

const drawErrorToApp = (e: unknown): never => {
  if (e instanceof DrawError) {
    const status = e.code === 'invalid-witness' ? 400 : 409;
    throw new AppError(status, `draw_${e.code.replace(/-/g, '_')}`, e.messageZh);
  }
  throw e;
};

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

/**
 * Commit: freezes the population and the inspectors, generates the server seed (kept secret) and
 * publishes the parameters and hashes. A below-minimum ratio must have been approved.
 */
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
  const rule = ruleOr404(plan.regime_seq);
  const population = await loadPopulation(tx, rule, planFilter(plan));
  if (population.length === 0) {
    throw planError(409, 'empty_population', '检查对象名录库中没有符合条件的在营检查对象，无法公布计划');
  }
  const inspectors = await loadDrawInspectors(tx, population);
  const need = plan.min_inspectors;
  if (inspectors.length < need) {
    throw planError(
      409,
      'insufficient_inspectors',
      `在岗执法人员只有 ${inspectors.length} 名，每项任务需要 ${need} 名`,
    );
  }
  const conflicted = new Map<string, number>();
  for (const i of inspectors) for (const u of i.conflicts) conflicted.set(u, (conflicted.get(u) ?? 0) + 1);
  for (const e of population) {
    const free = inspectors.length - (conflicted.get(e.uscc) ?? 0);
    if (free < need) {
      throw planError(
        409,
        'insufficient_inspectors',
        `检查对象 ${e.uscc}（${e.name}）需要 ${need} 名执法人员，但无利害关系的只有 ${free} 名：请补充执法人员或核实回避申报`,
      );
    }
  }
  const title = await regimeTitle(tx, rule);
  const parameters = drawParameters(plan, title);
  const serverSeed = generateServerSeed();
  let commitment: ReturnType<typeof commitPlan>;
  try {
    commitment = commitPlan({ parameters, population, inspectors, serverSeed });
  } catch (e) {
    return drawErrorToApp(e);
  }
  await insertFrozenInput(tx, id, population, inspectors);
  const now = nowIso();
  await updatePlan(tx, id, {
    committed_by: user.id,
    committed_at: now,
    population_size: commitment.populationSize,
    sample_size: commitment.sampleSize,
    allocation: JSON.stringify(commitment.allocation),
    population_hash: commitment.populationHash,
    inspectors_hash: commitment.inspectorsHash,
    server_seed_hash: commitment.serverSeedHash,
    commit_hash: commitment.commitHash,
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
      populationHash: commitment.populationHash,
      inspectorsHash: commitment.inspectorsHash,
      serverSeedHash: commitment.serverSeedHash,
      commitHash: commitment.commitHash,
    },
  });
}

/**
 * The server's draw runs in one worker thread and adds the ranking worker (a second busy thread)
 * only where a core is left over for the event loop: on two cores, two busy draw threads slow
 * every other request down (bench/draw). The result is the same either way.
 */
const SERVER_DRAW_OPTIONS: RunDrawOptions = { parallel: availableParallelism() >= 3 ? 'auto' : 'never' };

/** Population rows per part read and handed to the draw worker (each part is a short pause). */
const DRAW_PART = 2_000;
/**
 * Tasks staged per short transaction, from STAGE_FIRST_PART doubling up to STAGE_PART: each stays
 * around 10 ms on SQLite, also the first ones while the statements are still cold (500 at once
 * took 120 ms each at first, bench/draw/server.ts).
 */
const STAGE_PART = 200;
const STAGE_FIRST_PART = 10;
/** Bytes of the draw file per stored part (one short transaction each; ~170 parts for 1,000,000 entities). */
const FILE_PART_BYTES = 512 * 1024;
/** A draw's claim older than this is taken to be abandoned (a crashed server), so a new draw may start. */
const DRAW_CLAIM_STALE_MS = 10 * 60_000;

/**
 * Draw: the witness value is entered and the draw runs in a worker thread on the input frozen at
 * commit (read in parts and handed on at once: this thread never holds the population, the worker
 * keeps each entity's register id and returns it with the drawn tasks). Then:
 *   1. claim   — the plan is stamped as being drawn (conditional: of two concurrent draws one gets 409);
 *   2. stage   — the tasks and the publishable file (in parts ending at line breaks, decoded part by
 *                part) go in in short transactions, invisible while the plan is not drawn, so a
 *                100,000-task, 85 MB draw never holds the database or the event loop for long;
 *   3. publish — one short transaction moves the plan to drawn (conditionally, with our claim) and
 *                stores the file's hash and the audit entry: the draw becomes visible all at once.
 * A failure before 3 removes what was staged and gives the claim up; nothing becomes visible.
 */
export async function drawPlan(db: Db, user: SessionUser, id: number, witnessText: string): Promise<void> {
  planAbilities.assertRole('draw', user);
  const witness = witnessText.trim();
  if (!witness)
    throw new AppError(400, 'witness_required', '请输入见证值（如当晚公布的开奖号码，在见证人面前录入）');
  const plan = await loadPlan(db, id);
  if (!mayMove(plan.status, 'draw')) throw badTransition(plan.status, 'draw');
  const stamp = nowIso();
  if (!(await claimDraw(db, id, stamp, new Date(Date.now() - DRAW_CLAIM_STALE_MS).toISOString()))) {
    const now = await loadPlan(db, id);
    if (!mayMove(now.status, 'draw')) throw badTransition(now.status, 'draw');
    throw planError(409, 'draw_in_progress', '该计划正在抽取中，请稍后刷新页面查看结果');
  }
  const job = startDrawJob();
  try {
    await deleteStagedTasks(db, id);
    for await (const part of frozenPopulationParts(db, id, DRAW_PART)) {
      job.add(
        part.map(({ uscc, name, county }) => ({ uscc, name, county })),
        part.map((e) => e.entityId),
      );
    }
    const inspectors = await frozenInspectors(db, id);
    const inspectorIds = new Map(inspectors.map((r) => [r.certificate, r.inspectorId]));
    const outcome = await job.run(
      {
        parameters: { ...drawParameters(plan, ''), regimeId: plan.draw_regime_id! },
        inspectors: inspectors.map(({ inspectorId: _, ...i }) => i),
        serverSeed: plan.server_seed!,
        witness,
        expectedCommitHash: plan.commit_hash!,
      },
      SERVER_DRAW_OPTIONS,
    );
    const drawn = outcome.result.tasks;
    // The first parts are small: the insert statements are still cold (interpreted, not yet
    // optimised), and a full part would take over 100 ms at first.
    for (
      let i = 0, part = STAGE_FIRST_PART;
      i < drawn.length;
      i += part, part = Math.min(part * 2, STAGE_PART)
    ) {
      const tasks: NewTask[] = drawn.slice(i, i + part).map((t, k) => ({
        entity_id: outcome.taskKeys[i + k]!,
        uscc: t.uscc,
        name: outcome.taskNames[i + k]!,
        county: t.county,
        rank: t.rank,
        inspectors: t.inspectors.map((certificate) => ({
          certificate,
          inspectorId: inspectorIds.get(certificate)!,
        })),
      }));
      await db.transaction().execute((tx) => insertTasks(tx, id, tasks, i));
      await breathe();
    }
    let seq = 0;
    for (const content of splitDrawFile(outcome.file, FILE_PART_BYTES)) {
      seq += 1;
      await db.transaction().execute((tx) => insertDrawFilePart(tx, id, seq, content));
      await breathe();
    }
    await db.transaction().execute((tx) => publishDraw(tx, user, plan, stamp, witness, outcome));
  } catch (e) {
    job.cancel();
    await deleteStagedTasks(db, id);
    await releaseDraw(db, id, stamp);
    return drawErrorToApp(e);
  }
}

async function publishDraw(
  tx: Tx,
  user: SessionUser,
  plan: PlanRow,
  stamp: string,
  witness: string,
  { result, fileSha256 }: DrawJobOutcome,
): Promise<void> {
  const current = await loadPlan(tx, plan.id);
  if (current.drawn_at !== stamp) {
    throw planError(409, 'draw_in_progress', '该计划的抽取已由另一次操作接管，本次抽取未生效');
  }
  await transition(tx, plan.id, 'draw');
  const now = nowIso();
  await updatePlan(tx, plan.id, {
    witness,
    draw_seed: result.drawSeed,
    drawn_by: user.id,
    drawn_at: now,
    draw_file_sha256: fileSha256,
    updated_at: now,
  });
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'draw',
    entity: 'inspection_plan',
    entityId: plan.id,
    after: {
      witness,
      drawSeed: result.drawSeed,
      serverSeed: plan.server_seed,
      commitHash: plan.commit_hash,
      tasks: result.tasks.length,
      drawFileSha256: fileSha256,
    },
  });
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
