import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { chinaDateTime } from '../../../lib/china-time.ts';
import type { PlanOut } from '../plans/plan.presenter.ts';
import {
  drawFileText,
  type ExcludedMember,
  listPlanExclusions,
  listPlanPopulation,
  listTasks,
  type TaskOut,
} from '../plans/plan.repo.ts';
import { listPlans } from '../plans/plan.service.ts';
import { CATEGORY_NAME } from '../reference/index.ts';
import { type Citation, ratioText } from '../rules/rules.ts';
import { toCsv } from '../shared/csv.ts';
import { planIdOf, publicPlanOrNull, type RegimeInfo, regimeInfos } from './notice.load.ts';
import { frequencyText, inspectorsCell } from './notice.views.tsx';

/**
 * The open-data downloads of 一公开: CSV of the items, plans and tasks and of a plan's frozen
 * population, and the draw file (JSON) that `zhize draw verify` accepts. Each CSV is one column
 * table — `[heading, value of a row]` — that gives both the header line and every row.
 */

type Cell = string | number | null | undefined;
export type CsvColumn<T> = readonly [heading: string, value: (row: T) => Cell];

export function csvOf<T>(columns: readonly CsvColumn<T>[], rows: readonly T[]): string {
  return toCsv(
    columns.map(([heading]) => heading),
    rows.map((row) => columns.map(([, value]) => value(row))),
  );
}

const cite = (c: Citation | null) => (c ? `第${c.line}行` : '');

export const ITEM_CSV: readonly CsvColumn<RegimeInfo>[] = [
  ['序号', ({ rule }) => rule.seq],
  ['抽查事项', ({ rule }) => rule.title],
  [
    '抽查依据',
    ({ rule }) =>
      `《衡水市商务局事中事后监管制度》${rule.title}（原文第${rule.lines.from}–${rule.lines.to}行）`,
  ],
  ['抽查对象', ({ rule }) => rule.subjects.categories.map((c) => CATEGORY_NAME[c]).join('、')],
  ['抽查比例', ({ rule }) => ratioText(rule)],
  ['比例出处', ({ rule }) => cite(rule.minSamplingRatio.citation)],
  ['抽查频次', ({ rule }) => frequencyText(rule)],
  ['频次出处', ({ rule }) => cite(rule.roundsPerYear.citation)],
  ['执法人员', ({ rule }) => inspectorsCell(rule)],
  ['人数出处', ({ rule }) => cite(rule.minInspectors.citation)],
  ['抽查内容', ({ regime }) => (regime?.checkItems ?? []).map((c) => c.text).join('\n')],
  ['抽查方式', ({ rule }) => rule.methods.map((m) => m.text).join('；')],
];

/** Never the server seed before the draw: `draw` is null until then (plan.presenter.ts). */
export const PLAN_CSV: readonly CsvColumn<PlanOut>[] = [
  ['计划编号', (p) => p.id],
  ['计划', (p) => p.title],
  ['监管制度序号', (p) => p.regimeSeq],
  ['年度', (p) => p.year],
  ['轮次', (p) => p.round],
  ['状态', (p) => p.statusName],
  ['抽查比例', (p) => p.ratio],
  ['每项任务执法人员', (p) => p.minInspectors],
  ['抽取算法版本', (p) => p.algorithmVersion],
  ['检查期间', (p) => (p.period ? `${p.period.start}/${p.period.end}` : '')],
  ['分类抽查比例', (p) => p.classRatios.map((r) => `${r.code}:${r.ratio}`).join(' ')],
  ['年度检查次数上限', (p) => p.yearlyCap],
  [
    '执法人员选派范围',
    (p) => (p.inspectorScope === null ? '' : p.inspectorScope === 'own-county' ? '属地' : '可跨县'),
  ],
  ['见证值来源', (p) => p.witness?.sourceName],
  ['期号或轮次', (p) => p.witness?.reference],
  ['计划抽取时间（北京时间）', (p) => (p.witness ? chinaDateTime(p.witness.plannedDrawAt) : '')],
  ['公布承诺时间（北京时间）', (p) => (p.committedAt ? chinaDateTime(p.committedAt) : '')],
  ['检查对象总数', (p) => p.commitment?.populationSize],
  ['抽取数量', (p) => p.commitment?.sampleSize],
  ['populationHash', (p) => p.commitment?.populationHash],
  ['exclusionsHash', (p) => p.commitment?.exclusionsHash],
  ['inspectorsHash', (p) => p.commitment?.inspectorsHash],
  ['serverSeedHash', (p) => p.commitment?.serverSeedHash],
  ['commitHash', (p) => p.commitment?.commitHash],
  ['抽取时间（北京时间）', (p) => (p.draw ? chinaDateTime(p.draw.drawnAt) : '')],
  ['见证值', (p) => p.draw?.witness],
  ['规范化见证值', (p) => p.draw?.witnessCanonical],
  ['serverSeed', (p) => p.draw?.serverSeed],
  ['drawSeed', (p) => p.draw?.drawSeed],
  ['抽取文件SHA-256', (p) => p.draw?.drawFileSha256],
];

