import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Tx } from '../../../db/database.ts';
import { acceptApiTokens, BEARER_SECURITY, type SessionUser } from '../../auth/index.ts';
import { caseContextOf, type EnforcementOptions } from '../shared/enforcement.context.ts';
import { orderAbilities } from './rectification.policy.ts';
import {
  OrderDetail,
  OrderSummary,
  presentOrderDetail,
  presentOrderSummary,
} from './rectification.presenter.ts';
import { STEP_KINDS } from './rectification.rules.ts';
import { CONSENT_CHANNELS, DELIVERY_METHODS } from './rectification.schema.ts';
import {
  assignReinspector,
  createOrder,
  deliverOrder,
  escalateOrder,
  listOrdersFor,
  orderView,
  recordConsent,
  recordOutcome,
} from './rectification.service.ts';

/**
 * The staff JSON API of rectification orders under /api/v1/staff/rectifications (bearer tokens only):
 * orders from a result, delivery (送达), re-inspection, outcome and the next steps after an unheeded
 * order. The token's user decides, through the same ability table as the pages.
 */

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

const IdParam = z.object({ id: z.coerce.number().int().positive() });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export const rectificationApi: FastifyPluginAsync<EnforcementOptions> = async (plain, options) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  acceptApiTokens(app);
  const tags = ['staff'];
  const security = BEARER_SECURITY;
  const db = () => app.database.db;
  const today = () => caseContextOf(options).today;
  const detail = async (req: { user: SessionUser | null }, id: number) =>
    presentOrderDetail(await orderView(db(), req.user!, id));

  app.get(
    '/staff/rectifications',
    {
      schema: {
        tags,
        security,
        summary: '责令限期整改通知列表（科室编辑只看到本科室负责的监管制度的）',
        response: { 200: z.object({ items: z.array(OrderSummary) }), 401: ErrorBody, 403: ErrorBody },
      },
      preHandler: orderAbilities.guard('read'),
    },
    async (req) => ({ items: (await listOrdersFor(db(), req.user!)).map(presentOrderSummary) }),
  );

  app.post(
    '/staff/rectifications',
    {
      schema: {
        tags,
        security,
        summary: '从发现问题的抽查结果开具责令限期整改通知（送达时签发通知书并起算期限）',
        body: z.object({
          inspectionId: z.number().int().describe('The inspection (result) that found the problem'),
          findings: z.string().describe('发现的问题'),
          requirement: z.string().describe('整改要求'),
          termAmount: z
            .number()
            .int()
            .optional()
            .describe("Days; the regime's clause decides working or calendar days"),
          issuedOn: z.string().describe('YYYY-MM-DD'),
        }),
        response: { 201: OrderDetail, ...errors },
      },
      preHandler: orderAbilities.guard('create'),
    },
    async (req, reply) => {
      const id = await db()
        .transaction()
        .execute((tx) => createOrder(tx, req.user!, req.body, today()));
      return reply.status(201).send(await detail(req, id));
    },
  );

  app.get(
    '/staff/rectifications/:id',
    {
      schema: {
        tags,
        security,
        summary: '一份整改通知：送达、期限、复查、结果、后续处理和文书',
        params: IdParam,
        response: { 200: OrderDetail, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
      preHandler: orderAbilities.guard('read'),
    },
    async (req) => detail(req, req.params.id),
  );

  const action = (
    path: string,
    summary: string,
    body: z.ZodType,
    ability: 'manage' | 'outcome',
    run: (tx: Tx, user: SessionUser, id: number, body: unknown) => Promise<unknown>,
  ) =>
    app.post(
      `/staff/rectifications/:id/${path}`,
      {
        schema: { tags, security, summary, params: IdParam, body, response: { 200: OrderDetail, ...errors } },
        preHandler: orderAbilities.guard(ability),
      },
      async (req) => {
        await db()
          .transaction()
          .execute((tx) => run(tx, req.user!, req.params.id, req.body));
        return detail(req, req.params.id);
      },
    );

  action(
    'delivery',
    '登记送达：签发《责令限期整改通知书》（取文号），整改期限自送达之日起算；电子送达须当事人已签订确认书',
    z.object({
      method: z.enum(DELIVERY_METHODS),
      deliveredOn: z.string().describe('YYYY-MM-DD'),
      proof: z.string().describe('送达回证编号、邮件单号或电子送达记录'),
    }),
    'manage',
    (tx, user, id, body) => deliverOrder(tx, user, id, body, today()),
  );
  action(
    'consent',
    '登记当事人的电子送达确认书（《行政处罚法》第六十一条第二款）',
    z.object({
      channel: z.enum(CONSENT_CHANNELS),
      address: z.string(),
      signedOn: z.string().describe('YYYY-MM-DD'),
      proof: z.string(),
    }),
    'manage',
    (tx, user, id, body) => recordConsent(tx, user, id, body, today()),
  );
  action(
    'reinspection',
    '指派复查人员（执法人员账号）；复查于整改期限届满后进行',
    z.object({ reinspectorId: z.number().int() }),
    'manage',
    (tx, user, id, body) => assignReinspector(tx, user, id, body),
  );
  action(
    'outcome',
    '登记复查结果：已整改（结案）或逾期未整改（期限届满后才能登记）',
    z.object({
      outcome: z.enum(['rectified', 'overdue']),
      reinspectedOn: z.string().describe('YYYY-MM-DD'),
      note: z.string(),
    }),
    'outcome',
    (tx, user, id, body) => recordOutcome(tx, user, id, body, today()),
  );
  action(
    'escalations',
    '逾期未整改后的后续处理（报省商务厅撤销、向社会公告、移送公安机关），只限该监管制度规定的；立案处罚请用 POST /staff/penalties',
    z.object({ kind: z.enum(STEP_KINDS as [string, ...string[]]), ruleKey: z.string(), note: z.string() }),
    'manage',
    (tx, user, id, body) => escalateOrder(tx, user, id, body),
  );
};
