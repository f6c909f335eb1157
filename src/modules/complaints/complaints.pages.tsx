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
import { type PageContext, pageContext } from '../../views/portal/context.ts';
import { Layout } from '../../views/portal/layout.tsx';
import { HOTLINES, telHref } from '../../views/portal/phone.ts';
import { sendPage } from '../../views/render.ts';
import {
  ACCEPTED_TYPES_ZH,
  ATTACHMENT_LIMITS,
  acceptUploads,
  keepPending,
  pendingUploads,
  uploadProblem,
} from './complaint.attachments.ts';
import { KIND_NAME, type Kind } from './complaint.clocks.ts';
import { rateTicket } from './complaint.closing.service.ts';
import { dueOf } from './complaint.presenter.ts';
import { listEvents, listReplies, loadTicketByCode, type TicketRow } from './complaint.repo.ts';
import type { Proposal } from './complaint.routing.ts';
import { SATISFACTION_NAME, SATISFACTIONS } from './complaint.schema.ts';
import { fileComplaint, normaliseSecret, secretHash } from './complaint.service.ts';
import type { ComplaintsContext } from './complaints.context.ts';
import {
  ErrorSummary,
  emptyForm,
  FieldError,
  type FormState,
  INTAKE_LABELS,
  IntakeFields,
  Replies,
  StatusBadge,
  TextArea,
  TextField,
  Timeline,
} from './complaints.views.tsx';

/**
 * The public side of 12312 (phone first, no login): the form, the page with the query code and
 * secret, and following a ticket with them (status, replies, the satisfaction follow-up). Filing
 * is rate-limited per address, bodies are size-limited, and a honeypot field catches form robots.
 * A refused form comes back filled in, with the error beside each field; its valid attachments are
 * kept for an hour so they need not be chosen again.
 */

export const complaintUrls = {
  index: () => '/complaints',
  form: () => '/complaints/new',
  track: () => '/complaints/track',
  rate: () => '/complaints/track/rate',
} as const;

/** The honeypot: people never see or fill it (off-screen, hidden from assistive technology). */
const HONEYPOT = 'website';

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

function Page({
  ctx,
  title,
  children,
}: {
  ctx: PageContext;
  title: string;
  children: preact.ComponentChildren;
}) {
  return (
    <Layout title={title} ctx={ctx} crumbs={[{ href: complaintUrls.index(), label: '举报投诉' }]}>
      {children}
    </Layout>
  );
}

function Hotline() {
  return (
    <p>
      也可以拨打商务举报投诉电话 <a href={telHref(HOTLINES.commerce) ?? undefined}>{HOTLINES.commerce}</a>
      （工作日）；不属于商务部门的事项请拨打{' '}
      <a href={telHref(HOTLINES.general) ?? undefined}>{HOTLINES.general}</a>。
    </p>
  );
}

