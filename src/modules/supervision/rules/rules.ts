/**
 * The 15 supervision regimes of part 3 (事中事后监管制度) as rules the software enforces, kept as
 * data (rules.data.ts, built here by `regime()`), with the queries over them. Every figure carries a citation: the regime (its order, seq 1–15, as imported) and the line
 * of data-bundled/source.txt that states it, with the exact words quoted. Where the document gives no
 * figure, the rule says so (`value: null`, note NOT_STATED) — nothing here is invented.
 *
 * `test/supervision-rules.test.ts` reads the source file and checks that every quote is on its line,
 * inside its regime, and that the quoted words express the figure (numbers, Chinese numerals, 万).
 *
 * Where the document says 原则上 ("as a rule") the figure is a default (`asARule: true`); a plan may
 * deviate with a recorded reason and a reviewer's approval (plans.service.ts).
 */

import { addWorkingDays } from '../../../lib/workdays.ts';
import type { CategoryCode } from '../reference/index.ts';
import { REGIME_DATA } from './rules.data.ts';

export const NOT_STATED = 'not stated in the document';
export const NOT_STATED_ZH = '原文未规定';

/** Where a figure comes from: the regime, the line of source.txt, and the words on that line. */
export interface Citation {
  regime: number;
  line: number;
  /** An exact substring of the line. */
  quote: string;
}

export interface Stated<T> {
  value: T;
  citation: Citation;
  /** The document says 原则上: a default a supervisor may override with a recorded reason. */
  asARule: boolean;
  note?: string;
}

export interface NotStated {
  value: null;
  citation: null;
  note: typeof NOT_STATED;
}

export type Figure<T> = Stated<T> | NotStated;

/** A list of rules that is either non-empty or explicitly not stated. */
export interface RuleList<T> {
  items: T[];
  /** NOT_STATED exactly when `items` is empty. */
  note: typeof NOT_STATED | null;
}

/** A piece of text taken from the document, e.g. a method or a frequency remark. */
export interface CitedText {
  text: string;
  citation: Citation;
}

export interface DeadlineRule {
  key: string;
  /** What must happen by the deadline, in Chinese. */
  label: string;
  /**
   * working-days: statutory working days (workdays.ts); days: the document writes 日 without saying
   * working days; date: a fixed day of the year (month, day).
   */
  unit: 'working-days' | 'days' | 'date';
  /** Number of days, or null for a date. */
  amount: number | null;
  /** For unit 'date': 'MM-DD'. */
  date: string | null;
  /** From what the period runs, in Chinese. */
  from: string | null;
  citation: Citation;
  note?: string;
}

export type PenaltyKind =
  | 'fine'
  | 'ban'
  | 'revocation'
  | 'warning'
  | 'policy-support-loss'
  | 'delisting'
  | 'publication'
  | 'referral'
  | 'voidance'
  | 'disqualification';

export interface PenaltyRule {
  key: string;
  kind: PenaltyKind;
  /** The conduct that triggers it, in Chinese. */
  violation: string;
  /** The consequence, in Chinese. */
  label: string;
  /** Condition before the penalty applies (e.g. 逾期仍不改正), or null. */
  precondition: string | null;
  /** Fine range in yuan (null when the document gives no bound). */
  minYuan: number | null;
  maxYuan: number | null;
  /** Fine as a multiple of the illegal gain (违法所得), e.g. 3 for 三倍以下. */
  maxMultipleOfGain: number | null;
  /** Duration in years (ban, loss of policy support), null when none. */
  minYears: number | null;
  maxYears: number | null;
  /** Other figures of the condition (e.g. 12 months, 3 penalties; 2 years, bottom 3). */
  figures: Record<string, number>;
  citation: Citation;
}

