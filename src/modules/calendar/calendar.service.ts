import { createHash } from 'node:crypto';
import type { DbOrTx } from '../../db/database.ts';
import { nowIso } from '../../db/database.ts';
import { AppError } from '../../http/errors.ts';
import {
  formatDate,
  type HolidayNotice,
  noticeTitle,
  packageWorkingDay,
  parseDate,
  setLoadedNotices,
  weekdayOf,
} from '../../lib/workdays.ts';
import { type Actor, appendAudit } from '../audit/index.ts';
import {
  deleteNotice,
  findNoticeByYear,
  insertNotice,
  listNoticeDays,
  listNotices,
} from './calendar.repo.ts';
import { NoticeFile } from './calendar.schema.ts';

/**
 * The working-day calendar as data: State Council holiday notices checked, stored (audited) and
 * handed to src/lib/workdays.ts, which every clock (complaints, inspections, rectifications) uses.
 */

/** A notice file that cannot be loaded: every problem, in Chinese. */
export class NoticeInvalid extends AppError {
  constructor(readonly problems: string[]) {
    super(400, 'calendar-notice-invalid', `节假日通知文件有误：${problems.join('；')}`, { problems });
  }
}

/** A notice as checked: every day listed once, sorted. */
export interface NoticeInput {
  year: number;
  documentNumber: string;
  title: string;
  publishedOn: string | null;
  testFixture: boolean;
  holidays: Array<{ date: string; name: string }>;
  workdays: Array<{ date: string; name: string }>;
}

/** Reads and checks a notice file (JSON, calendar.schema.ts); throws NoticeInvalid with every problem. */
export function parseNoticeFile(text: string): NoticeInput {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new NoticeInvalid([`不是有效的 JSON：${e instanceof Error ? e.message : String(e)}`]);
  }
  const parsed = NoticeFile.safeParse(json);
  if (!parsed.success) {
    throw new NoticeInvalid(parsed.error.issues.map((i) => `${i.path.join('.') || '文件'}：${i.message}`));
  }
  const f = parsed.data;
  const problems: string[] = [];
  const valid = (d: string, where: string): number | null => {
    try {
      return parseDate(d);
    } catch {
      problems.push(`${where}：日期“${d}”不存在`);
      return null;
    }
  };
  // A notice for year Y lists days of Y, and may move days of late December of Y-1 (元旦).
  const first = parseDate(`${f.year - 1}-12-25`);
  const last = parseDate(`${f.year}-12-31`);
  const inRange = (n: number, d: string, where: string) => {
    if (n < first || n > last)
      problems.push(`${where}：${d}不在${f.year}年（或${f.year - 1}年12月25日以后）`);
  };
  const seen = new Map<string, string>();
  const mark = (d: string, what: string) => {
    const before = seen.get(d);
    if (before) problems.push(`${d}重复出现（${before}；${what}）`);
    else seen.set(d, what);
  };
  const holidays: NoticeInput['holidays'] = [];
  for (const [i, h] of f.holidays.entries()) {
    const where = `holidays[${i}]（${h.name}）`;
    const a = valid(h.from, where);
    const b = valid(h.to, where);
    if (a === null || b === null) continue;
    if (b < a) {
      problems.push(`${where}：结束日期${h.to}早于开始日期${h.from}`);
      continue;
    }
    if (b - a > 14) {
      problems.push(`${where}：放假${b - a + 1}天，超过15天，请检查日期`);
      continue;
    }
    for (let n = a; n <= b; n++) {
      const d = formatDate(n);
      inRange(n, d, where);
      mark(d, `${h.name}放假`);
      holidays.push({ date: d, name: h.name });
    }
  }
  const workdays: NoticeInput['workdays'] = [];
  for (const [i, w] of f.workdays.entries()) {
    const where = `workdays[${i}]（${w.name}）`;
    const n = valid(w.date, where);
    if (n === null) continue;
    inRange(n, w.date, where);
    if (weekdayOf(w.date) <= 5) problems.push(`${where}：${w.date}是周一至周五，调休上班日应为周六或周日`);
    mark(w.date, `${w.name}调休上班`);
    workdays.push({ date: w.date, name: w.name });
  }
  const title = f.title ?? noticeTitle(f.year);
  if (!title.includes(`${f.year}年`)) problems.push(`title：标题“${title}”未写明${f.year}年`);
  if (problems.length > 0) throw new NoticeInvalid(problems);
  const byDate = (x: { date: string }, y: { date: string }) =>
    x.date < y.date ? -1 : x.date > y.date ? 1 : 0;
  return {
    year: f.year,
    documentNumber: f.documentNumber,
    title,
    publishedOn: f.publishedOn ?? null,
    testFixture: f.testFixture,
    holidays: holidays.sort(byDate),
    workdays: workdays.sort(byDate),
  };
}

