/**
 * 在浏览器中核验抽取 — the draw verifier of docs/draws.md in plain JavaScript, for the public draw
 * page: the same checks as `zhize draw verify` (src/modules/supervision/draw/verify.ts), the same
 * problems in the same words, written again from the specification so that a visitor needs no
 * command line. SHA-256 and HMAC-SHA256 come from crypto.subtle; where the page is not a secure
 * context (plain-HTTP intranets) crypto.subtle is missing and a small SHA-256 below is used.
 *
 * An ES module: `verifyDrawText(text, options)` resolves to { match, problems, wellFormed }. On a
 * page with #browser-verify it wires the buttons. The test suite runs it on the test vectors
 * (test/draw-verify-js.test.ts) and against the command line in a browser (test/e2e/draw-verify.test.ts).
 */

const FORMAT_V1 = 'zhize-draw/v1';
const FORMAT_V2 = 'zhize-draw/v2';
const RISK = ['A', 'B', 'C', 'D', 'U'];
const CITY_WIDE = '市本级';
const MAX_POPULATION = 50000000;
const MAX_PROBLEMS = 100;

// ───────────────────────── bytes, hashes ─────────────────────────

const encoder = new TextEncoder();
const utf8 = (s) => encoder.encode(s);
const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const fromHex = (h) => Uint8Array.from(h.match(/../g) || [], (x) => parseInt(x, 16));
const concat = (a, b) => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
};

/** Byte order of two strings' UTF-8 encodings. */
function compareUtf8(a, b) {
  const x = utf8(a);
  const y = utf8(b);
  for (let i = 0; i < x.length && i < y.length; i += 1) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}
const compareAscii = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

/** SHA-256 in JavaScript (FIPS 180-4), for pages without crypto.subtle. */
function sha256Js(data) {
  const bits = data.length * 8;
  const padded = new Uint8Array(((data.length + 9 + 63) >> 6) << 6);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bits / 0x100000000));
  view.setUint32(padded.length - 4, bits >>> 0);
  const h = new Uint32Array([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  ]);
  const w = new Uint32Array(64);
  const rotr = (x, n) => (x >>> n) | (x << (32 - n));
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i += 1) w[i] = view.getUint32(off + i * 4);
    for (let i = 16; i < 64; i += 1) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, k] = h;
    for (let i = 0; i < 64; i += 1) {
      const t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) >>> 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      k = g;
      g = f;
      f = e;
      e = (d + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    [a, b, c, d, e, f, g, k].forEach((x, i) => {
      h[i] = (h[i] + x) >>> 0;
    });
  }
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  h.forEach((x, i) => {
    outView.setUint32(i * 4, x);
  });
  return out;
}

/** SHA-256 and HMAC-SHA256 (keys of 32 bytes), through crypto.subtle or the JavaScript fallback. */
function hashing(forceFallback) {
  const subtle = !forceFallback && globalThis.crypto && globalThis.crypto.subtle;
  if (subtle) {
    return {
      kind: 'crypto.subtle',
      sha256: async (data) => new Uint8Array(await subtle.digest('SHA-256', data)),
      hmacKey: async (key) => {
        const k = await subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
        return async (message) => new Uint8Array(await subtle.sign('HMAC', k, message));
      },
    };
  }
  return {
    kind: 'JavaScript SHA-256',
    sha256: async (data) => sha256Js(data),
    hmacKey: async (key) => {
      const block = new Uint8Array(64);
      block.set(key.length > 64 ? sha256Js(key) : key);
      const inner = block.map((b) => b ^ 0x36);
      const outer = block.map((b) => b ^ 0x5c);
      return async (message) => sha256Js(concat(outer, sha256Js(concat(inner, message))));
    },
  };
}

/** Hex SHA-256 of the bytes, through crypto.subtle or (forceFallback, or no crypto.subtle) the JavaScript one. */
export async function digestHex(data, forceFallback = false) {
  return hex(await hashing(forceFallback).sha256(data));
}

// ───────────────────────── text rules ─────────────────────────

const problem = (zh, en) => `${zh}（${en}）`;
class DrawError extends Error {
  constructor(zh, en) {
    super(zh);
    this.zh = zh;
    this.en = en;
  }
}
const codePoints = (s) => Array.from(s).length;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the purpose
const FORBIDDEN = /[\u0000-\u001f\u007f]|\p{Cs}/u;
function isCleanText(v, max) {
  return typeof v === 'string' && v.length > 0 && codePoints(v) <= max && !FORBIDDEN.test(v);
}
const isIntegerIn = (v, min, max) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

// ───────────────────────── credit codes (GB 32100-2015) ─────────────────────────

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = Array.from({ length: 17 }, (_, i) => {
  let w = 1;
  for (let k = 0; k < i; k += 1) w = (w * 3) % 31;
  return w;
});
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
const AUTHORITIES = {
  1: ['机构编制', '1239'],
  2: ['外交', '19'],
  3: ['司法行政', '123459'],
  4: ['文化', '19'],
  5: ['民政', '1239'],
  6: ['旅游', '129'],
  7: ['宗教', '129'],
  8: ['工会', '19'],
  9: ['工商', '1239'],
  A: ['中央军委改革和编制办公室', '19'],
  N: ['农业', '1239'],
  Y: ['其他', '1'],
};
const PROVINCES =
  '10 11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82'.split(
    ' ',
  );
const HINTS = { I: '数字1', O: '数字0', Z: '数字2', S: '数字5', V: '字母U' };

