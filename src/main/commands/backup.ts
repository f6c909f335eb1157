import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, statSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import type { Config } from '../../config.ts';
import { migrateToLatest, openDatabase } from '../../db/database.ts';
import { verifyAudit } from '../../modules/audit/index.ts';
import { countRegistry } from '../../modules/registry/index.ts';
import { type Io, parseOptions, UsageError } from './io.ts';

/**
 * `zhize backup <file>` and `zhize restore <file>`.
 *
 * SQLite: the online backup API (better-sqlite3's `backup`), consistent while the server runs and
 * writes; restore copies the file into place when the target database is empty (or absent), then
 * migrates and verifies it. PostgreSQL: the documented pg_dump / pg_restore lines, run when the
 * tools are on PATH (their major version must match the server's):
 *
 *     pg_dump --format=custom --no-owner --no-privileges --file <file> "$DATABASE_URL"
 *     pg_restore --no-owner --no-privileges --exit-on-error --dbname "$DATABASE_URL" <file>
 *
 * After a restore the command prints the record counts and verifies the audit chain (exit 1 when
 * the chain does not verify).
 */

export const PG_DUMP_ARGS = (file: string, url: string) => [
  '--format=custom',
  '--no-owner',
  '--no-privileges',
  '--file',
  file,
  url,
];
export const PG_RESTORE_ARGS = (file: string, url: string) => [
  '--no-owner',
  '--no-privileges',
  '--exit-on-error',
  '--dbname',
  url,
  file,
];

const fileArg = (args: string[], command: string): string => {
  const { positionals } = parseOptions(args, {});
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new UsageError(`用法：zhize ${command} <文件>`);
  return file;
};

function runTool(tool: string, args: string[], io: Io): number {
  const r = spawnSync(tool, args, { encoding: 'utf8' });
  if (r.error) {
    io.err(
      `未找到 ${tool}：请安装与数据库服务器同一主版本的 PostgreSQL 客户端工具，或手工运行：\n  ${tool} ${args.join(' ')}\n`,
    );
    return 1;
  }
  if (r.stderr) io.err(r.stderr);
  return r.status ?? 1;
}

export async function backupCommand(config: Config, args: string[], io: Io): Promise<number> {
  const file = fileArg(args, 'backup');
  if (existsSync(file)) throw new UsageError(`备份文件 ${file} 已存在：请指定一个新文件`);
  const target = config.database;
  if (target.kind === 'postgres') {
    const code = runTool('pg_dump', PG_DUMP_ARGS(file, target.url), io);
    if (code === 0)
      io.out(`已备份到 ${file}（pg_dump 自定义格式；用 zhize restore ${file} 恢复到空数据库）\n`);
    return code;
  }
  if (target.path === ':memory:' || !existsSync(target.path)) {
    throw new UsageError(`没有可备份的 SQLite 数据库：${target.path}`);
  }
  const source = new SQLite(target.path, { readonly: true, fileMustExist: true });
  try {
    // The online backup: pages copied in steps, consistent even while the server writes.
    await source.backup(file);
  } finally {
    source.close();
  }
  io.out(`已备份到 ${file}（${Math.round(statSync(file).size / 1024)} KB，SQLite 在线备份）\n`);
  return 0;
}

/** Tables whose rows make a database "not empty": its lists, its accounts, its audit trail. */
const DATA_TABLES = ['departments', 'users', 'audit_log', 'complaints', 'regulated_entities'];

/** Rows in the target's data tables (0 for a new or only-migrated database). */
async function userRows(config: Config): Promise<number> {
  const database = openDatabase(config.database);
  try {
    const tables =
      database.dialect === 'postgres'
        ? (
            await sql<{
              name: string;
            }>`select tablename as name from pg_tables where schemaname = 'public'`.execute(database.db)
          ).rows
        : (
            await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(
              database.db,
            )
          ).rows;
    let rows = 0;
    for (const { name } of tables) {
      if (!DATA_TABLES.includes(name)) continue;
      const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(name)}`.execute(database.db);
      rows += Number(r.rows[0]!.n);
    }
    return rows;
  } finally {
    await database.close();
  }
}

export async function restoreCommand(config: Config, args: string[], io: Io): Promise<number> {
  const file = fileArg(args, 'restore');
  if (!existsSync(file)) throw new UsageError(`备份文件 ${file} 不存在`);
  const target = config.database;
  if (target.kind === 'sqlite') {
    if (target.path === ':memory:')
      throw new UsageError('不能恢复到内存数据库：请在 DATABASE_URL 中指定文件');
    if (existsSync(target.path) && statSync(target.path).size > 0 && (await userRows(config)) > 0) {
      io.err(
        `目标数据库 ${target.path} 不是空的：只能恢复到空数据库（请换一个 DATABASE_URL 或先移走原文件）\n`,
      );
      return 1;
    }
    const check = new SQLite(file, { readonly: true, fileMustExist: true });
    try {
      const result = check.pragma('integrity_check', { simple: true });
      if (result !== 'ok') {
        io.err(`备份文件已损坏：${String(result)}\n`);
        return 1;
      }
    } catch (e) {
      io.err(`不是 SQLite 备份文件：${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    } finally {
      check.close();
    }
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(`${target.path}${suffix}`)) {
        io.err(`目标数据库 ${target.path} 仍有 ${suffix} 文件：请先停止使用它的服务\n`);
        return 1;
      }
    }
    copyFileSync(file, target.path);
  } else {
    if ((await userRows(config)) > 0) {
      io.err('目标 PostgreSQL 数据库不是空的：只能恢复到空数据库（createdb 新建一个，再设 DATABASE_URL）\n');
      return 1;
    }
    // A migrated but empty database: clear its tables, which pg_restore would collide with.
    const database = openDatabase(target);
    try {
      await sql`drop schema public cascade`.execute(database.db);
      await sql`create schema public`.execute(database.db);
    } finally {
      await database.close();
    }
    const code = runTool('pg_restore', PG_RESTORE_ARGS(file, target.url), io);
    if (code !== 0) return code;
  }
  const database = openDatabase(target);
  try {
    await migrateToLatest(database);
    const counts = await countRegistry(database.db);
    const audit = await verifyAudit(database.db);
    io.out(
      `已恢复 ${file}\n${Object.entries(counts)
        .map(([k, v]) => `  ${k} ${v}`)
        .join('\n')}\n`,
    );
    io.out(
      audit.ok
        ? `审计日志完整：共 ${audit.entries} 条，链头哈希 ${audit.headHash}\n`
        : `审计日志校验失败：\n${audit.problems.map((p) => `  ${p.message}`).join('\n')}\n`,
    );
    return audit.ok ? 0 : 1;
  } finally {
    await database.close();
  }
}
