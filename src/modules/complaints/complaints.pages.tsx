import { timingSafeEqual } from 'node:crypto';
import type {
  FastifyError,
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
} from 'fastify';
import type { AppError } from '../../http/errors.ts';
import { attempt, fieldOf } from '../../http/forms.ts';
import { pageContext } from '../../views/portal/context.ts';
import { Layout } from '../../views/portal/layout.tsx';
import { sendPage } from '../../views/render.ts';
import { contactFor } from '../contacts/index.ts';
import {
  ATTACHMENT_LIMITS,
  acceptUploads,
  keepPending,
  pendingUploads,
  uploadProblem,
} from './complaint.attachments.ts';
import type { Kind } from './complaint.clocks.ts';
import { rateTicket } from './complaint.closing.service.ts';
import { loadTicketByCode, type TicketRow } from './complaint.repo.ts';
import { fileComplaint, normaliseSecret, secretHash } from './complaint.service.ts';
import type { ComplaintsContext } from './complaints.context.ts';
import {
  complaintUrls,
  FiledPage,
  FormPage,
  HONEYPOT,
  Hotline,
  Page,
  TrackForm,
  TrackResult,
} from './complaints.public.views.tsx';
import { emptyForm } from './complaints.views.tsx';

/**
 * The public side of 12312 (phone first, no login): the form, the page with the query code and
 * secret, and following a ticket with them (status, replies, the satisfaction follow-up). Filing
 * is rate-limited per address, bodies are size-limited, and a honeypot field catches form robots.
 * A refused form comes back filled in, with the error beside each field; its valid attachments are
 * kept for an hour so they need not be chosen again.
 */

const INTAKE_FIELDS = [
  'kind',
  'description',
  'businessName',
  'businessUscc',
  'place',
  'occurredOn',
  'contactName',
  'contactPhone',
  'contactEmail',
  'anonymous',
  'consent',
] as const;

export function formValues(req: FastifyRequest): Record<string, string> {
  const v: Record<string, string> = {};
  for (const f of INTAKE_FIELDS) v[f] = fieldOf(req, f);
  return v;
}

export const intakeOf = (v: Record<string, string>) => ({
  kind: v.kind as Kind,
  description: v.description,
  businessName: v.businessName,
  businessUscc: v.businessUscc,
  place: v.place,
  occurredOn: v.occurredOn,
  contactName: v.contactName,
  contactPhone: v.contactPhone,
  contactEmail: v.contactEmail,
  anonymous: v.anonymous === '1',
  consent: v.consent === '1',
});

/** One message per field from a refused input's details (Zod issues or our own). */
export function errorsOf(error: AppError): Record<string, string> {
  const out: Record<string, string> = {};
  const details = Array.isArray(error.details)
    ? (error.details as Array<{ path?: unknown[]; message?: string }>)
    : [];
  for (const d of details) {
    const key = String(d.path?.[0] ?? '_');
    if (d.message) out[key] ??= d.message;
  }
  if (Object.keys(out).length === 0) out._ = error.message;
  return out;
}

const sameHash = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** The ticket a code and secret open, or the reason they do not (the same words for a wrong code or secret). */
async function ticketOfSecret(
  app: FastifyInstance,
  code: string,
  secret: string,
): Promise<TicketRow | string> {
  const t = await loadTicketByCode(app.database.db, code.trim().toUpperCase());
  if (t && t.secret_hash === null) return '这件事项已超过保存期限，个人信息已删除，不能再在网上查询';
  if (!t || normaliseSecret(secret) === '' || !sameHash(t.secret_hash!, secretHash(secret))) {
    return '查询码或查询密码不正确，请核对后再试';
  }
  return t;
}

/** A plain page for refusals that happen before a handler runs (too many requests, a body too large). */
function refusalHandler(error: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  // Too many form fields is a malformed request (400), not a large one.
  const malformed = error.code === 'FST_FIELDS_LIMIT' || error.code === 'FST_PARTS_LIMIT';
  const status = malformed ? 400 : (error.statusCode ?? 500);
  if (status !== 429 && status !== 413 && !malformed) throw error;
  const message = malformed
    ? '提交的表单字段过多，请从本站表单重新提交。'
    : status === 429
      ? '提交过于频繁，请稍后再试；紧急情况请拨打 12312。'
      : `提交的内容太大：每个附件不超过 ${ATTACHMENT_LIMITS.fileBytes / 1024 / 1024} MB，最多 ${ATTACHMENT_LIMITS.files} 个。`;
  return sendPage(
    reply,
    <Page ctx={pageContext(req, reply)} title="未能提交">
      <h1>未能提交</h1>
      <p>{message}</p>
      <p>
        <a href={complaintUrls.form()}>返回</a>
      </p>
    </Page>,
    status,
  );
}

const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

export { complaintUrls };

