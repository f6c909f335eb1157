import { describe, expect, it } from 'vitest';
import {
  composeUscc,
  computeOrgCodeCheckChar,
  computeUsccCheckChar,
  isValidCanonicalUscc,
  USCC_ALPHABET,
  USCC_WEIGHTS,
  validateUscc,
} from './uscc.ts';

/**
 * Published codes of well-known enterprises (business licences and annual reports). Each carries two
 * independent check characters (positions 17 and 18), so a wrong algorithm or a misremembered code
 * would fail here.
 */
const PUBLISHED_CODES = [
  ['91350100M000100Y43', 'GB 32100-2015 编码示例'],
  ['914403001922038216', '华为技术有限公司'],
  ['91440300708461136T', '深圳市腾讯计算机系统有限公司'],
  ['91330100799655058B', '阿里巴巴（中国）有限公司'],
  ['91110000710926094P', '中国石油化工股份有限公司'],
  ['91110000710925462X', '中国石油天然气股份有限公司'],
  ['91110108551385082Q', '小米科技有限责任公司'],
] as const;

/** Replaces the character at 0-based index i. */
function withCharAt(code: string, i: number, ch: string): string {
  return `${code.slice(0, i)}${ch}${code.slice(i + 1)}`;
}

describe('the GB 32100 constants', () => {
  it('uses 31 characters without I, O, Z, S, V', () => {
    expect(USCC_ALPHABET).toHaveLength(31);
    for (const letter of 'IOZSV') expect(USCC_ALPHABET).not.toContain(letter);
  });

  it('weights positions 1–17 by 3^i mod 31', () => {
    expect(USCC_WEIGHTS).toEqual([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]);
  });
});

describe('validateUscc on published codes', () => {
  it.each(PUBLISHED_CODES)('accepts %s (%s)', (code) => {
    expect(validateUscc(code)).toEqual({ ok: true, code });
    expect(isValidCanonicalUscc(code)).toBe(true);
  });

  it.each(PUBLISHED_CODES)('recomputes the check characters of %s', (code) => {
    expect(computeUsccCheckChar(code.slice(0, 17))).toBe(code.charAt(17));
    expect(computeOrgCodeCheckChar(code.slice(8, 16))).toBe(code.charAt(16));
  });
});

describe('validateUscc on faulty codes', () => {
  it('names the expected and the actual 18th character when the check character is wrong', () => {
    const result = validateUscc('91350100M000100Y44');
    expect(result).toEqual({ ok: false, reasonCode: 'check-char', reason: '第18位校验码应为3，实际为4' });
  });

  it('rejects every other check character for each published code', () => {
    for (const [code] of PUBLISHED_CODES) {
      for (const ch of USCC_ALPHABET) {
        if (ch === code.charAt(17)) continue;
        const result = validateUscc(withCharAt(code, 17, ch));
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.reasonCode).toBe('check-char');
      }
    }
  });

  it('reports a wrong organisation-code check character at position 17 before position 18', () => {
    const result = validateUscc('91110000100000589B');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reasonCode).toBe('org-code-check');
      expect(result.reason).toBe('第17位（组织机构代码校验码）应为5，实际为9');
    }
  });

  it.each([
    ['9135010', 7],
    ['91350100M000100Y431', 19],
    ['91350100M000100Y4', 17],
  ])('rejects %s as %i characters long', (code, length) => {
    expect(validateUscc(code)).toEqual({
      ok: false,
      reasonCode: 'length',
      reason: `统一社会信用代码应为18位，实际为${length}位`,
    });
  });

  it('rejects an empty or blank code', () => {
    expect(validateUscc('   ')).toMatchObject({ ok: false, reasonCode: 'empty' });
  });

  it.each(['I', 'O', 'Z', 'S', 'V'])('rejects the letter %s and names its position', (letter) => {
    const result = validateUscc(withCharAt('91350100M000100Y43', 9, letter));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reasonCode).toBe('charset');
      expect(result.reason).toContain(`第10位字符“${letter}”不合法`);
    }
  });

  it('suggests the digit a letter O was probably meant to be', () => {
    const result = validateUscc('91350100M0O0100Y43');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain('是否应为数字0');
  });

  it('rejects an unknown registration authority and an unknown category', () => {
    const authority = validateUscc(withCharAt('91350100M000100Y43', 0, 'B'));
    expect(authority).toMatchObject({ ok: false, reasonCode: 'authority' });
    const category = validateUscc(withCharAt('91350100M000100Y43', 1, '5'));
    expect(category.ok).toBe(false);
    if (!category.ok) {
      expect(category.reasonCode).toBe('category');
      expect(category.reason).toContain('登记管理部门“工商”');
    }
  });

  it('rejects a division code that is not six digits of a province', () => {
    expect(validateUscc(withCharAt('91350100M000100Y43', 3, 'A'))).toMatchObject({
      ok: false,
      reasonCode: 'division',
    });
    expect(validateUscc(`91990100${'M000100Y43'}`)).toMatchObject({ ok: false, reasonCode: 'division' });
  });
});

describe('input normalisation (documented: trim, NFKC, upper-case)', () => {
  it('upper-cases lower-case input and returns the normalised code', () => {
    expect(validateUscc('91350100m000100y43')).toEqual({ ok: true, code: '91350100M000100Y43' });
  });

  it('accepts full-width characters and surrounding spaces typed with a Chinese input method', () => {
    expect(validateUscc(' ９１３５０１００Ｍ０００１００Ｙ４３ ')).toEqual({
      ok: true,
      code: '91350100M000100Y43',
    });
  });

  it('does not treat a lower-case code as canonical in bulk data', () => {
    expect(isValidCanonicalUscc('91350100m000100y43')).toBe(false);
  });
});

describe('composeUscc', () => {
  it('builds codes that pass validation, for every Hengshui division prefix', () => {
    for (const division of ['131102', '131103', '131121', '131182']) {
      const code = composeUscc('91', division, 'MA0ABC12');
      expect(validateUscc(code)).toEqual({ ok: true, code });
      expect(code.slice(0, 16)).toBe(`91${division}MA0ABC12`);
    }
  });

  it('agrees with the published example when given its parts', () => {
    expect(composeUscc('91', '350100', 'M000100Y')).toBe('91350100M000100Y43');
  });

  it('agrees with the fast bulk check on many generated codes', () => {
    for (let i = 0; i < 2000; i += 1) {
      const body = String(i * 7919).padStart(8, '0');
      const code = composeUscc('92', '131102', body);
      expect(isValidCanonicalUscc(code)).toBe(true);
      expect(isValidCanonicalUscc(withCharAt(code, 16, code.charAt(16) === '0' ? '1' : '0'))).toBe(false);
    }
  });
});
