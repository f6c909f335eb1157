import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import {
  Aliases,
  Downloads,
  OfficeLinks,
  Phones,
  RecordLink,
  SourceLine,
  SourceLink,
  shorten,
} from '../../../views/portal/components.tsx';
import type { PageContext } from '../../../views/portal/context.ts';
import { Layout, SEARCH_ACTION, SearchField, TrailPage } from '../../../views/portal/layout.tsx';
import { HOTLINES, telHref } from '../../../views/portal/phone.ts';
import { urls } from '../../../views/portal/urls.ts';
import { searchPages } from '../../search/index.ts';
import {
  countRegistry,
  findInList,
  listDepartments,
  listDuties,
  listMatters,
  listOffices,
  listWorkItems,
} from '../read/registry.repo.ts';
import { type RelatedMatter, relatedMatters } from '../read/related-matters.ts';
import type { BoundaryMatterOut, DutyOut, OfficeOut, WorkItemOut } from '../registry.schema.ts';
import { boundaryPages } from './boundaries.pages.tsx';
import { dutyPages } from './duties.pages.tsx';
import { portalPage, recordPage } from './list-pages.tsx';
import { regimePages } from './regimes.pages.tsx';
import { servicePages } from './services.pages.tsx';
import { sourcePages } from './sources.pages.tsx';

/**
 * The public portal's registry pages (issue 3). Registered by app.ts as `homePages`, after the
 * portal shell. Pages are server-rendered and work without JavaScript.
 */
const portalPages: FastifyPluginAsync = async (app) => {
  portalPage(
    app,
    '/',
    async (db) => {
      const [counts, offices, departments] = await Promise.all([
        countRegistry(db),
        listOffices(db, {}, 'all'),
        listDepartments(db, 'all'),
      ]);
      return { counts, offices: offices.items, departments: departments.items };
    },
    HomePage,
  );

  portalPage(
    app,
    '/departments',
    async (db) => {
      const [departments, offices, matters] = await Promise.all([
        listDepartments(db, 'all'),
        listOffices(db, {}, 'all'),
        listMatters(db, {}, 'all'),
      ]);
      return { departments: departments.items, offices: offices.items, matters: matters.items };
    },
    DepartmentsPage,
  );

  recordPage(
    app,
    '/departments/:id',
    '这个部门',
    async (db, id) => {
      const department = (await listDepartments(db, { limit: 1, offset: 0 }, { id })).items[0];
      if (!department) return undefined;
      const [offices, matters] = await Promise.all([
        listOffices(db, { department: id }, 'all'),
        listMatters(db, { involves: id }, 'all'),
      ]);
      return { department, offices: offices.items, matters: matters.items };
    },
    DepartmentPage,
  );

  recordPage(
    app,
    '/offices/:id',
    '这个科室',
    async (db, id) => {
      const office = await findInList(listOffices, db, id);
      if (!office) return undefined;
      const [items, duties, siblings, matters] = await Promise.all([
        listWorkItems(db, { office: id }, 'all'),
        listDuties(db, { department: office.departmentId }, 'all'),
        listOffices(db, { department: office.departmentId }, 'all'),
        listMatters(db, { involves: office.departmentId }, 'all'),
      ]);
      const related = relatedMatters(office, siblings.items, matters.items);
      return {
        office,
        items: items.items,
        duties: duties.items,
        related,
        otherMatters: matters.items.filter((m) => !related.some((r) => r.matter.id === m.id)),
      };
    },
    OfficePage,
  );

  for (const pages of [dutyPages, boundaryPages, regimePages, servicePages, sourcePages, searchPages])
    await app.register(pages);
};

/** The portal's pages; the shell (static files, preference, CSRF guard) is views/portal's plugin. */
export const homePages = fp(portalPages, { name: 'registry-pages', dependencies: ['portal'] });

/* ------------------------------------------------------------------ home */

type Counts = Awaited<ReturnType<typeof countRegistry>>;

/**
 * The home page's example chips, each with the answer the lists give (data-bundled/source.txt line):
 * test/home-examples.test.ts asks every chip through the app and checks the department and office.
 * No bare 护照: the bureau handles only official passports (因公), private ones are 公安出入境's.
 */
