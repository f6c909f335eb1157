import { readFileSync } from 'node:fs';
import { CsvError, parse } from 'csv-parse/sync';
import { type DbOrTx, dialectOf, type Tx } from '../../../db/database.ts';
import { AppError } from '../../../http/errors.ts';
import { type Actor, appendAudit } from '../../audit/index.ts';
import { rebuildSearchIndex } from '../../search/index.ts';
import {
  findInstrumentByTitle,
  type InstrumentValues,
  insertInstrument,
  namesOfInstrument,
  ownerOfName,
  replaceNames,
  setSuccessor,
  updateInstrument,
  valuesOf,
} from './legal.repo.ts';
import { InstrumentInput, SeedFile } from './legal.schema.ts';

/**
 * Writing the register: the seed (the facts of legal-status.md, with their sources) and an
 * admin's import of updates as CSV or JSON. Each run is one transaction; every instrument created
 * or changed is one audit entry (before and after) in it.
 */

const SEED_URL = new URL('./legal-instruments.seed.json', import.meta.url);

export function readSeed(): SeedFile {
  return SeedFile.parse(JSON.parse(readFileSync(SEED_URL, 'utf8')));
}

async function inTx<T>(db: DbOrTx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Tx) : db.transaction().execute(fn);
}

export interface RegisterWriteReport {
  created: string[];
  updated: string[];
  unchanged: number;
}

/**
 * Adds the seed's instruments that the register does not hold yet (by title); an instrument an
 * admin has since changed is left as it is. Running it again changes nothing.
 */
export async function seedLegalRegister(db: DbOrTx, actor: Actor): Promise<RegisterWriteReport> {
  const seed = readSeed();
  return inTx(db, async (tx) => {
    const report: RegisterWriteReport = { created: [], updated: [], unchanged: 0 };
    const fresh: Array<{ id: number; successor: string | null }> = [];
    for (const s of seed.instruments) {
      if (await findInstrumentByTitle(tx, s.title)) {
        report.unchanged++;
        continue;
      }
      const values: InstrumentValues = {
        title: s.title,
        level: s.level,
        issuer: s.issuer,
        docNumber: s.docNumber,
        status: s.status,
        promulgatedOn: s.promulgatedOn,
        effectiveOn: s.effectiveOn,
        statusDate: s.statusDate,
        successorId: null,
        successorRelation: s.successorRelation,
        successorText: s.successorText,
        affectsLists: s.affectsLists,
        note: s.note,
        source: s.sources.join('；'),
        sourceCheckedOn: s.checkedOn,
        confirmed: false,
      };
      const id = await insertInstrument(tx, values);
      await replaceNames(tx, id, 'alias', s.aliases);
      await replaceNames(
        tx,
        id,
        'subject',
        s.subjects.map((x) => x.term),
      );
      fresh.push({ id, successor: s.successor });
      report.created.push(s.title);
      await appendAudit(tx, {
        actor,
        action: 'seed',
        entity: 'legal_instrument',
        entityId: id,
        after: { ...values, aliases: s.aliases, subjects: s.subjects.map((x) => x.term) },
      });
    }
    for (const f of fresh) {
      if (!f.successor) continue;
      const succ = await findInstrumentByTitle(tx, f.successor);
      if (succ) await setSuccessor(tx, f.id, succ.id);
    }
    await refreshSearch(tx, report);
    return report;
  });
}

/** English keys and the Chinese column names an admin's spreadsheet (or flk.npc.gov.cn's export) uses. */
const COLUMNS: Record<string, keyof InstrumentInput> = {
  title: 'title',
  名称: 'title',
  标题: 'title',
  level: 'level',
  效力级别: 'level',
  法律性质: 'level',
  issuer: 'issuer',
  制定机关: 'issuer',
  docNumber: 'docNumber',
  文号: 'docNumber',
  status: 'status',
  时效性: 'status',
  状态: 'status',
  promulgatedOn: 'promulgatedOn',
  公布日期: 'promulgatedOn',
  effectiveOn: 'effectiveOn',
  施行日期: 'effectiveOn',
  statusDate: 'statusDate',
  变化日期: 'statusDate',
  successor: 'successor',
  替代或修改它的文件: 'successor',
  successorRelation: 'successorRelation',
  关系: 'successorRelation',
  successorText: 'successorText',
  替代或修改情况: 'successorText',
  affectsLists: 'affectsLists',
  需调整清单: 'affectsLists',
  note: 'note',
  说明: 'note',
  source: 'source',
  信息来源: 'source',
  sourceCheckedOn: 'sourceCheckedOn',
  核对日期: 'sourceCheckedOn',
  confirmed: 'confirmed',
  已与官方文本核对: 'confirmed',
  aliases: 'aliases',
  其他名称: 'aliases',
  subjects: 'subjects',
  主题词: 'subjects',
};

