import { chinaDateTime } from '../../lib/china-time.ts';
import { shorten } from '../../lib/text.ts';
import { Csrf } from '../../views/staff/page.tsx';
import { KIND_RULES, type Kind, RETURN_WINDOW, sourceLine } from './complaint.clocks.ts';
import type { TicketOut } from './complaint.presenter.ts';
import type { DisputeRow, RoutingRow, ShareChoice, WorkItemChoice } from './complaint.repo.ts';
import { SATISFACTION_NAME, SATISFACTIONS } from './complaint.schema.ts';
import { type FailedForm, type Option, staffUrls } from './complaints.staff.views.tsx';

/** The action forms of a ticket page: one per action its state and the person's abilities allow. */

const v = (failed: FailedForm | null, action: string, name: string, fallback = '') =>
  failed && failed.action === action ? (failed.values[name] ?? fallback) : fallback;

function OfficeSelect({
  name,
  offices,
  selected,
  id,
}: {
  name: string;
  offices: Option[];
  selected: string;
  id: string;
}) {
  return (
    <select id={id} name={name}>
      <option value="">（请选择）</option>
      {offices.map((o) => (
        <option value={String(o.id)} selected={selected === String(o.id)}>
          {o.name}
        </option>
      ))}
    </select>
  );
}

function ShareSelect({
  shares,
  selected,
  id,
  ownerId,
}: {
  shares: ShareChoice[];
  selected: string;
  id: string;
  ownerId: number;
}) {
  const others = shares.filter((s) => s.departmentId !== ownerId);
  const matters = [...new Map(others.map((s) => [s.matterId, s])).values()];
  return (
    <select id={id} name="shareId">
      <option value="">（不引用职责分工：清单中没有写明）</option>
      {matters.map((m) => (
        <optgroup label={`${m.matterSeq} ${m.matter}`}>
          {others
            .filter((s) => s.matterId === m.matterId)
            .map((s) => (
              <option value={String(s.id)} selected={selected === String(s.id)}>
                {s.department}：{shorten(s.text, 40)}
              </option>
            ))}
        </optgroup>
      ))}
    </select>
  );
}

function ReasonField({
  id,
  label,
  value,
  required,
}: {
  id: string;
  label: string;
  value: string;
  required?: boolean;
}) {
  return (
    <label for={id}>
      {label}
      {required ? '（必填）' : ''}
      <textarea id={id} name="reason" rows={2} maxLength={500} required={required}>
        {value}
      </textarea>
    </label>
  );
}

export interface DispatchProps {
  t: TicketOut;
  token: string;
  proposal: RoutingRow | null;
  offices: Option[];
  departments: Option[];
  shares: ShareChoice[];
  ownerId: number;
  failed: FailedForm | null;
}

/** 受理并分派 / 转办 / 不予受理. */
export function DispatchForms({
  t,
  token,
  proposal,
  offices,
  departments,
  shares,
  ownerId,
  failed,
}: DispatchProps) {
  const proposedOffice =
    proposal && proposal.transfer === 0 && proposal.office_id ? String(proposal.office_id) : '';
  const proposedShare =
    proposal && proposal.transfer === 1 && proposal.share_id ? String(proposal.share_id) : '';
  return (
    <section aria-labelledby="dispatch-h" class="action-forms">
      <h2 id="dispatch-h">受理与分派</h2>
      <form method="post" action={staffUrls.action(t.id, 'assign')} class="action-form stack-form">
        <Csrf token={token} />
        <h3>受理并分派给本局科室</h3>
        <label for="assign-office">
          承办科室
          <OfficeSelect
            id="assign-office"
            name="officeId"
            offices={offices}
            selected={v(failed, 'assign', 'officeId', proposedOffice)}
          />
        </label>
        <ReasonField
          id="assign-reason"
          label="更正理由（与建议不同时必填，作为分派样例保存）"
          value={v(failed, 'assign', 'reason')}
        />
        <button type="submit">受理并分派</button>
      </form>
      <form method="post" action={staffUrls.action(t.id, 'transfer')} class="action-form stack-form">
        <Csrf token={token} />
        <h3>转办其他部门</h3>
        <label for="transfer-share">
          依据的职责分工（职责边界清单）
          <ShareSelect
            id="transfer-share"
            shares={shares}
            ownerId={ownerId}
            selected={v(failed, 'transfer', 'shareId', proposedShare)}
          />
        </label>
        <label for="transfer-department">
          清单中没有写明时，转办的部门
          <OfficeSelect
            id="transfer-department"
            name="departmentId"
            offices={departments}
            selected={v(failed, 'transfer', 'departmentId')}
          />
        </label>
        <ReasonField
          id="transfer-reason"
          label="理由（与建议不同时必填）"
          value={v(failed, 'transfer', 'reason')}
        />
        <button type="submit">转办</button>
      </form>
      <form method="post" action={staffUrls.action(t.id, 'reject')} class="action-form stack-form">
        <Csrf token={token} />
        <h3>不予受理</h3>
        <ReasonField
          id="reject-reason"
          label="不予受理的理由（告知反映人）"
          value={v(failed, 'reject', 'reason')}
          required
        />
        <button type="submit" class="secondary danger">
          不予受理
        </button>
      </form>
    </section>
  );
}

