import { ImportError } from './errors.ts';
import type {
  ParsedCase,
  ParsedDepartmentLists,
  ParsedDocument,
  ParsedDuty,
  ParsedLegalBasis,
  ParsedMatter,
  ParsedParagraph,
  ParsedRegime,
  ParsedSection,
  ParsedService,
  Repair,
  SectionKind,
} from './model.ts';
import {
  chineseNumeral,
  isBlank,
  looseKey,
  parseDocNumber,
  splitLegalBases,
  splitNames,
  splitPhones,
  trimLayout,
} from './text.ts';

/**
 * Parser for the text export of a department's Word tables (see docs/importer.md).
 *
 * Tables: every cell is a line starting with a TAB; rows are normally separated by blank
 * lines. The parser reads the cells as a stream and counts columns rather than trusting
 * blank lines, because the document splits rows with stray blank lines, lets a cell spill
 * onto a line without a TAB, and glues a new row (marked by " \t", often without its 序号)
 * onto the previous one. Every repair is recorded with its line.
 */

type PartNo = 1 | 2 | 3 | 4;

const PART_SUFFIXES: ReadonlyArray<readonly [PartNo, string]> = [
  [2, '与相关部门的职责边界登记表'],
  [1, '部门职责登记表'],
  [3, '事中事后监管制度'],
  [4, '公共服务事项登记表'],
];

const HEADERS: Record<Exclude<PartNo, 3>, readonly string[]> = {
  1: ['序号', '主要职责', '具体工作事项', '责任科室', '备注'],
  2: ['序号', '管理事项', '相关部门', '职责分工', '相关依据', '案例'],
  4: ['序号', '服务事项', '主要内容', '承办机构', '联系电话'],
};

const PART_NAMES: Record<PartNo, string> = {
  1: '部门职责登记表',
  2: '职责边界登记表',
  3: '事中事后监管制度',
  4: '公共服务事项登记表',
};

interface PartBlock {
  part: PartNo;
  department: string;
  titleLine: number;
  /** 0-based index of the first line after the title, and one past the last line. */
  from: number;
  to: number;
}

interface Cell {
  text: string;
  line: number;
  lineEnd: number;
  glued: boolean;
}

interface Row {
  cells: Cell[];
  line: number;
  lineEnd: number;
}

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

