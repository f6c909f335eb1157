/**
 * Department mentions in case texts (向市场监督管理部门投诉, 市商务局负责：…): the patterns that
 * find a department named in free text, and the split of a case into per-department clauses.
 * Used by the index (case clauses) and by the question model (a department the question names).
 */
/**
 * Short forms that case texts use for departments whose canonical name reads differently
 * (historic or abbreviated names). Data, like the synonym table: short form → canonical name.
 */
export const DEPARTMENT_SHORT_FORMS: ReadonlyArray<{ short: string; department: string }> = [
  { short: '工商', department: '市市场监督管理局' },
  { short: '食品药品监督管理', department: '市市场监督管理局' },
  { short: '工信', department: '市工业和信息化局' },
  { short: '农业', department: '市农业农村局' },
  { short: '发改', department: '市发展改革委' },
];

const NAME_SUFFIXES = ['委员会', '局', '委', '办', '社', '院', '部', '会'];

export interface MentionPattern {
  departmentId: number;
  regex: RegExp;
}

/** The part of a department name that case texts repeat: 市市场监督管理局 → 市场监督管理. */
function nameCore(name: string): { core: string; suffix: string } {
  let n = name.replace(/^衡水市/, '').replace(/^市/, '');
  let suffix = '';
  for (const s of NAME_SUFFIXES) {
    if (n.endsWith(s) && n.length - s.length >= 2) {
      suffix = s;
      n = n.slice(0, -s.length);
      break;
    }
  }
  return { core: n, suffix };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A core with 和 optional between characters: 发展改革 also matches 发展和改革. */
function coreRegex(core: string): string {
  return [...core.replace(/和/g, '')].map(escapeRe).join('和?');
}

/**
 * Regular expressions finding mentions of each department in free text: its name, an alias, or
 * the core of the name with a department word (市场监督管理部门, 税务部门, 工信局). `extraSuffixes`
 * widens the department words (questions say 商务这块, 商务那边).
 */
export function mentionPatterns(
  departments: Array<{ id: number; name: string }>,
  aliases: Array<{ department_id: number; alias: string }>,
  extraSuffixes: readonly string[] = [],
): MentionPattern[] {
  const byName = new Map(departments.map((d) => [d.name, d.id]));
  const forms: Array<{ departmentId: number; core: string; suffix: string }> = [];
  for (const d of departments) forms.push({ departmentId: d.id, ...nameCore(d.name) });
  for (const a of aliases) forms.push({ departmentId: a.department_id, ...nameCore(a.alias) });
  for (const s of DEPARTMENT_SHORT_FORMS) {
    const id = byName.get(s.department);
    if (id !== undefined) forms.push({ departmentId: id, core: s.short, suffix: '' });
  }
  const patterns: MentionPattern[] = [];
  const seen = new Set<string>();
  for (const f of forms) {
    if (f.core.length < 2) continue;
    const suffixes = ['部门', '机关', '局', ...extraSuffixes];
    if (f.suffix) suffixes.push(f.suffix);
    // A long core is distinctive on its own (某市场监督管理在…); a short one needs its suffix.
    const suffixRe = `(?:${[...new Set(suffixes)].map(escapeRe).join('|')})${f.core.length >= 4 ? '?' : ''}`;
    const source = `(?<![省部国家总])(?:衡水)?市?${coreRegex(f.core)}${suffixRe}(?!总局|厅)`;
    if (seen.has(source)) continue;
    seen.add(source);
    patterns.push({ departmentId: f.departmentId, regex: new RegExp(source, 'gu') });
  }
  return patterns;
}

export interface CaseClause {
  departmentId: number;
  text: string;
}

/** Ranges of 《…》 and （…） — names of laws and asides, where a department name is no mention. */
function quotedRanges(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const m of text.matchAll(/《[^》]*》|（[^）]*）|\([^)]*\)/gu))
    out.push([m.index, m.index + m[0].length]);
  return out;
}

/**
 * Splits a worked case into clauses, each ending with (or led by) the department it names:
 * "…过期食品…要向市场监督管理部门投诉，如…虚假发票的要向税务部门投诉，…要向商务部门投诉。" gives
 * three clauses for three departments. Sentences that name no department stick to the clause before
 * them (or, at the start, to the first clause).
 */
export function splitCase(text: string, patterns: MentionPattern[]): CaseClause[] {
  const quoted = quotedRanges(text);
  const mentions: Array<{ start: number; end: number; departmentId: number }> = [];
  for (const p of patterns) {
    for (const m of text.matchAll(p.regex)) {
      const start = m.index;
      const end = start + m[0].length;
      if (quoted.some(([a, b]) => start >= a && start < b)) continue;
      mentions.push({ start, end, departmentId: p.departmentId });
    }
  }
  mentions.sort((a, b) => a.start - b.start || b.end - a.end);
  const chosen: typeof mentions = [];
  for (const m of mentions) {
    const last = chosen[chosen.length - 1];
    if (last && m.start < last.end) continue;
    chosen.push(m);
  }
  if (chosen.length === 0) return [];

  const sentences: Array<[number, number]> = [];
  let s0 = 0;
  for (const m of text.matchAll(/[。；;！!？?]|\.(?!\d)/gu)) {
    sentences.push([s0, m.index + 1]);
    s0 = m.index + 1;
  }
  if (s0 < text.length) sentences.push([s0, text.length]);

  const clauses: Array<{ departmentId: number; start: number; end: number }> = [];
  let pendingStart: number | null = null;
  for (const [ss, se] of sentences) {
    const inside = chosen.filter((m) => m.start >= ss && m.start < se);
    if (inside.length === 0) {
      const last = clauses[clauses.length - 1];
      if (last) last.end = se;
      else pendingStart ??= ss;
      continue;
    }
    let cursor = pendingStart ?? ss;
    pendingStart = null;
    inside.forEach((m, i) => {
      const next = inside[i + 1];
      const after = text.slice(m.end, m.end + 4);
      const leads = /^\s*(负责)?[：:]/.test(after) || /^负责[^，,。；;]/.test(after);
      let end: number;
      if (leads) {
        end = next ? next.start : se;
      } else {
        const comma = text.slice(m.end, se).search(/[，,]/);
        end = comma >= 0 ? m.end + comma : se;
        if (next && end > next.start) end = next.start;
      }
      clauses.push({ departmentId: m.departmentId, start: cursor, end });
      cursor = end;
    });
    const last = clauses[clauses.length - 1]!;
    if (cursor < se) last.end = se;
  }
  return clauses
    .map((c) => ({
      departmentId: c.departmentId,
      text: text
        .slice(c.start, c.end)
        .replace(/^[，,。；;\s]+/, '')
        .trim(),
    }))
    .filter((c) => c.text.length > 0);
}
