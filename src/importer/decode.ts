/**
 * Turns the bytes of an uploaded document into text. The encoding is detected, never assumed:
 * byte-order marks first, then UTF-16 without a BOM (recognised by its NUL bytes), then strict
 * UTF-8, then strict GB18030 with a plausibility check against mojibake. Anything else is
 * refused with the byte offset of the first bad byte.
 *
 * Only line endings are rewritten (LF, CRLF, CR CR LF — a CRLF file passed once more through a
 * text-mode copy — and a lone CR each become one LF) and the BOM is dropped; every other
 * character, including U+3000, U+00A0 and trailing blanks, is kept as it is (normalize.ts rules
 * on whitespace and invisible characters when the document is read).
 */
import iconv from 'iconv-lite';
import { ImportError } from './errors.ts';

export type DetectedEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'gb18030';
export type LineEnding = 'lf' | 'crlf' | 'crcrlf' | 'cr' | 'mixed';

export interface DecodedDocument {
  text: string;
  encoding: DetectedEncoding;
  lineEnding: LineEnding;
}

export type DecodeErrorCode = 'encoding-unknown' | 'binary' | 'invalid-utf8' | 'invalid-utf16';

/** A byte sequence that is not text in any encoding we accept. `offset` is a byte offset into the input. */
export class DecodeError extends ImportError {
  readonly offset: number;
  /** The encoding the offset refers to (the most plausible one), null for binary input. */
  readonly encoding: DetectedEncoding | null;

  constructor(
    code: DecodeErrorCode,
    offset: number,
    encoding: DetectedEncoding | null,
    messageZh: string,
    messageEn: string,
  ) {
    super(code, null, messageZh, messageEn);
    this.name = 'DecodeError';
    this.offset = offset;
    this.encoding = encoding;
  }
}

/** Share of control characters (other than TAB, LF, VT, FF, CR) above which input counts as binary. */
const MAX_CONTROL_RATIO = 0.01;
/** Share of uncommon characters among non-ASCII characters above which a GB18030 decoding is mojibake. */
const MIN_GB_PLAUSIBLE = 0.75;
/** Minimum non-ASCII characters before the GB18030 plausibility check is trusted. */
const MIN_GB_SAMPLE = 8;
/** Share of plausible characters a BOM-less UTF-16 decoding needs. */
const MIN_UTF16_PLAUSIBLE = 0.9;

