import type { DbOrTx } from '../../../db/database.ts';
import type { BackofficeContribution, BackofficeUser, WaitingItem } from '../../../views/staff/backoffice.ts';
import type { SessionUser } from '../../auth/index.ts';
import { caseAbilities } from '../penalties/penalty.policy.ts';
import { listCases } from '../penalties/penalty.repo.ts';
import { orderAbilities } from '../rectifications/rectification.policy.ts';
import { caseContextOf, type EnforcementOptions } from '../shared/enforcement.context.ts';
import { type DeadlineItem, deadlinesFor, WEEK_DAYS } from './deadline.service.ts';

/**
 * What enforcement contributes to the back office: the navigation entries (整改, 处罚, 期限提醒 with
 * the count of overdue and due-this-week items) and, on the dashboard, the overdue items and those
 * due within the week by name, and the cases waiting for a legal reviewer.
 */

const EXAMPLES = 5;
const asStaff = (u: BackofficeUser) => u as SessionUser;

const named = (label: string, items: readonly DeadlineItem[]): WaitingItem => ({
  label,
  href: '/admin/deadlines',
  count: items.length,
  examples: items.slice(0, EXAMPLES).map((i) => ({
    label: `${i.subject}：${i.label}（${i.due ?? '期限无法计算'}，${i.holder}）`,
    href: i.href,
  })),
});

export function enforcementBackoffice(
  opts: EnforcementOptions & { taskDueDays: number },
): BackofficeContribution<DbOrTx> {
  const mine = (db: DbOrTx, user: BackofficeUser) =>
    deadlinesFor(db, asStaff(user), caseContextOf(opts).today, opts.taskDueDays);
  return {
    nav: [
      {
        href: '/admin/supervision/rectifications',
        label: '责令整改',
        roles: orderAbilities.rules.read.roles,
        order: 42,
      },
      {
        href: '/admin/supervision/penalties',
        label: '行政处罚',
        roles: caseAbilities.rules.read.roles,
        order: 43,
      },
      { href: '/admin/deadlines', label: '期限提醒', order: 44, countKey: 'deadlines' },
    ],
    async navCounts(db, user) {
      const items = await mine(db, user);
      return { deadlines: items.filter((i) => i.state === 'overdue' || i.state === 'this-week').length };
    },
    async waiting(db, user) {
      const items = await mine(db, user);
      const out = [
        named(
          '已逾期的期限',
          items.filter((i) => i.state === 'overdue'),
        ),
        named(
          `${WEEK_DAYS}日内到期的期限`,
          items.filter((i) => i.state === 'this-week'),
        ),
      ];
      if (asStaff(user).role === 'legal_reviewer') {
        const pending = (await listCases(db, { statuses: ['in-review'] })).filter(
          (c) => c.handler_id !== user.id,
        );
        out.push({
          label: '待法制审核的处罚案件',
          href: '/admin/supervision/penalties',
          count: pending.length,
          examples: pending
            .slice(0, EXAMPLES)
            .map((c) => ({ label: c.entityName, href: `/admin/supervision/penalties/${c.id}` })),
        });
      }
      return out.filter((w) => w.count > 0);
    },
  };
}
