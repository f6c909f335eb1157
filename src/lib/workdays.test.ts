import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  CalendarCoverageError,
  countWorkingDaysBetween,
  coveredYears,
  formatDate,
  InvalidDateError,
  isWorkingDay,
  parseDate,
} from './workdays.ts';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** The package's own per-year data file: { holidays, workdays } keyed by 'YYYY-MM-DD'. */
function packageYear(year: number): { holidays: Record<string, string>; workdays: Record<string, string> } {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('chinese-days/package.json'));
  return JSON.parse(readFileSync(join(packageDir, 'dist/years', `${year}.json`), 'utf8'));
}

/** Every date from `from` to `to` inclusive. */
function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = parseDate(from); d <= parseDate(to); d += 1) out.push(formatDate(d));
  return out;
}

describe('isWorkingDay', () => {
  it('treats make-up workdays (调休) on weekends as working days', () => {
    // 2025: 1月26日（周日）、2月8日（周六）、4月27日（周日）、9月28日（周日）、10月11日（周六）上班
    // 2026: 1月4日（周日）、2月14日、2月28日、5月9日（周六）、9月20日（周日）、10月10日（周六）上班
    for (const date of ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']) {
      expect(isWorkingDay(date)).toBe(true);
    }
    for (const date of ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']) {
      expect(isWorkingDay(date)).toBe(true);
    }
  });

  it('treats public holidays falling on weekdays as days off', () => {
    expect(datesBetween('2026-10-01', '2026-10-07').map(isWorkingDay)).toEqual(Array(7).fill(false));
    expect(datesBetween('2025-01-28', '2025-02-04').map(isWorkingDay)).toEqual(Array(8).fill(false));
    expect(isWorkingDay('2026-02-23')).toBe(false); // 春节假期最后一天，周一
  });

  it('treats ordinary weekdays as working days and ordinary weekends as days off', () => {
    expect(datesBetween('2026-03-09', '2026-03-15').map(isWorkingDay)).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it.each([2025, 2026])('agrees with every holiday and make-up day in the package data for %i', (year) => {
    const data = packageYear(year);
    expect(Object.keys(data.workdays).length).toBeGreaterThan(3);
    for (const date of Object.keys(data.holidays)) expect(isWorkingDay(date)).toBe(false);
    for (const date of Object.keys(data.workdays)) expect(isWorkingDay(date)).toBe(true);
  });
});

describe('addWorkingDays', () => {
  it('counts 10 working days after 2026-09-28 across the National Day break to 2026-10-16', () => {
    expect(addWorkingDays('2026-09-28', 10)).toBe('2026-10-16');
  });

  it('does not count the start date, even when it is a working day', () => {
    expect(addWorkingDays('2026-03-09', 1)).toBe('2026-03-10');
  });

  it('returns the date itself for n = 0, working day or not', () => {
    expect(addWorkingDays('2026-10-01', 0)).toBe('2026-10-01');
  });

  it('starting on a holiday, lands on the make-up Saturday as the first working day after the break', () => {
    expect(addWorkingDays('2026-10-03', 3)).toBe('2026-10-10');
  });

  it('counts the 2025 Spring Festival make-up Sunday', () => {
    // 1月24日（周五）后：1月26日（周日，调休上班）、1月27日（周一），春节假期至2月4日，2月5日（周三）
    expect(addWorkingDays('2025-01-24', 3)).toBe('2025-02-05');
  });

  it('rejects negative and fractional counts', () => {
    expect(() => addWorkingDays('2026-03-09', -1)).toThrow(InvalidDateError);
    expect(() => addWorkingDays('2026-03-09', 1.5)).toThrow(InvalidDateError);
  });
});

describe('countWorkingDaysBetween (from excluded, to included)', () => {
  it('inverts addWorkingDays over holidays and make-up days', () => {
    for (const [from, n] of [
      ['2026-09-28', 10],
      ['2025-01-20', 15],
      ['2026-02-10', 12],
      ['2026-04-30', 7],
    ] as const) {
      expect(countWorkingDaysBetween(from, addWorkingDays(from, n))).toBe(n);
    }
  });

  it('is 0 for the same day, and negated when the dates are swapped', () => {
    expect(countWorkingDaysBetween('2026-10-16', '2026-10-16')).toBe(0);
    expect(countWorkingDaysBetween('2026-10-16', '2026-09-28')).toBe(-10);
    expect(Object.is(countWorkingDaysBetween('2026-10-02', '2026-10-01'), 0)).toBe(true);
  });
});

describe('calendar coverage', () => {
  it('covers exactly the years whose schedule the installed package contains, including 2025 and 2026', () => {
    const years = coveredYears();
    expect(years.has(2025)).toBe(true);
    expect(years.has(2026)).toBe(true);
    expect(years.has(2027)).toBe(false);
  });

  it('fails loudly for a date in 2027 instead of assuming weekends only', () => {
    expect(() => isWorkingDay('2027-03-01')).toThrow(CalendarCoverageError);
    try {
      isWorkingDay('2027-03-01');
    } catch (error) {
      expect(error).toBeInstanceOf(CalendarCoverageError);
      const coverage = error as CalendarCoverageError;
      expect(coverage.year).toBe(2027);
      expect(coverage.messageZh).toContain('未包含2027年的放假安排');
    }
  });

  it('fails when counting runs past the end of the covered years', () => {
    expect(() => addWorkingDays('2026-12-01', 30)).toThrow(CalendarCoverageError);
  });

  it('needs next year for the last week of December, where New Year arrangements have moved days', () => {
    expect(isWorkingDay('2026-12-24')).toBe(true);
    expect(() => isWorkingDay('2026-12-28')).toThrow(/2027/);
    expect(isWorkingDay('2018-12-29')).toBe(true); // 2019年元旦调休：12月29日（周六）上班
  });
});

describe('date parsing', () => {
  it.each(['2026-9-28', '2026/09/28', '20260928', '2026-09-28T00:00', '', 'today'])('rejects %j', (text) => {
    expect(() => isWorkingDay(text)).toThrow(InvalidDateError);
  });

  it.each(['2026-02-29', '2026-13-01', '2026-04-31', '2026-00-10'])(
    'rejects the impossible date %s',
    (text) => {
      expect(() => isWorkingDay(text)).toThrow(/不存在/);
    },
  );

  it('round-trips every day of a leap year', () => {
    for (const date of datesBetween('2024-01-01', '2024-12-31'))
      expect(formatDate(parseDate(date))).toBe(date);
    expect(datesBetween('2024-01-01', '2024-12-31')).toHaveLength(366);
  });
});

describe('time zone independence', () => {
  it('gives the same answers when the process runs in America/New_York', () => {
    const script = `
      import { addWorkingDays, isWorkingDay } from './src/lib/workdays.ts';
      const dates = ['2026-10-10', '2026-10-01', '2026-10-12', '2026-01-04', '2026-03-14'];
      console.log(JSON.stringify({ add: addWorkingDays('2026-09-28', 10), work: dates.map(isWorkingDay) }));
    `;
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: projectRoot,
      env: { ...process.env, TZ: 'America/New_York' },
      encoding: 'utf8',
    });
    expect(JSON.parse(output)).toEqual({ add: '2026-10-16', work: [true, false, true, true, false] });
  });
});
