import { chinaDateTime } from '../../lib/china-time.ts';
import { shorten } from '../../lib/text.ts';
import { Csrf } from '../../views/staff/page.tsx';
import type { TargetedCheckOut } from '../supervision/index.ts';
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
  mayDraft = false,
}: {
  t: TicketOut;
  token: string;
  disputes: DisputeRow[];
  coordinate: boolean;
  /** May write the draft change set of a noted list issue (admins). */
  mayDraft?: boolean;
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
          {d.list_issue ? (
            <div class="list-issue">
              <p>
                <strong>清单问题：{LIST_ISSUE_NAME[d.list_issue] ?? d.list_issue}</strong>——
                {d.list_issue_note}
              </p>
              {d.change_set_id !== null ? (
                <p>
                  已起草职责边界清单调整单：
                  <a href={`/admin/changes/${d.change_set_id}`}>调整单 {d.change_set_id}</a>
                  （草稿，补充具体调整后提交审核）
                </p>
              ) : mayDraft ? (
                <form method="post" action={staffUrls.action(t.id, 'draft-list-change')} class="action-form">
                  <Csrf token={token} />
                  <input type="hidden" name="disputeId" value={String(d.id)} />
                  <button type="submit" class="secondary">
                    起草职责边界清单调整单
                  </button>
                </form>
              ) : (
                <p class="muted">待系统管理员起草职责边界清单调整单。</p>
              )}
            </div>
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
          <fieldset>
            <legend>这次协调是否发现清单本身的问题</legend>
            {(
              [
                ['', '没有'],
                ['gap', '清单空白：没有部门的职责写到这件事'],
                ['overlap', '清单交叉：几个部门的职责都写到这件事'],
              ] as const
            ).map(([value, label]) => (
              <label class="check">
                <input
                  type="radio"
                  name="listIssue"
                  value={value}
                  checked={v(failed, 'settle', 'listIssue', '') === value}
                />{' '}
                {label}
              </label>
            ))}
            <p class="hint">
              选择空白或交叉的，系统起草一份职责边界清单调整单（草稿），附上双方引用的原文和本决定。
            </p>
          </fieldset>
          <label for="settle-issue-note">
            清单需要怎样调整（发现问题时必填）
            <textarea id="settle-issue-note" name="listIssueNote" rows={2} maxLength={500}>
              {v(failed, 'settle', 'listIssueNote')}
            </textarea>
          </label>
          <button type="submit">作出决定</button>
        </form>
      ) : null}
    </section>
  );
}

const LIST_ISSUE_NAME: Record<string, string> = { gap: '清单空白', overlap: '清单交叉' };

/** The checks the 举报 opened (依举报检查), and the form to open one. */
export function CheckPanel({
  t,
  token,
  checks,
  mayOpen,
  inspectors,
  capState,
  failed,
}: {
  t: TicketOut;
  token: string;
  checks: TargetedCheckOut[];
  mayOpen: boolean;
  inspectors: Array<{ id: number; certificate: string; name: string }>;
  capState: { name: string; checks: number; cap: number; capSource: string } | null;
  failed: FailedForm | null;
}) {
  if (checks.length === 0 && !mayOpen) return null;
  const chosen =
    failed && failed.action === 'open-check' ? (failed.values.inspectorIds ?? '').split(',') : [];
  return (
    <section aria-labelledby="check-h">
      <h2 id="check-h">依举报检查</h2>
      {checks.map((c) => (
        <div class="check-outcome">
          <p>
            <strong>{c.name}</strong>（<code>{c.uscc}</code>）：
            <a href={`/admin/supervision/tasks/${c.taskId}`}>检查任务</a> · {c.statusName} · 执法证号{' '}
            {c.inspectors.join('、')} · 完成期限 {c.due ?? '—'} · 本年度第 {c.checksInYear} 次检查
          </p>
          <p class="muted">事由：{c.reason}</p>
          {c.result ? (
            <p>
              检查结果（{c.result.checkedOn ?? ''} 检查，经审核）：<strong>{c.result.name}</strong>
              {c.result.summary ? `——${c.result.summary}` : ''}
            </p>
          ) : (
            <p class="muted">检查结果经审核后在这里显示。</p>
          )}
        </div>
      ))}
      {mayOpen && checks.length === 0 ? (
        <form method="post" action={staffUrls.action(t.id, 'open-check')} class="action-form stack-form">
          <Csrf token={token} />
          <h3>安排现场检查（不经抽取）</h3>
          {capState ? (
            <p>
              {capState.name}本年度已检查 {capState.checks} 次；年度检查次数上限 {capState.cap} 次（
              {capState.capSource}）。依举报的检查计入次数
              {capState.checks >= capState.cap ? '，已达上限：须写明超过上限的理由' : ''}。
            </p>
          ) : null}
          <label for="check-uscc">
            被检查经营者的统一社会信用代码
            <input
              id="check-uscc"
              name="uscc"
              maxLength={30}
              value={v(failed, 'open-check', 'uscc', t.businessUscc ?? '')}
            />
          </label>
          <fieldset>
            <legend>执法人员（至少2名，与该经营者有利害关系的不能选）</legend>
            {inspectors.map((i) => (
              <label class="check">
                <input
                  type="checkbox"
                  name="inspectorIds"
                  value={String(i.id)}
                  checked={chosen.includes(String(i.id))}
                />{' '}
                {i.name}（{i.certificate}）
              </label>
            ))}
          </fieldset>
          <ReasonField
            id="check-reason"
            label="检查事由"
            value={v(failed, 'open-check', 'reason')}
            required
          />
          <label for="check-overcap">
            超过年度上限的理由（达到上限时必填）
            <input
              id="check-overcap"
              name="overCapReason"
              maxLength={300}
              value={v(failed, 'open-check', 'overCapReason')}
            />
          </label>
          <button type="submit">安排检查</button>
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
