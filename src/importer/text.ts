/** Layout whitespace: what Word exports around cell text. Trimmed, never rewritten inside text. */
const LAYOUT_WS = /[\s\u3000\u00a0\ufeff]/;

/**
 * The text without layout whitespace at either end. A scan from both ends, linear in the length:
 * the regular expression `[\s…]+$` it replaces retried from every position of a long run of
 * spaces inside a line (200,000 spaces between two words took 35 s).
 */
export function trimLayout(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && LAYOUT_WS.test(s[start]!)) start++;
  while (end > start && LAYOUT_WS.test(s[end - 1]!)) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

export function isBlank(s: string): boolean {
  return trimLayout(s) === '';
}

export { looseKey } from '../lib/text.ts';

const NAME_SEPARATORS = '、，,；;\n';

/**
 * Splits a cell naming several offices or departments (separated by 、，,；;) but never
 * inside parentheses: 对外贸易和国际经贸关系科（衡水市机电产品进出口办公室） stays whole.
 */
export function splitNames(cell: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  const push = (to: number) => {
    const name = trimLayout(cell.slice(from, to));
    if (name) out.push(name);
  };
  for (let i = 0; i < cell.length; i++) {
    const ch = cell[i]!;
    if (ch === '（' || ch === '(') depth++;
    else if (ch === '）' || ch === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && NAME_SEPARATORS.includes(ch)) {
      push(i);
      from = i + 1;
    }
  }
  push(cell.length);
  return out;
}

export function splitPhones(cell: string): string[] {
  return cell
    .split(/[、，,；;/\s\u3000]+/)
    .map(trimLayout)
    .filter((p) => p !== '');
}

/**
 * Splits a 相关依据 cell into its numbered citations: "1.《A》（x号）；2.《B》" → ["《A》（x号）", "《B》"].
 * A cell without numbering is one citation.
 */
export function splitLegalBases(cell: string): string[] {
  const text = trimLayout(cell);
  if (text === '') return [];
  const starts: number[] = [];
  const re = /(?<![\d〔[［])(\d{1,2})[.．、]\s*(?=《)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) starts.push(m.index);
  if (starts.length < 2 || starts[0] !== 0) return [text.replace(/[；;。]$/, '')];
  const pieces: string[] = [];
  for (let i = 0; i < starts.length; i++) {
    const piece = text.slice(starts[i], starts[i + 1] ?? text.length);
    const body = trimLayout(piece.replace(/^\d{1,2}[.．、]\s*/, '')).replace(/[；;。]$/, '');
    if (body) pieces.push(trimLayout(body));
  }
  return pieces;
}

/**
 * The document number a citation carries, as written: 商秩函〔2010〕739号, 衡政办[2010]1号,
 * 商务部令2007年第8号. Null when it cites a law by title only.
 */
export function parseDocNumber(citation: string): string | null {
  const bracket = /([\u4e00-\u9fa5]{1,10})\s*([〔[［])\s*(\d{4})\s*([〕\]］])\s*(第?\d+号)/.exec(citation);
  if (bracket) {
    const issuer = bracket[1]!.replace(/^.*[》的关于]/, '');
    return `${issuer}${bracket[2]}${bracket[3]}${bracket[4]}${bracket[5]}`;
  }
  // One \s* before the optional year, never two around it: `\s*(\d{4}年)?\s*` splits a run of
  // spaces in quadratically many ways before failing.
  const order = /([\u4e00-\u9fa5、]{1,20}令)\s*(?:(\d{4}年)\s*)?第\s*(\d+)\s*号/.exec(citation);
  if (order) return `${order[1]}${order[2] ?? ''}第${order[3]}号`;
  return null;
}

const CN_DIGITS: Record<string, number> = {
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  十: 10,
};

/** 十二 → 12; returns null for anything that is not a Chinese numeral up to 99. */
export function chineseNumeral(s: string): number | null {
  if (!/^[一二三四五六七八九十]+$/.test(s)) return null;
  if (s === '十') return 10;
  const i = s.indexOf('十');
  if (i === -1) return s.length === 1 ? (CN_DIGITS[s] ?? null) : null;
  const tens = i === 0 ? 1 : (CN_DIGITS[s[0]!] ?? 0);
  const ones = i === s.length - 1 ? 0 : (CN_DIGITS[s[s.length - 1]!] ?? 0);
  return tens * 10 + ones;
}
