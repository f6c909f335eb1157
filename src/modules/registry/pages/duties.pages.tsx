import type { FastifyPluginAsync } from 'fastify';
import { Downloads, OfficeLinks, SourceLink } from '../../../views/portal/components.tsx';
import { type PageContext, pageContext } from '../../../views/portal/context.ts';
import { idOr404, sendNotFound } from '../../../views/portal/errors.tsx';
import { Layout } from '../../../views/portal/layout.tsx';
import { urls } from '../../../views/portal/urls.ts';
import { sendPage } from '../../../views/render.ts';
import { listDuties } from '../read/registry.repo.ts';
import type { DutyOut, WorkItemOut } from '../registry.schema.ts';

/** 部门职责: all main duties with their work items, and one duty per page. */
export const dutyPages: FastifyPluginAsync = async (app) => {
  app.get('/duties', { schema: { hide: true } }, async (req, reply) => {
    const duties = await listDuties(app.database.db, {}, { limit: 10_000, offset: 0 });
    return sendPage(reply, <DutiesPage ctx={pageContext(req, reply)} duties={duties.items} />);
  });

  app.get('/duties/:id', { schema: { hide: true } }, async (req, reply) => {
    const id = idOr404(req, reply, '这项主要职责');
    if (id === null) return reply;
    const db = app.database.db;
    const duty = (await listDuties(db, { id }, { limit: 1, offset: 0 })).items[0];
    if (!duty) return sendNotFound(req, reply, '这项主要职责');
    // Neighbours in the same department's list, for previous/next links.
    const all = await listDuties(db, { department: duty.departmentId }, { limit: 10_000, offset: 0 });
    const at = all.items.findIndex((d) => d.id === duty.id);
    return sendPage(
      reply,
      <DutyPage
        ctx={pageContext(req, reply)}
        duty={duty}
        prev={all.items[at - 1]}
        next={all.items[at + 1]}
      />,
    );
  });
};

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
        <SourceLink source={item.source} />
      </div>
    </li>
  );
}

function DutiesPage({ ctx, duties }: { ctx: PageContext; duties: DutyOut[] }) {
  const items = duties.reduce((n, d) => n + d.items.length, 0);
  return (
    <Layout title="部门职责" ctx={ctx} section="duties" crumbs={[{ href: urls.duties(), label: '部门职责' }]}>
      <h1>部门职责</h1>
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
            <p class="meta">
              <SourceLink source={d.source} />
            </p>
            {d.items.length > 0 ? (
              <ul class="plain">
                {d.items.map((i) => (
                  <WorkItemEntry item={i} />
                ))}
              </ul>
            ) : (
              <p class="muted">原文未列出具体工作事项。</p>
            )}
          </li>
        ))}
      </ol>
    </Layout>
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
    <Layout
      title={`主要职责 ${duty.seq}`}
      ctx={ctx}
      section="duties"
      crumbs={[
        { href: urls.duties(), label: '部门职责' },
        { href: urls.duty(duty.id), label: `主要职责 ${duty.seq}` },
      ]}
    >
      <h1>主要职责 {duty.seq}</h1>
      <p>
        <a href={urls.department(duty.departmentId)}>{duty.department}</a>
      </p>
      <div class="panel">
        <p class="duty-text">{duty.text}</p>
        <p class="meta">
          <SourceLink source={duty.source} />
        </p>
      </div>
      <h2>具体工作事项（{duty.items.length} 项）</h2>
      {duty.items.length > 0 ? (
        <ul class="records">
          {duty.items.map((i) => (
            <WorkItemEntry item={i} />
          ))}
        </ul>
      ) : (
        <p class="muted">原文未列出具体工作事项。</p>
      )}
      <nav class="pager" aria-label="上一项和下一项主要职责">
        {prev ? <a href={urls.duty(prev.id)}>← 主要职责 {prev.seq}</a> : <span />}
        {next ? <a href={urls.duty(next.id)}>主要职责 {next.seq} →</a> : <span />}
      </nav>
    </Layout>
  );
}
