import type { DbOrTx } from '../../../db/database.ts';
import { Downloads, OfficeLinks, SourceLine, SourceLink } from '../../../views/portal/components.tsx';
import type { PageContext } from '../../../views/portal/context.ts';
import { TrailPage } from '../../../views/portal/layout.tsx';
import { urls } from '../../../views/portal/urls.ts';
import { flagDuty } from '../legal/flags.ts';
import { flaggedList, LegalFlags } from '../legal/flags.view.tsx';
import { listDuties } from '../read/registry.repo.ts';
import type { DutyOut, WorkItemOut } from '../registry.schema.ts';
import { listPages } from './list-pages.tsx';

/** 部门职责: all main duties with their work items, and one duty per page. */
export const dutyPages = listPages('/duties', '这项主要职责', {
  list: flaggedList(listDuties, flagDuty),
  index: DutiesPage,
  record: DutyRecord,
});

/** One duty with its neighbours in the same department's list, for previous/next links. */
async function DutyRecord({ ctx, item: duty, db }: { ctx: PageContext; item: DutyOut; db: DbOrTx }) {
  const all = await listDuties(db, { department: duty.departmentId }, 'all');
  const at = all.items.findIndex((d) => d.id === duty.id);
  return <DutyPage ctx={ctx} duty={duty} prev={all.items[at - 1]} next={all.items[at + 1]} />;
}

function WorkItemEntry({ item }: { item: WorkItemOut }) {
  return (
    <li id={`item-${item.id}`}>
      <span class="num">{item.position}.</span>
      {item.text}
      <div class="meta">
        <span>
          责任科室：
          {item.offices.length > 0 ? <OfficeLinks offices={item.offices} /> : item.officeText}
        </span>
        {item.remark ? <span>备注：{item.remark}</span> : null}
        <SourceLink source={item.source} revision={item.revision} />
      </div>
      <LegalFlags flags={item.legalFlags} compact />
    </li>
  );
}

/** A duty's work items, or the note that the document lists none. */
function WorkItemList({ items, listClass }: { items: WorkItemOut[]; listClass: string }) {
  if (items.length === 0) return <p class="muted">原文未列出具体工作事项。</p>;
  return (
    <ul class={listClass}>
      {items.map((i) => (
        <WorkItemEntry item={i} />
      ))}
    </ul>
  );
}

function DutiesPage({ ctx, items: duties }: { ctx: PageContext; items: DutyOut[] }) {
  const items = duties.reduce((n, d) => n + d.items.length, 0);
  return (
    <TrailPage ctx={ctx} section="duties">
      <p>
        {duties.length} 项主要职责，{items} 项具体工作事项，每项注明责任科室。
      </p>
      <Downloads part="duties" />
      <ol class="records">
        {duties.map((d) => (
          <li id={`duty-${d.id}`}>
            <h2>
              <a href={urls.duty(d.id)}>主要职责 {d.seq}</a>
              <span class="muted">（{d.department}）</span>
            </h2>
            <p class="duty-text">{d.text}</p>
            <SourceLine source={d.source} revision={d.revision} />
            <LegalFlags flags={d.legalFlags} compact />
            <WorkItemList items={d.items} listClass="plain" />
          </li>
        ))}
      </ol>
    </TrailPage>
  );
}

function DutyPage({
  ctx,
  duty,
  prev,
  next,
}: {
  ctx: PageContext;
  duty: DutyOut;
  prev: DutyOut | undefined;
  next: DutyOut | undefined;
}) {
  return (
    <TrailPage
      ctx={ctx}
      section="duties"
      trail={[{ href: urls.duty(duty.id), label: `主要职责 ${duty.seq}` }]}
    >
      <p>
        <a href={urls.department(duty.departmentId)}>{duty.department}</a>
      </p>
      <div class="panel">
        <p class="duty-text">{duty.text}</p>
        <SourceLine source={duty.source} revision={duty.revision} />
        <LegalFlags flags={duty.legalFlags} />
      </div>
      <h2>具体工作事项（{duty.items.length} 项）</h2>
      <WorkItemList items={duty.items} listClass="records" />
      <nav class="pager" aria-label="上一项和下一项主要职责">
        {prev ? <a href={urls.duty(prev.id)}>← 主要职责 {prev.seq}</a> : <span />}
        {next ? <a href={urls.duty(next.id)}>主要职责 {next.seq} →</a> : <span />}
      </nav>
    </TrailPage>
  );
}
