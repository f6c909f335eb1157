import { AppError } from '../../../http/errors.ts';
import { codesOf } from '../../../lib/codes.ts';

/**
 * The workflow of a rectification order (责令限期整改) as a transition table:
 *
 *   已开具 (issued) ──deliver──▶ 整改中 (delivered) ──rectified──▶ 已整改 (rectified)
 *                                        │
 *                                        └──overdue──▶ 逾期未整改 (overdue) ──▶ next steps (enforcement_steps)
 *
 * `rectified` and `overdue` are the outcome of the re-inspection at the deadline; `overdue` is
 * refused before the deadline. Each move is a conditional update (… where status in (from)).
 */

export const ORDER_STATUS_NAME = {
  issued: '已开具待送达',
  delivered: '整改中',
  rectified: '已整改',
  overdue: '逾期未整改',
} as const;

export type OrderStatus = keyof typeof ORDER_STATUS_NAME;
export const ORDER_STATUSES = codesOf(ORDER_STATUS_NAME);

export const ORDER_TRANSITIONS = {
  deliver: { from: ['issued'], to: 'delivered', name: '登记送达' },
  rectified: { from: ['delivered'], to: 'rectified', name: '登记已整改' },
  overdue: { from: ['delivered'], to: 'overdue', name: '登记逾期未整改' },
} as const satisfies Record<string, { from: readonly OrderStatus[]; to: OrderStatus; name: string }>;

export type OrderTransition = keyof typeof ORDER_TRANSITIONS;

/** Open orders: their deadline still runs or has run out without an outcome. */
export const OPEN_ORDER_STATUSES: readonly OrderStatus[] = ['issued', 'delivered'];

export const orderStatusName = (s: string) => ORDER_STATUS_NAME[s as OrderStatus] ?? s;

export function badOrderTransition(status: string, action: OrderTransition): AppError {
  return new AppError(
    409,
    'bad_transition',
    `整改通知当前状态为“${orderStatusName(status)}”，不能${ORDER_TRANSITIONS[action].name}`,
  );
}

export const mayMoveOrder = (status: string, action: OrderTransition) =>
  (ORDER_TRANSITIONS[action].from as readonly string[]).includes(status);
