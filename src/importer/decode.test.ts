import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  FIXTURE_ENCODINGS,
  FIXTURE_LINE_ENDINGS,
  type FixtureVariant,
  fixtureVariants,
  utf16be,
  utf16le,
} from '../../test/fixtures/encodings.ts';
import { DecodeError, decodeDocument } from './decode.ts';
import { ImportError } from './errors.ts';

const SOURCE = readFileSync(new URL('../../data-bundled/source.txt', import.meta.url), 'utf8').replace(
  /\r\n?/g,
  '\n',
);

function utf8(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf8'));
}

function gb18030(text: string): Uint8Array {
  return new Uint8Array(iconv.encode(text, 'gb18030'));
}

/** Deterministic bytes (mulberry32), so a failure can be reproduced. */
function randomBytes(length: number, seed: number): Uint8Array {
  let a = seed >>> 0;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

function decodeError(bytes: Uint8Array): DecodeError {
  try {
    decodeDocument(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    return e as DecodeError;
  }
  throw new Error('expected a DecodeError');
}

/** Byte offset of the second byte of the first three-byte UTF-8 character at or after `from`. */
function continuationByteNear(bytes: Uint8Array, from: number): number {
  for (let i = from; i + 2 < bytes.length; i++) {
    if (bytes[i]! >= 0xe4 && bytes[i]! <= 0xe9 && bytes[i + 1]! >= 0x80 && bytes[i + 1]! <= 0xbf)
      return i + 1;
  }
  throw new Error('no Chinese character found');
}

describe('decodeDocument: the seed document in every encoding', () => {
  it('the bundled copy is the seed and has the features that must survive', () => {
    expect(SOURCE.length).toBeGreaterThan(30_000);
    expect(SOURCE).toContain('衡水市商务局部门职责登记表');
    expect(SOURCE).toContain('\u3000');
  });

  const variants = fixtureVariants(SOURCE);
  for (const name of Object.keys(variants) as FixtureVariant[]) {
    it(`${name} decodes to exactly the original text`, () => {
      const decoded = decodeDocument(variants[name]);
      expect(decoded.encoding).toBe(FIXTURE_ENCODINGS[name]);
      expect(decoded.lineEnding).toBe(FIXTURE_LINE_ENDINGS[name]);
      expect(decoded.text.length).toBe(SOURCE.length);
      expect(decoded.text === SOURCE).toBe(true);
    });
  }

  it('UTF-16 without a BOM is recognised by its NUL bytes, in both byte orders', () => {
    const le = decodeDocument(utf16le(SOURCE, false));
    expect(le.encoding).toBe('utf-16le');
    expect(le.text === SOURCE).toBe(true);
    const be = decodeDocument(utf16be(SOURCE, false));
    expect(be.encoding).toBe('utf-16be');
    expect(be.text === SOURCE).toBe(true);
  });

  it('short UTF-16 texts without a BOM, Chinese or ASCII, are recognised too', () => {
    for (const text of ['序号\n主要职责\n', 'Zhize import test\r\nline two\r\n']) {
      expect(decodeDocument(utf16le(text, false)).text).toBe(text.replace(/\r\n/g, '\n'));
      expect(decodeDocument(utf16be(text, false)).text).toBe(text.replace(/\r\n/g, '\n'));
    }
  });
});

describe('decodeDocument: characters and line endings', () => {
  const tricky = '\u3000\u3000（一）监督检查对象\u00a0 \t\n\t备  注  \n末行 ';

  it('keeps U+3000, U+00A0, tabs and trailing blanks in every encoding', () => {
    for (const bytes of Object.values(fixtureVariants(tricky))) {
      expect(decodeDocument(bytes).text).toBe(tricky);
    }
  });

  it('keeps supplementary-plane characters (GB18030 four-byte sequences, UTF-16 surrogates)', () => {
    const text = '𠀀字¥€·—\n';
    for (const bytes of Object.values(fixtureVariants(text))) expect(decodeDocument(bytes).text).toBe(text);
  });

  it('strips the BOM and only the BOM', () => {
    const decoded = decodeDocument(utf8('\ufeff\ufeff序号\n'));
    expect(decoded.encoding).toBe('utf-8-bom');
    expect(decoded.text).toBe('\ufeff序号\n');
  });

  it('reports and normalises CRLF, lone CR and mixtures', () => {
    expect(decodeDocument(utf8('a\r\nb\r\n'))).toEqual({
      text: 'a\nb\n',
      encoding: 'utf-8',
      lineEnding: 'crlf',
    });
    expect(decodeDocument(utf8('a\rb\r'))).toEqual({ text: 'a\nb\n', encoding: 'utf-8', lineEnding: 'cr' });
    expect(decodeDocument(utf8('a\nb\r\nc\rd'))).toEqual({
      text: 'a\nb\nc\nd',
      encoding: 'utf-8',
      lineEnding: 'mixed',
    });
    expect(decodeDocument(utf8('a\nb'))).toEqual({ text: 'a\nb', encoding: 'utf-8', lineEnding: 'lf' });
    expect(decodeDocument(utf8('one line')).lineEnding).toBe('lf');
    // CR CR LF (a CRLF file copied once more in text mode) is one line end, not two.
    expect(decodeDocument(utf8('a\r\r\nb\r\r\n'))).toEqual({
      text: 'a\nb\n',
      encoding: 'utf-8',
      lineEnding: 'crcrlf',
    });
    expect(decodeDocument(utf8('a\r\r\r\nb')).text).toBe('a\n\nb');
    expect(decodeDocument(utf8('a\r\n\r\nb')).text).toBe('a\n\nb');
  });

  it('decodes an empty file as empty UTF-8 text', () => {
    expect(decodeDocument(new Uint8Array(0))).toEqual({ text: '', encoding: 'utf-8', lineEnding: 'lf' });
  });

  it('prefers UTF-8 for pure ASCII and takes a short GBK text as GB18030', () => {
    expect(decodeDocument(utf8('1\t2\n')).encoding).toBe('utf-8');
    const gbk = decodeDocument(gb18030('序号\t主要职责\r\n'));
    expect(gbk).toEqual({ text: '序号\t主要职责\n', encoding: 'gb18030', lineEnding: 'crlf' });
  });

  it('tolerates a stray control character in a long text', () => {
    const text = `${SOURCE.slice(0, 5000)}\u0007${SOURCE.slice(5000, 20_000)}`;
    expect(decodeDocument(utf8(text)).text).toBe(text);
  });
});

describe('decodeDocument: refusals', () => {
  it('refuses random binary bytes with the offset of the first NUL byte', () => {
    for (const seed of [1, 2, 3, 42]) {
      const bytes = randomBytes(4096, seed);
      const err = decodeError(bytes);
      expect(err.code).toBe('binary');
      expect(err.offset).toBe(bytes.indexOf(0));
      expect(err).toBeInstanceOf(ImportError);
      expect(err.message).toContain(`第 ${err.offset} 字节`);
      expect(err.message).toContain(`byte offset ${err.offset}`);
    }
  });

  it('refuses random bytes without NULs, with an offset inside the input', () => {
    for (const seed of [7, 8, 9]) {
      const bytes = randomBytes(4096, seed).map((b) => (b === 0 ? 1 : b));
      const err = decodeError(bytes);
      expect(['binary', 'encoding-unknown']).toContain(err.code);
      expect(err.offset).toBeGreaterThanOrEqual(0);
      expect(err.offset).toBeLessThan(bytes.length);
    }
  });

  it('refuses text with a high proportion of control characters', () => {
    const err = decodeError(utf8('序号\u0001\u0002\u0003主要职责\u0004\n'));
    expect(err.code).toBe('binary');
    expect(err.offset).toBe(6);
  });

  it('refuses a NUL byte in a UTF-8 file as binary', () => {
    const bytes = utf8(SOURCE);
    const at = continuationByteNear(bytes, 20_000) + 2;
    bytes[at] = 0;
    const err = decodeError(bytes);
    expect(err.code).toBe('binary');
    expect(err.offset).toBe(at);
  });

  it('refuses a UTF-8 file with one byte corrupted inside a Chinese character, at the UTF-8 offset', () => {
    const original = utf8(SOURCE);
    for (const [from, value] of [
      [Math.floor(original.length / 2), 0x41],
      [Math.floor(original.length / 3), 0xc0],
      [1000, 0x30],
      [70_000, 0xe4],
    ] as const) {
      const bytes = original.slice();
      const at = continuationByteNear(bytes, from);
      bytes[at] = value;
      const err = decodeError(bytes);
      expect(err.code).toBe('encoding-unknown');
      expect(err.encoding).toBe('utf-8');
      expect(err.offset).toBe(at);
      expect(err.messageZh).toContain(`第 ${at} 字节`);
      expect(err.messageEn).toContain(`Cannot detect encoding: invalid`);
      expect(err.messageEn).toContain(`byte offset ${at}`);
    }
  });

  it('refuses corrupted UTF-8 that happens to be valid GB18030 but reads as mojibake', () => {
    // Valid GB18030 byte by byte (iconv-lite would happily turn it into 鍙傝...), but mostly rare characters.
    const text = '参与重要会议组织并承担会议材料准备工作';
    const bytes = utf8(text);
    bytes[28] = 0x41;
    expect(iconv.decode(Buffer.from(bytes), 'gb18030')).not.toContain('\ufffd');
    const err = decodeError(bytes);
    expect(err.code).toBe('encoding-unknown');
    expect(err.encoding).toBe('utf-8');
    expect(err.offset).toBe(28);
    expect(err.messageZh).toContain('乱码');
  });

  it('refuses a GB18030 file with a broken byte, at the GB18030 offset', () => {
    const original = gb18030(SOURCE);
    for (const [from, value] of [
      [Math.floor(SOURCE.length / 2), 0xff],
      [5000, 0x0a],
    ] as const) {
      const bytes = original.slice();
      let at = from;
      while (!/[\u4e00-\u9fff]/.test(SOURCE[at]!)) at++;
      const start = gb18030(SOURCE.slice(0, at)).length;
      // 0xFF is never a lead byte; 0x0A is never a trail byte.
      const pos = value === 0xff ? start : start + 1;
      bytes[pos] = value;
      const err = decodeError(bytes);
      expect(err.code).toBe('encoding-unknown');
      expect(err.encoding).toBe('gb18030');
      expect(err.offset).toBe(pos);
    }
  });

  it('refuses invalid UTF-8 after a UTF-8 BOM, and invalid UTF-16 after a UTF-16 BOM', () => {
    const bytes = utf8('\ufeff序号');
    bytes[4] = 0x20;
    const err = decodeError(bytes);
    expect(err.code).toBe('invalid-utf8');
    expect(err.offset).toBe(4);

    const lone = utf16le('a\ud800b');
    expect(decodeError(lone)).toMatchObject({ code: 'invalid-utf16', offset: 4 });
    const odd = utf16be('序号').subarray(0, 5);
    expect(decodeError(odd)).toMatchObject({ code: 'invalid-utf16', offset: 4 });
  });

  it('refuses UTF-16 whose text is mostly control characters', () => {
    const err = decodeError(utf16le('\u0000\u0001\u0002ab'));
    expect(err.code).toBe('binary');
    expect(err.offset).toBe(2);
  });
});