function findParts(lines: string[], repairs: Repair[]): PartBlock[] {
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
// Tables

function readTable(lines: string[], block: PartBlock, repairs: Repair[]): Row[] {
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

function short(s: string): string {
  const t = trimLayout(s).replace(/\s+/g, ' ');
  return t.length > 30 ? `${t.slice(0, 30)}…` : t;
}

function parseSeq(cell: Cell, part: PartNo): number | null {
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

function parseDuties(lines: string[], block: PartBlock, repairs: Repair[]): ParsedDuty[] {
  const duties: ParsedDuty[] = [];
  for (const row of readTable(lines, block, repairs)) {
    const [seqCell, dutyCell, itemCell, officeCell, remarkCell] = row.cells as [Cell, Cell, Cell, Cell, Cell];
    let seq = parseSeq(seqCell, 1);
    let duty = duties[duties.length - 1];
    if (seq === null && dutyCell.text !== '') {
      seq = (duty?.seq ?? 0) + 1;
      repairs.push({
        part: 1,
        line: row.line,
        kind: 'missing-seq',
        message: `第 ${row.line} 行的主要职责没有序号，按顺序补为 ${seq}`,
      });
    }
    if (seq !== null) {
      if (dutyCell.text === '') {
        throw new ImportError(
          'empty-duty',
          row.line,
          `序号 ${seq} 的“主要职责”为空`,
          `duty ${seq} has no text`,
        );
      }
      if (duties.some((d) => d.seq === seq)) {
        throw new ImportError(
          'duplicate-seq',
          row.line,
          `主要职责序号 ${seq} 重复`,
          `duty number ${seq} repeats`,
        );
      }
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
      seq = (matter?.seq ?? 0) + 1;
      repairs.push({
        part: 2,
        line: row.line,
        kind: 'missing-seq',
        message: `第 ${row.line} 行的管理事项“${short(nameCell.text)}”没有序号（接在上一行后面），按顺序补为 ${seq}`,
      });
    }
    if (seq !== null) {
      if (nameCell.text === '') {
        throw new ImportError(
          'empty-matter',
          row.line,
          `序号 ${seq} 的“管理事项”为空`,
          `matter ${seq} has no name`,
        );
      }
      if (matters.some((m) => m.seq === seq)) {
        throw new ImportError(
          'duplicate-seq',
          row.line,
          `管理事项序号 ${seq} 重复`,
          `matter number ${seq} repeats`,
        );
      }
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
      seq = (services[services.length - 1]?.seq ?? 0) + 1;
      repairs.push({
        part: 4,
        line: row.line,
        kind: 'missing-seq',
        message: `第 ${row.line} 行的服务事项没有序号，按顺序补为 ${seq}`,
      });
    }
    if (nameCell.text === '') {
      throw new ImportError(
        'empty-service',
        row.line,
        `序号 ${seq} 的“服务事项”为空`,
        `service ${seq} has no name`,
      );
    }
    if (services.some((s) => s.seq === seq)) {
      throw new ImportError(
        'duplicate-seq',
        row.line,
        `服务事项序号 ${seq} 重复`,
        `service number ${seq} repeats`,
      );
    }
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

// ---------------------------------------------------------------------------------------
// Regimes (free text)

const KIND_WORDS: ReadonlyArray<readonly [string, SectionKind]> = [
  ['对象', 'objects'],
  ['内容', 'contents'],
  ['方式', 'methods'],
  ['措施', 'measures'],
  ['程序', 'procedure'],
  ['处理', 'handling'],
];

const SECTION_RE = /^([一二三四五六七八九十]+)\s*[、.．]\s*(监督检查[^：:]{1,12})(?:[：:]\s*(.*))?$/;
const ENUMERATED = /^(?:[（(][一二三四五六七八九十\d]+[）)]|\d+\s*[.．、]|[①-⑳])/;

function sectionOf(text: string): { heading: string; kinds: SectionKind[]; inline: string | null } | null {
  const m = SECTION_RE.exec(text);
  if (!m) return null;
  const label = m[2]!;
  const kinds = KIND_WORDS.filter(([w]) => label.includes(w)).map(([, k]) => k);
  if (kinds.length === 0) return null;
  const inline = m[3] ? trimLayout(m[3]) : '';
  return { heading: `${m[1]}、${trimLayout(label)}`, kinds, inline: inline === '' ? null : inline };
}

function isTitleLike(text: string): boolean {
  return (
    text.length <= 40 && !/[。；;：:，,]/.test(text) && !ENUMERATED.test(text) && sectionOf(text) === null
  );
}

function parseRegimes(lines: string[], block: PartBlock, repairs: Repair[]): ParsedRegime[] {
  const paras: ParsedParagraph[] = [];
  for (let i = block.from; i < block.to; i++) {
    const t = trimLayout(lines[i]!.replace(/\t/g, ' '));
    if (t !== '') paras.push({ text: t, line: i + 1 });
  }
  // Each regime's first section is its 监督检查对象; its title is the nearest title-like line before it.
  const starts: Array<{ titleIdx: number; objectsIdx: number }> = [];
  for (let i = 0; i < paras.length; i++) {
    const s = sectionOf(paras[i]!.text);
    if (!s?.kinds.includes('objects')) continue;
    const floor = starts.length ? starts[starts.length - 1]!.objectsIdx + 1 : 0;
    let t = i - 1;
    while (t >= floor && !isTitleLike(paras[t]!.text)) t--;
    if (t < floor) {
      throw new ImportError(
        'regime-without-title',
        paras[i]!.line,
        '这一“监督检查对象”前面找不到监管制度的标题',
        'no regime title found before this 监督检查对象 section',
      );
    }
    starts.push({ titleIdx: t, objectsIdx: i });
  }
  if (starts.length === 0) {
    throw new ImportError(
      'no-regimes',
      block.titleLine,
      '事中事后监管制度中找不到任何“监督检查对象”',
      'no 监督检查对象 section found in the supervision regimes',
    );
  }
  const regimes: ParsedRegime[] = [];
  starts.forEach((st, n) => {
    const end = n + 1 < starts.length ? starts[n + 1]!.titleIdx : paras.length;
    const titlePara = paras[st.titleIdx]!;
    const seq = n + 1;
    const lm = /^([一二三四五六七八九十]+)\s*[、.．]\s*(.+)$/.exec(titlePara.text);
    const label = lm ? lm[1]! : null;
    const title = lm ? trimLayout(lm[2]!) : titlePara.text;
    if (label === null) {
      repairs.push({
        part: 3,
        line: titlePara.line,
        kind: 'regime-number',
        message: `第 ${titlePara.line} 行的监管制度“${title}”没有编号，按出现顺序记为第 ${seq} 项`,
      });
    } else if (chineseNumeral(label) !== seq) {
      repairs.push({
        part: 3,
        line: titlePara.line,
        kind: 'regime-number',
        message: `第 ${titlePara.line} 行的监管制度编号“${label}”与出现顺序（第 ${seq} 项）不一致，按出现顺序编号`,
      });
    }
    const introParas = paras.slice(st.titleIdx + 1, st.objectsIdx);
    const sections: ParsedSection[] = [];
    for (let i = st.objectsIdx; i < end; i++) {
      const p = paras[i]!;
      const s = sectionOf(p.text);
      if (s) {
        if (s.inline !== null) {
          repairs.push({
            part: 3,
            line: p.line,
            kind: 'inline-heading',
            message: `第 ${p.line} 行的小标题“${s.heading}”与正文写在同一行，已拆开`,
          });
        }
        sections.push({
          heading: s.heading,
          kinds: s.kinds,
          paragraphs: s.inline === null ? [] : [{ text: s.inline, line: p.line }],
          lineStart: p.line,
          lineEnd: p.line,
        });
      } else {
        const cur = sections[sections.length - 1]!;
        cur.paragraphs.push(p);
        cur.lineEnd = p.line;
      }
    }
    for (const needed of ['objects', 'contents'] as const) {
      const sec = sections.find((s) => s.kinds.includes(needed));
      if (!sec || sec.paragraphs.length === 0) {
        throw new ImportError(
          'empty-section',
          sec?.lineStart ?? titlePara.line,
          `监管制度“${title}”的${needed === 'objects' ? '监督检查对象' : '监督检查内容'}为空`,
          `regime “${title}” has an empty ${needed} section`,
        );
      }
    }
    const contents = sections.filter((s) => s.kinds.includes('contents')).flatMap((s) => s.paragraphs);
    const enumerated = contents.filter((p) => ENUMERATED.test(p.text));
    const checkItems = enumerated.length > 0 ? enumerated : contents;
    const last = paras[end - 1]!;
    regimes.push({
      seq,
      label,
      title,
      intro: introParas.length ? introParas.map((p) => p.text).join('\n') : null,
      sections,
      checkItems,
      lineStart: titlePara.line,
      lineEnd: last.line,
    });
  });
  return regimes;
}
