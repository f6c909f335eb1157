import type { FastifyInstance } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { PageContext } from '../../views/portal/context.ts';
import { Layout } from '../../views/portal/layout.tsx';
import { HOTLINES, telHref } from '../../views/portal/phone.ts';
import { type ContactCard, ContactCardView, contactFor } from '../contacts/index.ts';
import { ACCEPTED_TYPES_ZH, ATTACHMENT_LIMITS } from './complaint.attachments.ts';
import { checksOfTicket } from './complaint.check.service.ts';
import { KIND_NAME, type Kind } from './complaint.clocks.ts';
import { dueOf } from './complaint.presenter.ts';
import { listEvents, listReplies, type TicketRow } from './complaint.repo.ts';
import type { Proposal } from './complaint.routing.ts';
import { SATISFACTION_NAME, SATISFACTIONS } from './complaint.schema.ts';
import { currentRouting } from './complaint.service.ts';
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

/** The public complaint pages' views: the form, the filed page, following a ticket. */

export const complaintUrls = {
  index: () => '/complaints',
  form: () => '/complaints/new',
  track: () => '/complaints/track',
  rate: () => '/complaints/track/rate',
} as const;

/** The honeypot field's name: people never see or fill it. */
export const HONEYPOT = 'website';

export function Page({
  ctx,
  title,
  children,
}: {
  ctx: PageContext;
  title: string;
  children: ComponentChildren;
}) {
  return (
    <Layout
      title={title}
      ctx={ctx}
      section="complaints"
      crumbs={[{ href: complaintUrls.index(), label: '举报投诉' }]}
    >
      {children}
    </Layout>
  );
}

export function Hotline() {
  return (
    <p>
      也可以拨打商务举报投诉电话 <a href={telHref(HOTLINES.commerce) ?? undefined}>{HOTLINES.commerce}</a>
      （工作日）；不属于商务部门的事项请拨打{' '}
      <a href={telHref(HOTLINES.general) ?? undefined}>{HOTLINES.general}</a>。
    </p>
  );
}

export function FormPage({
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

export function FiledPage({
  ctx,
  code,
  secret,
  kind,
  proposal,
  card,
}: {
  ctx: PageContext;
  code: string;
  secret: string;
  kind: string;
  proposal: Proposal;
  /** How to reach the department or office the lists name (the directory). */
  card: ContactCard | null;
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
      <ContactCardView
        card={card}
        heading={proposal.outcome === 'transfer' ? '该部门的联系方式' : '承办单位联系方式'}
      />
      {proposal.outcome === 'none' ? <Hotline /> : null}
      <p>
        <a class="button" href={complaintUrls.track()}>
          查询办理进度
        </a>
      </p>
    </Page>
  );
}

export function TrackForm({ ctx, error, code }: { ctx: PageContext; error?: string; code?: string }) {
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

export async function TrackResult({
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
  // Before it is routed, the contact of the department or office the lists propose.
  const proposal = t.department_id === null ? (await currentRouting(app.database.db, t.id)).proposal : null;
  const [events, replies, checks, card] = await Promise.all([
    listEvents(app.database.db, t.id),
    listReplies(app.database.db, t.id),
    checksOfTicket(app.database.db, t.code),
    contactFor(app.database.db, {
      departmentId: t.department_id ?? proposal?.department_id ?? null,
      officeId: t.department_id !== null ? t.office_id : (proposal?.office_id ?? null),
    }),
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
      {checks.length > 0 ? (
        <section aria-labelledby="checks-h">
          <h2 id="checks-h">现场检查</h2>
          {checks.map((c) => (
            <p>
              已对 {c.name} 安排现场检查。
              {c.result ? (
                <>
                  检查结果（{c.result.checkedOn ?? ''}）：<strong>{c.result.name}</strong>
                  {c.result.summary ? `——${c.result.summary}` : ''}
                </>
              ) : (
                '检查结果经审核后在这里公布。'
              )}
            </p>
          ))}
        </section>
      ) : null}
      <h2>答复</h2>
      <Replies replies={replies} />
      <ContactCardView
        card={card}
        heading={t.status === 'transferred' ? '转办部门的联系方式' : '承办单位联系方式'}
      />
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
