import type { FastifyPluginAsync } from 'fastify';
import type { PageContext } from '../../../views/portal/context.ts';
import { pageContext } from '../../../views/portal/context.ts';
import { sendNotFound } from '../../../views/portal/errors.tsx';
import { sendPage } from '../../../views/render.ts';
import { type Column, StackTable } from '../../../views/table.tsx';
import { type PublicAdjustment, publicAdjustments } from '../inspections/adjustment.service.ts';
import { AdjustmentsSection } from '../inspections/adjustment.views.tsx';
import type { PlanOut } from '../plans/plan.presenter.ts';
import { type ExcludedMember, listPlanExclusions, listTasks, type TaskOut } from '../plans/plan.repo.ts';
import { listPlans, minInspectorsOf } from '../plans/plan.service.ts';
import {
  AllocationTable,
  beijingText,
  CommitmentTable,
  planV2Rows,
  versionText,
} from '../plans/plan.views.tsx';
import { CATEGORY_NAME } from '../reference/index.ts';
import { NOT_STATED_ZH, ratioText, ruleOf } from '../rules/rules.ts';
import { planIdOf, publicPlanOrNull } from './notice.load.ts';
import { crumbsTo, FieldTable, Page, supervisionUrls } from './notice.views.tsx';

/**
 * 计划公告 and 任务公告: a plan's parameters and commitment before the draw, everything after it;
 * the drawn entities with their inspectors by certificate number only.
 */

function PlansPage({ ctx, plans }: { ctx: PageContext; plans: PlanOut[] }) {
  return (
    <Page ctx={ctx} title="抽查计划公告" crumbs={[crumbsTo.plans]}>
      <p>计划在抽取前公布参数和承诺哈希；抽取后公布见证值、服务器种子、任务和完整的抽取文件。</p>
      <p>
        <a href={supervisionUrls.plansCsv()} download>
          下载 CSV
        </a>
      </p>
      {plans.length === 0 ? <p class="muted">暂无已公布的抽查计划。</p> : null}
      <ol class="records">
        {plans.map((p) => (
          <li>
            <a class="hit-title" href={supervisionUrls.plan(p.id)}>
              {p.title}
            </a>
            <div class="meta">
              <span>{p.statusName}</span>
              <span>比例 {p.ratio}</span>
              {p.commitment ? (
                <span>
                  从 {p.commitment.populationSize} 个检查对象中抽取 {p.commitment.sampleSize} 个
                </span>
              ) : null}
            </div>
          </li>
        ))}
      </ol>
    </Page>
  );
}

/** The public columns of a task: inspectors by certificate number only. */
const TASK_COLUMNS: readonly Column<TaskOut>[] = [
  { label: '序号', cell: (t) => t.position },
  { label: '检查对象', cell: (t) => t.name },
  { label: '统一社会信用代码', cell: (t) => <code>{t.uscc}</code> },
  { label: '县（市、区）', cell: (t) => t.county },
  {
    label: '风险类别',
    cell: (t) => (t.riskClass === null ? '—' : t.riskClass === 'U' ? '未评定' : `${t.riskClass}类`),
  },
  { label: '执法人员（执法证号）', cell: (t) => t.inspectors.join('、') },
];

function TasksTable({ tasks }: { tasks: TaskOut[] }) {
  return <StackTable columns={TASK_COLUMNS} rows={tasks} />;
}

/** Version 2: the entities left out at the yearly cap, listed as the commitment lists them. */
function ExclusionsSection({ plan, exclusions }: { plan: PlanOut; exclusions: ExcludedMember[] }) {
  if (plan.algorithmVersion !== 2 || !plan.commitment) return null;
  return (
    <section aria-labelledby="excluded-h">
      <h2 id="excluded-h">因达到年度检查次数上限而未进入名录（{exclusions.length} 个）</h2>
      <p>
        本年度已被抽查 {plan.yearlyCap}{' '}
        次或以上的企业不再进入本计划的名录（《国务院办公厅关于严格规范涉企行政检查的意见》（国办发〔2024〕54号）要求公布同一企业年度检查频次上限）。这份名单已写入承诺（exclusionsHash），抽取后不能增删。{' '}
        <a href={supervisionUrls.exclusionsCsv(plan.id)} download>
          下载（CSV）
        </a>
      </p>
      {exclusions.length > 0 ? (
        <StackTable
          rows={exclusions}
          columns={[
            { label: '检查对象', cell: (e) => e.name },
            { label: '统一社会信用代码', cell: (e) => <code>{e.uscc}</code> },
            { label: '县（市、区）', cell: (e) => e.county },
            { label: '本年度已检查次数', cell: (e) => e.checks },
          ]}
        />
      ) : (
        <p class="muted">没有企业因此被排除。</p>
      )}
    </section>
  );
}

