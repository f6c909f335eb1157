import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Tx } from '../../../db/database.ts';
import { todayInChina } from '../../../lib/china-time.ts';
import { acceptApiTokens, BEARER_SECURITY, type SessionUser } from '../../auth/index.ts';
import type { CampaignsContext } from '../campaigns/campaign.api.ts';
import { IdParam } from '../campaigns/campaign.schema.ts';
import { ErrorBody } from '../supervision.schema.ts';
import { oversightAbilities } from './oversight.policy.ts';
import {
  createOversightCheck,
  decideReview,
  issueOversightNotice,
  listOversightChecks,
  OVERSIGHT_METHOD_NAME,
  oversightAssessment,
  oversightDetail,
  recordFindings,
  recordReceipt,
  reportCorrection,
  requestReview,
} from './oversight.service.ts';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 年-月-日');
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const Ok = z.object({ ok: z.literal(true) });
const METHODS = Object.keys(OVERSIGHT_METHOD_NAME) as [keyof typeof OVERSIGHT_METHOD_NAME, ...string[]];

const CheckOut = z.object({
  id: z.number().int(),
  regime: z.number().int(),
  year: z.number().int(),
  method: z.string(),
  checkedOn: z.string(),
  body: z.string(),
  county: z.string(),
  status: z.string(),
  findings: z.string().nullable(),
  notice: z
    .object({
      number: z.string().describe('文号'),
      issuedOn: z.string(),
      executionDeadline: z.string(),
      receivedOn: z.string().nullable(),
      reviewRequestDue: z
        .string()
        .nullable()
        .describe('Last day for a 复查 request: 10 working days from receipt'),
      correctedOn: z.string().nullable(),
      reviewRequestedOn: z.string().nullable(),
      reviewDecisionDue: z.string().nullable(),
      reviewDecidedOn: z.string().nullable(),
    })
    .nullable(),
});

/**
 * The staff JSON API of the oversight of county bureaus and entrusted bodies under
 * /api/v1/staff/oversight (bearer tokens only): the same ability table and services as the pages.
 */
