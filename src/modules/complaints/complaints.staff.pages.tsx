import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Tx } from '../../db/database.ts';
import { notFound } from '../../http/errors.ts';
import { attempt, fieldOf, fieldsOf, queryOf } from '../../http/forms.ts';
import { idParam } from '../../http/params.ts';
import { chinaDateTime } from '../../lib/china-time.ts';
import { CalendarCoverageError } from '../../lib/workdays.ts';
import { csrfToken, doneNotice, type Notice, sendStaffPage } from '../../views/staff/page.tsx';
import type { SessionUser } from '../auth/index.ts';
import { ContactCardView, contactFor } from '../contacts/index.ts';
import { activeInspectors } from '../supervision/index.ts';
import { capStateOf, checksOfTicket, openCheckForTicket } from './complaint.check.service.ts';
import { RETURN_WINDOW } from './complaint.clocks.ts';
import { extendTicket, rateTicket, replyTicket } from './complaint.closing.service.ts';
import { daysHeld, draftListChange, returnTicket, settleDispute } from './complaint.dispute.service.ts';
import { type ComplaintAction, complaintAbilities } from './complaint.policy.ts';
import { type Contact, presentTicket, targetOf } from './complaint.presenter.ts';
import { readAttachment, revealContact } from './complaint.privacy.service.ts';
import {
  departmentsExcept,
  listAttachments,
  listDisputes,
  listEvents,
  listReplies,
  listShares,
  listTickets,
  listWorkItems,
  officesOf,
  ownerDepartment,
  type TicketFilter,
} from './complaint.repo.ts';
import { CHANNEL_NAME } from './complaint.schema.ts';
import {
  assignTicket,
  currentRouting,
  fileComplaint,
  rejectTicket,
  ticketFor,
  todayOf,
  transferTicket,
} from './complaint.service.ts';
import { ENDED, OPEN } from './complaint.workflow.ts';
import type { ComplaintsContext } from './complaints.context.ts';
import {
  CheckPanel,
  ContactForm,
  DispatchForms,
  DisputePanel,
  HandleForms,
  RatingForm,
} from './complaints.forms.views.tsx';
import { errorsOf, formValues, intakeOf } from './complaints.pages.tsx';
import { ContactBlock, Facts, type FailedForm, ProposalBox, staffUrls } from './complaints.staff.views.tsx';
import {
  ErrorSummary,
  emptyForm,
  type FormState,
  INTAKE_LABELS,
  IntakeFields,
  Replies,
  RoutingHistory,
  StatusBadge,
  Timeline,
} from './complaints.views.tsx';

/**
 * 举报投诉 in the back office: the list (contact details masked), the operator's form for phone
 * calls, and the ticket page with the forms its state and the person's abilities allow. Every
 * action runs in a transaction with its audit entry; a refusal the person can fix re-renders the
 * page with what they typed.
 */

const DONE: Record<string, string> = {
  assign: '已受理并分派。',
  transfer: '已转办。',
  reject: '已不予受理。',
  return: '已退回，等待协调。',
  settle: '已作出协调决定。',
  extend: '已延期。',
  reply: '已答复并办结。',
  rate: '已登记回访结果。',
  'open-check': '已安排现场检查，检查任务已派给所选执法人员。',
  'draft-list-change': '已起草职责边界清单调整单。',
};

const FILTERS: Record<string, { label: string; status?: readonly string[] }> = {
  open: { label: '办理中', status: OPEN },
  overdue: { label: '已超期', status: OPEN },
  returned: { label: '待协调', status: ['returned'] },
  ended: { label: '已办结', status: ENDED },
  all: { label: '全部' },
};

/** The tickets a person may read: an editor's are their offices' and their own entries. */
function scopeOf(user: SessionUser): Pick<TicketFilter, 'officeIds' | 'createdBy'> {
  return user.role === 'editor' ? { officeIds: user.officeIds, createdBy: user.id } : {};
}

