import type { Scored } from './search.model.ts';
import { sortByScore } from './search.model.ts';
import { normalizeText } from './tokenize.ts';
import { SHARE_RULES } from './vocabulary/vocabulary.ts';

/**
 * Choosing between the shares of one boundary matter (issue 13 §3). Every share of a matter is
 * indexed with the matter's name, so a question about the matter matches all its shares on the same
 * words; what then put one share first was how many *other* words it had in common with the
 * question — 打击传销's 市财政局 share ("…集中执法、举报奖励以及劝返传销人员等所需费用") won
 * "搞传销的举报找谁" on 举报 over the 市市场监督管理局 share that investigates 传销 (old-dev q105).
 * Instead, among the shares of a matter that match the question's specific words equally:
 *   1. a share that does what the question asks for (share-rules.json `acts`: 举报 → 查处/处罚…,
 *      投诉/退款 → 维权/消费者权益) comes first, the lead share first among those;
 *   2. failing that, the lead share (a share saying 牵头 or 承担…日常工作; in a matter without one,
 *      the first share) comes before a share that outscores it only through generic words.
 * The shares trade places, not scores: the group's scores are handed out again in the new order, so
 * how strong the matter is against other records, and the no-match decision, do not change.
 */

export interface ShareRole {
  matterId: number;
  departmentId: number;
  position: number;
  /** The share's text as written (what its department does). */
  text: string;
  lead: boolean;
  /** Indices of SHARE_RULES.acts that the share's text says its department does. */
  acts: ReadonlySet<number>;
}

const norm = (w: string) => normalizeText(w);
const LEAD_WORDS = SHARE_RULES.leadWords.map((l) => norm(l.word));
const ACTS = SHARE_RULES.acts.map((a) => ({
  questionWords: a.questionWords.map(norm),
  shareWords: a.shareWords.map(norm),
}));

/** Shares of one matter tie on specific words when they differ by less than this weight. */
const SPECIFIC_TIE = 1e-6;

/** The role of each boundary share (by share id), from the shares in list order. */
export function shareRoles(
  shares: ReadonlyArray<{
    id: number;
    matter_id: number;
    position: number;
    department_id: number;
    text: string;
  }>,
): Map<number, ShareRole> {
  const byMatter = new Map<number, Array<(typeof shares)[number]>>();
  for (const s of shares) {
    const list = byMatter.get(s.matter_id) ?? [];
    list.push(s);
    byMatter.set(s.matter_id, list);
  }
  const roles = new Map<number, ShareRole>();
  for (const [matterId, list] of byMatter) {
    list.sort((a, b) => a.position - b.position || a.id - b.id);
    const texts = list.map((s) => norm(s.text));
    const marked = texts.map((t) => LEAD_WORDS.some((w) => t.includes(w)));
    const anyMarked = marked.some(Boolean);
    list.forEach((s, i) => {
      const acts = new Set<number>();
      ACTS.forEach((a, k) => {
        if (a.shareWords.some((w) => texts[i]!.includes(w))) acts.add(k);
      });
      roles.set(s.id, {
        matterId,
        departmentId: s.department_id,
        position: s.position,
        text: s.text,
        lead: anyMarked ? marked[i]! : i === 0,
        acts,
      });
    });
  }
  return roles;
}

/** The shares of each matter, in list order. */
export function sharesByMatter(roles: ReadonlyMap<number, ShareRole>): Map<number, ShareRole[]> {
  const out = new Map<number, ShareRole[]>();
  for (const r of roles.values()) {
    const list = out.get(r.matterId) ?? [];
    list.push(r);
    out.set(r.matterId, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.position - b.position);
  return out;
}

/** The acts (indices of SHARE_RULES.acts) a question asks for. */
export function questionActs(text: string): number[] {
  const out: number[] = [];
  ACTS.forEach((a, k) => {
    if (a.questionWords.some((w) => text.includes(w))) out.push(k);
  });
  return out;
}

/**
 * `scored` (best first) with the shares of each matter reordered as above; `specific` is a record's
 * matched weight of words that are not generic.
 */
export function reorderShares(
  scored: Scored[],
  roles: ReadonlyMap<number, ShareRole>,
  acts: readonly number[],
  specific: (s: Scored) => number,
): Scored[] {
  const byMatter = new Map<number, number[]>();
  scored.forEach((s, i) => {
    const role = s.candidate.kind === 'share' ? roles.get(s.candidate.recordId) : undefined;
    if (!role) return;
    const list = byMatter.get(role.matterId) ?? [];
    list.push(i);
    byMatter.set(role.matterId, list);
  });
  let out: Scored[] | null = null;
  for (const indices of byMatter.values()) {
    if (indices.length < 2) continue;
    const spec = indices.map((i) => specific(scored[i]!));
    const max = Math.max(...spec);
    const group = indices.filter((_, k) => spec[k]! >= max - SPECIFIC_TIE);
    if (group.length < 2) continue;
    const role = (i: number) => roles.get(scored[i]!.candidate.recordId)!;
    const doesAct = (i: number) => acts.some((a) => role(i).acts.has(a));
    const generic = (i: number) => scored[i]!.matched - specific(scored[i]!);
    let order = group;
    if (group.some(doesAct)) {
      const acting = group.filter(doesAct);
      order = [
        ...acting.filter((i) => role(i).lead),
        ...acting.filter((i) => !role(i).lead),
        ...group.filter((i) => !doesAct(i)),
      ];
    } else {
      const top = group[0]!;
      const lead = group.find((i) => role(i).lead);
      if (lead !== undefined && !role(top).lead && generic(top) > generic(lead) + SPECIFIC_TIE) {
        order = [lead, ...group.filter((i) => i !== lead)];
      }
    }
    if (order.every((i, k) => i === group[k])) continue;
    out ??= scored.slice();
    const scores = group.map((i) => scored[i]!.score);
    order.forEach((i, k) => {
      out![i] = { ...scored[i]!, score: scores[k]! };
    });
  }
  return out ? sortByScore(out) : scored;
}