export interface HandleProps {
  t: TicketOut;
  token: string;
  failed: FailedForm | null;
  /** Working days the office has held it; null when it cannot be counted. */
  held: number | null;
  mayReturn: boolean;
  workItems: WorkItemChoice[];
  shares: ShareChoice[];
}

/** 答复办结 / 延期 / 退回. */
export function HandleForms({ t, token, failed, held, mayReturn, workItems, shares }: HandleProps) {
  const ext = KIND_RULES[t.kind as Kind].extension;
  return (
    <section aria-labelledby="handle-h" class="action-forms">
      <h2 id="handle-h">办理</h2>
      <form method="post" action={staffUrls.action(t.id, 'reply')} class="action-form stack-form">
        <Csrf token={token} />
        <h3>书面答复并办结</h3>
        <fieldset>
          <legend>办理结果</legend>
          <label class="check">
            <input
              type="radio"
              name="outcome"
              value="resolved"
              checked={v(failed, 'reply', 'outcome', 'resolved') === 'resolved'}
            />{' '}
            已办结-已解决
          </label>
          <label class="check">
            <input
              type="radio"
              name="outcome"
              value="unresolved"
              checked={v(failed, 'reply', 'outcome') === 'unresolved'}
            />{' '}
            已办结-未解决
          </label>
        </fieldset>
        <label for="reply-doc">
          文号（必填）
          <input id="reply-doc" name="docNumber" maxLength={60} value={v(failed, 'reply', 'docNumber')} />
        </label>
        <label for="reply-body">
          答复内容（必填，反映人可以看到）
          <textarea id="reply-body" name="body" rows={5} maxLength={5000}>
            {v(failed, 'reply', 'body')}
          </textarea>
        </label>
        <ReasonField
          id="reply-reason"
          label="未解决的原因（选“未解决”时必填）"
          value={v(failed, 'reply', 'reason')}
        />
        <button type="submit">答复并办结</button>
      </form>
      {ext.maxTimes > t.extensions ? (
        <form method="post" action={staffUrls.action(t.id, 'extend')} class="action-form stack-form">
          <Csrf token={token} />
          <h3>延期</h3>
          <p class="hint">
            最多 {ext.maxTimes} 次、共 {ext.maxDays} 个工作日。{sourceLine(ext.source)}
          </p>
          <label for="extend-days">
            延长工作日数
            <input
              id="extend-days"
              name="days"
              type="number"
              min={1}
              max={ext.maxDays}
              value={v(failed, 'extend', 'days')}
            />
          </label>
          <ReasonField id="extend-reason" label="延期理由" value={v(failed, 'extend', 'reason')} required />
          <button type="submit" class="secondary">
            延期
          </button>
        </form>
      ) : null}
      {mayReturn ? (
        <form method="post" action={staffUrls.action(t.id, 'return')} class="action-form stack-form">
          <Csrf token={token} />
          <h3>不属于本科室：退回</h3>
          <p class="hint">
            须在收到后 {RETURN_WINDOW.days} 个工作日内退回，并引用清单中的职责（已过 {held ?? '?'}{' '}
            个工作日）。
          </p>
          <label for="return-cited">
            引用的清单条目
            <select id="return-cited" name="cited">
              <option value="">（请选择）</option>
              <optgroup label="部门职责清单">
                {workItems.map((w) => (
                  <option
                    value={`workItem:${w.id}`}
                    selected={v(failed, 'return', 'cited') === `workItem:${w.id}`}
                  >
                    {w.dutySeq}. {shorten(w.text, 36)}（{shorten(w.offices, 14)}）
                  </option>
                ))}
              </optgroup>
              <optgroup label="职责边界清单">
                {shares.map((s) => (
                  <option value={`share:${s.id}`} selected={v(failed, 'return', 'cited') === `share:${s.id}`}>
                    {s.matterSeq} {s.matter} · {s.department}：{shorten(s.text, 30)}
                  </option>
                ))}
              </optgroup>
            </select>
          </label>
          <ReasonField id="return-reason" label="退回理由" value={v(failed, 'return', 'reason')} required />
          <button type="submit" class="secondary danger">
            退回
          </button>
        </form>
      ) : null}
    </section>
  );
}

