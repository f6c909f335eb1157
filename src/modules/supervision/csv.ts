/**
 * A small RFC 4180 reader (quoted fields, doubled quotes, CRLF/LF/CR line ends, commas and line
 * breaks inside quotes) and the matching writer for open-data downloads. Spreadsheet programs in
 * China often save CSV as GB18030 rather than UTF-8; `decodeCsv` detects which.
 */
import iconv from 'iconv-lite';

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

/** UTF-8 (with or without BOM) when the bytes are valid UTF-8, GB18030 otherwise. */
export function decodeCsv(bytes: Buffer): string {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(start);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return iconv.decode(body, 'gb18030');
  }
}

/**
 * Parses CSV text into records of fields. Each record also carries the 1-based line on which it
 * starts, so errors can point at the spreadsheet row. Blank lines are skipped.
 */
export function parseCsv(text: string): Array<{ line: number; fields: string[] }> {
  const out: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let quotedField = false;
  let line = 1;
  let recordLine = 1;
  const endField = () => {
    fields.push(field);
    field = '';
    quotedField = false;
  };
  const endRecord = () => {
    endField();
    if (!(fields.length === 1 && fields[0] === '')) out.push({ line: recordLine, fields });
    fields = [];
  };
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 1;
        } else inQuotes = false;
      } else {
        if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line += 1;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (field !== '' || quotedField) {
        throw new CsvSyntaxError(
          line,
          `第 ${line} 行：引号只能出现在字段开头（字段内的引号应写成两个引号 ""）`,
        );
      }
      inQuotes = true;
      quotedField = true;
    } else if (ch === ',') {
      endField();
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      endRecord();
      line += 1;
      recordLine = line;
    } else {
      if (quotedField) {
        throw new CsvSyntaxError(line, `第 ${line} 行：右引号之后只能是逗号或换行`);
      }
      field += ch;
    }
  }
  if (inQuotes) throw new CsvSyntaxError(recordLine, `第 ${recordLine} 行起的引号没有闭合`);
  if (field !== '' || fields.length > 0 || quotedField) endRecord();
  return out;
}

/** One CSV field: quoted when it holds a comma, quote or line break; formula-like text is defused. */
function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  // A cell starting with = + - @ is run as a formula by spreadsheet programs (CSV injection).
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text with a UTF-8 BOM (so Excel opens Chinese correctly) and CRLF line ends. */
export function toCsv(header: string[], rows: Array<Array<string | number | null | undefined>>): string {
  const lines = [header, ...rows].map((r) => r.map(csvField).join(','));
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
