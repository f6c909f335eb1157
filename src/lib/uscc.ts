/**
 * 统一社会信用代码 (unified social credit code, USCC) validation per GB 32100-2015.
 *
 * Layout of the 18 characters (1-based positions):
 *   1      registration authority code (登记管理部门代码)
 *   2      organisation category code (机构类别代码), meaningful per authority
 *   3–8    administrative division code of the registering authority (GB/T 2260, 6 digits)
 *   9–17   subject identification code = organisation code (GB 11714), whose own check character
 *          is position 17
 *   18     check character over positions 1–17 (weights 3^i mod 31, 31-character alphabet)
 *
 * Input handling (documented choice): surrounding whitespace is trimmed, the text is NFKC-normalised
 * (full-width ９１… typed with a Chinese input method becomes 91…) and lower-case letters are
 * upper-cased. The normalised form is returned as `code`; callers store that form.
 */

/** The 31 characters of the GB 32100 alphabet, in value order (0–30). I, O, Z, S, V are excluded. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Weights for positions 1–17: 3^i mod 31 for i = 0..16. */
export const USCC_WEIGHTS: readonly number[] = Array.from({ length: 17 }, (_, i) => {
  let w = 1;
  for (let k = 0; k < i; k += 1) w = (w * 3) % 31;
  return w;
});

/** GB 11714 organisation-code weights for its 8 body characters. */
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/**
 * Registration authorities (position 1) and their organisation categories (position 2), from
 * GB 32100-2015 table 1 as amended (外交, 司法行政, 文化, 旅游, 宗教, 工会, 中央军委改革和编制办公室, 农业
 * were added after the first edition).
 */
export const USCC_AUTHORITIES: Readonly<
  Record<string, { name: string; categories: Readonly<Record<string, string>> }>
