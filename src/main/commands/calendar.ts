import { readFileSync } from 'node:fs';
import type { Database } from '../../db/database.ts';
import { calendarCoverage } from '../../lib/workdays.ts';
import { importNotice, loadCalendar, NoticeInvalid, parseNoticeFile } from '../../modules/calendar/index.ts';
import { cliActor, type Io, parseOptions, UsageError } from './io.ts';
import { refusing } from './users.ts';

/**
 * `zhize calendar …`: the State Council's yearly holiday notices as data (docs/calendar.md).
 * `import` checks the file, stores it in one audited transaction and prints where it differs from
 * the chinese-days package; `list` shows which years are covered and from which notice.
 */

/** `zhize calendar import <file> [--replace] [--json]`. */
export async function calendarImport(database: Database, args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    replace: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const file = positionals[0];
  if (!file) throw new UsageError('请指定通知文件（JSON，格式见 docs/calendar.md）');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    io.err(`无法读取文件 ${file}：${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  return refusing(io, async () => {
    let notice: ReturnType<typeof parseNoticeFile>;
    try {
      notice = parseNoticeFile(text);
    } catch (e) {
      if (e instanceof NoticeInvalid) {
        io.err(
          `未载入，数据库未改动。节假日通知文件有误：\n${e.problems.map((p) => `  - ${p}`).join('\n')}\n`,
        );
        return 1;
      }
      throw e;
    }
    const r = await importNotice(database.db, cliActor(), notice, { replace: values.replace === true });
    if (values.json) {
      io.out(`${JSON.stringify({ ...r, testFixture: notice.testFixture })}\n`);
      return 0;
    }
    const what = { created: '已载入', replaced: '已替换', unchanged: '内容相同，未改动：' }[r.status];
    io.out(
      `${what}${notice.year}年节假日安排《${notice.title}》（${notice.documentNumber}）：放假${notice.holidays.length}天，调休上班${notice.workdays.length}天\n`,
    );
    if (notice.testFixture) io.err('注意：此文件标明为测试数据，不是国务院办公厅的正式通知\n');
    if (r.differences.length > 0) {
      io.err(`与 chinese-days 软件包的数据有${r.differences.length}处不同（以载入的通知为准）：\n`);
      for (const d of r.differences) io.err(`  ${d}\n`);
    }
    return 0;
  });
}

/** `zhize calendar list [--json]`: the covered years and their sources. */
export async function calendarList(database: Database, args: string[], io: Io): Promise<number> {
  const { values } = parseOptions(args, { json: { type: 'boolean' } });
  await loadCalendar(database.db);
  const coverage = calendarCoverage().map((c) =>
    c.source === 'notice'
      ? {
          year: c.year,
          source: 'notice' as const,
          documentNumber: c.notice.documentNumber,
          title: c.notice.title,
          testFixture: c.notice.testFixture,
        }
      : { year: c.year, source: 'chinese-days' as const },
  );
  if (values.json) {
    io.out(`${JSON.stringify(coverage)}\n`);
    return 0;
  }
  for (const c of coverage) {
    io.out(
      c.source === 'notice'
        ? `${c.year}\t《${c.title}》${c.documentNumber}${c.testFixture ? '（测试数据）' : ''}\n`
        : `${c.year}\tchinese-days\n`,
    );
  }
  return 0;
}
