import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { createCsrf } from '../../http/csrf.ts';
import '../../views/staff/page.tsx';
import { AppError } from '../../http/errors.ts';
import { type Role, type SessionUser, sessionUser, staffIdentity } from './auth.service.ts';

/**
 * Sessions for staff: every request carrying the session cookie gets `req.user` (null otherwise);
 * `requireRole(...)` guards a route before any work. HTML routes send the anonymous to the login
 * page; JSON routes answer 401. A wrong role gets 403 on both.
 */

export const SESSION_COOKIE = 'zhize_session';

declare module 'fastify' {
  interface FastifyRequest {
    user: SessionUser | null;
  }
}

export function sessionCookieOptions(https: boolean) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: https };
}

const wantsHtml = (req: FastifyRequest) => !req.url.startsWith('/api/');

export function requireRole(...roles: Role[]) {
  return async function guard(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    if (!req.user) {
      if (wantsHtml(req) && (req.method === 'GET' || req.method === 'HEAD')) {
        return reply.redirect(`/admin/login?next=${encodeURIComponent(req.url)}`, 303);
      }
      throw new AppError(401, 'unauthenticated', '请先登录');
    }
    if (roles.length > 0 && !roles.includes(req.user.role)) {
      throw new AppError(403, 'forbidden', '您的角色无权访问此页面或执行此操作');
    }
    return undefined;
  };
}

export const authPlugin: FastifyPluginAsync = fp(async (app: FastifyInstance) => {
  app.decorateRequest('user', null);
  app.decorateRequest('staffIdentity', null);
  app.decorate('staffCsrf', createCsrf({ secure: app.config.https }));
  await app.register(rateLimit, { global: false });
  app.addHook('onRequest', async (req) => {
    const token = req.cookies?.[SESSION_COOKIE];
    req.user = token ? await sessionUser(app.database.db, token) : null;
    req.staffIdentity = req.user ? staffIdentity(req.user) : null;
  });
});