function FormPage({
  ctx,
  form,
  uploadToken,
  kept,
}: {
  ctx: PageContext;
  form: FormState;
  uploadToken: string;
  kept: Array<{ filename: string; size: number }>;
}) {
  const attachments = (
    <fieldset class={form.errors.attachments ? 'has-error' : undefined}>
      <legend>照片或材料</legend>
      <div class="field">
        <label for="f-attachments">
          附件<span class="opt">（选填）</span>
        </label>
        <p class="hint" id="f-attachments-hint">
          最多 {ATTACHMENT_LIMITS.files} 个，每个不超过 {ATTACHMENT_LIMITS.fileBytes / 1024 / 1024} MB；
          {ACCEPTED_TYPES_ZH}。附件只给工作人员查看。
        </p>
        {kept.length > 0 ? (
          <ul class="kept-files">
            {kept.map((k) => (
              <li>
                已保留：{k.filename}（{Math.ceil(k.size / 1024)} KB），无需重新选择
              </li>
            ))}
          </ul>
        ) : null}
        <input
          id="f-attachments"
          type="file"
          name="attachments"
          multiple
          accept="image/jpeg,image/png,image/webp,image/heic,application/pdf"
          aria-describedby={
            form.errors.attachments ? 'f-attachments-hint f-attachments-error' : 'f-attachments-hint'
          }
          aria-invalid={form.errors.attachments ? 'true' : undefined}
        />
        <FieldError id="f-attachments" error={form.errors.attachments} />
      </div>
    </fieldset>
  );
  return (
    <Page ctx={ctx} title="网上举报投诉">
      <h1>网上举报投诉</h1>
      <p>商务领域的举报、投诉、申诉和咨询。提交后您会得到查询码和查询密码，凭它们查看办理进度和答复。</p>
      <Hotline />
      <ErrorSummary form={form} labels={INTAKE_LABELS} />
      <form
        method="post"
        action={complaintUrls.form()}
        enctype="multipart/form-data"
        class="stack-form intake-form"
        novalidate
      >
        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
        <input type="hidden" name="back" value={complaintUrls.form()} />
        <input type="hidden" name="uploadToken" value={uploadToken} />
        <IntakeFields form={form} attachments={attachments} />
        <div class="hp" aria-hidden="true">
          <label for="f-website">网址（请勿填写）</label>
          <input id="f-website" name={HONEYPOT} type="text" tabindex={-1} autocomplete="off" />
        </div>
        <button type="submit">提交</button>
      </form>
    </Page>
  );
}

function FiledPage({
  ctx,
  code,
  secret,
  kind,
  proposal,
}: {
  ctx: PageContext;
  code: string;
  secret: string;
  kind: string;
  proposal: Proposal;
}) {
  return (
    <Page ctx={ctx} title="已收到">
      <h1>已收到您的{KIND_NAME[kind as Kind] ?? '反映'}</h1>
      <div class="notice notice-ok" role="status">
        <p>请记下下面两项，凭它们查看办理进度和答复。查询密码只显示这一次。</p>
        <dl class="code-box">
          <dt>查询码</dt>
          <dd>
            <code id="query-code">{code}</code>
          </dd>
          <dt>查询密码</dt>
          <dd>
            <code id="query-secret">{secret}</code>
          </dd>
        </dl>
      </div>
      <h2>初步判断</h2>
      {proposal.outcome === 'none' ? (
        <p>{proposal.reason}</p>
      ) : (
        <>
          <p>
            根据职责清单，此事项初步判断由
            <strong>
              {proposal.department}
              {proposal.office ? ` ${proposal.office}` : ''}
            </strong>
            {proposal.outcome === 'transfer'
              ? '负责；工作人员确认后将转办。'
              : '办理；工作人员将在受理时确认。'}
          </p>
          <blockquote class="cite">{proposal.reason}</blockquote>
        </>
      )}
      <p>
        <a class="button" href={complaintUrls.track()}>
          查询办理进度
        </a>
      </p>
    </Page>
  );
}

function TrackForm({ ctx, error, code }: { ctx: PageContext; error?: string; code?: string }) {
  const form: FormState = { values: { code: code ?? '', secret: '' }, errors: error ? { code: error } : {} };
  return (
    <Page ctx={ctx} title="查询办理进度">
      <h1>查询办理进度</h1>
      <form method="post" action={complaintUrls.track()} class="stack-form">
        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
        <input type="hidden" name="back" value={complaintUrls.track()} />
        <TextField form={form} name="code" label="查询码" required maxLength={20} hint="例如 261203-K7Q3M" />
        <TextField form={form} name="secret" label="查询密码" required maxLength={20} />
        <button type="submit">查询</button>
      </form>
      <p>
        还没有提交？<a href={complaintUrls.form()}>网上举报投诉</a>
      </p>
    </Page>
  );
}

