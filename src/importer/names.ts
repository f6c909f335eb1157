import type { ParsedDepartmentLists } from './model.ts';

/**
 * Merging the several ways the document writes one department or office.
 * The rules are data-free and conservative; every merge is reported so a person can check it.
 */

export interface NameGroup {
  canonical: string;
  variants: string[];
}

/** 衡水市商务局 ~ 市商务局; 市住房城乡建设局 ~ 市住房和城乡建设局. */
export function departmentKey(name: string): string {
  return name
    .replace(/^衡水/, '')
    .replace(/和/g, '')
    .replace(/[\s\u3000]/g, '');
}

/** 对外贸易和国际经贸关系科（衡水市机电产品进出口办公室） → 对外贸易和国际经贸关系科 + second name. */
export function splitOfficeName(name: string): { base: string; secondName: string | null } {
  const m = /^(.+?)[（(]([^（）()]+)[）)]$/.exec(name);
  if (!m) return { base: name, secondName: null };
  return { base: m[1]!, secondName: m[2]! };
}

/** A cell naming a group of offices rather than one office. */
export function isOfficeGroup(name: string): boolean {
  return /^各.*(科室|处室|部门)$/.test(name);
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
