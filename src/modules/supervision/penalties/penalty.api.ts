import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Tx } from '../../../db/database.ts';
import { acceptApiTokens, BEARER_SECURITY, type SessionUser } from '../../auth/index.ts';
import { ErrorBody } from '../rectifications/rectification.api.ts';
import { DELIVERY_METHODS } from '../rectifications/rectification.schema.ts';
import { caseContextOf, type EnforcementOptions } from '../shared/enforcement.context.ts';
import { caseAbilities } from './penalty.policy.ts';
import { CaseDetail, CaseSummary, presentCaseDetail, presentCaseSummary } from './penalty.presenter.ts';
import {
  type CaseContext,
  caseView,
  decideCase,
  deliverDecision,
  fileCase,
  holdHearing,
  listCasesFor,
  notifyCase,
  payCase,
  publishDecision,
  recordStatement,
  requestHearing,
  reviewCase,
  scheduleHearing,
  submitCase,
} from './penalty.service.ts';

/**
 * The staff JSON API of penalty cases under /api/v1/staff/penalties (bearer tokens only): 立案,
 * 事先告知, 陈述申辩, 听证, 提交法制审核, 法制审核, 决定 (issues the 行政处罚决定书), 送达, 公示, 缴纳.
 * The token's user decides, through the same ability table as the pages; the amount is checked
 * against the rule's range and refused with the range in Chinese.
 */

const IdParam = z.object({ id: z.coerce.number().int().positive() });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const Yuan = z.union([z.number(), z.string()]).optional().describe('Yuan, at most two decimals');
const Day = z.string().describe('YYYY-MM-DD');

