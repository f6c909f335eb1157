import type { IndexKind } from './search.index.ts';
import type { Candidate, IndexModel, Scored } from './search.model.ts';
import type { ResolveAnswer, ResolveConfidence, ResolveResult } from './search.types.ts';

/**
 * Presenting the resolver's answers honestly (issue 13 §4): the sentence of the lists that says
 * so, the office's phone, how sure the answer is, who does what when departments share a matter,
 * and the complaint line when a complaint concerns a matter of a list whose department has one.
 */

/** A (department, office) the evidence votes for. */
export interface Pair {
  departmentId: number;
  officeId: number | null;
  score: number;
  best: Scored;
  evidence: Scored[];
}

/** A pair with its score after the same-department decay, as ranked. */
export interface RankedPair {
  pair: Pair;
  score: number;
}

const SOURCE_TYPE: Record<IndexKind, string> = {
  workItem: 'workItem',
  duty: 'duty',
  share: 'share',
  case: 'case',
  caseClause: 'case',
  regime: 'regime',
  service: 'service',
};

export function quote(text: string, max = 90): string {
  const t = text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[。；;，,：:]+$/u, '');
  const chars = [...t];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : t;
}

function phoneFor(pair: Pair, model: IndexModel): string | null {
  const c = pair.best.candidate;
  if (c.kind === 'service') {
    const pairs = model.servicePhones.get(c.recordId) ?? [];
    const own = pairs.find((p) => p.officeId === pair.officeId) ?? pairs[0];
    if (own) return own.phone;
  }
  if (pair.officeId === null) return null;
  return model.offices.get(pair.officeId)?.phone ?? null;
}

function reasonFor(
  pair: Pair,
  model: IndexModel,
  department: string,
  office: string | null,
  body: string,
): string {
  const c: Candidate = pair.best.candidate;
  const matter = c.parentId !== null ? model.matters.get(c.parentId) : undefined;
  const officePart = office
    ? pair.officeId === c.officeId && !c.officeInferred
      ? `，责任科室：${office}`
      : `；部门职责清单中与此最相关的科室是${office}`
    : '';
  switch (c.kind) {
    case 'caseClause':
      return `职责边界清单“${matter ?? ''}”的案例写明：“${quote(body)}”${officePart}。`;
    case 'share':
      return `职责边界清单“${matter ?? ''}”中，${department}的职责分工是：“${quote(body)}”${officePart}。`;
    case 'workItem': {
      const seq = c.parentId !== null ? model.duties.get(c.parentId) : undefined;
      return `部门职责清单${seq !== undefined ? `第 ${seq} 项主要职责` : ''}下的工作事项：“${quote(body)}”${officePart}。`;
    }
    case 'duty':
      return `部门职责清单的主要职责：“${quote(body)}”${officePart}。`;
    case 'service':
      return `公共服务事项“${c.title}”：${quote(body)}${office ? `，承办机构：${office}` : ''}。`;
    case 'regime':
      return `事中事后监管制度“${c.title}”由${department}负责${officePart}。`;
    default:
      return quote(body);
  }
}

/** The register's warnings on the answer's record, as a sentence after the reason (none: ''). */
function legalNote(pair: Pair, model: IndexModel): string {
  const notes = model.legalNotes.get(pair.best.candidate.id) ?? [];
  return notes.length ? `注意：${notes.join('；')}。` : '';
}

export function present(pair: Pair, model: IndexModel, body: string): ResolveAnswer {
  const c = pair.best.candidate;
  const department = model.departments.get(pair.departmentId) ?? '';
  const office = pair.officeId !== null ? (model.offices.get(pair.officeId)?.name ?? null) : null;
  return {
    department,
    office,
    phone: phoneFor(pair, model),
    reason: reasonFor(pair, model, department, office, body) + legalNote(pair, model),
    source: { type: SOURCE_TYPE[c.kind], id: c.recordId, url: c.url },
  };
}

// ---------------------------------------------------------------------------------------------
// How sure

/**
 * Confidence levels from two numbers: the top answer's lead over the best answer of another
 * department (margin, as a share of the top score) and how much of the question its record covers
 * (coverage). Calibrated on the 154 answered questions of old-dev and real-dev (the splits the
 * resolver was tuned on, so the figures are optimistic; docs/search.md "How sure"): with these
 * thresholds the first department was right for 83 of 85 较确定 answers (97.6%), 34 of 37 可能
 * (91.9%) and 23 of 32 不确定 (71.9%); 9 of the 13 wrong first answers were 不确定. Raising the high
 * margin to 0.25 moves 10 right answers to 可能 and no wrong one; lowering the low margin to 0.05
 * moves 3 wrong answers (r011, r074, q099) up to 可能.
 */
