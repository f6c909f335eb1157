import { ImportError } from './errors.ts';
import type { ParsedParagraph, ParsedRegime, ParsedSection, Repair, SectionKind } from './model.ts';
import type { PartBlock } from './table.ts';
import { short } from './table.ts';
import { chineseNumeral, trimLayout } from './text.ts';

/**
 * Part 3, the supervision regimes: free text, not a table. Each regime is a title line followed by
 * numbered sections (监督检查对象, 监督检查内容, …); the check items are the enumerated paragraphs
 * of its contents.
 */

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
    text.length <= 40 &&
    cjkCount(text) >= 4 &&
    !/[。；;：:，,]/.test(text) &&
    !ENUMERATED.test(text) &&
    sectionOf(text) === null
  );
}

function cjkCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x4e00 && c <= 0x9fff) n++;
  }
  return n;
}

/** A numbered title line: 十三、对外承包工程企业监督. */
const NUMBERED_TITLE = /^([一二三四五六七八九十]+)\s*[、.．]\s*(.+)$/;

export function parseRegimes(lines: string[], block: PartBlock, repairs: Repair[]): ParsedRegime[] {
  const paras: ParsedParagraph[] = [];
  for (let i = block.from; i < block.to; i++) {
    const raw = lines[i]!;
    if (raw.includes('\t') && trimLayout(raw) !== '') {
      // Part 3 is free text: a table cell here is the next part's table without its title.
      throw new ImportError(
        'cell-in-regimes',
        i + 1,
        `事中事后监管制度中出现了表格单元格“${short(raw)}”：下一个登记表的标题可能缺失或损坏`,
        'a table cell inside the supervision regimes: the next part’s title is missing or damaged',
      );
    }
    const t = trimLayout(raw);
    if (t !== '' && t.startsWith(block.department) && isTitleLike(t)) {
      // The department's name on a line of its own: a part title or page header, damaged.
      throw new ImportError(
        'bad-title',
        i + 1,
        `“${short(t)}”像是一个登记表标题或页眉，但不是有效的标题：标题可能损坏`,
        'a line like a part title or page header, but not a valid one: a damaged title?',
      );
    }
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
    // The title is the nearest title-like line; another one between it and the objects means
    // the lines of two regimes ran together (a title or section lost).
    for (let j = t + 1; j < i; j++) {
      if (isTitleLike(paras[j]!.text)) {
        throw new ImportError(
          'ambiguous-title',
          paras[j]!.line,
          `监管制度标题“${short(paras[t]!.text)}”与“监督检查对象”之间还有一个像标题的行“${short(paras[j]!.text)}”：标题或小标题可能缺失或损坏`,
          'a second title-like line between a regime title and its 监督检查对象: a lost or damaged heading',
        );
      }
    }
    starts.push({ titleIdx: t, objectsIdx: i });
  }
  // A numbered regime title that opens no regime was absorbed by the one before it.
  const titles = new Set(starts.map((st) => st.titleIdx));
  paras.forEach((p, idx) => {
    if (titles.has(idx) || !isTitleLike(p.text) || !NUMBERED_TITLE.test(p.text)) return;
    throw new ImportError(
      'stray-regime-title',
      p.line,
      `“${short(p.text)}”像是一项监管制度的标题，但后面没有它的“监督检查对象”：小标题可能缺失或损坏`,
      'a numbered regime title without its 监督检查对象 after it: a lost or damaged heading',
    );
  });
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
    const lm = NUMBERED_TITLE.exec(titlePara.text);
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
      throw new ImportError(
        'regime-number-mismatch',
        titlePara.line,
        `监管制度“${short(title)}”的编号“${label}”与它的位置（第 ${seq} 项）不一致：前面可能缺了或多了一项监管制度，或标题损坏`,
        `regime “${short(title)}” is numbered ${label} but stands at position ${seq}: a regime missing or added before it, or a damaged title`,
      );
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
    sections.forEach((sec, i) => {
      const n = chineseNumeral(sec.heading.split('、')[0]!);
      if (n !== i + 1) {
        throw new ImportError(
          'section-number',
          sec.lineStart,
          `监管制度“${short(title)}”的小标题“${sec.heading}”应为第 ${i + 1} 节：前面的小标题可能缺失或损坏`,
          `section “${sec.heading}” of regime “${short(title)}” should be section ${i + 1}: a heading missing or damaged before it`,
        );
      }
    });
    for (const sec of sections) checkNumbering(sec.paragraphs, title);
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

/** The kinds of enumeration markers: （一）, （1）, 1. / 1、, ①. */
type MarkerKind = 'cn-paren' | 'num-paren' | 'num-dot' | 'circled';

function markerOf(text: string): { kind: MarkerKind; n: number } | null {
  const c0 = text[0];
  if (c0 === '（' || c0 === '(') {
    let j = 1;
    while (j < text.length && j < 6 && text[j] !== '）' && text[j] !== ')') j++;
    if (j >= text.length || j === 1 || (text[j] !== '）' && text[j] !== ')')) return null;
    const inner = text.slice(1, j);
    if (/^\d+$/.test(inner)) return { kind: 'num-paren', n: Number(inner) };
    const cn = chineseNumeral(inner);
    return cn === null ? null : { kind: 'cn-paren', n: cn };
  }
  if (c0 !== undefined && c0 >= '①' && c0 <= '⑳')
    return { kind: 'circled', n: c0.charCodeAt(0) - 0x2460 + 1 };
  let j = 0;
  while (j < text.length && j < 3 && text[j]! >= '0' && text[j]! <= '9') j++;
  if (j === 0 || j === 3) return null;
  let k = j;
  while (k < text.length && text[k] === ' ') k++;
  const sep = text[k];
  if (sep !== '.' && sep !== '．' && sep !== '、') return null;
  // 1.5 倍 is a number in a sentence, not a marker.
  const after = text[k + 1];
  if (after !== undefined && after >= '0' && after <= '9') return null;
  return { kind: 'num-dot', n: Number(text.slice(0, j)) };
}

const CN_NUMERALS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

function chineseOf(n: number): string {
  if (n <= 10) return CN_NUMERALS[n]!;
  const tens = Math.floor(n / 10);
  return `${tens === 1 ? '' : CN_NUMERALS[tens]}十${CN_NUMERALS[n % 10]}`;
}

/** How marker `n` of a kind may be written inside a paragraph. */
function markerTexts(kind: MarkerKind, n: number): string[] {
  switch (kind) {
    case 'cn-paren':
      return [`（${chineseOf(n)}）`, `(${chineseOf(n)})`];
    case 'num-paren':
      return [`（${n}）`, `(${n})`];
    case 'num-dot':
      return [`${n}.`, `${n}．`, `${n}、`];
    case 'circled':
      return [String.fromCharCode(0x2460 + n - 1)];
  }
}

/**
 * The enumerated paragraphs of a section count 1, 2, 3 … at every level: a level opened by a
 * new kind of marker starts at 1, a marker of an outer level closes the inner ones, and a list
 * may start again at 1. Any other gap means a paragraph was lost (or a number damaged) and is
 * refused.
 */
function checkNumbering(paragraphs: readonly ParsedParagraph[], title: string): void {
  const stack: Array<{ kind: MarkerKind; n: number }> = [];
  let previous = '';
  for (const p of paragraphs) {
    const m = markerOf(p.text);
    const before = previous;
    previous = p.text;
    if (!m) continue;
    const at = stack.findIndex((s) => s.kind === m.kind);
    let expected = at === -1 ? 1 : stack[at]!.n + 1;
    // The document sometimes runs two items into one paragraph: “（二）……；（三）……”.
    while (expected < m.n && markerTexts(m.kind, expected).some((t) => before.includes(t))) expected++;
    // A new list (after a paragraph that introduces it) starts again at 1.
    if (m.n !== expected && m.n !== 1) {
      throw new ImportError(
        'numbering-gap',
        p.line,
        `监管制度“${short(title)}”中这一段的编号为 ${m.n}，应为 ${expected}：前面可能缺了一段，或编号损坏`,
        `paragraph numbered ${m.n} in regime “${short(title)}” where ${expected} was due: a paragraph lost or a damaged number`,
      );
    }
    if (at === -1) stack.push(m);
    else {
      stack.length = at;
      stack.push(m);
    }
  }
}
