import type { Tx } from '../../../db/database.ts';
import { nowIso } from '../../../db/database.ts';
import { AppError } from '../../../http/errors.ts';
import { codesOf } from '../../../lib/codes.ts';
import { loadPlan, movePlanStatus, type PlanRow } from './plan.repo.ts';

/**
 * The plan workflow as an explicit transition table:
 *   create (draft) → [approve a below-minimum ratio] → commit → draw; a draft may be cancelled.
 * Every move is a conditional update (`… where status in (from)`), so two concurrent requests
 * cannot both commit, draw or cancel the same plan.
 */

export const PLAN_STATUS_NAME = {
  draft: '草稿',
  committed: '已公布承诺（待抽取）',
  drawn: '已抽取',
  cancelled: '已取消',
  /** A one-task plan of a check opened outside the draw (on a 举报): never drawn, never listed as a plan. */
  targeted: '依举报检查（不经抽取）',
} as const;

export type PlanStatus = keyof typeof PLAN_STATUS_NAME;

export const PLAN_STATUSES = codesOf(PLAN_STATUS_NAME);

/** The workflow as an explicit transition table. */
export const PLAN_TRANSITIONS = {
  commit: { from: ['draft'], to: 'committed' },
  draw: { from: ['committed'], to: 'drawn' },
  cancel: { from: ['draft'], to: 'cancelled' },
} as const satisfies Record<string, { from: readonly PlanStatus[]; to: PlanStatus }>;

export type PlanTransition = keyof typeof PLAN_TRANSITIONS;

const TRANSITION_NAME: Record<PlanTransition, string> = { commit: '公布承诺', draw: '抽取', cancel: '取消' };

/** The refusal when a plan is not in a state the action starts from. */
export function badTransition(status: string, action: PlanTransition): AppError {
  return new AppError(
    409,
    'bad_transition',
    `计划当前状态为“${PLAN_STATUS_NAME[status as PlanStatus] ?? status}”，不能${TRANSITION_NAME[action]}`,
  );
}

/** True when the plan's status allows the action (a first check; the move itself re-checks). */
export const mayMove = (status: string, action: PlanTransition): boolean =>
  (PLAN_TRANSITIONS[action].from as readonly string[]).includes(status);

/**
 * Moves the plan along the transition table with a conditional update, so two concurrent requests
 * cannot both commit (or draw) it. Returns the row as it was before.
 */
export async function transition(tx: Tx, id: number, action: PlanTransition): Promise<PlanRow> {
  const before = await loadPlan(tx, id);
  const t = PLAN_TRANSITIONS[action];
  const moved = await movePlanStatus(tx, id, t.from, t.to, nowIso());
  if (!moved) throw badTransition(before.status, action);
  return before;
}
