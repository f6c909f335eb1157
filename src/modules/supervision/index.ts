import type { FastifyPluginAsync } from 'fastify';
import { type CampaignsContext, campaignPublicApi, campaignStaffApi } from './campaigns/campaign.api.ts';
import { campaignPages } from './campaigns/campaign.pages.tsx';
import { entityPages } from './entities/entities.pages.tsx';
import { inspectionPages } from './inspections/inspection.pages.tsx';
import { resultPages } from './inspections/result.pages.tsx';
import { resultPublicPages, resultsApi } from './inspections/results.public.tsx';
import { inspectorPages } from './inspectors/inspectors.pages.tsx';
import { noticePages } from './notices/notices.pages.tsx';
import { oversightStaffApi } from './oversight/oversight.api.ts';
import { planPages } from './plans/plans.pages.tsx';
import { acceptMultipart } from './shared/multipart.ts';
import { supervisionApi as planApi } from './supervision.api.ts';

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

export type { DrawParametersV2, DrawVerification, PopulationEntity, RunDrawInput } from './draw/index.ts';
export { buildDrawFile, runDraw, serializeDrawFile, verifyDrawFile } from './draw/index.ts';
export { COUNTIES } from './reference/index.ts';
export { REGIME_RULES, ruleOf } from './rules/rules.ts';
export { supervisionBackoffice } from './supervision.backoffice.ts';

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
