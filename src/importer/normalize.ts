import { ImportError } from './errors.ts';

/**
 * The rules applied to every line before the document is read (docs/importer.md, "Refusal
 * rules"). Line ends are decode.ts's; here:
 *
 * - a line longer than MAX_LINE_CHARS is refused (nothing the bureau publishes comes near it,
 *   and every later step then works on bounded text);
 * - invisible characters — zero-width spaces and joiners, the word joiner, a BOM inside the
 *   text, the soft hyphen, bidirectional controls, control characters other than TAB — are
 *   removed, each line with a repair note naming them, so that “外事科” and “外事科<U+200B>” are
 *   one office and never two that look the same;
 * - visible whitespace (spaces, NBSP, U+3000, the other Unicode spaces) is left in place:
 *   it is trimmed at cell borders (text.ts), removed inside names (names.ts) and a line of
 *   nothing else is a blank line — or, in a table that also has truly empty lines, an empty
 *   cell written as non-breaking spaces (table.ts).
 *
 * Everything here is a single pass over the characters; no regular expression.
 */

/** The longest line accepted (characters). The bundled document's longest is 244. */
export const MAX_LINE_CHARS = 10_000;

/** Invisible characters by code point, with the Chinese name a repair note gives them. */
const INVISIBLE_NAMES: ReadonlyArray<readonly [number, number, string]> = [
  [0x00ad, 0x00ad, '软连字符'],
  [0x034f, 0x034f, '组合字形连接符'],
  [0x061c, 0x061c, '双向文字控制符'],
  [0x115f, 0x1160, '韩文填充符'],
  [0x180e, 0x180e, '蒙古文元音分隔符'],
  [0x200b, 0x200b, '零宽空格'],
  [0x200c, 0x200d, '零宽连接符'],
  [0x200e, 0x200f, '双向文字控制符'],
  [0x202a, 0x202e, '双向文字控制符'],
  [0x2060, 0x2064, '零宽连接符'],
  [0x2066, 0x2069, '双向文字控制符'],
  [0x206a, 0x206f, '格式控制符'],
  [0x3164, 0x3164, '韩文填充符'],
  [0xfe00, 0xfe0f, '变体选择符'],
  [0xfeff, 0xfeff, '零宽不换行空格'],
  [0xffa0, 0xffa0, '韩文填充符'],
];

/** The Chinese name of an invisible character, or null for a visible one. TAB and LF are visible layout. */
export function invisibleName(code: number): string | null {
  // Fast path: printable ASCII and the CJK block, nearly every character of a document.
  if ((code >= 0x20 && code < 0x7f) || (code >= 0x4e00 && code <= 0x9fff)) return null;
  if (code < 0x20 && code !== 0x09 && code !== 0x0a) return '控制字符';
  if (code === 0x7f || (code >= 0x80 && code < 0xa0)) return '控制字符';
  for (const [from, to, name] of INVISIBLE_NAMES) if (code >= from && code <= to) return name;
  return null;
}

/** Any invisible character (a character class: linear); lines without one skip the scan. */
const HAS_INVISIBLE = new RegExp(
  '[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u00ad\\u034f\\u061c\\u115f\\u1160\\u180e' +
    '\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u206f\\u3164\\ufe00-\\ufe0f\\ufeff\\uffa0]',
);

export interface LineNote {
  line: number;
  message: string;
}

/**
 * Applies the rules to `lines` in place; returns a note for every line that lost invisible
 * characters. Throws ImportError for a line that is too long.
 */
export function normalizeLines(lines: string[]): LineNote[] {
  const notes: LineNote[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length > MAX_LINE_CHARS) {
      throw new ImportError(
        'line-too-long',
        i + 1,
        `这一行有 ${line.length.toLocaleString('en-US')} 个字符，超过上限 ${MAX_LINE_CHARS.toLocaleString('en-US')}：文件可能损坏或不是导出的清单文本`,
        `the line has ${line.length} characters, more than ${MAX_LINE_CHARS}: a damaged file or not an exported list`,
      );
    }
    if (!HAS_INVISIBLE.test(line)) continue;
    let kept: string[] | null = null;
    let from = 0;
    const found = new Map<string, number>();
    for (let j = 0; j < line.length; j++) {
      const name = invisibleName(line.charCodeAt(j));
      if (name === null) continue;
      kept ??= [];
      kept.push(line.slice(from, j));
      from = j + 1;
      found.set(name, (found.get(name) ?? 0) + 1);
    }
    if (kept === null) continue;
    lines[i] = kept.join('') + line.slice(from);
    const what = [...found].map(([name, n]) => `${name} ${n} 个`).join('、');
    notes.push({ line: i + 1, message: `第 ${i + 1} 行含有看不见的字符（${what}），已删除` });
  }
  return notes;
}

/** A line of nothing but non-breaking spaces (at least one) and other whitespace, without a TAB. */
export function isNbspOnly(line: string): boolean {
  let nbsp = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0xa0) nbsp = true;
    else if (!isSpaceCode(c)) return false;
  }
  return nbsp;
}

/** A line that is empty or holds only ASCII spaces. */
export function isPlainBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) if (line.charCodeAt(i) !== 0x20) return false;
  return true;
}

/** Whitespace other than TAB and LF: what layout trimming removes. */
export function isSpaceCode(c: number): boolean {
  return (
    c === 0x20 ||
    c === 0x0b ||
    c === 0x0c ||
    c === 0x0d ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}