export interface RegimeRule {
  /** Order in part 3, as imported (regimes.seq). */
  seq: number;
  /** Title as imported (regimes.title). */
  title: string;
  /** First and last line of the regime in source.txt. */
  lines: { from: number; to: number };
  /** Who is supervised. */
  subjects: { categories: CategoryCode[]; citations: Citation[]; note?: string };
  /** Minimum share of the supervised entities checked per year (0.10 = 10 %). */
  minSamplingRatio: Figure<number>;
  /** Spot-check rounds per year. */
  roundsPerYear: Figure<{ min: number; max: number }>;
  /** Minimum staff on each check. */
  minInspectors: Figure<number>;
  /** Checks at any time on a complaint (随时 / 根据投诉举报), when the document says so. */
  onComplaint: Figure<true>;
  /** Other statements about frequency (quarterly visits, annual reviews …). */
  frequencyNotes: CitedText[];
  /** How checks are made (检查方式), quoted. */
  methods: CitedText[];
  deadlines: RuleList<DeadlineRule>;
  penalties: RuleList<PenaltyRule>;
  /** What a required document must state (e.g. the 执法监督通知（决定）书), quoted item by item. */
  documentContents: RuleList<CitedText & { document: string }>;
}

// ───────────────────────────── the data's shape, and the builder ─────────────────────────────

/** `[line, quote]`: a line of source.txt and the exact words on it (the regime is implied). */
export type Quote = readonly [line: number, quote: string];

/** A figure the document states; a figure it leaves out is left out of the data. */
export interface FigureInput<T> {
  value: T;
  at: Quote;
  asARule: boolean;
  note?: string;
}

export interface DeadlineInput {
  key: string;
  label: string;
  unit: DeadlineRule['unit'];
  amount?: number;
  date?: string;
  from?: string;
  at: Quote;
  note?: string;
}

export interface PenaltyInput {
  at: Quote;
  key: string;
  kind: PenaltyKind;
  violation: string;
  label: string;
  precondition?: string;
  minYuan?: number;
  maxYuan?: number;
  maxMultipleOfGain?: number;
  minYears?: number;
  maxYears?: number;
  figures?: Record<string, number>;
}

/** One regime as written in rules.data.ts: what the document does not state is absent. */
export interface RegimeInput {
  seq: number;
  title: string;
  lines: { from: number; to: number };
  subjects: { categories: CategoryCode[]; cited: Quote[]; note?: string };
  minSamplingRatio?: FigureInput<number>;
  roundsPerYear?: FigureInput<{ min: number; max: number }>;
  minInspectors?: FigureInput<number>;
  onComplaint?: FigureInput<true>;
  frequencyNotes?: Quote[];
  methods: Quote[];
  deadlines?: DeadlineInput[];
  penalties?: PenaltyInput[];
  documentContents?: { document: string; items: Quote[] };
}

const notStated: NotStated = { value: null, citation: null, note: NOT_STATED };

/** A list that is empty exactly when the document states none (then noted NOT_STATED). */
const ruleList = <T>(items: T[]): RuleList<T> => ({ items, note: items.length === 0 ? NOT_STATED : null });

