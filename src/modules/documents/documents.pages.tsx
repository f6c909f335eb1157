import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { DbOrTx } from '../../db/database.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { attempt, fieldOf, queryOf } from '../../http/forms.ts';
import { idParam } from '../../http/params.ts';
import { chinaDateTime } from '../../lib/china-time.ts';
import { sendPage } from '../../views/render.ts';
import type { BackofficeContribution } from '../../views/staff/backoffice.ts';
import { Csrf, csrfToken, doneNotice, FormErrors, sendStaffPage } from '../../views/staff/page.tsx';
import { StackTable } from '../../views/table.tsx';
import { DOCUMENT_READERS, documentAbilities } from './document.policy.ts';
import { attachmentHeader, DOCX_TYPE } from './document.presenter.ts';
import { layoutOf } from './document.render.ts';
import type { DocumentHead } from './document.repo.ts';
import {
  documentBytes,
  getDocument,
  listDocuments,
  supersedeDocument,
  verifyRendering,
} from './document.service.ts';
import { citationText, DOCUMENT_TYPES, type DocumentType, documentType } from './document.types.ts';

/**
 * Staff pages of documents: the list (by type), one document (its fields, 文号, hash, the check
 * that rendering again gives the same bytes, its correction links, the correction form), the DOCX
 * download (the issued bytes) and the print view (A4, Chinese, the same layout as the DOCX).
 */

export const documentsBackoffice: BackofficeContribution<DbOrTx> = {
  nav: [{ href: '/admin/documents', label: '文书', roles: DOCUMENT_READERS, order: 45 }],
};

const typeName = (code: string) => documentType(code)?.name ?? code;
const fieldsOf = (d: DocumentHead) => JSON.parse(d.fields) as Record<string, string>;

const DONE = { superseded: '已签发更正文书，原文书已标记为被替代（两份均保留）' };

function ListPage({ rows, type }: { rows: DocumentHead[]; type: string }) {
  return (
    <>
      <h1>文书</h1>
      <p class="muted">
        签发后的文书不可修改：每份文书有按类型和年度连续编排的文号，下载的始终是签发时保存的同一份文件（附
        SHA-256）。如需更正，签发一份新的更正文书替代原文书，两份都保留。
      </p>
      <form method="get" action="/admin/documents" class="filters">
        <label for="doc-type">
          文书类型
          <select id="doc-type" name="type">
            <option value="">全部</option>
            {DOCUMENT_TYPES.map((t) => (
              <option value={t.code} selected={t.code === type}>
                {t.name}
              </option>
            ))}
          </select>
        </label>{' '}
        <button type="submit">筛选</button>
      </form>
      {rows.length === 0 ? (
        <p>暂无文书。</p>
      ) : (
        <StackTable
          rows={rows}
          columns={[
            { label: '文号', cell: (d) => <a href={`/admin/documents/${d.id}`}>{d.number}</a> },
            { label: '类型', cell: (d) => typeName(d.doc_type) },
            { label: '对象', cell: (d) => `${d.subject_kind} ${d.subject_id}` },
            { label: '签发时间', cell: (d) => chinaDateTime(d.issued_at) },
            { label: '签发人', cell: (d) => d.issued_by_name },
            {
              label: '状态',
              cell: (d) => (d.superseded_by_id === null ? '有效' : <span class="muted">已被更正替代</span>),
            },
            {
              label: '操作',
              cell: (d) => (
                <>
                  <a href={`/admin/documents/${d.id}/print`}>打印</a> ·{' '}
                  <a href={`/admin/documents/${d.id}/download`}>下载</a>
                </>
              ),
            },
          ]}
        />
      )}
    </>
  );
}

function SupersedeForm({
  d,
  type,
  token,
  values,
  reason,
  errors,
}: {
  d: DocumentHead;
  type: DocumentType;
  token: string;
  values: Record<string, string>;
  reason: string;
  errors: string[];
}) {
  return (
    <section aria-labelledby="supersede-h">
      <h2 id="supersede-h">签发更正文书</h2>
      <p class="muted">更正文书取得新的文号，原文书{d.number}标记为被替代，两份都保留。</p>
      <FormErrors errors={errors} />
      <form method="post" action={`/admin/documents/${d.id}/supersede`} class="stacked-form">
        <Csrf token={token} />
        {type.fields.map((f) => (
          <label for={`f-${f.key}`}>
            {f.label}
            {f.required ? '（必填）' : ''}
            {f.kind === 'textarea' ? (
              <textarea id={`f-${f.key}`} name={`f.${f.key}`} rows={3} maxLength={5000}>
                {values[f.key] ?? ''}
              </textarea>
            ) : (
              <input
                id={`f-${f.key}`}
                name={`f.${f.key}`}
                type={f.kind === 'date' ? 'date' : 'text'}
                value={values[f.key] ?? ''}
                maxLength={5000}
              />
            )}
            {f.citation ? <span class="hint">依据：{citationText(f.citation)}</span> : null}
          </label>
        ))}
        <label for="supersede-reason">
          更正理由（必填）
          <textarea id="supersede-reason" name="reason" rows={2} maxLength={500}>
            {reason}
          </textarea>
        </label>
        <button type="submit">签发更正文书</button>
      </form>
    </section>
  );
}

