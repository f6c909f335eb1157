import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../http/errors.ts';
import { acceptApiTokens, BEARER_SECURITY } from '../auth/index.ts';
import { checksOfTicket } from './complaint.check.service.ts';
import { KINDS } from './complaint.clocks.ts';
import { complaintAbilities } from './complaint.policy.ts';
import { presentTicket, targetOf } from './complaint.presenter.ts';
import { revealContact } from './complaint.privacy.service.ts';
import {
  listEvents,
  listReplies,
  listTickets,
  loadTicketByCode,
  type TicketFilter,
} from './complaint.repo.ts';
import { CHANNELS, SATISFACTIONS } from './complaint.schema.ts';
import { currentRouting, fileComplaint, todayOf } from './complaint.service.ts';
import { STATUSES } from './complaint.workflow.ts';
import type { ComplaintsContext } from './complaints.context.ts';

/**
 * The staff JSON API of complaints under /api/v1/staff (bearer tokens only, `zhize token create`):
 * the 12345 platform and other systems push tickets and read their status back. The token's user
 * decides, through the same ability table as the pages; the complainant's name and phone are
 * masked in every answer, and the unmasked contact is a separate POST with a reason, audited.
 */

const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

const NewComplaint = z.object({
  kind: z.enum(KINDS).describe('report 举报 | complaint 投诉 | appeal 申诉 | enquiry 咨询'),
  description: z.string().describe('What happened (10–2000 characters)'),
  businessName: z.string().optional(),
  businessUscc: z.string().optional().describe('Unified social credit code (checked, GB 32100)'),
  place: z.string().optional(),
  occurredOn: z.string().optional().describe('YYYY-MM-DD'),
  contactName: z.string().optional(),
  contactPhone: z.string().optional(),
  contactEmail: z.string().optional(),
  anonymous: z.boolean().optional().describe('Only for a report (举报)'),
  consent: z
    .literal(true)
    .describe('The person accepted the consent text (CONSENT_TEXT) on the pushing system'),
  serviceCode: z.string().optional().describe('A service code of /open311/v2/services.json'),
  externalRef: z.string().optional().describe("The pushing system's own ticket number"),
});

const Contact = z.object({
  name: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  anonymous: z.boolean(),
  masked: z.boolean().describe('true everywhere but the audited contact read'),
});

const Ticket = z.object({
  id: z.number().int(),
  code: z.string().describe('Query code (also the Open311 service_request_id)'),
  kind: z.enum(KINDS),
  kindName: z.string(),
  channel: z.enum(CHANNELS),
  status: z.enum(STATUSES),
  statusName: z.string(),
  description: z.string(),
  businessName: z.string().nullable(),
  businessUscc: z.string().nullable(),
  place: z.string().nullable(),
  occurredOn: z.string().nullable(),
  contact: Contact,
  department: z.string().nullable(),
  office: z.string().nullable(),
  receivedAt: z.string(),
  acceptDue: z.string().nullable(),
  replyDue: z.string().nullable(),
  overdue: z.boolean(),
  closedOn: z.string().nullable(),
  outcomeReason: z.string().nullable(),
  satisfaction: z.enum(SATISFACTIONS).nullable(),
  externalRef: z.string().nullable(),
  erased: z.boolean(),
});

const Routing = z.object({
  outcome: z.enum(['own', 'transfer', 'none']),
  department: z.string().nullable(),
  office: z.string().nullable(),
  reason: z.string().describe('The sentence of the lists that decides'),
  sourceUrl: z.string().nullable(),
});

const Detail = Ticket.extend({
  routing: z.array(
    z.object({
      action: z.string(),
      department: z.string().nullable(),
      office: z.string().nullable(),
      reason: z.string().nullable(),
    }),
  ),
  events: z.array(z.object({ action: z.string(), at: z.string(), toStatus: z.string().nullable() })),
  replies: z.array(
    z.object({ outcome: z.string(), docNumber: z.string().nullable(), body: z.string(), at: z.string() }),
  ),
  checks: z
    .array(
      z.object({
        taskId: z.number().int(),
        uscc: z.string(),
        name: z.string(),
        status: z
          .string()
          .nullable()
          .describe('The inspection: draft | pending | returned | published; null before the record'),
        statusName: z.string(),
        due: z.string().nullable(),
        checksInYear: z.number().int().describe('Checks of the business this year, this one included'),
        result: z
          .object({
            code: z.string(),
            name: z.string(),
            summary: z.string().nullable(),
            checkedOn: z.string().nullable(),
            publishedAt: z.string(),
          })
          .nullable()
          .describe('Once reviewed and published'),
      }),
    )
    .describe('Inspection tasks the 举报 opened on the named business (outside the random plan)'),
});

const CodeParam = z.object({ code: z.string().max(20).describe('Query code') });

