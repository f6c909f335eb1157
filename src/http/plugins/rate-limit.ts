import rateLimit, { type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyPluginAsync, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Request rate limits and body limits, per route.
 *
 * Rate: a route may ask for its own limit with `config: { rateLimit: { max, timeWindow } }` (the
 * staff login does); every other route that writes (POST, PUT, PATCH, DELETE) gets a default —
 * a tight one on public routes, a loose one on staff routes — so no public POST is unthrottled.
 * The app keeps the counters in the database (db/shared-state.ts, migration 015), counted by one
 * atomic upsert, so several app processes on one PostgreSQL database share them. Plugins whose routes
 * declare a limit declare `dependencies: ['rate-limit']`, so Fastify refuses to start when it is
 * missing or registered after them.
 *
 * Body: the server-wide limit (app.ts) suits staff forms; public write routes get a smaller one
 * unless they set their own `bodyLimit` (uploads do; multipart bodies are bounded by their own
 * part limits, see the upload scopes).
 */

/** Writes per minute and address on a public route without a limit of its own. */
export const PUBLIC_WRITE_LIMIT = { max: 30, timeWindow: 60_000 } as const;
/** Writes per minute and address on a staff route (the back office, the staff API). */
export const STAFF_WRITE_LIMIT = { max: 300, timeWindow: 60_000 } as const;
/** Bytes of a public write's body unless the route sets its own (forms of a few fields). */
export const PUBLIC_BODY_LIMIT = 64 * 1024;
/** Bytes of any other body unless the route sets its own: staff forms (texts of ≤ 5,000 characters). */
export const DEFAULT_BODY_LIMIT = 256 * 1024;

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const isStaffPath = (url: string) =>
  url === '/admin' || url.startsWith('/admin/') || url.startsWith('/api/v1/staff/');

function methodsOf(route: RouteOptions): string[] {
  return Array.isArray(route.method) ? route.method : [route.method];
}

/** Adds the default rate and body limits to a write route that declares none. */
function withDefaults(route: RouteOptions): void {
  if (!methodsOf(route).some((m) => WRITE_METHODS.has(m.toUpperCase()))) return;
  const staff = isStaffPath(route.url);
  const config = (route.config ?? {}) as { rateLimit?: unknown };
  if (config.rateLimit === undefined) {
    route.config = { ...config, rateLimit: { ...(staff ? STAFF_WRITE_LIMIT : PUBLIC_WRITE_LIMIT) } };
  }
  if (route.bodyLimit === undefined && !staff) route.bodyLimit = PUBLIC_BODY_LIMIT;
}

export interface RateLimitOptions {
  /** Where the counters live (default: this process's memory); the app passes the database's. */
  store?: FastifyRateLimitStoreCtor;
}

const rateLimits: FastifyPluginAsync<RateLimitOptions> = async (app, options) => {
  // Before @fastify/rate-limit's own onRoute hook, which reads `config.rateLimit`.
  app.addHook('onRoute', withDefaults);
  await app.register(rateLimit, { global: false, ...(options.store ? { store: options.store } : {}) });
};

export const rateLimitPlugin = fp(rateLimits, { name: 'rate-limit', fastify: '5.x' });
