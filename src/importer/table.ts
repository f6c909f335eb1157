import { ImportError } from './errors.ts';
import type { Repair } from './model.ts';
import { isNbspOnly } from './normalize.ts';
import { isBlank, trimLayout } from './text.ts';

/**
 * The tables of parts 1, 2 and 4: every cell is a line starting with a TAB; rows are normally
 * separated by blank lines. The reader takes the cells as a stream and counts columns rather than
 * trusting blank lines, because the document splits rows with stray blank lines, lets a cell
 * spill onto a line without a TAB, and glues a new row (marked by " \t", often without its 序号)
 * onto the previous one. Every repair is recorded with its line.
 */

export type PartNo = 1 | 2 | 3 | 4;

export const HEADERS: Record<Exclude<PartNo, 3>, readonly string[]> = {
  1: ['序号', '主要职责', '具体工作事项', '责任科室', '备注'],
  2: ['序号', '管理事项', '相关部门', '职责分工', '相关依据', '案例'],
  4: ['序号', '服务事项', '主要内容', '承办机构', '联系电话'],
};

export const PART_NAMES: Record<PartNo, string> = {
  1: '部门职责登记表',
  2: '职责边界登记表',
  3: '事中事后监管制度',
  4: '公共服务事项登记表',
};

export interface PartBlock {
  part: PartNo;
  department: string;
  titleLine: number;
  /** 0-based index of the first line after the title, and one past the last line. */
  from: number;
  to: number;
}

export interface Cell {
  text: string;
  line: number;
  lineEnd: number;
  glued: boolean;
}

export interface Row {
  cells: Cell[];
  line: number;
  lineEnd: number;
  /** The row was glued onto the previous one (" \t"), the export's known defect. */
  glued: boolean;
}

/** A cell line: optional layout spaces (a glued row's " \t"), a TAB, the text. Linear: anchored, no nested quantifier. */
const TAB_CELL = /^([ \u3000\u00a0]*)\t(.*)$/;

/** Whether a table block has lines of only non-breaking spaces, which may be empty cells (readTable). */
export function hasNbspLines(lines: string[], block: PartBlock): boolean {
  for (let i = block.from; i < block.to; i++) if (isNbspOnly(lines[i]!)) return true;
  return false;
}

/**
 * Reads a table's rows. With `nbspCells`, a line of only non-breaking spaces (no TAB) after the
 * header has begun is an empty cell — what an exporter writes for an empty cell — rather than a
 * blank line; parse.ts tries that reading only when the plain one fails.
 */
