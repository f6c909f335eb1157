import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { DbOrTx, Tx } from '../../../db/database.ts';
import { nowIso } from '../../../db/database.ts';
import type { InspectionPlanTable } from '../../../db/types.ts';
import { AppError, forbidden, notFound } from '../../../http/errors.ts';
import { appendAudit } from '../../audit/index.ts';
import { actorOf, type SessionUser } from '../../auth/index.ts';
import {
  buildDrawFile,
  commitPlan,
  DrawError,
  type DrawInspector,
  type DrawParameters,
  generateServerSeed,
  type PopulationEntity,
  type RunDrawInput,
  runDraw,
  type StratumAllocation,
  sampleSize,
  serializeDrawFile,
} from '../draw/index.ts';
import {
  CITY_LEVEL,
  DEFAULT_MIN_INSPECTORS,
  RISK_CLASS_NAME,
  RISK_CLASSES,
  type RiskClass,
  WITHHELD_NAME,
} from '../reference/index.ts';
import { minRatioBasisPoints, type RegimeRule, ruleOf } from '../rules/rules.ts';
import { canApproveBelowMinimum, canManagePlans } from '../shared/supervision.policy.ts';

/**
 * Inspection plans (抽查计划) and their verifiable draws:
 *   create (draft) → [approve a below-minimum ratio] → commit → draw.
 * Commit freezes the population and the inspectors, generates the secret server seed and publishes
 * the hashes; draw takes the witness value, runs the draw (draw.ts) and stores the tasks and the
 * publishable draw file. Every step writes its audit entry in the same transaction.
 */

