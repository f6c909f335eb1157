import { AppError } from '../../../http/errors.ts';
import { addWorkingDays, CalendarCoverageError, formatDate, parseDate } from '../../../lib/workdays.ts';
import { yuanText } from './penalty.amount.ts';
import {
  DECISION_DELIVERY,
  DECISION_DUE,
  HEARING_NOTICE,
  HEARING_REQUEST,
  LATE_FEE,
  type LawClock,
  LIMITATION,
  PAYMENT_DUE,
  PUBLICATION_DUE,
} from './penalty.law.ts';

/**
 * The dates of a case, each computed from its clock in penalty.law.ts. Calendar days (日) count from
 * the day after the start (民事诉讼法's rule, as the law's 日 is read: the start day is day 0);
 * working days go through the statutory calendar (lib/workdays.ts), and a date the calendar does not
 * cover yet is reported as such, never guessed.
 */

/** `date` + n calendar days (n may be negative). */
export function addDays(date: string, n: number): string {
  return formatDate(parseDate(date) + n);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return parseDate(to) - parseDate(from);
}

/** The same day `years` later; 29 February becomes 28 February in a common year. */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const year = y + years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const day = m === 2 && d === 29 && !leap ? 28 : d;
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A clock's end date from its start, by its unit. Throws CalendarCoverageError for uncovered working days. */
export function clockEnd(clock: Pick<LawClock, 'amount' | 'unit'>, start: string): string {
  if (clock.unit === 'working-days') return addWorkingDays(start, clock.amount);
  if (clock.unit === 'years') return addYears(start, clock.amount);
  return addDays(start, clock.amount);
}

export type Computed = { date: string; error: null } | { date: null; error: string };

/** clockEnd, with an uncovered calendar year turned into the message people read. */
export function computed(clock: Pick<LawClock, 'amount' | 'unit' | 'label'>, start: string): Computed {
  try {
    return { date: clockEnd(clock, start), error: null };
  } catch (e) {
    if (e instanceof CalendarCoverageError) {
      return { date: null, error: `${clock.label}期限无法计算：${e.messageZh}` };
    }
    throw e;
  }
}

export type Harm = 'ordinary' | 'life-health-finance';
export const HARM_NAME: Record<Harm, string> = {
  ordinary: '一般违法行为（二年）',
  'life-health-finance': '涉及公民生命健康安全、金融安全且有危害后果（五年）',
};

/** The last day on which a case may still be opened for a violation of `violationOn`. */
export function limitationEnd(violationOn: string, harm: Harm): string {
  return addYears(violationOn, harm === 'ordinary' ? LIMITATION.amount : LIMITATION.extendedYears);
}

/** Refuses 立案 beyond the limitation period (art. 36), naming the dates and the article. */
export function assertWithinLimitation(violationOn: string, filedOn: string, harm: Harm): void {
  if (filedOn < violationOn) {
    throw new AppError(400, 'filed_before_violation', '立案日期不能早于违法行为发生（终了）日期');
  }
  const end = limitationEnd(violationOn, harm);
  if (filedOn > end) {
    const years = harm === 'ordinary' ? LIMITATION.amount : LIMITATION.extendedYears;
    throw new AppError(
      409,
      'limitation_expired',
      `不予立案：违法行为发生（终了）于${violationOn}，至${filedOn}已超过${years}年追责时效（时效届满日为${end}）。依据${LIMITATION.citation.law}${LIMITATION.citation.article}：“${LIMITATION.citation.words}”`,
    );
  }
}

export const decisionDue = (filedOn: string) => clockEnd(DECISION_DUE, filedOn);
export const hearingRequestLastDay = (noticeOn: string) => clockEnd(HEARING_REQUEST, noticeOn);
/** The earliest hearing day when the party is notified on `notifiedOn`. */
export const earliestHearing = (notifiedOn: string) => clockEnd(HEARING_NOTICE, notifiedOn);
export const deliveryDue = (decisionOn: string) => clockEnd(DECISION_DELIVERY, decisionOn);
export const publicationDue = (decisionOn: string) => computed(PUBLICATION_DUE, decisionOn);
export const paymentDue = (deliveredOn: string) => clockEnd(PAYMENT_DUE, deliveredOn);

export interface LateFee {
  /** Days past the payment deadline (0 when paid in time). */
  daysLate: number;
  feeFen: number;
  /** The fee reached the fine and stopped there. */
  capped: boolean;
  text: string;
}

/** 加处罚款: 3 % of the fine a day after the deadline, never above the fine (art. 72). */
export function lateFee(amountFen: number, dueOn: string, paidOn: string): LateFee {
  const daysLate = Math.max(0, daysBetween(dueOn, paidOn));
  const raw = Math.floor((amountFen * LATE_FEE.percentPerDay * daysLate) / 100);
  const capped = LATE_FEE.cappedAtFine && raw > amountFen;
  const feeFen = capped ? amountFen : raw;
  const text =
    daysLate === 0
      ? '按期缴纳，无加处罚款'
      : `逾期${daysLate}日，每日按罚款数额的${LATE_FEE.percentPerDay}%加处罚款，共${yuanText(feeFen)}${
          capped ? '（已达罚款数额，不再增加）' : ''
        }`;
  return { daysLate, feeFen, capped, text };
}
