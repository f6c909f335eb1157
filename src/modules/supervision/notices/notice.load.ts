import type { FastifyRequest } from 'fastify';
import { AppError } from '../../../http/errors.ts';
import type { RegimeOut } from '../../registry/index.ts';
import { listRegimes } from '../../registry/index.ts';
import type { PlanOut } from '../plans/plan.presenter.ts';
import { getPlan } from '../plans/plan.service.ts';
import { REGIME_RULES, type RegimeRule } from '../rules/rules.ts';

/** What the public notices load: each rule beside its imported regime, and a public plan by id. */

export interface RegimeInfo {
  rule: RegimeRule;
  regime: RegimeOut | null;
  /** The source document the rule's citations point into, when the regime is imported. */
  docId: number | null;
}

export async function regimeInfos(req: FastifyRequest): Promise<RegimeInfo[]> {
  const regimes = (await listRegimes(req.server.database.db, {}, { limit: 1000, offset: 0 })).items;
  return REGIME_RULES.map((rule) => {
    const regime = regimes.find((r) => r.seq === rule.seq) ?? null;
    return { rule, regime, docId: regime?.source.documentId ?? null };
  });
}

/** The `:id` of the path when it is a plan id at all (1–10 digits, no leading zero), else null. */
export function planIdOf(req: FastifyRequest): number | null {
  const v = (req.params as { id?: string }).id;
  return v && /^[1-9]\d{0,9}$/.test(v) ? Number(v) : null;
}

/**
 * The plan as the public may see it (committed or drawn), or null when there is no such public
 * plan. Only a not-found becomes null: any other failure (the database, a bug) is rethrown, so it
 * answers 500 instead of pretending the plan does not exist.
 */
export async function publicPlanOrNull(req: FastifyRequest, id: number | null): Promise<PlanOut | null> {
  if (id === null) return null;
  try {
    return await getPlan(req.server.database.db, id, { publicOnly: true });
  } catch (e) {
    if (e instanceof AppError && e.status === 404) return null;
    throw e;
  }
}
