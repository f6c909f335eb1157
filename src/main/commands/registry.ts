import { readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Database, Tx } from '../../db/database.ts';
import { AppError } from '../../http/errors.ts';
import { decodeDocument } from '../../importer/decode.ts';
import { departmentKey } from '../../importer/names.ts';
import { actorOf, findAccountByUsername, type SessionUser } from '../../modules/auth/index.ts';
import { addChange, createChangeSet, transitionChangeSet } from '../../modules/changes/index.ts';
import {
  changesForReview,
  countRegistry,
  EXPORT_PARTS,
  type ExportPart,
  exportCsv,
  exportDataset,
  exportXlsx,
  formatQualityReport,
  IMPORT_ENTITY,
  type ImportPayload,
  type ImportReport,
  importDocument,
  isDataset,
  loadDataset,
  qualityReport,
  upsertSourceDocument,
} from '../../modules/registry/index.ts';
import { type Io, parse, UsageError } from './args.ts';
import { refusing } from './users.ts';

/** The registry's commands: import (a document or a JSON dataset), check, stats, export. */

export async function cmdImport(database: Database, args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    department: { type: 'string' },
    'dry-run': { type: 'boolean' },
    json: { type: 'boolean' },
    apply: { type: 'boolean' },
    as: { type: 'string' },
    yes: { type: 'boolean' },
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
  if (head.startsWith('{'))
    return importDataset(database, bytes, values['dry-run'] === true, values.json === true, io);
  return importText(database, bytes, file, values, io);
}

async function importDataset(
  database: Database,
  bytes: Buffer,
  dryRun: boolean,
  json: boolean,
  io: Io,
): Promise<number> {
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
  if (dryRun) {
    io.out(
      json
        ? `${JSON.stringify({ dryRun: true, tables: Object.keys(data.tables) })}\n`
        : '数据集格式正确（试运行，未写入）\n',
    );
    return 0;
  }
  const counts = await loadDataset(database, data);
  io.out(json ? `${JSON.stringify({ loaded: counts })}\n` : `已载入数据集：${JSON.stringify(counts)}\n`);
  return 0;
}

interface ImportFlags {
  department?: string | boolean;
  'dry-run'?: string | boolean;
  json?: string | boolean;
  apply?: string | boolean;
  as?: string | boolean;
  yes?: string | boolean;
}

/**
 * A document import. One that only adds records is applied. One that would change or remove
 * published records is, without --apply, proposed as a change set by the --as user (submitted for
 * review; nothing published changes until it is published); with --apply an admin (--as) applies
 * it after the removals and changes are listed and confirmed (--yes, or typing yes). --dry-run
 * prints the same plan and writes nothing.
 */
async function importText(database: Database, bytes: Buffer, file: string, values: ImportFlags, io: Io) {
  const username = values.as as string | undefined;
  const user = username === undefined ? null : await staffUser(database, username);
  if (username !== undefined && !user) {
    io.err(`找不到启用中的工作人员账号“${username}”\n`);
    return 1;
  }
  const options = {
    sourceName: basename(file),
    department: values.department as string | undefined,
    actor: user ? actorOf(user) : { id: null, name: `cli:${userInfo().username}` },
  };
  if (values['dry-run'] || values.apply) {
    const plan = await importDocument(database, bytes, { ...options, dryRun: true, allowChanges: true });
    const review = changesForReview(plan.changes);
    const route = !plan.needsReview ? 'apply' : values.apply ? 'apply-confirmed' : 'change-set';
    if (values['dry-run']) {
      if (values.json) io.out(`${JSON.stringify({ ...plan, route }, null, 2)}\n`);
      else io.out(`${formatImportReport(plan)}${planRoute(route, review)}`);
      return 0;
    }
    if (plan.needsReview) {
      if (user?.role !== 'admin') {
        io.err('--apply 直接改动已发布的记录，只有系统管理员可以使用：请加 --as <系统管理员用户名>\n');
        return 1;
      }
      io.err(`${reviewList(review)}\n`);
      if (!(await confirmed(values.yes === true, io))) {
        io.err('未确认，数据库未改动\n');
        return 1;
      }
    }
    const report = await importDocument(database, bytes, { ...options, allowChanges: true });
    io.out(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatImportReport(report));
    return 0;
  }
  // Applied when it only adds records; rolled back and reported as needing review otherwise.
  const plan = await importDocument(database, bytes, options);
  if (!plan.needsReview) {
    io.out(values.json ? `${JSON.stringify(plan, null, 2)}\n` : formatImportReport(plan));
    return 0;
  }
  const review = changesForReview(plan.changes);
  if (!user) {
    io.err(
      `${reviewList(review)}\n这次导入会删除或修改已发布的记录，须经审核后发布，数据库未改动：\n  用 --as <用户名> 把它提交为调整单（审核、发布后生效），或\n  由系统管理员用 --apply --as <用户名> 在确认后直接执行；--dry-run 只显示计划。\n`,
    );
    return 1;
  }
  return refusing(io, async () => {
    const setId = await proposeImport(database, bytes, plan, review, user);
    const text = `已提交调整单 ${setId}（待审核）：${review.removed} 条记录将被删除，${review.updated} 条将被修改；审核人发布后才生效，在此之前公众清单不变。\n`;
    io.out(values.json ? `${JSON.stringify({ changeSet: setId, status: 'submitted', ...review })}\n` : text);
    return 0;
  });
}

