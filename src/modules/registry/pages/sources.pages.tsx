import type { FastifyPluginAsync } from 'fastify';
import { parseLine } from '../../../http/params.ts';
import { type PageContext, pageContext } from '../../../views/portal/context.ts';
import { idOr404, sendNotFound } from '../../../views/portal/errors.tsx';
import { Layout } from '../../../views/portal/layout.tsx';
import { urls } from '../../../views/portal/urls.ts';
import { sendPage } from '../../../views/render.ts';
import { sourceLines } from '../read/registry.repo.ts';

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
