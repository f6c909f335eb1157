import { AppError } from '../../../http/errors.ts';
import { codesOf } from '../../../lib/codes.ts';

/**
 * The workflow of a penalty case (行政处罚案件, 普通程序) as a transition table. Each transition names
 * the ability (penalty.policy.ts) that may take it and the article of 行政处罚法 it carries out:
 *
 *   已立案 ─notify─▶ 已事先告知 ─requestHearing─▶ 已申请听证 ─scheduleHearing─▶ 已通知听证 ─holdHearing─▶ 已听证
 *     ▲               │                                                                  │
 *     │ (return)      └────────────── submit ──▶ 待法制审核 ◀──────── submit ────────────┘
 *     │                                            │
 *  退回修改 ◀──────── return ───────────────────────┤
 *                                                  └ approve ─▶ 审核通过 ─decide─▶ 已决定 ─pay─▶ 已缴纳
 *                                                                         └ (首违不罚) ─▶ 不予处罚
 *
 * Delivery of the decision, publication and the statement (陈述申辩) are records on the case, not
 * moves. Every move is a conditional update, so two people cannot both take it.
 */

export const CASE_STATUS_NAME = {
  filed: '已立案',
  notified: '已事先告知',
  'hearing-requested': '已申请听证',
  'hearing-scheduled': '已通知听证',
  heard: '已听证',
  'in-review': '待法制审核',
  returned: '法制审核退回',
  approved: '法制审核通过',
  decided: '已作出处罚决定',
  'not-penalised': '不予行政处罚',
  paid: '已缴纳罚款',
} as const;

export type CaseStatus = keyof typeof CASE_STATUS_NAME;
export const CASE_STATUSES = codesOf(CASE_STATUS_NAME);

export const CASE_TRANSITIONS = {
  notify: { from: ['filed', 'returned'], to: 'notified', by: 'handle', name: '事先告知' },
  requestHearing: { from: ['notified'], to: 'hearing-requested', by: 'handle', name: '登记听证申请' },
  scheduleHearing: { from: ['hearing-requested'], to: 'hearing-scheduled', by: 'handle', name: '通知听证' },
  holdHearing: { from: ['hearing-scheduled'], to: 'heard', by: 'handle', name: '登记听证情况' },
  submit: { from: ['notified', 'heard'], to: 'in-review', by: 'handle', name: '提交法制审核' },
  approve: { from: ['in-review'], to: 'approved', by: 'legalReview', name: '法制审核通过' },
  return: { from: ['in-review'], to: 'returned', by: 'legalReview', name: '法制审核退回' },
  decide: { from: ['approved'], to: 'decided', by: 'decide', name: '作出处罚决定' },
  decideNoPenalty: { from: ['approved'], to: 'not-penalised', by: 'decide', name: '作出不予处罚决定' },
  pay: { from: ['decided'], to: 'paid', by: 'handle', name: '登记缴纳罚款' },
} as const satisfies Record<
  string,
  {
    from: readonly CaseStatus[];
    to: CaseStatus;
    by: 'handle' | 'legalReview' | 'decide';
    name: string;
  }
>;

export type CaseTransition = keyof typeof CASE_TRANSITIONS;

/** Cases whose decision clock (90 days from 立案) still runs. */
export const UNDECIDED: readonly CaseStatus[] = [
  'filed',
  'notified',
  'hearing-requested',
  'hearing-scheduled',
  'heard',
  'in-review',
  'returned',
  'approved',
];

export const caseStatusName = (s: string) => CASE_STATUS_NAME[s as CaseStatus] ?? s;

export function badCaseTransition(status: string, action: CaseTransition): AppError {
  return new AppError(
    409,
    'bad_transition',
    `案件当前状态为“${caseStatusName(status)}”，不能${CASE_TRANSITIONS[action].name}`,
  );
}

export const mayMoveCase = (status: string, action: CaseTransition) =>
  (CASE_TRANSITIONS[action].from as readonly string[]).includes(status);
