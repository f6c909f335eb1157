/**
 * The one mechanism every yearly campaign runs on (definitions: campaign.config.ts): which action a
 * filing's current step allows, where it leads, and the step's clock. Pure: no database, no HTTP.
 *
 * A filing walks its track's steps in order. At a step of kind
 * - submit (the enterprise): `submit` → the next step; the next step's clock starts that day;
 * - review: `forward` → the next step (its clock starts), or `return` with a reason → back to the
 *   track's submit step (the enterprise resubmits); a track without a submit step cannot return;
 * - decide / record: `pass` or `fail` with a reason → the filing's outcome.
 * After `fail`: `rectify` (a rectification order is issued) → rectifying; `rectified` → passed;
 * `rectification-failed` → reported where the definition offers a report (onRectificationFail),
 * else stays failed.
 */

import { addWorkingDays, formatDate, parseDate } from '../../../lib/workdays.ts';
import type { CampaignDefinition, StepDefinition, TrackDefinition } from './campaign.config.ts';

export const FILING_STATUS_NAME = {
  open: '办理中',
  passed: '合格',
  failed: '不合格',
  rectifying: '整改中',
  reported: '已报省商务厅',
} as const;
export type FilingStatus = keyof typeof FILING_STATUS_NAME;

export const FILING_ACTION_NAME = {
  submit: '提交材料',
  forward: '初审通过并报送',
  return: '退回补正',
  pass: '合格',
  fail: '不合格',
  rectify: '责令限期整改',
  rectified: '整改合格',
  'rectification-failed': '整改后仍不合格',
} as const;
export type FilingAction = keyof typeof FILING_ACTION_NAME;

export interface FilingState {
  status: FilingStatus;
  stepIndex: number;
  /** China date the current step began; null before anything was filed. */
  stepSince: string | null;
}

export interface Transition {
  next: FilingState;
  /** The clock of the new current step, when it has one. */
  due: string | null;
}

export class CampaignRuleError extends Error {
  constructor(
    readonly code: string,
    readonly messageZh: string,
  ) {
    super(messageZh);
    this.name = 'CampaignRuleError';
  }
}

/** The due date of a step that began on `since` (China date), or null when the step has no clock. */
export function stepDue(step: StepDefinition, since: string): string | null {
  const clock = step.clock;
  if (!clock) return null;
  if (clock.unit === 'calendar-days') return formatDate(parseDate(since) + clock.amount);
  return addWorkingDays(since, clock.amount);
}

/** Whether a step done on `on` was late against its due date. */
export function isLate(due: string | null, on: string): boolean {
  return due !== null && on > due;
}

/** The notice date must fall in the campaign's year and on or before the definition's due day. */
export function checkNoticeDate(def: CampaignDefinition, year: number, noticeDate: string): void {
  if (!noticeDate.startsWith(`${year}-`)) {
    throw new CampaignRuleError(
      'notice_year',
      `通知日期 ${noticeDate} 不在 ${year} 年内，请填写 ${year} 年的日期`,
    );
  }
  if (def.notice.dueBy && noticeDate > `${year}-${def.notice.dueBy}`) {
    const [m, d] = def.notice.dueBy.split('-').map(Number);
    throw new CampaignRuleError(
      'notice_late',
      `《${def.notice.title}》应于${year}年${m}月${d}日前下发（原文第 ${def.notice.at[0]} 行：“${def.notice.at[1]}”），${noticeDate} 已超过期限`,
    );
  }
}

export function currentStep(track: TrackDefinition, state: FilingState): StepDefinition | null {
  return state.status === 'open' ? (track.steps[state.stepIndex] ?? null) : null;
}

/** The actions the filing allows now, in the order a page offers them. */
export function allowedActions(
  def: CampaignDefinition,
  track: TrackDefinition,
  state: FilingState,
): FilingAction[] {
  if (state.status === 'open') {
    const step = track.steps[state.stepIndex];
    if (!step) return [];
    if (step.kind === 'submit') return ['submit'];
    if (step.kind === 'review')
      return track.steps.some((s) => s.kind === 'submit') ? ['forward', 'return'] : ['forward'];
    return ['pass', 'fail'];
  }
  if (state.status === 'failed') return ['rectify'];
  if (state.status === 'rectifying')
    return def.outcome.onRectificationFail ? ['rectified', 'rectification-failed'] : ['rectified'];
  return [];
}

/** Applies `action` on `on` (China date); throws CampaignRuleError when the step does not allow it. */
export function applyAction(
  def: CampaignDefinition,
  track: TrackDefinition,
  state: FilingState,
  action: FilingAction,
  on: string,
): Transition {
  if (!allowedActions(def, track, state).includes(action)) {
    throw new CampaignRuleError(
      'action_not_allowed',
      `当前状态（${FILING_STATUS_NAME[state.status]}${
        state.status === 'open' ? `：${track.steps[state.stepIndex]?.label ?? ''}` : ''
      }）不能执行“${FILING_ACTION_NAME[action]}”`,
    );
  }
  const advance = (): Transition => {
    const index = state.stepIndex + 1;
    const step = track.steps[index];
    if (!step) throw new CampaignRuleError('no_next_step', '该流程没有下一步');
    return { next: { status: 'open', stepIndex: index, stepSince: on }, due: stepDue(step, on) };
  };
  switch (action) {
    case 'submit':
    case 'forward':
      return advance();
    case 'return': {
      const index = track.steps.findIndex((s) => s.kind === 'submit');
      return { next: { status: 'open', stepIndex: index, stepSince: on }, due: null };
    }
    case 'pass':
    case 'rectified':
      return { next: { ...state, status: 'passed', stepSince: state.stepSince }, due: null };
    case 'fail':
      return { next: { ...state, status: 'failed' }, due: null };
    case 'rectify':
      return { next: { ...state, status: 'rectifying' }, due: null };
    case 'rectification-failed':
      return { next: { ...state, status: 'reported' }, due: null };
  }
}

/** The actions that need a written reason. */
export function needsReason(action: FilingAction): boolean {
  return action === 'return' || action === 'fail' || action === 'rectification-failed';
}

/** The actor of the action now due: who holds the filing. */
export function holderOf(track: TrackDefinition, state: FilingState): StepDefinition['actor'] | null {
  if (state.status === 'open') return track.steps[state.stepIndex]?.actor ?? null;
  if (state.status === 'failed' || state.status === 'rectifying') return 'city';
  return null;
}
