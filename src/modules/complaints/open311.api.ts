import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../http/errors.ts';
import { CHINA_OFFSET_MS } from '../../lib/china-time.ts';
import { userOfApiKey } from '../auth/index.ts';
import { KINDS } from './complaint.clocks.ts';
import { complaintAbilities } from './complaint.policy.ts';
import { dueOf } from './complaint.presenter.ts';
import { listTickets, type TicketRow } from './complaint.repo.ts';
import { fileComplaint } from './complaint.service.ts';
import { listServices, OTHER_SERVICE } from './complaint.services.ts';
import { ENDED, STATUS_NAME, type Status } from './complaint.workflow.ts';
import type { ComplaintsContext } from './complaints.context.ts';

/**
 * An Open311 GeoReport v2 façade (https://wiki.open311.org/GeoReport_v2): services.json (derived
 * from the lists: complaint.services.ts), requests.json GET and POST, requests/{id}.json. POST takes
 * `api_key` = a token from `zhize token create`, whose user must be allowed to take tickets in;
 * the public GET answers carry no personal data — no description, address, coordinates, media or
 * contact, only the service, the status, the responsible body and the dates. JSON only.
 * `service_request_id` is the ticket's query code. Extension: `attribute[kind]` (report, complaint,
 * appeal, enquiry; default complaint).
 */

const BASE = '/open311/v2';
/** GeoReport: a GET without dates covers the last 90 days, at most 1000 requests. */
const DEFAULT_DAYS = 90;
const MAX_REQUESTS = 1000;

const Service = z.object({
  service_code: z.string(),
  service_name: z.string(),
  description: z.string(),
  metadata: z.boolean(),
  type: z.enum(['realtime', 'batch', 'blackbox']),
  keywords: z.string(),
  group: z.string(),
});

const PublicRequest = z.object({
  service_request_id: z.string(),
  status: z.enum(['open', 'closed']),
  status_notes: z.string(),
  service_name: z.string(),
  service_code: z.string(),
  agency_responsible: z.string(),
  service_notice: z.string(),
  requested_datetime: z.string(),
  updated_datetime: z.string(),
  expected_datetime: z.string().nullable(),
});

const Errors = z.array(z.object({ code: z.number().int(), description: z.string() }));

