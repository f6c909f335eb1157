import { todayInChina } from '../../../lib/china-time.ts';
import { FEN_PER_YUAN } from '../penalties/penalty.amount.ts';
import type { CaseContext } from '../penalties/penalty.service.ts';

/**
 * What the enforcement pages and API are registered with (app.ts): the clock of dated casework
 * (tests fix it, like the complaints module's) and the hearing threshold from the configuration.
 */
export interface EnforcementOptions {
  now: () => Date;
  hearingThresholdYuan: number;
}

/** Today's China date and the hearing threshold, for one request. */
export const caseContextOf = (o: EnforcementOptions): CaseContext => ({
  today: todayInChina(o.now().getTime()),
  hearingThresholdFen: o.hearingThresholdYuan * FEN_PER_YUAN,
});
