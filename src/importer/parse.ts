import { ImportError } from './errors.ts';
import type {
  ParsedCase,
  ParsedDepartmentLists,
  ParsedDocument,
  ParsedDuty,
  ParsedLegalBasis,
  ParsedMatter,
  ParsedService,
  Repair,
} from './model.ts';
import { type NameKind, nameProblem } from './names.ts';
import { normalizeLines } from './normalize.ts';
import { parseRegimes } from './regimes.ts';
import {
  type Cell,
  continueSeq,
  type EntryNoun,
  hasNbspLines,
  PART_NAMES,
  type PartBlock,
  type PartNo,
  parseSeq,
  type Row,
  readTable,
  requireNewEntry,
  short,
} from './table.ts';
import { looseKey, parseDocNumber, splitLegalBases, splitNames, splitPhones, trimLayout } from './text.ts';

/**
 * Parser for the text export of a department's Word tables (see docs/importer.md): finds the
 * parts by their titles, reads parts 1, 2 and 4 as tables (table.ts) and part 3 as free text
 * (regimes.ts), and gathers each department's lists.
 */

const PART_SUFFIXES: ReadonlyArray<readonly [PartNo, string]> = [
  [2, '与相关部门的职责边界登记表'],
  [1, '部门职责登记表'],
  [3, '事中事后监管制度'],
  [4, '公共服务事项登记表'],
];

const PART_ORDER: readonly PartNo[] = [1, 2, 3, 4];

/** The part a title line opens and its department, or null for a line that is no title. */
function matchTitle(raw: string): { part: PartNo; department: string } | null {
  if (raw.length > 80 || raw.includes('\t')) return null;
  const t = trimLayout(raw);
  if (t.length > 60 || t.length < 6) return null;
  for (const [part, suffix] of PART_SUFFIXES) {
    if (t.endsWith(suffix)) {
      const department = t.slice(0, -suffix.length);
      if (department.length >= 2 && /^[\u4e00-\u9fa5（）()]+$/.test(department)) return { part, department };
    }
  }
  return null;
}

export function parseDocument(text: string): ParsedDocument {
  const lines = text.split('\n');
  const notes = normalizeLines(lines);
  const repairs: Repair[] = [];
  const blocks = findParts(lines, repairs);
  if (blocks.length === 0) {
    throw new ImportError(
      'no-parts',
      1,
      '未找到任何登记表标题（如“××部门职责登记表”），这不是可导入的职责清单文档',
      'no list title found (such as “…部门职责登记表”); this is not a responsibility-list document',
    );
  }
  const byDept = new Map<string, ParsedDepartmentLists>();
  for (const b of blocks) {
    let lists = byDept.get(b.department);
    if (!lists) {
      lists = { department: b.department, duties: [], matters: [], regimes: [], services: [] };
      byDept.set(b.department, lists);
    }
    if (b.part === 1) lists.duties = readEitherWay(lines, b, repairs, parseDuties);
    else if (b.part === 2) lists.matters = readEitherWay(lines, b, repairs, parseMatters);
    else if (b.part === 3) lists.regimes = parseRegimes(lines, b, repairs);
    else lists.services = readEitherWay(lines, b, repairs, parseServices);
  }
  // After the parts are read: a damaged title is refused at its own line while its neighbour is read.
  requireAllParts(blocks);
  for (const n of notes) {
    const b = blocks.find((x) => n.line >= x.titleLine && n.line <= x.to) ?? blocks[0]!;
    repairs.push({ part: b.part, line: n.line, kind: 'invisible-char', message: n.message });
  }
  return { lineCount: lines.length, lists: [...byDept.values()], repairs };
}

