import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../http/errors.ts';
import { apiTokenUser } from './api-token.service.ts';
import { type SessionUser, staffIdentity } from './auth.service.ts';

/**
 * The bearer-token path of the staff API. `acceptApiTokens(scope)` is called inside an
 * encapsulated plugin (e.g. the routes under /api/v1/staff): in that scope the person is whoever
 * `Authorization: Bearer <token>` names — the same SessionUser a login gives — and a session cookie
 * counts for nothing, so the routes need no CSRF token (a browser cannot be made to send the
 * header cross-site). Outside such scopes a bearer header is ignored: tokens never open
 * cookie-session pages. A header with a bad token answers 401 at once.
 */

declare module 'fastify' {
  interface FastifyRequest {
    /** True when the request was authenticated by an API token (not a session cookie). */
    viaApiToken?: boolean;
  }
}

/** The token of an `Authorization: Bearer …` header, or null when there is none. */
export function bearerToken(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return null;
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : '';
}

const invalidToken = () => new AppError(401, 'invalid_token', 'API 令牌无效、已过期或已吊销');

/** Makes the scope's requests authenticate by bearer token only (see above). */
export function acceptApiTokens(scope: FastifyInstance): void {
  scope.addHook('onRequest', async (req, reply) => {
    const token = bearerToken(req);
    let user: SessionUser | null = null;
    if (token !== null) {
      user = token === '' ? null : await apiTokenUser(scope.database.db, token);
      if (!user) {
        reply.header('www-authenticate', 'Bearer error="invalid_token"');
        throw invalidToken();
      }
    }
    req.user = user;
    req.staffIdentity = user ? staffIdentity(user) : null;
    req.viaApiToken = user !== null;
  });
}

/** The user of a token given in a request body or query (Open311's `api_key`); 401 when bad. */
export async function userOfApiKey(scope: FastifyInstance, key: unknown): Promise<SessionUser> {
  const user = typeof key === 'string' && key !== '' ? await apiTokenUser(scope.database.db, key) : null;
  if (!user) throw invalidToken();
  return user;
}