function PlanPage({
  ctx,
  plan,
  tasks,
  exclusions,
  adjustments = [],
}: {
  ctx: PageContext;
  plan: PlanOut;
  tasks: TaskOut[];
  exclusions: ExcludedMember[];
  adjustments?: readonly PublicAdjustment[];
}) {
  const rule = ruleOf(plan.regimeSeq)!;
  return (
    <Page ctx={ctx} title={plan.title} crumbs={[crumbsTo.plans, crumbsTo.plan(plan)]}>
      <p>
        状态：<strong>{plan.statusName}</strong> · 抽查事项：
        <a href={supervisionUrls.item(rule.seq)}>{rule.title}</a>
      </p>
      <FieldTable
        caption="计划参数"
        rows={[
          [
            '年度、轮次',
            <>
              {plan.year} 年第 {plan.round} 轮
            </>,
          ],
          [
            '检查对象',
            <>
              名录库中“{rule.subjects.categories.map((x) => CATEGORY_NAME[x]).join('、')}
              ”类、正常经营的检查对象
              {plan.counties.length ? `；限 ${plan.counties.join('、')}` : ''}
              {plan.riskClasses.length ? `；限 ${plan.riskClasses.map((r) => r.name).join('、')}` : ''}
            </>,
          ],
          [
            '抽查比例',
            <>
              {plan.ratio}（制度规定：{ratioText(rule)}）
              {plan.belowMinimum ? `。低于规定比例，理由：${plan.belowMinReason ?? ''}；已经审核人批准` : ''}
            </>,
          ],
          [
            '每项任务的执法人员',
            <>
              {plan.minInspectors} 名（制度规定：
              {rule.minInspectors.value === null
                ? `${NOT_STATED_ZH}，默认至少${minInspectorsOf(rule)}名`
                : `至少${rule.minInspectors.value}名`}
              ）
            </>,
          ],
          [
            '分层',
            plan.algorithmVersion === 2
              ? '按风险类别×县（市、区）分层，各类别按其比例向上取整后在各县（市、区）间按最大余数法分配'
              : '按县（市、区）按比例分配（最大余数法）',
          ],
          ...planV2Rows(plan),
          ['抽取算法', versionText(plan)],
        ]}
      />
      <CommitmentTable
        plan={plan}
        populationHref={supervisionUrls.populationCsv(plan.id)}
        commitmentHref={supervisionUrls.commitment(plan.id)}
      />
      <AllocationTable plan={plan} />
      <ExclusionsSection plan={plan} exclusions={exclusions} />
      {plan.draw ? (
        <section aria-labelledby="tasks-h">
          <h2 id="tasks-h">任务公告（{tasks.length} 项）</h2>
          <p>
            抽取于 {beijingText(plan.draw.drawnAt)}，见证值 <code>{plan.draw.witnessCanonical}</code>。{' '}
            <a href={supervisionUrls.draw(plan.id)}>核验这次抽取</a> ·{' '}
            <a href={supervisionUrls.planTasksCsv(plan.id)} download>
              任务下载（CSV）
            </a>
          </p>
          <p class="muted">执法人员只公布执法证号。</p>
          <TasksTable tasks={tasks} />
          <p>
            <a href={`/supervision/results?plan=${plan.id}`}>本计划的抽查结果公告</a>
          </p>
        </section>
      ) : (
        <p class="panel">
          尚未抽取。
          {plan.witness
            ? `将于 ${beijingText(plan.witness.plannedDrawAt)} 之后，以${plan.witness.sourceName} ${plan.witness.reference} 的结果为见证值抽取；`
            : '抽取时录入见证值；'}
          抽取后公开服务器种子、任务和完整的抽取文件。请保存上面的 commitHash，抽取后用它核对。
        </p>
      )}
      <AdjustmentsSection adjustments={adjustments} />
    </Page>
  );
}

function AllTasksPage({ ctx, plans, tasks }: { ctx: PageContext; plans: PlanOut[]; tasks: TaskOut[] }) {
  return (
    <Page ctx={ctx} title="抽查任务公告" crumbs={[crumbsTo.tasks]}>
      <p>
        已抽取的计划中被抽中的检查对象和选派的执法人员（只公布执法证号）。{' '}
        <a href={supervisionUrls.tasksCsv()} download>
          下载 CSV
        </a>
      </p>
      {plans.length === 0 ? <p class="muted">暂无已抽取的计划。</p> : null}
      {plans.map((p) => (
        <section aria-labelledby={`plan-${p.id}-h`}>
          <h2 id={`plan-${p.id}-h`}>
            <a href={supervisionUrls.plan(p.id)}>{p.title}</a>
          </h2>
          <TasksTable tasks={tasks.filter((t) => t.planId === p.id)} />
        </section>
      ))}
    </Page>
  );
}

export const planNoticePages: FastifyPluginAsync = async (app) => {
  const db = () => app.database.db;
  const hide = { schema: { hide: true } };

  app.get('/supervision/plans', hide, async (req, reply) =>
    sendPage(
      reply,
      <PlansPage ctx={pageContext(req, reply)} plans={await listPlans(db(), { publicOnly: true })} />,
    ),
  );

  app.get('/supervision/plans/:id', hide, async (req, reply) => {
    const plan = await publicPlanOrNull(req, planIdOf(req));
    if (!plan) return sendNotFound(req, reply, '这个抽查计划');
    const tasks = plan.draw ? await listTasks(db(), { planId: plan.id }) : [];
    const exclusions = await listPlanExclusions(db(), plan.id);
    const adjustments = plan.draw ? await publicAdjustments(db(), plan.id) : [];
    return sendPage(
      reply,
      <PlanPage
        ctx={pageContext(req, reply)}
        plan={plan}
        tasks={tasks}
        exclusions={exclusions}
        adjustments={adjustments}
      />,
    );
  });

  app.get('/supervision/tasks', hide, async (req, reply) => {
    const plans = await listPlans(db(), { publicOnly: true, status: 'drawn' });
    const tasks = await listTasks(db(), {});
    return sendPage(reply, <AllTasksPage ctx={pageContext(req, reply)} plans={plans} tasks={tasks} />);
  });
};
