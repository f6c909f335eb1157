import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { Tx } from '../../../db/database.ts';
import { nowIso } from '../../../db/database.ts';
import { AppError } from '../../../http/errors.ts';
import { chunksOf } from '../../../lib/chunks.ts';
import { appendAudit } from '../../audit/index.ts';
import { actorOf, type SessionUser } from '../../auth/index.ts';
import {
  ENTITY_CATEGORIES,
  ENTITY_STATUS_NAME,
  ENTITY_STATUSES,
  RISK_CLASS_NAME,
  RISK_CLASSES,
} from '../reference/index.ts';
import { CsvSyntaxError, decodeCsv, parseCsv, toCsv } from '../shared/csv.ts';
import { reachOf, type SupervisionReach, touchesCategories } from '../shared/reach.ts';
import { type ZipLimits, zipProblem } from '../shared/zip-guard.ts';
import { entityAbilities } from './entity.policy.ts';
import {
  categoriesOutOfReach,
  checkEntity,
  ENTITY_COLUMNS,
  type EntityField,
  type EntityValues,
  type FieldError,
  listCounties,
  type RawEntity,
  reachError,
  rowOf,
} from './entity.service.ts';

/**
 * Bulk import of the entity register from CSV or XLSX, all or nothing: every row is checked first;
 * one bad row refuses the whole file and nothing is written. Each problem names the spreadsheet row
 * (the heading is row 1), the column and the reason, in Chinese. A code already in the register
 * updates that entity; a code twice in the file is refused.
 */

export const MAX_IMPORT_ROWS = 100_000;
/** The largest file read (the upload form's limit, src/modules/supervision/shared/multipart.ts). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
/** An XLSX is a ZIP: checked before ExcelJS inflates anything (shared/zip-guard.ts). */
export const XLSX_LIMITS: ZipLimits = { maxEntries: 1000, maxTotalBytes: 80 * 1024 * 1024, maxRatio: 500 };
/** Problems listed in a refusal; the count of the rest is added. */
export const MAX_LISTED_ERRORS = 200;

export interface RowError {
  /** Spreadsheet row number (heading = 1); 0 for the file as a whole. */
  row: number;
  column: string;
  reason: string;
}

export class ImportRefused extends AppError {
  constructor(
    readonly errors: RowError[],
    readonly totalErrors: number,
  ) {
    super(
      400,
      'import_refused',
      `导入被拒绝：发现 ${totalErrors} 处问题，整个文件均未导入。请修改后重新上传。`,
      errors,
    );
  }
}

export interface ImportResult {
  rows: number;
  created: number;
  updated: number;
  sha256: string;
}

interface SheetRow {
  row: number;
  cells: string[];
  /** Columns whose cell was a number in the spreadsheet (an 18-digit code loses digits). */
  numeric: Set<number>;
  /** Columns whose cell was a formula (its cached result may say anything). */
  formula?: Set<number>;
}

const refuse = (errors: RowError[]): never => {
  throw new ImportRefused(errors.slice(0, MAX_LISTED_ERRORS), errors.length);
};

function isXlsx(filename: string, data: Buffer): boolean {
  return /\.xlsx$/i.test(filename) || (data[0] === 0x50 && data[1] === 0x4b); // zip "PK"
}

async function readXlsx(data: Buffer): Promise<SheetRow[]> {
  const problem = zipProblem(data, XLSX_LIMITS);
  if (problem) return refuse([{ row: 0, column: '文件', reason: problem }]);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    return refuse([
      { row: 0, column: '文件', reason: '无法读取该 Excel 文件，请确认是 .xlsx 格式（不支持旧的 .xls）' },
    ]);
  }
  const sheet = wb.worksheets.find((w) => w.name === '检查对象') ?? wb.worksheets[0];
  if (!sheet) return refuse([{ row: 0, column: '文件', reason: 'Excel 文件中没有工作表' }]);
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    const numeric = new Set<number>();
    const formula = new Set<number>();
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.value);
      if (typeof cell.value === 'number') numeric.add(col - 1);
      const v = cell.value;
      if (typeof v === 'object' && v !== null && ('formula' in v || 'sharedFormula' in v))
        formula.add(col - 1);
    });
    rows.push({ row: rowNumber, cells: Array.from(cells, (c) => c ?? ''), numeric, formula });
  });
  return rows;
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return String(v.text);
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('error' in v) return '';
  }
  return String(v);
}