export const CONFIDENCE = {
  /** 较确定: margin and coverage both at least these. */
  high: { margin: 0.2, coverage: 0.3 },
  /** 不确定: margin (the next department nearly as good) or coverage below these. */
  low: { margin: 0.1, coverage: 0.1 },
} as const;

const LABELS = { high: '较确定', medium: '可能', low: '不确定' } as const;

export function confidenceOf(ranked: readonly RankedPair[]): ResolveConfidence {
  const top = ranked[0]!;
  const other = ranked.find((r) => r.pair.departmentId !== top.pair.departmentId);
  const margin = other && top.score > 0 ? Math.max(0, (top.score - other.score) / top.score) : 1;
  const coverage = top.pair.best.coverage;
  const level =
    margin >= CONFIDENCE.high.margin && coverage >= CONFIDENCE.high.coverage
      ? 'high'
      : margin < CONFIDENCE.low.margin || coverage < CONFIDENCE.low.coverage
        ? 'low'
        : 'medium';
  return { level, label: LABELS[level], margin: round(margin), coverage: round(coverage) };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

// ---------------------------------------------------------------------------------------------
// Who does what

/**
 * When the answers rest on a boundary matter that several of the answered departments share, what
 * each of them does there (their shares, in list order): the first boundary matter among the
 * answers' records, the answered departments that have a share in it, at least two.
 */
export function sharedMatter(chosen: readonly RankedPair[], model: IndexModel): ResolveResult['shared'] {
  const matterOf = (c: Candidate) =>
    (c.kind === 'share' || c.kind === 'caseClause') && c.parentId !== null ? c.parentId : null;
  const matterId = chosen.map((a) => matterOf(a.pair.best.candidate)).find((m) => m !== null);
  if (matterId === undefined || matterId === null) return undefined;
  const shares = model.matterShares.get(matterId) ?? [];
  const roles: Array<{ department: string; does: string }> = [];
  const seen = new Set<number>();
  for (const a of chosen) {
    const dept = a.pair.departmentId;
    if (seen.has(dept)) continue;
    seen.add(dept);
    const own = shares.filter((s) => s.departmentId === dept);
    if (own.length === 0) continue;
    roles.push({
      department: model.departments.get(dept) ?? '',
      does: own.map((s) => quote(s.text, 60)).join('；'),
    });
  }
  if (roles.length < 2) return undefined;
  const first = chosen.find((a) => matterOf(a.pair.best.candidate) === matterId)!;
  return { matter: model.matters.get(matterId) ?? '', url: first.pair.best.candidate.url, roles };
}

// ---------------------------------------------------------------------------------------------
// The complaint line

/**
 * A complaint (the question asks to 举报/投诉, share-rules.json `acts`) about a matter of a list
 * whose department publishes a complaint line (a public service for 举报/投诉 with a phone) is
 * offered that line — 衡水市商务局's 12312 for its lists' matters — whoever the first answer is: a
 * closed shop's prepaid card goes to 市市场监督管理局 for the refund, and 12312 takes complaints
 * about the card itself. The list of the top answer's record decides: a boundary matter belongs
 * to the department whose list it is in, any other record to its own department; that department
 * must be among the answers.
 */
export function complaintLine(
  isComplaint: boolean,
  chosen: readonly RankedPair[],
  model: IndexModel,
): ResolveResult['complaint'] {
  if (!isComplaint) return undefined;
  const c = chosen[0]?.pair.best.candidate;
  if (!c) return undefined;
  const owner =
    (c.kind === 'share' || c.kind === 'caseClause') && c.parentId !== null
      ? model.matterOwners.get(c.parentId)
      : c.departmentId;
  const line = owner !== undefined ? model.complaintLines.get(owner) : undefined;
  // The list's department must itself be among the answers (it has a part in the matter).
  if (!line || !chosen.some((a) => a.pair.departmentId === owner)) return undefined;
  return {
    phone: line.phone,
    service: line.service,
    office: line.office,
    department: model.departments.get(owner!) ?? '',
    url: line.url,
  };
}
