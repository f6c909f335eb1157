import type { FastifyPluginAsync } from 'fastify';
import { DataLink, Phone, Snippet } from '../../views/portal/components.tsx';
import { type PageContext, pageContext } from '../../views/portal/context.ts';
import { Layout, SEARCH_ACTION } from '../../views/portal/layout.tsx';
import { HOTLINES, telHref } from '../../views/portal/phone.ts';
import { urls } from '../../views/portal/urls.ts';
import { sendPage } from '../../views/render.ts';
import { type ResolveConfidence, type ResolveResult, type SearchResult, searchAndResolve } from './index.ts';

/** Longest question passed on to search (characters); longer input is cut. */
const MAX_QUERY = 100;

/**
 * /search?q=: the "谁来管" answer card (top resolver answer, or an honest no-match pointing to
 * 12345) above the search results grouped by kind with highlighted matches. Empty q: help.
 */
export const searchPages: FastifyPluginAsync = async (app) => {
  app.get('/search', { schema: { hide: true } }, async (req, reply) => {
    const raw = (req.query as Record<string, unknown>).q;
    const q = typeof raw === 'string' ? Array.from(raw.trim()).slice(0, MAX_QUERY).join('') : '';
    const ctx = pageContext(req, reply);
    if (q === '') return sendPage(reply, <SearchHelpPage ctx={ctx} />);
    const { db, dialect } = app.database;
    const { search: result, resolve: resolved } = await searchAndResolve(db, dialect, q);
    return sendPage(reply, <SearchPage ctx={ctx} q={q} result={result} resolved={resolved} />);
  });
};

/**
 * The help page's examples, each with the department the lists give (search.pages.test.ts asks
 * every one through the app). No bare 护照: the bureau handles official passports only.
 */
export const SEARCH_EXAMPLES: ReadonlyArray<{ q: string; department: string; office: string | null }> = [
  { q: '我想开药店找哪个部门', department: '市市场监督管理局', office: null },
  { q: '预付卡备案找哪个科', department: '衡水市商务局', office: '市场秩序和政策法规科' },
  { q: '加油站', department: '衡水市商务局', office: '市场运行和消费促进科' },
  { q: '外资', department: '衡水市商务局', office: '外国投资管理和对外经济合作科' },
  { q: '因公护照怎么办理', department: '衡水市商务局', office: '外事科' },
  { q: '货代', department: '衡水市商务局', office: '流通业发展服务贸易和市场体系建设科' },
  { q: '报废车拆解企业谁来查', department: '衡水市商务局', office: null },
];

function SearchForm({ q }: { q: string }) {
  return (
    <search>
      <form method="get" action={SEARCH_ACTION} class="big-search">
        <label for="search-q">输入问题或关键词</label>
        <div class="search-row">
          <input
            id="search-q"
            type="search"
            name="q"
            value={q}
            placeholder="例如：开药店找哪个部门"
            autocomplete="off"
          />
          <button type="submit">搜索</button>
        </div>
      </form>
    </search>
  );
}

function SearchHelpPage({ ctx }: { ctx: PageContext }) {
  const tel = telHref(HOTLINES.general);
  return (
    <Layout
      title="搜索"
      ctx={ctx}
      section="search"
      searchInMain
      crumbs={[{ href: SEARCH_ACTION, label: '搜索' }]}
    >
      <h1>搜索</h1>
      <SearchForm q="" />
      <h2>怎么搜</h2>
      <ul>
        <li>直接问一句话，例如“我想开药店找哪个部门”，页面顶部会给出负责的部门、科室和电话。</li>
        <li>也可以只输入关键词，两个字也可以，例如“外资”“货代”“药店”。</li>
        <li>
          常用说法会自动对应到清单里的正式名称，例如“购物卡”对应“单用途商业预付卡”，“加油站”对应“成品油零售”。
        </li>
      </ul>
      <p>
        搜索范围：部门职责的工作事项、主要职责、职责边界的部门分工和案例、事中事后监管制度、公共服务事项。
      </p>
      <p class="examples">
        试试：
        {SEARCH_EXAMPLES.map((e) => (
          <a href={urls.search(e.q)}>{e.q}</a>
        ))}
      </p>
      <p class="hotline">
        找不到答案时，请拨打政务服务便民热线 {tel ? <a href={tel}>{HOTLINES.general}</a> : HOTLINES.general}。
      </p>
    </Layout>
  );
}

/** What each confidence level tells the reader (levels: resolve.present.ts, confidenceOf). */
const CONFIDENCE_NOTE: Record<ResolveConfidence['level'], string> = {
  high: '清单中有与问题明确对应的记录。',
  medium: '清单中有相关的记录，但与问题不完全对应，请核对下面的依据。',
  low: '清单中只找到部分相关的记录，下面的部门仅供参考，建议先电话核实。',
};

function Confidence({ confidence }: { confidence: ResolveConfidence }) {
  return (
    <p class="confidence" data-level={confidence.level}>
      把握程度：<strong>{confidence.label}</strong>。{CONFIDENCE_NOTE[confidence.level]}
    </p>
  );
}