export function decodeDocument(bytes: Uint8Array): DecodedDocument {
  const b0 = bytes[0];
  const b1 = bytes[1];
  const b2 = bytes[2];

  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) {
    const bad = scanUtf8(bytes, 3).firstInvalid;
    if (bad !== -1) {
      throw new DecodeError(
        'invalid-utf8',
        bad,
        'utf-8-bom',
        `文件以 UTF-8 字节顺序标记开头，但第 ${bad} 字节处的字节序列不是有效的 UTF-8`,
        `the file starts with a UTF-8 byte order mark but has an invalid UTF-8 byte sequence at byte offset ${bad}`,
      );
    }
    checkControlBytes(bytes, 3);
    return finish(
      new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(3)),
      'utf-8-bom',
    );
  }

  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    const le = b0 === 0xff;
    const encoding = le ? 'utf-16le' : 'utf-16be';
    const decoded = decodeUtf16(bytes, 2, le);
    if (typeof decoded === 'number') {
      throw new DecodeError(
        'invalid-utf16',
        decoded,
        encoding,
        `文件以 ${le ? 'UTF-16LE' : 'UTF-16BE'} 字节顺序标记开头，但第 ${decoded} 字节处不是有效的 UTF-16`,
        `the file starts with a ${le ? 'UTF-16LE' : 'UTF-16BE'} byte order mark but is not valid UTF-16 at byte offset ${decoded}`,
      );
    }
    checkControlChars(decoded, 2);
    return finish(decoded, encoding);
  }

  const firstNul = bytes.indexOf(0);
  if (firstNul !== -1) {
    const guess = guessUtf16WithoutBom(bytes);
    if (guess) {
      checkControlChars(guess.text, 0);
      return finish(guess.text, guess.encoding);
    }
    throw binaryError(firstNul);
  }

  checkControlBytes(bytes, 0);

  const utf8 = scanUtf8(bytes, 0);
  const utf8Bad = utf8.firstInvalid;
  if (utf8Bad === -1) {
    return finish(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), 'utf-8');
  }

  const gb = scanGb18030(bytes);
  if (gb.firstInvalid === -1) {
    const sampled = gb.nonAscii >= MIN_GB_SAMPLE;
    if (!sampled || gb.plausible / gb.nonAscii >= MIN_GB_PLAUSIBLE) {
      return finish(
        iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'gb18030'),
        'gb18030',
      );
    }
    throw new DecodeError(
      'encoding-unknown',
      utf8Bad,
      'utf-8',
      `无法识别文件编码：第 ${utf8Bad} 字节处的字节序列不是有效的 UTF-8，按 GB18030 解读则大部分是罕见字符（疑似乱码）`,
      `Cannot detect encoding: invalid UTF-8 byte sequence at byte offset ${utf8Bad}, and decoding as GB18030 gives mostly unusual characters (likely mojibake)`,
    );
  }

  // Neither decodes. The more plausible encoding is the one under which the whole input looks
  // more like text: well-formed UTF-8 multi-byte sequences less invalid ones, against common
  // GB18030 characters less uncommon ones (what UTF-8 read as GB18030 turns into) and invalid
  // ones. A tie goes to the encoding with the longer valid prefix.
  const utf8Score = utf8.multiByte - utf8.invalid;
  const gbScore = 2 * gb.plausible - gb.nonAscii - gb.invalid;
  const useUtf8 = utf8Score !== gbScore ? utf8Score > gbScore : utf8Bad >= gb.firstInvalid;
  const offset = useUtf8 ? utf8Bad : gb.firstInvalid;
  const encoding: DetectedEncoding = useUtf8 ? 'utf-8' : 'gb18030';
  throw new DecodeError(
    'encoding-unknown',
    offset,
    encoding,
    `无法识别文件编码：第 ${offset} 字节处的字节序列在 UTF-8 和 GB18030 中都无效（按较可能的 ${useUtf8 ? 'UTF-8' : 'GB18030'} 计算位置）`,
    `Cannot detect encoding: invalid byte sequence at byte offset ${offset} (position as ${useUtf8 ? 'UTF-8' : 'GB18030'}, the more plausible encoding); the file is valid neither as UTF-8 nor as GB18030`,
  );
}

function finish(raw: string, encoding: DetectedEncoding): DecodedDocument {
  // One pass, no regular expression: a run of CRs followed by LF is one line end (CRLF, CR CR LF);
  // a CR not followed by CRs and an LF is one line end of its own.
  let crlf = 0;
  let crcrlf = 0;
  let cr = 0;
  let lf = 0;
  let out: string[] | null = null;
  let from = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 10) {
      lf++;
      continue;
    }
    if (c !== 13) continue;
    let j = i;
    while (raw.charCodeAt(j) === 13) j++;
    out ??= [];
    out.push(raw.slice(from, i));
    if (raw.charCodeAt(j) === 10) {
      const run = j - i;
      if (run === 1) crlf++;
      else crcrlf++;
      // More CRs before a CR CR LF are line ends of their own (blank lines).
      if (run > 2) {
        cr += run - 2;
        out.push('\n'.repeat(run - 2));
      }
      out.push('\n');
      from = j + 1;
      i = j;
    } else {
      cr += j - i;
      out.push('\n'.repeat(j - i));
      from = j;
      i = j - 1;
    }
  }
  const kinds = [crlf, crcrlf, cr, lf].filter((n) => n > 0).length;
  const lineEnding: LineEnding =
    kinds > 1 ? 'mixed' : crlf > 0 ? 'crlf' : crcrlf > 0 ? 'crcrlf' : cr > 0 ? 'cr' : 'lf';
  const text = out === null ? raw : out.join('') + raw.slice(from);
  return { text, encoding, lineEnding };
}

function binaryError(offset: number): DecodeError {
  return new DecodeError(
    'binary',
    offset,
    null,
    `文件不是文本文件：第 ${offset} 字节处起出现空字节或控制字符（可能是二进制文件或 Word 原件，请另存为纯文本）`,
    `not a text file: NUL or control bytes from byte offset ${offset} (binary input, e.g. an original Word file; save it as plain text)`,
  );
}

