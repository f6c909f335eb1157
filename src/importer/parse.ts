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
import { parseRegimes } from './regimes.ts';
import {
  type Cell,
  continueSeq,
  type EntryNoun,
  PART_NAMES,
  type PartBlock,
  type PartNo,
  parseSeq,
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

function matchTitle(raw: string): { part: PartNo; department: string } | null {
  if (raw.startsWith('\t') || /^\s*\t/.test(raw)) return null;
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
  const repairs: Repair[] = [];
  const blocks = findParts(lines, repairs);
  if (blocks.length === 0) {
    throw new ImportError(
      'no-parts',
      null,
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
    const has =
      b.part === 1
        ? lists.duties.length
        : b.part === 2
          ? lists.matters.length
          : b.part === 3
            ? lists.regimes.length
            : lists.services.length;
    if (has > 0) {
      throw new ImportError(
        'duplicate-part',
        b.titleLine,
        `“${b.department}”的${PART_NAMES[b.part]}出现了两次`,
        `the ${PART_NAMES[b.part]} of “${b.department}” appears twice`,
      );
    }
    if (b.part === 1) lists.duties = parseDuties(lines, b, repairs);
    else if (b.part === 2) lists.matters = parseMatters(lines, b, repairs);
    else if (b.part === 3) lists.regimes = parseRegimes(lines, b, repairs);
    else lists.services = parseServices(lines, b, repairs);
  }
  return { lineCount: lines.length, lists: [...byDept.values()], repairs };
}

/** The parts of the document (title line and line window), in order; exported for the source page (layout.ts). */
export function findParts(lines: string[], repairs: Repair[]): PartBlock[] {
  const blocks: PartBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = matchTitle(lines[i]!);
    if (!m) continue;
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
    if (prev) prev.to = i;
    blocks.push({ part: m.part, department: m.department, titleLine: i + 1, from: i + 1, to: lines.length });
  }
  return blocks;
}

// ---------------------------------------------------------------------------------------
// The numbered lists

const DUTY: EntryNoun = { zh: '主要职责', en: 'duty', emptyCode: 'empty-duty', field: 'text' };
const MATTER: EntryNoun = { zh: '管理事项', en: 'matter', emptyCode: 'empty-matter', field: 'name' };
const SERVICE: EntryNoun = { zh: '服务事项', en: 'service', emptyCode: 'empty-service', field: 'name' };

function parseDuties(lines: string[], block: PartBlock, repairs: Repair[]): ParsedDuty[] {
  const duties: ParsedDuty[] = [];
  for (const row of readTable(lines, block, repairs)) {
    const [seqCell, dutyCell, itemCell, officeCell, remarkCell] = row.cells as [Cell, Cell, Cell, Cell, Cell];
    let seq = parseSeq(seqCell, 1);
    let duty = duties[duties.length - 1];
    if (seq === null && dutyCell.text !== '') {
      seq = continueSeq(1, row, duty, repairs, (n) => `第 ${row.line} 行的主要职责没有序号，按顺序补为 ${n}`);
    }
    if (seq !== null) {
      requireNewEntry(row, seq, dutyCell, duties, DUTY);
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
      if (officeCell.text !== '') {
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
      offices: splitNames(officeCell.text),
      remark: remarkCell.text === '' ? null : remarkCell.text,
      lineStart: row.line,
      lineEnd: row.lineEnd,
    });
  }
  return duties;
}

function parseMatters(lines: string[], block: PartBlock, repairs: Repair[]): ParsedMatter[] {
  const matters: ParsedMatter[] = [];
  for (const row of readTable(lines, block, repairs)) {
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
    if (deptCell.text === '' && shareCell.text === '') continue;
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
    for (const department of splitNames(deptCell.text)) {
      matter.shares.push({
        departmentText: deptCell.text,
        department,
        text: shareCell.text,
        lineStart: row.line,
        lineEnd: row.lineEnd,
      });
    }
    if (basisCell.text !== '') addBases(matter, basisCell, repairs);
    if (caseCell.text !== '') addCase(matter, caseCell, repairs);
  }
  return matters;
}

function addBases(matter: ParsedMatter, cell: Cell, repairs: Repair[]): void {
  const pieces = splitLegalBases(cell.text);
  const fresh: ParsedLegalBasis[] = [];
  for (const text of pieces) {
    if (matter.legalBases.some((b) => looseKey(b.text) === looseKey(text))) continue;
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
  matter.legalBases.push(...fresh);
}

function addCase(matter: ParsedMatter, cell: Cell, repairs: Repair[]): void {
  if (matter.cases.some((c) => looseKey(c.text) === looseKey(cell.text))) {
    repairs.push({
      part: 2,
      line: cell.line,
      kind: 'repeated-merged-cell',
      message: `第 ${cell.line} 行重复了“${short(matter.name)}”的案例（合并单元格），只保留一份`,
    });
    return;
  }
  const c: ParsedCase = { text: cell.text, lineStart: cell.line, lineEnd: cell.lineEnd };
  matter.cases.push(c);
}

function parseServices(lines: string[], block: PartBlock, repairs: Repair[]): ParsedService[] {
  const services: ParsedService[] = [];
  for (const row of readTable(lines, block, repairs)) {
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
    services.push({
      seq,
      name: nameCell.text,
      content: contentCell.text,
      officeText: officeCell.text,
      offices: splitNames(officeCell.text),
      phoneText: phoneCell.text,
      phones: splitPhones(phoneCell.text),
      lineStart: row.line,
      lineEnd: row.lineEnd,
    });
  }
  return services;
}
