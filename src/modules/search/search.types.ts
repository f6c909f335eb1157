/**
 * Contract between the search module and its users (API, portal pages).
 * The search module implements these; pages and routes only consume them.
 */

export type SearchKind = 'workItem' | 'duty' | 'share' | 'case' | 'regime' | 'service';

export interface SearchHit {
  kind: SearchKind;
  /** Record id in its table (work_items, duties, boundary_shares, boundary_cases, regimes, public_services). */
  id: number;
  /** Short title for the result list (e.g. the work item text, the matter name, the service name). */
  title: string;
  /** Text excerpt with matches wrapped as segments so that pages can highlight without raw HTML. */
  snippet: Array<{ text: string; match: boolean }>;
  department: string;
  office: string | null;
  /** Public portal URL of the record. */
  url: string;
  score: number;
}

export interface SearchResult {
  query: string;
  /** Tokens the query was reduced to (after segmentation and synonyms), for display and debugging. */
  tokens: string[];
  total: number;
  /** Counts per kind, including kinds with zero hits. */
  counts: Record<SearchKind, number>;
  /** Hits grouped by kind, best first within a group. */
  groups: Array<{ kind: SearchKind; label: string; hits: SearchHit[] }>;
}

export interface ResolveAnswer {
  department: string;
  office: string | null;
  phone: string | null;
  /** One or two sentences in Chinese: why this department/office. */
  reason: string;
  source: { type: string; id: string | number; url: string };
}

/** How sure the first answer is (resolve.present.ts: confidenceOf; docs/search.md "How sure"). */
export interface ResolveConfidence {
  level: 'high' | 'medium' | 'low';
  /** 较确定 / 可能 / 不确定 */
  label: string;
  /** The first answer's lead over the best answer of another department, as a share of its score. */
  margin: number;
  /** The share of the question (weighted) that the first answer's record covers. */
  coverage: number;
}

export interface ResolveResult {
  query: string;
  answers: ResolveAnswer[];
  /** When nothing fits: an honest message pointing to the general hotline (12345). */
  noMatch: { message: string; hotline: string } | null;
  /**
   * With a no-match: where such matters usually go, when the question names a matter outside the
   * lists that general knowledge places (社保 → 人社, 户口 → 公安; vocabulary/referrals.json).
   */
  referral?: { topic: string; goesTo: string };
  /** With answers: how sure the first one is. */
  confidence?: ResolveConfidence;
  /** When answered departments share a boundary matter: what each of them does there (their shares). */
  shared?: { matter: string; url: string; roles: Array<{ department: string; does: string }> };
  /**
   * A complaint about a matter of a list whose department has a complaint line (衡水市商务局: 12312,
   * the public service "受理商务举报、投诉、申诉、咨询").
   */
  complaint?: { phone: string; service: string; office: string | null; department: string; url: string };
}
