import { AppError, notFound } from '../../../http/errors.ts';
import { DrawError } from '../draw/index.ts';
import { DEFAULT_MIN_INSPECTORS } from '../reference/index.ts';
import { type RegimeRule, ruleOf } from '../rules/rules.ts';
import { filtersOf } from './plan.presenter.ts';
import type { PopulationFilter } from './plan.repo.ts';

/** What the plan actions share: their refusals, the regime of a plan, its population filter. */

export const planError = (status: number, code: string, message: string) =>
  new AppError(status, code, message);

export const ruleOr404 = (seq: number): RegimeRule => {
  const rule = ruleOf(seq);
  if (!rule) throw notFound(`第 ${seq} 项监管制度`);
  return rule;
};

/** Minimum inspectors per task: the regime's figure, or the default 2 where it states none. */
export const minInspectorsOf = (rule: RegimeRule) => rule.minInspectors.value ?? DEFAULT_MIN_INSPECTORS;

export const planFilter = (p: {
  regime_seq: number;
  county_filter: string | null;
  risk_filter: string | null;
}): PopulationFilter => ({ regimeSeq: p.regime_seq, ...filtersOf(p) });

/** A DrawError as the HTTP refusal it is (400 for a witness to type again, else 409); other errors unchanged. */
export const drawErrorToApp = (e: unknown): never => {
  if (e instanceof DrawError) {
    const status = e.code === 'invalid-witness' ? 400 : 409;
    throw new AppError(status, `draw_${e.code.replace(/-/g, '_')}`, e.messageZh);
  }
  throw e;
};
