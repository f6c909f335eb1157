import type { FastifyReply, FastifyRequest } from 'fastify';
import { doneNotice } from '../../../views/staff/page.tsx';
import { orderAbilities } from '../rectifications/rectification.policy.ts';
import { csrfToken, fieldOf, sendStaffPage } from '../shared/staff.views.tsx';
import { fromLocalInput } from './due.ts';
import { inspectionAbilities } from './inspection.policy.ts';
import type { InspectionRow } from './inspection.repo.ts';
import {
  getTaskView,
  missingForConfirmation,
  type RecordInput,
  type TaskView,
} from './inspection.service.ts';
import {
  Attachments,
  Confirmations,
  ConflictForm,
  DeadlineNote,
  RecordForm,
  RecordSummary,
  TaskFacts,
} from './inspection.views.tsx';
import { resultCategory } from './result.categories.ts';
import { ReviewActions } from './result.views.tsx';
import { isEditable, statusName } from './result.workflow.ts';

/**
 * One task's page, phone first: the entity, its address and licence, the due date and the
 * inspectors; the on-site record (a form for the assigned inspectors while it may change, read-only
 * for everyone else), photos and PDFs, each inspector's confirmation, the reviewer's actions and the
 * declaration of a conflict found after the draw. A refused form comes back with what was typed.
 */

export const MESSAGES: Record<string, string> = {
  saved: '笔录已保存。请每名执法人员核对后用自己的账号确认。',
  attached: '附件已上传（照片的位置等元数据已去除）。',
  confirmed: '您已确认笔录。',
  submitted: '全部执法人员已确认：检查结果已提交审核。',
  conflict: '回避申报已登记：您已退出这项任务，替换人员按公开规则确定，调整已在计划公告中公示。',
  published: '检查结果已公示。',
  returned: '检查结果已退回执法人员修改。',
  withdrawn: '已撤回公示，撤回理由已公开。',
};

/** The record's form fields as typed. */
export function recordInput(req: FastifyRequest, positions: readonly number[]): RecordInput {
  return {
    checkedAt: fieldOf(req, 'checkedAt'),
    place: fieldOf(req, 'place'),
    representative: fieldOf(req, 'representative'),
    representativeRole: fieldOf(req, 'representativeRole'),
    refused: fieldOf(req, 'refused') === '1',
    refusalNote: fieldOf(req, 'refusalNote'),
    notes: fieldOf(req, 'notes'),
    resultCode: fieldOf(req, 'resultCode'),
    resultSummary: fieldOf(req, 'resultSummary'),
    answers: new Map(
      positions.map((p) => [p, { answer: fieldOf(req, `answer-${p}`), note: fieldOf(req, `note-${p}`) }]),
    ),
  };
}

/** The page's view with what was typed in place of what is stored (a refused form keeps its input). */
function withInput(view: TaskView, input: RecordInput, userId: number): TaskView {
  const now = new Date().toISOString();
  const base: InspectionRow = view.inspection ?? {
    id: 0,
    checked_at: null,
    place: null,
    representative: null,
    representative_role: null,
    refused: 0,
    refusal_note: null,
    notes: null,
    result_code: null,
    result_summary: null,
    task_id: view.ctx.task.id,
    plan_id: view.ctx.plan.id,
    status: 'draft',
    version: 0,
    created_by: userId,
    created_at: now,
    updated_by: userId,
    updated_at: now,
    checked_on: null,
    submitted_at: null,
    reviewed_by: null,
    reviewed_at: null,
    review_comment: null,
    published_by: null,
    published_at: null,
    withdrawn_by: null,
    withdrawn_at: null,
    withdrawal_reason: null,
  };
  const orNull = (v: string) => (v.trim() === '' ? null : v);
  return {
    ...view,
    inspection: {
      ...base,
      checked_at: fromLocalInput(input.checkedAt) ?? base.checked_at,
      place: orNull(input.place),
      representative: orNull(input.representative),
      representative_role: orNull(input.representativeRole),
      refused: input.refused ? 1 : 0,
      refusal_note: orNull(input.refusalNote),
      notes: orNull(input.notes),
      result_code: orNull(input.resultCode),
      result_summary: orNull(input.resultSummary),
    },
    items: view.items.map((i) => ({
      ...i,
      answer: input.answers.get(i.position)?.answer || null,
      note: input.answers.get(i.position)?.note || null,
    })),
  };
}

export async function renderTaskPage(
  req: FastifyRequest,
  reply: FastifyReply,
  id: number,
  opts: { error?: string; status?: number; input?: RecordInput } = {},
) {
  const user = req.user!;
  const stored = await getTaskView(req.server.database.db, user, id, req.server.config.taskDueDays);
  const view = opts.input ? withInput(stored, opts.input, user.id) : stored;
  const token = csrfToken(req, reply);
  const r = stored.inspection;
  const editable = r === null || isEditable(r.status);
  const mayRecord = inspectionAbilities.can('record', user, stored.target) && editable;
  const missing = r
    ? missingForConfirmation(
        r,
        stored.items,
        stored.ctx.inspectors.map((i) => i.name),
      )
    : [];
  return sendStaffPage(req, reply, {
    title: stored.ctx.task.name,
    status: opts.status,
    notice: opts.error ? { kind: 'error', text: opts.error } : doneNotice(req, MESSAGES),
    children: (
      <>
        <p class="meta">
          <a href="/admin/supervision/tasks">← 返回任务列表</a>
        </p>
        <h1>{stored.ctx.task.name}</h1>
        <TaskFacts view={stored} />
        <p class="meta">
          笔录状态：<strong>{r ? statusName(r.status) : '未开始'}</strong>
          {r ? `（第 ${r.version} 版）` : ''}
        </p>
        {r?.status === 'returned' && r.review_comment ? (
          <p class="notice notice-error">审核退回意见：{r.review_comment}</p>
        ) : null}
        <DeadlineNote
          checkedOn={r?.status === 'published' || r?.status === 'withdrawn' ? null : (r?.checked_on ?? null)}
        />
        {stored.adjustments.length > 0 ? (
          <section aria-labelledby="adj-h">
            <h2 id="adj-h">抽取后的人员调整（已公示）</h2>
            <ul>
              {stored.adjustments.map((a) => (
                <li>
                  {a.withdrawn_certificate} 申报回避（{a.reason}），由 {a.replacement_certificate} 替换
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <section aria-labelledby="record-h">
          <h2 id="record-h">现场检查笔录</h2>
          {mayRecord ? <RecordForm view={view} token={token} /> : <RecordSummary view={view} />}
        </section>
        {r ? (
          <Attachments taskId={id} attachments={stored.attachments} token={token} canAdd={mayRecord} />
        ) : null}
        {r ? <Confirmations view={stored} token={token} missing={editable ? missing : []} /> : null}
        <ReviewActions view={stored} user={user} token={token} />
        {r &&
        resultCategory(r.result_code)?.problem &&
        ['pending', 'published'].includes(r.status) &&
        orderAbilities.canRole('create', user) ? (
          <p>
            <a href={`/admin/supervision/rectifications/new?inspection=${r.id}`}>
              责令限期整改（开具或查看整改通知）
            </a>
          </p>
        ) : null}
        {mayRecord && stored.me ? <ConflictForm view={stored} token={token} /> : null}
      </>
    ),
  });
}
