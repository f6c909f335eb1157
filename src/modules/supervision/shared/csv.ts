/**
 * CSV for the registers: reading uploads (csv-parse, RFC 4180) and writing open-data downloads
 * (csv-stringify). Spreadsheet programs in China often save CSV as GB18030 rather than UTF-8, so
 * uploads are decoded with the importer's encoding detection.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { decodeDocument } from '../../../importer/decode.ts';
import { ImportError } from '../../../importer/errors.ts';

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

/** The text of an uploaded CSV: UTF-8 (with or without BOM), UTF-16 with BOM or GB18030, detected. */
export function decodeCsv(bytes: Buffer): string {
  try {
    return decodeDocument(bytes).text;
  } catch (e) {
    if (e instanceof ImportError) throw new CsvSyntaxError(0, `文件无法读取：${e.messageZh}`);
    throw e;
  }
}

/**
 * Parses CSV text into records of fields. Each record carries the 1-based line on which it starts,
 * so errors can point at the spreadsheet row. Blank lines are skipped.
 */
export function parseCsv(text: string): Array<{ line: number; fields: string[] }> {
  try {
    const rows = parse(text, {
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
    return rows.map(({ record, info }) => {
      const inner = record.reduce((n, f) => n + (f.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
      return { line: info.lines - inner, fields: record };
    });
  } catch (e) {
    if (e instanceof CsvError) {
      const line = (e as CsvError & { lines?: number }).lines ?? 0;
      const what = CSV_ERRORS[e.code] ?? 'CSV 格式有误';
      throw new CsvSyntaxError(line, `第 ${line} 行：${what}（字段内的引号应写成两个引号 ""）`);
    }
    throw e;
  }
}

const CSV_ERRORS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: '引号没有闭合',
  INVALID_OPENING_QUOTE: '引号只能出现在字段开头',
  CSV_INVALID_CLOSING_QUOTE: '右引号之后只能是逗号或换行',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: '右引号之后只能是逗号或换行',
};

/** A cell starting with = + - @ would run as a formula in spreadsheet programs (CSV injection). */
function defuse(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** CSV text with a UTF-8 BOM (so Excel opens Chinese correctly) and CRLF line ends. */
export function toCsv(header: string[], rows: Array<Array<string | number | null | undefined>>): string {
  return `\ufeff${stringify([header, ...rows.map((r) => r.map(defuse))], { record_delimiter: '\r\n' })}`;
}