/** Both sides' citations and the coordinator's decision. */
export function DisputePanel({
  t,
  token,
  disputes,
  coordinate,
  offices,
  shares,
  ownerId,
  failed,
}: {
  t: TicketOut;
  token: string;
  disputes: DisputeRow[];
  coordinate: boolean;
  offices: Option[];
  shares: ShareChoice[];
  ownerId: number;
  failed: FailedForm | null;
}) {
  if (disputes.length === 0) return null;
  const open = disputes.find((d) => d.decision === null);
  return (
    <section aria-labelledby="dispute-h">
      <h2 id="dispute-h">退回与协调</h2>
      {disputes.map((d) => (
        <div class="dispute">
          <div class="dispute-side">
            <h3>分派依据</h3>
            <blockquote class="cite">{d.dispatch_citation ?? '（分派时没有引用）'}</blockquote>
          </div>
          <div class="dispute-side">
            <h3>{d.office}退回的依据</h3>
            <blockquote class="cite">{d.cited_text}</blockquote>
            <p>退回理由：{d.reason}</p>
            <p class="muted">{chinaDateTime(d.returned_at)}</p>
          </div>
          {d.decision ? (
            <p>
              协调决定：
              {{ kept: '维持原分派', reassigned: '改派', transferred: '转办' }[d.decision] ?? d.decision}——
              {d.decision_reason}
            </p>
          ) : null}
        </div>
      ))}
      {open && coordinate && t.status === 'returned' ? (
        <form method="post" action={staffUrls.action(t.id, 'settle')} class="action-form stack-form">
          <Csrf token={token} />
          <h3>协调决定</h3>
          <fieldset>
            <legend>决定</legend>
            {(
              [
                ['keep', `维持原分派（${open.office}办理）`],
                ['reassign', '改派本局其他科室'],
                ['transfer', '转办其他部门'],
              ] as const
            ).map(([value, label]) => (
              <label class="check">
                <input
                  type="radio"
                  name="decision"
                  value={value}
                  checked={v(failed, 'settle', 'decision', 'keep') === value}
                />{' '}
                {label}
              </label>
            ))}
          </fieldset>
          <label for="settle-office">
            改派的科室
            <OfficeSelect
              id="settle-office"
              name="officeId"
              offices={offices}
              selected={v(failed, 'settle', 'officeId')}
            />
          </label>
          <label for="settle-share">
            转办依据的职责分工
            <ShareSelect
              id="settle-share"
              shares={shares}
              ownerId={ownerId}
              selected={v(failed, 'settle', 'shareId')}
            />
          </label>
          <ReasonField id="settle-reason" label="决定理由" value={v(failed, 'settle', 'reason')} required />
          <button type="submit">作出决定</button>
        </form>
      ) : null}
    </section>
  );
}

export function RatingForm({ t, token, failed }: { t: TicketOut; token: string; failed: FailedForm | null }) {
  return (
    <form method="post" action={staffUrls.action(t.id, 'rate')} class="action-form stack-form">
      <Csrf token={token} />
      <h3>登记回访结果</h3>
      <fieldset>
        <legend>反映人的评价</legend>
        {SATISFACTIONS.map((s) => (
          <label class="check">
            <input
              type="radio"
              name="satisfaction"
              value={s}
              checked={v(failed, 'rate', 'satisfaction') === s}
            />{' '}
            {SATISFACTION_NAME[s]}
          </label>
        ))}
      </fieldset>
      <label for="rate-comment">
        意见（不满意时必填）
        <textarea id="rate-comment" name="comment" rows={2} maxLength={500}>
          {v(failed, 'rate', 'comment')}
        </textarea>
      </label>
      <button type="submit" class="secondary">
        登记
      </button>
    </form>
  );
}

export function ContactForm({ t, token }: { t: TicketOut; token: string }) {
  return (
    <form method="post" action={staffUrls.action(t.id, 'contact')} class="action-form stack-form">
      <Csrf token={token} />
      <label for="contact-reason">
        查看完整联系方式的理由（必填，记入审计日志）
        <input id="contact-reason" name="reason" maxLength={500} required />
      </label>
      <button type="submit" class="secondary">
        查看联系方式
      </button>
    </form>
  );
}
