import type { Repair } from './model.ts';
import { findParts } from './parse.ts';
import { parseRegimes } from './regimes.ts';
import { HEADERS, PART_NAMES, type PartNo, readTable } from './table.ts';
import { trimLayout } from './text.ts';

/**
 * The document's four parts as tables, for the source page: the rows and cells the importer reads
 * (parts 1, 2 and 4 are Word tables; part 3's regimes become one row each: title and text), each
 * cell with the document lines it covers, so that every line keeps its anchor. Lines outside any
 * row (titles, headers, blank lines) are listed with the row they precede. Pure: text in, layout
 * out; a document the importer cannot read throws its ImportError.
 */

export interface LayoutLine {
  number: number;
  /** The line as written, without the leading TAB and layout spaces. */
  text: string;
}

export interface LayoutCell {
  lines: LayoutLine[];
}

export interface LayoutRow {
  lineStart: number;
  lineEnd: number;
  /** Lines before this row that belong to no row (blank lines, a repeated heading …). */
  before: number[];
  cells: LayoutCell[];
}

export interface LayoutTable {
  part: PartNo;
  name: string;
  department: string;
  titleLine: number;
  header: readonly string[];
  rows: LayoutRow[];
  /** Lines after the last row up to the next part. */
  after: number[];
}

const REGIME_HEADER = ['监管制度', '内容'] as const;

export function documentLayout(text: string): { lines: string[]; tables: LayoutTable[]; preamble: number[] } {
  const original = text.split('\n');
  const lines = [...original];
  const repairs: Repair[] = [];
  const blocks = findParts(lines, repairs);
  const line = (n: number): LayoutLine => ({
    number: n,
    text: trimLayout((original[n - 1] ?? '').replace(/^[ \u3000\u00a0]*\t/, '')),
  });
  const span = (from: number, to: number) => {
    const out: LayoutLine[] = [];
    for (let n = from; n <= to; n++) out.push(line(n));
    return out;
  };
  const tables: LayoutTable[] = [];
  for (const b of blocks) {
    let rows: Array<Omit<LayoutRow, 'before'>>;
    if (b.part === 3) {
      rows = parseRegimes(lines, b, repairs).map((r) => ({
        lineStart: r.lineStart,
        lineEnd: r.lineEnd,
        cells: [{ lines: [line(r.lineStart)] }, { lines: span(r.lineStart + 1, r.lineEnd) }],
      }));
    } else {
      rows = readTable(lines, b, repairs).map((r) => {
        // A cell the reader padded in (a glued row's missing cells, a missing 序号) repeats a line
        // another cell of the row already has: it covers none of its own.
        const seen = new Set<number>();
        const cells = r.cells.map((c) => {
          const own = span(c.line, c.lineEnd).filter((l) => !seen.has(l.number));
          for (const l of own) seen.add(l.number);
          return { lines: own };
        });
        return { lineStart: r.line, lineEnd: r.lineEnd, cells };
      });
    }
    // Every line of the part's window that no cell covers goes before the next row (or after the last).
    const covered = new Set<number>();
    for (const r of rows) for (const c of r.cells) for (const l of c.lines) covered.add(l.number);
    const placed: LayoutRow[] = [];
    let pending: number[] = [];
    let next = 0;
    for (let n = b.titleLine + 1; n <= b.to; n++) {
      if (next < rows.length && n === firstLineOf(rows[next]!)) {
        placed.push({ ...rows[next]!, before: pending });
        pending = [];
        next++;
      }
      if (!covered.has(n)) pending.push(n);
    }
    while (next < rows.length) placed.push({ ...rows[next++]!, before: [] });
    tables.push({
      part: b.part,
      name: PART_NAMES[b.part],
      department: b.department,
      titleLine: b.titleLine,
      header: b.part === 3 ? REGIME_HEADER : HEADERS[b.part],
      rows: placed,
      after: pending,
    });
  }
  const first = blocks[0]?.titleLine ?? original.length + 1;
  const preamble: number[] = [];
  for (let n = 1; n < first; n++) preamble.push(n);
  return { lines: original, tables, preamble };
}

/** The first line a row's cells cover (a padded cell covers none). */
function firstLineOf(row: Omit<LayoutRow, 'before'>): number {
  let min = row.lineStart;
  for (const c of row.cells) for (const l of c.lines) min = Math.min(min, l.number);
  return min;
}
