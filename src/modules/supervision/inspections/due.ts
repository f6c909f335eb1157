/**
 * The two dates an inspection runs against, each with where it comes from:
 * - when the task is due: the end of the plan's inspection period when the plan sets one, else the
 *   bureau's default (SUPERVISION_TASK_DUE_DAYS days after the draw; the document sets no limit);
 * - by when its result must be published: 20 working days after the day of the check
 *   (result.categories.ts, PUBLICATION_DEADLINE), through the statutory calendar — a date the
 *   calendar does not cover yet is said so, never guessed.
 */
import { CHINA_OFFSET_MS, todayInChina } from '../../../lib/china-time.ts';
import { addWorkingDays, CalendarCoverageError, countWorkingDaysBetween } from '../../../lib/workdays.ts';
import { PUBLICATION_DEADLINE } from './result.categories.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The plan columns the dates are read from (migration 009_draw_v2: the inspection period of version 2). */
export type PlanDates = { drawn_at: string | null; period_start: string | null; period_end: string | null };

export interface DueDate {
  /** YYYY-MM-DD (China date). */
  date: string;
  /** Where the date comes from, in Chinese. */
  source: string;
  /** The plan sets it (not the default). */
  fromPlan: boolean;
}

/** The China date of an ISO-8601 UTC timestamp. */
export const chinaDateOf = (iso: string) => todayInChina(Date.parse(iso));

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The plan's inspection period (version 2, `period_start`–`period_end`), or null when it sets none. */
export function planPeriod(plan: Pick<PlanDates, 'period_start' | 'period_end'>): {
  start: string;
  end: string;
} | null {
  const { period_start: start, period_end: end } = plan;
  return start && end && DATE.test(start) && DATE.test(end) ? { start, end } : null;
}

/** When a task of this plan is due: the end of its inspection period, else the configured default. */
export function taskDueDate(plan: PlanDates, defaultDays: number): DueDate | null {
  const period = planPeriod(plan);
  if (period) {
    return {
      date: period.end,
      source: `抽查计划规定的检查期间（${period.start} 至 ${period.end}）`,
      fromPlan: true,
    };
  }
  if (!plan.drawn_at) return null;
  return {
    date: addDays(chinaDateOf(plan.drawn_at), defaultDays),
    source: `本局默认期限：抽取之日起${defaultDays}日内（配置项 SUPERVISION_TASK_DUE_DAYS；原文未规定完成检查的期限）`,
    fromPlan: false,
  };
}

/** Calendar days from today (China) to the date: negative when past. */
export function daysUntil(date: string, now = Date.now()): number {
  const today = Date.parse(`${todayInChina(now)}T00:00:00Z`);
  return Math.round((Date.parse(`${date}T00:00:00Z`) - today) / 86_400_000);
}

export type PublicationDeadline =
  | { date: string; error: null; overdue: boolean; workingDaysLeft: number | null }
  | { date: null; error: string; overdue: false; workingDaysLeft: null };

/** The last day to publish the result of a check made on `checkedOn` (YYYY-MM-DD). */
export function publicationDeadline(checkedOn: string, now = Date.now()): PublicationDeadline {
  try {
    const date = addWorkingDays(checkedOn, PUBLICATION_DEADLINE.workingDays);
    const today = todayInChina(now);
    let left: number | null = null;
    try {
      left = countWorkingDaysBetween(today, date);
    } catch (e) {
      if (!(e instanceof CalendarCoverageError)) throw e;
    }
    return { date, error: null, overdue: today > date, workingDaysLeft: left };
  } catch (e) {
    if (e instanceof CalendarCoverageError) {
      return {
        date: null,
        error: `公示期限无法计算：${e.messageZh}`,
        overdue: false,
        workingDaysLeft: null,
      };
    }
    throw e;
  }
}

/** "2026-11-02T01:30:00.000Z" as the China local time a datetime-local field shows ("2026-11-02T09:30"). */
export function toLocalInput(iso: string): string {
  return new Date(Date.parse(iso) + CHINA_OFFSET_MS).toISOString().slice(0, 16);
}

/** A datetime-local value typed in China time ("2026-11-02T09:30") as ISO UTC, or null when not one. */
export function fromLocalInput(value: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(value.trim());
  if (!m) return null;
  const t = Date.parse(`${m[1]}T${m[2]}:${m[3]}:00Z`);
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== m[1]) return null;
  return new Date(t - CHINA_OFFSET_MS).toISOString();
}
