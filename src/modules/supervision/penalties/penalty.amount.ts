import { AppError } from '../../../http/errors.ts';
import type { PenaltyRule } from '../rules/rules.ts';

/**
 * Money and the range a penalty rule allows. Amounts are integer fen (分) everywhere; people type
 * and read yuan. The bound is computed from the rule's data (rules.data.ts, with its source line)
 * and the case's facts: three times the recorded illegal gain, capped at the rule's maximum.
 */

export const FEN_PER_YUAN = 100;

/** "24,000元", "12,345.67元". */
export function yuanText(fen: number): string {
  const yuan = Math.trunc(fen / FEN_PER_YUAN);
  const rest = Math.abs(fen % FEN_PER_YUAN);
  const whole = yuan.toLocaleString('en-US');
  return `${rest === 0 ? whole : `${whole}.${String(rest).padStart(2, '0')}`}元`;
}

/** "3万元", "1.5万元", "8000元" — how the document writes amounts. */
export function wanText(fen: number): string {
  const yuan = fen / FEN_PER_YUAN;
  if (yuan >= 10_000 && yuan % 1000 === 0) return `${yuan / 10_000}万元`;
  return `${yuan}元`;
}

/** A typed amount in yuan ("20000", "20,000", "20000.50") as fen; null when not an amount. */
export function parseYuan(text: string): number | null {
  const t = text
    .trim()
    .replace(/[,，\s]/g, '')
    .replace(/元$/, '');
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(t)) return null;
  const [whole, frac = ''] = t.split('.');
  return Number(whole) * FEN_PER_YUAN + Number(frac.padEnd(2, '0'));
}

export interface AmountBound {
  /** Lowest fine the rule allows (fen); 0 when the rule states only a maximum (以下). */
  minFen: number;
  /** Highest fine (fen). */
  maxFen: number;
  /** The range in Chinese, as the rule words it and in figures. */
  rangeText: string;
  /** How the bound was computed (the gain's multiple and the cap), in Chinese. */
  explanation: string;
}

/** The rule needs a recorded illegal gain to compute its bound. */
export const needsGain = (rule: PenaltyRule) => rule.maxMultipleOfGain !== null;

/** Does the rule impose a fine (an amount is required)? */
export const isFine = (rule: PenaltyRule) => rule.kind === 'fine';

const cite = (rule: PenaltyRule) => `（原文第${rule.citation.line}行：“${rule.citation.quote}”）`;

/**
 * The range of the fine under `rule` for these facts. Throws 400 when the rule needs an illegal gain
 * and none is recorded.
 */
export function boundOf(rule: PenaltyRule, facts: { illegalGainFen: number | null }): AmountBound {
  const cap = rule.maxYuan === null ? null : rule.maxYuan * FEN_PER_YUAN;
  const minFen = (rule.minYuan ?? 0) * FEN_PER_YUAN;
  if (rule.maxMultipleOfGain !== null) {
    const gain = facts.illegalGainFen;
    if (gain === null || gain <= 0) {
      throw new AppError(
        400,
        'gain_required',
        `依据“${rule.label}”须先记录违法所得金额（大于0）；没有违法所得的，请选择“没有违法所得”的处罚依据`,
      );
    }
    const multiple = gain * rule.maxMultipleOfGain;
    const maxFen = cap === null ? multiple : Math.min(multiple, cap);
    const capText = cap === null ? '' : `，最高不超过${wanText(cap)}`;
    return {
      minFen,
      maxFen,
      rangeText: `${yuanText(maxFen)}以下（违法所得${yuanText(gain)}的${rule.maxMultipleOfGain}倍以下${capText}）`,
      explanation: `违法所得${yuanText(gain)}的${rule.maxMultipleOfGain}倍为${yuanText(multiple)}${
        cap !== null && multiple > cap ? `，超过最高额${wanText(cap)}，上限取${yuanText(cap)}` : ''
      }${cite(rule)}`,
    };
  }
  if (cap === null) {
    throw new AppError(409, 'no_range', `处罚依据“${rule.label}”未规定罚款数额，不能处以罚款`);
  }
  const words = minFen > 0 ? `${wanText(minFen)}以上${wanText(cap)}以下` : `${wanText(cap)}以下`;
  return {
    minFen,
    maxFen: cap,
    rangeText: `${words}（${minFen > 0 ? `${yuanText(minFen)}至` : ''}${yuanText(cap)}${minFen > 0 ? '' : '以内'}）`,
    explanation: cite(rule),
  };
}

/** Refuses an amount outside the bound, with the range in Chinese. */
export function checkAmount(rule: PenaltyRule, amountFen: number, bound: AmountBound): void {
  if (amountFen <= 0) {
    throw new AppError(
      400,
      'amount_required',
      '请填写罚款金额（大于0元）；不予处罚的，请选择“首违不罚”并写明理由',
    );
  }
  if (amountFen < bound.minFen || amountFen > bound.maxFen) {
    throw new AppError(
      400,
      'amount_out_of_range',
      `罚款金额${yuanText(amountFen)}超出处罚依据允许的范围：“${rule.label}”，可处罚款${bound.rangeText}。${bound.explanation}请改为该范围内的金额`,
    );
  }
}
