import helmet from '@fastify/helmet';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

export interface SecurityHeadersOptions {
  /** Served behind HTTPS: send HSTS and ask browsers to upgrade insecure requests. */
  https: boolean;
}

/**
 * Security headers on every answer (helmet): a Content-Security-Policy that allows only the
 * site's own scripts, and HSTS only behind HTTPS — plain-HTTP intranets are a real deployment
 * here, so there is no forced upgrade on them.
 */
const securityHeaders: FastifyPluginAsync<SecurityHeadersOptions> = async (app, { https }) => {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'upgrade-insecure-requests': https ? [] : null,
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
      },
    },
    hsts: https,
    crossOriginEmbedderPolicy: false,
  });
};

export const securityHeadersPlugin = fp(securityHeaders, { name: 'security-headers', fastify: '5.x' });
