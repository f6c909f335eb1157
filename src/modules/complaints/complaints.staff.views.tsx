import { chinaDateTime } from '../../lib/china-time.ts';
import { safeHref } from '../../views/safe-url.ts';
import { KIND_RULES, type Kind, sourceLine } from './complaint.clocks.ts';
import type { Contact, TicketOut } from './complaint.presenter.ts';
import type { AttachmentMeta, RoutingRow } from './complaint.repo.ts';
import { StatusBadge } from './complaints.views.tsx';

/** The back-office pieces of a ticket page: facts, the proposal, and one form per action. */

export const staffUrls = {
  list: () => '/admin/complaints',
  create: () => '/admin/complaints',
  new: () => '/admin/complaints/new',
  ticket: (id: number) => `/admin/complaints/${id}`,
  action: (id: number, action: string) => `/admin/complaints/${id}/${action}`,
  attachment: (id: number, a: number) => `/admin/complaints/${id}/attachments/${a}`,
} as const;

export interface Option {
  id: number;
  name: string;
}

/** What the last refused form of the page typed, so it comes back filled. */
export interface FailedForm {
  action: string;
  values: Record<string, string>;
}

export function ContactBlock({ t, contact }: { t: TicketOut; contact: Contact }) {
  if (contact.anonymous) return <p>匿名举报，未留联系方式。</p>;
  return (
    <dl class="record-fields">
      <dt>姓名</dt>
      <dd>{contact.name ?? '—'}</dd>
      <dt>电话</dt>
      <dd>{contact.phone ?? '—'}</dd>
      <dt>电子邮箱</dt>
      <dd>{contact.email ?? '—'}</dd>
      {contact.masked ? null : (
        <>
          <dt>说明</dt>
          <dd class="muted">此次查看已记入审计日志（工单 {t.code}）。</dd>
        </>
      )}
    </dl>
  );
}

export function Facts({
  t,
  attachments,
  mayOpen,
}: {
  t: TicketOut;
  attachments: AttachmentMeta[];
  mayOpen: boolean;
}) {
  return (
    <dl class="record-fields">
      <dt>类型 / 渠道</dt>
      <dd>
        {t.kindName} · {t.channelName}
        {t.externalRef ? `（外部工单号 ${t.externalRef}）` : ''}
      </dd>
      <dt>状态</dt>
      <dd>
        <StatusBadge status={t.status} />
        {t.overdue ? <strong class="overdue"> 已超期</strong> : null}
      </dd>
      <dt>发生了什么</dt>
      <dd class="reply-body">{t.description}</dd>
      <dt>经营者</dt>
      <dd>
        {t.businessName ?? '—'}
        {t.businessUscc ? `（${t.businessUscc}）` : ''}
      </dd>
      <dt>地点 / 日期</dt>
      <dd>
        {t.place ?? '—'} / {t.occurredOn ?? '—'}
      </dd>
      <dt>收到</dt>
      <dd>{chinaDateTime(t.receivedAt)}</dd>
      <dt>受理期限</dt>
      <dd>{t.acceptDue ?? '节假日安排未公布，期限待定'}</dd>
      <dt>答复期限</dt>
      <dd>
        {t.replyDue ?? (t.status === 'received' ? '受理后计算' : '—')}
        {t.extendedDays > 0 ? `（已延长 ${t.extendedDays} 个工作日）` : ''}
        <span class="hint"> {sourceLine(KIND_RULES[t.kind as Kind].reply.source)}</span>
      </dd>
      <dt>承办</dt>
      <dd>
        {t.department ?? '—'}
        {t.office ? ` · ${t.office}` : ''}
        {t.assignedOn ? `（${t.assignedOn} 收到）` : ''}
      </dd>
      {t.outcomeReason ? (
        <>
          <dt>结果说明</dt>
          <dd>{t.outcomeReason}</dd>
        </>
      ) : null}
      {t.satisfactionName ? (
        <>
          <dt>评价</dt>
          <dd>{t.satisfactionName}</dd>
        </>
      ) : null}
      <dt>附件</dt>
      <dd>
        {attachments.length === 0 ? (
          '无'
        ) : (
          <ul class="plain">
            {attachments.map((a) => (
              <li>
                {mayOpen ? <a href={staffUrls.attachment(t.id, a.id)}>{a.filename}</a> : a.filename}（
                {a.content_type}，{Math.ceil(a.size / 1024)} KB，SHA-256 <code>{a.sha256.slice(0, 16)}…</code>
                ）
              </li>
            ))}
          </ul>
        )}
      </dd>
    </dl>
  );
}

/** The resolver's proposal with its citing sentence, and the next answers. */
export function ProposalBox({ proposal }: { proposal: RoutingRow | null }) {
  if (!proposal) return null;
  return (
    <section aria-labelledby="proposal-h" class="proposal">
      <h2 id="proposal-h">按职责清单的分派建议</h2>
      {proposal.no_match === 1 ? (
        <p>
          <strong>清单中没有对应的事项。</strong>
        </p>
      ) : (
        <p>
          <strong>
            {proposal.department}
            {proposal.office ? ` · ${proposal.office}` : ''}
          </strong>
          {proposal.transfer === 1 ? '（其他部门的职责：应转办）' : ''}
        </p>
      )}
      {proposal.reason ? <blockquote class="cite">{proposal.reason}</blockquote> : null}
      {proposal.share_text && proposal.transfer === 1 ? (
        <p>该部门的职责分工：“{proposal.share_text}”</p>
      ) : null}
      {proposal.source_url && safeHref(proposal.source_url) ? (
        <a class="src" href={safeHref(proposal.source_url)!}>
          查看清单原文
        </a>
      ) : null}
    </section>
  );
}