export const oversightStaffApi: FastifyPluginAsync<CampaignsContext> = async (plain, ctx) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  acceptApiTokens(app);
  const tags = ['staff'];
  const security = BEARER_SECURITY;
  const db = () => app.database.db;
  const today = () => todayInChina(ctx.now().getTime());

  const present = async (id: number) => {
    const d = await oversightDetail(db(), id);
    const n = d.notice;
    return {
      id: d.check.id,
      regime: d.check.regime_seq,
      year: d.check.year,
      method: d.check.method,
      checkedOn: d.check.checked_on,
      body: d.body.name,
      county: d.body.county,
      status: d.check.status,
      findings: d.check.findings,
      notice: n
        ? {
            number: n.number,
            issuedOn: n.issued_on,
            executionDeadline: n.execution_deadline,
            receivedOn: n.received_on,
            reviewRequestDue: d.reviewRequestDue,
            correctedOn: n.corrected_on,
            reviewRequestedOn: n.review_requested_on,
            reviewDecisionDue: n.review_due,
            reviewDecidedOn: n.review_decided_on,
          }
        : null,
    };
  };

  app.get(
    '/staff/oversight',
    {
      schema: {
        tags,
        security,
        summary: '对县级商务主管部门和受委托机关的执法监督检查列表',
        querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }),
        response: { 200: z.object({ items: z.array(CheckOut) }), ...errors },
      },
      preHandler: oversightAbilities.guard('read'),
    },
    async (req) => {
      const rows = await listOversightChecks(db(), req.query.year);
      return { items: await Promise.all(rows.map((r) => present(r.id))) };
    },
  );

  app.post(
    '/staff/oversight',
    {
      schema: {
        tags,
        security,
        summary: '登记一次执法监督检查（两名以上工作人员，按制度规定）',
        body: z.object({
          bodyEntityId: z
            .number()
            .int()
            .min(1)
            .max(2_147_483_647)
            .describe('The county bureau / entrusted body in the register'),
          regime: z.number().int().describe('1, 2 or 10'),
          method: z.enum(METHODS).describe('self 自查 | mutual 互查 | spot 抽查'),
          checkedOn: date,
          staffUserIds: z.array(z.number().int().min(1).max(2_147_483_647)).max(20),
        }),
        response: { 201: z.object({ id: z.number().int() }), ...errors },
      },
      preHandler: oversightAbilities.guard('handle'),
    },
    async (req, reply) => {
      const id = await db()
        .transaction()
        .execute((tx) => createOversightCheck(tx, req.user!, req.body, today()));
      return reply.status(201).send({ id });
    },
  );

  app.get(
    '/staff/oversight/assessment',
    {
      schema: {
        tags,
        security,
        summary: '年度考核：各县（市、区）的检查、问题、通知书、纠正和复查情况',
        querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100) }),
        response: {
          200: z.object({
            year: z.number().int(),
            counties: z.array(
              z.object({
                county: z.string(),
                checks: z.number().int(),
                withFindings: z.number().int(),
                notices: z.number().int(),
                corrected: z.number().int(),
                correctedOnTime: z.number().int(),
                reviews: z.number().int(),
              }),
            ),
          }),
          ...errors,
        },
      },
      preHandler: oversightAbilities.guard('read'),
    },
    async (req) => ({ year: req.query.year, counties: await oversightAssessment(db(), req.query.year) }),
  );

  app.get(
    '/staff/oversight/:id',
    {
      schema: {
        tags,
        security,
        summary: '一次执法监督检查',
        params: IdParam,
        response: { 200: CheckOut, ...errors },
      },
      preHandler: oversightAbilities.guard('read'),
    },
    async (req) => present(req.params.id),
  );

  app.post(
    '/staff/oversight/:id/findings',
    {
      schema: {
        tags,
        security,
        summary: '记录检查发现的问题（留空即未发现问题）',
        params: IdParam,
        body: z.object({ findings: z.string().max(5000) }),
        response: { 200: Ok, ...errors },
      },
      preHandler: oversightAbilities.guard('handle'),
    },
    async (req) => {
      await db()
        .transaction()
        .execute((tx) => recordFindings(tx, req.user!, req.params.id, req.body.findings));
      return { ok: true as const };
    },
  );

  app.post(
    '/staff/oversight/:id/notice',
    {
      schema: {
        tags,
        security,
        summary: '下达《执法监督通知（决定）书》：五项内容缺一不可',
        params: IdParam,
        body: z.object({
          bodyName: z.string().max(200).default(''),
          facts: z.string().max(5000).default(''),
          decision: z.string().max(5000).default(''),
          execution: z.string().max(2000).default(''),
          executionDeadline: z.string().max(10).default(''),
          issuer: z.string().max(200).default(''),
          issuedOn: z.string().max(10).default(''),
        }),
        response: { 201: z.object({ number: z.string() }), ...errors },
      },
      preHandler: oversightAbilities.guard('handle'),
    },
    async (req, reply) => {
      const r = await db()
        .transaction()
        .execute((tx) => issueOversightNotice(tx, req.user!, req.params.id, req.body, today()));
      return reply.status(201).send({ number: r.number });
    },
  );

  const dated = (
    path: string,
    summary: string,
    body: z.ZodObject<{ on: typeof date } & Record<string, z.ZodTypeAny>>,
    act: (tx: Tx, user: SessionUser, id: number, b: Record<string, string>) => Promise<unknown>,
  ) =>
    app.post(
      `/staff/oversight/:id/${path}`,
      {
        schema: { tags, security, summary, params: IdParam, body, response: { 200: Ok, ...errors } },
        preHandler: oversightAbilities.guard('handle'),
      },
      async (req) => {
        await db()
          .transaction()
          .execute((tx) =>
            act(tx, req.user!, (req.params as { id: number }).id, req.body as Record<string, string>),
          );
        return { ok: true as const };
      },
    );

  dated(
    'receipt',
    '登记被检查单位收到通知书的日期（复查申请期限自此起算）',
    z.object({ on: date }),
    (tx, u, id, b) => recordReceipt(tx, u, id, b.on!, today()),
  );
  dated(
    'correction',
    '登记被检查单位书面报告的纠正情况',
    z.object({ on: date, report: z.string().max(5000) }),
    (tx, u, id, b) => reportCorrection(tx, u, id, b.report ?? '', b.on!, today()),
  );
  dated(
    'review-request',
    '登记复查申请（收到通知书之日起10个工作日内）',
    z.object({ on: date, reason: z.string().max(5000) }),
    (tx, u, id, b) => requestReview(tx, u, id, b.on!, b.reason ?? '', today()),
  );
  dated(
    'review-decision',
    '登记复查决定（自接到申请之日起15个工作日内）',
    z.object({ on: date, decision: z.string().max(5000) }),
    (tx, u, id, b) => decideReview(tx, u, id, b.on!, b.decision ?? '', today()),
  );
};
