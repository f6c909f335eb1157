import { readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import type { Database } from '../../db/database.ts';
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
} from '../../modules/registry/index.ts';
import { type Io, parse, UsageError } from './args.ts';

/** The registry's commands: import (a document or a JSON dataset), check, stats, export. */

export async function cmdImport(database: Database, args: string[], io: Io): Promise<number> {
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
