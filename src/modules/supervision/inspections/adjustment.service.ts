import type { DbOrTx, Tx } from '../../../db/database.ts';
import { nowIso } from '../../../db/database.ts';
import { AppError } from '../../../http/errors.ts';
import { appendAudit } from '../../audit/index.ts';
import { actorOf, type SessionUser } from '../../auth/index.ts';
import type { PlanRow } from '../plans/plan.repo.ts';
import { inspectionAbilities } from './inspection.policy.ts';
import {
  clearConfirmations,
  findInspection,
  insertAdjustment,
  listAdjustments,
  loadTaskContext,
  publishedInspectors,
  registerConflict,
  swapTaskInspector,
} from './inspection.repo.ts';
import { targetOf } from './inspection.service.ts';
import { chooseReplacement, REPLACEMENT_RULE, rankCandidates } from './replacement.ts';
import { isEditable, notEditable } from './result.workflow.ts';

/**
 * A conflict of interest an inspector discovers after the draw (e.g. a relative turns out to work
 * for the entity): the inspector declares it on the task with a reason, and the replacement follows
 * from the published draw by the rule of docs/draws.md (replacement.ts) — the bureau chooses no one.
 * The adjustment is audited, published on the plan's notice page with its reason, and the conflict
 * enters the inspector register so later draws exclude it. Never a silent reassignment.
 */

export interface PublicAdjustment {
  seq: number;
  taskPosition: number;
  uscc: string;
  name: string;
  withdrawnCertificate: string;
  replacementCertificate: string;
  reason: string;
  rule: string;
  declaredAt: string;
}

/** The adjustments of a plan as the public sees them: certificates only, no names. */
export async function publicAdjustments(db: DbOrTx, planId: number): Promise<PublicAdjustment[]> {
  const rows = await listAdjustments(db, planId);
  if (rows.length === 0) return [];
  const tasks = await db
    .selectFrom('plan_tasks')
    .select(['id', 'position', 'name'])
    .where('id', 'in', [...new Set(rows.map((r) => r.task_id))])
    .execute();
  const byId = new Map(tasks.map((t) => [t.id, t]));
  return rows.map((r) => ({
    seq: r.seq,
    taskPosition: byId.get(r.task_id)?.position ?? 0,
    uscc: r.uscc,
    name: byId.get(r.task_id)?.name ?? '',
    withdrawnCertificate: r.withdrawn_certificate,
    replacementCertificate: r.replacement_certificate,
    reason: r.reason,
    rule: r.rule,
    declaredAt: r.declared_at,
  }));
}

/**
 * Does the plan keep inspectors to the entity's county (属地, the draw's inspectorScope own-county)?
 * Only a version-2 plan says so (`inspector_scope`, migration 009_draw_v2, fixed in its commitment);
 * a version-1 draw had no scope, so its replacement may come from any county.
 */
export function keepsToOwnCounty(plan: Pick<PlanRow, 'algorithm_version' | 'inspector_scope'>): boolean {
  return plan.algorithm_version === 2 && plan.inspector_scope === 'own-county';
}

/**
 * The declaring inspector leaves the task and the replacement chosen by the published rule takes
 * their place, in one transaction with the audit entry. Refuses (409) when no published inspector
 * is eligible: then the bureau must decide openly (a new draw), not pick someone.
 */
export async function declareConflict(
  tx: Tx,
  user: SessionUser,
  taskId: number,
  reasonText: string,
): Promise<{ replacement: string; seq: number }> {
  inspectionAbilities.assertRole('declareConflict', user);
  const ctx = await loadTaskContext(tx, taskId);
  inspectionAbilities.assert('declareConflict', user, targetOf(ctx.inspectors, null, []));
  if (ctx.plan.status === 'targeted') {
    throw new AppError(
      409,
      'not_drawn',
      '这项检查是依举报安排的，不经抽取，没有公布的替换规则：请申报回避后由派单人员另行指派',
    );
  }
  const reason = reasonText.trim();
  if (reason.length < 4 || reason.length > 300) {
    throw new AppError(
      400,
      'reason_required',
      '请写明回避理由（4–300字；理由将在门户公示，请勿写入他人隐私）',
    );
  }
  const inspection = await findInspection(tx, taskId);
  if (inspection && !isEditable(inspection.status)) throw notEditable(inspection.status);
  const me = ctx.inspectors.find((i) => i.userId === user.id)!;
  const published = await publishedInspectors(tx, ctx.plan.id);
  const declared = (await listAdjustments(tx, ctx.plan.id)).map((a) => ({
    certificate: a.withdrawn_certificate,
    uscc: a.uscc,
  }));
  const input = {
    drawSeed: ctx.plan.draw_seed!,
    uscc: ctx.task.uscc,
    ownCounty: keepsToOwnCounty(ctx.plan) ? ctx.task.county : undefined,
    inspectors: published,
    assigned: ctx.inspectors.map((i) => i.certificate),
    declared: [...declared, { certificate: me.certificate, uscc: ctx.task.uscc }],
  };
  const chosen = chooseReplacement(input);
  if (chosen === null) {
    throw new AppError(
      409,
      'no_replacement',
      '已公布的执法人员名录中没有可替换的人员（均已在任务中、与该检查对象有利害关系或不在本县范围）：请联系计划负责人，按规定另行公开处理',
    );
  }
  const replacement = published.find((p) => p.certificate === chosen)!;
  const now = nowIso();
  if (!(await swapTaskInspector(tx, taskId, me, replacement))) {
    throw new AppError(409, 'not_assigned', '您已不在这项任务中（可能已申报过回避）');
  }
  const { id, seq } = await insertAdjustment(tx, {
    plan_id: ctx.plan.id,
    task_id: taskId,
    uscc: ctx.task.uscc,
    withdrawn_inspector_id: me.inspectorId,
    withdrawn_certificate: me.certificate,
    replacement_inspector_id: replacement.inspectorId,
    replacement_certificate: replacement.certificate,
    reason,
    rule: REPLACEMENT_RULE,
    declared_by: user.id,
    declared_at: now,
  });
  await registerConflict(tx, me.inspectorId, ctx.task.entityId, reason, now);
  const cleared = inspection ? await clearConfirmations(tx, inspection.id) : 0;
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'declare-conflict-after-draw',
    entity: 'plan_task',
    entityId: taskId,
    before: { inspectors: input.assigned },
    after: {
      adjustmentId: id,
      seq,
      planId: ctx.plan.id,
      uscc: ctx.task.uscc,
      withdrawn: me.certificate,
      replacement: replacement.certificate,
      reason,
      rule: REPLACEMENT_RULE,
      ranking: rankCandidates(input).map((c) => `${c.certificate}:${c.excluded ?? 'eligible'}`),
      clearedConfirmations: cleared,
    },
  });
  return { replacement: replacement.certificate, seq };
}