export function readTable(lines: string[], block: PartBlock, repairs: Repair[], nbspCells = false): Row[] {
  const expected = HEADERS[block.part as Exclude<PartNo, 3>];
  const width = expected.length;
  if (nbspCells) {
    repairs.push({
      part: block.part,
      line: block.titleLine,
      kind: 'whitespace-cell',
      message: `${PART_NAMES[block.part]}把空单元格写成了不间断空格（没有制表符），按空单元格读取`,
    });
  }
  const cells: Array<Cell | 'blank'> = [];
  let current: Cell | null = null;
  for (let i = block.from; i < block.to; i++) {
    const raw = lines[i]!;
    const lineNo = i + 1;
    const tab = TAB_CELL.exec(raw);
    if (tab) {
      const text = trimLayout(tab[2]!);
      // " \t" glues a new row onto the previous one; before an empty cell it is only layout.
      current = { text, line: lineNo, lineEnd: lineNo, glued: tab[1]!.length > 0 && text !== '' };
      cells.push(current);
    } else if (nbspCells && current && isNbspOnly(raw)) {
      current = { text: '', line: lineNo, lineEnd: lineNo, glued: false };
      cells.push(current);
    } else if (isBlank(raw)) {
      cells.push('blank');
    } else if (current && cells[cells.length - 1] !== 'blank') {
      const extra = trimLayout(raw);
      current.text = current.text === '' ? extra : `${current.text}\n${extra}`;
      current.lineEnd = lineNo;
      repairs.push({
        part: block.part,
        line: lineNo,
        kind: 'spilled-cell',
        message: `第 ${lineNo} 行“${short(extra)}”没有制表符，接回上一单元格（第 ${current.line} 行）`,
      });
    } else {
      throw outsideCell(raw, lineNo, block, current !== null);
    }
  }
  // Checked after the lines are read, so that a damaged title inside the block is named first.
  closedEnd(lines, block);

  // Header: the cells before the first blank line.
  let k = 0;
  while (k < cells.length && cells[k] === 'blank') k++;
  const header: Cell[] = [];
  while (k < cells.length && cells[k] !== 'blank') header.push(cells[k++] as Cell);
  const names = header.map((c) => c.text.replace(/[\s\u3000]+/g, ''));
  const headerLine = header[0]?.line ?? block.titleLine;
  for (const col of expected) {
    if (!names.includes(col)) {
      throw new ImportError(
        'missing-column',
        headerLine,
        `${PART_NAMES[block.part]}的表头缺少“${col}”列（应为：${expected.join('、')}；实际：${names.join('、') || '无'}）`,
        `the header of ${PART_NAMES[block.part]} lacks the column “${col}” (expected ${expected.length} columns, found ${names.length})`,
      );
    }
  }
  if (names.length !== width || names.some((n, i) => n !== expected[i])) {
    throw new ImportError(
      'unexpected-columns',
      headerLine,
      `${PART_NAMES[block.part]}的表头应为“${expected.join('、')}”，实际为“${names.join('、')}”`,
      `unexpected header columns in ${PART_NAMES[block.part]}`,
    );
  }

  const rows: Row[] = [];
  let row: Cell[] = [];
  let blankInside: number | null = null;
  let missingSeq = false;
  const finish = (reason: 'full' | 'glued' | 'end') => {
    if (row.length === 0) return;
    const target = missingSeq ? width - 1 : width;
    if (row.length < target) {
      if (reason === 'end' && row.every((c) => c.text === '')) {
        repairs.push({
          part: block.part,
          line: row[0]!.line,
          kind: 'stray-cell',
          message: `第 ${row[0]!.line} 行起有 ${row.length} 个多余的空单元格，已忽略`,
        });
        row = [];
        return;
      }
      if (reason !== 'glued') {
        throw new ImportError(
          'short-row',
          row[0]!.line,
          `${PART_NAMES[block.part]}这一行只有 ${row.length} 列，应有 ${target} 列（“${short(row.map((c) => c.text).join(' | '))}”）`,
          `this row of ${PART_NAMES[block.part]} has ${row.length} columns, expected ${target}`,
        );
      }
      const last = row[row.length - 1]!;
      repairs.push({
        part: block.part,
        line: last.lineEnd,
        kind: 'glued-row',
        message: `第 ${last.lineEnd} 行之后下一行直接接在本行后面，本行缺少的 ${target - row.length} 个单元格按空白处理`,
      });
      while (row.length < target)
        row.push({ text: '', line: last.lineEnd, lineEnd: last.lineEnd, glued: false });
    }
    const glued = row[0]!.glued;
    if (missingSeq) row.unshift({ text: '', line: row[0]!.line, lineEnd: row[0]!.line, glued: false });
    if (blankInside !== null) {
      repairs.push({
        part: block.part,
        line: blankInside,
        kind: 'split-row',
        message: `第 ${blankInside} 行的空行把一行表格拆成了两段，已合并`,
      });
    }
    rows.push({ cells: row, line: row[0]!.line, lineEnd: Math.max(...row.map((c) => c.lineEnd)), glued });
    row = [];
    blankInside = null;
    missingSeq = false;
  };

  // A row that has all its cells ends there: the next line is blank, or a glued row (" \t")
  // begins. A cell straight after a full row means a cell was lost or added above it.
  let full: Cell | null = null;
  for (; k < cells.length; k++) {
    const c = cells[k]!;
    if (c === 'blank') {
      full = null;
      if (row.length > 0 && row.length < (missingSeq ? width - 1 : width)) {
        blankInside ??= lastLine(row) + 1;
      }
      continue;
    }
    if (full && !c.glued) {
      throw new ImportError(
        'row-boundary',
        c.line,
        `${PART_NAMES[block.part]}的上一行在第 ${full.lineEnd} 行已满 ${width} 列，这一行却没有空行分隔就接着出现：前面可能少了或多了一个单元格`,
        `the previous row of ${PART_NAMES[block.part]} was complete at line ${full.lineEnd}, yet this cell follows without a blank line: a cell was lost or added above`,
      );
    }
    full = null;
    if (c.glued && row.length > 0) finish('glued');
    if (row.length === 0) {
      // A row glued on without its number starts with its second column.
      missingSeq = c.glued && c.text !== '' && !/^\d+$/.test(c.text);
    }
    row.push(c);
    if (row.length === (missingSeq ? width - 1 : width)) {
      finish('full');
      full = c;
    }
  }
  finish('end');
  return rows;
}

/**
 * A table ends with two blank lines after its last row (the row's end and the paragraph after
 * the table, as Word writes it) before the next title or the end of the file. Returns the end of
 * the table's lines; refuses a table that stops without them (a document cut short).
 */
function closedEnd(lines: string[], block: PartBlock): number {
  let end = block.to;
  // The empty string after the file's last line end is not a line.
  if (end === lines.length && end > block.from && lines[end - 1] === '') end--;
  let blanks = 0;
  while (blanks < 2 && end - blanks > block.from && isBlank(lines[end - 1 - blanks]!)) blanks++;
  if (blanks < 2) {
    let last = end;
    while (last > block.from && isBlank(lines[last - 1]!)) last--;
    const where = last > block.from ? last : block.titleLine;
    const atEof = block.to === lines.length;
    throw new ImportError(
      'table-not-closed',
      where,
      `${PART_NAMES[block.part]}在第 ${where} 行之后没有结束（表格最后一行之后应有两个空行${atEof ? '' : '，然后是下一个登记表的标题'}）：${atEof ? '文档可能被截断' : '表格可能不完整'}`,
      `${PART_NAMES[block.part]} does not end after line ${where} (two blank lines must follow its last row): ${atEof ? 'the document may be cut short' : 'the table may be incomplete'}`,
    );
  }
  return end;
}

