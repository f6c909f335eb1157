import type { FastifyPluginAsync } from 'fastify';
import { auditPages } from './audit.pages.tsx';
import { dashboardPages } from './dashboard.pages.tsx';
import { userPages } from './users.pages.tsx';

/**
 * The staff back office under /admin (issue 4, items 3 and 4): server-rendered Chinese pages
 * that work without JavaScript. Every route declares its roles (requireRole) and every POST
 * carries the CSRF token (app.staffCsrf). Handlers validate, authorise, call one service action
 * in a transaction, then redirect (POST-redirect-GET with ?done=) or re-render the form with
 * the Chinese error message and the input kept.
 */
export const adminPages: FastifyPluginAsync = async (app) => {
  await app.register(dashboardPages);
  await app.register(auditPages);
  await app.register(userPages);
};