/** The parts of the document (title line and line window), in order; exported for the source page (layout.ts). */
export function findParts(lines: string[], repairs: Repair[]): PartBlock[] {
  const blocks: PartBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = matchTitle(lines[i]!);
    if (!m) {
      // Nothing but blank lines may stand before the first title: a missing or damaged title
      // would otherwise drop its whole part.
      if (blocks.length === 0 && trimLayout(lines[i]!) !== '') {
        throw new ImportError(
          'text-before-title',
          i + 1,
          `这一行“${short(lines[i]!)}”出现在第一个登记表标题之前：登记表的标题（如“××部门职责登记表”）缺失或损坏`,
          'text before the first part title: a part title is missing or damaged',
        );
      }
      continue;
    }
    const nameTrouble = nameProblem(m.department, 'department');
    if (nameTrouble) {
      throw new ImportError(
        'bad-title',
        i + 1,
        `标题中的部门名称“${short(m.department)}”无效（${nameTrouble}），标题可能损坏`,
        'the department named in this title is not a valid name: a damaged title?',
      );
    }
    const prev = blocks[blocks.length - 1];
    if (prev && prev.part === m.part && prev.department === m.department && m.part === 3) {
      // The regimes' heading is repeated mid-part: a page header, not a new part.
      repairs.push({
        part: 3,
        line: i + 1,
        kind: 'repeated-heading',
        message: `第 ${i + 1} 行重复出现标题“${trimLayout(lines[i]!)}”，按页眉忽略`,
      });
      lines[i] = '';
      continue;
    }
    const twice = blocks.find((b) => b.part === m.part && b.department === m.department);
    if (twice) {
      throw new ImportError(
        'duplicate-part',
        i + 1,
        `“${m.department}”的${PART_NAMES[m.part]}出现了两次（第一次在第 ${twice.titleLine} 行）`,
        `the ${PART_NAMES[m.part]} of “${m.department}” appears twice`,
      );
    }
    if (prev) prev.to = i;
    blocks.push({ part: m.part, department: m.department, titleLine: i + 1, from: i + 1, to: lines.length });
  }
  return blocks;
}

type TableParser<T> = (lines: string[], block: PartBlock, repairs: Repair[], nbspCells: boolean) => T[];

/**
 * Reads a table; when that fails and the table has lines of only non-breaking spaces, reads it
 * again taking those lines for empty cells (an exporter's way of writing them). The second
 * reading is used only when it is whole; otherwise the first refusal stands.
 */
function readEitherWay<T>(lines: string[], block: PartBlock, repairs: Repair[], parse: TableParser<T>): T[] {
  const own: Repair[] = [];
  try {
    const out = parse(lines, block, own, false);
    repairs.push(...own);
    return out;
  } catch (e) {
    if (!(e instanceof ImportError) || !hasNbspLines(lines, block)) throw e;
    const again: Repair[] = [];
    let out: T[];
    try {
      out = parse(lines, block, again, true);
    } catch {
      throw e;
    }
    repairs.push(...again);
    return out;
  }
}

/**
 * Every department the document names in a title has its four parts: a part whose title is
 * missing or damaged is refused, never dropped.
 */