export const HOME_EXAMPLES: ReadonlyArray<{
  q: string;
  department: string;
  office: string | null;
  line: number;
}> = [
  { q: '我想开药店找哪个部门', department: '市市场监督管理局', office: null, line: 796 },
  { q: '预付卡备案找哪个科', department: '衡水市商务局', office: '市场秩序和政策法规科', line: 162 },
  { q: '加油站', department: '衡水市商务局', office: '市场运行和消费促进科', line: 258 },
  { q: '外资', department: '衡水市商务局', office: '外国投资管理和对外经济合作科', line: 336 },
  { q: '因公护照怎么办理', department: '衡水市商务局', office: '外事科', line: 721 },
  { q: '报废车拆解企业谁来查', department: '衡水市商务局', office: null, line: 1982 },
];

function HomePage({
  ctx,
  counts: c,
  offices,
  departments,
}: {
  ctx: PageContext;
  counts: Counts;
  offices: OfficeOut[];
  departments: Array<{ id: number; name: string }>;
}) {
  const parts = [
    {
      title: '部门职责',
      href: urls.duties(),
      n: c.duties,
      unit: `项主要职责，分为 ${c.workItems} 项具体工作事项`,
    },
    {
      title: '职责边界',
      href: urls.boundaries(),
      n: c.boundaryMatters,
      unit: `个与其他部门共管的事项，涉及 ${c.departments} 个部门的 ${c.shares} 项分工`,
    },
    {
      title: '事中事后监管制度',
      href: urls.regimes(),
      n: c.regimes,
      unit: '项监管制度：查什么、怎么查、怎么处理',
    },
    {
      title: '公共服务事项',
      href: urls.services(),
      n: c.services,
      unit: '项面向企业和群众的服务，附联系电话',
    },
  ];
  const byDept = new Map<number, OfficeOut[]>();
  for (const o of offices) byDept.set(o.departmentId, [...(byDept.get(o.departmentId) ?? []), o]);
  const tel12345 = telHref(HOTLINES.general);
  return (
    <Layout title="首页" ctx={ctx} section="home" home>
      <section class="hero" aria-labelledby="home-search-label">
        <h1>衡水市商务局职责清单</h1>
        <search>
          <form method="get" action={SEARCH_ACTION} class="big-search">
            <label id="home-search-label" for="home-q">
              您要办的事归谁管？输入问题或关键词
            </label>
            <div class="search-row">
              <SearchField id="home-q" placeholder="例如：开药店找哪个部门" />
            </div>
          </form>
        </search>
        <p class="examples">
          试试：
          {HOME_EXAMPLES.map((e) => (
            <a href={urls.search(e.q)}>{e.q}</a>
          ))}
        </p>
      </section>

      <section aria-labelledby="parts-h">
        <h2 id="parts-h">清单的四个部分</h2>
        <ul class="cards">
          {parts.map((p) => (
            <li>
              <a class="card" href={p.href}>
                <span class="card-title">{p.title}</span>
                <span class="n"> {p.n} </span>
                <span class="muted">{p.unit}</span>
              </a>
            </li>
          ))}
        </ul>
      </section>

      {[...byDept.entries()].map(([deptId, list]) => {
        const dept = departments.find((d) => d.id === deptId);
        const real = list.filter((o) => !o.isGroup);
        return (
          <section aria-labelledby={`offices-h-${deptId}`}>
            <h2 id={`offices-h-${deptId}`}>
              {dept?.name ?? ''}内设科室（{real.length} 个）
            </h2>
            <ul class="records">
              {real.map((o) => (
                <OfficeEntry office={o} detail="phone" />
              ))}
            </ul>
          </section>
        );
      })}

      <p>
        <a href={urls.departments()}>查看全部 {c.departments} 个相关部门</a>
      </p>

      <p class="hotline">
        清单里找不到您要办的事？请拨打政务服务便民热线{' '}
        {tel12345 ? <a href={tel12345}>{HOTLINES.general}</a> : HOTLINES.general}。 商务领域的举报投诉请拨打{' '}
        <a href={telHref(HOTLINES.commerce) ?? undefined}>{HOTLINES.commerce}</a>。
      </p>
    </Layout>
  );
}

