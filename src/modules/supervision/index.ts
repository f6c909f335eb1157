import type { FastifyPluginAsync } from 'fastify';
import { entityPages } from './entities.pages.tsx';
import { inspectorPages } from './inspectors.pages.tsx';
import { acceptMultipart } from './multipart.ts';
import { planPages } from './plans.pages.tsx';

/**
 * The supervision module's public surface (双随机、一公开): other modules and app.ts import only from
 * here. The pure core (uscc.ts, workdays.ts, draw.ts, cli-commands.ts) is imported directly by the CLI.
 */

/** Back-office pages under /admin/supervision; the multipart parser is scoped to them. */
export const supervisionStaffPages: FastifyPluginAsync = async (app) => {
  await acceptMultipart(app);
  await app.register(entityPages);
  await app.register(inspectorPages);
  await app.register(planPages);
};

export { drawVerify, usccCheck, workdaysAdd } from './cli-commands.ts';
export { noticePages as supervisionPortalPages } from './notices.pages.tsx';
export { REGIME_RULES, ruleOf } from './rules.ts';
export { supervisionApi } from './supervision.api.ts';
