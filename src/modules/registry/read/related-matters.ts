import type { BoundaryMatterOut, OfficeOut } from '../registry.schema.ts';

/** Domain inference for the office page: the boundary matters that concern an office. */

export interface RelatedMatter {
  matter: BoundaryMatterOut;
  /** The office's own text that relates it (a work item or service name). */
  because: string;
  /** The shared phrase found in both. */
  phrase: string;
}

const PUNCT = /[，。、；：,.;:（）()《》〈〉“”‘’"'\s！？!?·—-]+/;
/** Phrases too common in the lists to tie an office to a matter. */
const GENERIC = [
  '行业发展规划',
  '发展规划',
  '行业管理',
  '监督管理',
  '管理工作',
  '相关管理',
  '组织实施',
  '负责',
  '全市',
];

/**
 * Which boundary matters of the department concern this office. A cheap, explainable inference:
 * a matter is related when its name (or the department's share text) and one of the office's work
 * items or services share a phrase that no other office of the department uses. The phrase must be
 * at least 4 characters from the matter name, 5 from a share text, not counting generic words.
 */
export function relatedMatters(
  office: OfficeOut,
  departmentOffices: OfficeOut[],
  matters: BoundaryMatterOut[],
): RelatedMatter[] {
  const textsOf = (o: OfficeOut) => [...o.workItems.map((w) => w.text), ...o.services.map((s) => s.name)];
  const mine = textsOf(office);
  const others = departmentOffices.filter((o) => o.id !== office.id && !o.isGroup).map(textsOf);
  const out: RelatedMatter[] = [];
  for (const m of matters) {
    const keys: Array<[string, number]> = [
      [m.name, 4],
      ...m.shares
        .filter((s) => s.departmentId === office.departmentId)
        .map((s): [string, number] => [s.text, 5]),
    ];
    let best: { phrase: string; because: string } | null = null;
    for (const [key, min] of keys) {
      for (const k of key.split(PUNCT)) {
        for (const t of mine) {
          for (const seg of t.split(PUNCT)) {
            const phrase = longestCommon(k, seg);
            const core = GENERIC.reduce((s, g) => s.split(g).join(''), phrase);
            if (Array.from(phrase).length < min || Array.from(core).length < 4) continue;
            if (others.some((texts) => texts.some((x) => x.includes(phrase)))) continue;
            if (!best || phrase.length > best.phrase.length) best = { phrase, because: t };
          }
        }
      }
    }
    if (best) out.push({ matter: m, ...best });
  }
  return out;
}

function longestCommon(a: string, b: string): string {
  let best = '';
  for (let i = 0; i < a.length; i++) {
    for (let j = i + best.length + 1; j <= a.length; j++) {
      const s = a.slice(i, j);
      if (b.includes(s)) best = s;
      else break;
    }
  }
  return best;
}
