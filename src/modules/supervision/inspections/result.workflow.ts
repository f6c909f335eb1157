import type { Tx } from '../../../db/database.ts';
import { nowIso } from '../../../db/database.ts';
import { AppError } from '../../../http/errors.ts';
import { codesOf } from '../../../lib/codes.ts';
import type { inspectionAbilities } from './inspection.policy.ts';
import { moveInspectionStatus } from './inspection.repo.ts';

/**
 * The workflow of an inspection and its result as an explicit transition table:
 *
 *   填写中 (draft) ──submit──▶ 待审核 (pending) ──publish──▶ 已公示 (published) ──withdraw──▶ 已撤回
 *                                   │    ▲
 *                            return │    │ submit
 *                                   ▼    │
 *                                退回 (returned)
 *
 * `submit` happens when the last of the assigned inspectors confirms the record with their own
 * account; `return` and `publish` are taken by a manager who was not on the inspection; `withdraw`
 * (with a public reason) likewise. `by` names the ability (inspection.policy.ts) that decides who
 * may take the transition. Every move is a conditional update (`… where status in (from)`), so
 * two reviewers cannot both publish, nor one return what another publishes.
 */

export const INSPECTION_STATUS_NAME = {
  draft: '填写中',
  pending: '待审核',
  returned: '退回',
  published: '已公示',
  withdrawn: '已撤回',
} as const;

export type InspectionStatus = keyof typeof INSPECTION_STATUS_NAME;

export const INSPECTION_STATUSES = codesOf(INSPECTION_STATUS_NAME);

type Ability = keyof typeof inspectionAbilities.rules;

export const RESULT_TRANSITIONS = {
  submit: { from: ['draft', 'returned'], to: 'pending', by: 'confirm', name: '提交审核' },
  return: { from: ['pending'], to: 'returned', by: 'review', name: '退回' },
  publish: { from: ['pending'], to: 'published', by: 'review', name: '公示' },
  withdraw: { from: ['published'], to: 'withdrawn', by: 'withdraw', name: '撤回' },
} as const satisfies Record<
  string,
  { from: readonly InspectionStatus[]; to: InspectionStatus; by: Ability; name: string }
>;

export type ResultTransition = keyof typeof RESULT_TRANSITIONS;

/** The states in which the inspectors may still change the record (and declare a conflict). */
export const EDITABLE: readonly InspectionStatus[] = ['draft', 'returned'];

export const isEditable = (status: string) => (EDITABLE as readonly string[]).includes(status);

export const statusName = (status: string) => INSPECTION_STATUS_NAME[status as InspectionStatus] ?? status;

/** The refusal when an inspection is not in a state the transition starts from. */
export function badTransition(status: string, action: ResultTransition): AppError {
  return new AppError(
    409,
    'bad_transition',
    `抽查结果当前状态为“${statusName(status)}”，不能${RESULT_TRANSITIONS[action].name}`,
  );
}

/** The refusal when the record can no longer be changed. */
export function notEditable(status: string): AppError {
  return new AppError(
    409,
    'not_editable',
    `现场检查笔录当前状态为“${statusName(status)}”，不能再修改（退回后才能修改）`,
  );
}

/** True when the status allows the transition (a first check; the move itself re-checks). */
export const mayMove = (status: string, action: ResultTransition): boolean =>
  (RESULT_TRANSITIONS[action].from as readonly string[]).includes(status);

/**
 * Moves the inspection along the table with a conditional update; `set` are the columns the
 * transition writes (who, when, why). Throws 409 when another request moved it first.
 */
export async function transition(
  tx: Tx,
  inspection: { id: number; status: string },
  action: ResultTransition,
  set: Record<string, string | number | null> = {},
): Promise<void> {
  const t = RESULT_TRANSITIONS[action];
  const moved = await moveInspectionStatus(tx, inspection.id, t.from, t.to, { ...set, updated_at: nowIso() });
  if (!moved) throw badTransition(inspection.status, action);
}
