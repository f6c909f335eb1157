import { DEFAULT_TASK_DUE_DAYS } from '../../../config.ts';
import type { DbOrTx } from '../../../db/database.ts';
import type { WaitingItem } from '../../../views/staff/backoffice.ts';
import type { SessionUser } from '../../auth/index.ts';
import { inspectionAbilities } from './inspection.policy.ts';
import { listTasksFor } from './inspection.service.ts';
import { taskUrl } from './inspection.views.tsx';
import { listForReview } from './result.service.ts';

/**
 * What inspections put on the dashboard: an inspector's open tasks (not started, being filled in,
 * returned; their due dates are on the task list); for a reviewer the results waiting for review, each with
 * its publication deadline (20 working days from the check, workdays.ts), and those past it.
 */

const EXAMPLES = 5;

export async function tasksWaiting(db: DbOrTx, user: SessionUser): Promise<WaitingItem[]> {
  if (user.role !== 'inspector') return [];
  const { own, tasks } = await listTasksFor(db, user, DEFAULT_TASK_DUE_DAYS); // due dates are not shown here
  if (!own) return [];
  const open = tasks.filter((t) => t.open);
  return [
    {
      label: '我的待完成抽查任务',
      href: '/admin/supervision/tasks',
      count: open.length,
      examples: open.slice(0, EXAMPLES).map((t) => ({
        label: `${t.name}（${t.statusName}）`,
        href: taskUrl(t.id),
      })),
    },
  ];
}

export async function resultsWaiting(db: DbOrTx, user: SessionUser): Promise<WaitingItem[]> {
  if (!inspectionAbilities.canRole('review', user)) return [];
  const items = await listForReview(db, user);
  const pending = items.filter((i) => i.status === 'pending' && i.mayReview);
  const deadline = (i: (typeof pending)[number]) =>
    i.deadline?.date ? `公示期限 ${i.deadline.date}` : '公示期限无法计算：节假日数据未覆盖';
  const overdue = pending.filter((i) => i.deadline?.overdue);
  return [
    {
      label: '待审核的抽查结果',
      href: '/admin/supervision/results',
      count: pending.length,
      examples: pending.slice(0, EXAMPLES).map((i) => ({
        label: `${i.name}（${deadline(i)}）`,
        href: taskUrl(i.taskId),
      })),
    },
    {
      label: '已超过公示期限的抽查结果',
      href: '/admin/supervision/results',
      count: overdue.length,
      examples: overdue
        .slice(0, EXAMPLES)
        .map((i) => ({ label: `${i.name}（${deadline(i)}）`, href: taskUrl(i.taskId) })),
    },
  ];
}
