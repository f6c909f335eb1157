import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { loadConfig } from '../config.ts';
import { type Database, migrateToLatest, openDatabase } from '../db/database.ts';
import { ImportError } from '../importer/errors.ts';
import { loadCalendar } from '../modules/calendar/index.ts';
import { auditVerify } from './commands/audit.ts';
import { calendarImport, calendarList } from './commands/calendar.ts';
import { complaintsErase, complaintsExamples } from './commands/complaints.ts';
import { type Io, UsageError } from './commands/io.ts';
import { cmdCheck, cmdExport, cmdImport, cmdStats } from './commands/registry.ts';
import { drawVerify, usccCheck, workdaysAdd } from './commands/supervision.ts';
import { tokenCreate, tokenList, tokenRevoke } from './commands/tokens.ts';
import { userCreate, userResetPassword, userSetRole } from './commands/users.ts';

/** `zhize <command>`: the command line. `--json` output goes to stdout alone; messages to stderr. */

const USAGE = `用法 / usage: zhize <command> [options]

  import <file> [--department 衡水市商务局] [--dry-run] [--json]
                         导入职责清单文档（自动识别编码）或 JSON 数据集
  check [--json]         数据质量报告
  stats [--json]         各类记录数量
  export --format json|csv|xlsx [--part duties|boundaries|regimes|services] [--out <file>]
                         导出数据（默认输出到标准输出；xlsx 必须指定 --out）
  user create <username> --role admin|editor|reviewer|inspector|auditor
              [--office <科室名称>]... [--name <显示名>] [--password-stdin]
                         创建工作人员账号（不加 --password-stdin 时在终端提示输入密码）
  user reset-password <username> [--password-stdin]
                         重置密码（不加 --password-stdin 时生成临时密码并只显示一次）；
                         该用户的登录全部失效，下次登录时必须设置新密码
  user set-role <username> --role <角色> [--office <科室名称>]...
                         修改角色和所属科室；该用户的登录立即失效
  token create <username> [--days N] [--name <用途>]
                         创建接口令牌（只显示一次，仅保存其哈希；默认 90 天）
  token revoke <id>      吊销接口令牌
  token list [--json]    列出接口令牌（不显示令牌本身）
  complaints erase --before <YYYY-MM-DD>
                         删除此日期前办结的举报投诉的个人信息（保存期限到期）
  complaints examples [--format json|csv]
                         导出人工更正的分派样例（供评估职责查询）
  audit verify [--json]  校验审计日志哈希链，发现被修改、删除或调换的记录
  workdays add <date> <n>  计算 n 个工作日之后的日期（使用数据库中已载入的节假日通知）
  calendar import <file> [--replace] [--json]
                         载入国务院办公厅当年节假日安排通知（JSON，格式见 docs/calendar.md；记入审计日志）
  calendar list [--json] 已覆盖的年份及其来源（通知文号或 chinese-days）
  uscc check <code>      校验统一社会信用代码
  draw verify <file> [--commitment <commitHash | 承诺文本文件>]
                         根据公开文件复核随机抽取结果；给出抽取前公布的承诺时一并核对

环境变量 DATABASE_URL：sqlite:<路径>（默认 sqlite:./data/zhize.sqlite）或 postgres://…
`;

type DbCommand = (database: Database, args: string[], io: Io) => Promise<number>;

/** The commands that work on the database: a command, or a command with subcommands. */
const DB_COMMANDS: Record<string, DbCommand | Record<string, DbCommand>> = {
  import: cmdImport,
  check: cmdCheck,
  stats: cmdStats,
  export: cmdExport,
  user: { create: userCreate, 'reset-password': userResetPassword, 'set-role': userSetRole },
  audit: { verify: auditVerify },
  token: { create: tokenCreate, revoke: tokenRevoke, list: tokenList },
  complaints: { erase: complaintsErase, examples: complaintsExamples },
  calendar: { import: calendarImport, list: calendarList },
};

function dbCommand(command: string, rest: string[]): { run: DbCommand; args: string[] } | null {
  const entry = Object.hasOwn(DB_COMMANDS, command) ? DB_COMMANDS[command] : undefined;
  if (!entry) return null;
  if (typeof entry === 'function') return { run: entry, args: rest };
  const sub = rest[0] ?? '';
  const run = Object.hasOwn(entry, sub) ? entry[sub] : undefined;
  if (!run) throw new UsageError(`未知子命令 ${command} ${sub}`);
  return { run, args: rest.slice(1) };
}

export async function runCli(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const db = command === undefined ? null : dbCommand(command, rest);
    if (db) return await withDb((database) => db.run(database, db.args, io));
    switch (command) {
      case 'workdays':
        if (rest[0] !== 'add') usage(`未知子命令 workdays ${rest[0] ?? ''}`);
        await loadCalendarIfAny(io);
        return passthrough(workdaysAdd(rest.slice(1)), io);
      case 'uscc':
        return passthrough(
          rest[0] === 'check' ? usccCheck(rest.slice(1)) : usage(`未知子命令 uscc ${rest[0] ?? ''}`),
          io,
        );
      case 'draw':
        return passthrough(
          rest[0] === 'verify' ? drawVerify(rest.slice(1)) : usage(`未知子命令 draw ${rest[0] ?? ''}`),
          io,
        );
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`未知命令“${command}” / unknown command`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof ImportError) {
      io.err(`导入失败，数据库未改动 / import failed, database unchanged\n${e.message}\n`);
      return 1;
    }
    io.err(`${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

function usage(message: string): never {
  throw new UsageError(message);
}

function passthrough(r: { stdout: string; stderr: string; exitCode: number }, io: Io): number {
  if (r.stdout) io.out(r.stdout);
  if (r.stderr) io.err(r.stderr);
  return r.exitCode;
}

/**
 * Loads the database's holiday notices for `workdays add` when there is a database to read (an
 * existing SQLite file, or PostgreSQL); without one the chinese-days data alone answers.
 */
async function loadCalendarIfAny(io: Io): Promise<void> {
  const target = loadConfig().database;
  if (target.kind === 'sqlite' && (target.path === ':memory:' || !existsSync(target.path))) return;
  try {
    await withDb(async (database) => {
      await loadCalendar(database.db);
      return 0;
    });
  } catch (e) {
    io.err(
      `未能读取数据库中的节假日通知，仅使用 chinese-days 的数据：${e instanceof Error ? e.message : String(e)}\n`,
    );
  }
}

async function withDb(fn: (db: Database) => Promise<number>): Promise<number> {
  const database = openDatabase(loadConfig().database);
  try {
    await migrateToLatest(database);
    return await fn(database);
  } finally {
    await database.close();
  }
}

const isMain = process.argv[1] && import.meta.url.endsWith(basename(process.argv[1]));
if (isMain) {
  runCli(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
  }).then((code) => {
    process.exitCode = code;
  });
}
