/**
 * Statutory working-day calendar (工作日) for deadlines such as "within 10 working days of receipt".
 *
 * Dates are civil dates in Asia/Shanghai written 'YYYY-MM-DD'. All arithmetic is done on integer day
 * numbers (days since 1970-01-01), never on Date objects, so no time zone can shift a day.
 *
 * Holidays and make-up workdays (调休) come from the `chinese-days` package (default import only: its
 * named exports crash at run time). That package parses 'YYYY-MM-DD' as UTC and formats in the
 * process's local zone, so west of Greenwich its own weekday logic is one day off. This module
 * therefore asks it only whether a date is an announced holiday or make-up workday (its lookup table
 * is shifted the same way as its input, so the lookup stays right in every zone) and computes
 * weekdays itself.
 *
 * On top of the package, the State Council's yearly notices loaded into the database
 * (`zhize calendar import`, src/modules/calendar) are handed to this module by `setLoadedNotices`:
 * a loaded year's holidays and make-up workdays are exactly the notice's (the package is not asked
 * about that year), and the days a notice moves in another year (late December before its New
 * Year) count too.
 *
 * Coverage: a year is covered when a notice for it is loaded, or when the package knows its 元旦
 * (New Year's Day) holiday, i.e. the State Council's schedule for that year is in its data. A date
 * in an uncovered year raises CalendarCoverageError, naming the notice to load, instead of silently
 * treating the year as weekends-only. Because the New Year arrangement of year Y+1 has moved days
 * in late December of Y (2006, 2007, 2011, 2018, 2022), a date from 25 to 31 December also needs
 * year Y+1 to be covered.
 */
import chineseDays from 'chinese-days';

/** A date string that is not a real 'YYYY-MM-DD' calendar date, or a bad day count. */
export class InvalidDateError extends Error {
  readonly code = 'invalid-date';
  readonly messageZh: string;
  readonly messageEn: string;

  constructor(messageZh: string, messageEn: string) {
    super(`${messageZh} / ${messageEn}`);
    this.name = 'InvalidDateError';
    this.messageZh = messageZh;
    this.messageEn = messageEn;
  }
}

/** The holiday schedule of `year` is not in the installed chinese-days data. */
export class CalendarCoverageError extends Error {
  readonly code = 'calendar-not-covered';
  readonly date: string;
  readonly year: number;
  readonly messageZh: string;
  readonly messageEn: string;

  constructor(date: string, year: number) {
    const { zh, en } = describeCoverage();
    const lateDecember = !date.startsWith(`${year}-`);
    const whyZh = lateDecember ? `（${year}年元旦放假安排可能调整${year - 1}年12月下旬的工作日）` : '';
    const whyEn = lateDecember
      ? ` (the ${year} New Year arrangement can move days in late December ${year - 1})`
      : '';
    const messageZh = `无法计算${date}是否为工作日：节假日数据未包含${year}年的放假安排${whyZh}，已覆盖${zh}。请系统管理员载入《${noticeTitle(year)}》（zhize calendar import <文件>）后再试`;
    const messageEn = `cannot tell whether ${date} is a working day: the holiday data has no schedule for ${year}${whyEn}; covered: ${en}. An administrator must load the State Council notice on the ${year} holidays (zhize calendar import <file>)`;
    super(`${messageZh} / ${messageEn}`);
    this.name = 'CalendarCoverageError';
    this.date = date;
    this.year = year;
    this.messageZh = messageZh;
    this.messageEn = messageEn;
  }
}