/**
 * An office in a list of offices: its name and how much it does, with its first phone (home
 * page) or the other names the document gives it (its department's page).
 */
function OfficeEntry({ office: o, detail }: { office: OfficeOut; detail: 'phone' | 'aliases' }) {
  const phone = o.services[0]?.phones[0];
  return (
    <li>
      <RecordLink href={urls.office(o.id)}>{o.name}</RecordLink>
      {detail === 'aliases' ? <Aliases aliases={o.aliases} /> : null}
      <div class="meta">
        <span>{o.workItems.length} 项工作事项</span>
        {o.services.length > 0 ? <span>{o.services.length} 项公共服务</span> : null}
        {detail === 'phone' && phone ? (
          <span>
            电话 <Phones phones={[phone]} />
          </span>
        ) : null}
      </div>
    </li>
  );
}

/* ----------------------------------------------------------- departments */

function DepartmentsPage({
  ctx,
  departments,
  offices,
  matters,
}: {
  ctx: PageContext;
  departments: Array<{ id: number; name: string; aliases: string[] }>;
  offices: OfficeOut[];
  matters: BoundaryMatterOut[];
}) {
  return (
    <TrailPage ctx={ctx} section="departments" heading={`部门（${departments.length} 个）`}>
      <p class="muted">职责清单中出现的部门。同一部门在原文中的不同写法已合并，并列在“又称”中。</p>
      <Downloads part="boundaries" />
      <ul class="records">
        {departments.map((d) => {
          const own = offices.filter((o) => o.departmentId === d.id && !o.isGroup).length;
          const shared = matters.filter((m) => m.shares.some((s) => s.departmentId === d.id)).length;
          return (
            <li>
              <RecordLink href={urls.department(d.id)}>{d.name}</RecordLink>
              <Aliases aliases={d.aliases} />
              <div class="meta">
                {own > 0 ? <span>{own} 个内设科室</span> : null}
                <span>参与 {shared} 个职责边界事项</span>
              </div>
            </li>
          );
        })}
      </ul>
    </TrailPage>
  );
}

function DepartmentPage({
  ctx,
  department,
  offices,
  matters,
}: {
  ctx: PageContext;
  department: { id: number; name: string; aliases: string[] };
  offices: OfficeOut[];
  matters: BoundaryMatterOut[];
}) {
  const real = offices.filter((o) => !o.isGroup);
  return (
    <TrailPage
      ctx={ctx}
      section="departments"
      trail={[{ href: urls.department(department.id), label: department.name }]}
    >
      <Aliases aliases={department.aliases} />

      <h2>内设科室</h2>
      {real.length === 0 ? (
        <p class="muted">本清单没有列出该部门的内设科室。</p>
      ) : (
        <ul class="records">
          {real.map((o) => (
            <OfficeEntry office={o} detail="aliases" />
          ))}
        </ul>
      )}

      <h2>参与的职责边界事项（{matters.length} 个）</h2>
      {matters.length === 0 ? (
        <p class="muted">该部门没有参与职责边界登记表中的事项。</p>
      ) : (
        <ul class="records">
          {matters.map((m) => (
            <li>
              <RecordLink href={urls.matter(m.id)}>{m.name}</RecordLink>
              <span class="muted">（{m.department}清单）</span>
              {m.shares
                .filter((s) => s.departmentId === department.id)
                .map((s) => (
                  <div class="share">
                    <p>
                      <span class="badge">本部门分工</span>
                      <a href={urls.share(m.id, s.id)}>{s.text}</a>
                    </p>
                    <div class="meta">
                      {s.departmentText !== department.name ? (
                        <span>原文写作：{s.departmentText}</span>
                      ) : null}
                      <SourceLink source={s.source} revision={s.revision} />
                    </div>
                  </div>
                ))}
            </li>
          ))}
        </ul>
      )}
    </TrailPage>
  );
}