export const complaintStaffPages: FastifyPluginAsync<ComplaintsContext> = async (app, ctx) => {
  const csrf = app.staffCsrf.preHandler;
  const db = () => app.database.db;
  const guard = (a: ComplaintAction) => complaintAbilities.guard(a);

  async function detailPage(
    req: FastifyRequest,
    reply: FastifyReply,
    id: number,
    opts: {
      notice?: Notice | null;
      status?: number;
      failed?: FailedForm | null;
      contact?: Contact;
      filed?: { code: string; secret: string };
    } = {},
  ) {
    const user = req.user!;
    const row = await ticketFor(db(), id);
    complaintAbilities.assert('read', user, targetOf(row));
    const today = todayOf(ctx.now());
    const t = presentTicket(row, today);
    const target = targetOf(row);
    const owner = await ownerDepartment(db());
    const [routing, events, replies, disputes, attachments, offices, departments, shares, workItems] =
      await Promise.all([
        currentRouting(db(), id),
        listEvents(db(), id),
        listReplies(db(), id),
        listDisputes(db(), id),
        listAttachments(db(), id),
        owner ? officesOf(db(), owner.id) : [],
        owner ? departmentsExcept(db(), owner.id) : [],
        listShares(db()),
        listWorkItems(db()),
      ]);
    const token = csrfToken(req, reply);
    const can = (a: ComplaintAction) => complaintAbilities.can(a, user, target);
    const proposed = routing.proposal;
    const [checks, inspectors, capState, card] = await Promise.all([
      checksOfTicket(db(), row.code),
      can('openCheck') ? activeInspectors(db()) : [],
      can('openCheck') ? capStateOf(db(), row.business_uscc, ctx.now()) : null,
      contactFor(db(), {
        departmentId: row.department_id ?? proposed?.department_id ?? null,
        officeId: row.department_id !== null ? row.office_id : (proposed?.office_id ?? null),
      }),
    ]);
    let held: number | null = null;
    if (row.assigned_on) {
      try {
        held = daysHeld(row.assigned_on, today);
      } catch (e) {
        if (!(e instanceof CalendarCoverageError)) throw e;
      }
    }
    const settledKept = disputes.some((d) => d.office_id === row.office_id && d.decision === 'kept');
    const mayReturn = held !== null && held <= RETURN_WINDOW.days && !settledKept;
    const failed = opts.failed ?? null;
    return sendStaffPage(req, reply, {
      title: `工单 ${t.code}`,
      status: opts.status,
      notice: opts.notice ?? doneNotice(req, DONE),
      children: (
        <>
          <p>
            <a href={staffUrls.list()}>← 举报投诉</a>
          </p>
          <h1>
            {t.kindName} <code>{t.code}</code>
          </h1>
          {opts.filed ? (
            <div class="notice notice-ok" role="status">
              <p>已登记。请告知来电人：</p>
              <p>
                查询码 <code id="query-code">{opts.filed.code}</code>　查询密码{' '}
                <code id="query-secret">{opts.filed.secret}</code>
                （只显示这一次）
              </p>
            </div>
          ) : null}
          <Facts t={t} attachments={attachments} mayOpen={can('readAttachment')} />
          <section aria-labelledby="contact-h">
            <h2 id="contact-h">反映人</h2>
            <ContactBlock t={t} contact={opts.contact ?? t.contact} />
            {!opts.contact && !t.contact.anonymous && !t.erased && can('seeContact') ? (
              <ContactForm t={t} token={token} />
            ) : null}
          </section>
          <ProposalBox proposal={routing.proposal} />
          {row.status === 'received' && can('dispatch') && owner ? (
            <DispatchForms
              t={t}
              token={token}
              proposal={routing.proposal}
              offices={offices}
              departments={departments}
              shares={shares}
              ownerId={owner.id}
              failed={failed}
            />
          ) : null}
          {row.status === 'assigned' && can('handle') ? (
            <HandleForms
              t={t}
              token={token}
              failed={failed}
              held={held}
              mayReturn={mayReturn}
              workItems={workItems}
              shares={shares}
            />
          ) : null}
          <DisputePanel
            t={t}
            token={token}
            disputes={disputes}
            coordinate={can('coordinate')}
            offices={offices}
            shares={shares}
            ownerId={owner?.id ?? 0}
            failed={failed}
            mayDraft={complaintAbilities.canRole('draftListChange', user)}
          />
          <CheckPanel
            t={t}
            token={token}
            checks={checks}
            mayOpen={can('openCheck')}
            inspectors={inspectors}
            capState={capState}
            failed={failed}
          />
          <ContactCardView card={card} heading="承办单位联系方式" />
          {(row.status === 'resolved' || row.status === 'unresolved') &&
          row.satisfaction === null &&
          can('recordRating') ? (
            <RatingForm t={t} token={token} failed={failed} />
          ) : null}
          <h2>答复</h2>
          <Replies replies={replies} />
          <h2>分派记录</h2>
          <RoutingHistory rows={routing.rows} />
          <h2>办理经过</h2>
          <Timeline events={events} />
        </>
      ),
    });
  }

  app.get(staffUrls.list(), { schema: { hide: true }, preHandler: guard('read') }, async (req, reply) => {
    const user = req.user!;
    const key = Object.hasOwn(FILTERS, queryOf(req, 'show')) ? queryOf(req, 'show') : 'open';
    const filter = FILTERS[key]!;
    const today = todayOf(ctx.now());
    const rows = (await listTickets(db(), { ...scopeOf(user), status: filter.status })).map((r) =>
      presentTicket(r, today),
    );
    const shown = key === 'overdue' ? rows.filter((r) => r.overdue) : rows;
    return sendStaffPage(req, reply, {
      title: '举报投诉',
      children: (
        <>
          <h1>举报投诉（12312）</h1>
          {complaintAbilities.canRole('intake', user) ? (
            <p>
              <a class="button" href={staffUrls.new()}>
                登记来电
              </a>
            </p>
          ) : null}
          <nav aria-label="筛选" class="group-nav">
            <ul>
              {Object.entries(FILTERS).map(([k, f]) => (
                <li>
                  <a href={`${staffUrls.list()}?show=${k}`} aria-current={k === key ? 'page' : undefined}>
                    {f.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <p>
            共 {shown.length}{' '}
            件。反映人的姓名和电话在列表中隐去部分；查看完整联系方式须在工单页写明理由，并记入审计日志。
          </p>
          <table class="stack">
            <thead>
              <tr>
                <th>查询码</th>
                <th>类型</th>
                <th>收到</th>
                <th>状态</th>
                <th>承办</th>
                <th>期限</th>
                <th>反映人</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((t) => (
                <tr>
                  <td data-label="查询码">
                    <a href={staffUrls.ticket(t.id)}>
                      <code>{t.code}</code>
                    </a>
                  </td>
                  <td data-label="类型">
                    {t.kindName}（{CHANNEL_NAME[t.channel]}）
                  </td>
                  <td data-label="收到">{chinaDateTime(t.receivedAt)}</td>
                  <td data-label="状态">
                    <StatusBadge status={t.status} />
                  </td>
                  <td data-label="承办">{t.office ?? t.department ?? '待分派'}</td>
                  <td data-label="期限">
                    {t.due ?? '—'}
                    {t.overdue ? <strong class="overdue"> 已超期</strong> : null}
                  </td>
                  <td data-label="反映人">
                    {t.contact.anonymous ? '匿名' : `${t.contact.name ?? '—'} ${t.contact.phone ?? ''}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ),
    });
  });

  const newPage = (req: FastifyRequest, reply: FastifyReply, form: FormState, status = 200) =>
    sendStaffPage(req, reply, {
      title: '登记来电',
      status,
      children: (
        <>
          <h1>登记来电（12312）</h1>
          <p>按来电人所述填写；系统按职责清单给出分派建议，提交后请把查询码和查询密码告知来电人。</p>
          <ErrorSummary form={form} labels={INTAKE_LABELS} />
          <form method="post" action={staffUrls.create()} class="stack-form" novalidate>
            <input type="hidden" name="_csrf" value={csrfToken(req, reply)} />
            <IntakeFields form={form} consentLabel="已向来电人宣读以上说明，来电人同意" />
            <button type="submit">登记</button>
          </form>
        </>
      ),
    });

  app.get(staffUrls.new(), { schema: { hide: true }, preHandler: guard('intake') }, async (req, reply) =>
    newPage(req, reply, emptyForm()),
  );

  app.post(
    staffUrls.create(),
    { schema: { hide: true }, preHandler: [guard('intake'), csrf] },
    async (req, reply) => {
      const values = formValues(req);
      const r = await attempt(() =>
        fileComplaint(db(), app.database.dialect, {
          values: { ...intakeOf(values), externalRef: fieldOf(req, 'externalRef') },
          channel: 'phone',
          user: req.user!,
          now: ctx.now(),
        }),
      );
      if (!r.ok) return newPage(req, reply, { values, errors: errorsOf(r.error) }, 400);
      return detailPage(req, reply, r.value.id, { filed: { code: r.value.code, secret: r.value.secret } });
    },
  );

  app.get(
    `${staffUrls.list()}/:id`,
    { schema: { hide: true }, preHandler: guard('read') },
    async (req, reply) => {
      const id = idParam(req);
      if (id === null) throw notFound('这件举报投诉');
      return detailPage(req, reply, id);
    },
  );

  app.post(
    `${staffUrls.list()}/:id/contact`,
    { schema: { hide: true }, preHandler: [guard('seeContact'), csrf] },
    async (req, reply) => {
      const id = idParam(req);
      if (id === null) throw notFound('这件举报投诉');
      const r = await attempt(() =>
        db()
          .transaction()
          .execute((tx) => revealContact(tx, req.user!, id, fieldOf(req, 'reason'))),
      );
      if (!r.ok)
        return detailPage(req, reply, id, {
          status: r.error.status,
          notice: { kind: 'error', text: r.error.message },
        });
      reply.header('cache-control', 'no-store');
      return detailPage(req, reply, id, { contact: r.value });
    },
  );

  app.get(
    `${staffUrls.list()}/:id/attachments/:attachmentId`,
    { schema: { hide: true }, preHandler: guard('readAttachment') },
    async (req, reply) => {
      const id = idParam(req);
      const attachmentId = idParam(req, 'attachmentId');
      if (id === null || attachmentId === null) throw notFound('这个附件');
      const a = await db()
        .transaction()
        .execute((tx) => readAttachment(tx, req.user!, id, attachmentId));
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.filename)}`)
        .type(a.content_type)
        .send(Buffer.from(a.data));
    },
  );

  /** One POST action of the ticket page. */
  const action = (
    name: string,
    ability: ComplaintAction,
    fields: readonly string[],
    run: (tx: Tx, user: SessionUser, id: number, f: Record<string, string>, now: Date) => Promise<unknown>,
  ) =>
    app.post(
      `${staffUrls.list()}/:id/${name}`,
      { schema: { hide: true }, preHandler: [guard(ability), csrf] },
      async (req, reply) => {
        const id = idParam(req);
        if (id === null) throw notFound('这件举报投诉');
        // A field named …Ids is a group of checkboxes: its values joined by commas.
        const f = Object.fromEntries(
          fields.map((k) => [k, k.endsWith('Ids') ? fieldsOf(req, k).join(',') : fieldOf(req, k)]),
        );
        const r = await attempt(() =>
          db()
            .transaction()
            .execute((tx) => run(tx, req.user!, id, f, ctx.now())),
        );
        if (!r.ok) {
          return detailPage(req, reply, id, {
            status: r.error.status,
            notice: { kind: 'error', text: r.error.message },
            failed: { action: name, values: f },
          });
        }
        return reply.redirect(`${staffUrls.ticket(id)}?done=${name}`, 303);
      },
    );

  const num = (s: string | undefined) => (s && /^\d{1,10}$/.test(s) ? Number(s) : undefined);
  action('assign', 'dispatch', ['officeId', 'reason'], (tx, u, id, f, now) =>
    assignTicket(tx, u, id, { officeId: num(f.officeId) ?? 0, reason: f.reason }, now),
  );
  action('transfer', 'dispatch', ['shareId', 'departmentId', 'reason'], (tx, u, id, f, now) =>
    transferTicket(
      tx,
      u,
      id,
      { shareId: num(f.shareId), departmentId: num(f.departmentId), reason: f.reason },
      now,
    ),
  );
  action('reject', 'dispatch', ['reason'], (tx, u, id, f, now) =>
    rejectTicket(tx, u, id, { reason: f.reason! }, now),
  );
  action('return', 'handle', ['reason', 'cited'], (tx, u, id, f, now) =>
    returnTicket(tx, u, id, { reason: f.reason!, cited: f.cited! }, now),
  );
  action(
    'settle',
    'coordinate',
    ['decision', 'officeId', 'shareId', 'reason', 'listIssue', 'listIssueNote'],
    (tx, u, id, f, now) =>
      settleDispute(
        tx,
        u,
        id,
        {
          decision: f.decision === 'reassign' || f.decision === 'transfer' ? f.decision : 'keep',
          officeId: num(f.officeId),
          shareId: num(f.shareId),
          reason: f.reason!,
          listIssue: f.listIssue || null,
          listIssueNote: f.listIssueNote,
        },
        now,
      ),
  );
  action('draft-list-change', 'draftListChange', ['disputeId'], (tx, u, id, f, now) =>
    draftListChange(tx, u, id, num(f.disputeId) ?? 0, now),
  );
  action(
    'open-check',
    'openCheck',
    ['uscc', 'inspectorIds', 'reason', 'overCapReason'],
    (tx, u, id, f, now) =>
      openCheckForTicket(
        tx as Tx,
        u,
        id,
        {
          uscc: f.uscc,
          inspectorIds: (f.inspectorIds ?? '')
            .split(',')
            .flatMap((x) => (/^\d{1,10}$/.test(x) ? [Number(x)] : [])),
          reason: f.reason ?? '',
          overCapReason: f.overCapReason,
        },
        now,
        app.config.taskDueDays,
      ),
  );
  action('extend', 'handle', ['days', 'reason'], (tx, u, id, f, now) =>
    extendTicket(tx, u, id, { days: f.days!, reason: f.reason! }, now),
  );
  action('reply', 'handle', ['outcome', 'docNumber', 'body', 'reason'], (tx, u, id, f, now) =>
    replyTicket(
      tx,
      u,
      id,
      { outcome: f.outcome!, docNumber: f.docNumber!, body: f.body!, reason: f.reason },
      now,
    ),
  );
  action('rate', 'recordRating', ['satisfaction', 'comment'], (tx, u, id, f, now) =>
    rateTicket(tx, u, id, { satisfaction: f.satisfaction!, comment: f.comment }, now),
  );
};
