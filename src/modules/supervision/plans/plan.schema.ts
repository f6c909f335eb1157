import { isCalendarDate } from '../../../lib/china-time.ts';
import { witnessSourceOf } from '../draw/index.ts';
import { RISK_CLASSES, type RiskClass } from '../reference/index.ts';
import { FREQUENCY_CAP, TERRITORIAL_PRINCIPLE } from '../reference/inspection-practice.ts';

/**
 * The input of a plan (抽查计划), documented field by field, and the parsing of its version-2
 * fields. A plan that names a witness source is drawn by algorithm version 2 (docs/draws.md) and
 * must give all of the version-2 fields below; one that names none is a version-1 plan.
 */
export interface PlanInput {
  /** The regime (order in part 3, 1–15). */
  regimeSeq: number;
  year: number;
  round: number;
  /** Sampling ratio in percent as typed (e.g. "10", "7.5"), at most two decimals: the ratio of every class without one of its own. */
  ratioPercent: string;
  minInspectors: number;
  /** County ids the population is narrowed to (empty: all). */
  countyIds: number[];
  /** Risk classes A–D the population is narrowed to (empty: all, unclassified included). */
  riskClasses: string[];
  /** Required when a ratio is below the regime's minimum. */
  belowMinReason: string;
  /** Version 2: the inspection period, YYYY-MM-DD, start ≤ end, in the plan year. */
  periodStart?: string;
  periodEnd?: string;
  /** Version 2: ratios of single risk classes in percent (0–100, two decimals); blank: the plan's ratio. */
  classRatios?: Partial<Record<RiskClass, string>>;
  /** Version 2: checks per entity per year at which an entity is left out (default FREQUENCY_CAP). */
  yearlyCap?: number;
  /** Version 2: `own-county` (属地, the default) or `any`. */
  inspectorScope?: string;
  /** Version 2: the witness source (draw/witness-sources.ts) and which of its draws. */
  witnessSource?: string;
  witnessReference?: string;
  /** Version 2: when the witness becomes public, Beijing time `YYYY-MM-DDTHH:MM[:SS]` (a datetime-local field). */
  plannedDrawAt?: string;
}

/** The version-2 fields once checked: what the plan row stores. */
export interface PlanV2Values {
  periodStart: string;
  periodEnd: string;
  /** Basis points of A–D (the plan's ratio where none was given). */
  classRatios: Record<RiskClass, number>;
  yearlyCap: number;
  inspectorScope: 'own-county' | 'any';
  witnessSource: string;
  witnessReference: string;
  /** UTC ISO instant. */
  plannedDrawAt: string;
}

/** "10" → 1000, "7.5" → 750, "0" → 0 (when `zero`); null when not a percentage with ≤ 2 decimals in range. */
export function percentToBasisPoints(text: string, zero = false): number | null {
  const m = /^\s*(\d{1,3})(?:\.(\d{1,2}))?\s*%?\s*$/.exec(text);
  if (!m) return null;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bp >= (zero ? 0 : 1) && bp <= 10_000 ? bp : null;
}

/** A Beijing date-time `YYYY-MM-DDTHH:MM[:SS]` (or with a space) as a UTC instant in ms, or null. */
export function beijingToInstant(text: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m || !isCalendarDate(m[1]!)) return null;
  const [h, min, s] = [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
  if (h > 23 || min > 59 || s > 59) return null;
  return Date.parse(`${m[1]}T${m[2]}:${m[3]}:${String(s).padStart(2, '0')}+08:00`);
}

/** An instant as Beijing time `YYYY-MM-DDTHH:MM:SS+08:00` (seconds, as the draw's parameters write it). */
export function beijingIso(instant: number | string): string {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  return `${new Date(ms + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}

/** True when the input names a witness source, which makes it a version-2 plan. */
export const isV2Input = (input: PlanInput) => (input.witnessSource ?? '').trim() !== '';

/**
 * Checks the version-2 fields of a plan with default ratio `bp` at time `now`; pushes a Chinese
 * problem for each bad field and returns the values when there is none.
 */
export function checkV2Fields(
  input: PlanInput,
  bp: number | null,
  now: number,
  problems: string[],
): PlanV2Values | null {
  const before = problems.length;
  const source = witnessSourceOf((input.witnessSource ?? '').trim());
  if (!source) problems.push('见证值来源不在登记表中');
  const reference = (input.witnessReference ?? '').normalize('NFKC').trim();
  if (source && !new RegExp(source.reference.pattern).test(reference)) {
    problems.push(`${source.name}的${source.reference.label}应写作如 ${source.reference.example}`);
  }
  const planned = beijingToInstant(input.plannedDrawAt ?? '');
  if (planned === null) problems.push('计划抽取时间应为北京时间的日期和时刻，如 2026-03-03 21:15');
  else if (planned <= now) problems.push('计划抽取时间必须晚于现在：见证值须在承诺之后才产生');
  const start = (input.periodStart ?? '').trim();
  const end = (input.periodEnd ?? '').trim();
  if (!isCalendarDate(start) || !isCalendarDate(end)) problems.push('检查期间的起止日期应写作 YYYY-MM-DD');
  else if (start > end) problems.push('检查期间的开始日期晚于结束日期');
  else if (start.slice(0, 4) !== String(input.year) || end.slice(0, 4) !== String(input.year)) {
    problems.push(`检查期间应在计划年度 ${input.year} 年之内`);
  } else if (planned !== null && beijingIso(planned).slice(0, 10) > end) {
    problems.push('计划抽取时间晚于检查期间的结束日期');
  }
  const classRatios = {} as Record<RiskClass, number>;
  for (const r of RISK_CLASSES) {
    const typed = (input.classRatios?.[r] ?? '').trim();
    const value = typed === '' ? bp : percentToBasisPoints(typed, true);
    if (value === null && typed !== '') problems.push(`${r}类的抽查比例应为0–100之间的百分数，最多两位小数`);
    classRatios[r] = value ?? 0;
  }
  const cap = input.yearlyCap ?? FREQUENCY_CAP.defaultPerYear;
  if (!Number.isInteger(cap) || cap < FREQUENCY_CAP.min || cap > FREQUENCY_CAP.max) {
    problems.push(`每家企业年度检查次数上限应为${FREQUENCY_CAP.min}–${FREQUENCY_CAP.max}之间的整数`);
  }
  const scope = input.inspectorScope ?? TERRITORIAL_PRINCIPLE.defaultScope;
  if (scope !== 'own-county' && scope !== 'any') problems.push('执法人员选派范围无效');
  if (problems.length > before || !source || planned === null) return null;
  return {
    periodStart: start,
    periodEnd: end,
    classRatios,
    yearlyCap: cap,
    inspectorScope: scope as 'own-county' | 'any',
    witnessSource: source.id,
    witnessReference: reference,
    plannedDrawAt: new Date(planned).toISOString(),
  };
}
