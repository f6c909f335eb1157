import type { PenaltyRule } from '../rules/rules.ts';
import { NOT_STATED_ZH, ruleOf } from '../rules/rules.ts';

/**
 * Where each regime orders a rectification (责令限期整改 / 责令改正) — the line of
 * data-bundled/source.txt and its exact words (checked by test/enforcement-rules.test.ts) — and how
 * its period is counted, and the next steps the regime's own rules allow when the order is not
 * heeded (逾期未整改).
 *
 * Period: the document writes 限期 without a number of days in every regime. Where a clause writes
 * a number of 日 the period is counted in calendar days (`unit: 'days'`); where it writes 工作日, in
 * working days; where it writes none, the handler sets the period on the order, counted in working
 * days by the bureau's default (`stated: false`, with the note) — a deployment changes it here.
 *
 * Next steps are derived from the regime's penalty rules (rules.data.ts): a fine or a warning opens
 * a penalty case; a revocation through the province (报省商务厅撤销) is a report to the province; a
 * public announcement (向社会公告) and a hand-over of suspected crime to the police (移送公安机关) are
 * steps of their own. A regime whose rules state none of these offers none.
 */

export type TermUnit = 'working-days' | 'days';
export const TERM_UNIT_NAME: Record<TermUnit, string> = { 'working-days': '个工作日', days: '日' };

export interface RectificationClause {
  regime: number;
  line: number;
  quote: string;
  term: {
    unit: TermUnit;
    /** The period the document states, or the bureau's default when it states none. */
    amount: number;
    stated: boolean;
    note: string;
  };
}

/** The bureau's default when the document writes 限期 without a figure. */
const BUREAU_DEFAULT = {
  unit: 'working-days',
  amount: 15,
  stated: false,
  note: `${NOT_STATED_ZH}整改期限（原文只写“限期”）：由承办人在整改通知书中确定，本局默认15个工作日`,
} as const;

const clause = (regime: number, line: number, quote: string): RectificationClause => ({
  regime,
  line,
  quote,
  term: { ...BUREAU_DEFAULT },
});

export const RECTIFICATION_CLAUSES: readonly RectificationClause[] = [
  clause(3, 1419, '对核查不合格企业，责令限制整改'),
  clause(4, 1486, '对不合格的企业责令限期整改'),
  clause(5, 1543, '对不合格的企业责令限期整改'),
  clause(7, 1599, '由发生地县级以上地方人民政府商务主管部门责令限期整改'),
  clause(8, 1630, '责令改正'),
  clause(12, 1872, '责令有关单位及时采取措施予以改正'),
  clause(13, 1932, '并责令有关单位及时采取措施予以改正'),
  clause(14, 1977, '责令有关单位及时采取措施予以改正'),
  clause(15, 2016, '经检查不合格的，责令限期整改'),
];

export const clauseOf = (regime: number) => RECTIFICATION_CLAUSES.find((c) => c.regime === regime);

export type StepKind = 'penalty-case' | 'province-revocation' | 'public-announcement' | 'police-handover';

export const STEP_NAME: Record<StepKind, string> = {
  'penalty-case': '立案处罚',
  'province-revocation': '报省商务厅撤销资格',
  'public-announcement': '向社会公告',
  'police-handover': '移送公安机关',
};

export const STEP_KINDS = Object.keys(STEP_NAME) as StepKind[];

/** The step a penalty rule allows after an unheeded order, or null when it allows none. */
export function stepOfRule(rule: PenaltyRule): StepKind | null {
  if (rule.kind === 'fine' || rule.kind === 'warning') return 'penalty-case';
  if (rule.kind === 'revocation' && rule.label.includes('报省商务厅')) return 'province-revocation';
  if (rule.kind === 'publication') return 'public-announcement';
  if (rule.kind === 'referral' && rule.label.includes('公安机关')) return 'police-handover';
  return null;
}

export interface NextStep {
  kind: StepKind;
  name: string;
  /** The rules that allow it (a penalty case names the one it is opened under). */
  rules: PenaltyRule[];
}

/** Exactly the next steps the regime's rules allow after an unheeded order, in STEP_KINDS order. */
export function nextSteps(regime: number): NextStep[] {
  const rules = ruleOf(regime)?.penalties.items ?? [];
  return STEP_KINDS.map((kind) => ({
    kind,
    name: STEP_NAME[kind],
    rules: rules.filter((r) => stepOfRule(r) === kind),
  })).filter((s) => s.rules.length > 0);
}