/** A task with the title of its plan; inspectors by certificate number only. */
export const TASK_CSV: readonly CsvColumn<TaskOut & { planTitle: string }>[] = [
  ['计划编号', (t) => t.planId],
  ['计划', (t) => t.planTitle],
  ['序号', (t) => t.position],
  ['检查对象', (t) => t.name],
  ['统一社会信用代码', (t) => t.uscc],
  ['县（市、区）', (t) => t.county],
  ['风险类别', (t) => t.riskClass],
  ['执法人员（执法证号）', (t) => t.inspectors.join(' ')],
];

export const POPULATION_CSV: readonly CsvColumn<{
  uscc: string;
  name: string;
  county: string;
  risk_class: string | null;
}>[] = [
  ['统一社会信用代码', (r) => r.uscc],
  ['名称', (r) => r.name],
  ['县（市、区）', (r) => r.county],
  ['风险类别', (r) => r.risk_class],
];

export const EXCLUSION_CSV: readonly CsvColumn<ExcludedMember>[] = [
  ['统一社会信用代码', (r) => r.uscc],
  ['名称', (r) => r.name],
  ['县（市、区）', (r) => r.county],
  ['本年度已检查次数', (r) => r.checks],
];

const tasksCsv = (tasks: TaskOut[], plans: PlanOut[]) => {
  const titles = new Map(plans.map((p) => [p.id, p.title]));
  return csvOf(
    TASK_CSV,
    tasks.map((t) => ({ ...t, planTitle: titles.get(t.planId) ?? '' })),
  );
};

export function sendCsv(reply: FastifyReply, name: string, csv: string): FastifyReply {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}"`)
    .send(csv);
}

const notFoundJson = (reply: FastifyReply, message: string) =>
  reply.status(404).send({ error: { code: 'not_found', message } });

export const noticeDownloads: FastifyPluginAsync = async (app) => {
  const db = () => app.database.db;
  const hide = { schema: { hide: true } };

  app.get('/supervision/items.csv', hide, async (req, reply) =>
    sendCsv(reply, 'supervision-items.csv', csvOf(ITEM_CSV, await regimeInfos(req))),
  );

  app.get('/supervision/plans.csv', hide, async (_req, reply) =>
    sendCsv(reply, 'supervision-plans.csv', csvOf(PLAN_CSV, await listPlans(db(), { publicOnly: true }))),
  );

  app.get('/supervision/tasks.csv', hide, async (_req, reply) => {
    const plans = await listPlans(db(), { publicOnly: true, status: 'drawn' });
    const tasks = await listTasks(db(), {});
    return sendCsv(reply, 'supervision-tasks.csv', tasksCsv(tasks, plans));
  });

  app.get('/supervision/plans/:id/tasks.csv', hide, async (req, reply) => {
    const plan = await publicPlanOrNull(req, planIdOf(req));
    if (!plan?.draw) return notFoundJson(reply, '计划不存在或尚未抽取');
    const tasks = await listTasks(db(), { planId: plan.id });
    return sendCsv(reply, `plan-${plan.id}-tasks.csv`, tasksCsv(tasks, [plan]));
  });

  app.get('/supervision/plans/:id/population.csv', hide, async (req, reply) => {
    const plan = await publicPlanOrNull(req, planIdOf(req));
    if (!plan) return notFoundJson(reply, '计划不存在或尚未公布');
    const rows = await listPlanPopulation(db(), plan.id);
    return sendCsv(reply, `plan-${plan.id}-population.csv`, csvOf(POPULATION_CSV, rows));
  });

  app.get('/supervision/plans/:id/exclusions.csv', hide, async (req, reply) => {
    const plan = await publicPlanOrNull(req, planIdOf(req));
    if (!plan) return notFoundJson(reply, '计划不存在或尚未公布');
    const rows = await listPlanExclusions(db(), plan.id);
    return sendCsv(reply, `plan-${plan.id}-exclusions.csv`, csvOf(EXCLUSION_CSV, rows));
  });

  // The commit text, byte for byte: `zhize draw verify <file> --commitment <this file>`.
  app.get('/supervision/plans/:id/commitment.txt', hide, async (req, reply) => {
    const plan = await publicPlanOrNull(req, planIdOf(req));
    if (!plan?.commitment) return notFoundJson(reply, '计划不存在或尚未公布承诺');
    return reply
      .type('text/plain; charset=utf-8')
      .header('content-disposition', `attachment; filename="commitment-plan-${plan.id}.txt"`)
      .send(plan.commitment.commitText);
  });

  app.get('/supervision/plans/:id/draw.json', hide, async (req, reply) => {
    const plan = await publicPlanOrNull(req, planIdOf(req));
    const text = plan ? await drawFileText(db(), plan.id) : null;
    if (!plan || text === null) return notFoundJson(reply, '没有这次抽取：计划不存在或尚未抽取');
    return reply
      .type('application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="draw-plan-${plan.id}.json"`)
      .send(text);
  });
};
