import { chinaDateTime } from '../../../lib/china-time.ts';
import { ConfirmFields } from '../../../views/staff/confirm.tsx';
import { type Column, StackTable } from '../../../views/table.tsx';
import { Csrf } from '../shared/staff.views.tsx';
import { ANSWER_NAME, ANSWERS } from './checklist.ts';
import { type DueDate, daysUntil, publicationDeadline, toLocalInput } from './due.ts';
import type { AttachmentMeta, TaskInspector } from './inspection.repo.ts';
import type { TaskListItem, TaskView } from './inspection.service.ts';
import { ATTACHMENT_LIMITS } from './media.ts';
import { RESULT_CATEGORIES } from './result.categories.ts';

/** The pieces of the inspectors' pages: the task list, the record form, attachments, confirmations. */

export const taskUrl = (id: number) => `/admin/supervision/tasks/${id}`;

/** "今天到期" / "还有 3 天" / "已逾期 2 天". */
export function dueText(daysLeft: number | null): string {
  if (daysLeft === null) return '';
  if (daysLeft === 0) return '今天到期';
  return daysLeft > 0 ? `还有 ${daysLeft} 天` : `已逾期 ${-daysLeft} 天`;
}

export function Due({ due, daysLeft }: { due: DueDate | null; daysLeft: number | null }) {
  if (!due) return <span class="muted">—</span>;
  return (
    <>
      <strong>{due.date}</strong>{' '}
      <span class={daysLeft !== null && daysLeft <= 0 ? 'due-soon' : ''}>{dueText(daysLeft)}</span>
      <br />
      <span class="hint">{due.source}</span>
    </>
  );
}

const inspectorsText = (list: readonly TaskInspector[]) =>
  list.map((i) => `${i.name}（${i.certificate}）`).join('、');

export function TaskTable({ tasks, withPlan }: { tasks: readonly TaskListItem[]; withPlan: boolean }) {
  const columns: ReadonlyArray<Column<TaskListItem> | false> = [
    {
      label: '检查对象',
      cell: (t) => (
        <>
          <a href={taskUrl(t.id)}>{t.name}</a>
          <br />
          <code>{t.uscc}</code>
        </>
      ),
    },
    { label: '完成期限', cell: (t) => <Due due={t.due} daysLeft={t.open ? t.daysLeft : null} /> },
    { label: '地址', cell: (t) => t.address ?? `${t.county}（名录库未登记地址）` },
    { label: '许可证号', cell: (t) => t.licenceNo ?? '—' },
    withPlan && { label: '计划', cell: (t) => `${t.planTitle} · 第${t.position}项` },
    { label: '执法人员', cell: (t) => inspectorsText(t.inspectors) },
    { label: '状态', cell: (t) => t.statusName },
  ];
  return <StackTable rows={tasks} columns={columns} className="stack task-table" />;
}

// ───────────────────────────── the task page ─────────────────────────────

export function TaskFacts({ view }: { view: TaskView }) {
  const { ctx, due } = view;
  return (
    <dl class="record-fields">
      <dt>统一社会信用代码</dt>
      <dd>
        <code>{ctx.task.uscc}</code>
      </dd>
      <dt>地址</dt>
      <dd>{ctx.entity.address ?? `${ctx.task.county}（名录库未登记地址）`}</dd>
      <dt>许可证</dt>
      <dd>
        {ctx.entity.licenceNo ?? '—'}
        {ctx.entity.licenceValidUntil ? `（有效期至 ${ctx.entity.licenceValidUntil}）` : ''}
      </dd>
      <dt>计划</dt>
      <dd>
        {ctx.plan.status === 'targeted' ? (
          <>{ctx.plan.title}（不经抽取，不在抽查计划中公布）</>
        ) : (
          <>
            <a href={`/supervision/plans/${ctx.plan.id}`}>{ctx.plan.title}</a> · 任务第 {ctx.task.position} 项
          </>
        )}
      </dd>
      <dt>完成期限</dt>
      <dd>
        <Due due={due} daysLeft={due ? daysUntil(due.date) : null} />
      </dd>
      <dt>执法人员</dt>
      <dd>
        {ctx.inspectors.map((i, k) => (
          <>
            {k > 0 ? '、' : ''}
            {i.name}（{i.certificate}）{view.me?.inspectorId === i.inspectorId ? '（您）' : ''}
          </>
        ))}
      </dd>
    </dl>
  );
}

const nowLocal = () => toLocalInput(new Date().toISOString());