async function TrackResult({
  ctx,
  app,
  t,
  secret,
  notice,
  rating,
}: {
  ctx: PageContext;
  app: FastifyInstance;
  t: TicketRow;
  secret: string;
  notice?: string;
  rating?: FormState;
}) {
  const [events, replies] = await Promise.all([
    listEvents(app.database.db, t.id),
    listReplies(app.database.db, t.id),
  ]);
  const canRate = (t.status === 'resolved' || t.status === 'unresolved') && t.satisfaction === null;
  const form = rating ?? emptyForm();
  const due = dueOf(t);
  return (
    <Page ctx={ctx} title={`查询码 ${t.code}`}>
      <h1>
        查询码 <code>{t.code}</code>
      </h1>
      {notice ? (
        <p class="notice notice-ok" role="status">
          {notice}
        </p>
      ) : null}
      <dl class="record-fields">
        <dt>类型</dt>
        <dd>{KIND_NAME[t.kind as Kind] ?? t.kind}</dd>
        <dt>状态</dt>
        <dd>
          <StatusBadge status={t.status} />
        </dd>
        <dt>收到日期</dt>
        <dd>{t.received_on}</dd>
        {t.department ? (
          <>
            <dt>{t.status === 'transferred' ? '转办至' : '承办'}</dt>
            <dd>
              {t.department}
              {t.office ? ` ${t.office}` : ''}
            </dd>
          </>
        ) : null}
        {due ? (
          <>
            <dt>{t.status === 'received' ? '受理期限' : '答复期限'}</dt>
            <dd>{due}（按法定工作日计算）</dd>
          </>
        ) : null}
        {t.satisfaction ? (
          <>
            <dt>您的评价</dt>
            <dd>{SATISFACTION_NAME[t.satisfaction as keyof typeof SATISFACTION_NAME]}</dd>
          </>
        ) : null}
      </dl>
      <h2>答复</h2>
      <Replies replies={replies} />
      <h2>办理经过</h2>
      <Timeline events={events} publicView />
      {canRate ? (
        <section aria-labelledby="rate-h">
          <h2 id="rate-h">对答复是否满意</h2>
          <ErrorSummary form={form} labels={{ satisfaction: '评价', comment: '意见' }} />
          <form method="post" action={complaintUrls.rate()} class="stack-form">
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <input type="hidden" name="back" value={complaintUrls.track()} />
            <input type="hidden" name="code" value={t.code} />
            <input type="hidden" name="secret" value={secret} />
            <fieldset id="f-satisfaction" class="choices">
              <legend>
                评价<span class="req">（必填）</span>
              </legend>
              {SATISFACTIONS.map((s) => (
                <label class="choice">
                  <input
                    type="radio"
                    name="satisfaction"
                    value={s}
                    checked={form.values.satisfaction === s}
                    required
                  />{' '}
                  <span>{SATISFACTION_NAME[s]}</span>
                </label>
              ))}
              <FieldError id="f-satisfaction" error={form.errors.satisfaction} />
            </fieldset>
            <TextArea
              form={form}
              name="comment"
              label="意见"
              hint="选择“不满意”时请写明原因，我们会重新办理。"
              rows={3}
              maxLength={500}
            />
            <button type="submit">提交评价</button>
          </form>
        </section>
      ) : null}
    </Page>
  );
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
  const status = error.statusCode ?? 500;
  if (status !== 429 && status !== 413) throw error;
  const message =
    status === 429
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

export const complaintPortalPages: FastifyPluginAsync<ComplaintsContext> = async (app, ctx) => {
  const csrf = app.portalCsrf.preHandler;
  const db = () => app.database.db;
  const limit = (k: keyof ComplaintsContext['limits']) => ({
    rateLimit: { max: ctx.limits[k].max, timeWindow: ctx.limits[k].windowMs },
  });

  app.get(complaintUrls.index(), { schema: { hide: true } }, async (req, reply) =>
    sendPage(
      reply,
      <Layout title="举报投诉" ctx={pageContext(req, reply)}>
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
        return sendPage(
          reply,
          <FiledPage
            ctx={pageContext(req, reply)}
            code={r.value.code}
            secret={r.value.secret}
            kind={values.kind!}
            proposal={r.value.proposal}
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
