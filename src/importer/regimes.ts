import { ImportError } from './errors.ts';
import type { ParsedParagraph, ParsedRegime, ParsedSection, Repair, SectionKind } from './model.ts';
import type { PartBlock } from './table.ts';
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
    text.length <= 40 && !/[。；;：:，,]/.test(text) && !ENUMERATED.test(text) && sectionOf(text) === null
  );
}

export function parseRegimes(lines: string[], block: PartBlock, repairs: Repair[]): ParsedRegime[] {
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