/** Control characters that never occur in an exported document: C0 except TAB LF VT FF CR, and DEL. */
function isControl(c: number): boolean {
  return (c < 0x20 && (c < 0x09 || c > 0x0d)) || c === 0x7f;
}

/**
 * In UTF-8 and GB18030 every byte below 0x80 is a character of its own (no trail byte is that
 * low), so control characters can be counted on the bytes before decoding.
 */
function checkControlBytes(bytes: Uint8Array, start: number): void {
  let count = 0;
  let first = -1;
  for (let i = start; i < bytes.length; i++) {
    if (isControl(bytes[i]!)) {
      count++;
      if (first === -1) first = i;
    }
  }
  if (count > 0 && count / Math.max(1, bytes.length - start) > MAX_CONTROL_RATIO) throw binaryError(first);
}

function checkControlChars(text: string, byteStart: number): void {
  let count = 0;
  let first = -1;
  for (let i = 0; i < text.length; i++) {
    if (isControl(text.charCodeAt(i))) {
      count++;
      if (first === -1) first = i;
    }
  }
  if (count > 0 && count / Math.max(1, text.length) > MAX_CONTROL_RATIO) {
    throw binaryError(byteStart + first * 2);
  }
}

interface Utf8Scan {
  /** Byte offset of the first byte that breaks strict UTF-8 (RFC 3629), or -1. */
  firstInvalid: number;
  /** Well-formed multi-byte sequences in the whole input: evidence that the bytes are UTF-8. */
  multiByte: number;
  /** Invalid sequences in the whole input (the scan resynchronises after each). */
  invalid: number;
}

function scanUtf8(bytes: Uint8Array, start: number): Utf8Scan {
  const n = bytes.length;
  let multiByte = 0;
  let invalid = 0;
  let firstInvalid = -1;
  let i = start;
  const fail = (at: number): void => {
    invalid++;
    if (firstInvalid === -1) firstInvalid = at;
    i = Math.max(at, i + 1);
  };
  outer: while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else {
      fail(i);
      continue;
    }
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf)) {
        fail(Math.min(i + k, n - 1));
        continue outer;
      }
    }
    multiByte++;
    i += need + 1;
  }
  return { firstInvalid, multiByte, invalid };
}

interface GbScan {
  /** Byte offset of the first byte that breaks GB18030, or -1. */
  firstInvalid: number;
  /** Invalid sequences in the whole input (the scan resynchronises after each). */
  invalid: number;
  /** Multi-byte characters. */
  nonAscii: number;
  /** Multi-byte characters a Chinese text commonly uses: GB2312 hanzi and GB2312 punctuation rows. */
  plausible: number;
}

/**
 * Walks the bytes per the GB18030 structure: 0x00–0x7F; lead 0x81–0xFE with trail 0x40–0x7E or
 * 0x80–0xFE; or 0x81–0xFE 0x30–0x39 0x81–0xFE 0x30–0x39 inside the mapped four-byte ranges.
 * iconv-lite decodes invalid sequences silently, hence this walk.
 */
function scanGb18030(bytes: Uint8Array): GbScan {
  const n = bytes.length;
  let nonAscii = 0;
  let plausible = 0;
  let invalid = 0;
  let firstInvalid = -1;
  let i = 0;
  const fail = (at: number): void => {
    invalid++;
    if (firstInvalid === -1) firstInvalid = at;
    i = Math.max(at, i + 1);
  };
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    if (b === 0x80 || b === 0xff) {
      fail(i);
      continue;
    }
    const t = bytes[i + 1];
    if (t === undefined) {
      fail(i);
      continue;
    }
    if (t >= 0x30 && t <= 0x39) {
      const b3 = bytes[i + 2];
      if (b3 === undefined || b3 < 0x81 || b3 > 0xfe) {
        fail(Math.min(i + 2, n - 1));
        continue;
      }
      const b4 = bytes[i + 3];
      if (b4 === undefined || b4 < 0x30 || b4 > 0x39) {
        fail(Math.min(i + 3, n - 1));
        continue;
      }
      const linear = (((b - 0x81) * 10 + (t - 0x30)) * 126 + (b3 - 0x81)) * 10 + (b4 - 0x30);
      // BMP: 0x81308130–0x8431A439; supplementary planes: 0x90308130–0xE3329A35.
      if (!(linear <= 39419 || (linear >= 189000 && linear <= 1237575))) {
        fail(i);
        continue;
      }
      nonAscii++;
      i += 4;
      continue;
    }
    if (t < 0x40 || t === 0x7f || t === 0xff) {
      fail(i + 1);
      continue;
    }
    nonAscii++;
    if (t >= 0xa1 && ((b >= 0xb0 && b <= 0xf7) || (b >= 0xa1 && b <= 0xa3))) plausible++;
    i += 2;
  }
  return { firstInvalid, invalid, nonAscii, plausible };
}

