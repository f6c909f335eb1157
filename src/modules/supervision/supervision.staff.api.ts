import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { acceptApiTokens, BEARER_SECURITY, type SessionUser } from '../auth/index.ts';
import { importEntities } from './entities/entity.import.ts';
import { entityAbilities } from './entities/entity.policy.ts';
import { inspectionAbilities } from './inspections/inspection.policy.ts';
import { findInspection } from './inspections/inspection.repo.ts';
import {
  confirmRecord,
  getTaskView,
  listTasksFor,
  type RecordInput,
  saveRecord,
  type TaskListItem,
} from './inspections/inspection.service.ts';
import { listForReview, publishResult, returnResult } from './inspections/result.service.ts';
import { statusName } from './inspections/result.workflow.ts';
import { planAbilities } from './plans/plan.policy.ts';
import { type PlanOut, presentPublic } from './plans/plan.presenter.ts';
import { listPlanExclusions } from './plans/plan.repo.ts';
import { commitPlanAction, createPlan, drawPlan, getPlan, type PlanInput } from './plans/plan.service.ts';
import { ErrorBody } from './supervision.schema.ts';
import {
  ConfirmBody,
  Confirmed,
  DrawBody,
  IdParam,
  ImportQuery,
  ImportResultOut,
  NewPlan,
  RecordBody,
  RecordSaved,
  ReviewBody,
  Reviewed,
  ReviewList,
  SpreadsheetBody,
  StaffPlan,
  TaskDetail,
  TaskList,
  TasksQuery,
} from './supervision.staff.schema.ts';

/**
 * The staff supervision API under /api/v1/staff (bearer tokens only, `zhize token create`), for
 * inspectors' phones and the provincial platform: the whole journey of 双随机、一公开 without a
 * browser — import the register, make, commit and draw a plan, read one's tasks, fill in and
 * confirm the on-site record, review and publish results. Thin handlers over the same services
 * and ability tables as the back office pages (entities/, plans/, inspections/): the token's user's
 * role and offices decide, and the services audit each write in its transaction.
 */

const SPREADSHEET_TYPES = [
  'text/csv',
  'application/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/octet-stream',
];

const refusals = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** A plan as staff see it: the public projection (no seed before the draw), its state and author, the exclusions. */
async function presentStaffPlan(
  db: Parameters<typeof listPlanExclusions>[0],
  p: PlanOut,
): Promise<z.infer<typeof StaffPlan>> {
  const exclusions = p.status === 'draft' ? [] : await listPlanExclusions(db, p.id);
  return {
    ...presentPublic(p),
    status: p.status,
    statusName: p.statusName,
    createdBy: p.createdBy,
    createdAt: p.createdAt,
    exclusions: exclusions.map((e) => ({ uscc: e.uscc, name: e.name, county: e.county, checks: e.checks })),
  };
}

const presentTask = (t: TaskListItem) => ({
  id: t.id,
  planId: t.planId,
  planTitle: t.planTitle,
  position: t.position,
  uscc: t.uscc,
  name: t.name,
  county: t.county,
  address: t.address,
  licenceNo: t.licenceNo,
  inspectors: t.inspectors,
  due: t.due,
  daysLeft: t.daysLeft,
  inspectionId: t.inspectionId,
  status: t.status,
  statusName: t.statusName,
  open: t.open,
});

/** The JSON record as the service takes it (the same fields as the task page's form). */
const recordInput = (b: z.infer<typeof RecordBody>): RecordInput => ({
  checkedAt: b.checkedAt,
  place: b.place,
  representative: b.representative,
  representativeRole: b.representativeRole,
  refused: b.refused,
  refusalNote: b.refusalNote,
  notes: b.notes,
  resultCode: b.resultCode,
  resultSummary: b.resultSummary,
  answers: new Map(b.answers.map((a) => [a.position, { answer: a.answer, note: a.note }])),
});

