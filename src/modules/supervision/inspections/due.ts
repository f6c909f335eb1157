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

/** Columns a plan's inspection period may end in (the plans table gains one in issue 9, item 2). */
const PERIOD_END_COLUMNS = [
  'inspection_end',
  'inspection_period_end',
  'period_end',
  'inspection_to',
] as const;

const DATE = /^(\d{4}-\d{2}-\d{2})/;

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

/** The end of the plan's inspection period, when the plans table has one and it is set. */
export function planPeriodEnd(plan: object): string | null {
  const row = plan as Record<string, unknown>;
  for (const column of PERIOD_END_COLUMNS) {
    const v = row[column];
    if (typeof v === 'string' && DATE.test(v)) return DATE.exec(v)![1]!;
  }
  return null;
}

/** When a task of this plan is due. */
export function taskDueDate(plan: { drawn_at: string | null }, defaultDays: number): DueDate | null {
  const end = planPeriodEnd(plan);
  if (end) return { date: end, source: '抽查计划规定的检查期限', fromPlan: true };
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
