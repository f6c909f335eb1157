import type { ParsedDepartmentLists } from './model.ts';

/**
 * Merging the several ways the document writes one department or office.
 * The rules are data-free and conservative; every merge is reported so a person can check it.
 */

export interface NameGroup {
  canonical: string;
  variants: string[];
}

/**
 * 衡水市商务局 ~ 市商务局; 市住房城乡建设局 ~ 市住房和城乡建设局. A 和 is dropped only between two
 * parts of at least two characters each, so a stray 和 in a damaged cell (市商务和局) never makes
 * the cell another department's variant.
 */
export function departmentKey(name: string): string {
  const n = name.replace(/^衡水/, '').replace(/[\s\u3000]/g, '');
  const parts: string[] = [];
  let from = 0;
  for (let i = n.indexOf('和'); i !== -1; i = n.indexOf('和', i + 1)) {
    if (i < 3 || n.length - i - 1 < 3) continue;
    parts.push(n.slice(from, i));
    from = i + 1;
  }
  parts.push(n.slice(from));
  return parts.join('');
}

/** 对外贸易和国际经贸关系科（衡水市机电产品进出口办公室） → 对外贸易和国际经贸关系科 + second name. */
export function splitOfficeName(name: string): { base: string; secondName: string | null } {
  const last = name[name.length - 1];
  if (last !== '）' && last !== ')') return { base: name, secondName: null };
  const open = Math.max(name.lastIndexOf('（'), name.lastIndexOf('('));
  const inner = open <= 0 ? '' : name.slice(open + 1, -1);
  if (inner === '' || /[（）()]/.test(inner)) return { base: name, secondName: null };
  return { base: name.slice(0, open), secondName: inner };
}

/** A cell naming a group of offices rather than one office. */
export function isOfficeGroup(name: string): boolean {
  return name.startsWith('各') && ['科室', '处室', '部门'].some((s) => name.endsWith(s));
}

/**
 * Groups department names. `preferred` names (the owners named in part titles, and names
 * already stored) win; otherwise the longest variant (the fuller official name) wins.
 */
export function groupDepartments(
  names: Iterable<string>,
  preferred: ReadonlySet<string>,
): Map<string, NameGroup> {
  const byKey = new Map<string, string[]>();
  for (const n of names) {
    const k = departmentKey(n);
    const list = byKey.get(k) ?? [];
    if (!list.includes(n)) list.push(n);
    byKey.set(k, list);
  }
  const out = new Map<string, NameGroup>();
  for (const [k, variants] of byKey) {
    const pref = variants.find((v) => preferred.has(v));
    const canonical = pref ?? [...variants].sort((a, b) => b.length - a.length)[0]!;
    out.set(k, { canonical, variants });
  }
  return out;
}

export interface OfficeResolution {
  /** canonical office name → its aliases (as written variants and second names). */
  offices: Map<string, { aliases: Set<string>; isGroup: boolean; firstLine: number; fromPart: 1 | 4 }>;
  /** as-written name → canonical name. */
  canonicalOf: Map<string, string>;
}

export function resolveOffices(lists: ParsedDepartmentLists): OfficeResolution {
  const offices: OfficeResolution['offices'] = new Map();
  const canonicalOf = new Map<string, string>();
  const add = (written: string, line: number, fromPart: 1 | 4) => {
    const { base, secondName } = splitOfficeName(written);
    const canonical = base;
    let entry = offices.get(canonical);
    if (!entry) {
      entry = { aliases: new Set(), isGroup: isOfficeGroup(canonical), firstLine: line, fromPart };
      offices.set(canonical, entry);
    }
    if (written !== canonical) entry.aliases.add(written);
    if (secondName) entry.aliases.add(secondName);
    canonicalOf.set(written, canonical);
  };
  for (const d of lists.duties) for (const i of d.items) for (const o of i.offices) add(o, i.lineStart, 1);
  for (const s of lists.services) for (const o of s.offices) add(o, s.lineStart, 4);
  return { offices, canonicalOf };
}

// ---------------------------------------------------------------------------------------
// What a name may look like

export type NameKind = 'department' | 'office';

/**
 * The shape of a department or office name (docs/importer.md, "Names"): a cell that is not one
 * is refused as damaged rather than taken for a new department or office. The endings are the
 * words Chinese administrative names end with; a parenthesised second name is allowed at the end.
 */
export const NAME_RULES: Record<
  NameKind,
  { zh: string; min: number; max: number; endings: readonly string[] }
> = {
  department: {
    zh: '部门',
    min: 3,
    max: 40,
    endings: [
      '局',
      '委',
      '会',
      '办',
      '院',
      '部',
      '社',
      '厅',
      '室',
      '中心',
      '公司',
      '政府',
      '所',
      '站',
      '队',
      '行',
      '署',
      '处',
      '团',
      '馆',
      '台',
      '联',
      '部门',
      '机关',
      '机构',
      '单位',
    ],
  },
  office: {
    zh: '科室',
    min: 2,
    max: 60,
    endings: [
      '科',
      '室',
      '处',
      '局',
      '所',
      '站',
      '队',
      '组',
      '部',
      '股',
      '办',
      '委',
      '会',
      '院',
      '馆',
      '台',
      '厅',
      '中心',
      '部门',
    ],
  },
};

function isNameChar(c: number): boolean {
  return (
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c === 0xb7 || // ·
    c === 0x3007 // 〇
  );
}

/** Why `name` cannot be a department's or office's name (Chinese), or null when it can. */
export function nameProblem(name: string, kind: NameKind): string | null {
  const rule = NAME_RULES[kind];
  if (name.length > rule.max)
    return `名称长达 ${name.length} 个字符（${rule.zh}名称最多 ${rule.max} 个字符）`;
  if (name.length < rule.min) return `名称太短`;
  let depth = 0;
  for (let i = 0; i < name.length; i++) {
    const ch = name[i]!;
    if (ch === '（' || ch === '(') {
      depth++;
      if (depth > 1) return '括号嵌套';
    } else if (ch === '）' || ch === ')') {
      depth--;
      if (depth < 0) return '括号不配对';
    } else if (!isNameChar(ch.charCodeAt(0))) {
      return `含有名称中不应出现的字符“${ch}”`;
    }
  }
  if (depth !== 0) return '括号不配对';
  const { base } = splitOfficeName(name);
  if (base.length < rule.min) return '括号前的名称太短';
  if (kind === 'office' && isOfficeGroup(base)) return null;
  if (!rule.endings.some((e) => base.endsWith(e)))
    return `${rule.zh}名称应以“${rule.endings.slice(0, 6).join('”“')}”等结尾`;
  return null;
}
