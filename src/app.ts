import type { Writable } from 'node:stream';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Config } from './config.ts';
import { type Database, type DbOrTx, pendingMigrations } from './db/database.ts';
import { databaseRateStore, siteSecret } from './db/shared-state.ts';
import { registerErrorHandler } from './http/errors.ts';
import { loggingOptions } from './http/logging.ts';
import { metricsPlugin, type WaitingCount } from './http/plugins/metrics.ts';
import { openapiPlugin } from './http/plugins/openapi.ts';
import { DEFAULT_BODY_LIMIT, rateLimitPlugin } from './http/plugins/rate-limit.ts';
import { securityHeadersPlugin } from './http/plugins/security-headers.ts';
import { auditBackoffice, auditPages } from './modules/audit/index.ts';
import { authBackoffice, authPages, authPlugin, staffMeApi, userPages } from './modules/auth/index.ts';
import { backofficePlugin, healthFixPages } from './modules/backoffice/index.ts';
import { calendarBackoffice, calendarClock, calendarPlugin } from './modules/calendar/index.ts';
import { changesBackoffice, changesPages, scheduledChanges } from './modules/changes/index.ts';
import { complaintsBackoffice, complaintsPlugin } from './modules/complaints/index.ts';
import { contactsBackoffice, contactsPlugin } from './modules/contacts/index.ts';
import { documentsBackoffice, documentsPlugin } from './modules/documents/index.ts';
import {
  healthBackoffice,
  healthPages,
  homePages,
  hsdsApi,
  legalPages,
  registryApi,
  versionPages,
  versionsApi,
} from './modules/registry/index.ts';
import { searchApi } from './modules/search/index.ts';
import {
  campaignsBackoffice,
  campaignsPlugin,
  enforcementBackoffice,
  enforcementPlugin,
  supervisionApi,
  supervisionBackoffice,
  supervisionPortalPages,
  supervisionStaffApi,
  supervisionStaffPages,
} from './modules/supervision/index.ts';
import { sendNotFound } from './views/portal/errors.tsx';
import { portalPlugin } from './views/portal/portal.plugin.ts';
import type { BackofficeContribution } from './views/staff/backoffice.ts';

/** What each module contributes to the staff navigation and the dashboard. */
const BACKOFFICE: readonly BackofficeContribution<DbOrTx>[] = [
  changesBackoffice,
  supervisionBackoffice,
  auditBackoffice,
  authBackoffice,
  documentsBackoffice,
  calendarBackoffice,
  contactsBackoffice,
];

declare module 'fastify' {
  interface FastifyInstance {
    database: Database;
    config: Config;
    /** The clock of dated things (effective dates of the lists, complaint deadlines); tests set it. */
    now: () => Date;
    /** The site's CSRF signing key, shared by every instance on the database (db/shared-state.ts). */
    siteSecret: string;
  }
}

export interface BuildOptions {
  config: Config;
  database: Database;
  /** Pino logger settings; false in tests (a `stream` collects the JSON lines). */
  logger?: boolean | { level: string; stream?: Writable };
  /**
   * The clock of dated things — which version of the lists is in effect (China date), complaint
   * deadlines; tests fix it. Default: the system clock.
   */
  now?: () => Date;
}

/** Words of a waiting item's label that say it is past its deadline. */
const OVERDUE_WORDS = /超期|逾期|超过.*期限/;

/** The back office's waiting work as an admin's dashboard counts it, for the metrics. */
async function waitingWork(
  db: DbOrTx,
  contributions: readonly BackofficeContribution<DbOrTx>[],
): Promise<WaitingCount[]> {
  const everyone = { id: 0, role: 'admin', officeIds: [] };
  const out: WaitingCount[] = [];
  for (const c of contributions) {
    for (const w of (await c.waiting?.(db, everyone)) ?? []) {
      out.push({ queue: w.label, count: w.count, overdue: OVERDUE_WORDS.test(w.label) });
    }
  }
  return out;
}

// Validation messages that reach people are in Chinese.
z.config(z.locales.zhCN());

