import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../http/errors.ts';
import './page.tsx';

/** `/admin/?x=1` → `/admin?x=1`: the path a trailing slash stands for (routes ignore it). */
const withoutTrailingSlash = (url: string) =>
  url.replace(/^([^?]*?)\/+(\?|$)/, (_m, path: string, q: string) => (path || '/') + q);

/**
 * The route guard of a staff page, from who is signed in (`req.staffIdentity`, set by the auth
 * plugin): the anonymous go to the login page (HTML GET/HEAD) or get 401; a role not in `roles`
 * gets 403 with the refusal. Modules that may not import auth (audit, backoffice) guard with it;
 * auth's requireRole and ability tables are built on it.
 */
export function staffGuard(
  roles: readonly string[] | null,
  refusal = '您的角色无权访问此页面或执行此操作',
): (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined> {
  return async function guard(req, reply) {
    const who = req.staffIdentity;
    if (!who) {
      if (!req.url.startsWith('/api/') && (req.method === 'GET' || req.method === 'HEAD')) {
        return reply.redirect(`/admin/login?next=${encodeURIComponent(withoutTrailingSlash(req.url))}`, 303);
      }
      throw new AppError(401, 'unauthenticated', '请先登录');
    }
    if (roles !== null && !roles.includes(who.role)) throw new AppError(403, 'forbidden', refusal);
    return undefined;
  };
}
