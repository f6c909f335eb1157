import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { todayInChina } from '../../../lib/china-time.ts';
import { acceptApiTokens, BEARER_SECURITY } from '../../auth/index.ts';
import { getDocument } from '../../documents/index.ts';
import { ErrorBody } from '../supervision.schema.ts';
import { campaignAbilities } from './campaign.policy.ts';
import { presentCampaign } from './campaign.presenter.ts';
import {
  CampaignDetailOut,
  CampaignOut,
  DocumentRef,
  FilingActionBody,
  FilingOut,
  IdParam,
  OpenCampaignBody,
  ZoneEvaluationOut,
} from './campaign.schema.ts';
import {
  actOnFiling,
  campaignDetail,
  closeCampaign,
  createFilingCode,
  createFilingLink,
  filingDetail,
  listCampaigns,
  openCampaign,
} from './campaign.service.ts';
import { filingUrls } from './campaign.urls.ts';
import { importZoneScores, zoneEvaluation } from './zone.service.ts';

export interface CampaignsContext {
  /** The clock of dated casework; tests fix it. */
  now: () => Date;
}

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/**
 * The staff JSON API of yearly campaigns under /api/v1/staff/campaigns (bearer tokens only, `zhize
 * token create`): the same ability table and services as the pages.
 */
