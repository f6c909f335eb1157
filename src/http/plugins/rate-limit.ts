import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Request rate limits, per route and opt-in: a route asks for one with
 * `config: { rateLimit: { max, timeWindow } }` (the staff login does). Plugins whose routes do
 * declare `dependencies: ['rate-limit']`, so Fastify refuses to start when it is missing or
 * registered after them (the limit would silently not apply).
 */
const rateLimits: FastifyPluginAsync = async (app) => {
  await app.register(rateLimit, { global: false });
};

export const rateLimitPlugin = fp(rateLimits, { name: 'rate-limit', fastify: '5.x' });