/** Excel's serial day number (1 = 1900-01-01, with Excel's 1900 leap-year quirk) as YYYY-MM-DD. */
function excelSerialDate(text: string): string {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 1 || n > 2_958_465) return text;
  return new Date(Date.UTC(1899, 11, 30) + Math.floor(n) * 86_400_000).toISOString().slice(0, 10);
}

function readCsvRows(data: Buffer): SheetRow[] {
  try {
    // Rows are counted as a spreadsheet program shows them: one per record, heading = 1.
    return parseCsv(decodeCsv(data)).map((r, i) => ({ row: i + 1, cells: r.fields, numeric: new Set() }));
  } catch (e) {
    if (e instanceof CsvSyntaxError) return refuse([{ row: 0, column: '文件', reason: e.message }]);
    throw e;
  }
}

/** Reads the file into raw entities keyed by spreadsheet row, or refuses it. */
export async function readEntityFile(
  filename: string,
  data: Buffer,
): Promise<Array<{ row: number; raw: RawEntity }>> {
  if (data.length === 0) refuse([{ row: 0, column: '文件', reason: '文件为空' }]);
  if (data.length > MAX_IMPORT_BYTES)
    refuse([
      {
        row: 0,
        column: '文件',
        reason: `文件有 ${(data.length / 1024 / 1024).toFixed(1)} MB，超过上限 ${MAX_IMPORT_BYTES / 1024 / 1024} MB；请分成几个文件导入`,
      },
    ]);
  const rows = isXlsx(filename, data) ? await readXlsx(data) : readCsvRows(data);
  const header = rows[0];
  if (!header) return refuse([{ row: 0, column: '文件', reason: '文件中没有内容' }]);
  const errors: RowError[] = [];
  const index = new Map<EntityField, number>();
  header.cells.forEach((h, i) => {
    const label = h
      .replace(/^\ufeff/, '')
      .replace(/[*＊（(]必填[)）]/g, '')
      .trim();
    const column = ENTITY_COLUMNS.find((c) => c.label === label || c.field === label);
    if (column) index.set(column.field, i);
  });
  for (const c of ENTITY_COLUMNS) {
    if (c.required && !index.has(c.field)) {
      errors.push({ row: header.row, column: c.label, reason: `表头缺少“${c.label}”列（请使用导入模板）` });
    }
  }
  if (errors.length > 0) refuse(errors);
  const body = rows.slice(1).filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (body.length === 0) refuse([{ row: 0, column: '文件', reason: '文件中只有表头，没有数据行' }]);
  if (body.length > MAX_IMPORT_ROWS) {
    refuse([
      { row: 0, column: '文件', reason: `一次最多导入 ${MAX_IMPORT_ROWS} 行，本文件有 ${body.length} 行` },
    ]);
  }
  const usccCol = index.get('uscc')!;
  const numericErrors: RowError[] = [];
  const out = body.map((r) => {
    const cell = (f: EntityField) => {
      const i = index.get(f);
      if (i === undefined) return '';
      const v = r.cells[i] ?? '';
      // A date typed into a cell Excel keeps as a number arrives as its serial day number.
      if (r.numeric.has(i) && (f === 'licenceValidFrom' || f === 'licenceValidUntil'))
        return excelSerialDate(v);
      return v;
    };
    if (r.numeric.has(usccCol)) {
      numericErrors.push({
        row: r.row,
        column: '统一社会信用代码',
        reason: '该单元格是数字格式，18位代码会被 Excel 改写（丢失末几位）；请把此列设为“文本”后重新填写',
      });
    }
    return {
      row: r.row,
      raw: {
        name: cell('name'),
        uscc: cell('uscc'),
        categories: [cell('categories')],
        county: cell('county'),
        licenceNo: cell('licenceNo'),
        licenceValidFrom: cell('licenceValidFrom'),
        licenceValidUntil: cell('licenceValidUntil'),
        status: cell('status'),
        riskClass: cell('riskClass'),
        address: cell('address'),
      } satisfies RawEntity,
    };
  });
  if (numericErrors.length > 0) refuse(numericErrors);
  const formulaErrors = formulaCells(body, header.cells);
  if (formulaErrors.length > 0) refuse(formulaErrors);
  return out;
}

