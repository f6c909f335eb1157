import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CsrfGuard } from '../../http/csrf.ts';

/** What every portal page needs from the request: preferences and the form token. */
export interface PageContext {
  /** Path and query of the current page, used to come back after a preference change. */
  path: string;
  /** 长者模式（大字版）: larger type and spacing. */
  largeText: boolean;
  /** Token for the hidden `_csrf` field of forms on the page. */
  csrfToken: string;
}

export const LARGE_TEXT_COOKIE = 'zhize_large_text';

declare module 'fastify' {
  interface FastifyInstance {
    /** The portal's CSRF guard, decorated by the portal plugin (portal.plugin.ts). */
    portalCsrf: CsrfGuard;
  }
}

export function pageContext(req: FastifyRequest, reply: FastifyReply): PageContext {
  return {
    // After a form post (e.g. a refused one) the page should lead back where the form came from.
    path:
      req.method === 'GET' || req.method === 'HEAD'
        ? safeReturnPath(req.url)
        : safeReturnPath(formField(req, 'back')),
    largeText: req.cookies?.[LARGE_TEXT_COOKIE] === '1',
    csrfToken: req.server.portalCsrf.token(req, reply),
  };
}

/** A same-site path to return to: relative, no scheme, no protocol-relative `//host`. */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string') return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if (/[\r\n]/.test(value) || value.length > 2000) return '/';
  return value;
}

function formField(req: FastifyRequest, name: string): unknown {
  const body = req.body as Record<string, unknown> | undefined;
  return body && typeof body === 'object' ? body[name] : undefined;
}
