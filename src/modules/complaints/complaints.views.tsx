import type { ComponentChildren } from 'preact';
import { chinaDateTime } from '../../lib/china-time.ts';
import { safeHref } from '../../views/safe-url.ts';
import { KIND_HINT, KIND_NAME, KINDS } from './complaint.clocks.ts';
import type { EventRow, ReplyRow, RoutingRow } from './complaint.repo.ts';
import { CONSENT_TEXT } from './complaint.schema.ts';
import { STATUS_NAME, type Status } from './complaint.workflow.ts';

/** Building blocks of the complaint pages, public and staff. All text is escaped by Preact. */

/** What a form shows: the values typed (strings), and one error per field. */
export interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
}

export const emptyForm = (values: Record<string, string> = {}): FormState => ({ values, errors: {} });

/** The error beside a field, announced to screen readers with the field (aria-describedby). */
export function FieldError({ id, error }: { id: string; error?: string }) {
  if (!error) return null;
  return (
    <p class="field-error" id={`${id}-error`}>
      {error}
    </p>
  );
}

const described = (id: string, error: string | undefined, hint?: boolean) => {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { 'aria-describedby': ids || undefined, 'aria-invalid': error ? ('true' as const) : undefined };
};

interface TextFieldProps {
  form: FormState;
  name: string;
  label: string;
  hint?: string;
  type?: 'text' | 'tel' | 'email' | 'date';
  required?: boolean;
  maxLength?: number;
  autocomplete?: string;
  inputmode?: 'text' | 'tel' | 'email' | 'numeric';
}

/**
 * The frame every field of these forms shares: the label (必填/选填), the hint, the control and the
 * error beside it; `control` gets the field's id and the aria attributes that tie hint and error to it.
 */
function Field({
  form,
  name,
  label,
  hint,
  required,
  control,
}: Pick<TextFieldProps, 'form' | 'name' | 'label' | 'hint' | 'required'> & {
  control: (id: string, aria: ReturnType<typeof described>) => ComponentChildren;
}) {
  const id = `f-${name}`;
  const error = form.errors[name];
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={id}>
        {label}
        {required ? <span class="req">（必填）</span> : <span class="opt">（选填）</span>}
      </label>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {control(id, described(id, error, Boolean(hint)))}
      <FieldError id={id} error={error} />
    </div>
  );
}

export function TextField(props: TextFieldProps) {
  const { form, name, type, required, maxLength, autocomplete, inputmode } = props;
  return (
    <Field
      {...props}
      control={(id, aria) => (
        <input
          id={id}
          name={name}
          type={type ?? 'text'}
          value={form.values[name] ?? ''}
          required={required}
          maxLength={maxLength}
          autocomplete={autocomplete}
          inputMode={inputmode}
          {...aria}
        />
      )}
    />
  );
}

export function TextArea(props: Omit<TextFieldProps, 'type'> & { rows?: number }) {
  const { form, name, required, rows, maxLength } = props;
  return (
    <Field
      {...props}
      control={(id, aria) => (
        <textarea id={id} name={name} rows={rows ?? 5} required={required} maxLength={maxLength} {...aria}>
          {form.values[name] ?? ''}
        </textarea>
      )}
    />
  );
}

