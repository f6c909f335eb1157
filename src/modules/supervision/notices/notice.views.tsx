import type { ComponentChildren } from 'preact';
import type { PageContext } from '../../../views/portal/context.ts';
import { type Crumb, Layout } from '../../../views/portal/layout.tsx';
import { urls } from '../../../views/portal/urls.ts';
import { DEFAULT_MIN_INSPECTORS } from '../reference/index.ts';
import {
  type Citation,
  type CitedText,
  type Figure,
  NOT_STATED_ZH,
  type PenaltyRule,
  type RegimeRule,
  roundsText,
} from '../rules/rules.ts';

/** What the public notices share: their addresses, the page frame, citations and tables. */

export const supervisionUrls = {
  index: () => '/supervision',
  items: () => '/supervision/items',
  item: (seq: number) => `/supervision/items/${seq}`,
  plans: () => '/supervision/plans',
  plan: (id: number) => `/supervision/plans/${id}`,
  draw: (id: number) => `/supervision/plans/${id}/draw`,
  drawFile: (id: number) => `/supervision/plans/${id}/draw.json`,
  tasks: () => '/supervision/tasks',
  itemsCsv: () => '/supervision/items.csv',
  plansCsv: () => '/supervision/plans.csv',
  tasksCsv: () => '/supervision/tasks.csv',
  planTasksCsv: (id: number) => `/supervision/plans/${id}/tasks.csv`,
  populationCsv: (id: number) => `/supervision/plans/${id}/population.csv`,
} as const;

const ROOT: Crumb[] = [{ href: supervisionUrls.index(), label: '抽查公示' }];

/** The breadcrumbs below 抽查公示: each page's own, so its name is written once. */
export const crumbsTo = {
  items: { href: supervisionUrls.items(), label: '抽查事项清单' },
  item: (rule: { seq: number; title: string }): Crumb => ({
    href: supervisionUrls.item(rule.seq),
    label: rule.title,
  }),
  plans: { href: supervisionUrls.plans(), label: '抽查计划公告' },
  plan: (plan: { id: number; title: string }): Crumb => ({
    href: supervisionUrls.plan(plan.id),
    label: plan.title,
  }),
  draw: (planId: number): Crumb => ({ href: supervisionUrls.draw(planId), label: '核验抽取' }),
  tasks: { href: supervisionUrls.tasks(), label: '抽查任务公告' },
} as const;

/** The frame of a notice; `heading` (the page's h1) defaults to the last crumb's name. */
export function Page({
  ctx,
  title,
  heading,
  crumbs = [],
  children,
}: {
  ctx: PageContext;
  title: string;
  heading?: string;
  crumbs?: Crumb[];
  children: ComponentChildren;
}) {
  return (
    <Layout title={title} ctx={ctx} section="supervision" crumbs={[...ROOT, ...crumbs]}>
      <h1>{heading ?? crumbs.at(-1)?.label ?? title}</h1>
      {children}
    </Layout>
  );
}

/** A table of named fields, one row each: `[heading, content]`. */
export function FieldTable({
  caption,
  rows,
}: {
  caption?: string;
  rows: ReadonlyArray<readonly [string, ComponentChildren]>;
}) {
  return (
    <table class="stack">
      {caption ? <caption>{caption}</caption> : null}
      <tbody>
        {rows.map(([heading, content]) => (
          <tr>
            <th scope="row">{heading}</th>
            <td>{content}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** "原文第 N 行" linking to the cited line of the source document. */
export function Cite({ c, docId }: { c: Citation | null; docId: number | null }) {
  if (!c) return null;
  if (docId === null) return <span class="src">原文第 {c.line} 行</span>;
  return (
    <a class="src" href={urls.source(docId, c.line, c.line)}>
      原文第 {c.line} 行
    </a>
  );
}

/** Each citation followed by a space. */
export function Cites({ citations, docId }: { citations: Citation[]; docId: number | null }) {
  return (
    <>
      {citations.map((c) => (
        <>
          <Cite c={c} docId={docId} />{' '}
        </>
      ))}
    </>
  );
}

/** "原文第 from–to 行": the whole regime in the source document. */
export function RegimeLines({ rule, docId }: { rule: RegimeRule; docId: number }) {
  return (
    <a class="src" href={urls.source(docId, rule.lines.from, rule.lines.to)}>
      原文第 {rule.lines.from}–{rule.lines.to} 行
    </a>
  );
}

export function FigureCell({
  text,
  figure,
  docId,
}: {
  text: string;
  figure: Figure<unknown>;
  docId: number | null;
}) {
  return (
    <>
      {figure.value === null ? <span class="muted">{text}</span> : text}
      {figure.citation ? (
        <>
          {' '}
          <Cite c={figure.citation} docId={docId} />
        </>
      ) : null}
    </>
  );
}

export function Quotes({ items, docId }: { items: CitedText[]; docId: number | null }) {
  if (items.length === 0) return <span class="muted">{NOT_STATED_ZH}</span>;
  return (
    <ul class="plain" style="margin:0">
      {items.map((m) => (
        <li>
          “{m.text}” <Cite c={m.citation} docId={docId} />
        </li>
      ))}
    </ul>
  );
}

const yuan = (n: number) => (n % 10_000 === 0 ? `${n / 10_000}万元` : `${n}元`);

export function penaltyAmount(p: PenaltyRule): string {
  const parts: string[] = [];
  if (p.maxMultipleOfGain !== null) parts.push(`违法所得${p.maxMultipleOfGain}倍以下`);
  if (p.minYuan !== null && p.maxYuan !== null) parts.push(`${yuan(p.minYuan)}–${yuan(p.maxYuan)}`);
  else if (p.maxYuan !== null)
    parts.push(p.maxMultipleOfGain !== null ? `最高${yuan(p.maxYuan)}` : `${yuan(p.maxYuan)}以下`);
  if (p.minYears !== null && p.maxYears !== null) parts.push(`${p.minYears}–${p.maxYears}年`);
  else if (p.maxYears !== null) parts.push(`${p.maxYears}年内`);
  return parts.join('，') || '—';
}

export function inspectorsCell(rule: RegimeRule): string {
  return rule.minInspectors.value === null
    ? `${NOT_STATED_ZH}（抽查时默认至少${DEFAULT_MIN_INSPECTORS}名）`
    : `至少${rule.minInspectors.value}名`;
}

export function frequencyText(rule: RegimeRule): string {
  const parts = [roundsText(rule)];
  if (rule.onComplaint.value) parts.push('有举报投诉时随时检查');
  return parts.join('；');
}
