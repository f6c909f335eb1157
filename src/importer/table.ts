import { ImportError } from './errors.ts';
import type { Repair } from './model.ts';
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
}

export function readTable(lines: string[], block: PartBlock, repairs: Repair[]): Row[] {
  const expected = HEADERS[block.part as Exclude<PartNo, 3>];
  const width = expected.length;
  const cells: Array<Cell | 'blank'> = [];
  let current: Cell | null = null;
  for (let i = block.from; i < block.to; i++) {
    const raw = lines[i]!;
    const lineNo = i + 1;
    const tab = /^([ \u3000\u00a0]*)\t(.*)$/.exec(raw);
    if (tab) {
      current = { text: trimLayout(tab[2]!), line: lineNo, lineEnd: lineNo, glued: tab[1]!.length > 0 };
      cells.push(current);
    } else if (isBlank(raw)) {
      cells.push('blank');
    } else if (current) {
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
      throw new ImportError(
        'text-outside-table',
        lineNo,
        `表格前出现了不属于任何单元格的文字“${short(raw)}”`,
        'text outside any table cell before the table starts',
      );
    }
  }

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
    if (missingSeq) row.unshift({ text: '', line: row[0]!.line, lineEnd: row[0]!.line, glued: false });
    if (blankInside !== null) {
      repairs.push({
        part: block.part,
        line: blankInside,
        kind: 'split-row',
        message: `第 ${blankInside} 行的空行把一行表格拆成了两段，已合并`,
      });
    }
    rows.push({ cells: row, line: row[0]!.line, lineEnd: Math.max(...row.map((c) => c.lineEnd)) });
    row = [];
    blankInside = null;
    missingSeq = false;
  };

  for (; k < cells.length; k++) {
    const c = cells[k]!;
    if (c === 'blank') {
      if (row.length > 0 && row.length < (missingSeq ? width - 1 : width)) {
        blankInside ??= lastLine(row) + 1;
      }
      continue;
    }
    if (c.glued && row.length > 0) finish('glued');
    if (row.length === 0) {
      // A row glued on without its number starts with its second column.
      missingSeq = c.glued && c.text !== '' && !/^\d+$/.test(c.text);
    }
    row.push(c);
    if (row.length === (missingSeq ? width - 1 : width)) finish('full');
  }
  finish('end');
  return rows;
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
 * A row that opens an entry without its 序号 continues the numbering after `previous`; the
 * repair records it. Returns the number given.
 */
export function continueSeq(
  part: PartNo,
  row: Row,
  previous: { seq: number } | undefined,
  repairs: Repair[],
  message: (seq: number) => string,
): number {
  const seq = (previous?.seq ?? 0) + 1;
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
}
