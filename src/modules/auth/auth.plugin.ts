import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { createCsrf, SESSION_COOKIE } from '../../http/csrf.ts';
import '../../views/staff/page.tsx';
import { forbidden } from '../../http/errors.ts';
import { staffGuard } from '../../views/staff/guard.ts';
import { type Role, type SessionUser, sessionUser, staffIdentity } from './auth.service.ts';

/**
 * Sessions for staff: every request carrying the session cookie gets `req.user` (null otherwise);
 * `requireRole(...)` guards a route before any work. HTML routes send the anonymous to the login
 * page; JSON routes answer 401. A wrong role gets 403 on both.
 */

export { SESSION_COOKIE } from '../../http/csrf.ts';

/** Staff paths someone who must change their password still reaches. */
const PASSWORD_EXEMPT = new Set(['/admin/password', '/admin/logout', '/admin/login']);

declare module 'fastify' {
  interface FastifyRequest {
    user: SessionUser | null;
  }
}

export function sessionCookieOptions(https: boolean) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: https };
}

/** Guards a route before any work: every staff role when none are given (views/staff/guard.ts). */
export function requireRole(...roles: Role[]) {
  return staffGuard(roles.length > 0 ? roles : null);
}

export const authPlugin: FastifyPluginAsync = fp(
  async (app: FastifyInstance) => {
    app.decorateRequest('user', null);
    app.decorateRequest('staffIdentity', null);
    app.decorate('staffCsrf', createCsrf({ secure: app.config.https, secret: app.siteSecret }));
    app.addHook('onRequest', async (req) => {
      const token = req.cookies?.[SESSION_COOKIE];
      req.user = token ? await sessionUser(app.database.db, token) : null;
      req.staffIdentity = req.user ? staffIdentity(req.user) : null;
    });
    // After a password reset, the password page (and logging out) is all the person may reach.
    app.addHook('preHandler', async (req, reply) => {
      if (!req.user?.mustChangePassword) return;
      const path = req.url.split('?')[0]!.replace(/\/+$/, '');
      if (PASSWORD_EXEMPT.has(path)) return;
      if (path === '/admin' || path.startsWith('/admin/')) return reply.redirect('/admin/password', 303);
      if (path.startsWith('/api/')) throw forbidden('请先在后台修改管理员为您重置的密码');
    });
  },
  // The login's rate limit (auth.pages.tsx) needs the rate-limit plugin (http/plugins/rate-limit.ts).
  { name: 'zhize-auth', dependencies: ['rate-limit'] },
);