type TicketJson = z.infer<typeof Ticket>;
const toJson = (t: ReturnType<typeof presentTicket>): TicketJson => ({
  id: t.id,
  code: t.code,
  kind: t.kind,
  kindName: t.kindName,
  channel: t.channel,
  status: t.status,
  statusName: t.statusName,
  description: t.description,
  businessName: t.businessName,
  businessUscc: t.businessUscc,
  place: t.place,
  occurredOn: t.occurredOn,
  contact: t.contact,
  department: t.department,
  office: t.office,
  receivedAt: t.receivedAt,
  acceptDue: t.acceptDue,
  replyDue: t.replyDue,
  overdue: t.overdue,
  closedOn: t.closedOn,
  outcomeReason: t.outcomeReason,
  satisfaction: t.satisfaction,
  externalRef: t.externalRef,
  erased: t.erased,
});

export const complaintsApi: FastifyPluginAsync<ComplaintsContext> = async (plain, ctx) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  acceptApiTokens(app);
  const tags = ['staff'];
  const db = () => app.database.db;
  const security = BEARER_SECURITY;

  const readable = async (code: string, user: Parameters<typeof complaintAbilities.assert>[1]) => {
    const t = await loadTicketByCode(db(), code);
    if (!t) throw notFound(`查询码为 ${code} 的工单`);
    complaintAbilities.assert('read', user, targetOf(t));
    return t;
  };

  app.post(
    '/staff/complaints',
    {
      schema: {
        tags,
        security,
        summary: '推送一件举报投诉（如12345平台派单）；返回查询码、查询密码和按职责清单的分派建议',
        body: NewComplaint,
        response: {
          201: z.object({
            id: z.number().int(),
            code: z.string(),
            secret: z.string().describe('Shown once: the person follows the ticket with code and secret'),
            status: z.enum(STATUSES),
            routing: Routing,
          }),
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
        },
      },
      preHandler: complaintAbilities.guard('intake'),
    },
    async (req, reply) => {
      const r = await fileComplaint(app.database.db, app.database.dialect, {
        values: req.body,
        channel: 'api',
        user: req.user!,
        now: ctx.now(),
      });
      return reply.status(201).send({
        id: r.id,
        code: r.code,
        secret: r.secret,
        status: 'received' as const,
        routing: {
          outcome: r.proposal.outcome,
          department: r.proposal.department,
          office: r.proposal.office,
          reason: r.proposal.reason,
          sourceUrl: r.proposal.source?.url ?? null,
        },
      });
    },
  );

  app.get(
    '/staff/complaints',
    {
      schema: {
        tags,
        security,
        summary: '工单列表（联系方式隐去部分）；科室编辑只看到本科室的和自己登记的',
        querystring: z.object({ status: z.enum(STATUSES).optional() }),
        response: { 200: z.object({ items: z.array(Ticket) }), 401: ErrorBody, 403: ErrorBody },
      },
      preHandler: complaintAbilities.guard('read'),
    },
    async (req) => {
      const user = req.user!;
      const scope: TicketFilter =
        user.role === 'editor' ? { officeIds: user.officeIds, createdBy: user.id } : {};
      const today = todayOf(ctx.now());
      const rows = await listTickets(db(), {
        ...scope,
        status: req.query.status ? [req.query.status] : undefined,
      });
      return { items: rows.map((t) => toJson(presentTicket(t, today))) };
    },
  );

  app.get(
    '/staff/complaints/:code',
    {
      schema: {
        tags,
        security,
        summary: '一件工单的状态、分派记录和答复（联系方式隐去部分）',
        params: CodeParam,
        response: { 200: Detail, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
      preHandler: complaintAbilities.guard('read'),
    },
    async (req) => {
      const t = await readable(req.params.code, req.user);
      const [routing, events, replies, checks] = await Promise.all([
        currentRouting(db(), t.id),
        listEvents(db(), t.id),
        listReplies(db(), t.id),
        checksOfTicket(db(), t.code),
      ]);
      return {
        ...toJson(presentTicket(t, todayOf(ctx.now()))),
        routing: routing.rows.map((r) => ({
          action: r.action,
          department: r.department,
          office: r.office,
          reason: r.reason,
        })),
        events: events.map((e) => ({ action: e.action, at: e.at, toStatus: e.to_status })),
        replies: replies.map((r) => ({
          outcome: r.outcome,
          docNumber: r.doc_number,
          body: r.body,
          at: r.at,
        })),
        checks: checks.map((c) => ({
          taskId: c.taskId,
          uscc: c.uscc,
          name: c.name,
          status: c.status,
          statusName: c.statusName,
          due: c.due,
          checksInYear: c.checksInYear,
          result: c.result,
        })),
      };
    },
  );

  app.post(
    '/staff/complaints/:code/contact',
    {
      schema: {
        tags,
        security,
        summary: '查看一件工单的完整联系方式（须写明理由，记入审计日志）',
        params: CodeParam,
        body: z.object({ reason: z.string().describe('Why the contact is needed (2–500 characters)') }),
        response: {
          200: Contact,
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
          409: ErrorBody,
        },
      },
      preHandler: complaintAbilities.guard('seeContact'),
    },
    async (req) => {
      const t = await readable(req.params.code, req.user);
      return db()
        .transaction()
        .execute((tx) => revealContact(tx, req.user!, t.id, req.body.reason));
    },
  );
};
