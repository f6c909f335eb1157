import type { FastifyPluginAsync } from 'fastify';
import { parseLine } from '../../../http/params.ts';
import { ImportError } from '../../../importer/errors.ts';
import { documentLayout, type LayoutLine, type LayoutTable } from '../../../importer/layout.ts';
import { type PageContext, pageContext } from '../../../views/portal/context.ts';
import { idOr404, sendNotFound } from '../../../views/portal/errors.tsx';
import { Layout } from '../../../views/portal/layout.tsx';
import { urls } from '../../../views/portal/urls.ts';
import { sendPage } from '../../../views/render.ts';
import { safeHref } from '../../../views/safe-url.ts';
import { sourceLines } from '../read/registry.repo.ts';
import { findSourceDocument } from '../sources/source-document.ts';

/** Lines shown around the requested range, so that a record can be read in its context. */
const CONTEXT_LINES = 30;
/** Upper bound of lines on one page (the bundled document has about 2,100). */
const MAX_LINES = 20_000;

/** 出处: the source document line by line, the requested range highlighted (anchors L<n>). */
export const sourcePages: FastifyPluginAsync = async (app) => {
  app.get('/sources/:id', { schema: { hide: true } }, async (req, reply) => {
    const id = idOr404(req, reply, '这份来源文档');
    if (id === null) return reply;
    const q = req.query as Record<string, unknown>;
    const hasRange = typeof q.from === 'string';
    const from = parseLine(q.from, 1);
    const to = Math.max(from, parseLine(q.to, from));
    const range = hasRange ? { from, to: Math.min(to, from + MAX_LINES) } : null;
    if (!range) {
      const doc = await findSourceDocument(app.database.db, id);
      if (!doc) return sendNotFound(req, reply, '这份来源文档');
      let layout: ReturnType<typeof documentLayout> | null = null;
      try {
        layout = documentLayout(doc.content);
      } catch (e) {
        // A document the importer cannot lay out as tables is shown line by line, as before.
        if (!(e instanceof ImportError)) throw e;
      }
      if (layout) {
        return sendPage(reply, <SourceTablesPage ctx={pageContext(req, reply)} doc={doc} layout={layout} />);
      }
    }
    const start = range ? Math.max(1, range.from - CONTEXT_LINES) : 1;
    const end = range ? range.to + CONTEXT_LINES : MAX_LINES;
    const doc = await sourceLines(app.database.db, id, start, end);
    if (!doc) return sendNotFound(req, reply, '这份来源文档');
    return sendPage(reply, <SourcePage ctx={pageContext(req, reply)} doc={doc} range={range} />);
  });
};

type SourceDoc = NonNullable<Awaited<ReturnType<typeof sourceLines>>>;

function SourcePage({
  ctx,
  doc,
  range,
}: {
  ctx: PageContext;
  doc: SourceDoc;
  range: { from: number; to: number } | null;
}) {
  const inRange = (n: number) => range !== null && n >= range.from && n <= range.to;
  const rangeText = range
    ? range.to > range.from
      ? `第 ${range.from}–${range.to} 行`
      : `第 ${range.from} 行`
    : '';
  return (
    <Layout
      title={range ? `原文${rangeText}` : `原文：${doc.name}`}
      ctx={ctx}
      section="sources"
      crumbs={[{ href: urls.sourceDocument(doc.id), label: '原文' }]}
    >
      <h1>原文{range ? rangeText : '全文'}</h1>
      <p>
        来源文档：{doc.name}（共 {doc.lineCount} 行，导入于 {doc.importedAt.slice(0, 10)}）
      </p>
      <p class="meta">
        文件校验值 SHA-256：<span class="docno">{doc.sha256.slice(0, 16)}…</span>
      </p>
      <OfficialLink url={doc.officialUrl} />
      {range ? (
        <p>
          黄色底纹为记录所在的行，前后各多显示 {CONTEXT_LINES} 行供对照。
          <a href={`#L${range.from}`}>跳到第 {range.from} 行</a>
        </p>
      ) : null}
      {range ? (
        <p>
          <a href={`${urls.sourceDocument(doc.id)}#L${range.from}`}>在全文中查看</a>
        </p>
      ) : null}
      {doc.lines.length === 0 ? (
        <p class="muted">这个范围超出了文档的行数。</p>
      ) : (
        <section class="source-lines" aria-label="原文逐行内容">
          {doc.lines.map((l) => (
            <div id={`L${l.number}`} class={inRange(l.number) ? 'line hl' : 'line'}>
              <span class="ln">{l.number}</span>
              <span class="txt">{l.text === '' ? ' ' : l.text}</span>
            </div>
          ))}
        </section>
      )}
    </Layout>
  );
}