function orgCheck(body8) {
  let sum = 0;
  for (let i = 0; i < 8; i += 1) {
    const c = body8.charCodeAt(i);
    sum += (c <= 57 ? c - 48 : c - 55) * ORG_WEIGHTS[i];
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}
function usccCheck(body17) {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += ALPHABET.indexOf(body17.charAt(i)) * WEIGHTS[i];
  return ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/** validateUscc of src/lib/uscc.ts: normalise (NFKC, trim, upper case), then the rules. */
function validateUscc(input) {
  const code = input.normalize('NFKC').trim().toUpperCase();
  if (code.length === 0) return { ok: false, reason: '统一社会信用代码为空，应为18位' };
  const length = codePoints(code);
  if (length !== 18) return { ok: false, reason: `统一社会信用代码应为18位，实际为${length}位` };
  for (let i = 0; i < 18; i += 1) {
    const ch = code.charAt(i);
    if (!ALPHABET.includes(ch) || ch === '') {
      const hint = HINTS[ch] ? `（是否应为${HINTS[ch]}？）` : '';
      return {
        ok: false,
        reason: `第${i + 1}位字符“${ch}”不合法：只允许数字0-9和除I、O、Z、S、V以外的大写字母${hint}`,
      };
    }
  }
  const authority = AUTHORITIES[code.charAt(0)];
  if (!authority) {
    const allowed = Object.keys(AUTHORITIES).join('、');
    return { ok: false, reason: `第1位登记管理部门代码“${code.charAt(0)}”不存在，应为${allowed}之一` };
  }
  if (!authority[1].includes(code.charAt(1))) {
    const allowed = authority[1].split('').join('、');
    return {
      ok: false,
      reason: `第2位机构类别代码“${code.charAt(1)}”对登记管理部门“${authority[0]}”无效，应为${allowed}之一`,
    };
  }
  const division = code.slice(2, 8);
  if (!/^\d{6}$/.test(division) || !PROVINCES.includes(division.slice(0, 2))) {
    return { ok: false, reason: `第3-8位登记管理机关行政区划码“${division}”无效，应为6位数字的行政区划代码` };
  }
  const org = orgCheck(code.slice(8, 16));
  if (code.charAt(16) !== org)
    return { ok: false, reason: `第17位（组织机构代码校验码）应为${org}，实际为${code.charAt(16)}` };
  const check = usccCheck(code.slice(0, 17));
  if (code.charAt(17) !== check)
    return { ok: false, reason: `第18位校验码应为${check}，实际为${code.charAt(17)}` };
  return { ok: true, code };
}
const isCanonicalUscc = (code) =>
  typeof code === 'string' && validateUscc(code).ok && validateUscc(code).code === code;

function entityProblem(e, v2) {
  if (!isCanonicalUscc(e.uscc)) {
    const check = validateUscc(String(e.uscc));
    const zh = check.ok ? `应写作规范形式${check.code}` : check.reason;
    return { zh: `统一社会信用代码“${e.uscc}”无效：${zh}`, en: `invalid uscc '${e.uscc}'` };
  }
  if (!isCleanText(e.name, 500))
    return { zh: `${e.uscc} 的名称为空或含控制字符`, en: `bad name of ${e.uscc}` };
  if (!isCleanText(e.county, 100))
    return { zh: `${e.uscc} 的县（市、区）为空或含控制字符`, en: `bad county of ${e.uscc}` };
  if (v2 && !RISK.includes(e.riskClass)) {
    return {
      zh: `${e.uscc} 的风险分类“${e.riskClass}”无效，应为A、B、C、D或U`,
      en: `bad risk class of ${e.uscc}`,
    };
  }
  return null;
}

// ───────────────────────── parameters ─────────────────────────

function isDate(v) {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const t = Date.parse(`${v}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === v;
}
function beijingInstant(v) {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/.test(v)) return null;
  const t = Date.parse(v);
  if (Number.isNaN(t)) return null;
  return new Date(t + 8 * 3600000).toISOString().slice(0, 19) === v.slice(0, 19) ? t : null;
}
function isCommitList(v, empty) {
  if (!Array.isArray(v) || v.length > 1000 || (!empty && v.length === 0)) return false;
  return v.every(
    (item, i) =>
      isCleanText(item, 100) &&
      !item.includes(',') &&
      item !== '*' &&
      (i === 0 || compareUtf8(v[i - 1], item) < 0),
  );
}

function parameterProblemsV2(p, sources) {
  const problems = [];
  if (!isCleanText(p.regimeId, 200)) problems.push('regimeId');
  if (!isIntegerIn(p.year, 2000, 2100)) problems.push('year');
  if (!isIntegerIn(p.round, 1, 99)) problems.push('round');
  const period = p.inspectionPeriod;
  if (!isDate(period.start) || !isDate(period.end) || period.start > period.end)
    problems.push('inspectionPeriod');
  const s = p.selection;
  if (
    !isCommitList(s.categories, false) ||
    !isCommitList(s.statuses, false) ||
    !isCommitList(s.counties, true) ||
    !isCommitList(s.riskClasses, true) ||
    s.riskClasses.some((r) => !RISK.includes(r))
  ) {
    problems.push('selection');
  }
  if (!isIntegerIn(p.yearlyCap, 1, 99)) problems.push('yearlyCap');
  if (p.strata !== 'county-risk') problems.push('strata');
  const ratios = Object.values(p.ratios);
  if (ratios.some((v) => !isIntegerIn(v, 0, 10000)) || ratios.every((v) => v === 0)) problems.push('ratios');
  if (!isIntegerIn(p.minInspectorsPerTask, 1, 20)) problems.push('minInspectorsPerTask');
  if (p.inspectorScope !== 'own-county' && p.inspectorScope !== 'any') problems.push('inspectorScope');
  const source = sources.find((x) => x.id === p.witnessSource);
  if (!source) problems.push('witnessSource');
  if (source && !new RegExp(source.pattern).test(p.witnessReference)) problems.push('witnessReference');
  if (!parseFormat(p.witnessFormat) || (source && source.format !== p.witnessFormat))
    problems.push('witnessFormat');
  const planned = beijingInstant(p.plannedDrawAt);
  const committed = beijingInstant(p.committedAt);
  if (planned === null) problems.push('plannedDrawAt');
  if (committed === null) problems.push('committedAt');
  else if (planned !== null && committed >= planned) problems.push('committedAt');
  return problems;
}

function validateParameters(p, v2, sources) {
  if (v2) {
    const problems = parameterProblemsV2(p, sources);
    if (problems.length > 0) {
      throw new DrawError(
        `抽查参数无效：${problems.join('、')}（见 docs/draws.md 第2版参数表）`,
        `invalid draw parameters: ${problems.join(', ')}`,
      );
    }
    return;
  }
  const problems = [];
  if (!isCleanText(p.regimeId, 200)) problems.push('regimeId');
  if (!isIntegerIn(p.year, 2000, 2100)) problems.push('year');
  if (!isIntegerIn(p.round, 1, 99)) problems.push('round');
  if (!isIntegerIn(p.ratioBasisPoints, 1, 10000)) problems.push('ratioBasisPoints');
  if (!isIntegerIn(p.minInspectorsPerTask, 1, 20)) problems.push('minInspectorsPerTask');
  if (p.strata !== 'county') problems.push('strata');
  if (problems.length > 0) {
    throw new DrawError(
      `抽查参数无效：${problems.join('、')}（比例以万分之一计，1–10000；每项任务检查人员1–20名；分层只支持按县）`,
      `invalid draw parameters: ${problems.join(', ')}`,
    );
  }
}

function validateInspectors(sorted) {
  sorted.forEach((inspector, i) => {
    const who = String(inspector.certificate);
    if (
      !isCleanText(inspector.certificate, 100) ||
      !isCleanText(inspector.name, 100) ||
      !isCleanText(inspector.county, 100)
    ) {
      throw new DrawError(
        `执法人员 ${who} 的证号、姓名或县（市、区）为空或含控制字符`,
        `bad inspector ${who}`,
      );
    }
    if (i > 0 && inspector.certificate === sorted[i - 1].certificate) {
      throw new DrawError(`执法证号 ${who} 重复出现`, `duplicate certificate ${who}`);
    }
    for (const uscc of inspector.conflicts) {
      if (!isCanonicalUscc(uscc)) {
        throw new DrawError(
          `执法人员 ${who} 申报回避的统一社会信用代码“${uscc}”无效`,
          `inspector ${who} declares a conflict with invalid uscc '${uscc}'`,
        );
      }
    }
  });
}

// ───────────────────────── witness ─────────────────────────

function parseFormat(text) {
  if (typeof text !== 'string') return null;
  const h = /^hex:([1-9][0-9]{0,2})$/.exec(text);
  if (h) return Number(h[1]) <= 128 ? { kind: 'hex', length: Number(h[1]) } : null;
  const g = /^groups:(.+)$/.exec(text);
  if (!g) return null;
  const parts = g[1].split(',');
  if (parts.length > 9) return null;
  const groups = [];
  for (const part of parts) {
    const m = /^([1-9][0-9]?)@(0|[1-9][0-9]{0,2})-(0|[1-9][0-9]{0,2})$/.exec(part);
    if (!m) return null;
    const [count, min, max] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (min > max || count > max - min + 1) return null;
    groups.push({ count, min, max });
  }
  return { kind: 'groups', groups };
}

/** The canonical value of a typed witness (docs/draws.md "Witness"), or why it has none. */
export function normaliseWitnessValue(format, reference, typed) {
  const f = parseFormat(format);
  if (!f) return { ok: false, zh: `见证格式“${format}”无效`, en: `invalid witness format '${format}'` };
  const text = typed.normalize('NFKC');
  if (f.kind === 'hex') {
    let v = text.replace(/\s+/g, '').toLowerCase();
    if (v.startsWith('0x')) v = v.slice(2);
    if (!new RegExp(`^[0-9a-f]{${f.length}}$`).test(v)) {
      return {
        ok: false,
        zh: `见证值应为${f.length}位十六进制字符，实际为“${v.slice(0, 80)}”`,
        en: `the witness must be ${f.length} hexadecimal digits`,
      };
    }
    return { ok: true, value: v };
  }
  const runs = text.match(/[0-9]+/g) || [];
  const total = f.groups.reduce((sum, g) => sum + g.count, 0);
  if (runs.length === total + 1 && runs[0] === reference) runs.shift();
  if (runs.length !== total) {
    return {
      ok: false,
      zh: `见证值应为${total}个号码（${f.groups.map((g) => g.count).join('+')}），读到${runs.length}个`,
      en: `the witness must have ${total} numbers, found ${runs.length}`,
    };
  }
  const written = [];
  let at = 0;
  for (let k = 0; k < f.groups.length; k += 1) {
    const g = f.groups[k];
    const numbers = runs.slice(at, at + g.count).map(Number);
    at += g.count;
    const outside = numbers.find((n) => n < g.min || n > g.max);
    if (outside !== undefined) {
      return {
        ok: false,
        zh: `第${k + 1}组号码 ${outside} 不在 ${g.min}–${g.max} 之内`,
        en: `number ${outside} of group ${k + 1} is outside ${g.min}-${g.max}`,
      };
    }
    if (new Set(numbers).size !== numbers.length)
      return { ok: false, zh: `第${k + 1}组号码有重复`, en: `group ${k + 1} repeats a number` };
    const width = String(g.max).length;
    written.push(
      numbers
        .sort((a, b) => a - b)
        .map((n) => String(n).padStart(width, '0'))
        .join(','),
    );
  }
  return { ok: true, value: written.join('+') };
}

// ───────────────────────── file shape (mirrors the schemas of verify.ts) ─────────────────────────

const S = 'string';
const N = 'number';
const arr = (item) => ({ array: item });
const obj = (shape) => ({ shape });
const HEX64 = { hex64: true };
const PERSON = { uscc: S, name: S, county: S };
const INSPECTORS = arr(obj({ certificate: S, name: S, county: S, conflicts: arr(S) }));
const SHAPE_V1 = obj({
  format: S,
  parameters: obj({
    regimeId: S,
    year: N,
    round: N,
    ratioBasisPoints: N,
    minInspectorsPerTask: N,
    strata: S,
  }),
  commitment: obj({ populationHash: HEX64, inspectorsHash: HEX64, serverSeedHash: HEX64, commitHash: HEX64 }),
  serverSeed: S,
  witness: S,
  result: obj({
    drawSeed: S,
    sampleSize: N,
    allocation: arr(obj({ county: S, population: N, quota: N })),
    tasks: arr(obj({ uscc: S, county: S, rank: S, inspectors: arr(S) })),
  }),
  population: arr(obj(PERSON)),
  inspectors: INSPECTORS,
});
const SHAPE_V2 = obj({
  format: S,
  parameters: obj({
    regimeId: S,
    year: N,
    round: N,
    inspectionPeriod: obj({ start: S, end: S }),
    selection: obj({ categories: arr(S), statuses: arr(S), counties: arr(S), riskClasses: arr(S) }),
    yearlyCap: N,
    strata: S,
    ratios: obj({ A: N, B: N, C: N, D: N, U: N }),
    minInspectorsPerTask: N,
    inspectorScope: S,
    witnessSource: S,
    witnessReference: S,
    witnessFormat: S,
    plannedDrawAt: S,
    committedAt: S,
  }),
  commitment: obj({
    populationHash: HEX64,
    exclusionsHash: HEX64,
    inspectorsHash: HEX64,
    serverSeedHash: HEX64,
    commitHash: HEX64,
  }),
  serverSeed: S,
  witness: obj({ typed: S, canonical: S }),
  drawnAt: S,
  result: obj({
    drawSeed: S,
    sampleSize: N,
    allocation: arr(obj({ riskClass: S, county: S, population: N, quota: N })),
    tasks: arr(obj({ uscc: S, riskClass: S, county: S, rank: S, inspectors: arr(S) })),
  }),
  population: arr(obj({ ...PERSON, riskClass: S })),
  exclusions: arr(obj({ ...PERSON, checks: N })),
  inspectors: INSPECTORS,
});

/** The value rebuilt in the shape's member order (as the schema parser does), or null; issues collected. */
function shaped(value, shape, path, issues) {
  const at = path.join('.') || '(根)';
  if (shape === S || shape === N) {
    if (typeof value === shape) return value;
    issues.push(at);
    return null;
  }
  if (shape.hex64) {
    if (typeof value === 'string' && /^[0-9a-f]{64}$/.test(value)) return value;
    issues.push(at);
    return null;
  }
  if (shape.array) {
    if (!Array.isArray(value)) {
      issues.push(at);
      return null;
    }
    return value.map((v, i) => shaped(v, shape.array, [...path, i], issues));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    issues.push(at);
    return null;
  }
  const out = {};
  for (const key of Object.keys(shape.shape))
    out[key] = shaped(value[key], shape.shape[key], [...path, key], issues);
  for (const key of Object.keys(value)) if (!(key in shape.shape)) issues.push([...path, key].join('.'));
  return out;
}

// ───────────────────────── canonical forms ─────────────────────────

const canonicalInspectors = (list) =>
  [...list]
    .sort((a, b) => compareUtf8(a.certificate, b.certificate))
    .map((i) => ({
      certificate: i.certificate,
      name: i.name,
      county: i.county,
      conflicts: [...new Set(i.conflicts)].sort(compareAscii),
    }));
const canonicalExclusions = (list) =>
  [...list]
    .sort((a, b) => compareAscii(a.uscc, b.uscc))
    .map(({ uscc, name, county, checks }) => ({ uscc, name, county, checks }));
const isAscending = (population) =>
  population.every((e, i) => i === 0 || compareAscii(population[i - 1].uscc, e.uscc) < 0);
const byUscc = (population) =>
  isAscending(population) ? population : [...population].sort((a, b) => compareAscii(a.uscc, b.uscc));
const list = (items, pick, indent) =>
  items.length === 0
    ? '[]'
    : `[\n${items.map((x) => `${indent}  ${JSON.stringify(pick(x))}`).join(',\n')}\n${indent}]`;
const member = (key, value) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)},`;

/** serializeDrawFile of src/modules/supervision/draw/file.ts. */
function serialize(f) {
  const v2 = f.format === FORMAT_V2;
  const p = f.parameters;
  const c = f.commitment;
  const r = f.result;
  const lines = ['{', member('format', f.format)];
  if (v2) {
    const s = p.selection;
    lines.push(
      member('parameters', {
        regimeId: p.regimeId,
        year: p.year,
        round: p.round,
        inspectionPeriod: { start: p.inspectionPeriod.start, end: p.inspectionPeriod.end },
        selection: {
          categories: s.categories,
          statuses: s.statuses,
          counties: s.counties,
          riskClasses: s.riskClasses,
        },
        yearlyCap: p.yearlyCap,
        strata: p.strata,
        ratios: Object.fromEntries(RISK.map((k) => [k, p.ratios[k]])),
        minInspectorsPerTask: p.minInspectorsPerTask,
        inspectorScope: p.inspectorScope,
        witnessSource: p.witnessSource,
        witnessReference: p.witnessReference,
        witnessFormat: p.witnessFormat,
        plannedDrawAt: p.plannedDrawAt,
        committedAt: p.committedAt,
      }),
      member('commitment', {
        populationHash: c.populationHash,
        exclusionsHash: c.exclusionsHash,
        inspectorsHash: c.inspectorsHash,
        serverSeedHash: c.serverSeedHash,
        commitHash: c.commitHash,
      }),
      member('serverSeed', f.serverSeed),
      member('witness', { typed: f.witness.typed, canonical: f.witness.canonical }),
      member('drawnAt', f.drawnAt),
    );
  } else {
    lines.push(
      member('parameters', {
        regimeId: p.regimeId,
        year: p.year,
        round: p.round,
        ratioBasisPoints: p.ratioBasisPoints,
        minInspectorsPerTask: p.minInspectorsPerTask,
        strata: p.strata,
      }),
      member('commitment', {
        populationHash: c.populationHash,
        inspectorsHash: c.inspectorsHash,
        serverSeedHash: c.serverSeedHash,
        commitHash: c.commitHash,
      }),
      member('serverSeed', f.serverSeed),
      member('witness', f.witness),
    );
  }
  const allocation = (a) =>
    v2
      ? { riskClass: a.riskClass, county: a.county, population: a.population, quota: a.quota }
      : { county: a.county, population: a.population, quota: a.quota };
  const task = (t) =>
    v2
      ? { uscc: t.uscc, riskClass: t.riskClass, county: t.county, rank: t.rank, inspectors: t.inspectors }
      : { uscc: t.uscc, county: t.county, rank: t.rank, inspectors: t.inspectors };
  lines.push(
    '  "result": {',
    `    "drawSeed": ${JSON.stringify(r.drawSeed)},`,
    `    "sampleSize": ${JSON.stringify(r.sampleSize)},`,
    `    "allocation": ${list(r.allocation, allocation, '    ')},`,
    `    "tasks": ${list(r.tasks, task, '    ')}`,
    '  },',
  );
  if (v2) {
    lines.push(
      `  "population": ${list(f.population, (e) => ({ uscc: e.uscc, name: e.name, county: e.county, riskClass: e.riskClass }), '  ')},`,
      `  "exclusions": ${list(f.exclusions, (e) => ({ uscc: e.uscc, name: e.name, county: e.county, checks: e.checks }), '  ')},`,
    );
  } else {
    lines.push(
      `  "population": ${list(f.population, (e) => ({ uscc: e.uscc, name: e.name, county: e.county }), '  ')},`,
    );
  }
  lines.push(
    `  "inspectors": ${list(f.inspectors, (i) => ({ certificate: i.certificate, name: i.name, county: i.county, conflicts: i.conflicts }), '  ')}`,
    '}',
  );
  return `${lines.join('\n')}\n`;
}

function commitText(p, v2, hashes) {
  if (!v2) {
    return [
      FORMAT_V1,
      `regimeId=${p.regimeId}`,
      `year=${p.year}`,
      `round=${p.round}`,
      `ratioBasisPoints=${p.ratioBasisPoints}`,
      `minInspectorsPerTask=${p.minInspectorsPerTask}`,
      `strata=${p.strata}`,
      `populationHash=${hashes.populationHash}`,
      `inspectorsHash=${hashes.inspectorsHash}`,
      `serverSeedHash=${hashes.serverSeedHash}`,
      '',
    ].join('\n');
  }
  const s = p.selection;
  const l = (items) => (items.length === 0 ? '*' : items.join(','));
  return [
    FORMAT_V2,
    `regimeId=${p.regimeId}`,
    `year=${p.year}`,
    `round=${p.round}`,
    `inspectionPeriod=${p.inspectionPeriod.start}/${p.inspectionPeriod.end}`,
    `selection.categories=${l(s.categories)}`,
    `selection.statuses=${l(s.statuses)}`,
    `selection.counties=${l(s.counties)}`,
    `selection.riskClasses=${l(s.riskClasses)}`,
    `yearlyCap=${p.yearlyCap}`,
    `strata=${p.strata}`,
    `ratios=${RISK.map((k) => `${k}:${p.ratios[k]}`).join(',')}`,
    `minInspectorsPerTask=${p.minInspectorsPerTask}`,
    `inspectorScope=${p.inspectorScope}`,
    `witnessSource=${p.witnessSource}`,
    `witnessReference=${p.witnessReference}`,
    `witnessFormat=${p.witnessFormat}`,
    `plannedDrawAt=${p.plannedDrawAt}`,
    `committedAt=${p.committedAt}`,
    `populationHash=${hashes.populationHash}`,
    `exclusionsHash=${hashes.exclusionsHash}`,
    `inspectorsHash=${hashes.inspectorsHash}`,
    `serverSeedHash=${hashes.serverSeedHash}`,
    '',
  ].join('\n');
}

async function hashLines(h, items, line) {
  return hex(await h.sha256(utf8(items.map(line).join(''))));
}
const populationLine = (v2) =>
  v2
    ? (e) => `${e.uscc}\t${e.name}\t${e.county}\t${e.riskClass}\n`
    : (e) => `${e.uscc}\t${e.name}\t${e.county}\n`;
const inspectorLine = (i) => `${i.certificate}\t${i.name}\t${i.county}\t${i.conflicts.join(',')}\n`;
const exclusionLine = (e) => `${e.uscc}\t${e.name}\t${e.county}\t${e.checks}\n`;

// ───────────────────────── the draw (run.ts, commit.ts, assign.ts) ─────────────────────────

function allocate(counts, n) {
  let total = 0;
  for (const count of counts.values()) total += count;
  const rows = [...counts].map(([county, population]) => ({
    county,
    population,
    quota: Math.floor((n * population) / total),
    remainder: (n * population) % total,
  }));
  let left = n - rows.reduce((s, r) => s + r.quota, 0);
  for (const row of [...rows].sort(
    (a, b) => b.remainder - a.remainder || b.population - a.population || compareUtf8(a.county, b.county),
  )) {
    if (left === 0) break;
    row.quota += 1;
    left -= 1;
  }
  return rows
    .sort((a, b) => compareUtf8(a.county, b.county))
    .map(({ county, population, quota }) => ({ county, population, quota }));
}
const sampleSize = (size, bp) => Math.floor((size * bp + 9999) / 10000);

function validateWitness(w) {
  if (!isCleanText(w, 500))
    throw new DrawError(
      '见证值为空、过长（超过500个字符）或含控制字符',
      'witness must be 1–500 characters (code points) without control characters',
    );
}

/** runDraw of src/modules/supervision/draw/run.ts over the file's inputs; throws DrawError. */
async function runDraw(f, h, sources) {
  const v2 = f.format === FORMAT_V2;
  const p = f.parameters;
  validateParameters(p, v2, sources);
  let witness = f.witness;
  if (v2) {
    validateWitness(f.witness.typed);
    const drawnAt = beijingInstant(f.drawnAt);
    if (drawnAt === null)
      throw new DrawError(
        '抽取时间 drawnAt 应为北京时间 YYYY-MM-DDTHH:MM:SS+08:00',
        'drawnAt must be YYYY-MM-DDTHH:MM:SS+08:00',
      );
    if (drawnAt < beijingInstant(p.plannedDrawAt)) {
      throw new DrawError(
        `抽取时间 ${f.drawnAt} 早于承诺的计划抽取时间 ${p.plannedDrawAt}：此时见证值尚未产生，不得抽取`,
        `drawnAt ${f.drawnAt} is before plannedDrawAt ${p.plannedDrawAt}`,
      );
    }
    const r = normaliseWitnessValue(p.witnessFormat, p.witnessReference, f.witness.typed);
    if (!r.ok) throw new DrawError(r.zh, r.en);
    witness = `${p.witnessSource}:${p.witnessReference}:${r.value}`;
  }
  validateWitness(witness);
  const seedOk = /^[0-9a-f]{64}$/.test(f.serverSeed);
  if (!seedOk)
    throw new DrawError(
      '服务器种子应为64位小写十六进制字符（32字节）',
      'serverSeed must be 64 lower-case hex characters',
    );
  const population = byUscc(f.population);
  if (population.length === 0 || population.length > MAX_POPULATION) {
    throw new DrawError(
      `检查对象名录应有1至${MAX_POPULATION}条，实际为${population.length}条`,
      `population size must be 1–${MAX_POPULATION}, got ${population.length}`,
    );
  }
  population.forEach((e, i) => {
    const pr = entityProblem(e, v2);
    if (pr) throw new DrawError(pr.zh, pr.en);
    if (i > 0 && e.uscc === population[i - 1].uscc)
      throw new DrawError(`统一社会信用代码 ${e.uscc} 重复出现`, `duplicate uscc ${e.uscc}`);
  });
  const inspectors = canonicalInspectors(f.inspectors);
  validateInspectors(inspectors);
  if (v2) validateExclusions(canonicalExclusions(f.exclusions), p.yearlyCap, population);
  const strata = new Map();
  for (const e of population) {
    const key = v2 ? `${e.riskClass}\t${e.county}` : e.county;
    if (!strata.has(key))
      strata.set(key, { riskClass: v2 ? e.riskClass : undefined, county: e.county, members: [] });
    strata.get(key).members.push(e);
  }
  let allocation;
  if (v2) {
    allocation = RISK.flatMap((riskClass) => {
      const counts = new Map();
      for (const s of strata.values()) if (s.riskClass === riskClass) counts.set(s.county, s.members.length);
      let size = 0;
      for (const c of counts.values()) size += c;
      return size === 0
        ? []
        : allocate(counts, sampleSize(size, p.ratios[riskClass])).map((a) => ({ riskClass, ...a }));
    });
  } else {
    const counts = new Map([...strata.values()].map((s) => [s.county, s.members.length]));
    allocation = allocate(counts, sampleSize(population.length, p.ratioBasisPoints));
  }
  const drawSeed = await h.sha256(concat(fromHex(f.serverSeed), utf8(witness)));
  const mac = await h.hmacKey(drawSeed);
  const ranks = new Map();
  for (let i = 0; i < population.length; i += 2000) {
    const part = population.slice(i, i + 2000);
    const macs = await Promise.all(part.map((e) => mac(utf8(e.uscc))));
    part.forEach((e, k) => {
      ranks.set(e.uscc, hex(macs[k]));
    });
  }
  const byRank = (a, b) => compareAscii(ranks.get(a.uscc), ranks.get(b.uscc)) || compareAscii(a.uscc, b.uscc);
  const drawn = [];
  for (const a of allocation) {
    const s = strata.get(v2 ? `${a.riskClass}\t${a.county}` : a.county);
    drawn.push(...[...s.members].sort(byRank).slice(0, a.quota));
  }
  drawn.sort(byRank);
  const tasks = await assignAll(drawn, inspectors, mac, p, v2, ranks);
  return {
    drawSeed: hex(drawSeed),
    sampleSize: allocation.reduce((s, a) => s + a.quota, 0),
    allocation,
    tasks,
  };
}

function validateExclusions(exclusions, cap, population) {
  const inPopulation = new Set(population.map((e) => e.uscc));
  exclusions.forEach((e, i) => {
    const pr = entityProblem(e, false);
    if (pr) throw new DrawError(`排除名单：${pr.zh}`, `exclusions: ${pr.en}`);
    if (i > 0 && !(exclusions[i - 1].uscc < e.uscc))
      throw new DrawError(
        `排除名单中 ${e.uscc} 重复或未按代码排序`,
        `exclusions repeat or are out of order at ${e.uscc}`,
      );
    if (!isIntegerIn(e.checks, cap, 1000000)) {
      throw new DrawError(
        `排除名单中 ${e.uscc} 的年度检查次数 ${e.checks} 未达到上限 ${cap}`,
        `excluded ${e.uscc} has ${e.checks} checks, below the cap ${cap}`,
      );
    }
    if (inPopulation.has(e.uscc))
      throw new DrawError(
        `${e.uscc} 既在排除名单中又在检查对象名录中`,
        `${e.uscc} is both excluded and in the population`,
      );
  });
}

async function assignAll(drawn, inspectors, mac, p, v2, ranks) {
  const loads = new Array(inspectors.length).fill(0);
  const ownCounty = v2 && p.inspectorScope === 'own-county';
  const need = p.minInspectorsPerTask;
  const tasks = [];
  for (const e of drawn) {
    const excluded = new Set();
    inspectors.forEach((x, i) => {
      if (x.conflicts.includes(e.uscc)) excluded.add(i);
      if (ownCounty && x.county !== e.county && x.county !== CITY_WIDE) excluded.add(i);
    });
    const chosen = [];
    while (chosen.length < need) {
      let min = Infinity;
      let group = [];
      loads.forEach((load, i) => {
        if (excluded.has(i)) return;
        if (load < min) {
          min = load;
          group = [i];
        } else if (load === min) group.push(i);
      });
      if (group.length === 0) {
        const who = ownCounty ? '本县（市、区）或市本级且无利害关系' : '无利害关系';
        throw new DrawError(
          `检查对象 ${e.uscc}（${e.name}）需要${need}名执法人员，但${who}的执法人员只有${chosen.length}名，请补充执法人员或核实回避申报`,
          `entity ${e.uscc} needs ${need} inspectors but only ${chosen.length} ${ownCounty ? 'in scope and ' : ''}have no declared conflict`,
        );
      }
      let picked = group;
      if (group.length > need - chosen.length) {
        const macs = await Promise.all(group.map((i) => mac(utf8(`${e.uscc}:${inspectors[i].certificate}`))));
        const order = group
          .map((i, k) => ({ i, r: hex(macs[k]) }))
          .sort((a, b) => compareAscii(a.r, b.r) || a.i - b.i);
        picked = order.slice(0, need - chosen.length).map((o) => o.i);
      }
      for (const i of picked) {
        excluded.add(i);
        chosen.push(i);
      }
    }
    for (const i of chosen) loads[i] += 1;
    const certs = chosen.sort((a, b) => a - b).map((i) => inspectors[i].certificate);
    const rank = ranks.get(e.uscc);
    tasks.push(
      v2
        ? { uscc: e.uscc, riskClass: e.riskClass, county: e.county, rank, inspectors: certs }
        : { uscc: e.uscc, county: e.county, rank, inspectors: certs },
    );
  }
  return tasks;
}

// ───────────────────────── comparisons (verify-compare.ts) ─────────────────────────

const stratumZh = (a) => (a.riskClass ? `${a.riskClass}类 ${a.county}` : a.county);
const stratumEn = (a) => (a.riskClass ? `${a.riskClass}/${a.county}` : a.county);
const stratumKey = (a) => `${a.riskClass || ''}\t${a.county}`;

function compareAllocation(expected, actual, problems) {
  if (JSON.stringify(expected) === JSON.stringify(actual)) return;
  const byKey = new Map(actual.map((a) => [stratumKey(a), a]));
  const keys = new Set(expected.map(stratumKey));
  for (const e of expected) {
    const a = byKey.get(stratumKey(e));
    if (!a || a.quota !== e.quota || a.population !== e.population) {
      const found = a ? `${a.population}家、抽取${a.quota}家` : '缺失';
      problems.push(
        problem(
          `${stratumZh(e)} 应有${e.population}家、抽取${e.quota}家，文件中为${found}`,
          `allocation of ${stratumEn(e)} does not match the recomputation`,
        ),
      );
    }
  }
  for (const a of actual) {
    if (!keys.has(stratumKey(a)))
      problems.push(
        problem(
          `分配表中的 ${stratumZh(a)} 不在检查对象名录中`,
          `allocation lists ${stratumEn(a)}, absent from the population`,
        ),
      );
  }
  problems.push(
    problem('分层分配表与重新计算的结果不一致', 'allocation list does not match the recomputation'),
  );
}

function compareTasks(expected, actual, problems) {
  const byUsccExpected = new Map(expected.map((t, i) => [t.uscc, { task: t, position: i }]));
  const actualUscc = new Set(actual.map((t) => t.uscc));
  actual.forEach((t, position) => {
    const e = byUsccExpected.get(t.uscc);
    if (!e) {
      problems.push(
        problem(
          `企业 ${t.uscc} 在文件中被抽中，但重新计算未抽中`,
          `entity ${t.uscc} selected in the file but not in the recomputation`,
        ),
      );
      return;
    }
    if (e.task.rank !== t.rank)
      problems.push(
        problem(
          `企业 ${t.uscc} 的排序值与重新计算不一致`,
          `rank of ${t.uscc} does not match the recomputation`,
        ),
      );
    if (e.task.county !== t.county)
      problems.push(
        problem(
          `企业 ${t.uscc} 的县（市、区）与名录不一致`,
          `county of ${t.uscc} does not match the population`,
        ),
      );
    if (e.task.riskClass !== t.riskClass)
      problems.push(
        problem(
          `企业 ${t.uscc} 的风险分类与名录不一致`,
          `risk class of ${t.uscc} does not match the population`,
        ),
      );
    if (e.task.inspectors.join('\n') !== t.inspectors.join('\n')) {
      problems.push(
        problem(
          `企业 ${t.uscc} 的执法人员应为 ${e.task.inspectors.join('、')}，文件中为 ${t.inspectors.join('、')}`,
          `inspectors of ${t.uscc} do not match the recomputation`,
        ),
      );
    }
    if (e.position !== position)
      problems.push(
        problem(`企业 ${t.uscc} 的任务顺序应为第${e.position + 1}位`, `task order of ${t.uscc} differs`),
      );
  });
  for (const t of expected) {
    if (!actualUscc.has(t.uscc))
      problems.push(
        problem(
          `企业 ${t.uscc} 在重新计算中被抽中，但文件中没有`,
          `entity ${t.uscc} selected in the recomputation but not in the file`,
        ),
      );
  }
}

function commitLines(text) {
  const out = new Map();
  text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .forEach((line, i) => {
      if (i === 0) out.set('format', line);
      else if (line !== '') {
        const at = line.indexOf('=');
        out.set(at < 0 ? line : line.slice(0, at), at < 0 ? '' : line.slice(at + 1));
      }
    });
  return out;
}

function comparePublished(published, fileText, fileHash, problems) {
  const hash = published.trim();
  if (/^[0-9a-f]{64}$/.test(hash)) {
    if (hash !== fileHash) {
      problems.push(
        problem(
          `commitHash 与抽取前公布的承诺不一致：公布的为 ${hash}，文件中为 ${fileHash}`,
          'commitHash differs from the published commitment',
        ),
      );
    }
    return;
  }
  const before = commitLines(published);
  const now = commitLines(fileText);
  for (const key of new Set([...before.keys(), ...now.keys()])) {
    const a = before.get(key);
    const b = now.get(key);
    if (a === b) continue;
    problems.push(
      problem(
        `${key} 与抽取前公布的承诺不一致：承诺为“${a ?? '（无）'}”，文件中为“${b ?? '（无）'}”`,
        `${key} differs from the published commitment`,
      ),
    );
  }
}

// ───────────────────────── verification (verify.ts) ─────────────────────────

function firstDifference(a, b) {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i += 1;
  const before = a.slice(0, i);
  return { line: before.split('\n').length, column: i - before.lastIndexOf('\n') };
}

/**
 * Verifies a draw file given as text. Options: `commitment` — the commitHash or commit text
 * published before the draw; `sources` — the witness-source registry [{id, pattern, format}];
 * `forceFallback` — use the JavaScript SHA-256 even where crypto.subtle exists.
 */
export async function verifyDrawText(text, options = {}) {
  const sources = options.sources || [];
  const h = hashing(options.forceFallback);
  const problems = [];
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return {
      match: false,
      problems: [problem('文件不是有效的JSON', 'the file is not valid JSON')],
      wellFormed: false,
      hashing: h.kind,
    };
  }
  const v2 = value !== null && typeof value === 'object' && value.format === FORMAT_V2;
  const issues = [];
  const f = shaped(value, v2 ? SHAPE_V2 : SHAPE_V1, [], issues);
  if (issues.length === 0 && f.format !== (v2 ? FORMAT_V2 : FORMAT_V1)) issues.push('format');
  if (issues.length === 0 && !v2 && f.parameters.strata !== 'county') issues.push('parameters.strata');
  if (issues.length > 0) {
    return {
      match: false,
      problems: issues
        .slice(0, MAX_PROBLEMS)
        .map((path) => problem(`文件结构不符：${path}`, `file structure: ${path}`)),
      wellFormed: false,
      hashing: h.kind,
    };
  }
  const canonical = serialize(f);
  if (canonical !== text) {
    const at = firstDifference(text, canonical);
    problems.push(
      problem(
        `文件不是规范格式，自第${at.line}行第${at.column}列起与规范文本不同`,
        `the file is not in canonical form from line ${at.line}, column ${at.column}`,
      ),
    );
  }
  // order and validity
  if (!isAscending(f.population))
    problems.push(
      problem(
        '检查对象名录未按统一社会信用代码升序排列或有重复',
        'population is not in strictly ascending uscc order',
      ),
    );
  for (const e of f.population) {
    const pr = entityProblem(e, v2);
    if (pr) problems.push(problem(pr.zh, pr.en));
  }
  const inspectors = canonicalInspectors(f.inspectors);
  if (JSON.stringify(inspectors) !== JSON.stringify(f.inspectors)) {
    problems.push(
      problem(
        '执法人员名录未按规范顺序排列（证号升序，回避代码升序且不重复）',
        'inspectors are not in canonical order',
      ),
    );
  }
  if (v2 && JSON.stringify(canonicalExclusions(f.exclusions)) !== JSON.stringify(f.exclusions)) {
    problems.push(
      problem('排除名单未按统一社会信用代码升序排列', 'exclusions are not in ascending uscc order'),
    );
  }
  try {
    validateParameters(f.parameters, v2, sources);
    validateInspectors(inspectors);
  } catch (e) {
    if (!(e instanceof DrawError)) throw e;
    problems.push(problem(e.zh, e.en));
  }
  if (v2) {
    const { counties, riskClasses } = f.parameters.selection;
    for (const e of f.population) {
      if (counties.length > 0 && !counties.includes(e.county)) {
        problems.push(
          problem(
            `检查对象 ${e.uscc} 的县（市、区）“${e.county}”不在承诺的范围内`,
            `entity ${e.uscc} lies outside the committed counties`,
          ),
        );
      }
      if (riskClasses.length > 0 && !riskClasses.includes(e.riskClass)) {
        problems.push(
          problem(
            `检查对象 ${e.uscc} 的风险分类“${e.riskClass}”不在承诺的范围内`,
            `entity ${e.uscc} lies outside the committed risk classes`,
          ),
        );
      }
    }
  }
  // hashes
  const c = f.commitment;
  const populationHash = await hashLines(h, byUscc(f.population), populationLine(v2));
  const inspectorsHash = await hashLines(h, inspectors, inspectorLine);
  const exclusionsHash = v2
    ? await hashLines(h, canonicalExclusions(f.exclusions), exclusionLine)
    : undefined;
  if (populationHash !== c.populationHash)
    problems.push(
      problem('populationHash 与检查对象名录不一致', 'populationHash does not match the population list'),
    );
  if (v2 && exclusionsHash !== c.exclusionsHash)
    problems.push(
      problem('exclusionsHash 与排除名单不一致', 'exclusionsHash does not match the exclusion list'),
    );
  if (inspectorsHash !== c.inspectorsHash)
    problems.push(
      problem('inspectorsHash 与执法人员名录不一致', 'inspectorsHash does not match the inspector list'),
    );
  if (!/^[0-9a-f]{64}$/.test(f.serverSeed)) {
    problems.push(
      problem('服务器种子格式错误，应为64位小写十六进制', 'serverSeed is not 64 lower-case hex characters'),
    );
  } else if (hex(await h.sha256(fromHex(f.serverSeed))) !== c.serverSeedHash) {
    problems.push(
      problem('serverSeedHash 与服务器种子不一致', 'serverSeedHash does not match the serverSeed'),
    );
  }
  const recomputed = commitText(f.parameters, v2, {
    populationHash,
    exclusionsHash,
    inspectorsHash,
    serverSeedHash: c.serverSeedHash,
  });
  if (hex(await h.sha256(utf8(recomputed))) !== c.commitHash) {
    problems.push(
      problem('commitHash 与参数和名录不一致', 'commitHash does not match the parameters and lists'),
    );
  }
  if (options.commitment !== undefined && options.commitment !== '') {
    comparePublished(options.commitment, commitText(f.parameters, v2, c), c.commitHash, problems);
  }
  if (v2) {
    const p = f.parameters;
    const r = normaliseWitnessValue(p.witnessFormat, p.witnessReference, f.witness.typed);
    if (!r.ok) {
      problems.push(
        problem(
          `录入的见证值“${f.witness.typed}”不能按承诺的格式规范化：${r.zh}`,
          `the typed witness does not normalise under the committed format: ${r.en}`,
        ),
      );
    } else {
      const expected = `${p.witnessSource}:${p.witnessReference}:${r.value}`;
      if (expected !== f.witness.canonical) {
        problems.push(
          problem(
            `见证值的规范形式与承诺的见证来源和格式不一致：应为“${expected}”，文件中为“${f.witness.canonical}”`,
            'the canonical witness does not match the committed witness source and format',
          ),
        );
      }
    }
  }
  // the draw itself
  try {
    const result = await runDraw(f, h, sources);
    if (result.drawSeed !== f.result.drawSeed)
      problems.push(
        problem('drawSeed 与服务器种子和见证值不一致', 'drawSeed does not match serverSeed and witness'),
      );
    if (result.sampleSize !== f.result.sampleSize) {
      problems.push(
        problem(
          `抽取数量应为${result.sampleSize}，文件中为${f.result.sampleSize}`,
          'sampleSize does not match the recomputation',
        ),
      );
    }
    compareAllocation(result.allocation, f.result.allocation, problems);
    compareTasks(result.tasks, f.result.tasks, problems);
  } catch (e) {
    if (!(e instanceof DrawError)) throw e;
    problems.push(problem(`无法重新计算抽取：${e.zh}`, `the draw cannot be recomputed: ${e.en}`));
  }
  if (problems.length > MAX_PROBLEMS) {
    const rest = problems.length - MAX_PROBLEMS;
    problems.length = MAX_PROBLEMS;
    problems.push(problem(`另有${rest}处不一致未列出`, `${rest} more problems not listed`));
  }
  return { match: problems.length === 0, problems, wellFormed: true, hashing: h.kind };
}

// ───────────────────────── the page ─────────────────────────

/** UTF-8 text of the bytes, a byte-order mark kept (as `zhize draw verify` reads a file). */
const decode = (buffer) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(buffer);

function wire(root) {
  const doc = root.ownerDocument;
  const out = doc.getElementById('verify-result');
  const commitment = doc.getElementById('verify-commitment');
  const sources = JSON.parse(root.dataset.sources || '[]');
  const show = async (what, getText) => {
    out.dataset.verdict = 'running';
    out.textContent = `正在核验${what}……`;
    let verdict;
    try {
      verdict = await verifyDrawText(await getText(), { commitment: commitment.value.trim(), sources });
    } catch (e) {
      verdict = {
        match: false,
        wellFormed: false,
        problems: [problem('无法读取文件', String(e))],
        hashing: '',
      };
    }
    out.textContent = '';
    const head = doc.createElement('p');
    const strong = doc.createElement('strong');
    strong.textContent = verdict.match ? '一致' : verdict.wellFormed ? '不一致' : '无法核验';
    head.append(
      strong,
      `：${what}${verdict.match ? '可由公开数据完整复算，且与上面的承诺一致。' : '，原因如下。'}`,
    );
    out.append(head);
    if (verdict.problems.length > 0) {
      const ul = doc.createElement('ul');
      ul.id = 'verify-problems';
      for (const p of verdict.problems) {
        const li = doc.createElement('li');
        li.textContent = p;
        ul.append(li);
      }
      out.append(ul);
    }
    const note = doc.createElement('p');
    note.className = 'muted';
    note.textContent = `在本浏览器中计算（${verdict.hashing}），未向服务器发送任何数据。`;
    out.append(note);
    out.dataset.verdict = verdict.match ? 'match' : verdict.wellFormed ? 'mismatch' : 'unreadable';
  };
  doc
    .getElementById('verify-this')
    .addEventListener('click', () =>
      show('本次抽取文件', async () => decode(await (await fetch(root.dataset.fileUrl)).arrayBuffer())),
    );
  doc.getElementById('verify-file').addEventListener('change', (event) => {
    const file = event.target.files?.[0];
    if (file) show(`文件 ${file.name} `, async () => decode(await file.arrayBuffer()));
  });
  root.hidden = false;
}

if (typeof document !== 'undefined') {
  const root = document.getElementById('browser-verify');
  if (root) wire(root);
}
