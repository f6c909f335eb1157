import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * CSRF protection for HTML forms by the signed double-submit pattern, bound to the session:
 * a random token lives in a signed, HttpOnly, SameSite=Lax cookie (`zhize_csrf`) and is repeated
 * in a hidden form field (`_csrf`). The cookie's signature covers the token AND the session it was
 * issued for (the value of the `zhize_session` cookie, '' before login), so a non-GET form request
 * passes only when the cookie's signature is valid for the session the request carries and the
 * field equals the token in the cookie. An attacker's own valid token and cookie (obtained from
 * the site, then planted from a sibling host) are thus refused with the victim's session; SameSite
 * =Lax stops most cross-site posts anyway. The login issues a fresh cookie for the new session
 * (`renew`), and so does logging out.
 *
 * Usage: `const csrf = createCsrf({ secure })`; `csrf.token(req, reply)` when rendering a form;
 * `preHandler: csrf.preHandler` on each form route (or `app.addHook('preHandler', csrf.preHandler)`
 * in a plugin: safe methods pass through).
 */

export const CSRF_COOKIE = 'zhize_csrf';
export const CSRF_FIELD = '_csrf';
/** The staff session's cookie (modules/auth sets it); CSRF tokens are bound to its value. */
export const SESSION_COOKIE = 'zhize_session';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * One secret per process unless the caller passes one (the app passes the site's secret kept in
 * the database, so tokens survive restarts and every instance on one database accepts them).
 */
const PROCESS_SECRET = randomBytes(32);

export interface CsrfOptions {
  /** HMAC key for the cookie signature; defaults to a per-process random key. */
  secret?: string | Buffer;
  /** The session a token is bound to; default: the value of the `zhize_session` cookie ('' without). */
  binding?: (req: FastifyRequest) => string;
  /** Adds the Secure flag to the cookie (set when served over HTTPS). */
  secure?: boolean;
  /**
   * Called when a request is refused (after a fresh token cookie was set); must send a reply.
   * Default: a short Chinese text/HTML 403 answer.
   */
  onRefuse?: (
    req: FastifyRequest,
    reply: FastifyReply,
    freshToken: string,
  ) => FastifyReply | Promise<FastifyReply>;
}

export interface CsrfGuard {
  /** The token for a hidden `_csrf` field; sets the cookie when it is missing or invalid. */
  token(req: FastifyRequest, reply: FastifyReply): string;
  /** True when the request's form field matches its signed cookie, signed for the request's session. */
  verify(req: FastifyRequest): boolean;
  /**
   * Issues a fresh token cookie bound to `session` (the new session token after a login, '' after a
   * logout) and returns the token for forms rendered in the same answer.
   */
  renew(req: FastifyRequest, reply: FastifyReply, session: string): string;
  /** Fastify preHandler: refuses non-GET requests that fail `verify` with status 403. */
  preHandler(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined>;
}

export function createCsrf(options: CsrfOptions = {}): CsrfGuard {
  const key = options.secret ?? PROCESS_SECRET;
  const bindingOf = options.binding ?? ((req: FastifyRequest) => req.cookies?.[SESSION_COOKIE] ?? '');
  // The session enters the signature as its hash: the cookie never carries it.
  const sign = (token: string, session: string) =>
    createHmac('sha256', key)
      .update(`${token}\n${createHmac('sha256', key).update(session).digest('base64url')}`)
      .digest('base64url');

  /** The token of a well-formed cookie value signed for `session`, otherwise null. */
  const tokenOfCookie = (value: string | undefined, session: string): string | null => {
    if (!value) return null;
    const dot = value.indexOf('.');
    if (dot <= 0) return null;
    const token = value.slice(0, dot);
    const sig = value.slice(dot + 1);
    return sameString(sig, sign(token, session)) ? token : null;
  };

  const issue = (reply: FastifyReply, session: string): string => {
    const token = randomBytes(24).toString('base64url');
    reply.setCookie(CSRF_COOKIE, `${token}.${sign(token, session)}`, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: options.secure ?? false,
    });
    return token;
  };

  const guard: CsrfGuard = {
    token(req, reply) {
      // One token per request: a page may render several forms.
      const cached = (req as RequestWithToken)[TOKEN_CACHE];
      if (cached) return cached;
      const session = bindingOf(req);
      const token = tokenOfCookie(req.cookies?.[CSRF_COOKIE], session) ?? issue(reply, session);
      (req as RequestWithToken)[TOKEN_CACHE] = token;
      return token;
    },
    renew(req, reply, session) {
      const token = issue(reply, session);
      (req as RequestWithToken)[TOKEN_CACHE] = token;
      return token;
    },
    verify(req) {
      const token = tokenOfCookie(req.cookies?.[CSRF_COOKIE], bindingOf(req));
      if (!token) return false;
      const body = req.body as Record<string, unknown> | undefined;
      const field = body && typeof body === 'object' ? body[CSRF_FIELD] : undefined;
      return typeof field === 'string' && sameString(field, token);
    },
    async preHandler(req, reply) {
      if (SAFE_METHODS.has(req.method)) return undefined;
      if (guard.verify(req)) return undefined;
      const fresh = issue(reply, bindingOf(req));
      (req as RequestWithToken)[TOKEN_CACHE] = fresh;
      req.log.warn({ url: req.url }, 'csrf check failed');
      if (options.onRefuse) {
        await options.onRefuse(req, reply, fresh);
      } else {
        await reply
          .status(403)
          .type('text/html; charset=utf-8')
          .send(
            '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>安全校验失败</title>' +
              '<p>安全校验失败：页面已过期或请求不是从本站表单发出的。请返回上一页，刷新后重试。</p></html>',
          );
      }
      return reply;
    },
  };
  return guard;
}

const TOKEN_CACHE = Symbol('zhizeCsrfToken');
type RequestWithToken = FastifyRequest & { [TOKEN_CACHE]?: string };

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
