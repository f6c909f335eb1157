import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { extname } from 'node:path';
import { loadConfig } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../http/errors.ts';
import {
  formatHealthReport,
  healthReport,
  importRegisterFile,
  seedLegalRegister,
} from '../../modules/registry/index.ts';
import { type Io, parse, UsageError } from './args.ts';

/** The register of legal instruments and the list-health report on the command line. */

const cliActor = () => ({ id: null, name: `cli:${userInfo().username}` });

/** `zhize health [--json]`: the list-health report; first-seen dates are recorded. */
export async function cmdHealth(database: Database, args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean' } });
  const report = await healthReport(database.db, {
    months: loadConfig().listAdjustMonths,
    record: { actor: cliActor() },
  });
  io.out(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatHealthReport(report));
  return 0;
}

/** `zhize legal seed`: adds the seed's instruments the register does not hold yet. */
export async function legalSeed(database: Database, args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean' } });
  const r = await seedLegalRegister(database.db, cliActor());
  io.out(
    values.json ? `${JSON.stringify(r)}\n` : `法规库：新增 ${r.created.length} 件，已有 ${r.unchanged} 件\n`,
  );
  return 0;
}

/** `zhize legal import <file.csv|file.json>`: updates to the register, audited. */
export async function legalImport(database: Database, args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' }, format: { type: 'string' } });
  const file = positionals[0];
  if (!file) throw new UsageError('请指定要导入的 CSV 或 JSON 文件 / missing <file>');
  const format = (values.format ?? (extname(file).toLowerCase() === '.json' ? 'json' : 'csv')) as string;
  if (format !== 'csv' && format !== 'json') throw new UsageError('--format 只能是 csv 或 json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    io.err(`无法读取文件 ${file}：${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
    return 1;
  }
  try {
    const r = await importRegisterFile(database.db, text, format, cliActor());
    io.out(
      values.json
        ? `${JSON.stringify(r)}\n`
        : `法规库导入完成：新增 ${r.created.length} 件，修改 ${r.updated.length} 件，不变 ${r.unchanged} 件\n`,
    );
    return 0;
  } catch (e) {
    if (e instanceof AppError) {
      io.err(`导入失败，法规库未改动：\n${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