const WEEKDAY_NAMES = new Set(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']);
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number (days since 1970-01-01) of a proleptic Gregorian date; H. Hinnant's days_from_civil. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of daysFromCivil; H. Hinnant's civil_from_days. */
function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Parses 'YYYY-MM-DD' into a day number; throws InvalidDateError for anything else. */
export function parseDate(date: string): number {
  const match = typeof date === 'string' ? DATE_PATTERN.exec(date) : null;
  if (!match) {
    throw new InvalidDateError(
      `日期“${String(date)}”格式错误，应为YYYY-MM-DD（例如2026-09-28）`,
      `date '${String(date)}' is not in YYYY-MM-DD form (e.g. 2026-09-28)`,
    );
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const days = daysFromCivil(year, month, day);
  const back = civilFromDays(days);
  if (month < 1 || month > 12 || back.month !== month || back.day !== day) {
    throw new InvalidDateError(`日期“${date}”不存在`, `date '${date}' does not exist in the calendar`);
  }
  return days;
}

/** Formats a day number as 'YYYY-MM-DD'. */
export function formatDate(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** ISO weekday of a day number: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
function isoWeekday(days: number): number {
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

/** The title of the State Council's holiday notice for a year (what an administrator loads). */
export function noticeTitle(year: number): string {
  return `国务院办公厅关于${year}年部分节假日安排的通知`;
}

/** A loaded holiday notice, as the calendar module hands it over. */
export interface HolidayNotice {
  year: number;
  /** e.g. 国办发明电〔2025〕N号 */
  documentNumber: string;
  title: string;
  /** A test fixture, not the official notice. */
  testFixture: boolean;
  /** Announced holidays (days off), YYYY-MM-DD, with the festival's name. */
  holidays: ReadonlyArray<{ date: string; name: string }>;
  /** Make-up workdays (调休上班), YYYY-MM-DD, with the festival's name. */
  workdays: ReadonlyArray<{ date: string; name: string }>;
}

let packageYearsCache: ReadonlySet<number> | null = null;

/** Years whose State Council schedule is in the installed chinese-days data (probed via 元旦). */
export function packageYears(): ReadonlySet<number> {
  if (packageYearsCache) return packageYearsCache;
  const years = new Set<number>();
  for (let year = 1990; year <= 2100; year += 1) {
    if (chineseDays.getDayDetail(`${year}-01-01`).name.includes('元旦')) years.add(year);
  }
  packageYearsCache = years;
  return years;
}

interface LoadedCalendar {
  notices: ReadonlyMap<number, HolidayNotice>;
  /** Day number → true (make-up workday) / false (holiday), from every loaded notice. */
  days: ReadonlyMap<number, boolean>;
  covered: ReadonlySet<number>;
}

let loaded: LoadedCalendar = { notices: new Map(), days: new Map(), covered: packageYearsOrEmpty() };

function packageYearsOrEmpty(): ReadonlySet<number> {
  return new Set(packageYears());
}

/**
 * Replaces the loaded notices (the calendar module calls it with what the database holds, at start
 * and after an import). A notice whose dates do not parse is refused here, before anything changes.
 */
export function setLoadedNotices(notices: readonly HolidayNotice[]): void {
  const byYear = new Map<number, HolidayNotice>();
  const days = new Map<number, boolean>();
  for (const n of notices) {
    byYear.set(n.year, n);
    for (const h of n.holidays) days.set(parseDate(h.date), false);
    for (const w of n.workdays) days.set(parseDate(w.date), true);
  }
  const covered = new Set(packageYears());
  for (const year of byYear.keys()) covered.add(year);
  loaded = { notices: byYear, days, covered };
}

/** The loaded notices, by year. */
export function loadedNotices(): ReadonlyMap<number, HolidayNotice> {
  return loaded.notices;
}

/** Years whose schedule is known: the package's and the loaded notices'. */
export function coveredYears(): ReadonlySet<number> {
  return loaded.covered;
}

/** Where each covered year's schedule comes from: a loaded notice, else the chinese-days package. */
export function calendarCoverage(): Array<
  | { year: number; source: 'notice'; notice: HolidayNotice; alsoInPackage: boolean }
  | { year: number; source: 'package' }
> {
  const pkg = packageYears();
  return [...coveredYears()]
    .sort((a, b) => a - b)
    .map((year) => {
      const notice = loaded.notices.get(year);
      return notice
        ? { year, source: 'notice' as const, notice, alsoInPackage: pkg.has(year) }
        : { year, source: 'package' as const };
    });
}

function describeCoverage(): { zh: string; en: string } {
  const years = [...coveredYears()].sort((a, b) => a - b);
  if (years.length === 0) return { zh: '无', en: 'none' };
  const range = `${years[0]}–${years[years.length - 1]}`;
  return { zh: `${range}年`, en: range };
}

/** Throws CalendarCoverageError unless the schedules needed for this day are known. */
function assertCovered(days: number): void {
  const { year, month, day } = civilFromDays(days);
  const years = coveredYears();
  if (!years.has(year)) throw new CalendarCoverageError(formatDate(days), year);
  if (month === 12 && day >= 25 && !years.has(year + 1)) {
    throw new CalendarCoverageError(formatDate(days), year + 1);
  }
}

/** Working-day status of a covered day number. */
function isWorkingDayNumber(days: number): boolean {
  assertCovered(days);
  const announced = loaded.days.get(days);
  if (announced !== undefined) return announced; // a loaded notice's holiday or make-up workday
  if (!loaded.notices.has(civilFromDays(days).year)) {
    const detail = chineseDays.getDayDetail(formatDate(days));
    if (!WEEKDAY_NAMES.has(detail.name)) return detail.work; // the package's holiday or make-up workday
  }
  return isoWeekday(days) <= 5;
}

/**
 * What the chinese-days package alone says of a date (null when the package does not cover its
 * year): for comparing a notice being imported with the package's data.
 */
export function packageWorkingDay(date: string): boolean | null {
  const days = parseDate(date);
  if (!packageYears().has(civilFromDays(days).year)) return null;
  const detail = chineseDays.getDayDetail(formatDate(days));
  if (!WEEKDAY_NAMES.has(detail.name)) return detail.work;
  return isoWeekday(days) <= 5;
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: string): number {
  return isoWeekday(parseDate(date));
}

/** True when `date` is a statutory working day (weekday that is not a holiday, or a make-up workday). */
export function isWorkingDay(date: string): boolean {
  return isWorkingDayNumber(parseDate(date));
}

function assertDayCount(n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new InvalidDateError(
      `工作日天数“${n}”无效，应为非负整数`,
      `working-day count '${n}' must be a non-negative integer`,
    );
  }
}

/**
 * The n-th working day after `date`. The date itself is day 0 and is never counted, whether or not it
 * is a working day: addWorkingDays('2026-09-28', 10) = '2026-10-16'. n = 0 returns `date` unchanged.
 */
export function addWorkingDays(date: string, n: number): string {
  assertDayCount(n);
  let days = parseDate(date);
  assertCovered(days);
  let remaining = n;
  while (remaining > 0) {
    days += 1;
    if (isWorkingDayNumber(days)) remaining -= 1;
  }
  return formatDate(days);
}

/**
 * Number of working days d with from < d ≤ to: `from` is excluded, `to` is included. This is the
 * inverse of addWorkingDays: countWorkingDaysBetween(d, addWorkingDays(d, n)) = n. When to < from the
 * result is the negated count for the swapped pair; when to = from it is 0.
 */
export function countWorkingDaysBetween(from: string, to: string): number {
  const start = parseDate(from);
  const end = parseDate(to);
  if (end < start) return 0 - countWorkingDaysBetween(to, from); // 0 - x avoids -0
  assertCovered(start);
  let count = 0;
  for (let days = start + 1; days <= end; days += 1) {
    if (isWorkingDayNumber(days)) count += 1;
  }
  return count;
}
