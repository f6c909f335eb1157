import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import { sharedState } from '../../db/shared-state.ts';

/**
 * Request rate limits and body limits, per route.
 *
 * Rate: a route may ask for its own limit with `config: { rateLimit: { max, timeWindow } }` (the
 * staff login does); every other route that writes (POST, PUT, PATCH, DELETE) gets a default —
 * a tight one on public routes, a loose one on staff routes — so no public POST is unthrottled.
 * The counters live in the database (table `rate_limits`, migration 015), counted by one atomic
 * upsert, so several app processes on one PostgreSQL database share them. Plugins whose routes
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

type Incr = (err: Error | null, res: { current: number; ttl: number }) => void;

/**
 * A @fastify/rate-limit store over the `rate_limits` table: a fixed window per key, counted by one
 * `insert … on conflict do update … returning` statement (atomic on both databases).
 */
export function databaseRateStore(db: () => DbOrTx) {
  let writes = 0;
  class DatabaseStore {
    private readonly prefix: string;
    /** The plugin passes its options; a child passes its route's key prefix. */
    constructor(prefix: unknown = '') {
      this.prefix = typeof prefix === 'string' ? prefix : '';
    }
    incr(key: string, cb: Incr, timeWindow: number): void {
      const now = Date.now();
      const fullKey = `${this.prefix}${key}`;
      const s = sharedState(db());
      s.insertInto('rate_limits')
        .values({ key: fullKey, hits: 1, reset_at: now + timeWindow })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            hits: sql`case when rate_limits.reset_at <= ${now} then 1 else rate_limits.hits + 1 end`,
            reset_at: sql`case when rate_limits.reset_at <= ${now} then ${now + timeWindow} else rate_limits.reset_at end`,
          }),
        )
        .returning(['hits', 'reset_at'])
        .executeTakeFirstOrThrow()
        .then(async (row) => {
          // Now and then, forget windows that ended long ago.
          if (++writes % 500 === 0) {
            await s
              .deleteFrom('rate_limits')
              .where('reset_at', '<', now - 3_600_000)
              .execute();
          }
          cb(null, { current: Number(row.hits), ttl: Math.max(0, Number(row.reset_at) - now) });
        })
        .catch((err: Error) => cb(err, { current: 0, ttl: 0 }));
    }
    read(key: string, cb: Incr): void {
      const now = Date.now();
      sharedState(db())
        .selectFrom('rate_limits')
        .select(['hits', 'reset_at'])
        .where('key', '=', `${this.prefix}${key}`)
        .executeTakeFirst()
        .then((row) =>
          cb(
            null,
            row && Number(row.reset_at) > now
              ? { current: Number(row.hits), ttl: Number(row.reset_at) - now }
              : { current: 0, ttl: 0 },
          ),
        )
        .catch((err: Error) => cb(err, { current: 0, ttl: 0 }));
    }
    child(options: object): DatabaseStore {
      const r = (options as { routeInfo?: { method?: string | string[]; url?: string } }).routeInfo ?? {};
      const method = Array.isArray(r.method) ? r.method.join(',') : (r.method ?? '');
      return new DatabaseStore(`${method} ${r.url ?? ''}|`);
    }
  }
  return DatabaseStore;
}

const rateLimits: FastifyPluginAsync = async (app) => {
  // Before @fastify/rate-limit's own onRoute hook, which reads `config.rateLimit`.
  app.addHook('onRoute', withDefaults);
  await app.register(rateLimit, {
    global: false,
    store: databaseRateStore(() => app.database.db),
  });
};

export const rateLimitPlugin = fp(rateLimits, { name: 'rate-limit', fastify: '5.x' });
