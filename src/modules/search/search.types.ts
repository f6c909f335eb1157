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
}
