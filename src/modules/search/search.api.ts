import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { resolveQuestion } from './resolve.service.ts';
import { ensureSearchIndex } from './search.index.ts';
import { ResolveOut, ResolveQuery, SearchQuery, SearchResultOut } from './search.schema.ts';
import { searchRegistry } from './search.service.ts';
import { warmTokenizer } from './tokenize.ts';

const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** Search and "who handles my matter?" under /api/v1. Thin handlers: validate → call → present. */
export const searchApi: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const tags = ['search'];

  // Load jieba before the first request, and build the index once for a database whose lists
  // were imported before the search tables existed.
  app.addHook('onReady', async () => {
    warmTokenizer();
    await ensureSearchIndex(app.database);
  });

  app.get(
    '/search',
    {
      schema: {
        tags,
        summary: '全文检索：具体工作事项、主要职责、职责分工与案例、监管制度、公共服务事项',
        querystring: SearchQuery,
        response: { 200: SearchResultOut, 400: ErrorBody },
      },
    },
    async (req) =>
      searchRegistry(app.database.db, app.database.dialect, req.query.q, { limitPerKind: req.query.limit }),
  );

  app.get(
    '/resolve',
    {
      schema: {
        tags,
        summary: '谁来管：根据问题给出负责的部门、科室、电话和依据',
        querystring: ResolveQuery,
        response: { 200: ResolveOut, 400: ErrorBody },
      },
    },
    async (req) => {
      const result = await resolveQuestion(app.database.db, app.database.dialect, req.query.q);
      const { query: _query, ...body } = result;
      return body;
    },
  );
};