export const campaignStaffApi: FastifyPluginAsync<CampaignsContext> = async (plain, ctx) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  acceptApiTokens(app);
  const tags = ['staff'];
  const security = BEARER_SECURITY;
  const db = () => app.database.db;
  const today = () => todayInChina(ctx.now().getTime());
  const documentRef = async (id: number | null) => {
    if (id === null) return null;
    const d = await getDocument(db(), id);
    return d ? { id: d.id, number: d.number } : null;
  };

  app.get(
    '/staff/campaigns',
    {
      schema: {
        tags,
        security,
        summary: '年度工作（年检、年审、联合年报、开发区考核）列表及办理进度',
        querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }),
        response: { 200: z.object({ items: z.array(CampaignOut) }), ...errors },
      },
      preHandler: campaignAbilities.guard('read'),
    },
    async (req) => {
      const rows = await listCampaigns(db(), req.query.year, today());
      return { items: rows.map((r) => presentCampaign(r)) };
    },
  );

  app.post(
    '/staff/campaigns',
    {
      schema: {
        tags,
        security,
        summary: '启动一项年度工作：下发通知（日期按制度检查），列出登记在册的企业',
        body: OpenCampaignBody,
        response: { 201: z.object({ id: z.number().int() }), ...errors },
      },
      preHandler: campaignAbilities.guard('open'),
    },
    async (req, reply) => {
      const b = req.body;
      const id = await db()
        .transaction()
        .execute((tx) =>
          openCampaign(tx, req.user!, {
            definitionKey: b.definition,
            year: b.year,
            noticeDate: b.noticeDate,
            noticeText: b.noticeText,
            filingDeadline: b.filingDeadline ?? null,
            basisReason: b.basisReason ?? null,
          }),
        );
      return reply.status(201).send({ id });
    },
  );

  app.get(
    '/staff/campaigns/:id',
    {
      schema: {
        tags,
        security,
        summary: '一项年度工作：每家企业的环节、期限和结果',
        params: IdParam,
        response: { 200: CampaignDetailOut, ...errors },
      },
      preHandler: campaignAbilities.guard('read'),
    },
    async (req) => {
      const d = await campaignDetail(db(), req.params.id, today());
      return {
        ...presentCampaign(d),
        noticeDocument: await documentRef(d.campaign.notice_document_id),
        filings: d.filings,
      };
    },
  );

  app.post(
    '/staff/campaigns/:id/close',
    {
      schema: {
        tags,
        security,
        summary: '结束一项年度工作（申报链接随之失效）',
        params: IdParam,
        body: z.object({ reason: z.string().trim().min(1, '请填写结束的理由').max(2000) }),
        response: { 200: z.object({ ok: z.literal(true) }), ...errors },
      },
      preHandler: campaignAbilities.guard('close'),
    },
    async (req) => {
      await db()
        .transaction()
        .execute((tx) => closeCampaign(tx, req.user!, req.params.id, req.body.reason));
      return { ok: true as const };
    },
  );

  app.get(
    '/staff/campaigns/filings/:id',
    {
      schema: {
        tags,
        security,
        summary: '一家企业的申报：当前环节、期限、办理记录',
        params: IdParam,
        response: {
          200: z.object({
            filing: FilingOut,
            events: z.array(
              z.object({
                step: z.string(),
                action: z.string(),
                by: z.enum(['enterprise', 'staff']),
                on: z.string(),
                due: z.string().nullable(),
                overdue: z.boolean(),
                reason: z.string().nullable(),
                document: DocumentRef.nullable(),
              }),
            ),
            mark: z.object({ text: z.string(), year: z.number().int(), on: z.string() }).nullable(),
          }),
          ...errors,
        },
      },
      preHandler: campaignAbilities.guard('read'),
    },
    async (req) => {
      const d = await filingDetail(db(), req.params.id, today());
      const docs = await Promise.all(d.events.map((e) => documentRef(e.document_id)));
      return {
        filing: d.filing,
        events: d.events.map((e, i) => ({
          step: e.step_key,
          action: e.action,
          by: e.actor_kind as 'enterprise' | 'staff',
          on: e.on_date,
          due: e.due,
          overdue: e.overdue === 1,
          reason: e.reason,
          document: docs[i] ?? null,
        })),
        mark: d.mark ? { text: d.mark.mark, year: d.mark.year, on: d.mark.marked_on } : null,
      };
    },
  );

  app.post(
    '/staff/campaigns/filings/:id/actions',
    {
      schema: {
        tags,
        security,
        summary: '办理一份申报：初审报送、退回补正（须写理由）、合格、不合格、整改等',
        params: IdParam,
        body: FilingActionBody,
        response: {
          200: z.object({
            status: z.string(),
            overdue: z.boolean().describe('Done after the step’s due date'),
          }),
          ...errors,
        },
      },
      preHandler: campaignAbilities.guard('handle'),
    },
    async (req) => {
      const r = await db()
        .transaction()
        .execute((tx) =>
          actOnFiling(tx, { kind: 'staff', user: req.user! }, req.params.id, req.body, today()),
        );
      return { status: r.status, overdue: r.overdue };
    },
  );

  app.post(
    '/staff/campaigns/filings/:id/link',
    {
      schema: {
        tags,
        security,
        summary: '为企业生成在线申报链接（只显示一次；原链接失效）',
        params: IdParam,
        response: { 201: z.object({ token: z.string(), path: z.string() }), ...errors },
      },
      preHandler: campaignAbilities.guard('giveAccess'),
    },
    async (req, reply) => {
      const token = await db()
        .transaction()
        .execute((tx) => createFilingLink(tx, req.user!, req.params.id));
      return reply.status(201).send({ token, path: filingUrls.filing(token) });
    },
  );

  app.post(
    '/staff/campaigns/filings/:id/code',
    {
      schema: {
        tags,
        security,
        summary: '为企业生成一次性验证码（24小时内有效，只显示一次）',
        params: IdParam,
        response: { 201: z.object({ code: z.string() }), ...errors },
      },
      preHandler: campaignAbilities.guard('giveAccess'),
    },
    async (req, reply) => {
      const code = await db()
        .transaction()
        .execute((tx) => createFilingCode(tx, req.user!, req.params.id));
      return reply.status(201).send({ code });
    },
  );

  app.post(
    '/staff/campaigns/zones/scores',
    {
      schema: {
        tags,
        security,
        summary: '导入开发区综合发展水平评价得分（CSV：年度,开发区,得分,是否本市；全省数据）',
        body: z.object({
          csv: z
            .string()
            .min(1)
            .max(2_000_000)
            .describe('CSV text with the header 年度,开发区,得分,是否本市'),
          source: z.string().trim().min(1, '请填写数据来源').max(200),
        }),
        response: { 200: z.object({ rows: z.number().int(), years: z.array(z.number().int()) }), ...errors },
      },
      preHandler: campaignAbilities.guard('importScores'),
    },
    async (req) =>
      db()
        .transaction()
        .execute((tx) => importZoneScores(tx, req.user!, Buffer.from(req.body.csv, 'utf8'), req.body.source)),
  );

  app.get(
    '/staff/campaigns/zones/evaluation',
    {
      schema: {
        tags,
        security,
        summary: '开发区排名及摘牌建议（连续两年排名全省后三名）',
        response: { 200: ZoneEvaluationOut, ...errors },
      },
      preHandler: campaignAbilities.guard('read'),
    },
    async () => zoneEvaluation(db()),
  );
};

/** GET /api/v1/supervision/campaigns?year=: this year's campaigns and aggregate outcomes, no enterprise data. */
export const campaignPublicApi: FastifyPluginAsync<CampaignsContext> = async (plain, ctx) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/supervision/campaigns',
    {
      schema: {
        tags: ['supervision'],
        summary: '年度工作（年检、年审、联合年报、开发区考核）：期限和按县汇总的结果（不含企业信息）',
        querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }),
        response: { 200: z.object({ year: z.number().int(), items: z.array(CampaignOut) }), 400: ErrorBody },
      },
    },
    async (req) => {
      const today = todayInChina(ctx.now().getTime());
      const year = req.query.year ?? Number(today.slice(0, 4));
      const rows = await listCampaigns(app.database.db, year, today);
      return { year, items: rows.map((r) => presentCampaign(r)) };
    },
  );
};
