import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import type { Database, DbOrTx } from '../../../db/database.ts';
import type { DB } from '../../../db/types.ts';
import { ImportError } from '../../../importer/errors.ts';
import type { Register } from '../../../lib/legal-citations.ts';
import { flagDuty, flagLine, flagMatter, flagRegime, flagService } from '../legal/flags.ts';
import { loadRegister } from '../legal/legal.repo.ts';
import { listDuties, listMatters, listRegimes, listServices } from '../read/registry.repo.ts';

/**
 * Exports. The JSON dataset is a dump of the registry tables in dependency order, ids
 * included, so that loading it into an empty database reproduces the database exactly.
 */

export const DATASET_FORMAT = 'zhize-dataset';
export const DATASET_VERSION = 1;

/** Tables in an order that satisfies every foreign key. */
export const DATASET_TABLES = [
  'source_documents',
  'departments',
  'department_aliases',
  'offices',
  'office_aliases',
  'office_group_members',
  'duties',
  'work_items',
  'work_item_offices',
  'boundary_matters',
  'boundary_shares',
  'legal_bases',
  'boundary_cases',
  'regimes',
  'regime_sections',
  'regime_check_items',
  'public_services',
  'service_offices',
  'service_phones',
  'import_repairs',
  // The register of legal instruments (migration 016): an instrument's successor may come later in
  // id order, so successors are loaded in a second pass (loadDataset).
  'legal_instruments',
  'legal_instrument_names',
  // Provenance after edits (which change set made a record what it is): part of what a version was.
  'record_revisions',
] as const satisfies ReadonlyArray<keyof DB>;

type DatasetTable = (typeof DATASET_TABLES)[number];

export interface Dataset {
  format: typeof DATASET_FORMAT;
  version: number;
  exportedAt: string;
  tables: Record<DatasetTable, Array<Record<string, unknown>>>;
}

const ORDER_KEYS: Partial<Record<DatasetTable, string[]>> = {
  office_group_members: ['group_id', 'office_id'],
  work_item_offices: ['work_item_id', 'office_id'],
  service_offices: ['service_id', 'office_id'],
  service_phones: ['service_id', 'position'],
};

export async function exportDataset(db: DbOrTx): Promise<Dataset> {
  const tables = {} as Dataset['tables'];
  for (const t of DATASET_TABLES) {
    // biome-ignore lint/suspicious/noExplicitAny: generic dump over the listed tables.
    let q = (db as any).selectFrom(t).selectAll();
    for (const k of ORDER_KEYS[t] ?? ['id']) q = q.orderBy(k);
    tables[t] = await q.execute();
  }
  return { format: DATASET_FORMAT, version: DATASET_VERSION, exportedAt: new Date().toISOString(), tables };
}

export function isDataset(value: unknown): value is Dataset {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { format?: unknown }).format === DATASET_FORMAT &&
    typeof (value as { tables?: unknown }).tables === 'object'
  );
}

/** Loads a dataset into an empty database, in one transaction. */
export async function loadDataset(database: Database, data: Dataset): Promise<Record<string, number>> {
  if (data.version !== DATASET_VERSION) {
    throw new ImportError(
      'dataset-version',
      null,
      `数据集版本 ${data.version} 不受支持（支持 ${DATASET_VERSION}）`,
      `dataset version ${data.version} is not supported`,
    );
  }
  const counts: Record<string, number> = {};
  await database.db.transaction().execute(async (tx) => {
    const existing = await tx
      .selectFrom('departments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    if (Number(existing.n) > 0) {
      throw new ImportError(
        'dataset-into-nonempty',
        null,
        '数据集只能导入空数据库；当前数据库已有数据',
        'a dataset can only be loaded into an empty database',
      );
    }
    for (const t of DATASET_TABLES) {
      const all = data.tables[t] ?? [];
      const rows = t === 'legal_instruments' ? all.map((r) => ({ ...r, successor_id: null })) : all;
      counts[t] = rows.length;
      for (let i = 0; i < rows.length; i += 200) {
        // biome-ignore lint/suspicious/noExplicitAny: generic load over the listed tables.
        await (tx as any)
          .insertInto(t)
          .values(rows.slice(i, i + 200))
          .execute();
      }
      if (database.dialect === 'postgres' && !ORDER_KEYS[t] && rows.length > 0) {
        await sql`select setval(pg_get_serial_sequence(${t}, 'id'), (select max(id) from ${sql.table(t)}))`.execute(
          tx,
        );
      }
    }
    for (const r of data.tables.legal_instruments ?? []) {
      if (r.successor_id === null || r.successor_id === undefined) continue;
      await tx
        .updateTable('legal_instruments')
        .set({ successor_id: Number(r.successor_id) })
        .where('id', '=', Number(r.id))
        .execute();
    }
  });
  return counts;
}

export const EXPORT_PARTS = ['duties', 'boundaries', 'regimes', 'services'] as const;
export type ExportPart = (typeof EXPORT_PARTS)[number];

/** The last column of every list: warnings of records citing repealed or changed instruments. */
export const FLAG_HEADER = '依据变化提示';

