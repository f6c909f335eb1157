import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { notFound } from '../../../http/errors.ts';
import type { PageContext } from '../../../views/portal/context.ts';
import { pageContext } from '../../../views/portal/context.ts';
import { sendNotFound } from '../../../views/portal/errors.tsx';
import { sendPage } from '../../../views/render.ts';
import { StackTable } from '../../../views/table.tsx';
import { publicPlanOrNull } from '../notices/notice.load.ts';
import { Page, supervisionUrls } from '../notices/notice.views.tsx';
import { csvOf, sendCsv } from '../notices/notices.downloads.ts';
import type { PlanOut } from '../plans/plan.presenter.ts';
import { listPlans } from '../plans/plan.service.ts';
import { ErrorBody } from '../supervision.schema.ts';
import { type PublicResult, type PublicWithdrawal, RESULT_CSV } from './inspection.presenter.ts';
import { ResultsQuery, ResultsResponse } from './inspection.schema.ts';
import { PUBLICATION_DEADLINE, RESULT_CATEGORIES } from './result.categories.ts';
import { publicResults } from './result.service.ts';

/**
 * 一公开 of results: the 抽查结果公告 as a page, a CSV and a JSON API (GET
 * /api/v1/supervision/results?plan=), never with inspectors' names; withdrawn results are listed
 * with the reason.
 */

export const resultUrls = {
  page: (plan?: number) => (plan ? `/supervision/results?plan=${plan}` : '/supervision/results'),
  csv: (plan?: number) => (plan ? `/supervision/results.csv?plan=${plan}` : '/supervision/results.csv'),
  api: (plan?: number) => (plan ? `/api/v1/supervision/results?plan=${plan}` : '/api/v1/supervision/results'),
};

const resultColumns = [
  { label: '计划', cell: (r: PublicResult) => <a href={supervisionUrls.plan(r.planId)}>{r.planTitle}</a> },
  { label: '序号', cell: (r: PublicResult) => r.position },
  { label: '检查对象', cell: (r: PublicResult) => r.name },
  { label: '统一社会信用代码', cell: (r: PublicResult) => <code>{r.uscc}</code> },
  { label: '县（市、区）', cell: (r: PublicResult) => r.county },
  { label: '检查日期', cell: (r: PublicResult) => r.checkedOn },
  { label: '检查结果', cell: (r: PublicResult) => r.result.name },
  { label: '结果说明', cell: (r: PublicResult) => r.summary ?? '' },
] as const;

function ResultsPage({
  ctx,
  plan,
  plans,
  published,
  withdrawn,
}: {
  ctx: PageContext;
  plan: PlanOut | null;
  plans: PlanOut[];
  published: PublicResult[];
  withdrawn: PublicWithdrawal[];
}) {
  const id = plan?.id;
  return (
    <Page
      ctx={ctx}
      title={plan ? `${plan.title} 抽查结果公告` : '抽查结果公告'}
      crumbs={[{ href: resultUrls.page(), label: '抽查结果公告' }]}
    >
      <p>
        检查结果由未参加检查的审核人审核后公示，自检查之日起{PUBLICATION_DEADLINE.workingDays}
        个工作日内公布；公示内容不含执法人员姓名。撤回的结果连同撤回理由一并公开。
      </p>
      <p>
        {plan ? (
          <>
            计划：<a href={supervisionUrls.plan(plan.id)}>{plan.title}</a> ·{' '}
            <a href={resultUrls.page()}>全部计划</a>
          </>
        ) : (
          '按计划查看：'
        )}
        {plan
          ? null
          : plans.map((p, k) => (
              <>
                {k > 0 ? '、' : ''}
                <a href={resultUrls.page(p.id)}>{p.title}</a>
              </>
            ))}
      </p>
      <p>
        <a href={resultUrls.csv(id)} download>
          下载 CSV
        </a>{' '}
        · <a href={resultUrls.api(id)}>JSON 接口</a>
      </p>
      <section aria-labelledby="published-h">
        <h2 id="published-h">已公示的检查结果（{published.length} 项）</h2>
        {published.length === 0 ? <p class="muted">暂无已公示的检查结果。</p> : null}
        <StackTable
          rows={published}
          columns={[...resultColumns, { label: '公示日期', cell: (r: PublicResult) => r.publishedOn }]}
        />
      </section>
      {withdrawn.length > 0 ? (
        <section aria-labelledby="withdrawn-h">
          <h2 id="withdrawn-h">已撤回的检查结果（{withdrawn.length} 项）</h2>
          <StackTable
            rows={withdrawn}
            columns={[
              ...resultColumns,
              { label: '公示日期', cell: (r: PublicWithdrawal) => r.publishedOn },
              { label: '撤回日期', cell: (r: PublicWithdrawal) => r.withdrawnOn },
              { label: '撤回理由', cell: (r: PublicWithdrawal) => r.reason },
            ]}
          />
        </section>
      ) : null}
      <details class="panel">
        <summary>检查结果类别及出处</summary>
        <ul>
          {RESULT_CATEGORIES.map((c) => (
            <li>
              {c.name}（平台代码 {c.platformCode}）
            </li>
          ))}
        </ul>
        <p class="muted">
          类别取自“双随机、一公开”监管平台的检查结果类别（所据的省级平台公开代码见 JSON 接口的
          categories.citation）。
        </p>
      </details>
    </Page>
  );
}

