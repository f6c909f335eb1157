import type { FastifyPluginAsync } from 'fastify';
import { entityPages } from './entities/entities.pages.tsx';
import { inspectorPages } from './inspectors/inspectors.pages.tsx';
import { planPages } from './plans/plans.pages.tsx';
import { acceptMultipart } from './shared/multipart.ts';

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
};

export type { DrawParametersV2, DrawVerification, PopulationEntity, RunDrawInput } from './draw/index.ts';
export { buildDrawFile, runDraw, serializeDrawFile, verifyDrawFile } from './draw/index.ts';
export { noticePages as supervisionPortalPages } from './notices/notices.pages.tsx';
export { COUNTIES } from './reference/index.ts';
export { REGIME_RULES, ruleOf } from './rules/rules.ts';
export { supervisionApi } from './supervision.api.ts';
export { supervisionBackoffice } from './supervision.backoffice.ts';