/** The on-site record form: basic facts, the checklist, the result. */
export function RecordForm({ view, token }: { view: TaskView; token: string }) {
  const r = view.inspection;
  const action = `${taskUrl(view.ctx.task.id)}/record`;
  return (
    <form method="post" action={action} class="stack-form record-form">
      <Csrf token={token} />
      <fieldset>
        <legend>检查基本情况</legend>
        <label>
          检查时间
          <input
            type="datetime-local"
            name="checkedAt"
            value={r?.checked_at ? toLocalInput(r.checked_at) : nowLocal()}
          />
        </label>
        <label>
          检查地点
          <input type="text" name="place" maxLength={300} value={r?.place ?? view.ctx.entity.address ?? ''} />
        </label>
        <label>
          被检查单位在场人员（姓名）
          <input
            type="text"
            name="representative"
            maxLength={100}
            value={r?.representative ?? ''}
            autocomplete="off"
          />
        </label>
        <label>
          在场人员职务
          <input type="text" name="representativeRole" maxLength={100} value={r?.representative_role ?? ''} />
        </label>
        <label class="check">
          <input type="checkbox" name="refused" value="1" checked={r?.refused === 1} /> 被检查单位拒绝配合检查
        </label>
        <label>
          拒绝配合的具体情况（勾选上一项时必填：时间、经过、在场人员的表态）
          <textarea name="refusalNote" rows={3} maxLength={2000}>
            {r?.refusal_note ?? ''}
          </textarea>
        </label>
      </fieldset>
      <fieldset class="checklist">
        <legend>
          检查清单（{view.items.filter((i) => !i.heading).length} 项，出自本制度的“监督检查内容”）
        </legend>
        {view.items.map((item) =>
          item.heading ? (
            <p class="check-heading">
              {item.text}
              {item.line ? <span class="hint">（原文第{item.line}行）</span> : null}
            </p>
          ) : (
            <fieldset class="check-item" id={`item-${item.position}`}>
              <legend>
                {item.text}
                {item.line ? <span class="hint">（原文第{item.line}行）</span> : null}
              </legend>
              <div class="answers">
                {ANSWERS.map((a) => (
                  <label class="check">
                    <input
                      type="radio"
                      name={`answer-${item.position}`}
                      value={a}
                      checked={item.answer === a}
                    />{' '}
                    {ANSWER_NAME[a]}
                  </label>
                ))}
              </div>
              <label>
                说明（可空）
                <input type="text" name={`note-${item.position}`} maxLength={500} value={item.note ?? ''} />
              </label>
            </fieldset>
          ),
        )}
      </fieldset>
      <label>
        其他情况（可空）
        <textarea name="notes" rows={3} maxLength={2000}>
          {r?.notes ?? ''}
        </textarea>
      </label>
      <fieldset>
        <legend>检查结果（经审核后公示）</legend>
        <label>
          结果类别
          <select name="resultCode">
            <option value="">请选择</option>
            {RESULT_CATEGORIES.map((c) => (
              <option value={c.code} selected={r?.result_code === c.code}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          结果说明（发现问题的须填写；将在门户公示，不要写执法人员姓名或个人隐私）
          <textarea name="resultSummary" rows={3} maxLength={500}>
            {r?.result_summary ?? ''}
          </textarea>
        </label>
      </fieldset>
      <button type="submit">保存笔录</button>
      <p class="hint">保存后，每名执法人员须用自己的账号分别确认；保存会使已有的确认失效。</p>
    </form>
  );
}

/** The record as read by everyone else (and by the inspectors once it is submitted). */
export function RecordSummary({ view }: { view: TaskView }) {
  const r = view.inspection;
  if (!r) return <p class="muted">执法人员尚未填写现场检查笔录。</p>;
  const category = RESULT_CATEGORIES.find((c) => c.code === r.result_code);
  return (
    <>
      <dl class="record-fields">
        <dt>检查时间</dt>
        <dd>{r.checked_at ? chinaDateTime(r.checked_at) : '—'}</dd>
        <dt>检查地点</dt>
        <dd>{r.place ?? '—'}</dd>
        <dt>在场人员</dt>
        <dd>
          {r.representative ?? '—'}
          {r.representative_role ? `（${r.representative_role}）` : ''}
        </dd>
        {r.refused === 1 ? (
          <>
            <dt>拒绝配合检查</dt>
            <dd>{r.refusal_note}</dd>
          </>
        ) : null}
        <dt>其他情况</dt>
        <dd>{r.notes ?? '—'}</dd>
        <dt>检查结果</dt>
        <dd>
          {category?.name ?? '未填写'}
          {r.result_summary ? `：${r.result_summary}` : ''}
        </dd>
      </dl>
      <StackTable
        caption="检查清单"
        rows={view.items.filter((i) => !i.heading)}
        columns={[
          { label: '序号', cell: (i) => i.position },
          { label: '检查内容', cell: (i) => i.text },
          {
            label: '检查情况',
            cell: (i) => (i.answer ? ANSWER_NAME[i.answer as keyof typeof ANSWER_NAME] : '未填'),
          },
          { label: '说明', cell: (i) => i.note ?? '' },
        ]}
      />
    </>
  );
}

const kb = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;

const REMOVED_NAME: Record<string, string> = {
  exif: 'EXIF（含GPS位置）',
  xmp: 'XMP',
  iptc: 'IPTC',
  comment: '注释',
  mpf: '附加图像',
  text: '文字信息',
  time: '时间',
  'trailing-data': '文件尾部附加数据',
};

export function Attachments({
  taskId,
  attachments,
  token,
  canAdd,
}: {
  taskId: number;
  attachments: readonly AttachmentMeta[];
  token: string;
  canAdd: boolean;
}) {
  const href = (a: AttachmentMeta) => `${taskUrl(taskId)}/attachments/${a.id}`;
  return (
    <section aria-labelledby="attachments-h">
      <h2 id="attachments-h">照片和文件（{attachments.length}）</h2>
      {attachments.length === 0 ? <p class="muted">尚无附件。</p> : null}
      <ul class="attachments">
        {attachments.map((a) => (
          <li>
            {a.content_type.startsWith('image/') ? (
              <img src={href(a)} alt={`现场照片：${a.filename}`} width={96} />
            ) : null}
            <a href={href(a)}>{a.filename}</a>{' '}
            <span class="hint">
              {kb(a.size)} · SHA-256 <code>{a.sha256.slice(0, 12)}…</code>
              {a.removed
                ? ` · 已去除${a.removed
                    .split(',')
                    .map((k) => REMOVED_NAME[k] ?? k)
                    .join('、')}`
                : ''}
            </span>
          </li>
        ))}
      </ul>
      {canAdd ? (
        <form
          method="post"
          action={`${taskUrl(taskId)}/attachments`}
          enctype="multipart/form-data"
          class="stack-form"
        >
          <Csrf token={token} />
          <label>
            添加照片或 PDF（照片不超过 {ATTACHMENT_LIMITS.photoBytes / 1024 / 1024} MB，PDF 不超过{' '}
            {ATTACHMENT_LIMITS.pdfBytes / 1024 / 1024} MB；照片的位置等信息会自动去除）
            <input type="file" name="file" accept="image/jpeg,image/png,application/pdf" required />
          </label>
          <button type="submit">上传</button>
        </form>
      ) : null}
    </section>
  );
}

export function Confirmations({
  view,
  token,
  missing,
}: {
  view: TaskView;
  token: string;
  missing: string[];
}) {
  const r = view.inspection;
  const current = new Set(
    view.confirmations.filter((c) => c.version === r?.version).map((c) => c.inspectorId),
  );
  const mine = view.me && r ? current.has(view.me.inspectorId) : false;
  return (
    <section aria-labelledby="confirm-h">
      <h2 id="confirm-h">执法人员确认{r ? `（第 ${r.version} 版）` : ''}</h2>
      <ul>
        {view.ctx.inspectors.map((i) => {
          const c = view.confirmations.find(
            (x) => x.inspectorId === i.inspectorId && x.version === r?.version,
          );
          return (
            <li>
              {i.name}（{i.certificate}）：{c ? `已于 ${chinaDateTime(c.confirmedAt)} 确认` : '尚未确认'}
            </li>
          );
        })}
      </ul>
      {view.me && r && !mine ? (
        missing.length > 0 ? (
          <p class="notice notice-error">还不能确认，缺少：{missing.join('；')}。</p>
        ) : (
          <form method="post" action={`${taskUrl(view.ctx.task.id)}/confirm`} class="stack-form">
            <Csrf token={token} />
            <input type="hidden" name="version" value={String(r.version)} />
            <label class="check">
              <input type="checkbox" name="confirm" value="yes" required /> 我已核对第 {r.version}{' '}
              版笔录的全部内容，确认无误
            </label>
            <button type="submit">确认笔录</button>
          </form>
        )
      ) : null}
    </section>
  );
}

export function ConflictForm({ view, token }: { view: TaskView; token: string }) {
  return (
    <details class="panel">
      <summary>发现与检查对象有利害关系？申报回避</summary>
      <p>
        申报后您将退出这项任务，替换人员按公开规则确定：在已公布的执法人员名录中，按 HMAC-SHA256(抽取种子,
        统一社会信用代码 ":" 执法证号)
        由小到大，取第一位不在本任务中、且与该检查对象无利害关系的执法人员（计划限定属地的，仅限本县或市本级）。
        申报和替换结果（含理由）将在门户的计划公告中公示。
      </p>
      <form method="post" action={`${taskUrl(view.ctx.task.id)}/conflict`} class="stack-form">
        <Csrf token={token} />
        <ConfirmFields
          consequence="申报后您将退出这项任务，替换结果立即生效并公示。"
          reason={{ label: '回避理由（将公示，请勿写入他人隐私）', required: true }}
          idPrefix="conflict"
        />
        <button type="submit" class="secondary danger">
          申报回避
        </button>
      </form>
    </details>
  );
}

export function DeadlineNote({ checkedOn }: { checkedOn: string | null }) {
  if (!checkedOn) return null;
  const d = publicationDeadline(checkedOn);
  return (
    <p class={d.overdue || d.error ? 'notice notice-error' : 'meta'}>
      {d.date
        ? `检查日期 ${checkedOn}，结果应于 ${d.date} 前公示（检查之日起20个工作日）${d.overdue ? '：已逾期' : ''}`
        : d.error}
    </p>
  );
}