/** `?plan=`: a plan id, null when absent, undefined when not a plan id at all. */
function planQuery(req: FastifyRequest): number | null | undefined {
  const v = (req.query as { plan?: unknown }).plan;
  if (v === undefined || v === '') return null;
  return typeof v === 'string' && /^[1-9]\d{0,9}$/.test(v) ? Number(v) : undefined;
}

export const resultPublicPages: FastifyPluginAsync = async (app) => {
  const db = () => app.database.db;
  const hide = { schema: { hide: true } };

  app.get('/supervision/results', hide, async (req, reply) => {
    const id = planQuery(req);
    const plan = id ? await publicPlanOrNull(req, id) : null;
    if (id === undefined || (id !== null && !plan)) return sendNotFound(req, reply, '这个抽查计划');
    const [{ published, withdrawn }, plans] = await Promise.all([
      publicResults(db(), plan?.id),
      listPlans(db(), { publicOnly: true, status: 'drawn' }),
    ]);
    return sendPage(
      reply,
      <ResultsPage
        ctx={pageContext(req, reply)}
        plan={plan}
        plans={plans}
        published={published}
        withdrawn={withdrawn}
      />,
    );
  });

  app.get('/supervision/results.csv', hide, async (req, reply) => {
    const id = planQuery(req);
    const plan = id ? await publicPlanOrNull(req, id) : null;
    if (id === undefined || (id !== null && !plan)) {
      return reply.status(404).send({ error: { code: 'not_found', message: '计划不存在或尚未公布' } });
    }
    const { published } = await publicResults(db(), plan?.id);
    return sendCsv(
      reply,
      plan ? `plan-${plan.id}-results.csv` : 'supervision-results.csv',
      csvOf(RESULT_CSV, published),
    );
  });
};

/** GET /api/v1/supervision/results?plan= (registered with the public supervision API). */
export const resultsApi: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/supervision/results',
    {
      schema: {
        tags: ['supervision'],
        summary: '抽查结果公告：已公示的检查结果和撤回的结果（不含执法人员姓名）',
        querystring: ResultsQuery,
        response: { 200: ResultsResponse, 404: ErrorBody },
      },
    },
    async (req): Promise<z.infer<typeof ResultsResponse>> => {
      const plan = req.query.plan ? await publicPlanOrNull(req, req.query.plan) : null;
      if (req.query.plan && !plan) throw notFound(`抽查计划 ${req.query.plan}`);
      const { published, withdrawn } = await publicResults(app.database.db, plan?.id);
      return {
        plan: plan ? { id: plan.id, title: plan.title } : null,
        deadline: PUBLICATION_DEADLINE,
        categories: [...RESULT_CATEGORIES],
        items: published,
        withdrawn,
      };
    },
  );
};