async function staffUser(database: Database, username: string): Promise<SessionUser | null> {
  const account = await findAccountByUsername(database.db, username);
  if (!account?.active) return null;
  return {
    id: account.id,
    username: account.username,
    displayName: account.username,
    role: account.role,
    officeIds: account.officeIds,
  };
}

type Review = ReturnType<typeof changesForReview>;

function reviewList(review: Review): string {
  const shown = review.lines.slice(0, 200);
  return [
    `这次导入将删除 ${review.removed} 条、修改 ${review.updated} 条已发布的记录：`,
    ...shown.map((l) => `  ${l}`),
    ...(review.lines.length > shown.length ? [`  ……另有 ${review.lines.length - shown.length} 条`] : []),
  ].join('\n');
}

function planRoute(route: string, review: Review): string {
  if (route === 'apply') return '  计划：只新增记录（或没有变化），将直接导入。\n';
  return `${reviewList(review)}\n  计划：${route === 'apply-confirmed' ? '系统管理员确认后直接执行（--apply）' : '提交为调整单，审核、发布后生效（--as <用户名>）'}。\n`;
}

async function confirmed(yes: boolean, io: Io): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY) {
    io.err('标准输入不是终端：确认上面列出的删除和修改后，请加 --yes 重新运行\n');
    return false;
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question('确认执行上面列出的删除和修改？输入 yes 确认：');
    return answer.trim().toLowerCase() === 'yes';
  } finally {
    rl.close();
  }
}

/** Stores the document and proposes its import as a change set of the user's, submitted for review. */
async function proposeImport(
  database: Database,
  bytes: Buffer,
  plan: ImportReport,
  review: Review,
  user: SessionUser,
): Promise<number> {
  const text = decodeDocument(bytes).text;
  const document = `${plan.source.name}（SHA-256 ${plan.source.sha256.slice(0, 16)}…）`;
  const f = plan.found;
  const planText = [
    reviewList(review),
    `导入后：主要职责 ${f.duties}，工作事项 ${f.workItems}，管理事项 ${f.boundaryMatters}，职责分工 ${f.shares}，监管制度 ${f.regimes}，公共服务事项 ${f.services}`,
  ].join('\n');
  return database.db.transaction().execute(async (tx) => {
    const target = await departmentIdOf(tx, plan.owners[0]!);
    const sourceDocumentId = await upsertSourceDocument(tx, plan, text);
    const setId = await createChangeSet(tx, user, {
      title: `导入 ${plan.source.name}`.slice(0, 200),
      reason: `重新导入 ${document}：删除 ${review.removed} 条、修改 ${review.updated} 条已发布的记录（zhize import 计算的计划见下方）`,
    });
    await addChange(tx, user, setId, {
      entity: IMPORT_ENTITY,
      op: 'update',
      targetId: target,
      payload: {
        sourceDocumentId,
        departments: plan.owners,
        document,
        plan: planText,
        fingerprint: plan.fingerprintBefore,
      } satisfies ImportPayload,
    });
    await transitionChangeSet(tx, user, setId, 'submit');
    return setId;
  });
}

async function departmentIdOf(db: Tx, name: string): Promise<number> {
  const key = departmentKey(name);
  const rows = await db.selectFrom('departments').select(['id', 'name']).execute();
  const hit = rows.find((d) => departmentKey(d.name) === key);
  if (!hit) throw new AppError(409, 'empty_registry', `清单中还没有“${name}”`);
  return hit.id;
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

export async function cmdCheck(database: Database, args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean' } });
  const report = await qualityReport(database.db);
  io.out(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatQualityReport(report));
  return 0;
}

export async function cmdStats(database: Database, args: string[], io: Io): Promise<number> {
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

export async function cmdExport(database: Database, args: string[], io: Io): Promise<number> {
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
