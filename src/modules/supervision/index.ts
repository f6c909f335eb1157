import type { FastifyPluginAsync } from 'fastify';
import { type CampaignsContext, campaignPublicApi, campaignStaffApi } from './campaigns/campaign.api.ts';
import { campaignPages } from './campaigns/campaign.pages.tsx';
import { deadlinePages } from './deadlines/deadline.pages.tsx';
import { entityPages } from './entities/entities.pages.tsx';
import { inspectionPages } from './inspections/inspection.pages.tsx';
import { resultPages } from './inspections/result.pages.tsx';
import { resultPublicPages, resultsApi } from './inspections/results.public.tsx';
import { inspectorPages } from './inspectors/inspectors.pages.tsx';
import { noticePages } from './notices/notices.pages.tsx';
import { oversightStaffApi } from './oversight/oversight.api.ts';
import { penaltyApi } from './penalties/penalty.api.ts';
import { penaltyPages } from './penalties/penalty.pages.tsx';
import { planPages } from './plans/plans.pages.tsx';
import { rectificationApi } from './rectifications/rectification.api.ts';
import { rectificationPages } from './rectifications/rectification.pages.tsx';
import type { EnforcementOptions } from './shared/enforcement.context.ts';
import { acceptMultipart } from './shared/multipart.ts';
import { supervisionApi as planApi } from './supervision.api.ts';
import { supervisionStaffApi as staffApi } from './supervision.staff.api.ts';

/**
 * The supervision module's public surface (双随机、一公开): other modules and app.ts import only from
 * here (the CLI's `zhize draw verify` and `zhize uscc` too: src/main/commands/supervision.ts).
 */

/** Back-office pages under /admin/supervision; the multipart parser is scoped to them. */
export const supervisionStaffPages: FastifyPluginAsync = async (app) => {
  await acceptMultipart(app);
  await app.register(entityPages);
  await app.register(inspectorPages);
  await app.register(planPages);
  await app.register(inspectionPages);
  await app.register(resultPages);
};

/** The public notices of 一公开: items, plans, tasks and draws (notices/), results (inspections/). */
export const supervisionPortalPages: FastifyPluginAsync = async (app) => {
  await app.register(noticePages);
  await app.register(resultPublicPages);
};

/** The public JSON API under /api/v1/supervision: rules, plans, tasks, draw files and results. */
export const supervisionApi: FastifyPluginAsync = async (app) => {
  await app.register(planApi);
  await app.register(resultsApi);
};

/** The staff JSON API under /api/v1/staff (bearer tokens): import, plans, tasks, records, review. */
export const supervisionStaffApi: FastifyPluginAsync = async (app) => {
  await app.register(staffApi);
};

export type { DrawParametersV2, DrawVerification, PopulationEntity, RunDrawInput } from './draw/index.ts';
export { buildDrawFile, runDraw, serializeDrawFile, verifyDrawFile } from './draw/index.ts';
export type { OpenedCheck, TargetedCheckInput, TargetedCheckOut } from './inspections/targeted.service.ts';
export {
  activeInspectors,
  entityChecksInYear,
  openTargetedCheck,
  targetedChecksOf,
  yearlyCapOf,
} from './inspections/targeted.service.ts';
export { COUNTIES } from './reference/index.ts';
export { REGIME_RULES, ruleOf } from './rules/rules.ts';
export { supervisionBackoffice } from './supervision.backoffice.ts';

/**
 * From finding to closed case (issue 10): rectification orders and penalty cases — back-office pages
 * under /admin/supervision/rectifications and /penalties, the deadlines dashboard at /admin/deadlines,
 * and the staff API under /api/v1/staff/rectifications and /penalties (bearer tokens).
 */
export const enforcementPlugin: FastifyPluginAsync<EnforcementOptions> = async (app, opts) => {
  await app.register(rectificationPages, opts);
  await app.register(penaltyPages, opts);
  await app.register(deadlinePages, opts);
  await app.register(rectificationApi, { ...opts, prefix: '/api/v1' });
  await app.register(penaltyApi, { ...opts, prefix: '/api/v1' });
};
export { enforcementBackoffice } from './deadlines/deadline.backoffice.ts';
export type { EnforcementOptions } from './shared/enforcement.context.ts';

/**
 * Yearly campaigns and oversight (campaigns/, oversight/): the staff API, the public summary API,
 * the staff pages, the public pages and the enterprises' filing pages, all on one clock.
 */
export const campaignsPlugin: FastifyPluginAsync<CampaignsContext> = async (app, ctx) => {
  await app.register(campaignStaffApi, { prefix: '/api/v1', ...ctx });
  await app.register(oversightStaffApi, { prefix: '/api/v1', ...ctx });
  await app.register(campaignPublicApi, { prefix: '/api/v1', ...ctx });
  await app.register(campaignPages, ctx);
};
export { campaignsBackoffice } from './campaigns/campaign.backoffice.ts';