export const PLAN_STATUSES = ['draft', 'committed', 'drawn', 'cancelled'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export const PLAN_STATUS_NAME: Record<PlanStatus, string> = {
  draft: '草稿',
  committed: '已公布承诺（待抽取）',
  drawn: '已抽取',
  cancelled: '已取消',
};

/** The workflow as an explicit transition table. */
export const PLAN_TRANSITIONS = {
  commit: { from: ['draft'], to: 'committed' },
  draw: { from: ['committed'], to: 'drawn' },
  cancel: { from: ['draft'], to: 'cancelled' },
} as const satisfies Record<string, { from: readonly PlanStatus[]; to: PlanStatus }>;
export type PlanTransition = keyof typeof PLAN_TRANSITIONS;

const TRANSITION_NAME: Record<PlanTransition, string> = { commit: '公布承诺', draw: '抽取', cancel: '取消' };

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

type PlanRow = Selectable<InspectionPlanTable>;

const planError = (status: number, code: string, message: string) => new AppError(status, code, message);

/** "10" → 1000, "7.5" → 750; null when not a percentage with at most two decimals in (0, 100]. */
export function percentToBasisPoints(text: string): number | null {
  const m = /^\s*(\d{1,3})(?:\.(\d{1,2}))?\s*%?\s*$/.exec(text);
  if (!m) return null;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bp >= 1 && bp <= 10_000 ? bp : null;
}

export const basisPointsText = (bp: number) => `${Number((bp / 100).toFixed(2))}%`;

/** The regime's title as imported, falling back to the rule's copy when the registry is empty. */
async function regimeTitle(db: DbOrTx, rule: RegimeRule): Promise<string> {
  const r = await db
    .selectFrom('regimes')
    .select('title')
    .where('seq', '=', rule.seq)
    .orderBy('department_id')
    .executeTakeFirst();
  return r?.title ?? rule.title;
}

const ruleOr404 = (seq: number): RegimeRule => {
  const rule = ruleOf(seq);
  if (!rule) throw notFound(`第 ${seq} 项监管制度`);
  return rule;
};

/** Minimum inspectors per task: the regime's figure, or the default 2 where it states none. */
export const minInspectorsOf = (rule: RegimeRule) => rule.minInspectors.value ?? DEFAULT_MIN_INSPECTORS;

export async function createPlan(tx: Tx, user: SessionUser, input: PlanInput): Promise<number> {
  if (!canManagePlans(user)) throw forbidden('只有系统管理员和审核人可以制定抽查计划');
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
  const counties = await tx.selectFrom('counties').select('id').execute();
  const countyIds = [...new Set(input.countyIds)].sort((a, b) => a - b);
  if (countyIds.some((id) => !counties.some((c) => c.id === id))) problems.push('所选县（市、区）不存在');
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
  const live = await tx
    .selectFrom('inspection_plans')
    .select('id')
    .where('regime_seq', '=', rule.seq)
    .where('year', '=', input.year)
    .where('round', '=', input.round)
    .where('status', '!=', 'cancelled')
    .executeTakeFirst();
  if (live) {
    throw planError(
      409,
      'plan_exists',
      `${input.year}年第${input.round}轮的该项抽查计划已存在（计划编号 ${live.id}）`,
    );
  }
  const now = nowIso();
  const title = `${input.year}年第${input.round}轮 ${await regimeTitle(tx, rule)}`;
  const row = await tx
    .insertInto('inspection_plans')
    .values({
      regime_seq: rule.seq,
      year: input.year,
      round: input.round,
      title,
      ratio_bp: bp!,
      min_inspectors: input.minInspectors,
      county_filter: countyIds.length ? JSON.stringify(countyIds) : null,
      risk_filter: risks.length ? JSON.stringify(risks) : null,
      status: 'draft',
      below_min_reason: below ? reason : null,
      approved_by: null,
      approved_at: null,
      created_by: user.id,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'create',
    entity: 'inspection_plan',
    entityId: row.id,
    after: { ...input, ratioBasisPoints: bp, title, belowMinimum: below },
  });
  return row.id;
}

async function loadPlan(db: DbOrTx, id: number): Promise<PlanRow> {
  const p = await db.selectFrom('inspection_plans').selectAll().where('id', '=', id).executeTakeFirst();
  if (!p) throw notFound(`抽查计划 ${id}`);
  return p;
}

/** True when the plan's ratio is below its regime's minimum. */
export function isBelowMinimum(plan: { regime_seq: number; ratio_bp: number }): boolean {
  const rule = ruleOf(plan.regime_seq);
  const minBp = rule ? minRatioBasisPoints(rule) : null;
  return minBp !== null && plan.ratio_bp < minBp;
}

/**
 * Moves the plan along the transition table with a conditional update, so two concurrent requests
 * cannot both commit (or draw) it. Returns the row as it was before.
 */
async function transition(tx: Tx, id: number, action: PlanTransition): Promise<PlanRow> {
  const before = await loadPlan(tx, id);
  const t = PLAN_TRANSITIONS[action];
  const now = nowIso();
  const moved = await tx
    .updateTable('inspection_plans')
    .set({ status: t.to, updated_at: now })
    .where('id', '=', id)
    .where('status', 'in', [...t.from])
    .returning('id')
    .executeTakeFirst();
  if (!moved) {
    throw planError(
      409,
      'bad_transition',
      `计划当前状态为“${PLAN_STATUS_NAME[before.status as PlanStatus] ?? before.status}”，不能${TRANSITION_NAME[action]}`,
    );
  }
  return before;
}

export async function approveBelowMinimum(
  tx: Tx,
  user: SessionUser,
  id: number,
  comment: string,
): Promise<void> {
  const plan = await loadPlan(tx, id);
  if (!canApproveBelowMinimum(user, plan.created_by)) {
    throw forbidden('低于规定比例的计划须由制定人以外的审核人或系统管理员批准');
  }
  if (plan.status !== 'draft') throw planError(409, 'not_draft', '只有草稿状态的计划需要批准');
  if (!isBelowMinimum(plan))
    throw planError(409, 'not_below_minimum', '该计划的抽查比例不低于规定比例，无需批准');
  if (plan.approved_by !== null) throw planError(409, 'already_approved', '该计划已经批准');
  const now = nowIso();
  await tx
    .updateTable('inspection_plans')
    .set({ approved_by: user.id, approved_at: now, updated_at: now })
    .where('id', '=', id)
    .execute();
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

export async function cancelPlan(tx: Tx, user: SessionUser, id: number): Promise<void> {
  if (!canManagePlans(user)) throw forbidden('只有系统管理员和审核人可以取消抽查计划');
  await transition(tx, id, 'cancel');
  await appendAudit(tx, { actor: actorOf(user), action: 'cancel', entity: 'inspection_plan', entityId: id });
}

// ───────────────────────────── population ─────────────────────────────

export interface PopulationFilter {
  regimeSeq: number;
  countyIds: number[];
  riskClasses: string[];
}

export interface PopulationMember extends PopulationEntity {
  entityId: number;
}

const parseIds = (json: string | null): number[] => (json ? (JSON.parse(json) as number[]) : []);
const parseRisks = (json: string | null): string[] => (json ? (JSON.parse(json) as string[]) : []);

export const planFilter = (p: {
  regime_seq: number;
  county_filter: string | null;
  risk_filter: string | null;
}) => ({
  regimeSeq: p.regime_seq,
  countyIds: parseIds(p.county_filter),
  riskClasses: parseRisks(p.risk_filter),
});

/** Active entities of the regime's categories, narrowed by county and risk class, in uscc order. */
export async function loadPopulation(db: DbOrTx, filter: PopulationFilter): Promise<PopulationMember[]> {
  const rule = ruleOr404(filter.regimeSeq);
  let q = db
    .selectFrom('regulated_entities as e')
    .innerJoin('counties as c', 'c.id', 'e.county_id')
    .select(['e.id', 'e.uscc', 'e.name', 'c.name as county'])
    .where('e.status', '=', 'active')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('regulated_entity_categories as rc')
          .select('rc.entity_id')
          .whereRef('rc.entity_id', '=', 'e.id')
          .where('rc.category_code', 'in', rule.subjects.categories),
      ),
    );
  if (filter.countyIds.length) q = q.where('e.county_id', 'in', filter.countyIds);
  if (filter.riskClasses.length) q = q.where('e.risk_class', 'in', filter.riskClasses);
  const rows = await q.orderBy('e.uscc').execute();
  return rows.map((r) => ({ entityId: r.id, uscc: r.uscc, name: r.name, county: r.county }));
}

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
  const pop = await loadPopulation(db, filter);
  const counts = new Map<string, number>();
  for (const e of pop) counts.set(e.county, (counts.get(e.county) ?? 0) + 1);
  return {
    size: pop.length,
    sampleSize: pop.length ? sampleSize(pop.length, ratioBp) : 0,
    byCounty: [...counts].map(([county, population]) => ({ county, population })),
  };
}

