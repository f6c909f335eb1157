import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dbId } from '../../../http/params.ts';
import { listScheduledVersions } from './schedule.repo.ts';
import { diffVersions, listVersions } from './version.service.ts';

const VersionInfo = z.object({
  number: z.number().int().describe('Version number; 1 is the first import'),
  publishedAt: z.string().describe('When it was published (ISO-8601 UTC)'),
  effectiveDate: z.string().describe('Date the version takes effect (YYYY-MM-DD)'),
  reason: z.string().describe('调整依据'),
  publishedBy: z.string(),
  changeSetId: z.number().int().nullable(),
  summary: z.object({ added: z.number().int(), removed: z.number().int(), changed: z.number().int() }),
});

const Scheduled = z.object({
  changeSetId: z.number().int().describe('The published change set waiting for its date'),
  effectiveDate: z
    .string()
    .describe('China date it takes effect (YYYY-MM-DD); until then the lists read as before'),
  reason: z.string().describe('调整依据'),
  scheduledBy: z.string().describe('Who published it'),
  scheduledAt: z.string().describe('When it was published (ISO-8601 UTC)'),
});

const Flat = z.object({
  key: z.string(),
  entity: z.string(),
  kind: z.string(),
  label: z.string(),
  fields: z.record(z.string(), z.string()),
});

const Diff = z.object({
  from: z.number().int(),
  to: z.number().int(),
  added: z.array(Flat),
  removed: z.array(Flat),
  changed: z.array(
    z.object({
      key: z.string(),
      entity: z.string(),
      kind: z.string(),
      label: z.string(),
      changes: z.array(z.object({ field: z.string(), before: z.string(), after: z.string() })),
    }),
  ),
});

/** Published versions of the lists (调整记录) and the difference between any two. */
export const versionsApi: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const tags = ['versions'];
  app.get(
    '/versions',
    {
      schema: {
        tags,
        summary: '已发布的清单版本（调整记录），以及已发布、将于某日生效的调整',
        response: {
          200: z.object({
            items: z.array(VersionInfo),
            scheduled: z.array(Scheduled).describe('Published changes that take effect on a later date'),
          }),
        },
      },
    },
    async () => ({
      items: await listVersions(app.database.db),
      scheduled: await listScheduledVersions(app.database.db),
    }),
  );
  app.get(
    '/versions/:from/diff/:to',
    {
      schema: {
        tags,
        summary: '两个版本之间的差异（新增、删除、逐字段修改）',
        params: z.object({
          from: dbId(),
          to: dbId(),
        }),
        response: { 200: Diff },
      },
    },
    async (req) => diffVersions(app.database.db, req.params.from, req.params.to),
  );
};
