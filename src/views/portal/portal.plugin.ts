import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { createCsrf } from '../../http/csrf.ts';
import { PUBLIC_DIR, STATIC_PREFIX } from './assets.ts';
import { LARGE_TEXT_COOKIE, safeReturnPath } from './context.ts';
import { sendCsrfRefused } from './errors.tsx';
import { urls } from './urls.ts';

/**
 * The portal shell, shared by every public page: the static files, the 长者模式 (large-text)
 * preference and the portal's CSRF guard (`app.portalCsrf`). A named plugin, not encapsulated,
 * so page plugins declare `dependencies: ['portal']` and Fastify refuses to start when it is
 * missing or registered after them.
 */
const portal: FastifyPluginAsync = async (app) => {
  app.decorate(
    'portalCsrf',
    createCsrf({ secure: app.config.https, secret: app.siteSecret, onRefuse: sendCsrfRefused }),
  );
  await app.register(fastifyStatic, {
    root: PUBLIC_DIR,
    prefix: STATIC_PREFIX,
    // URLs carry a content hash (?v=…), so browsers may keep the files for a while.
    maxAge: '7d',
    index: false,
    list: false,
  });

  app.post(
    '/preferences/large-text',
    { schema: { hide: true }, preHandler: app.portalCsrf.preHandler },
    async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (body.enabled === '1') {
        reply.setCookie(LARGE_TEXT_COOKIE, '1', {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: app.config.https,
          maxAge: 365 * 24 * 3600,
        });
      } else {
        reply.clearCookie(LARGE_TEXT_COOKIE, { path: '/' });
      }
      return reply.redirect(safeReturnPath(body.back), 303);
    },
  );
  // The preference changes only by POST; a plain visit goes home.
  app.get('/preferences/large-text', { schema: { hide: true } }, async (_req, reply) =>
    reply.redirect(urls.home(), 303),
  );
};

export const portalPlugin = fp(portal, { name: 'portal', fastify: '5.x' });
