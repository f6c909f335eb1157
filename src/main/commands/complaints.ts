import { stringify } from 'csv-stringify/sync';
import type { Database } from '../../db/database.ts';
import { isCalendarDate } from '../../lib/china-time.ts';
import { erasePersonalData, routingExamples } from '../../modules/complaints/index.ts';
import { cliActor, type Io, parseOptions, UsageError } from './io.ts';

/**
 * `zhize complaints …`: the retention erase, and the dispatchers' routing corrections as labelled
 * examples for the resolver's evaluation (written to stdout; nothing is written into eval/).
 */

/** `zhize complaints erase --before YYYY-MM-DD`: personal fields of tickets closed before the date. */
export async function complaintsErase(database: Database, args: string[], io: Io): Promise<number> {
  const { values } = parseOptions(args, { before: { type: 'string' } });
  const before = values.before as string | undefined;
  if (!before || !isCalendarDate(before))
    throw new UsageError('请用 --before YYYY-MM-DD 指定日期：此前办结的工单删除个人信息');
  const r = await erasePersonalData(database.db, before, cliActor(), new Date());
  io.out(
    `已删除 ${r.erased} 件工单的个人信息（${before} 之前办结）${r.codes.length ? `：${r.codes.join('、')}` : ''}\n`,
  );
  return 0;
}

/** `zhize complaints examples [--format json|csv]`: the labelled routing examples. */
export async function complaintsExamples(database: Database, args: string[], io: Io): Promise<number> {
  const { values } = parseOptions(args, { format: { type: 'string' } });
  const format = (values.format as string | undefined) ?? 'json';
  if (format !== 'json' && format !== 'csv') throw new UsageError('--format 只能是 json 或 csv');
  const examples = await routingExamples(database.db);
  if (format === 'json') {
    io.out(`${JSON.stringify(examples, null, 2)}\n`);
    return 0;
  }
  const columns = [
    'code',
    'kind',
    'question',
    'proposedDepartment',
    'proposedOffice',
    'department',
    'office',
    'transfer',
    'note',
    'labelledBy',
    'labelledAt',
  ] as const;
  io.out(
    stringify(
      examples.map((e) =>
        columns.map((c) => (typeof e[c] === 'boolean' ? (e[c] ? '1' : '0') : (e[c] ?? ''))),
      ),
      { header: true, columns: [...columns] },
    ),
  );
  return 0;
}