export const penaltyApi: FastifyPluginAsync<EnforcementOptions> = async (plain, options) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  acceptApiTokens(app);
  const tags = ['staff'];
  const security = BEARER_SECURITY;
  const db = () => app.database.db;
  const ctx = () => caseContextOf(options);
  const detail = async (user: SessionUser, id: number) =>
    presentCaseDetail(await caseView(db(), user, id, ctx().today));

  app.get(
    '/staff/penalties',
    {
      schema: {
        tags,
        security,
        summary: '行政处罚案件列表（科室编辑只看到本科室负责的监管制度的）',
        response: { 200: z.object({ items: z.array(CaseSummary) }), 401: ErrorBody, 403: ErrorBody },
      },
      preHandler: caseAbilities.guard('read'),
    },
    async (req) => ({ items: (await listCasesFor(db(), req.user!)).map(presentCaseSummary) }),
  );

  app.post(
    '/staff/penalties',
    {
      schema: {
        tags,
        security,
        summary: '立案：处罚依据须为该监管制度的处罚规定；超过追责时效（《行政处罚法》第三十六条）不予立案',
        body: z.object({
          orderId: z
            .number()
            .int()
            .optional()
            .describe('The unheeded rectification order, when the rule needs one'),
          entityId: z.number().int(),
          regimeSeq: z.number().int(),
          ruleKey: z.string().describe('A penalty rule key of the regime (GET /api/v1/supervision/rules)'),
          facts: z.string(),
          violationOn: Day,
          harm: z.enum(['ordinary', 'life-health-finance']).optional(),
          illegalGainYuan: Yuan,
          filedOn: Day,
        }),
        response: { 201: CaseDetail, ...errors },
      },
      preHandler: caseAbilities.guard('file'),
    },
    async (req, reply) => {
      const id = await db()
        .transaction()
        .execute((tx) => fileCase(tx, req.user!, req.body, ctx()));
      return reply.status(201).send(await detail(req.user!, id));
    },
  );

  app.get(
    '/staff/penalties/:id',
    {
      schema: {
        tags,
        security,
        summary: '一件处罚案件：依据、可处罚款范围、各项期限、文书',
        params: IdParam,
        response: { 200: CaseDetail, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
      preHandler: caseAbilities.guard('read'),
    },
    async (req) => detail(req.user!, req.params.id),
  );

  const action = (
    path: string,
    summary: string,
    body: z.ZodType,
    ability: 'handle' | 'legalReview' | 'decide' | 'publish',
    run: (tx: Tx, user: SessionUser, id: number, body: unknown, c: CaseContext) => Promise<unknown>,
  ) =>
    app.post(
      `/staff/penalties/:id/${path}`,
      {
        schema: { tags, security, summary, params: IdParam, body, response: { 200: CaseDetail, ...errors } },
        preHandler: caseAbilities.guard(ability),
      },
      async (req) => {
        const c = ctx();
        await db()
          .transaction()
          .execute((tx) => run(tx, req.user!, req.params.id, req.body, c));
        return detail(req.user!, req.params.id);
      },
    );

  action(
    'notice',
    '事先告知：拟处罚款（须在处罚依据允许的范围内）或首违不罚（写明理由）；签发《行政处罚事先告知书》，达到听证标准的同时签发《听证告知书》',
    z.object({
      waive: z.boolean().optional(),
      waiverReason: z.string().optional(),
      amountYuan: Yuan,
      noticeOn: Day,
    }),
    'handle',
    (tx, u, id, b, c) => notifyCase(tx, u, id, b, c),
  );
  action(
    'statement',
    '登记当事人的陈述、申辩',
    z.object({ statement: z.string(), statementOn: Day }),
    'handle',
    (tx, u, id, b, c) => recordStatement(tx, u, id, b, c),
  );
  action(
    'hearing-request',
    '登记听证申请（告知后五日内）',
    z.object({ requestedOn: Day }),
    'handle',
    (tx, u, id, b, c) => requestHearing(tx, u, id, b, c),
  );
  action(
    'hearing-schedule',
    '通知听证（听证日不早于通知后七日）',
    z.object({ notifiedOn: Day, hearingOn: Day }),
    'handle',
    (tx, u, id, b, c) => scheduleHearing(tx, u, id, b, c),
  );
  action(
    'hearing-held',
    '登记听证情况',
    z.object({ heldOn: Day, record: z.string() }),
    'handle',
    (tx, u, id, b, c) => holdHearing(tx, u, id, b, c),
  );
  action(
    'submission',
    '提交法制审核（听证后，或听证申请期满未申请）',
    z.object({}),
    'handle',
    (tx, u, id, _b, c) => submitCase(tx, u, id, c),
  );
  action(
    'legal-review',
    '法制审核（法制审核人员，不得为本案承办人）：通过或退回',
    z.object({ decision: z.enum(['approve', 'return']), opinion: z.string() }),
    'legalReview',
    (tx, u, id, b) => reviewCase(tx, u, id, b),
  );
  action(
    'decision',
    '作出行政处罚决定（不可撤销）：签发《行政处罚决定书》；须 confirm: true；立案九十日后须写明理由',
    z.object({
      confirm: z.literal(true).describe('The decision cannot be undone'),
      decisionOn: Day,
      lateReason: z.string().optional(),
      remedy: z.string().optional(),
    }),
    'decide',
    (tx, u, id, b, c) => decideCase(tx, u, id, b, c),
  );
  action(
    'delivery',
    '登记处罚决定书送达（电子送达须当事人已签订确认书）；缴款期限自送达之日起十五日',
    z.object({ method: z.enum(DELIVERY_METHODS), deliveredOn: Day, proof: z.string() }),
    'handle',
    (tx, u, id, b, c) => deliverDecision(tx, u, id, b, c),
  );
  action(
    'publication',
    '登记处罚决定公示（决定之日起七个工作日内）',
    z.object({ publishedOn: Day, where: z.string() }),
    'publish',
    (tx, u, id, b, c) => publishDecision(tx, u, id, b, c),
  );
  action(
    'payment',
    '登记缴纳罚款：逾期的每日加处罚款数额的3%，不超过罚款数额',
    z.object({ paidOn: Day, paidYuan: Yuan, receipt: z.string() }),
    'handle',
    (tx, u, id, b, c) => payCase(tx, u, id, b, c),
  );
};