/** The link to the official publication, or the note that none is recorded yet. */
function OfficialLink({ url }: { url: string | null }) {
  const href = safeHref(url);
  return href ? (
    <p class="official-link">
      正式发布的原文：
      <a href={href} rel="noopener noreferrer external">
        {url}
      </a>
    </p>
  ) : (
    <p class="muted official-link">尚未登记这份文档正式发布的网址。</p>
  );
}

type FullDoc = NonNullable<Awaited<ReturnType<typeof findSourceDocument>>>;
type DocLayout = ReturnType<typeof documentLayout>;

/** Empty anchors for lines that belong to no cell, so every line of the document can be linked. */
const Anchors = ({ lines }: { lines: number[] }) => (
  <>
    {lines.map((n) => (
      <span id={`L${n}`} class="anchor" />
    ))}
  </>
);

const SECTION_HEADING = /^[一二三四五六七八九十]+\s*[、.．]\s*监督检查/;

/** One cell: its lines, each with its anchor and number (a regime's section headings in bold). */
function CellLines({ lines, part }: { lines: LayoutLine[]; part: number }) {
  return (
    <>
      {lines.map((l) => (
        <span id={`L${l.number}`} class="cell-line" title={`第 ${l.number} 行`}>
          <a class="ln" href={`#L${l.number}`} aria-label={`第 ${l.number} 行`}>
            {l.number}
          </a>
          {part === 3 && SECTION_HEADING.test(l.text) ? <strong>{l.text}</strong> : l.text}
        </span>
      ))}
    </>
  );
}

function PartTable({ table }: { table: LayoutTable }) {
  return (
    <section class="source-part" aria-labelledby={`L${table.titleLine}`}>
      <h2 id={`L${table.titleLine}`}>
        {table.department}
        {table.name}
        <span class="meta"> · 第 {table.titleLine} 行</span>
      </h2>
      <table class="stack source-table">
        <thead>
          <tr>
            {table.header.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((r) => (
            <tr data-lines={`${r.lineStart}-${r.lineEnd}`}>
              {r.cells.map((c, i) => (
                <td data-label={table.header[i] ?? ''}>
                  {i === 0 ? <Anchors lines={r.before} /> : null}
                  <CellLines lines={c.lines} part={table.part} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <Anchors lines={table.after} />
    </section>
  );
}

/** 原文 as the four tables it is, every line anchored (L<n>) as the record links expect. */
function SourceTablesPage({ ctx, doc, layout }: { ctx: PageContext; doc: FullDoc; layout: DocLayout }) {
  return (
    <Layout
      title={`原文：${doc.name}`}
      ctx={ctx}
      section="sources"
      crumbs={[{ href: urls.sourceDocument(doc.id), label: '原文' }]}
    >
      <h1>原文全文</h1>
      <p>
        来源文档：{doc.name}（共 {doc.lineCount} 行，导入于 {doc.importedAt.slice(0, 10)}
        ）。以下按原文的四张表格排列，每格注明所在行号； 各条记录的“出处”链接指向这里的行。
      </p>
      <p class="meta">
        文件校验值 SHA-256：<span class="docno">{doc.sha256.slice(0, 16)}…</span>
      </p>
      <OfficialLink url={doc.officialUrl} />
      <nav class="source-parts" aria-label="四个部分">
        <ul>
          {layout.tables.map((t) => (
            <li>
              <a href={`#L${t.titleLine}`}>{t.name}</a>
            </li>
          ))}
        </ul>
      </nav>
      {layout.preamble.length > 0 ? (
        <section class="source-lines" aria-label="表格前的文字">
          {layout.preamble.map((n) => (
            <div id={`L${n}`} class="line">
              <span class="ln">{n}</span>
              <span class="txt">{layout.lines[n - 1] === '' ? ' ' : layout.lines[n - 1]}</span>
            </div>
          ))}
        </section>
      ) : null}
      {layout.tables.map((t) => (
        <PartTable table={t} />
      ))}
    </Layout>
  );
}