export const complaintPortalPages: FastifyPluginAsync<ComplaintsContext> = async (app, ctx) => {
  const csrf = app.portalCsrf.preHandler;
  const db = () => app.database.db;
  const limit = (k: keyof ComplaintsContext['limits']) => ({
    rateLimit: { max: ctx.limits[k].max, timeWindow: ctx.limits[k].windowMs },
  });

  app.get(complaintUrls.index(), { schema: { hide: true } }, async (req, reply) =>
    sendPage(
      reply,
      <Layout title="举报投诉" ctx={pageContext(req, reply)} section="complaints">
        <h1>商务领域举报投诉</h1>
        <p>
          受理商务领域的举报、投诉、申诉和咨询（12312）。系统根据本局公布的职责清单确定承办科室；属于其他部门的事项，按职责边界清单转办。
        </p>
        <ul class="link-list big-links">
          <li>
            <a href={complaintUrls.form()}>网上举报投诉</a>
          </li>
          <li>
            <a href={complaintUrls.track()}>查询办理进度</a>
          </li>
          <li>
            <a href="/complaints/stats">举报投诉统计</a>
          </li>
        </ul>
        <Hotline />
      </Layout>,
    ),
  );

  app.get(complaintUrls.form(), { schema: { hide: true } }, async (req, reply) =>
    sendPage(reply, <FormPage ctx={pageContext(req, reply)} form={emptyForm()} uploadToken="" kept={[]} />),
  );

  // The filing route lives in its own scope: only it parses multipart bodies.
  await app.register(async (scope) => {
    await acceptUploads(scope);
    scope.post(
      complaintUrls.form(),
      {
        schema: { hide: true },
        bodyLimit: (ATTACHMENT_LIMITS.files + 1) * ATTACHMENT_LIMITS.fileBytes,
        config: limit('file'),
        errorHandler: refusalHandler,
        preHandler: csrf,
      },
      async (req, reply) => {
        noStore(reply);
        const now = ctx.now();
        const values = formValues(req);
        const uploads = req.uploads ?? [];
        let token = fieldOf(req, 'uploadToken');
        const kept = token ? await pendingUploads(db(), token, now) : [];
        if (kept.length === 0) token = '';
        const refuse = async (errors: Record<string, string>) => {
          // Valid new uploads are kept for the next attempt; bad ones are named beside the field.
          const problem = uploadProblem(uploads, kept.length);
          if (problem) errors.attachments ??= problem;
          else if (uploads.length > 0) {
            token = await db()
              .transaction()
              .execute((tx) => keepPending(tx, token || null, uploads, now));
          }
          const nowKept = token ? await pendingUploads(db(), token, now) : [];
          return sendPage(
            reply,
            <FormPage
              ctx={pageContext(req, reply)}
              form={{ values, errors }}
              uploadToken={token}
              kept={nowKept}
            />,
            400,
          );
        };
        if (fieldOf(req, HONEYPOT) !== '') return refuse({ _: '提交未被接受，请刷新页面后重新填写。' });
        const r = await attempt(() =>
          fileComplaint(app.database.db, app.database.dialect, {
            values: intakeOf(values),
            channel: 'web',
            user: null,
            uploads,
            pendingToken: token || null,
            pendingCount: kept.length,
            now,
          }),
        );
        if (!r.ok) return refuse(errorsOf(r.error));
        const card = await contactFor(app.database.db, {
          departmentId: r.value.proposal.departmentId,
          officeId: r.value.proposal.officeId,
        });
        return sendPage(
          reply,
          <FiledPage
            ctx={pageContext(req, reply)}
            code={r.value.code}
            secret={r.value.secret}
            kind={values.kind!}
            proposal={r.value.proposal}
            card={card}
          />,
        );
      },
    );
  });

  app.get(complaintUrls.track(), { schema: { hide: true } }, async (req, reply) =>
    sendPage(reply, <TrackForm ctx={pageContext(req, reply)} />),
  );

  app.post(
    complaintUrls.track(),
    {
      schema: { hide: true },
      bodyLimit: 16 * 1024,
      config: limit('track'),
      errorHandler: refusalHandler,
      preHandler: csrf,
    },
    async (req, reply) => {
      noStore(reply);
      const code = fieldOf(req, 'code');
      const secret = fieldOf(req, 'secret');
      const t = await ticketOfSecret(app, code, secret);
      if (typeof t === 'string')
        return sendPage(reply, <TrackForm ctx={pageContext(req, reply)} error={t} code={code} />, 400);
      return sendPage(reply, await TrackResult({ ctx: pageContext(req, reply), app, t, secret }));
    },
  );

  app.post(
    complaintUrls.rate(),
    {
      schema: { hide: true },
      bodyLimit: 16 * 1024,
      config: limit('track'),
      errorHandler: refusalHandler,
      preHandler: csrf,
    },
    async (req, reply) => {
      noStore(reply);
      const secret = fieldOf(req, 'secret');
      const t = await ticketOfSecret(app, fieldOf(req, 'code'), secret);
      if (typeof t === 'string') {
        return sendPage(
          reply,
          <TrackForm ctx={pageContext(req, reply)} error={t} code={fieldOf(req, 'code')} />,
          400,
        );
      }
      const values = { satisfaction: fieldOf(req, 'satisfaction'), comment: fieldOf(req, 'comment') };
      const r = await attempt(() =>
        db()
          .transaction()
          .execute((tx) => rateTicket(tx, null, t.id, values, ctx.now())),
      );
      if (!r.ok) {
        const status = r.error.status;
        return sendPage(
          reply,
          await TrackResult({
            ctx: pageContext(req, reply),
            app,
            t,
            secret,
            rating: { values, errors: errorsOf(r.error) },
          }),
          status,
        );
      }
      const fresh = (await loadTicketByCode(db(), t.code))!;
      const notice = r.value.reopened
        ? '已收到您的评价。您对答复不满意，这件事项已重新交承办科室办理。'
        : '已收到您的评价，谢谢。';
      return sendPage(
        reply,
        await TrackResult({ ctx: pageContext(req, reply), app, t: fresh, secret, notice }),
      );
    },
  );
};
