import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics at `/metrics` (prom-client), off unless METRICS_TOKEN is set: the scraper
 * sends `Authorization: Bearer <token>`; without the setting the route does not exist (404).
 *
 * Series (one registry per app, so tests may build several):
 * - zhize_http_requests_total{method,route,status}: request rate;
 * - zhize_http_request_duration_seconds{method,route}: latency per route (the route as registered,
 *   never the raw URL, so ids do not explode the label set);
 * - zhize_db_query_duration_seconds{dialect}: time in the database, per statement (app.ts feeds it);
 * - zhize_draw_duration_seconds: the random draws (双随机) of the plans, end to end;
 * - zhize_work_queue_items{queue,overdue}: what waits in the back office (the dashboard's
 *   "waiting" counts as an admin sees them), read at each scrape; overdue="1" for the overdue ones;
 * - the process defaults (memory, CPU, event loop lag) with the prefix zhize_.
 */

export interface WaitingCount {
  queue: string;
  count: number;
  overdue: boolean;
}

export interface MetricsOptions {
  /** METRICS_TOKEN; null: no /metrics route. */
  token: string | null;
  /** The waiting work, read at each scrape. */
  waiting?: () => Promise<WaitingCount[]>;
}

export interface AppMetrics {
  registry: Registry;
  /** Seconds one database statement took. */
  observeQuery(seconds: number): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: AppMetrics;
  }
}

/** Routes whose duration is a draw's: the staff action that runs it. */
const DRAW_ROUTES = new Set(['POST /admin/supervision/plans/:id/draw']);

const metrics: FastifyPluginAsync<MetricsOptions & { dialect: string }> = async (app, options) => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'zhize_' });
  const requests = new Counter({
    name: 'zhize_http_requests_total',
    help: 'HTTP requests answered, by route as registered and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'zhize_http_request_duration_seconds',
    help: 'HTTP request latency, by route as registered',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const queries = new Histogram({
    name: 'zhize_db_query_duration_seconds',
    help: 'Time of one database statement',
    labelNames: ['dialect'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [registry],
  });
  const draws = new Histogram({
    name: 'zhize_draw_duration_seconds',
    help: 'Duration of a plan draw (双随机 random selection), request to answer',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const queue = new Gauge({
    name: 'zhize_work_queue_items',
    help: 'Work waiting in the back office (as the dashboard counts it for an admin); overdue="1" when past its deadline',
    labelNames: ['queue', 'overdue'] as const,
    registers: [registry],
    async collect() {
      if (!options.waiting) return;
      this.reset();
      for (const w of await options.waiting()) {
        this.set({ queue: w.queue, overdue: w.overdue ? '1' : '0' }, w.count);
      }
    },
  });
  void queue;

  app.decorate('metrics', {
    registry,
    observeQuery: (seconds: number) => queries.observe({ dialect: options.dialect }, seconds),
  });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    const seconds = reply.elapsedTime / 1000;
    requests.inc({ method: req.method, route, status: String(reply.statusCode) });
    latency.observe({ method: req.method, route }, seconds);
    if (DRAW_ROUTES.has(`${req.method} ${route}`) && reply.statusCode < 400) draws.observe(seconds);
  });

  const token = options.token;
  if (token === null) return;
  const expected = Buffer.from(`Bearer ${token}`);
  app.get('/metrics', { schema: { hide: true }, config: { rateLimit: false } }, async (req, reply) => {
    const given = Buffer.from(String(req.headers.authorization ?? ''));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return reply
        .status(401)
        .header('www-authenticate', 'Bearer')
        .send({
          error: { code: 'unauthenticated', message: '需要监控令牌（METRICS_TOKEN）' },
        });
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
};

export const metricsPlugin = fp(metrics, { name: 'metrics', fastify: '5.x' });