/** The list of a refused form's problems, each linking to its field. */
export function ErrorSummary({ form, labels }: { form: FormState; labels: Record<string, string> }) {
  const entries = Object.entries(form.errors);
  if (entries.length === 0) return null;
  return (
    <div class="notice notice-error" role="alert" id="form-errors">
      <p>提交没有成功，请修改以下 {entries.length} 处后再提交（已填写的内容都保留着）：</p>
      <ul>
        {entries.map(([field, message]) => (
          <li>
            <a href={`#f-${field}`}>
              {labels[field] ? `${labels[field]}：` : ''}
              {message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export const INTAKE_LABELS: Record<string, string> = {
  kind: '类型',
  description: '发生了什么',
  businessName: '经营者名称',
  businessUscc: '统一社会信用代码',
  place: '地点',
  occurredOn: '发生日期',
  attachments: '附件',
  contactName: '姓名',
  contactPhone: '联系电话',
  contactEmail: '电子邮箱',
  anonymous: '匿名举报',
  consent: '同意说明',
  _: '表单',
};

/** The fields of a ticket, shared by the public form and the operator's form. */
export function IntakeFields({
  form,
  consentLabel,
  attachments,
}: {
  form: FormState;
  /** The operator's form records a caller's spoken consent. */
  consentLabel?: string;
  attachments?: ComponentChildren;
}) {
  const kind = form.values.kind ?? '';
  const kindError = form.errors.kind;
  return (
    <>
      <fieldset
        id="f-kind"
        class={kindError ? 'choices has-error' : 'choices'}
        {...described('f-kind', kindError)}
      >
        <legend>
          您要反映的是<span class="req">（必填）</span>
        </legend>
        {KINDS.map((k) => (
          <label class="choice">
            <input type="radio" name="kind" value={k} checked={kind === k} required />
            <span>
              <strong>{KIND_NAME[k]}</strong>
              <span class="hint">{KIND_HINT[k]}</span>
            </span>
          </label>
        ))}
        <FieldError id="f-kind" error={kindError} />
      </fieldset>
      <TextArea
        form={form}
        name="description"
        label="发生了什么"
        hint="请写明时间、经过和您的诉求，至少10个字。"
        required
        rows={6}
        maxLength={2000}
      />
      <fieldset>
        <legend>涉及的经营者和地点</legend>
        <TextField
          form={form}
          name="businessName"
          label="经营者名称"
          maxLength={100}
          autocomplete="organization"
        />
        <TextField
          form={form}
          name="businessUscc"
          label="统一社会信用代码"
          hint="18位，见营业执照；不知道可以不填。"
          maxLength={30}
        />
        <TextField form={form} name="place" label="地点" maxLength={200} hint="例如：桃城区人民路某超市" />
        <TextField form={form} name="occurredOn" label="发生日期" type="date" />
      </fieldset>
      {attachments}
      <fieldset>
        <legend>联系方式</legend>
        <p class="hint">姓名和电话只向受理和承办人员显示，不对外公开。匿名举报可以不填，但无法收到答复。</p>
        <TextField form={form} name="contactName" label="姓名" maxLength={50} autocomplete="name" />
        <TextField
          form={form}
          name="contactPhone"
          label="联系电话"
          type="tel"
          inputmode="tel"
          maxLength={20}
          autocomplete="tel"
        />
        <TextField
          form={form}
          name="contactEmail"
          label="电子邮箱"
          type="email"
          inputmode="email"
          maxLength={100}
          autocomplete="email"
        />
        <div class={form.errors.anonymous ? 'field has-error' : 'field'}>
          <label class="check" for="f-anonymous">
            <input
              type="checkbox"
              id="f-anonymous"
              name="anonymous"
              value="1"
              checked={form.values.anonymous === '1'}
              {...described('f-anonymous', form.errors.anonymous)}
            />{' '}
            匿名举报（只适用于举报，不留联系方式）
          </label>
          <FieldError id="f-anonymous" error={form.errors.anonymous} />
        </div>
      </fieldset>
      <div class={form.errors.consent ? 'field consent has-error' : 'field consent'}>
        <p id="consent-text">{CONSENT_TEXT}</p>
        <label class="check" for="f-consent">
          <input
            type="checkbox"
            id="f-consent"
            name="consent"
            value="1"
            checked={form.values.consent === '1'}
            required
            {...described('f-consent', form.errors.consent)}
          />{' '}
          {consentLabel ?? '我已阅读并同意以上说明'}
        </label>
        <FieldError id="f-consent" error={form.errors.consent} />
      </div>
    </>
  );
}

/** The status as a badge. */
export function StatusBadge({ status }: { status: string }) {
  return <span class={`status status-${status}`}>{STATUS_NAME[status as Status] ?? status}</span>;
}

const EVENT_NAME: Record<string, string> = {
  file: '收到',
  assign: '受理并分派',
  transfer: '转办',
  reject: '不予受理',
  return: '承办科室退回',
  settle: '协调决定',
  extend: '延期',
  resolve: '办结（已解决）',
  leaveUnresolved: '办结（未解决）',
  rate: '评价',
  reopen: '不满意，重新办理',
  'open-check': '安排现场检查',
  'draft-list-change': '起草清单调整单',
};

/** The timeline; `publicView` leaves out who acted and the internal notes. */
export function Timeline({ events, publicView }: { events: EventRow[]; publicView?: boolean }) {
  return (
    <ol class="timeline">
      {events.map((e) => (
        <li>
          <span class="when">{chinaDateTime(e.at)}</span> <strong>{EVENT_NAME[e.action] ?? e.action}</strong>
          {!publicView && e.note ? <span class="note">：{e.note}</span> : null}
          {!publicView ? <span class="muted">（{e.by_name}）</span> : null}
        </li>
      ))}
    </ol>
  );
}

const OUTCOME_NAME: Record<string, string> = {
  resolved: '已办结-已解决',
  unresolved: '已办结-未解决',
  rejected: '不予受理',
  transferred: '已转办',
};

export function Replies({ replies }: { replies: ReplyRow[] }) {
  if (replies.length === 0) return <p class="muted">还没有答复。</p>;
  return (
    <>
      {replies.map((r) => (
        <article class="reply">
          <h3>
            {OUTCOME_NAME[r.outcome] ?? r.outcome}
            {r.doc_number ? `（${r.doc_number}）` : ''}
          </h3>
          <p class="muted">{chinaDateTime(r.at)}</p>
          <p class="reply-body">{r.body}</p>
        </article>
      ))}
    </>
  );
}

const ROUTING_NAME: Record<string, string> = {
  proposed: '系统按职责清单建议',
  confirmed: '分派人员确认',
  corrected: '人工更正',
  transferred: '转办',
  settled: '协调维持',
};

/** The routing history with the citing sentences and links to the source records. */
export function RoutingHistory({ rows }: { rows: RoutingRow[] }) {
  return (
    <ol class="routing">
      {rows.map((r) => (
        <li>
          <strong>{ROUTING_NAME[r.action] ?? r.action}</strong>：
          {r.no_match === 1
            ? '清单中没有对应事项'
            : `${r.department ?? ''}${r.office ? ` · ${r.office}` : ''}${r.transfer === 1 ? '（转办）' : ''}`}
          {r.reason ? <blockquote class="cite">{r.reason}</blockquote> : null}
          {r.source_url && safeHref(r.source_url) ? (
            <a class="src" href={safeHref(r.source_url)!}>
              查看清单原文
            </a>
          ) : null}
          {r.note ? <p class="note">说明：{r.note}</p> : null}
          <p class="muted">
            {r.by_name} · {chinaDateTime(r.at)}
          </p>
        </li>
      ))}
    </ol>
  );
}