export const documentPages: FastifyPluginAsync = async (app) => {
  const db = () => app.database.db;
  const csrf = app.staffCsrf;
  const readers = documentAbilities.guard('read');

  const load = async (req: FastifyRequest): Promise<DocumentHead> => {
    const id = idParam(req);
    const d = id === null ? undefined : await getDocument(db(), id);
    if (!d) throw notFound('该文书');
    return d;
  };

  app.get('/admin/documents', { schema: { hide: true }, preHandler: readers }, async (req, reply) => {
    const type = documentType(queryOf(req, 'type')) ? queryOf(req, 'type') : '';
    const rows = await listDocuments(db(), { type: type || undefined });
    return sendStaffPage(req, reply, { title: '文书', children: <ListPage rows={rows} type={type} /> });
  });

  const detail = async (
    req: FastifyRequest,
    reply: FastifyReply,
    d: DocumentHead,
    form: { values?: Record<string, string>; reason?: string; errors?: string[]; status?: number } = {},
  ) => {
    const type = documentType(d.doc_type);
    if (!type) throw new AppError(500, 'document-type-unknown', `未知的文书类型“${d.doc_type}”`);
    const check = await verifyRendering(db(), d.id);
    const [older, newer] = await Promise.all([
      d.supersedes_id === null ? undefined : getDocument(db(), d.supersedes_id),
      d.superseded_by_id === null ? undefined : getDocument(db(), d.superseded_by_id),
    ]);
    const fields = fieldsOf(d);
    const canSupersede =
      documentAbilities.can('supersede', req.user ?? null, null) && d.superseded_by_id === null;
    return sendStaffPage(req, reply, {
      title: `${d.title} ${d.number}`,
      status: form.status,
      notice: doneNotice(req, DONE),
      children: (
        <>
          <p>
            <a href="/admin/documents">‹ 全部文书</a>
          </p>
          <h1>
            {d.title} <small>{d.number}</small>
          </h1>
          {newer ? (
            <p class="notice notice-error" role="status">
              本文书已被更正文书 <a href={`/admin/documents/${newer.id}`}>{newer.number}</a> 替代（
              {chinaDateTime(d.superseded_at ?? newer.issued_at)}），仅作留档。
            </p>
          ) : null}
          {older ? (
            <p>
              本文书更正并替代 <a href={`/admin/documents/${older.id}`}>{older.number}</a>
              {d.correction_reason ? `（更正理由：${d.correction_reason}）` : ''}。
            </p>
          ) : null}
          <p>
            <a href={`/admin/documents/${d.id}/print`}>打印视图</a> ·{' '}
            <a href={`/admin/documents/${d.id}/download`}>下载 DOCX</a>
          </p>
          <dl class="record-fields">
            <dt>签发</dt>
            <dd>
              {chinaDateTime(d.issued_at)}，{d.issued_by_name}
            </dd>
            <dt>对象</dt>
            <dd>
              {d.subject_kind} {d.subject_id}
            </dd>
            {type.fields.map((f) => (
              <>
                <dt>{f.label}</dt>
                <dd class="reply-body">{fields[f.key] ?? <span class="muted">（未填写）</span>}</dd>
              </>
            ))}
            <dt>SHA-256</dt>
            <dd>
              <code class="hash">{d.sha256}</code>（{d.size} 字节）
            </dd>
            <dt>重新生成校验</dt>
            <dd>
              {check?.identical
                ? '按保存的栏目重新生成，字节与签发时完全一致'
                : '重新生成的文件与签发时不同（渲染程序已变更）；下载的仍是签发时保存的原文件'}
            </dd>
          </dl>
          {canSupersede ? (
            <SupersedeForm
              d={d}
              type={type}
              token={csrfToken(req, reply)}
              values={form.values ?? fields}
              reason={form.reason ?? ''}
              errors={form.errors ?? []}
            />
          ) : null}
        </>
      ),
    });
  };

  app.get('/admin/documents/:id', { schema: { hide: true }, preHandler: readers }, async (req, reply) =>
    detail(req, reply, await load(req)),
  );

  app.get(
    '/admin/documents/:id/download',
    { schema: { hide: true }, preHandler: readers },
    async (req, reply) => {
      const d = await load(req);
      const file = (await documentBytes(db(), d.id))!;
      return reply
        .type(DOCX_TYPE)
        .header('content-disposition', attachmentHeader(d.id, file.filename))
        .header('x-document-sha256', file.sha256)
        .header('cache-control', 'private, no-store')
        .send(file.data);
    },
  );

  app.get(
    '/admin/documents/:id/print',
    { schema: { hide: true }, preHandler: readers },
    async (req, reply) => {
      const d = await load(req);
      const type = documentType(d.doc_type);
      if (!type) throw new AppError(500, 'document-type-unknown', `未知的文书类型“${d.doc_type}”`);
      const older = d.supersedes_id === null ? undefined : await getDocument(db(), d.supersedes_id);
      const layout = layoutOf({
        type,
        number: d.number,
        issuedAt: d.issued_at,
        fields: fieldsOf(d),
        supersedesNumber: older?.number ?? null,
        correctionReason: d.correction_reason,
      });
      reply.header('cache-control', 'private, no-store');
      return sendPage(
        reply,
        <PrintView layout={layout} superseded={d.superseded_by_id !== null} sha256={d.sha256} />,
      );
    },
  );

  app.post(
    '/admin/documents/:id/supersede',
    { schema: { hide: true }, preHandler: [documentAbilities.guard('supersede'), csrf.preHandler] },
    async (req, reply) => {
      const d = await load(req);
      const type = documentType(d.doc_type)!;
      const values = Object.fromEntries(type.fields.map((f) => [f.key, fieldOf(req, `f.${f.key}`)]));
      const reason = fieldOf(req, 'reason');
      const r = await attempt(() =>
        db()
          .transaction()
          .execute((tx) => supersedeDocument(tx, { id: d.id, fields: values, reason, issuedBy: req.user! })),
      );
      if (!r.ok)
        return detail(req, reply, d, { values, reason, errors: [r.error.message], status: r.error.status });
      return reply.redirect(`/admin/documents/${r.value.id}?done=superseded`, 303);
    },
  );
};

