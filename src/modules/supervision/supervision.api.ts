import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../http/errors.ts';
import { dbId, dbInt } from '../../http/params.ts';
import { listCounties } from './entities/entity.service.ts';
import { presentPublic } from './plans/plan.presenter.ts';
import { drawFileText, listTasks } from './plans/plan.repo.ts';
import { getPlan, listPlans } from './plans/plan.service.ts';
import { CATEGORY_NAME, ENTITY_CATEGORIES } from './reference/index.ts';
import { REGIME_RULES, type RegimeRule as Rule } from './rules/rules.ts';
import {
  Category,
  County,
  DrawFile,
  ErrorBody,
  PublicPlan,
  PublicTask,
  RegimeRule,
} from './supervision.schema.ts';

/**
 * The public supervision API under /api/v1/supervision: the regimes as rules, the reference lists,
 * published plans and tasks, and the draw file. Read-only, no login; drafts are never listed.
 */

const presentRule = (r: Rule) => ({
  ...r,
  subjects: {
    ...r.subjects,
    categories: r.subjects.categories.map((code) => ({ code, name: CATEGORY_NAME[code] })),
  },
});

const SeqParam = z.object({ seq: dbId().max(99).describe('Regime order (1–15)') });
const IdParam = z.object({ id: dbId().describe('Plan id') });

export const supervisionApi: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const tags = ['supervision'];
  const db = () => app.database.db;

  app.get(
    '/supervision/rules',
    {
      schema: {
        tags,
        summary: '15 项监管制度的规则（每个数字附原文出处）',
        response: { 200: z.object({ items: z.array(RegimeRule) }) },
      },
    },
    async () => ({ items: REGIME_RULES.map(presentRule) }),
  );

  app.get(
    '/supervision/rules/:seq',
    {
      schema: {
        tags,
        summary: '一项监管制度的规则',
        params: SeqParam,
        response: { 200: RegimeRule, 404: ErrorBody },
      },
    },
    async (req) => {
      const rule = REGIME_RULES.find((r) => r.seq === req.params.seq);
      if (!rule) throw notFound(`第 ${req.params.seq} 项监管制度`);
      return presentRule(rule);
    },
  );

  app.get(
    '/supervision/categories',
    { schema: { tags, summary: '检查对象类别', response: { 200: z.object({ items: z.array(Category) }) } } },
    async () => ({ items: ENTITY_CATEGORIES.map((c) => ({ code: c.code, name: c.name })) }),
  );

  app.get(
    '/supervision/counties',
    { schema: { tags, summary: '县（市、区）', response: { 200: z.object({ items: z.array(County) }) } } },
    async () => ({
      items: (await listCounties(db())).map((c) => ({
        id: c.id,
        name: c.name,
        divisionCode: c.division_code,
        kind: c.kind,
      })),
    }),
  );

  app.get(
    '/supervision/plans',
    {
      schema: {
        tags,
        summary: '已公布的抽查计划（承诺后公开，抽取后公开全部）',
        querystring: z.object({
          regime: dbId().optional().describe('Regime order'),
          year: dbInt().optional(),
        }),
        response: { 200: z.object({ items: z.array(PublicPlan) }) },
      },
    },
    async (req) => ({
      items: (
        await listPlans(db(), { publicOnly: true, regimeSeq: req.query.regime, year: req.query.year })
      ).map(presentPublic),
    }),
  );

  app.get(
    '/supervision/plans/:id',
    {
      schema: {
        tags,
        summary: '一个抽查计划',
        params: IdParam,
        response: { 200: PublicPlan, 404: ErrorBody },
      },
    },
    async (req) => presentPublic(await getPlan(db(), req.params.id, { publicOnly: true })),
  );

  app.get(
    '/supervision/plans/:id/tasks',
    {
      schema: {
        tags,
        summary: '一个计划抽中的任务（执法人员只公布执法证号）',
        params: IdParam,
        response: { 200: z.object({ items: z.array(PublicTask) }), 404: ErrorBody },
      },
    },
    async (req) => {
      const plan = await getPlan(db(), req.params.id, { publicOnly: true });
      const tasks = plan.draw ? await listTasks(db(), { planId: plan.id }) : [];
      return {
        items: tasks.map((t) => ({
          position: t.position,
          uscc: t.uscc,
          name: t.name,
          county: t.county,
          rank: t.rank,
          inspectors: t.inspectors,
        })),
      };
    },
  );

  app.get(
    '/supervision/plans/:id/draw-file',
    {
      schema: {
        tags,
        summary: '抽取文件（抽取后公开；原样字节，可用 zhize draw verify 核验）',
        params: IdParam,
        response: { 200: DrawFile, 404: ErrorBody },
      },
    },
    async (req, reply) => {
      const plan = await getPlan(db(), req.params.id, { publicOnly: true });
      const text = await drawFileText(db(), plan.id);
      if (text === null) throw notFound('这次抽取：计划尚未抽取');
      // Sent as the stored text (Fastify does not re-serialise a string), so the bytes verify exactly;
      // the schema above documents its shape.
      return reply.type('application/json; charset=utf-8').send(text as unknown as z.infer<typeof DrawFile>);
    },
  );
};