/** Decodes UTF-16 from `start`; returns the text, or the byte offset of the first invalid code unit. */
function decodeUtf16(bytes: Uint8Array, start: number, le: boolean): string | number {
  const units = Math.floor((bytes.length - start) / 2);
  const parts: string[] = [];
  const CHUNK = 8192;
  let chunk: number[] = [];
  for (let u = 0; u < units; u++) {
    const p = start + u * 2;
    const c = le ? bytes[p]! | (bytes[p + 1]! << 8) : (bytes[p]! << 8) | bytes[p + 1]!;
    if (c >= 0xd800 && c <= 0xdbff) {
      const q = p + 2;
      if (u + 1 >= units) return p;
      const d = le ? bytes[q]! | (bytes[q + 1]! << 8) : (bytes[q]! << 8) | bytes[q + 1]!;
      if (d < 0xdc00 || d > 0xdfff) return p;
      chunk.push(c, d);
      u++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return p;
    } else {
      chunk.push(c);
    }
    if (chunk.length >= CHUNK) {
      parts.push(String.fromCharCode(...chunk));
      chunk = [];
    }
  }
  if ((bytes.length - start) % 2 !== 0) return bytes.length - 1;
  parts.push(String.fromCharCode(...chunk));
  return parts.join('');
}

/** Characters a Chinese or English administrative text is made of. */
function isPlausibleChar(c: number): boolean {
  return (
    (c >= 0x20 && c < 0x7f) ||
    c === 0x09 ||
    c === 0x0a ||
    c === 0x0d ||
    (c >= 0x00a0 && c <= 0x00ff) ||
    (c >= 0x2000 && c <= 0x206f) ||
    (c >= 0x2100 && c <= 0x22ff) ||
    (c >= 0x2460 && c <= 0x25ff) ||
    (c >= 0x3000 && c <= 0x303f) ||
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0xff00 && c <= 0xffef)
  );
}

function plausibility(text: string): number {
  if (text.length === 0) return 0;
  let ok = 0;
  let nul = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) nul++;
    if (isPlausibleChar(c)) ok++;
  }
  return nul > 0 ? 0 : ok / text.length;
}

/**
 * UTF-16 without a BOM: text in it has NUL bytes (the high byte of every ASCII character), which
 * UTF-8 and GB18030 text never has. Both byte orders are decoded; the one that reads as plausible
 * text wins, and only if it clearly does.
 */
function guessUtf16WithoutBom(bytes: Uint8Array): { text: string; encoding: DetectedEncoding } | null {
  if (bytes.length < 2 || bytes.length % 2 !== 0) return null;
  let best: { text: string; encoding: DetectedEncoding; score: number } | null = null;
  let second = 0;
  for (const le of [true, false]) {
    const decoded = decodeUtf16(bytes, 0, le);
    if (typeof decoded === 'number') continue;
    const score = plausibility(decoded);
    if (!best || score > best.score) {
      if (best) second = best.score;
      best = { text: decoded, encoding: le ? 'utf-16le' : 'utf-16be', score };
    } else {
      second = Math.max(second, score);
    }
  }
  if (!best || best.score < MIN_UTF16_PLAUSIBLE || best.score - second < 0.05) return null;
  return { text: best.text, encoding: best.encoding };
}
