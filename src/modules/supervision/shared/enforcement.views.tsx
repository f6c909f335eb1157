import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { Db, Tx } from '../../../db/database.ts';
import { AppError, notFound } from '../../../http/errors.ts';
import { idParam } from '../../../http/params.ts';
import { documentLinks } from '../../documents/index.ts';
import type { DocumentRefT } from '../rectifications/rectification.presenter.ts';
import { Csrf } from './staff.views.tsx';

/** Building blocks of the rectification and penalty pages (Simplified Chinese, phone-first). */

/** The posted form as a plain object of strings (the first value of a repeated field). */
export function formOf(req: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string') out[k] = first;
  }
  return out;
}

/**
 * The handler of an action POST on one record: runs it in a transaction and redirects (303) to the
 * record's page with `?done=`; a refusal the person can fix (400, 409) shows the page again with the
 * reason (status 400/409); 401/403/404 go to the error pages.
 */
export function onAction(
  db: () => Db,
  opts: {
    what: string;
    run: (tx: Tx, req: FastifyRequest, id: number) => Promise<unknown>;
    done: string;
    url: (id: number) => string;
    again: (req: FastifyRequest, reply: FastifyReply, id: number, error: AppError) => unknown;
  },
) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const id = idParam(req);
    if (id === null) throw notFound(opts.what);
    try {
      await db()
        .transaction()
        .execute((tx) => opts.run(tx, req, id));
    } catch (e) {
      if (e instanceof AppError && (e.status === 400 || e.status === 409))
        return opts.again(req, reply, id, e);
      throw e;
    }
    return reply.redirect(`${opts.url(id)}?done=${opts.done}`, 303);
  };
}

/** A small POST form with its CSRF token. */
export function ActionForm({
  action,
  token,
  children,
  submit,
  secondary,
}: {
  action: string;
  token: string;
  children?: ComponentChildren;
  submit: string;
  secondary?: boolean;
}) {
  return (
    <form method="post" action={action} class="stack-form">
      <Csrf token={token} />
      {children}
      <button type="submit" class={secondary ? 'secondary' : undefined}>
        {submit}
      </button>
    </form>
  );
}

export function Field({
  label,
  name,
  type = 'text',
  value,
  required = true,
  hint,
  id: idGiven,
}: {
  label: string;
  name: string;
  type?: 'text' | 'date' | 'number';
  value?: string;
  required?: boolean;
  hint?: string;
  /** When two forms of a page share a field name. */
  id?: string;
}) {
  const id = idGiven ?? `f-${name}`;
  return (
    <p>
      <label for={id}>
        {label}
        {required ? '' : '（选填）'}
      </label>
      <input
        id={id}
        name={name}
        type={type}
        value={value ?? ''}
        required={required}
        step={type === 'number' ? 'any' : undefined}
      />
      {hint && <small class="hint">{hint}</small>}
    </p>
  );
}

export function Area({
  label,
  name,
  value,
  required = true,
}: {
  label: string;
  name: string;
  value?: string;
  required?: boolean;
}) {
  const id = `f-${name}`;
  return (
    <p>
      <label for={id}>
        {label}
        {required ? '' : '（选填）'}
      </label>
      <textarea id={id} name={name} rows={3} required={required} maxLength={4000}>
        {value ?? ''}
      </textarea>
    </p>
  );
}

export function Select({
  label,
  name,
  options,
  value,
}: {
  label: string;
  name: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  value?: string;
}) {
  const id = `f-${name}`;
  return (
    <p>
      <label for={id}>{label}</label>
      <select id={id} name={name} required>
        <option value="">请选择</option>
        {options.map((o) => (
          <option value={o.value} selected={o.value === value}>
            {o.label}
          </option>
        ))}
      </select>
    </p>
  );
}

/** Label–value pairs of a record. */
export function Facts({
  rows,
}: {
  rows: ReadonlyArray<[string, ComponentChildren] | false | null | undefined | ''>;
}) {
  return (
    <dl class="record-fields">
      {rows
        .filter((r): r is [string, ComponentChildren] => Boolean(r))
        .map(([k, v]) => (
          <>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </>
        ))}
    </dl>
  );
}

/** The documents issued for a record, with their 文号 and links to the page, print view and DOCX. */
export function DocumentList({ documents }: { documents: readonly DocumentRefT[] }) {
  if (documents.length === 0) return <p class="muted">尚未签发文书。</p>;
  return (
    <ul class="link-list documents">
      {documents.map((d) => {
        const l = documentLinks(d.id);
        return (
          <li>
            《{d.title}》{d.number}
            {d.superseded ? '（已被更正）' : ''} · <a href={l.page}>查看</a> · <a href={l.print}>打印版</a> ·{' '}
            <a href={l.download}>下载DOCX</a>
          </li>
        );
      })}
    </ul>
  );
}

/** A refusal shown above the page after a POST. */
export const errorNotice = (e: AppError | undefined) =>
  e ? { kind: 'error' as const, text: e.message } : null;
