import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Config } from './config.ts';
import type { Database, DbOrTx } from './db/database.ts';
import { registerErrorHandler } from './http/errors.ts';
import { openapiPlugin } from './http/plugins/openapi.ts';
import { rateLimitPlugin } from './http/plugins/rate-limit.ts';
import { securityHeadersPlugin } from './http/plugins/security-headers.ts';
import { auditBackoffice, auditPages } from './modules/audit/index.ts';
import { authBackoffice, authPages, authPlugin, staffMeApi, userPages } from './modules/auth/index.ts';
import { backofficePlugin } from './modules/backoffice/index.ts';
import { calendarBackoffice, calendarClock, calendarPlugin } from './modules/calendar/index.ts';
import { changesBackoffice, changesPages } from './modules/changes/index.ts';
import { complaintsBackoffice, complaintsPlugin } from './modules/complaints/index.ts';
import { documentsBackoffice, documentsPlugin } from './modules/documents/index.ts';
import { homePages, registryApi, versionPages, versionsApi } from './modules/registry/index.ts';
import { searchApi } from './modules/search/index.ts';
import {
  campaignsBackoffice,
  campaignsPlugin,
  supervisionApi,
  supervisionBackoffice,
  supervisionPortalPages,
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
];

declare module 'fastify' {
  interface FastifyInstance {
    database: Database;
    config: Config;
  }
}

export interface BuildOptions {
  config: Config;
  database: Database;
  /** Pino logger settings; false in tests. */
  logger?: boolean | { level: string };
  /** The clock of dated casework (complaint deadlines); tests fix it. Default: the system clock. */
  now?: () => Date;
}

// Validation messages that reach people are in Chinese.
z.config(z.locales.zhCN());

/** Builds the application: infrastructure plugins, then each module. Does not listen. */
export async function buildApp(options: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? { level: options.config.logLevel },
    trustProxy: options.config.https,
    bodyLimit: 20 * 1024 * 1024,
    // `/admin/` answers like `/admin`, and every other path with a trailing slash like its bare form.
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();
  app.decorate('database', options.database);
  app.decorate('config', options.config);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app, { portalNotFound: (req, reply) => sendNotFound(req, reply) });

  // Infrastructure: named plugins (src/http/plugins/); those that need one declare it.
  await app.register(securityHeadersPlugin, { https: options.config.https });
  await app.register(cookie);
  await app.register(formbody);
  await app.register(rateLimitPlugin);
  await app.register(openapiPlugin);

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
  await app.register(authPlugin);
  await app.register(calendarClock);
  await app.register(registryApi, { prefix: '/api/v1' });
  await app.register(searchApi, { prefix: '/api/v1' });
  await app.register(versionsApi, { prefix: '/api/v1' });
  await app.register(portalPlugin);
  const now = options.now ?? (() => new Date());
  await app.register(backofficePlugin, {
    contributions: [...BACKOFFICE, complaintsBackoffice(now), campaignsBackoffice(now)],
  });
  await app.register(authPages);
  await app.register(userPages);
  await app.register(auditPages);
  await app.register(changesPages);
  await app.register(versionPages);
  await app.register(homePages);
  await app.register(supervisionApi, { prefix: '/api/v1' });
  await app.register(staffMeApi, { prefix: '/api/v1' });
  await app.register(supervisionStaffPages);
  await app.register(supervisionPortalPages);
  await app.register(complaintsPlugin, { now });
  await app.register(documentsPlugin);
  await app.register(calendarPlugin);
  await app.register(campaignsPlugin, { now });
  return app;
}