export const PART_SHEETS: Record<ExportPart, { title: string; headers: string[] }> = {
  duties: {
    title: '部门职责登记表',
    headers: ['序号', '主要职责', '具体工作事项', '责任科室', '备注', FLAG_HEADER],
  },
  boundaries: {
    title: '职责边界登记表',
    headers: ['序号', '管理事项', '相关部门', '职责分工', '相关依据', '案例', FLAG_HEADER],
  },
  regimes: {
    title: '事中事后监管制度',
    headers: [
      '序号',
      '监管制度',
      '监督检查对象',
      '监督检查内容',
      '监督检查方式',
      '监督检查措施',
      '监督检查程序',
      '监督检查处理',
      FLAG_HEADER,
    ],
  },
  services: {
    title: '公共服务事项登记表',
    headers: ['序号', '服务事项', '主要内容', '承办机构', '联系电话', FLAG_HEADER],
  },
};

interface PartRows {
  rows: string[][];
  /** Row spans to merge per column (0-based data-row index, count), for the spreadsheet. */
  spans: Array<{ col: number; from: number; count: number }>;
}

/**
 * Adds one record written over several rows (a duty and its work items, a matter and its shares):
 * the columns in `merged` stand on its first row only and are merged down over the others.
 */
function addMerged(out: PartRows, lines: string[][], merged: readonly number[]): void {
  const from = out.rows.length;
  for (const [i, line] of lines.entries())
    out.rows.push(i === 0 ? line : line.map((v, col) => (merged.includes(col) ? '' : v)));
  if (lines.length > 1) for (const col of merged) out.spans.push({ col, from, count: lines.length });
}

async function partRows(db: DbOrTx, part: ExportPart, register: Register): Promise<PartRows> {
  const out: PartRows = { rows: [], spans: [] };
  const multi = (await db.selectFrom('duties').select('department_id').distinct().execute()).length > 1;
  const prefix = (dept: string, s: string | number) => (multi ? `${dept} ${s}` : String(s));
  if (part === 'duties') {
    for (const raw of (await listDuties(db, {}, 'all')).items) {
      const d = flagDuty(raw, register);
      const own = [prefix(d.department, d.seq), d.text];
      const lines =
        d.items.length === 0
          ? [[...own, '', '', '', flagLine(d.legalFlags)]]
          : d.items.map((it) => [
              ...own,
              it.text,
              it.officeText,
              it.remark ?? '',
              flagLine([
                ...d.legalFlags,
                ...it.legalFlags.filter((f) => !d.legalFlags.some((x) => x.instrumentId === f.instrumentId)),
              ]),
            ]);
      addMerged(out, lines, [0, 1]);
    }
  } else if (part === 'boundaries') {
    for (const raw of (await listMatters(db, {}, 'all')).items) {
      const m = flagMatter(raw, register);
      const basis = m.legalBases
        .map((b, i) => (m.legalBases.length > 1 ? `${i + 1}.${b.text}` : b.text))
        .join('\n');
      const cases = m.cases.map((c) => c.text).join('\n');
      const own = [prefix(m.department, m.seq), m.name];
      addMerged(
        out,
        m.shares.map((sh) => [...own, sh.departmentText, sh.text, basis, cases, flagLine(m.legalFlags)]),
        [0, 1, 4, 5, 6],
      );
    }
  } else if (part === 'regimes') {
    const kinds = ['objects', 'contents', 'methods', 'measures', 'procedure', 'handling'] as const;
    for (const raw of (await listRegimes(db, {}, 'all')).items) {
      const r = flagRegime(raw, register);
      const cols = kinds.map((k) =>
        r.sections
          .filter((s) => s.kinds[0] === k)
          .map((s) => (s.kinds.length > 1 ? `【${s.heading}】\n${s.body}` : s.body))
          .join('\n'),
      );
      out.rows.push([
        prefix(r.department, r.label ?? String(r.seq)),
        r.title,
        ...cols,
        flagLine(r.legalFlags),
      ]);
    }
  } else {
    for (const raw of (await listServices(db, {}, 'all')).items) {
      const s = flagService(raw, register);
      out.rows.push([
        prefix(s.department, s.seq),
        s.name,
        s.content,
        s.officeText,
        s.phones.join('、'),
        flagLine(s.legalFlags),
      ]);
    }
  }
  return out;
}

/**
 * One list as CSV (UTF-8 with BOM so that Excel opens Chinese correctly), with the original headings
 * and the legal warnings last. `register`: the live register when `db` is an earlier version.
 */
export async function exportCsv(db: DbOrTx, part: ExportPart, register?: Register): Promise<string> {
  const { rows } = await partRows(db, part, register ?? (await loadRegister(db)));
  return `\ufeff${stringify([PART_SHEETS[part].headers, ...rows])}`;
}

/** A workbook with one sheet per list, original headings, merged cells where the document merges them. */
export async function exportXlsx(db: DbOrTx, register?: Register): Promise<Buffer> {
  const reg = register ?? (await loadRegister(db));
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Zhize 职责';
  for (const part of EXPORT_PARTS) {
    const { title, headers } = PART_SHEETS[part];
    const ws = wb.addWorksheet(title);
    const { rows, spans } = await partRows(db, part, reg);
    ws.addRow(headers).font = { bold: true };
    for (const r of rows) ws.addRow(r);
    for (const s of spans) ws.mergeCells(s.from + 2, s.col + 1, s.from + 1 + s.count, s.col + 1);
    ws.columns.forEach((c, i) => {
      c.width = i === 0 ? 8 : 40;
      c.alignment = { wrapText: true, vertical: 'top' };
    });
    ws.views = [{ state: 'frozen', ySplit: 1 }];
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