export const supervisionStaffApi: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  acceptApiTokens(app);
  app.addContentTypeParser(SPREADSHEET_TYPES, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  const tags = ['staff', 'supervision'];
  const security = BEARER_SECURITY;
  const db = () => app.database.db;
  const dueDays = () => app.config.taskDueDays;
  const user = (req: { user?: SessionUser | null }) => req.user!;

  // ── the entity register ──

  app.post(
    '/staff/entities/import',
    {
      schema: {
        tags,
        security,
        summary: '批量导入检查对象名录库（CSV 或 XLSX 请求体，列同后台模板；有一行错误则整个文件不导入）',
        consumes: SPREADSHEET_TYPES,
        querystring: ImportQuery,
        body: SpreadsheetBody,
        response: { 200: ImportResultOut, ...refusals },
      },
      preHandler: entityAbilities.guard('maintain'),
    },
    async (req) => {
      const xlsx = req.body[0] === 0x50 && req.body[1] === 0x4b;
      const filename = req.query.filename?.trim() || (xlsx ? 'entities.xlsx' : 'entities.csv');
      return db()
        .transaction()
        .execute((tx) => importEntities(tx, user(req), { filename, data: req.body }));
    },
  );

  // ── plans: create, read, commit, draw ──

  app.post(
    '/staff/plans',
    {
      schema: {
        tags,
        security,
        summary:
          '制定抽查计划（草稿）；写明见证值来源的为第 2 版算法：检查期间、分级比例、年度检查次数上限、属地',
        body: NewPlan,
        response: { 201: StaffPlan, ...refusals },
      },
      preHandler: planAbilities.guard('create'),
    },
    async (req, reply) => {
      const input: PlanInput = { ...req.body };
      const id = await db()
        .transaction()
        .execute((tx) => createPlan(tx, user(req), input));
      return reply.status(201).send(await presentStaffPlan(db(), await getPlan(db(), id)));
    },
  );

  app.get(
    '/staff/plans/:id',
    {
      schema: {
        tags,
        security,
        summary: '一个抽查计划（含草稿；抽取前不含服务器种子）',
        params: IdParam,
        response: { 200: StaffPlan, ...refusals },
      },
      preHandler: planAbilities.guard('read'),
    },
    async (req) => presentStaffPlan(db(), await getPlan(db(), req.params.id)),
  );

  app.post(
    '/staff/plans/:id/commit',
    {
      schema: {
        tags,
        security,
        summary:
          '公布承诺：冻结名录和执法人员，排除已达年度上限的对象，公开参数（含见证值来源和计划抽取时间）和哈希',
        params: IdParam,
        response: { 200: StaffPlan, ...refusals },
      },
      preHandler: planAbilities.guard('commit'),
    },
    async (req) => {
      await db()
        .transaction()
        .execute((tx) => commitPlanAction(tx, user(req), req.params.id));
      return presentStaffPlan(db(), await getPlan(db(), req.params.id));
    },
  );

  app.post(
    '/staff/plans/:id/draw',
    {
      schema: {
        tags,
        security,
        summary: '录入见证值并抽取（第 2 版：计划抽取时间之后；见证值按公布的规则规范化）',
        params: IdParam,
        body: DrawBody,
        response: { 200: StaffPlan, ...refusals },
      },
      preHandler: planAbilities.guard('draw'),
    },
    async (req) => {
      await drawPlan(db(), user(req), req.params.id, req.body.witness);
      return presentStaffPlan(db(), await getPlan(db(), req.params.id));
    },
  );

  // ── tasks and on-site records ──

  app.get(
    '/staff/tasks',
    {
      schema: {
        tags,
        security,
        summary:
          '抽查任务：执法人员看到自己的任务（未完成的在前，按完成期限），其他人看到全部；mine=1 只看分配给自己的',
        querystring: TasksQuery,
        response: { 200: TaskList, ...refusals },
      },
      preHandler: inspectionAbilities.guard('readTasks'),
    },
    async (req) => {
      const u = user(req);
      const { own, tasks } = await listTasksFor(db(), u, dueDays());
      const items = tasks.filter(
        (t) =>
          (req.query.plan === undefined || t.planId === req.query.plan) &&
          (req.query.mine !== '1' || t.inspectors.some((i) => i.userId === u.id)),
      );
      return { own, items: items.map(presentTask) };
    },
  );

  app.get(
    '/staff/tasks/:id',
    {
      schema: {
        tags,
        security,
        summary: '一项抽查任务：检查对象、执法人员、完成期限、检查清单和现场检查笔录',
        params: IdParam,
        response: { 200: TaskDetail, ...refusals },
      },
      preHandler: inspectionAbilities.guard('readTask'),
    },
    async (req) => {
      const v = await getTaskView(db(), user(req), req.params.id, dueDays());
      const r = v.inspection;
      return {
        task: {
          id: v.ctx.task.id,
          planId: v.ctx.plan.id,
          planTitle: v.ctx.plan.title,
          regimeSeq: v.ctx.plan.regime_seq,
          position: v.ctx.task.position,
          uscc: v.ctx.task.uscc,
          name: v.ctx.task.name,
          county: v.ctx.task.county,
        },
        entity: v.ctx.entity,
        inspectors: v.ctx.inspectors,
        due: v.due,
        inspection: r
          ? {
              id: r.id,
              status: r.status,
              statusName: statusName(r.status),
              version: r.version,
              checkedAt: r.checked_at,
              place: r.place,
              representative: r.representative,
              representativeRole: r.representative_role,
              refused: r.refused === 1,
              refusalNote: r.refusal_note,
              notes: r.notes,
              resultCode: r.result_code,
              resultSummary: r.result_summary,
              reviewComment: r.review_comment,
            }
          : null,
        items: v.items.map((i) => ({
          position: i.position,
          text: i.text,
          line: i.line ?? null,
          heading: i.heading,
          answer: (i.answer as 'compliant' | 'non-compliant' | 'not-applicable' | null) ?? null,
          note: i.note,
        })),
        confirmations: v.confirmations.map((c) => ({
          inspectorId: c.inspectorId,
          version: c.version,
          confirmedAt: c.confirmedAt,
        })),
        attachments: v.attachments.map((a) => ({
          id: a.id,
          filename: a.filename,
          contentType: a.content_type,
          size: a.size,
          sha256: a.sha256,
        })),
      };
    },
  );

  app.post(
    '/staff/tasks/:id/record',
    {
      schema: {
        tags,
        security,
        summary: '保存现场检查笔录（可不完整；每次保存版本号加一，已有的确认作废）',
        params: IdParam,
        body: RecordBody,
        response: { 200: RecordSaved, ...refusals },
      },
      preHandler: inspectionAbilities.guard('record'),
    },
    async (req) =>
      db()
        .transaction()
        .execute((tx) => saveRecord(tx, user(req), req.params.id, recordInput(req.body))),
  );

  app.post(
    '/staff/tasks/:id/confirm',
    {
      schema: {
        tags,
        security,
        summary: '执法人员用自己的账号确认所读的笔录版本；全部分配的执法人员确认后提交审核',
        params: IdParam,
        body: ConfirmBody,
        response: { 200: Confirmed, ...refusals },
      },
      preHandler: inspectionAbilities.guard('confirm'),
    },
    async (req) => {
      const { submitted } = await db()
        .transaction()
        .execute((tx) => confirmRecord(tx, user(req), req.params.id, req.body.version));
      const r = await findInspection(db(), req.params.id);
      return { submitted, status: r?.status ?? 'draft' };
    },
  );

  // ── results: review and publication ──

  app.get(
    '/staff/results',
    {
      schema: {
        tags,
        security,
        summary: '待审核和已审核的检查结果（含公示期限）',
        response: { 200: ReviewList, ...refusals },
      },
      preHandler: inspectionAbilities.guard('readResults'),
    },
    async (req) => ({
      items: (await listForReview(db(), user(req))).map((i) => ({
        id: i.id,
        taskId: i.taskId,
        planId: i.planId,
        planTitle: i.planTitle,
        position: i.position,
        uscc: i.uscc,
        name: i.name,
        status: i.status,
        checkedOn: i.checkedOn,
        resultCode: i.resultCode,
        deadline: i.deadline?.date ?? null,
        mayReview: i.mayReview,
      })),
    }),
  );

  app.post(
    '/staff/results/:id/review',
    {
      schema: {
        tags,
        security,
        summary: '审核检查结果：公示（抽查结果公告，不含执法人员姓名）或退回修改；审核人须未参加这次检查',
        params: IdParam,
        body: ReviewBody,
        response: { 200: Reviewed, ...refusals },
      },
      preHandler: inspectionAbilities.guard('review'),
    },
    async (req) => {
      const { decision, comment } = req.body;
      await db()
        .transaction()
        .execute((tx) =>
          decision === 'publish'
            ? publishResult(tx, user(req), req.params.id)
            : returnResult(tx, user(req), req.params.id, comment),
        );
      const status = decision === 'publish' ? 'published' : 'returned';
      return { id: req.params.id, status, statusName: statusName(status) };
    },
  );
};