/* ---------------------------------------------------------------- office */

function OfficePage({
  ctx,
  office,
  items,
  duties,
  related,
  otherMatters,
}: {
  ctx: PageContext;
  office: OfficeOut;
  items: WorkItemOut[];
  duties: DutyOut[];
  related: RelatedMatter[];
  otherMatters: BoundaryMatterOut[];
}) {
  const groups = duties
    .map((d) => ({ duty: d, items: items.filter((i) => i.dutyId === d.id) }))
    .filter((g) => g.items.length > 0);
  return (
    <TrailPage
      ctx={ctx}
      section="departments"
      crumbs={[
        { href: urls.department(office.departmentId), label: office.department },
        { href: urls.office(office.id), label: office.name },
      ]}
    >
      <p>
        <a href={urls.department(office.departmentId)}>{office.department}</a>
        {office.isGroup ? '（科室组合，不是一个单独的科室）' : ' 内设科室'}
      </p>
      <Aliases aliases={office.aliases} />
      <SourceLine source={office.source} revision={office.revision} />
      {office.isGroup && office.members.length > 0 ? (
        <section aria-labelledby="members-h">
          <h2 id="members-h">包括的科室</h2>
          <p>
            <OfficeLinks offices={office.members} />
          </p>
        </section>
      ) : null}

      <section aria-labelledby="services-h">
        <h2 id="services-h">公共服务与联系电话</h2>
        {office.services.length === 0 ? (
          <p class="muted">公共服务事项登记表中没有由本科室承办的服务。</p>
        ) : (
          <ul class="records">
            {office.services.map((s) => (
              <li>
                <RecordLink href={urls.service(s.id)}>{s.name}</RecordLink>
                <div>
                  电话：
                  <Phones phones={s.phones} />
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="items-h">
        <h2 id="items-h">工作事项（{items.length} 项，按主要职责分组）</h2>
        {groups.length === 0 ? <p class="muted">部门职责登记表中没有直接列出本科室的工作事项。</p> : null}
        {groups.map((g) => (
          <div class="panel">
            <h3>
              <a href={urls.duty(g.duty.id)}>主要职责 {g.duty.seq}</a>
            </h3>
            <p class="muted">{shorten(g.duty.text, 80)}</p>
            <ul>
              {g.items.map((i) => (
                <li>
                  <a href={urls.workItem(i.dutyId, i.id)}>{i.text}</a>
                  {i.offices.length > 1 ? (
                    <div class="meta">
                      <span>
                        共同负责：
                        <OfficeLinks offices={i.offices.filter((o) => o.id !== office.id)} />
                      </span>
                    </div>
                  ) : null}
                  {i.remark ? <div class="meta">备注：{i.remark}</div> : null}
                  <SourceLine source={i.source} revision={i.revision} tag="div" />
                </li>
              ))}
            </ul>
          </div>
        ))}
      </section>

      <section aria-labelledby="matters-h">
        <h2 id="matters-h">与其他部门的职责边界</h2>
        {related.length > 0 ? (
          <>
            <p class="muted">根据本科室的工作事项推断与下列事项相关，每项注明依据。</p>
            <ul class="records">
              {related.map((r) => (
                <li>
                  <RecordLink href={urls.matter(r.matter.id)}>{r.matter.name}</RecordLink>
                  <div class="meta">依据：本科室事项“{shorten(r.because, 40)}”</div>
                  {r.matter.shares
                    .filter((s) => s.departmentId === office.departmentId)
                    .map((s) => (
                      <p>
                        <span class="badge">{office.department}分工</span>
                        <a href={urls.share(r.matter.id, s.id)}>{s.text}</a>
                      </p>
                    ))}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p class="muted">没有能从本科室工作事项直接推断出的职责边界事项。</p>
        )}
        {otherMatters.length > 0 ? (
          <>
            <h3>{office.department}参与的其他职责边界事项</h3>
            <ul>
              {otherMatters.map((m) => (
                <li>
                  <a href={urls.matter(m.id)}>{m.name}</a>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
    </TrailPage>
  );
}
