import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, notFound } from '../../../http/errors.ts';
import { confirmationOf } from '../../../http/forms.ts';
import { doneNotice } from '../../../views/staff/page.tsx';
import { uploadedFiles } from '../shared/multipart.ts';
import { fieldOf, idParam, queryOf, sendStaffPage } from '../shared/staff.views.tsx';
import { declareConflict } from './adjustment.service.ts';
import { inspectionAbilities } from './inspection.policy.ts';
import {
  addAttachment,
  confirmRecord,
  getAttachment,
  getTaskView,
  listTasksFor,
  saveRecord,
} from './inspection.service.ts';
import { TaskTable, taskUrl } from './inspection.views.tsx';
import { MESSAGES, recordInput, renderTaskPage } from './task.page.tsx';

/**
 * The inspectors' pages, phone first: their tasks with due dates, address and licence; one task
 * with the on-site record form (the checklist from the regime's check items), photos and PDFs,
 * each inspector's confirmation, and the declaration of a conflict found after the draw. The
 * reviewer reviews the result on the same page (result.pages.tsx).
 */

export const inspectionPages: FastifyPluginAsync = async (app) => {
  const csrf = app.staffCsrf;
  const db = () => app.database.db;
  const dueDays = () => app.config.taskDueDays;

  app.get(
    '/admin/supervision/tasks',
    { schema: { hide: true }, preHandler: inspectionAbilities.guard('readTasks') },
    async (req, reply) => {
      const user = req.user!;
      const { own, tasks: all } = await listTasksFor(db(), user, dueDays());
      const planFilter = Number(queryOf(req, 'plan')) || null;
      const tasks = planFilter ? all.filter((t) => t.planId === planFilter) : all;
      const mine = user.role === 'inspector';
      const title = mine ? '我的抽查任务' : '抽查任务';
      const open = tasks.filter((t) => t.open);
      const done = tasks.filter((t) => !t.open);
      return sendStaffPage(req, reply, {
        title,
        notice: doneNotice(req, MESSAGES),
        children: (
          <>
            <h1>{title}</h1>
            {mine && !own ? (
              <p>您的登录账号尚未关联执法检查人员名录库中的执法人员，请联系系统管理员。</p>
            ) : null}
            {own ? (
              <p>
                执法证号 <code>{own.certificateNo}</code>，共 {tasks.length} 项任务，待完成 {open.length} 项。
              </p>
            ) : null}
            {planFilter && tasks[0] ? <p>计划：{tasks[0].planTitle}</p> : null}
            {mine ? (
              <>
                <h2>待完成（按完成期限）</h2>
                {open.length === 0 ? <p class="muted">没有待完成的任务。</p> : null}
                <TaskTable tasks={open} withPlan={true} />
                {done.length > 0 ? (
                  <>
                    <h2>已提交</h2>
                    <TaskTable tasks={done} withPlan={true} />
                  </>
                ) : null}
              </>
            ) : (
              <TaskTable tasks={tasks} withPlan={true} />
            )}
          </>
        ),
      });
    },
  );

  const taskId = (req: FastifyRequest) => {
    const id = idParam(req);
    if (id === null) throw notFound('这项抽查任务');
    return id;
  };

  app.get(
    '/admin/supervision/tasks/:id',
    { schema: { hide: true }, preHandler: inspectionAbilities.guard('readTask') },
    async (req, reply) => renderTaskPage(req, reply, taskId(req)),
  );

  /** Runs a write of the task page; a fixable refusal re-renders the page with the message. */
  const onTask =
    (run: (req: FastifyRequest, id: number) => Promise<string>, keepInput = false) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      const id = taskId(req);
      try {
        const done = await run(req, id);
        const where = done === 'conflict' ? '/admin/supervision/tasks' : taskUrl(id);
        return reply.redirect(`${where}?done=${done}`, 303);
      } catch (e) {
        if (e instanceof AppError && (e.status === 400 || e.status === 409)) {
          const input = keepInput
            ? recordInput(
                req,
                (await getTaskView(db(), req.user!, id, dueDays())).items.map((i) => i.position),
              )
            : undefined;
          return renderTaskPage(req, reply, id, { error: e.message, status: e.status, input });
        }
        throw e;
      }
    };

  const post = (action: 'record' | 'confirm' | 'declareConflict') => ({
    schema: { hide: true },
    preHandler: [inspectionAbilities.guard(action), csrf.preHandler],
  });

  app.post(
    '/admin/supervision/tasks/:id/record',
    post('record'),
    onTask(async (req, id) => {
      const view = await getTaskView(db(), req.user!, id, dueDays());
      const input = recordInput(
        req,
        view.items.map((i) => i.position),
      );
      await db()
        .transaction()
        .execute((tx) => saveRecord(tx, req.user!, id, input));
      return 'saved';
    }, true),
  );

  app.post(
    '/admin/supervision/tasks/:id/attachments',
    post('record'),
    onTask(async (req, id) => {
      const file = uploadedFiles(req.body)[0];
      if (!file || (file.data.length === 0 && file.filename === '')) {
        throw new AppError(400, 'no_file', '请选择要上传的照片或 PDF 文件');
      }
      await db()
        .transaction()
        .execute((tx) => addAttachment(tx, req.user!, id, { filename: file.filename, data: file.data }));
      return 'attached';
    }),
  );

  app.get(
    '/admin/supervision/tasks/:id/attachments/:attachmentId',
    { schema: { hide: true }, preHandler: inspectionAbilities.guard('readTask') },
    async (req, reply) => {
      const attachmentId = idParam(req, 'attachmentId');
      if (attachmentId === null) throw notFound('这个附件');
      const file = await getAttachment(db(), req.user!, taskId(req), attachmentId);
      const ascii = file.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
      return reply
        .type(file.content_type)
        .header(
          'content-disposition',
          `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
        )
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(Buffer.from(file.data));
    },
  );

  app.post(
    '/admin/supervision/tasks/:id/confirm',
    post('confirm'),
    onTask(async (req, id) => {
      if (fieldOf(req, 'confirm') !== 'yes') {
        throw new AppError(400, 'not_confirmed', '请勾选“我已核对笔录的全部内容，确认无误”后再确认');
      }
      const version = Number(fieldOf(req, 'version'));
      const { submitted } = await db()
        .transaction()
        .execute((tx) => confirmRecord(tx, req.user!, id, version));
      return submitted ? 'submitted' : 'confirmed';
    }),
  );

  app.post(
    '/admin/supervision/tasks/:id/conflict',
    post('declareConflict'),
    onTask(async (req, id) => {
      const reason = confirmationOf(req, { reasonRequired: true });
      await db()
        .transaction()
        .execute((tx) => declareConflict(tx, req.user!, id, reason));
      return 'conflict';
    }),
  );
};