/** Active inspectors for a draw: public label instead of the name; conflicts within the population. */
async function loadDrawInspectors(
  db: DbOrTx,
  population: readonly PopulationMember[],
): Promise<Array<DrawInspector & { inspectorId: number }>> {
  const inspectors = await db
    .selectFrom('inspectors as i')
    .leftJoin('counties as c', 'c.id', 'i.county_id')
    .select(['i.id', 'i.certificate_no', 'c.name as county'])
    .where('i.active', '=', 1)
    .orderBy('i.certificate_no')
    .execute();
  const inPopulation = new Map(population.map((e) => [e.entityId, e.uscc]));
  const conflicts = await db
    .selectFrom('inspector_conflicts')
    .select(['inspector_id', 'entity_id'])
    .execute();
  return inspectors.map((i) => ({
    inspectorId: i.id,
    certificate: i.certificate_no,
    name: WITHHELD_NAME,
    county: i.county ?? CITY_LEVEL,
    conflicts: conflicts
      .filter((k) => k.inspector_id === i.id && inPopulation.has(k.entity_id))
      .map((k) => inPopulation.get(k.entity_id)!),
  }));
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

const CHUNK = 400;

/**
 * Commit: freezes the population and the inspectors, generates the server seed (kept secret) and
 * publishes the parameters and hashes. A below-minimum ratio must have been approved.
 */
export async function commitPlanAction(tx: Tx, user: SessionUser, id: number): Promise<void> {
  if (!canManagePlans(user)) throw forbidden('只有系统管理员和审核人可以公布抽查计划');
  const plan = await transition(tx, id, 'commit');
  if (isBelowMinimum(plan) && plan.approved_by === null) {
    throw planError(
      409,
      'approval_required',
      `抽查比例 ${basisPointsText(plan.ratio_bp)} 低于本制度规定的比例：须经制定人以外的审核人批准后才能公布`,
    );
  }
  const rule = ruleOr404(plan.regime_seq);
  const population = await loadPopulation(tx, planFilter(plan));
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
  for (let i = 0; i < population.length; i += CHUNK) {
    await tx
      .insertInto('plan_population')
      .values(
        population.slice(i, i + CHUNK).map((e) => ({
          plan_id: id,
          uscc: e.uscc,
          entity_id: e.entityId,
          name: e.name,
          county: e.county,
        })),
      )
      .execute();
  }
  for (let i = 0; i < inspectors.length; i += CHUNK) {
    await tx
      .insertInto('plan_inspectors')
      .values(
        inspectors.slice(i, i + CHUNK).map((x) => ({
          plan_id: id,
          certificate_no: x.certificate,
          inspector_id: x.inspectorId,
          county: x.county,
          conflicts: [...x.conflicts].sort().join(','),
        })),
      )
      .execute();
  }
  const now = nowIso();
  await tx
    .updateTable('inspection_plans')
    .set({
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
    })
    .where('id', '=', id)
    .execute();
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

/** The frozen draw input of a committed plan (server seed included: for the draw only). */
async function frozenInput(
  db: DbOrTx,
  plan: PlanRow,
): Promise<RunDrawInput & { inspectorIds: Map<string, number> }> {
  const population = await db
    .selectFrom('plan_population')
    .select(['uscc', 'name', 'county'])
    .where('plan_id', '=', plan.id)
    .orderBy('uscc')
    .execute();
  const inspectorRows = await db
    .selectFrom('plan_inspectors')
    .selectAll()
    .where('plan_id', '=', plan.id)
    .orderBy('certificate_no')
    .execute();
  return {
    parameters: { ...drawParameters(plan, ''), regimeId: plan.draw_regime_id! },
    population,
    inspectors: inspectorRows.map((r) => ({
      certificate: r.certificate_no,
      name: WITHHELD_NAME,
      county: r.county,
      conflicts: r.conflicts ? r.conflicts.split(',') : [],
    })),
    serverSeed: plan.server_seed!,
    witness: '',
    expectedCommitHash: plan.commit_hash!,
    inspectorIds: new Map(inspectorRows.map((r) => [r.certificate_no, r.inspector_id])),
  };
}

/** Draw: the witness value is entered, the draw runs, tasks and the publishable file are stored. */
export async function drawPlanAction(
  tx: Tx,
  user: SessionUser,
  id: number,
  witnessText: string,
): Promise<void> {
  if (!canManagePlans(user)) throw forbidden('只有系统管理员和审核人可以进行抽取');
  const witness = witnessText.trim();
  if (!witness)
    throw new AppError(400, 'witness_required', '请输入见证值（如当晚公布的开奖号码，在见证人面前录入）');
  const plan = await transition(tx, id, 'draw');
  const input = await frozenInput(tx, plan);
  input.witness = witness;
  let result: ReturnType<typeof runDraw>;
  try {
    result = runDraw(input);
  } catch (e) {
    return drawErrorToApp(e);
  }
  const { inspectorIds, expectedCommitHash: _, ...fileInput } = input;
  const text = serializeDrawFile(buildDrawFile(fileInput, result));
  const entityIds = new Map(
    (
      await tx.selectFrom('plan_population').select(['uscc', 'entity_id']).where('plan_id', '=', id).execute()
    ).map((r) => [r.uscc, r.entity_id]),
  );
  const names = new Map(input.population.map((e) => [e.uscc, e.name]));
  for (let i = 0; i < result.tasks.length; i += CHUNK) {
    const chunk = result.tasks.slice(i, i + CHUNK);
    const rows = await tx
      .insertInto('plan_tasks')
      .values(
        chunk.map((t, k) => ({
          plan_id: id,
          position: i + k + 1,
          entity_id: entityIds.get(t.uscc)!,
          uscc: t.uscc,
          name: names.get(t.uscc)!,
          county: t.county,
          rank: t.rank,
        })),
      )
      .returning(['id', 'uscc'])
      .execute();
    const taskId = new Map(rows.map((r) => [r.uscc, r.id]));
    const links = chunk.flatMap((t) =>
      t.inspectors.map((certificate, position) => ({
        task_id: taskId.get(t.uscc)!,
        inspector_id: inspectorIds.get(certificate)!,
        certificate_no: certificate,
        position: position + 1,
      })),
    );
    for (let j = 0; j < links.length; j += CHUNK) {
      await tx
        .insertInto('plan_task_inspectors')
        .values(links.slice(j, j + CHUNK))
        .execute();
    }
  }
  const now = nowIso();
  const sha256 = createHash('sha256').update(text, 'utf8').digest('hex');
  await tx
    .updateTable('inspection_plans')
    .set({
      witness,
      draw_seed: result.drawSeed,
      drawn_by: user.id,
      drawn_at: now,
      draw_file: text,
      draw_file_sha256: sha256,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'draw',
    entity: 'inspection_plan',
    entityId: id,
    after: {
      witness,
      drawSeed: result.drawSeed,
      serverSeed: plan.server_seed,
      commitHash: plan.commit_hash,
      tasks: result.tasks.length,
      drawFileSha256: sha256,
    },
  });
}

// ───────────────────────────── presenting ─────────────────────────────

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

async function usernames(db: DbOrTx, ids: Array<number | null>): Promise<Map<number, string>> {
  const want = [...new Set(ids.filter((i): i is number => i !== null))];
  if (want.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', want).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/** Never includes the server seed unless the plan has been drawn. */
async function present(db: DbOrTx, rows: PlanRow[]): Promise<PlanOut[]> {
  const counties = await db.selectFrom('counties').select(['id', 'name']).orderBy('position').execute();
  const users = await usernames(
    db,
    rows.flatMap((r) => [r.created_by, r.approved_by]),
  );
  const taskCounts = new Map<number, number>();
  const drawnIds = rows.filter((r) => r.status === 'drawn').map((r) => r.id);
  if (drawnIds.length) {
    const counts = await db
      .selectFrom('plan_tasks')
      .select(['plan_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('plan_id', 'in', drawnIds)
      .groupBy('plan_id')
      .execute();
    for (const c of counts) taskCounts.set(c.plan_id, Number(c.n));
  }
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
              tasks: taskCounts.get(p.id) ?? 0,
              drawFileSha256: p.draw_file_sha256!,
            }
          : null,
    };
  });
}

export interface PlanListFilter {
  /** Public lists show only committed and drawn plans. */
  publicOnly?: boolean;
  regimeSeq?: number;
  year?: number;
  status?: string;
}

export async function listPlans(db: DbOrTx, filter: PlanListFilter = {}): Promise<PlanOut[]> {
  let q = db.selectFrom('inspection_plans').selectAll();
  if (filter.publicOnly) q = q.where('status', 'in', ['committed', 'drawn']);
  if (filter.regimeSeq) q = q.where('regime_seq', '=', filter.regimeSeq);
  if (filter.year) q = q.where('year', '=', filter.year);
  if (filter.status) q = q.where('status', '=', filter.status);
  const rows = await q.orderBy('year', 'desc').orderBy('regime_seq').orderBy('round').orderBy('id').execute();
  return present(db, rows);
}

export async function getPlan(db: DbOrTx, id: number, opts: { publicOnly?: boolean } = {}): Promise<PlanOut> {
  const row = await loadPlan(db, id);
  if (opts.publicOnly && row.status !== 'committed' && row.status !== 'drawn')
    throw notFound(`抽查计划 ${id}`);
  return (await present(db, [row]))[0]!;
}

export interface TaskOut {
  id: number;
  planId: number;
  position: number;
  entityId: number;
  uscc: string;
  name: string;
  county: string;
  rank: string;
  /** Certificate numbers only: inspectors' names are not public. */
  inspectors: string[];
}

export async function listTasks(
  db: DbOrTx,
  filter: { planId?: number; inspectorId?: number; publicOnly?: boolean },
): Promise<TaskOut[]> {
  let q = db
    .selectFrom('plan_tasks as t')
    .innerJoin('inspection_plans as p', 'p.id', 't.plan_id')
    .selectAll('t')
    .where('p.status', '=', 'drawn');
  if (filter.planId) q = q.where('t.plan_id', '=', filter.planId);
  if (filter.inspectorId) {
    const inspectorId = filter.inspectorId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('plan_task_inspectors as ti')
          .select('ti.task_id')
          .whereRef('ti.task_id', '=', 't.id')
          .where('ti.inspector_id', '=', inspectorId),
      ),
    );
  }
  const rows = await q.orderBy('t.plan_id', 'desc').orderBy('t.position').execute();
  const links = new Map<number, string[]>();
  const ids = rows.map((r) => r.id);
  for (let i = 0; i < ids.length; i += 500) {
    const part = await db
      .selectFrom('plan_task_inspectors')
      .select(['task_id', 'certificate_no'])
      .where('task_id', 'in', ids.slice(i, i + 500))
      .orderBy('task_id')
      .orderBy('position')
      .execute();
    for (const l of part) links.set(l.task_id, [...(links.get(l.task_id) ?? []), l.certificate_no]);
  }
  return rows.map((r) => ({
    id: r.id,
    planId: r.plan_id,
    position: r.position,
    entityId: r.entity_id,
    uscc: r.uscc,
    name: r.name,
    county: r.county,
    rank: r.rank,
    inspectors: links.get(r.id) ?? [],
  }));
}

/** The frozen population of a committed or drawn plan (public from the commit on). */
export async function listPlanPopulation(db: DbOrTx, planId: number) {
  return db
    .selectFrom('plan_population')
    .select(['uscc', 'name', 'county'])
    .where('plan_id', '=', planId)
    .orderBy('uscc')
    .execute();
}

/** The published draw file of a drawn plan, byte for byte; null before the draw. */
export async function drawFileText(db: DbOrTx, planId: number): Promise<string | null> {
  const row = await db
    .selectFrom('inspection_plans')
    .select(['status', 'draw_file'])
    .where('id', '=', planId)
    .executeTakeFirst();
  if (!row) throw notFound(`抽查计划 ${planId}`);
  return row.status === 'drawn' ? row.draw_file : null;
}