/** The rows of an import file: a JSON array (or `{ instruments: [...] }`) or CSV with a header row. */
export function parseRegisterFile(text: string, format: 'csv' | 'json'): Array<Record<string, unknown>> {
  const body = text.replace(/^\ufeff/, '');
  if (format === 'json') {
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch {
      throw new AppError(400, 'invalid_json', 'JSON 无法解析：请检查括号、引号和逗号');
    }
    const list = Array.isArray(data) ? data : (data as { instruments?: unknown })?.instruments;
    if (!Array.isArray(list))
      throw new AppError(400, 'invalid_json', 'JSON 应为数组，或含 instruments 数组的对象');
    return list.map((r) => normaliseKeys((r ?? {}) as Record<string, unknown>));
  }
  let rows: Array<Record<string, string>>;
  try {
    rows = parse(body, { columns: true, skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (e) {
    const line = e instanceof CsvError ? ((e as CsvError & { lines?: number }).lines ?? 0) : 0;
    throw new AppError(400, 'invalid_csv', `CSV 格式有误（第 ${line} 行）：字段内的引号应写成两个引号 ""`);
  }
  return rows.map((r) => normaliseKeys(r));
}

function normaliseKeys(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) {
    const key = COLUMNS[k.trim()];
    if (key) out[key] = v;
  }
  return out;
}

/**
 * Imports updates to the register: each row creates the instrument of its title or updates it.
 * All rows are checked first; one bad row refuses the whole file (400, every problem with its row
 * number) and nothing is written. The successor is named by title and must be in the register
 * or in the same file.
 */
export async function importRegisterRows(
  db: DbOrTx,
  rows: ReadonlyArray<Record<string, unknown>>,
  actor: Actor,
): Promise<RegisterWriteReport> {
  if (rows.length === 0)
    throw new AppError(400, 'empty_import', '文件中没有任何记录：第一行应为列名，之后每行一件文件');
  const problems: string[] = [];
  const parsed: InstrumentInput[] = [];
  rows.forEach((raw, i) => {
    const r = InstrumentInput.safeParse(raw);
    if (r.success) parsed.push(r.data);
    else problems.push(`第 ${i + 1} 条：${r.error.issues.map((x) => x.message).join('；')}`);
  });
  const titles = new Set<string>();
  parsed.forEach((p, i) => {
    if (titles.has(p.title)) problems.push(`第 ${i + 1} 条：《${p.title}》在文件中出现了两次，请合并为一行`);
    titles.add(p.title);
  });
  return inTx(db, async (tx) => {
    for (const [i, p] of parsed.entries()) {
      if (p.successor && !titles.has(p.successor) && !(await findInstrumentByTitle(tx, p.successor)))
        problems.push(`第 ${i + 1} 条：替代或修改它的《${p.successor}》不在法规库中，请在同一文件中一并导入`);
      if (p.successor === p.title) problems.push(`第 ${i + 1} 条：文件不能替代它自己`);
      const existing = await findInstrumentByTitle(tx, p.title);
      for (const a of p.aliases) {
        const owner = await ownerOfName(tx, a, existing?.id ?? null);
        if (owner) problems.push(`第 ${i + 1} 条：其他名称“${a}”已属于《${owner}》`);
      }
    }
    if (problems.length) throw new AppError(400, 'invalid_import', problems.join('\n'), problems);

    const before = new Map<string, unknown>();
    for (const p of parsed) {
      const row = await findInstrumentByTitle(tx, p.title);
      if (row) before.set(p.title, { ...valuesOf(row), ...(await namesOfInstrument(tx, row.id)) });
    }
    const report: RegisterWriteReport = { created: [], updated: [], unchanged: 0 };
    const ids = new Map<string, number>();
    for (const p of parsed) {
      const existing = await findInstrumentByTitle(tx, p.title);
      const values: InstrumentValues = {
        title: p.title,
        level: p.level,
        issuer: p.issuer,
        docNumber: p.docNumber,
        status: p.status,
        promulgatedOn: p.promulgatedOn,
        effectiveOn: p.effectiveOn,
        statusDate: p.statusDate,
        successorId: existing?.successor_id ?? null,
        successorRelation: p.successorRelation,
        successorText: p.successorText,
        affectsLists: p.affectsLists,
        note: p.note,
        source: p.source,
        sourceCheckedOn: p.sourceCheckedOn,
        confirmed: p.confirmed,
      };
      const id = existing ? existing.id : await insertInstrument(tx, values);
      if (existing) await updateInstrument(tx, id, values);
      ids.set(p.title, id);
      // An empty list keeps the names the instrument has (a spreadsheet without the column).
      if (!existing || p.aliases.length) await replaceNames(tx, id, 'alias', p.aliases);
      if (!existing || p.subjects.length) await replaceNames(tx, id, 'subject', p.subjects);
    }
    // Successors once every row exists; then one audit entry per instrument created or changed.
    for (const p of parsed) {
      const successorId = p.successor
        ? (ids.get(p.successor) ?? (await findInstrumentByTitle(tx, p.successor))!.id)
        : null;
      await setSuccessor(tx, ids.get(p.title)!, successorId);
    }
    for (const p of parsed) {
      const id = ids.get(p.title)!;
      const row = (await findInstrumentByTitle(tx, p.title))!;
      const after = { ...valuesOf(row), ...(await namesOfInstrument(tx, id)) };
      const b = before.get(p.title);
      if (b === undefined) report.created.push(p.title);
      else if (JSON.stringify(b) === JSON.stringify(after)) {
        report.unchanged++;
        continue;
      } else report.updated.push(p.title);
      await appendAudit(tx, {
        actor,
        action: b === undefined ? 'create' : 'update',
        entity: 'legal_instrument',
        entityId: id,
        before: b ?? null,
        after,
      });
    }
    await refreshSearch(tx, report);
    return report;
  });
}

/** The resolver's reasons repeat the register's warnings: its index is rebuilt when the register changed. */
async function refreshSearch(tx: Tx, report: RegisterWriteReport): Promise<void> {
  if (report.created.length === 0 && report.updated.length === 0) return;
  const any = await tx.selectFrom('departments').select('id').limit(1).executeTakeFirst();
  if (any) await rebuildSearchIndex(tx, dialectOf(tx));
}

/** Imports a CSV or JSON file of updates (see importRegisterRows). */
export async function importRegisterFile(
  db: DbOrTx,
  text: string,
  format: 'csv' | 'json',
  actor: Actor,
): Promise<RegisterWriteReport> {
  return importRegisterRows(db, parseRegisterFile(text, format), actor);
}