/** A text a spreadsheet program would run as a formula (=, +, @, or - before a non-digit). */
const FORMULA_TEXT = /^(?:[=+@\t\r]|-[^\d])/;

/**
 * Formula cells are refused: in an XLSX the cached result may say anything, and a text that
 * starts like a formula would run when the register is opened in a spreadsheet program.
 */
function formulaCells(rows: SheetRow[], header: string[]): RowError[] {
  const errors: RowError[] = [];
  for (const r of rows) {
    r.cells.forEach((c, i) => {
      const column = header[i]?.trim() || `第 ${i + 1} 列`;
      if (r.formula?.has(i))
        errors.push({ row: r.row, column, reason: '这是公式单元格：请复制后“粘贴为数值”再导入' });
      else if (FORMULA_TEXT.test(c.trimStart()))
        errors.push({
          row: r.row,
          column,
          reason: `内容以“${c.trimStart()[0] === '\t' ? '制表符' : c.trimStart()[0]}”开头，会被电子表格当作公式执行：请删去开头的符号`,
        });
    });
  }
  return errors;
}

/** Validates every row and the codes' uniqueness within the file; refuses with all problems. */
export async function checkEntityRows(
  tx: Tx,
  rows: Array<{ row: number; raw: RawEntity }>,
): Promise<Array<{ row: number; value: EntityValues }>> {
  const counties = await listCounties(tx);
  const errors: RowError[] = [];
  const good: Array<{ row: number; value: EntityValues }> = [];
  const firstRowOf = new Map<string, number>();
  for (const r of rows) {
    const checked = checkEntity(r.raw, counties);
    if (!checked.ok) {
      errors.push(
        ...checked.errors.map((e: FieldError) => ({ row: r.row, column: e.column, reason: e.reason })),
      );
      continue;
    }
    const earlier = firstRowOf.get(checked.value.uscc);
    if (earlier !== undefined) {
      errors.push({
        row: r.row,
        column: '统一社会信用代码',
        reason: `统一社会信用代码 ${checked.value.uscc} 与第 ${earlier} 行重复`,
      });
      continue;
    }
    firstRowOf.set(checked.value.uscc, r.row);
    good.push({ row: r.row, value: checked.value });
  }
  if (errors.length > 0) refuse(errors);
  return good;
}

/**
 * A narrowed editor's file: every row must stay within their offices' categories — a new entity's
 * categories all theirs, an existing one of theirs, and no category outside their reach added or
 * removed. Otherwise the whole file is refused with the rows named.
 */
async function refuseOutOfReach(
  tx: Tx,
  reach: SupervisionReach,
  rows: Array<{ row: number; value: EntityValues }>,
  existing: ReadonlyMap<string, number>,
): Promise<void> {
  const ids = [...existing.values()];
  const stored = new Map<number, string[]>();
  for (const chunk of chunksOf(ids)) {
    const links = await tx
      .selectFrom('regulated_entity_categories')
      .select(['entity_id', 'category_code'])
      .where('entity_id', 'in', chunk)
      .execute();
    for (const l of links) stored.set(l.entity_id, [...(stored.get(l.entity_id) ?? []), l.category_code]);
  }
  const errors: RowError[] = [];
  for (const { row, value } of rows) {
    const id = existing.get(value.uscc);
    const before = id === undefined ? [] : (stored.get(id) ?? []);
    if (id !== undefined && !touchesCategories(reach, before)) {
      errors.push({
        row,
        column: '统一社会信用代码',
        reason: `${value.uscc} 已在名录库中，但不属于您所在科室负责的监管制度，不能更新`,
      });
      continue;
    }
    const outside = categoriesOutOfReach(reach, before, value.categories);
    if (outside.length === 0) continue;
    const { column, reason } = reachError(reach, outside);
    errors.push({ row, column, reason });
  }
  if (errors.length > 0) refuse(errors);
}