/** A4 print CSS: 公文 margins, 宋体/黑体 (Noto CJK as the screen fallback). */
const PRINT_CSS = `
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
html { background: #eee; }
body { font-family: SimSun, Songti SC, Noto Serif CJK SC, Noto Sans CJK SC, serif; font-size: 16pt; line-height: 1.75; color: #000; margin: 0; }
.sheet { background: #fff; width: 210mm; min-height: 297mm; margin: 1rem auto; padding: 37mm 26mm 35mm 28mm; box-sizing: border-box; }
.issuer { text-align: center; font-family: SimHei, Noto Sans CJK SC, sans-serif; font-size: 18pt; margin: 0; }
h1 { text-align: center; font-family: SimHei, Noto Sans CJK SC, sans-serif; font-size: 22pt; margin: .2em 0 .6em; }
.number { text-align: right; margin: 0 0 1.2em; }
.item { margin: 0 0 .5em; }
.item .label { font-weight: bold; }
.item p { margin: 0; text-indent: 2em; }
.closing { text-indent: 2em; margin-top: 1em; }
.signature { text-align: right; margin-top: 3em; }
.signature p { margin: 0; }
.watermark { color: #b00; border: 2px solid #b00; padding: .3em .6em; display: inline-block; }
.screen-only { font-family: Noto Sans CJK SC, sans-serif; font-size: 11pt; text-align: center; }
@media print {
  html { background: none; }
  .sheet { width: auto; min-height: 0; margin: 0; padding: 0; }
  .screen-only { display: none; }
}
@media (max-width: 220mm) {
  .sheet { width: auto; padding: 1.5rem; }
}
`;

/** The print view: the document alone on an A4 sheet (no staff frame), as the DOCX lays it out. */
function PrintView({
  layout,
  superseded,
  sha256,
}: {
  layout: ReturnType<typeof layoutOf>;
  superseded: boolean;
  sha256: string;
}) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${layout.title} ${layout.number}`}</title>
        <style>{PRINT_CSS}</style>
      </head>
      <body>
        <p class="screen-only">打印预览（A4）· 文件 SHA-256：{sha256}</p>
        <main class="sheet">
          {superseded ? (
            <p class="watermark" role="status">
              本文书已被更正替代，仅作留档
            </p>
          ) : null}
          <p class="issuer">{layout.issuer}</p>
          <h1>{layout.title}</h1>
          <p class="number">{layout.number}</p>
          {layout.correction ? <p>{layout.correction}</p> : null}
          {layout.items.map((item) => (
            <div class="item">
              <span class="label">{item.label}：</span>
              {item.lines[0]}
              {item.lines.slice(1).map((l) => (
                <p>{l}</p>
              ))}
            </div>
          ))}
          {layout.closing ? <p class="closing">{layout.closing}</p> : null}
          <div class="signature">
            <p>{layout.signature.issuer}</p>
            <p>{layout.signature.seal}</p>
            <p>{layout.signature.date}</p>
          </div>
        </main>
      </body>
    </html>
  );
}