function Shared({ shared }: { shared: NonNullable<ResolveResult['shared']> }) {
  return (
    <div class="shared-matter">
      <p>
        这件事由几个部门分工负责（职责边界清单“
        <DataLink href={shared.url}>{shared.matter}</DataLink>”）：
      </p>
      <ul>
        {shared.roles.map((r) => (
          <li>
            <strong>{r.department}</strong>：{r.does}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Complaint({ complaint }: { complaint: NonNullable<ResolveResult['complaint']> }) {
  return (
    <p class="complaint">
      投诉、举报{complaint.department}负责的事项，可拨打 <Phone phone={complaint.phone} />（
      {complaint.office ? `${complaint.office}，` : ''}公共服务事项“
      <DataLink href={complaint.url}>{complaint.service}</DataLink>”）。
    </p>
  );
}

function WhoCard({ resolved }: { resolved: ResolveResult }) {
  const top = resolved.answers[0];
  const general = resolved.noMatch?.hotline ?? HOTLINES.general;
  if (!top) {
    return (
      <section class="who-card no-match" aria-labelledby="who-h">
        <h2 id="who-h">谁来管</h2>
        <p>{resolved.noMatch?.message ?? '清单里没有找到明确负责这件事的部门。'}</p>
        {resolved.referral ? (
          <p>
            这件事（{resolved.referral.topic}）不在本清单内，通常由{resolved.referral.goesTo}办理。
          </p>
        ) : null}
        <p>
          政务服务便民热线：
          <Phone phone={general} />
        </p>
      </section>
    );
  }
  const others = resolved.answers.slice(1);
  const unsure = resolved.confidence?.level === 'low';
  return (
    <section class="who-card" aria-labelledby="who-h">
      <h2 id="who-h">谁来管</h2>
      {resolved.confidence ? <Confidence confidence={resolved.confidence} /> : null}
      <p class="dept">{top.department}</p>
      <dl>
        {top.office ? (
          <>
            <dt>负责科室</dt>
            <dd>{top.office}</dd>
          </>
        ) : null}
        <dt>联系电话</dt>
        <dd>
          {top.phone ? (
            <Phone phone={top.phone} />
          ) : (
            <>
              本清单未公布{top.office ? '该科室的' : ''}联系电话，可拨打 <Phone phone={general} /> 转接。
            </>
          )}
        </dd>
        <dt>依据</dt>
        <dd>
          {top.reason}{' '}
          <DataLink href={top.source.url} class="src">
            查看清单原文记录
          </DataLink>
        </dd>
      </dl>
      {resolved.shared ? <Shared shared={resolved.shared} /> : null}
      {resolved.complaint ? <Complaint complaint={resolved.complaint} /> : null}
      {unsure && top.phone ? (
        <p>
          不确定时也可拨打政务服务便民热线 <Phone phone={general} /> 咨询。
        </p>
      ) : null}
      {others.length > 0 ? (
        <details class="more-answers" open={unsure}>
          <summary>其他可能负责的部门（{others.length}）</summary>
          <ul>
            {others.map((a) => (
              <li>
                <DataLink href={a.source.url}>
                  {a.department}
                  {a.office ? ` · ${a.office}` : ''}
                </DataLink>
                {a.phone ? (
                  <>
                    {' '}
                    电话 <Phone phone={a.phone} />
                  </>
                ) : null}
                <div class="meta">{a.reason}</div>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

function SearchPage({
  ctx,
  q,
  result,
  resolved,
}: {
  ctx: PageContext;
  q: string;
  result: SearchResult;
  resolved: ResolveResult;
}) {
  const groups = result.groups.filter((g) => g.hits.length > 0);
  return (
    <Layout
      title={`搜索：${q}`}
      ctx={ctx}
      section="search"
      searchInMain
      crumbs={[{ href: urls.search(q), label: '搜索' }]}
    >
      <h1>搜索“{q}”</h1>
      <SearchForm q={q} />
      <WhoCard resolved={resolved} />
      <section aria-labelledby="results-h">
        <h2 id="results-h">
          {result.total > 0 ? `找到 ${result.total} 条相关记录` : `没有找到与“${q}”相关的记录`}
        </h2>
        {result.total === 0 ? <p>可以换个说法，或只输入关键词（两个字也可以）再试。</p> : null}
        {groups.length > 1 ? (
          <nav class="group-nav" aria-label="按类别查看结果">
            <ul>
              {groups.map((g) => (
                <li>
                  <a href={`#kind-${g.kind}`}>
                    {g.label}（{result.counts[g.kind] ?? g.hits.length}）
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        {groups.map((g) => (
          <section id={`kind-${g.kind}`} aria-labelledby={`kind-h-${g.kind}`}>
            <h3 id={`kind-h-${g.kind}`}>
              {g.label}（{result.counts[g.kind] ?? g.hits.length} 条）
            </h3>
            <ol class="records">
              {g.hits.map((h) => (
                <li>
                  <DataLink href={h.url} class="hit-title">
                    {h.title}
                  </DataLink>
                  <p class="snippet">
                    <Snippet segments={h.snippet} />
                  </p>
                  <div class="meta">
                    <span>{h.department}</span>
                    {h.office ? <span>{h.office}</span> : null}
                  </div>
                </li>
              ))}
            </ol>
            {(result.counts[g.kind] ?? 0) > g.hits.length ? (
              <p class="meta">
                显示最相关的 {g.hits.length} 条，共 {result.counts[g.kind]} 条；换个更具体的说法可以缩小范围。
              </p>
            ) : null}
          </section>
        ))}
      </section>
    </Layout>
  );
}