/** SHA-256 of the notice's canonical JSON: the same notice, however written, hashes the same. */
export function noticeHash(n: NoticeInput): string {
  return createHash('sha256').update(JSON.stringify(n), 'utf8').digest('hex');
}

/**
 * Where the notice and the chinese-days package disagree about a day of the year (only when the
 * package covers it): shown on import, so a typo in the file or a stale package is seen.
 */
export function differencesFromPackage(n: NoticeInput): string[] {
  const holidays = new Set(n.holidays.map((h) => h.date));
  const workdays = new Set(n.workdays.map((w) => w.date));
  const out: string[] = [];
  for (let d = parseDate(`${n.year}-01-01`); d <= parseDate(`${n.year}-12-31`); d++) {
    const date = formatDate(d);
    const pkg = packageWorkingDay(date);
    if (pkg === null) return [];
    const mine = holidays.has(date) ? false : workdays.has(date) ? true : weekdayOf(date) <= 5;
    if (mine !== pkg)
      out.push(`${date}：通知为${mine ? '工作日' : '休息日'}，chinese-days 为${pkg ? '工作日' : '休息日'}`);
  }
  return out;
}

export interface ImportResult {
  status: 'created' | 'replaced' | 'unchanged';
  year: number;
  documentNumber: string;
  sha256: string;
  differences: string[];
}

/**
 * Stores a checked notice, audited, in one transaction. The same content again changes nothing;
 * a different notice for a year already loaded is refused unless `replace` (a corrected or
 * supplementary notice), which the audit entry records with the old and the new document numbers.
 * Then the in-process calendar is reloaded from the database.
 */
export async function importNotice(
  db: DbOrTx,
  actor: Actor,
  n: NoticeInput,
  options: { replace?: boolean } = {},
): Promise<ImportResult> {
  const sha256 = noticeHash(n);
  const differences = differencesFromPackage(n);
  const run = async (tx: DbOrTx): Promise<ImportResult> => {
    const existing = await findNoticeByYear(tx, n.year);
    const base = { year: n.year, documentNumber: n.documentNumber, sha256, differences };
    if (existing && existing.sha256 === sha256) return { status: 'unchanged', ...base };
    if (existing && !options.replace) {
      throw new AppError(
        409,
        'calendar-year-loaded',
        `${n.year}年已载入《${existing.title}》（${existing.document_number}），内容与此文件不同；确需替换时请加 --replace`,
      );
    }
    if (existing) await deleteNotice(tx, existing.id);
    await insertNotice(
      tx,
      {
        year: n.year,
        document_number: n.documentNumber,
        title: n.title,
        published_on: n.publishedOn,
        test_fixture: n.testFixture ? 1 : 0,
        sha256,
        imported_by: actor.name,
        imported_at: nowIso(),
      },
      [
        ...n.holidays.map((h) => ({ date: h.date, kind: 'holiday', name: h.name })),
        ...n.workdays.map((w) => ({ date: w.date, kind: 'workday', name: w.name })),
      ],
    );
    await appendAudit(tx, {
      actor,
      action: existing ? 'calendar-replace' : 'calendar-import',
      entity: 'calendar_notice',
      entityId: n.year,
      before: existing ? { documentNumber: existing.document_number, sha256: existing.sha256 } : null,
      after: {
        documentNumber: n.documentNumber,
        title: n.title,
        testFixture: n.testFixture,
        holidays: n.holidays.length,
        workdays: n.workdays.length,
        sha256,
      },
    });
    return { status: existing ? 'replaced' : 'created', ...base };
  };
  const result = db.isTransaction ? await run(db) : await db.transaction().execute(run);
  if (!db.isTransaction) await loadCalendar(db);
  return result;
}

/** The loaded notices as the workday calendar takes them. */
export async function readNotices(db: DbOrTx): Promise<HolidayNotice[]> {
  const [notices, days] = await Promise.all([listNotices(db), listNoticeDays(db)]);
  return notices.map((n) => {
    const mine = days.filter((d) => d.notice_id === n.id);
    return {
      year: n.year,
      documentNumber: n.document_number,
      title: n.title,
      testFixture: n.test_fixture === 1,
      holidays: mine.filter((d) => d.kind === 'holiday').map((d) => ({ date: d.date, name: d.name })),
      workdays: mine.filter((d) => d.kind === 'workday').map((d) => ({ date: d.date, name: d.name })),
    };
  });
}

/** Hands the database's notices to src/lib/workdays.ts (replacing what it had). */
export async function loadCalendar(db: DbOrTx): Promise<HolidayNotice[]> {
  const notices = await readNotices(db);
  setLoadedNotices(notices);
  return notices;
}
