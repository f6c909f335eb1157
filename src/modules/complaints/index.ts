import type { FastifyPluginAsync } from 'fastify';
import { complaintsApi } from './complaints.api.ts';
import { type ComplaintsOptions, contextOf } from './complaints.context.ts';
import { complaintPortalPages } from './complaints.pages.tsx';
import { complaintStaffPages } from './complaints.staff.pages.tsx';
import { complaintStatsPages } from './complaints.stats.pages.tsx';
import { open311Api } from './open311.api.ts';

/**
 * The complaints module's public surface (12312 and 12345: intake, routing by the lists, disputes,
 * working-day clocks, replies, privacy, Open311). app.ts registers `complaintsPlugin` after the
 * portal plugin and `complaintsBackoffice` with the back office; the CLI's `zhize complaints …`
 * uses the privacy actions.
 */
export const complaintsPlugin: FastifyPluginAsync<ComplaintsOptions> = async (app, options) => {
  const ctx = contextOf(options);
  await app.register(complaintsApi, { prefix: '/api/v1', ...ctx });
  await app.register(open311Api, ctx);
  await app.register(complaintPortalPages, ctx);
  await app.register(complaintStaffPages, ctx);
  await app.register(complaintStatsPages, ctx);
};

export type { RoutingExample } from './complaint.privacy.service.ts';
export { erasePersonalData, routingExamples } from './complaint.privacy.service.ts';
export { complaintsBackoffice } from './complaints.backoffice.ts';
export type { ComplaintsOptions } from './complaints.context.ts';
