import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, notFound } from '../../../http/errors.ts';
import { confirmationOf } from '../../../http/forms.ts';
import { StackTable } from '../../../views/table.tsx';
import { fieldOf, idParam, sendStaffPage } from '../shared/staff.views.tsx';
import { inspectionAbilities } from './inspection.policy.ts';
import { loadInspection } from './inspection.repo.ts';
import { taskUrl } from './inspection.views.tsx';
import { resultCategory } from './result.categories.ts';
import { listForReview, publishResult, returnResult, withdrawResult } from './result.service.ts';
import { statusName } from './result.workflow.ts';
import { renderTaskPage } from './task.page.tsx';

/**
 * The review of results in the back office: the list of results with their publication deadlines
 * (20 working days from the check), and the reviewer's actions taken on the task page (the forms:
 * result.views.tsx) — publish, return with a comment, withdraw a published result with a public
 * reason; a refusal shows the task page again with the reason.
 */

export const resultPages: FastifyPluginAsync = async (app) => {
  const csrf = app.staffCsrf;
  const db = () => app.database.db;

  app.get(
    '/admin/supervision/results',
    { schema: { hide: true }, preHandler: inspectionAbilities.guard('readResults') },
    async (req, reply) => {
      const items = await listForReview(db(), req.user!);
      const pending = items.filter((i) => i.status === 'pending');
      return sendStaffPage(req, reply, {
        title: '抽查结果审核',
        children: (
          <>
            <h1>抽查结果审核</h1>
            <p>
              待审核 {pending.length} 项。结果应在检查之日起20个工作日内公示；公示内容不含执法人员姓名。{' '}
              <a href="/supervision/results">门户：抽查结果公告</a>
            </p>
            <StackTable
              rows={items}
              columns={[
                {
                  label: '检查对象',
                  cell: (i) => <a href={taskUrl(i.taskId)}>{i.name}</a>,
                },
                { label: '计划', cell: (i) => `${i.planTitle} · 第${i.position}项` },
                { label: '检查日期', cell: (i) => i.checkedOn ?? '—' },
                { label: '检查结果', cell: (i) => resultCategory(i.resultCode)?.name ?? '—' },
                { label: '状态', cell: (i) => statusName(i.status) },
                {
                  label: '公示期限',
                  cell: (i) =>
                    i.status === 'published' || i.status === 'withdrawn'
                      ? '—'
                      : i.deadline?.date
                        ? `${i.deadline.date}${i.deadline.overdue ? '（已逾期）' : ''}`
                        : (i.deadline?.error ?? '—'),
                },
              ]}
            />
          </>
        ),
      });
    },
  );

  /** A reviewer's POST: runs the action, then back to the task page (a refusal is shown there). */
  const onResult =
    (action: 'publish' | 'return' | 'withdraw', run: (req: FastifyRequest, id: number) => Promise<void>) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      const id = idParam(req);
      if (id === null) throw notFound('这项抽查结果');
      const r = await loadInspection(db(), id);
      const done = { publish: 'published', return: 'returned', withdraw: 'withdrawn' }[action];
      try {
        await run(req, id);
      } catch (e) {
        if (e instanceof AppError && (e.status === 400 || e.status === 409)) {
          return renderTaskPage(req, reply, r.task_id, { error: e.message, status: e.status });
        }
        throw e;
      }
      return reply.redirect(`${taskUrl(r.task_id)}?done=${done}`, 303);
    };

  const post = (action: 'review' | 'withdraw') => ({
    schema: { hide: true },
    preHandler: [inspectionAbilities.guard(action), csrf.preHandler],
  });

  app.post(
    '/admin/supervision/results/:id/publish',
    post('review'),
    onResult('publish', async (req, id) => {
      confirmationOf(req, { reasonRequired: false });
      await db()
        .transaction()
        .execute((tx) => publishResult(tx, req.user!, id));
    }),
  );
  app.post(
    '/admin/supervision/results/:id/return',
    post('review'),
    onResult('return', (req, id) =>
      db()
        .transaction()
        .execute((tx) => returnResult(tx, req.user!, id, fieldOf(req, 'comment'))),
    ),
  );
  app.post(
    '/admin/supervision/results/:id/withdraw',
    post('withdraw'),
    onResult('withdraw', async (req, id) => {
      const reason = confirmationOf(req, { reasonRequired: true });
      await db()
        .transaction()
        .execute((tx) => withdrawResult(tx, req.user!, id, reason));
    }),
  );
};