/** The rule of one regime: citations bound to its seq, absent figures and lists "not stated". */
export function regime(input: RegimeInput): RegimeRule {
  const cite = ([line, quote]: Quote): Citation => ({ regime: input.seq, line, quote });
  const text = (q: Quote): CitedText => ({ text: q[1], citation: cite(q) });
  const figure = <T>(f: FigureInput<T> | undefined): Figure<T> =>
    f
      ? { value: f.value, citation: cite(f.at), asARule: f.asARule, ...(f.note ? { note: f.note } : {}) }
      : notStated;
  const deadline = ({ key, label, unit, amount, date, from, at, note }: DeadlineInput): DeadlineRule => ({
    key,
    label,
    unit,
    amount: amount ?? null,
    date: date ?? null,
    from: from ?? null,
    citation: cite(at),
    ...(note ? { note } : {}),
  });
  const penalty = ({ at, precondition, figures, ...p }: PenaltyInput): PenaltyRule => ({
    key: p.key,
    kind: p.kind,
    violation: p.violation,
    label: p.label,
    precondition: precondition ?? null,
    minYuan: p.minYuan ?? null,
    maxYuan: p.maxYuan ?? null,
    maxMultipleOfGain: p.maxMultipleOfGain ?? null,
    minYears: p.minYears ?? null,
    maxYears: p.maxYears ?? null,
    figures: figures ?? {},
    citation: cite(at),
  });
  const { subjects, documentContents: doc } = input;
  return {
    seq: input.seq,
    title: input.title,
    lines: { from: input.lines.from, to: input.lines.to },
    subjects: {
      categories: subjects.categories,
      citations: subjects.cited.map(cite),
      ...(subjects.note ? { note: subjects.note } : {}),
    },
    minSamplingRatio: figure(input.minSamplingRatio),
    roundsPerYear: figure(input.roundsPerYear),
    minInspectors: figure(input.minInspectors),
    onComplaint: figure(input.onComplaint),
    frequencyNotes: (input.frequencyNotes ?? []).map(text),
    methods: input.methods.map(text),
    deadlines: ruleList((input.deadlines ?? []).map(deadline)),
    penalties: ruleList((input.penalties ?? []).map(penalty)),
    documentContents: ruleList(doc ? doc.items.map((q) => ({ document: doc.document, ...text(q) })) : []),
  };
}

/** The 15 regimes of part 3, in order (data: rules.data.ts). */
export const REGIME_RULES: readonly RegimeRule[] = REGIME_DATA.map(regime);

// ───────────────────────────── queries ─────────────────────────────

export function ruleOf(seq: number): RegimeRule | undefined {
  return REGIME_RULES.find((r) => r.seq === seq);
}

/** The regime's minimum sampling ratio in basis points (1000 = 10 %), or null when not stated. */
export function minRatioBasisPoints(rule: RegimeRule): number | null {
  return rule.minSamplingRatio.value === null ? null : Math.round(rule.minSamplingRatio.value * 10_000);
}

/** Rules whose population includes a category. */
export function rulesForCategory(code: CategoryCode): RegimeRule[] {
  return REGIME_RULES.filter((r) => r.subjects.categories.includes(code));
}

/**
 * The due date of a deadline counted from `from` (YYYY-MM-DD): working days through the statutory
 * calendar (throws CalendarCoverageError for an uncovered year), calendar days otherwise.
 * A 'date' deadline returns that day in the year of `from`.
 */
export function dueDate(deadline: DeadlineRule, from: string): string {
  if (deadline.unit === 'working-days') return addWorkingDays(from, deadline.amount!);
  if (deadline.unit === 'date') return `${from.slice(0, 4)}-${deadline.date}`;
  const d = new Date(`${from}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + deadline.amount!);
  return d.toISOString().slice(0, 10);
}

/** "每年1–2次" and friends, for lists and notices. */
export function roundsText(rule: RegimeRule): string {
  const r = rule.roundsPerYear;
  if (r.value === null) return NOT_STATED_ZH;
  const base = r.value.min === r.value.max ? `每年${r.value.min}次` : `每年${r.value.min}–${r.value.max}次`;
  return r.asARule ? `${base}（原则上）` : base;
}

/** "不少于10%" and friends. */
export function ratioText(rule: RegimeRule): string {
  const r = rule.minSamplingRatio;
  if (r.value === null) return NOT_STATED_ZH;
  const pct = `不少于${Math.round(r.value * 1000) / 10}%`;
  return r.asARule ? `${pct}（原则上）` : pct;
}

/** "至少2名" or the not-stated wording with the system default. */
export function inspectorsText(rule: RegimeRule): string {
  const m = rule.minInspectors;
  return m.value === null ? NOT_STATED_ZH : `至少${m.value}名`;
}
