import type { ComponentChildren } from 'preact';
import { safeHref } from '../safe-url.ts';
import { telHref } from './phone.ts';
import { urls } from './urls.ts';

/** Small building blocks shared by the portal pages. All text is escaped by Preact. */

export interface SourceRefView {
  documentId: number | null;
  lineStart: number | null;
  lineEnd: number | null;
}

/** The change set and version that last changed or added a record (provenance after edits). */
export interface RevisionView {
  version: number;
  effectiveDate: string;
  op: 'create' | 'update';
  title: string;
  basis: string;
  proposedBy: string;
  reviewedBy: Array<{ step: string; name: string }>;
  publishedBy: string;
  previousSource: SourceRefView | null;
}

const linesText = (from: number, to: number) => (to > from ? `第 ${from}–${to} 行` : `第 ${from} 行`);

/**
 * "出处：原文第 a–b 行" linking to the highlighted lines of the source document — only while they
 * state the record's text. A record a change set changed or added names that change set instead:
 * version, 调整依据, who proposed, reviewed and published it; the lines that stated its earlier
 * text are named as such, not linked as its source.
 */
export function SourceLink({
  source,
  bare,
  revision,
}: {
  source: SourceRefView /** Without the "出处：" prefix (in a 出处 column). */;
  bare?: boolean;
  revision?: RevisionView | null;
}) {
  const link =
    source.documentId === null || source.lineStart === null ? null : (
      <a
        class="src"
        href={urls.source(source.documentId, source.lineStart, source.lineEnd ?? source.lineStart)}
      >
        {bare ? '' : '出处：'}原文{linesText(source.lineStart, source.lineEnd ?? source.lineStart)}
      </a>
    );
  if (!revision) return link;
  const before = revision.previousSource;
  return (
    <>
      {link}
      <span class="revision" data-version={revision.version}>
        {bare || link ? '' : '出处：'}
        <a href={`/changes/diff?from=${revision.version - 1}&to=${revision.version}`}>
          第 {revision.version} 版{revision.op === 'create' ? '新增' : '调整'}
        </a>
        （{revision.effectiveDate} 生效；调整单“{revision.title}”，调整依据：{revision.basis}；提出：
        {revision.proposedBy}
        {revision.reviewedBy.map((r) => `；${r.step}：${r.name}`).join('')}；发布：{revision.publishedBy}）
        {!link && before?.lineStart != null ? (
          <span class="src-before">
            ，调整前的文本见原文{linesText(before.lineStart, before.lineEnd ?? before.lineStart)}
            （已不是现行文本）
          </span>
        ) : null}
      </span>
    </>
  );
}

export type ExportPart = 'duties' | 'boundaries' | 'regimes' | 'services';

const PART_LABEL: Record<ExportPart, string> = {
  duties: '部门职责',
  boundaries: '职责边界',
  regimes: '监管制度',
  services: '公共服务事项',
};

/** Download links for a list page: the whole dataset (JSON, XLSX) and this part as CSV. */
export function Downloads({ part }: { part: ExportPart }) {
  return (
    <section class="downloads" aria-labelledby="downloads-h">
      <h2 id="downloads-h">下载数据</h2>
      <ul>
        <li>
          <a href={urls.exportData('json', part)} download>
            JSON（全部清单）
          </a>
        </li>
        <li>
          <a href={urls.exportData('csv', part)} download>
            CSV（{PART_LABEL[part]}）
          </a>
        </li>
        <li>
          <a href={urls.exportData('xlsx', part)} download>
            Excel 表格（XLSX，四部分各一张表）
          </a>
        </li>
      </ul>
    </section>
  );
}

/** One published phone number: shown as published, dialled with the area code when needed. */
export function Phone({ phone }: { phone: string }) {
  const href = telHref(phone);
  return href ? (
    <a class="tel" href={href}>
      {phone}
    </a>
  ) : (
    <span class="tel">{phone}</span>
  );
}

export function Phones({ phones }: { phones: string[] }) {
  if (phones.length === 0) return <span class="muted">未公布</span>;
  return (
    <span class="phones">
      {phones.map((p, i) => (
        <>
          {i > 0 ? '、' : null}
          <Phone phone={p} />
        </>
      ))}
    </span>
  );
}

/** Search snippet: matched segments as <mark>, never raw HTML. */
export function Snippet({ segments }: { segments: Array<{ text: string; match: boolean }> }) {
  return <>{segments.map((s) => (s.match ? <mark>{s.text}</mark> : s.text))}</>;
}

/** Multi-line source text as paragraphs, keeping the document's line breaks. */
export function Paragraphs({ text }: { text: string }) {
  const parts = text.split('\n').filter((l) => l.trim() !== '');
  return (
    <>
      {parts.map((p) => (
        <p>{p}</p>
      ))}
    </>
  );
}

/** "又称：…" for the other ways the document writes a name. */
export function Aliases({ aliases }: { aliases: string[] }) {
  if (aliases.length === 0) return null;
  return <p class="aliases">又称：{aliases.join('；')}</p>;
}

/** A link from data, or plain text when its target is not a safe URL. */
export function DataLink({
  href,
  children,
  class: cls,
}: {
  href: unknown;
  children: ComponentChildren;
  class?: string;
}) {
  const safe = safeHref(href);
  return safe ? (
    <a href={safe} class={cls}>
      {children}
    </a>
  ) : (
    <span class={cls}>{children}</span>
  );
}

/** Links to offices, separated by 、. */
export function OfficeLinks({ offices }: { offices: Array<{ id: number; name: string }> }) {
  return (
    <>
      {offices.map((o, i) => (
        <>
          {i > 0 ? '、' : null}
          <a href={urls.office(o.id)}>{o.name}</a>
        </>
      ))}
    </>
  );
}

export { shorten } from '../../lib/text.ts';

/** The title of a record in a list of records: a link to the record's page. */
export function RecordLink({ href, children }: { href: string; children: ComponentChildren }) {
  return (
    <a href={href} class="hit-title">
      {children}
    </a>
  );
}

/** A record's 出处 on a line of its own: a paragraph, or a `div` inside a list entry. */
export function SourceLine({
  source,
  revision,
  tag: Tag = 'p',
}: {
  source: SourceRefView;
  revision?: RevisionView | null;
  tag?: 'p' | 'div';
}) {
  return (
    <Tag class="meta">
      <SourceLink source={source} revision={revision} />
    </Tag>
  );
}