/** A line without a TAB where only a cell may stand: a damaged title, or text that lost its cell. */
function outsideCell(raw: string, lineNo: number, block: PartBlock, inTable: boolean): ImportError {
  const t = short(raw);
  if (/(登记表|监管制度)$/.test(trimLayout(raw)) || raw.length > 60) {
    return new ImportError(
      'bad-title',
      lineNo,
      `“${t}”不是有效的登记表标题（应为“部门名称”加“部门职责登记表”“与相关部门的职责边界登记表”“事中事后监管制度”或“公共服务事项登记表”），标题可能损坏`,
      'not a valid part title (department name + one of the four list names): a damaged title?',
    );
  }
  return inTable
    ? new ImportError(
        'text-outside-cell',
        lineNo,
        `${PART_NAMES[block.part]}中这一行“${t}”不在任何单元格里（前面是空行，行首没有制表符）：下一个登记表的标题可能缺失或损坏，或单元格丢了制表符`,
        `text outside any cell of ${PART_NAMES[block.part]} (after a blank line, no TAB): a missing or damaged title, or a cell that lost its TAB`,
      )
    : new ImportError(
        'text-outside-table',
        lineNo,
        `表格前出现了不属于任何单元格的文字“${t}”`,
        'text outside any table cell before the table starts',
      );
}

function lastLine(row: Cell[]): number {
  return row[row.length - 1]!.lineEnd;
}

export function short(s: string): string {
  const t = trimLayout(s).replace(/\s+/g, ' ');
  return t.length > 30 ? `${t.slice(0, 30)}…` : t;
}

export function parseSeq(cell: Cell, part: PartNo): number | null {
  if (cell.text === '') return null;
  if (!/^\d{1,4}$/.test(cell.text)) {
    throw new ImportError(
      'bad-seq',
      cell.line,
      `${PART_NAMES[part]}的“序号”列应为数字，实际为“${short(cell.text)}”——可能缺了一列`,
      `the 序号 column of ${PART_NAMES[part]} must be a number, found “${short(cell.text)}” (a missing column?)`,
    );
  }
  return Number(cell.text);
}

/**
 * A row that opens an entry without its 序号 continues the numbering after `previous` — only when
 * the row was glued onto the one before (" \t", the export's known defect, which drops the
 * number); any other row without its number is refused, since a damaged cell could otherwise
 * open an entry that is not there. Returns the number given; the repair records it.
 */
export function continueSeq(
  part: PartNo,
  row: Row,
  previous: { seq: number } | undefined,
  repairs: Repair[],
  message: (seq: number) => string,
): number {
  const seq = (previous?.seq ?? 0) + 1;
  if (!row.glued) {
    throw new ImportError(
      'missing-seq',
      row.line,
      `${PART_NAMES[part]}这一行开始了新的一项（“${short(row.cells[1]?.text ?? '')}”）却没有序号（应为 ${seq}）：序号缺失，或单元格错位`,
      `this row of ${PART_NAMES[part]} opens a new entry without its number (${seq} due): a lost number or a shifted cell`,
    );
  }
  repairs.push({ part, line: row.line, kind: 'missing-seq', message: message(seq) });
  return seq;
}

/** What a numbered list calls its entries, for the errors of a row that opens a new entry. */
export interface EntryNoun {
  /** The column that names an entry, e.g. 主要职责. */
  zh: string;
  /** English, e.g. duty. */
  en: string;
  /** The error code of an entry without a name, e.g. empty-duty. */
  emptyCode: string;
  /** What an entry without it lacks, e.g. text or name. */
  field: string;
}

/** A row that opens entry `seq` must name it, and the number must be new in its list. */
export function requireNewEntry(
  row: Row,
  seq: number,
  name: Cell,
  taken: readonly { seq: number }[],
  noun: EntryNoun,
): void {
  if (name.text === '') {
    throw new ImportError(
      noun.emptyCode,
      row.line,
      `序号 ${seq} 的“${noun.zh}”为空`,
      `${noun.en} ${seq} has no ${noun.field}`,
    );
  }
  if (taken.some((e) => e.seq === seq)) {
    throw new ImportError(
      'duplicate-seq',
      row.line,
      `${noun.zh}序号 ${seq} 重复`,
      `${noun.en} number ${seq} repeats`,
    );
  }
  const next = (taken[taken.length - 1]?.seq ?? 0) + 1;
  if (seq !== next) {
    throw new ImportError(
      'seq-gap',
      row.line,
      `${noun.zh}序号应为 ${next}，实际为 ${seq}：${seq > next ? `序号 ${next}${seq - 1 > next ? `–${seq - 1}` : ''} 的内容缺失，或序号损坏` : '序号顺序颠倒或损坏'}`,
      `${noun.en} number ${seq} where ${next} was due: entries missing, or a damaged number`,
    );
  }
}