/** ISO 8601 with the China offset, as GeoReport's examples write times. */
export function chinaIso(iso: string): string {
  return `${new Date(Date.parse(iso) + CHINA_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

const SERVICE_NOTICE =
  '衡水市商务局按职责清单分派；属于其他部门的事项按职责边界清单转办。公开查询不含个人信息和情况说明。';

function publicRequest(t: TicketRow, names: Map<string, string>): z.infer<typeof PublicRequest> {
  const closed = (ENDED as readonly string[]).includes(t.status);
  const due = dueOf(t);
  const code = t.service_code && names.has(t.service_code) ? t.service_code : OTHER_SERVICE.code;
  return {
    service_request_id: t.code,
    status: closed ? 'closed' : 'open',
    status_notes: STATUS_NAME[t.status as Status] ?? t.status,
    service_name: names.get(code) ?? OTHER_SERVICE.name,
    service_code: code,
    agency_responsible: [t.department ?? '衡水市商务局', t.office].filter(Boolean).join(' '),
    service_notice: SERVICE_NOTICE,
    requested_datetime: chinaIso(t.received_at),
    updated_datetime: chinaIso(t.updated_at),
    expected_datetime: due ? `${due}T23:59:59+08:00` : null,
  };
}

const fail = (reply: FastifyReply, code: number, description: string) =>
  reply.status(code).send([{ code, description }]);

const text = (body: Record<string, unknown>, key: string): string => {
  const v = body[key];
  return typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';
};

export const open311Api: FastifyPluginAsync<ComplaintsContext> = async (plain, ctx) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const tags = ['open311'];
  const db = () => app.database.db;
  const serviceNames = async () => new Map((await listServices(db())).map((s) => [s.code, s.name]));

  app.get(
    `${BASE}/services.json`,
    {
      schema: {
        tags,
        summary: 'GeoReport v2 服务列表（由职责清单生成：职责边界事项、主要职责、其他）',
        response: { 200: z.array(Service) },
      },
    },
    async () =>
      (await listServices(db())).map((s) => ({
        service_code: s.code,
        service_name: s.name,
        description: s.description,
        metadata: false,
        type: 'realtime' as const,
        keywords: s.keywords.join(','),
        group: s.group,
      })),
  );

  app.get(
    `${BASE}/requests.json`,
    {
      schema: {
        tags,
        summary: 'GeoReport v2 工单查询（公开，不含个人信息）',
        querystring: z.object({
          service_request_id: z.string().max(1100).optional().describe('Comma-separated query codes'),
          service_code: z.string().max(40).optional(),
          start_date: z.string().max(40).optional(),
          end_date: z.string().max(40).optional(),
          status: z.string().max(20).optional().describe('open, closed or open,closed'),
          jurisdiction_id: z.string().max(100).optional(),
        }),
        response: { 200: z.array(PublicRequest), 400: Errors },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const codes = q.service_request_id
        ? q.service_request_id
            .split(',')
            .map((c) => c.trim().toUpperCase())
            .filter(Boolean)
            .slice(0, 50)
        : undefined;
      const dates = [q.start_date, q.end_date].map((d) => (d ? Date.parse(d) : null));
      if (dates.some((d) => d !== null && Number.isNaN(d)))
        return fail(reply, 400, 'start_date/end_date 须为 ISO 8601 时间');
      const now = ctx.now().getTime();
      const from = codes ? null : (dates[0] ?? now - DEFAULT_DAYS * 86_400_000);
      const statuses = (q.status ?? '').split(',').filter(Boolean);
      if (statuses.some((s) => s !== 'open' && s !== 'closed'))
        return fail(reply, 400, 'status 只能是 open 或 closed');
      const rows = await listTickets(db(), {
        codes,
        serviceCode: q.service_code,
        receivedFrom: from === null ? undefined : new Date(from).toISOString(),
        receivedTo: dates[1] === null ? undefined : new Date(dates[1]!).toISOString(),
        limit: MAX_REQUESTS,
      });
      const names = await serviceNames();
      return rows
        .map((t) => publicRequest(t, names))
        .filter((r) => statuses.length === 0 || statuses.includes(r.status));
    },
  );

  app.get(
    `${BASE}/requests/:file`,
    {
      schema: {
        tags,
        summary: 'GeoReport v2 单个工单（requests/{service_request_id}.json，公开，不含个人信息）',
        params: z.object({ file: z.string().max(40).describe('<service_request_id>.json') }),
        response: { 200: z.array(PublicRequest), 404: Errors },
      },
    },
    async (req, reply) => {
      const m = /^([0-9A-Za-z-]{1,20})\.json$/.exec(req.params.file);
      if (!m) return fail(reply, 404, '只提供 JSON 格式：requests/{service_request_id}.json');
      const [t] = await listTickets(db(), { codes: [m[1]!.toUpperCase()], limit: 1 });
      if (!t) return fail(reply, 404, `没有查询码为 ${m[1]} 的工单`);
      return [publicRequest(t, await serviceNames())];
    },
  );

  app.post(
    `${BASE}/requests.json`,
    {
      schema: {
        tags,
        summary: 'GeoReport v2 提交工单（api_key 为 zhize token create 创建的令牌）',
        response: {
          200: z.array(
            z.object({
              service_request_id: z.string(),
              service_notice: z.string(),
              account_id: z.string().nullable(),
            }),
          ),
          400: Errors,
          403: Errors,
        },
      },
    },
    async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      let user: Awaited<ReturnType<typeof userOfApiKey>>;
      try {
        user = await userOfApiKey(app, body.api_key);
      } catch {
        return fail(reply, 403, 'api_key 无效、已过期或已吊销');
      }
      if (!complaintAbilities.canRole('intake', user))
        return fail(reply, 403, complaintAbilities.refusal('intake'));
      const serviceCode = text(body, 'service_code');
      const services = await serviceNames();
      if (!services.has(serviceCode)) return fail(reply, 400, 'service_code 不在 services.json 中');
      const address = text(body, 'address_string');
      const lat = text(body, 'lat');
      const long = text(body, 'long');
      if (address === '' && (lat === '' || long === '')) {
        return fail(reply, 400, '须提供 address_string，或 lat 和 long');
      }
      const kindText = text(body, 'attribute[kind]') || text(body, 'kind') || 'complaint';
      const kind = (KINDS as readonly string[]).includes(kindText) ? kindText : null;
      if (!kind) return fail(reply, 400, `attribute[kind] 只能是 ${KINDS.join('、')}`);
      const name = `${text(body, 'last_name')}${text(body, 'first_name')}`;
      const phone = text(body, 'phone');
      try {
        const r = await fileComplaint(app.database.db, app.database.dialect, {
          values: {
            kind,
            description: text(body, 'description'),
            place: address || `${lat},${long}`,
            contactName: name,
            contactPhone: phone,
            contactEmail: text(body, 'email'),
            anonymous: kind === 'report' && name === '' && phone === '',
            // The client must have obtained the person's consent; GeoReport has no field for it.
            consent: true,
            serviceCode,
            externalRef: text(body, 'account_id') || text(body, 'device_id'),
          },
          channel: 'open311',
          user,
          now: ctx.now(),
        });
        return [
          {
            service_request_id: r.code,
            service_notice: SERVICE_NOTICE,
            account_id: text(body, 'account_id') || null,
          },
        ];
      } catch (e) {
        if (e instanceof AppError && e.status === 400) return fail(reply, 400, e.message);
        throw e;
      }
    },
  );
};