> = {
  '1': {
    name: '机构编制',
    categories: { '1': '机关', '2': '事业单位', '3': '中央编办直接管理机构编制的群众团体', '9': '其他' },
  },
  '2': { name: '外交', categories: { '1': '外国常驻新闻机构', '9': '其他' } },
  '3': {
    name: '司法行政',
    categories: {
      '1': '律师执业机构',
      '2': '公证处',
      '3': '基层法律服务所',
      '4': '司法鉴定机构',
      '5': '仲裁委员会',
      '9': '其他',
    },
  },
  '4': { name: '文化', categories: { '1': '外国在华文化中心', '9': '其他' } },
  '5': { name: '民政', categories: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' } },
  '6': {
    name: '旅游',
    categories: {
      '1': '外国旅游部门常驻代表机构',
      '2': '港澳台地区旅游部门常驻内地（大陆）代表机构',
      '9': '其他',
    },
  },
  '7': { name: '宗教', categories: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' } },
  '8': { name: '工会', categories: { '1': '基层工会', '9': '其他' } },
  '9': { name: '工商', categories: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社', '9': '其他' } },
  A: { name: '中央军委改革和编制办公室', categories: { '1': '军队事业单位', '9': '其他' } },
  N: {
    name: '农业',
    categories: { '1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他' },
  },
  Y: { name: '其他', categories: { '1': '其他' } },
};

/**
 * First two digits of a GB/T 2260 division code: the provinces, plus 10 (中华人民共和国, used by
 * authorities registering at national level, e.g. 100000).
 */
const PROVINCE_PREFIXES = new Set([
  '10',
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
]);

/** PROVINCE_PREFIXES as a lookup table indexed by the two-digit number. */
const IS_PROVINCE_PREFIX = Uint8Array.from({ length: 100 }, (_, n) =>
  PROVINCE_PREFIXES.has(String(n).padStart(2, '0')) ? 1 : 0,
);

/** Stable reason codes of a failed validation. */
export type UsccReasonCode =
  | 'empty'
  | 'length'
  | 'charset'
  | 'authority'
  | 'category'
  | 'division'
  | 'org-code-check'
  | 'check-char';

export type UsccValidation =
  | { ok: true; code: string }
  | { ok: false; reason: string; reasonCode: UsccReasonCode };

const ALPHABET_VALUE = new Map<string, number>([...USCC_ALPHABET].map((ch, i) => [ch, i]));

/** Trim, NFKC-normalise and upper-case: the only normalisation applied before validation. */
export function normaliseUscc(input: string): string {
  return input.normalize('NFKC').trim().toUpperCase();
}

/**
 * Check character (position 18) for the first 17 characters of a code.
 * Throws a RangeError when the body is not 17 characters of the GB 32100 alphabet.
 */
export function computeUsccCheckChar(body17: string): string {
  if (body17.length !== 17) throw new RangeError(`expected 17 characters, got ${body17.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = ALPHABET_VALUE.get(body17.charAt(i));
    if (value === undefined) throw new RangeError(`character ${i + 1} '${body17.charAt(i)}' is not allowed`);
    sum += value * USCC_WEIGHTS[i]!;
  }
  return USCC_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/** Value of an organisation-code character in GB 11714: digits 0–9, letters A=10 … Z=35. */
function orgCodeValue(ch: string): number {
  const c = ch.charCodeAt(0);
  return c <= 57 ? c - 48 : c - 55;
}

/**
 * GB 11714 check character (9th character of an organisation code) for its 8-character body:
 * C = 11 − (Σ value × weight mod 11); 10 is written X, 11 is written 0.
 */
export function computeOrgCodeCheckChar(body8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body8)) throw new RangeError(`expected 8 characters 0-9/A-Z, got '${body8}'`);
  let sum = 0;
  for (let i = 0; i < 8; i += 1) sum += orgCodeValue(body8.charAt(i)) * ORG_CODE_WEIGHTS[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

function fail(reasonCode: UsccReasonCode, reason: string): UsccValidation {
  return { ok: false, reason, reasonCode };
}

/** Message for a character outside the alphabet, with the likely intended character. */
function charsetReason(position: number, ch: string): string {
  const hints: Record<string, string> = { I: '数字1', O: '数字0', Z: '数字2', S: '数字5', V: '字母U' };
  const hint = hints[ch] ? `（是否应为${hints[ch]}？）` : '';
  return `第${position}位字符“${ch}”不合法：只允许数字0-9和除I、O、Z、S、V以外的大写字母${hint}`;
}

/** Checks positions 1–8: alphabet, authority, category, division. Returns null when fine. */
function checkStructure(code: string): UsccValidation | null {
  for (let i = 0; i < 18; i += 1) {
    if (!ALPHABET_VALUE.has(code.charAt(i))) return fail('charset', charsetReason(i + 1, code.charAt(i)));
  }
  const authority = USCC_AUTHORITIES[code.charAt(0)];
  if (!authority) {
    const allowed = Object.keys(USCC_AUTHORITIES).join('、');
    return fail('authority', `第1位登记管理部门代码“${code.charAt(0)}”不存在，应为${allowed}之一`);
  }
  if (!authority.categories[code.charAt(1)]) {
    const allowed = Object.keys(authority.categories).join('、');
    return fail(
      'category',
      `第2位机构类别代码“${code.charAt(1)}”对登记管理部门“${authority.name}”无效，应为${allowed}之一`,
    );
  }
  const division = code.slice(2, 8);
  if (!/^\d{6}$/.test(division) || !PROVINCE_PREFIXES.has(division.slice(0, 2))) {
    return fail('division', `第3-8位登记管理机关行政区划码“${division}”无效，应为6位数字的行政区划代码`);
  }
  return null;
}

/** Validates a unified social credit code; see the module comment for the normalisation applied. */
export function validateUscc(input: string): UsccValidation {
  const code = normaliseUscc(input);
  if (code.length === 0) return fail('empty', '统一社会信用代码为空，应为18位');
  const length = [...code].length;
  if (length !== 18) return fail('length', `统一社会信用代码应为18位，实际为${length}位`);
  const structural = checkStructure(code);
  if (structural) return structural;
  const orgCheck = computeOrgCodeCheckChar(code.slice(8, 16));
  if (code.charAt(16) !== orgCheck) {
    return fail('org-code-check', `第17位（组织机构代码校验码）应为${orgCheck}，实际为${code.charAt(16)}`);
  }
  const check = computeUsccCheckChar(code.slice(0, 17));
  if (code.charAt(17) !== check) {
    return fail('check-char', `第18位校验码应为${check}，实际为${code.charAt(17)}`);
  }
  return { ok: true, code };
}

/** Value of each char code in the GB 32100 alphabet (−1 when not in it); indexed by char code < 128. */
const VALUE_BY_CHAR_CODE = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < USCC_ALPHABET.length; i += 1) table[USCC_ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/**
 * Fast yes/no check for bulk data (a million codes per draw): true exactly when validateUscc(code)
 * succeeds and the code needs no normalisation. Use validateUscc to learn why a code fails.
 */
export function isValidCanonicalUscc(code: string): boolean {
  if (code.length !== 18) return false;
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const c = code.charCodeAt(i);
    const value = c < 128 ? VALUE_BY_CHAR_CODE[c]! : -1;
    if (value < 0) return false;
    sum += value * USCC_WEIGHTS[i]!;
  }
  if (code.charCodeAt(17) !== USCC_ALPHABET.charCodeAt((31 - (sum % 31)) % 31)) return false;
  if (!USCC_AUTHORITIES[code.charAt(0)]?.categories[code.charAt(1)]) return false;
  for (let i = 2; i < 8; i += 1) {
    const c = code.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  if (!IS_PROVINCE_PREFIX[(code.charCodeAt(2) - 48) * 10 + code.charCodeAt(3) - 48]) return false;
  return code.charCodeAt(16) === orgCheckCharCode(code);
}

/** Char code of the GB 11714 check character for positions 9–16 of an (alphabet-checked) code. */
function orgCheckCharCode(code: string): number {
  let sum = 0;
  for (let i = 0; i < 8; i += 1) {
    const c = code.charCodeAt(8 + i);
    sum += (c <= 57 ? c - 48 : c - 55) * ORG_CODE_WEIGHTS[i]!;
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 88 /* X */ : check === 11 ? 48 /* 0 */ : 48 + check;
}

/**
 * Builds a valid code from its parts, computing both check characters: `prefix2` is positions 1–2
 * (e.g. '91' for an enterprise), `division6` positions 3–8, `orgBody8` positions 9–16.
 * Used to make test and benchmark data; throws a RangeError when the parts cannot form a valid code.
 */
export function composeUscc(prefix2: string, division6: string, orgBody8: string): string {
  const body16 = `${prefix2}${division6}${orgBody8}`;
  const body17 = `${body16}${computeOrgCodeCheckChar(orgBody8)}`;
  const code = `${body17}${computeUsccCheckChar(body17)}`;
  const result = validateUscc(code);
  if (!result.ok) throw new RangeError(`cannot compose a valid code from '${body16}': ${result.reasonCode}`);
  return code;
}