/** Builds the application: infrastructure plugins, then each module. Does not listen. */
export async function buildApp(options: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // JSON lines with a request id, without personal data (http/logging.ts).
    ...loggingOptions(options.logger ?? { level: options.config.logLevel }),
    // X-Forwarded-For is believed only from the configured proxies (TRUST_PROXY), never from anyone.
    trustProxy: options.config.trustProxy.length > 0 ? options.config.trustProxy : false,
    // Staff forms; public writes get less and uploads more (http/plugins/rate-limit.ts, the routes).
    bodyLimit: DEFAULT_BODY_LIMIT,
    // `/admin/` answers like `/admin`, and every other path with a trailing slash like its bare form.
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();
  const now = options.now ?? (() => new Date());
  const enforcement = { now, hearingThresholdYuan: options.config.hearingThresholdYuan };
  // What each module contributes to the staff navigation and the dashboard (and the metrics' queue).
  const contributions: BackofficeContribution<DbOrTx>[] = [
    ...BACKOFFICE,
    complaintsBackoffice(now),
    enforcementBackoffice({ ...enforcement, taskDueDays: options.config.taskDueDays }),
    healthBackoffice(options.config.listAdjustMonths),
    campaignsBackoffice(now),
  ];
  app.decorate('database', options.database);
  app.decorate('config', options.config);
  app.decorate('now', now);
  app.decorate('siteSecret', await siteSecret(options.database.db, 'csrf'));
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app, { portalNotFound: (req, reply) => sendNotFound(req, reply) });

  // Infrastructure: named plugins (src/http/plugins/); those that need one declare it.
  await app.register(securityHeadersPlugin, { https: options.config.https });
  await app.register(cookie);
  await app.register(formbody);
  await app.register(rateLimitPlugin, { store: databaseRateStore(() => options.database.db) });
  await app.register(openapiPlugin);
  // Before any route answers: change sets whose effective date has come take effect first.
  await app.register(scheduledChanges);
  await app.register(metricsPlugin, {
    token: options.config.metricsToken,
    dialect: options.database.dialect,
    waiting: () => waitingWork(options.database.db, contributions),
  });
  const unsubscribe = options.database.onQuery?.(app.metrics.observeQuery);
  app.addHook('onClose', async () => unsubscribe?.());
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  app.get(
    '/healthz',
    {
      schema: {
        tags: ['system'],
        summary: '健康检查：数据库可用时返回 ok',
        response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']) }) },
      },
    },
    async () => {
      await sql`select 1`.execute(options.database.db);
      return { status: 'ok' as const, database: options.database.dialect };
    },
  );
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['system'],
        summary: '就绪检查：数据库可用且迁移已全部执行时返回 ok，否则 503',
        response: {
          200: z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']) }),
          503: z.object({ status: z.literal('unavailable'), reason: z.string() }),
        },
      },
    },
    async (_req, reply) => {
      if (closing) return reply.status(503).send({ status: 'unavailable' as const, reason: '正在停止服务' });
      try {
        await sql`select 1`.execute(options.database.db);
        const pending = await pendingMigrations(options.database);
        if (pending.length > 0) {
          return reply
            .status(503)
            .send({ status: 'unavailable' as const, reason: `数据库迁移未执行：${pending.join('、')}` });
        }
      } catch {
        return reply.status(503).send({ status: 'unavailable' as const, reason: '数据库无法连接' });
      }
      return { status: 'ok' as const, database: options.database.dialect };
    },
  );
  await app.register(authPlugin);
  await app.register(calendarClock);
  await app.register(registryApi, { prefix: '/api/v1' });
  await app.register(searchApi, { prefix: '/api/v1' });
  await app.register(versionsApi, { prefix: '/api/v1' });
  await app.register(hsdsApi, { prefix: '/api/v1' });
  await app.register(portalPlugin);
  await app.register(backofficePlugin, { contributions });
  await app.register(authPages);
  await app.register(userPages);
  await app.register(auditPages);
  await app.register(changesPages);
  await app.register(versionPages);
  await app.register(homePages);
  await app.register(supervisionApi, { prefix: '/api/v1' });
  await app.register(staffMeApi, { prefix: '/api/v1' });
  await app.register(supervisionStaffApi, { prefix: '/api/v1' });
  await app.register(supervisionStaffPages);
  await app.register(supervisionPortalPages);
  await app.register(complaintsPlugin, { now });
  await app.register(documentsPlugin);
  await app.register(calendarPlugin);
  await app.register(enforcementPlugin, enforcement);
  await app.register(contactsPlugin);
  await app.register(legalPages);
  await app.register(healthPages);
  await app.register(healthFixPages, { months: options.config.listAdjustMonths });
  await app.register(campaignsPlugin, { now });
  return app;
}
