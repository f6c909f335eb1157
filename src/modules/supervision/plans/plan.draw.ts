import { availableParallelism } from 'node:os';
import type { Db, Tx } from '../../../db/database.ts';
import { nowIso } from '../../../db/database.ts';
import { AppError } from '../../../http/errors.ts';
import { chinaDateTime } from '../../../lib/china-time.ts';
import { appendAudit } from '../../audit/index.ts';
import { actorOf, type SessionUser } from '../../auth/index.ts';
import {
  type AnyDrawParameters,
  DrawError,
  type DrawJobOutcome,
  normaliseWitness,
  parametersFromCommitText,
  type RunDrawOptions,
  splitDrawFile,
  startDrawJob,
} from '../draw/index.ts';
import { drawParameters } from './plan.commit.ts';
import { drawErrorToApp, planError } from './plan.common.ts';
import { planAbilities } from './plan.policy.ts';
import {
  breathe,
  claimDraw,
  deleteStagedTasks,
  frozenInspectors,
  frozenPopulationParts,
  insertDrawFilePart,
  insertTasks,
  listPlanExclusions,
  loadPlan,
  type NewTask,
  type PlanRow,
  releaseDraw,
  updatePlan,
} from './plan.repo.ts';
import { beijingIso } from './plan.schema.ts';
import { badTransition, mayMove, transition } from './plan.workflow.ts';

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

/** The parameters a plan was committed with: read back from its commit text (version 2). */
function committedParameters(plan: PlanRow): AnyDrawParameters {
  if (plan.algorithm_version !== 2) return { ...drawParameters(plan, ''), regimeId: plan.draw_regime_id! };
  return parametersFromCommitText(plan.commit_text!)!;
}

/**
 * Version 2: no draw before the planned draw time, and a witness that does not normalise under the
 * committed format is refused before anything starts (400, to be typed again).
 */
function assertDrawable(plan: PlanRow, parameters: AnyDrawParameters, witness: string): void {
  if (plan.algorithm_version !== 2) return;
  if (Date.now() < Date.parse(plan.planned_draw_at!)) {
    throw planError(
      409,
      'draw_too_early',
      `承诺的计划抽取时间为 ${chinaDateTime(plan.planned_draw_at!)}（北京时间），此前见证值尚未产生，不能抽取`,
    );
  }
  try {
    normaliseWitness(parameters as Parameters<typeof normaliseWitness>[0], witness);
  } catch (e) {
    if (e instanceof DrawError)
      throw new AppError(400, 'draw_invalid_witness', `见证值无法按公布的规则读取：${e.messageZh}`);
    throw e;
  }
}

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
 * The claim's time is the draw time (`drawnAt` of a version-2 file).
 */
export async function drawPlan(db: Db, user: SessionUser, id: number, witnessText: string): Promise<void> {
  planAbilities.assertRole('draw', user);
  const witness = witnessText.trim();
  if (!witness)
    throw new AppError(400, 'witness_required', '请输入见证值（如当晚公布的开奖号码，在见证人面前录入）');
  const plan = await loadPlan(db, id);
  if (!mayMove(plan.status, 'draw')) throw badTransition(plan.status, 'draw');
  const parameters = committedParameters(plan);
  assertDrawable(plan, parameters, witness);
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
        part.map(({ entityId: _, ...entity }) => entity),
        part.map((e) => e.entityId),
      );
    }
    const inspectors = await frozenInspectors(db, id);
    const inspectorIds = new Map(inspectors.map((r) => [r.certificate, r.inspectorId]));
    const v2 = plan.algorithm_version === 2;
    const exclusions = v2 ? (await listPlanExclusions(db, id)).map(({ entityId: _, ...e }) => e) : [];
    const outcome = await job.run(
      {
        parameters,
        inspectors: inspectors.map(({ inspectorId: _, ...i }) => i),
        exclusions,
        serverSeed: plan.server_seed!,
        witness,
        ...(v2 ? { drawnAt: beijingIso(stamp) } : {}),
        expectedCommitHash: plan.commit_hash!,
      },
      SERVER_DRAW_OPTIONS,
    );
    await stageTasks(db, id, outcome, inspectorIds);
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

/** Stages the drawn tasks in short transactions (the first parts small: the statements are still cold). */
async function stageTasks(
  db: Db,
  id: number,
  outcome: DrawJobOutcome,
  inspectorIds: ReadonlyMap<string, number>,
): Promise<void> {
  const drawn = outcome.result.tasks;
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
  await updatePlan(tx, plan.id, {
    witness,
    witness_canonical: result.witnessCanonical,
    draw_seed: result.drawSeed,
    drawn_by: user.id,
    drawn_at: stamp,
    draw_file_sha256: fileSha256,
    updated_at: nowIso(),
  });
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'draw',
    entity: 'inspection_plan',
    entityId: plan.id,
    after: {
      witness,
      witnessCanonical: result.witnessCanonical,
      drawSeed: result.drawSeed,
      serverSeed: plan.server_seed,
      commitHash: plan.commit_hash,
      tasks: result.tasks.length,
      drawFileSha256: fileSha256,
    },
  });
}
