import { readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { type Database, migrateToLatest, openDatabase } from '../db/database.ts';
import { AppError } from '../http/errors.ts';
import { ImportError } from '../importer/errors.ts';
import { verifyAudit } from '../modules/audit/index.ts';
import { createUser, ROLE_NAMES, ROLES, type Role } from '../modules/auth/index.ts';
import {
  countRegistry,
  EXPORT_PARTS,
  type ExportPart,
  exportCsv,
  exportDataset,
  exportXlsx,
  formatQualityReport,
  type ImportReport,
  importDocument,
  isDataset,
  loadDataset,
  qualityReport,
} from '../modules/registry/index.ts';
import { drawVerify, usccCheck, workdaysAdd } from './commands/supervision.ts';

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
  audit verify [--json]  校验审计日志哈希链，发现被修改、删除或调换的记录
  workdays add <date> <n>  计算 n 个工作日之后的日期
  uscc check <code>      校验统一社会信用代码
  draw verify <file>     根据公开文件复核随机抽取结果

环境变量 DATABASE_URL：sqlite:<路径>（默认 sqlite:./data/zhize.sqlite）或 postgres://…
`;

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

class UsageError extends Error {}

export async function runCli(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'import':
        return await withDb((db) => cmdImport(db, rest, io));
      case 'check':
        return await withDb((db) => cmdCheck(db, rest, io));
      case 'stats':
        return await withDb((db) => cmdStats(db, rest, io));
      case 'export':
        return await withDb((db) => cmdExport(db, rest, io));
      case 'user':
        if (rest[0] !== 'create') throw new UsageError(`未知子命令 user ${rest[0] ?? ''}`);
        return await withDb((db) => cmdUserCreate(db, rest.slice(1), io));
      case 'audit':
        if (rest[0] !== 'verify') throw new UsageError(`未知子命令 audit ${rest[0] ?? ''}`);
        return await withDb((db) => cmdAuditVerify(db, rest.slice(1), io));
      case 'workdays':
        return passthrough(
          rest[0] === 'add' ? workdaysAdd(rest.slice(1)) : usage(`未知子命令 workdays ${rest[0] ?? ''}`),
          io,
        );
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

async function withDb(fn: (db: Database) => Promise<number>): Promise<number> {
  const database = openDatabase(loadConfig().database);
  try {
    await migrateToLatest(database);
    return await fn(database);
  } finally {
    await database.close();
  }
}

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`参数有误：${e instanceof Error ? e.message : String(e)}`);
  }
}

async function cmdImport(database: Database, args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    department: { type: 'string' },
    'dry-run': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const file = positionals[0];
  if (!file) throw new UsageError('请指定要导入的文件 / missing <file>');
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    io.err(`无法读取文件 ${file}：${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
    return 1;
  }
  const head = bytes.subarray(0, 64).toString('utf8').trimStart();
  if (head.startsWith('{')) {
    let data: unknown;
    try {
      data = JSON.parse(bytes.toString('utf8'));
    } catch (e) {
      io.err(`JSON 数据集无法解析：${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
    if (!isDataset(data)) {
      io.err('这不是 zhize 导出的 JSON 数据集（缺少 format: "zhize-dataset"）\n');
      return 1;
    }
    if (values['dry-run']) {
      io.out(
        values.json
          ? `${JSON.stringify({ dryRun: true, tables: Object.keys(data.tables) })}\n`
          : '数据集格式正确（试运行，未写入）\n',
      );
      return 0;
    }
    const counts = await loadDataset(database, data);
    io.out(
      values.json ? `${JSON.stringify({ loaded: counts })}\n` : `已载入数据集：${JSON.stringify(counts)}\n`,
    );
    return 0;
  }
  const report = await importDocument(database, bytes, {
    sourceName: basename(file),
    department: values.department as string | undefined,
    dryRun: values['dry-run'] === true,
    actor: { id: null, name: `cli:${userInfo().username}` },
  });
  io.out(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatImportReport(report));
  return 0;
}

export function formatImportReport(r: ImportReport): string {
  const f = r.found;
  const lines = [
    `${r.dryRun ? '试运行（未写入数据库）' : '导入完成'}：${r.source.name}`,
    `  编码 ${r.source.encoding}，换行 ${r.source.lineEnding}，共 ${r.source.lines} 行，SHA-256 ${r.source.sha256.slice(0, 16)}…`,
    `  清单所属部门：${r.owners.join('、')}`,
    `  发现：部门 ${f.departments}，科室 ${f.offices}，主要职责 ${f.duties}，工作事项 ${f.workItems}，管理事项 ${f.boundaryMatters}，职责分工 ${f.shares}，相关依据 ${f.legalBases}，监管制度 ${f.regimes}，公共服务事项 ${f.services}`,
    `  修复版式问题 ${r.repairs.length} 处：`,
    ...r.repairs.map((p) => `    [第${p.part}部分 第 ${p.line} 行] ${p.message}`),
    `  合并名称写法 ${r.merges.length} 处：`,
    ...r.merges.map((m) => `    ${m.canonical} ← ${m.variants.join('、')}`),
  ];
  if (r.unchanged) {
    lines.push('  数据库中已是这些内容，没有任何变化。');
  } else {
    lines.push('  变化：');
    for (const [entity, c] of Object.entries(r.changes)) {
      if (c.added + c.updated + c.removed === 0) continue;
      lines.push(`    ${entity}：新增 ${c.added}，修改 ${c.updated}，删除 ${c.removed}，不变 ${c.unchanged}`);
      for (const d of c.details.slice(0, 20)) lines.push(`      ${d}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

async function cmdCheck(database: Database, args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean' } });
  const report = await qualityReport(database.db);
  io.out(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatQualityReport(report));
  return 0;
}

async function cmdStats(database: Database, args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean' } });
  const c = await countRegistry(database.db);
  if (values.json) {
    io.out(`${JSON.stringify(c)}\n`);
  } else {
    io.out(
      `部门 ${c.departments}\n科室 ${c.offices}\n主要职责 ${c.duties}\n工作事项 ${c.workItems}\n管理事项 ${c.boundaryMatters}\n职责分工 ${c.shares}\n相关依据 ${c.legalBases}\n监管制度 ${c.regimes}\n公共服务事项 ${c.services}\n`,
    );
  }
  return 0;
}

async function cmdExport(database: Database, args: string[], io: Io): Promise<number> {
  const { values } = parse(args, {
    format: { type: 'string' },
    part: { type: 'string' },
    out: { type: 'string' },
  });
  const format = values.format ?? 'json';
  const part = (values.part ?? 'duties') as ExportPart;
  if (!['json', 'csv', 'xlsx'].includes(format as string))
    throw new UsageError(`--format 只能是 json、csv 或 xlsx`);
  if (!EXPORT_PARTS.includes(part)) throw new UsageError(`--part 只能是 ${EXPORT_PARTS.join('、')}`);
  const out = values.out as string | undefined;
  let payload: string | Buffer;
  if (format === 'json') payload = `${JSON.stringify(await exportDataset(database.db), null, 2)}\n`;
  else if (format === 'csv') payload = await exportCsv(database.db, part);
  else {
    if (!out) throw new UsageError('xlsx 是二进制文件，请用 --out <文件> 指定输出位置');
    payload = await exportXlsx(database.db);
  }
  if (out) {
    writeFileSync(out, payload);
    io.err(`已写入 ${out}\n`);
  } else {
    io.out(typeof payload === 'string' ? payload : payload.toString('utf8'));
  }
  return 0;
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

async function readPassword(io: Io, fromStdin: boolean): Promise<string> {
  if (fromStdin) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  }
  if (!process.stdin.isTTY)
    throw new UsageError('标准输入不是终端：请用 --password-stdin 从标准输入提供密码');
  const ask = (prompt: string) =>
    new Promise<string>((resolve) => {
      io.err(prompt);
      const stdin = process.stdin;
      stdin.setRawMode(true);
      stdin.resume();
      let value = '';
      const onData = (buf: Buffer) => {
        for (const ch of buf.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            stdin.setRawMode(false);
            stdin.pause();
            stdin.off('data', onData);
            io.err('\n');
            resolve(value);
            return;
          }
          if (ch === '\u0003') process.exit(130);
          if (ch === '\u007f') value = value.slice(0, -1);
          else value += ch;
        }
      };
      stdin.on('data', onData);
    });
  const first = await ask('密码：');
  const second = await ask('再次输入密码：');
  if (first !== second) throw new UsageError('两次输入的密码不一致');
  return first;
}

async function cmdUserCreate(database: Database, args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    role: { type: 'string' },
    office: { type: 'string', multiple: true },
    name: { type: 'string' },
    'password-stdin': { type: 'boolean' },
  });
  const username = positionals[0];
  if (!username) throw new UsageError('请指定用户名');
  const role = values.role as Role | undefined;
  if (!role || !ROLES.includes(role)) throw new UsageError(`--role 必须是：${ROLES.join('、')}`);
  const officeNames = (values.office as string[] | undefined) ?? [];
  const officeIds: number[] = [];
  for (const name of officeNames) {
    const o = await database.db
      .selectFrom('offices')
      .leftJoin('office_aliases', 'office_aliases.office_id', 'offices.id')
      .select('offices.id')
      .where((eb) => eb.or([eb('offices.name', '=', name), eb('office_aliases.alias', '=', name)]))
      .executeTakeFirst();
    if (!o) {
      io.err(`找不到科室“${name}”\n`);
      return 1;
    }
    officeIds.push(o.id);
  }
  const password = await readPassword(io, values['password-stdin'] === true);
  try {
    const user = await database.db.transaction().execute((tx) =>
      createUser(tx, {
        username,
        displayName: values.name as string | undefined,
        role,
        password,
        officeIds,
        actor: { id: null, name: `cli:${userInfo().username}` },
      }),
    );
    io.out(`已创建用户 ${user.username}（${ROLE_NAMES[user.role]}）\n`);
    return 0;
  } catch (e) {
    if (e instanceof AppError) {
      io.err(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

async function cmdAuditVerify(database: Database, args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean' } });
  const result = await verifyAudit(database.db);
  if (values.json) {
    io.out(`${JSON.stringify(result, null, 2)}\n`);
  } else if (result.ok) {
    io.out(`审计日志完整：共 ${result.entries} 条，链头哈希 ${result.headHash}\n`);
  } else {
    io.out(
      `审计日志已被篡改（共 ${result.entries} 条）：\n${result.problems.map((p) => `  ${p.message}`).join('\n')}\n`,
    );
  }
  return result.ok ? 0 : 1;
}
