import type { DbOrTx } from '../../db/database.ts';
import { AppError } from '../../http/errors.ts';

/**
 * The ticket workflow as one transition table (like changes/changeset.workflow.ts): each action's
 * states (from → to). Every move is a conditional update (`… where status in (from)`), so two
 * people acting on one ticket at once cannot both succeed. Who may take each action is the ability
 * table's (complaint.policy.ts).
 *
 *   received ─assign→ assigned ─close→ resolved / unresolved ─reopen (不满意)→ assigned
 *      │                 │ return (≤ 2 working days)
 *      │                 ↓
 *      │              returned ─settle→ assigned        (the coordinator decides)
 *      ├─transfer→ transferred (转办)  ← returned
 *      └─reject→ rejected (不予受理)
 */

export const STATUSES = [
  'received',
  'assigned',
  'returned',
  'transferred',
  'rejected',
  'resolved',
  'unresolved',
] as const;
export type Status = (typeof STATUSES)[number];

export const STATUS_NAME: Record<Status, string> = {
  received: '已接收，待受理',
  assigned: '已受理，办理中',
  returned: '承办科室退回，待协调',
  transferred: '已转办',
  rejected: '不予受理',
  resolved: '已办结-已解决',
  unresolved: '已办结-未解决',
};

/** States in which the ticket is finished (the retention clock runs from its close). */
export const ENDED: readonly Status[] = ['transferred', 'rejected', 'resolved', 'unresolved'];
/** States in which a reply clock runs. */
export const OPEN: readonly Status[] = ['received', 'assigned', 'returned'];

export const TRANSITIONS = {
  assign: { from: ['received'], to: 'assigned', name: '受理并分派' },
  transfer: { from: ['received', 'returned'], to: 'transferred', name: '转办' },
  reject: { from: ['received'], to: 'rejected', name: '不予受理' },
  return: { from: ['assigned'], to: 'returned', name: '退回' },
  settle: { from: ['returned'], to: 'assigned', name: '协调决定' },
  resolve: { from: ['assigned'], to: 'resolved', name: '办结（已解决）' },
  leaveUnresolved: { from: ['assigned'], to: 'unresolved', name: '办结（未解决）' },
  reopen: { from: ['resolved', 'unresolved'], to: 'assigned', name: '重新办理' },
} as const satisfies Record<string, { from: readonly Status[]; to: Status; name: string }>;
export type Transition = keyof typeof TRANSITIONS;

export const mayMove = (status: string, action: Transition): boolean =>
  (TRANSITIONS[action].from as readonly string[]).includes(status);

export function badTransition(status: string, action: Transition): AppError {
  return new AppError(
    409,
    'bad_transition',
    `工单当前状态为“${STATUS_NAME[status as Status] ?? status}”，不能${TRANSITIONS[action].name}`,
  );
}

/**
 * Moves the ticket along the table with a conditional update setting `fields` too; refused (409)
 * when another request moved it first.
 */
export async function moveTicket(
  tx: DbOrTx,
  id: number,
  status: string,
  action: Transition,
  fields: Record<string, string | number | null>,
  at: string,
): Promise<void> {
  if (!mayMove(status, action)) throw badTransition(status, action);
  const t = TRANSITIONS[action];
  const moved = await tx
    .updateTable('complaints')
    .set({ ...fields, status: t.to, updated_at: at })
    .where('id', '=', id)
    .where('status', 'in', t.from as readonly string[] as string[])
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) === 0) throw badTransition(status, action);
}
