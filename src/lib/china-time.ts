/**
 * China time (UTC+8, no daylight saving): the civil dates and clock times people mean. Stored
 * timestamps are ISO-8601 UTC text; these helpers turn them into what a page or a deadline shows.
 */

/** UTC+8 in milliseconds: China Standard Time has had no daylight saving since 1991. */
export const CHINA_OFFSET_MS = 8 * 3600_000;

/** Today's civil date in China as YYYY-MM-DD: the date people mean. */
export function todayInChina(now = Date.now()): string {
  return new Date(now + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** An ISO-8601 UTC timestamp as China time `YYYY-MM-DD HH:MM`; text that is no timestamp stays as it is. */
export function chinaDateTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** True for a real calendar date written YYYY-MM-DD (rejects 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Noon Beijing time of a China date: the issue time of a document dated that day. */
export function chinaNoon(date: string): Date {
  return new Date(`${date}T12:00:00+08:00`);
}