function requireAllParts(blocks: PartBlock[]): void {
  const seen = new Map<string, PartBlock[]>();
  for (const b of blocks) seen.set(b.department, [...(seen.get(b.department) ?? []), b]);
  for (const [department, own] of seen) {
    for (const part of PART_ORDER) {
      if (own.some((b) => b.part === part)) continue;
      const before = own.filter((b) => b.part < part).pop();
      const line = before ? before.to : (own[0]?.titleLine ?? 1);
      throw new ImportError(
        'missing-part',
        line,
        `“${department}”缺少${PART_NAMES[part]}（应在第 ${line} 行附近开始）：标题缺失或损坏，或文档不完整`,
        `“${department}” lacks its ${PART_NAMES[part]} (expected near line ${line}): a missing or damaged title, or an incomplete document`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------
// The numbered lists

const DUTY: EntryNoun = { zh: '主要职责', en: 'duty', emptyCode: 'empty-duty', field: 'text' };
const MATTER: EntryNoun = { zh: '管理事项', en: 'matter', emptyCode: 'empty-matter', field: 'name' };
const SERVICE: EntryNoun = { zh: '服务事项', en: 'service', emptyCode: 'empty-service', field: 'name' };

function parseDuties(lines: string[], block: PartBlock, repairs: Repair[], nbspCells: boolean): ParsedDuty[] {
  const duties: ParsedDuty[] = [];
  for (const row of readTable(lines, block, repairs, nbspCells)) {
    const [seqCell, dutyCell, itemCell, officeCell, remarkCell] = row.cells as [Cell, Cell, Cell, Cell, Cell];
    let seq = parseSeq(seqCell, 1);
    let duty = duties[duties.length - 1];
    if (seq === null && dutyCell.text !== '') {
      seq = continueSeq(1, row, duty, repairs, (n) => `第 ${row.line} 行的主要职责没有序号，按顺序补为 ${n}`);
    }
    if (seq !== null) {
      requireNewEntry(row, seq, dutyCell, duties, DUTY);
      refuseRepeatedName(
        row,
        dutyCell.text,
        duties.map((d) => d.text),
        DUTY,
      );
      duty = { seq, text: dutyCell.text, items: [], lineStart: row.line, lineEnd: row.lineEnd };
      duties.push(duty);
    }
    if (!duty) {
      throw new ImportError(
        'item-without-duty',
        row.line,
        '工作事项出现在任何主要职责之前',
        'a work item appears before any duty',
      );
    }
    duty.lineEnd = row.lineEnd;
    if (itemCell.text === '') {
      if (officeCell.text !== '' || (remarkCell.text !== '' && seq === null)) {
        throw new ImportError(
          'office-without-item',
          officeCell.line,
          `有责任科室“${short(officeCell.text)}”却没有具体工作事项`,
          'a responsible office without a work item',
        );
      }
      continue;
    }
    if (officeCell.text === '') {
      throw new ImportError(
        'item-without-office',
        itemCell.line,
        `工作事项“${short(itemCell.text)}”没有责任科室`,
        'work item has no responsible office',
      );
    }
    duty.items.push({
      text: itemCell.text,
      officeText: officeCell.text,
      offices: namesOf(officeCell, 'office', 1, repairs),
      remark: remarkCell.text === '' ? null : remarkCell.text,
      lineStart: row.line,
      lineEnd: row.lineEnd,
    });
  }
  for (const d of duties) requireChildren(d, d.items.length, '主要职责', '具体工作事项', 'duty', 'work item');
  return duties;
}

/** What the structure implies: every numbered entry has at least one row of its own below it. */
function requireChildren(
  entry: { seq: number; lineStart: number },
  count: number,
  zh: string,
  childZh: string,
  en: string,
  childEn: string,
): void {
  if (count > 0) return;
  throw new ImportError(
    `${en.replace(' ', '-')}-without-${childEn.replace(' ', '-')}`,
    entry.lineStart,
    `${zh}序号 ${entry.seq} 下没有任何${childZh}：表格行可能缺失或错位`,
    `${en} ${entry.seq} has no ${childEn}: rows missing or shifted`,
  );
}

/**
 * The names in a 责任科室, 相关部门 or 承办机构 cell. Whitespace inside a name is layout and is
 * removed with a repair note; a name that is not shaped like one (names.ts NAME_RULES) is
 * refused as a damaged cell rather than taken for a new department or office.
 */
function namesOf(cell: Cell, kind: NameKind, part: PartNo, repairs: Repair[]): string[] {
  const out: string[] = [];
  for (const written of splitNames(cell.text)) {
    const name = written.replace(/[\s\u3000\u00a0]+/g, '');
    if (name !== written) {
      repairs.push({
        part,
        line: cell.line,
        kind: 'name-whitespace',
        message: `第 ${cell.line} 行的名称“${short(written)}”中间有空白，按“${short(name)}”读取`,
      });
    }
    const problem = nameProblem(name, kind);
    if (problem) {
      const what = kind === 'office' ? '科室' : '部门';
      throw new ImportError(
        'bad-name',
        cell.line,
        `“${short(name)}”不是有效的${what}名称（${problem}）：单元格可能损坏，请核对原文`,
        `“${short(name)}” is not a valid ${kind} name: a damaged cell?`,
      );
    }
    out.push(name);
  }
  if (out.length === 0) {
    throw new ImportError('bad-name', cell.line, '名称单元格中没有名称', 'a name cell without a name');
  }
  return out;
}

function parseMatters(
  lines: string[],
  block: PartBlock,
  repairs: Repair[],
  nbspCells: boolean,
): ParsedMatter[] {
  const matters: ParsedMatter[] = [];
  for (const row of readTable(lines, block, repairs, nbspCells)) {
    const [seqCell, nameCell, deptCell, shareCell, basisCell, caseCell] = row.cells as [
      Cell,
      Cell,
      Cell,
      Cell,
      Cell,
      Cell,
    ];
    let seq = parseSeq(seqCell, 2);
    let matter = matters[matters.length - 1];
    if (seq === null && nameCell.text !== '') {
      seq = continueSeq(
        2,
        row,
        matter,
        repairs,
        (n) =>
          `第 ${row.line} 行的管理事项“${short(nameCell.text)}”没有序号（接在上一行后面），按顺序补为 ${n}`,
      );
    }
    if (seq !== null) {
      requireNewEntry(row, seq, nameCell, matters, MATTER);
      refuseRepeatedName(
        row,
        nameCell.text,
        matters.map((m) => m.name),
        MATTER,
      );
      matter = {
        seq,
        name: nameCell.text,
        shares: [],
        legalBases: [],
        cases: [],
        lineStart: row.line,
        lineEnd: row.lineEnd,
      };
      matters.push(matter);
    }
    if (!matter) {
      throw new ImportError(
        'share-without-matter',
        row.line,
        '职责分工出现在任何管理事项之前',
        'a share appears before any matter',
      );
    }
    matter.lineEnd = row.lineEnd;
    if (deptCell.text === '' && shareCell.text === '') {
      if (seq === null && (basisCell.text !== '' || caseCell.text !== '')) {
        throw new ImportError(
          'incomplete-share',
          row.line,
          '这一行有相关依据或案例，却没有相关部门和职责分工：单元格可能错位',
          'a legal basis or case without a department and share: shifted cells?',
        );
      }
      continue;
    }
    if (deptCell.text === '' || shareCell.text === '') {
      throw new ImportError(
        'incomplete-share',
        row.line,
        deptCell.text === ''
          ? `职责分工“${short(shareCell.text)}”没有写相关部门`
          : `相关部门“${deptCell.text}”没有写职责分工`,
        'a share needs both a department and its division of duty',
      );
    }
    for (const department of namesOf(deptCell, 'department', 2, repairs)) {
      matter.shares.push({
        departmentText: deptCell.text,
        department,
        text: shareCell.text,
        lineStart: row.line,
        lineEnd: row.lineEnd,
      });
    }
    if (basisCell.text !== '') addBases(matter, basisCell, repairs, seq !== null);
    if (caseCell.text !== '') addCase(matter, caseCell, repairs, seq !== null);
  }
  for (const m of matters) requireChildren(m, m.shares.length, '管理事项', '职责分工', 'matter', 'share');
  return matters;
}

function addBases(matter: ParsedMatter, cell: Cell, repairs: Repair[], firstRow: boolean): void {
  const pieces = splitLegalBases(cell.text);
  const fresh: ParsedLegalBasis[] = [];
  for (const text of pieces) {
    if (matter.legalBases.some((b) => looseKey(b.text) === looseKey(text))) continue;
    refuseNearRepeat(
      matter.legalBases.map((b) => b.text),
      text,
      cell,
      '相关依据',
    );
    fresh.push({ text, docNumber: parseDocNumber(text), lineStart: cell.line, lineEnd: cell.lineEnd });
  }
  if (fresh.length === 0 && matter.legalBases.length > 0) {
    repairs.push({
      part: 2,
      line: cell.line,
      kind: 'repeated-merged-cell',
      message: `第 ${cell.line} 行重复了“${short(matter.name)}”的相关依据（合并单元格），只保留一份`,
    });
    return;
  }
  if (fresh.length > 0 && !firstRow) refuseLate(matter, cell, '相关依据');
  matter.legalBases.push(...fresh);
}

/**
 * 相关依据 and 案例 are merged cells: written on a matter's first row and at most repeated on
 * its later rows. A new one on a later row means the row belongs to a matter whose first row
 * was lost.
 */
function refuseLate(matter: ParsedMatter, cell: Cell, what: string): never {
  throw new ImportError(
    'late-merged-cell',
    cell.line,
    `管理事项“${short(matter.name)}”的后续行中出现了新的${what}（“${short(cell.text)}”）：${what}只写在管理事项的第一行，这一行所属管理事项的第一行可能缺失`,
    `a new ${what === '案例' ? 'case' : 'legal basis'} on a later row of matter “${short(matter.name)}”: the first row of its own matter may be lost`,
  );
}

function addCase(matter: ParsedMatter, cell: Cell, repairs: Repair[], firstRow: boolean): void {
  if (matter.cases.some((c) => looseKey(c.text) === looseKey(cell.text))) {
    repairs.push({
      part: 2,
      line: cell.line,
      kind: 'repeated-merged-cell',
      message: `第 ${cell.line} 行重复了“${short(matter.name)}”的案例（合并单元格），只保留一份`,
    });
    return;
  }
  refuseNearRepeat(
    matter.cases.map((c) => c.text),
    cell.text,
    cell,
    '案例',
  );
  if (!firstRow) refuseLate(matter, cell, '案例');
  const c: ParsedCase = { text: cell.text, lineStart: cell.line, lineEnd: cell.lineEnd };
  matter.cases.push(c);
}

/**
 * A merged cell is repeated on the matter's later rows and kept once. A repeat that is almost
 * but not quite the same — a few characters apart in a long text — is a damaged copy, not a
 * second citation or case: refused rather than stored twice.
 */
function refuseNearRepeat(earlier: readonly string[], text: string, cell: Cell, what: string): void {
  const b = looseKey(text);
  for (const prev of earlier) {
    const a = looseKey(prev);
    const shorter = Math.min(a.length, b.length);
    if (shorter < 20 || Math.abs(a.length - b.length) > 3) continue;
    let head = 0;
    while (head < shorter && a[head] === b[head]) head++;
    let tail = 0;
    while (tail < shorter - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
    if (head + tail >= shorter - 3) {
      throw new ImportError(
        'near-repeat',
        cell.line,
        `这一行的${what}与本管理事项前面的${what}几乎相同却不一致（“${short(text)}”）：合并单元格的重复可能已损坏，请核对`,
        `this ${what === '案例' ? 'case' : 'legal basis'} nearly repeats an earlier one of the matter but differs: a damaged copy of a merged cell?`,
      );
    }
  }
}

/** An entry is named once in its list: a second entry of the same name is a repeated row. */
function refuseRepeatedName(row: Row, name: string, earlier: readonly string[], noun: EntryNoun): void {
  const key = looseKey(name);
  const at = earlier.findIndex((e) => looseKey(e) === key);
  if (at === -1) return;
  throw new ImportError(
    'repeated-entry',
    row.line,
    `${noun.zh}“${short(name)}”出现了两次（第 ${at + 1} 项已有）：表格行可能重复`,
    `${noun.en} “${short(name)}” appears twice: a repeated row?`,
  );
}

function requireCell(row: Row, cell: Cell, zh: string, en: string): void {
  if (cell.text === '') throw new ImportError('empty-cell', row.line, `${zh}：单元格可能错位`, en);
}

function parseServices(
  lines: string[],
  block: PartBlock,
  repairs: Repair[],
  nbspCells: boolean,
): ParsedService[] {
  const services: ParsedService[] = [];
  for (const row of readTable(lines, block, repairs, nbspCells)) {
    const [seqCell, nameCell, contentCell, officeCell, phoneCell] = row.cells as [
      Cell,
      Cell,
      Cell,
      Cell,
      Cell,
    ];
    let seq = parseSeq(seqCell, 4);
    if (seq === null) {
      if (row.cells.every((c) => c.text === '')) continue;
      seq = continueSeq(
        4,
        row,
        services[services.length - 1],
        repairs,
        (n) => `第 ${row.line} 行的服务事项没有序号，按顺序补为 ${n}`,
      );
    }
    requireNewEntry(row, seq, nameCell, services, SERVICE);
    refuseRepeatedName(
      row,
      nameCell.text,
      services.map((x) => x.name),
      SERVICE,
    );
    requireCell(row, contentCell, `服务事项序号 ${seq} 的“主要内容”为空`, `service ${seq} has no content`);
    requireCell(row, officeCell, `服务事项序号 ${seq} 的“承办机构”为空`, `service ${seq} has no office`);
    services.push({
      seq,
      name: nameCell.text,
      content: contentCell.text,
      officeText: officeCell.text,
      offices: namesOf(officeCell, 'office', 4, repairs),
      phoneText: phoneCell.text,
      phones: splitPhones(phoneCell.text),
      lineStart: row.line,
      lineEnd: row.lineEnd,
    });
  }
  return services;
}