/** Imports a file into the register inside the caller's transaction, with one audit entry. */
export async function importEntities(
  tx: Tx,
  user: SessionUser,
  file: { filename: string; data: Buffer },
): Promise<ImportResult> {
  const reach = await reachOf(tx, user);
  entityAbilities.assert('maintain', user, { reach });
  const rows = await checkEntityRows(tx, await readEntityFile(file.filename, file.data));
  const existing = new Map<string, number>();
  const codes = rows.map((r) => r.value.uscc);
  for (const chunk of chunksOf(codes)) {
    const found = await tx
      .selectFrom('regulated_entities')
      .select(['id', 'uscc'])
      .where('uscc', 'in', chunk)
      .execute();
    for (const f of found) existing.set(f.uscc, f.id);
  }
  if (!reach.all) await refuseOutOfReach(tx, reach, rows, existing);
  const now = nowIso();
  const fresh = rows.filter((r) => !existing.has(r.value.uscc));
  const known = rows.filter((r) => existing.has(r.value.uscc));
  const categoryLinks: Array<{ entity_id: number; category_code: string }> = [];
  for (const chunk of chunksOf(fresh)) {
    const ids = await tx
      .insertInto('regulated_entities')
      .values(chunk.map(({ value: v }) => ({ ...rowOf(v), created_at: now, updated_at: now })))
      .returning(['id', 'uscc'])
      .execute();
    const idOf = new Map(ids.map((r) => [r.uscc, r.id]));
    for (const { value: v } of chunk) {
      for (const c of v.categories) categoryLinks.push({ entity_id: idOf.get(v.uscc)!, category_code: c });
    }
  }
  for (const { value: v } of known) {
    const id = existing.get(v.uscc)!;
    await tx
      .updateTable('regulated_entities')
      .set({ ...rowOf(v), updated_at: now })
      .where('id', '=', id)
      .execute();
    await tx.deleteFrom('regulated_entity_categories').where('entity_id', '=', id).execute();
    for (const c of v.categories) categoryLinks.push({ entity_id: id, category_code: c });
  }
  for (const chunk of chunksOf(categoryLinks))
    await tx.insertInto('regulated_entity_categories').values(chunk).execute();
  const result: ImportResult = {
    rows: rows.length,
    created: fresh.length,
    updated: known.length,
    sha256: createHash('sha256').update(file.data).digest('hex'),
  };
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'import',
    entity: 'regulated_entity',
    entityId: null,
    after: {
      file: file.filename,
      ...result,
      createdUscc: fresh.map((r) => r.value.uscc),
      updatedUscc: known.map((r) => r.value.uscc),
    },
  });
  return result;
}

// ───────────────────────────── templates ─────────────────────────────

export function templateCsv(): string {
  return toCsv(
    ENTITY_COLUMNS.map((c) => c.label),
    [],
  );
}

export async function templateXlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Zhize';
  const sheet = wb.addWorksheet('检查对象');
  sheet.columns = ENTITY_COLUMNS.map((c) => ({
    header: c.label,
    key: c.field,
    width: c.field === 'name' ? 36 : c.field === 'categories' ? 28 : 22,
    // Codes as text (Excel would round an 18-digit code); dates as dates.
    style: { numFmt: c.field === 'licenceValidFrom' || c.field === 'licenceValidUntil' ? 'yyyy-mm-dd' : '@' },
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const help = wb.addWorksheet('填写说明');
  help.columns = [
    { header: '列', key: 'label', width: 20 },
    { header: '必填', key: 'required', width: 8 },
    { header: '说明', key: 'hint', width: 100 },
  ];
  for (const c of ENTITY_COLUMNS)
    help.addRow({ label: c.label, required: c.required ? '是' : '否', hint: c.hint });
  help.addRow({});
  help.addRow({ label: '类别', hint: ENTITY_CATEGORIES.map((c) => c.name).join('、') });
  help.addRow({ label: '状态', hint: ENTITY_STATUSES.map((s) => ENTITY_STATUS_NAME[s]).join('、') });
  help.addRow({ label: '风险等级', hint: RISK_CLASSES.map((r) => RISK_CLASS_NAME[r]).join('、') });
  help.addRow({
    label: '规则',
    hint: '导入时逐行校验；任何一行有错，整个文件都不会导入。已在名录库中的统一社会信用代码会更新该检查对象。',
  });
  help.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
