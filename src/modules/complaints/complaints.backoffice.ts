import type { DbOrTx } from '../../db/database.ts';
import type { BackofficeContribution, BackofficeUser, WaitingItem } from '../../views/staff/backoffice.ts';
import type { SessionUser } from '../auth/index.ts';
import { complaintAbilities } from './complaint.policy.ts';
import { dueOf, isOverdue, targetOf } from './complaint.presenter.ts';
import { listTickets, type TicketRow } from './complaint.repo.ts';
import { todayOf } from './complaint.service.ts';
import { OPEN } from './complaint.workflow.ts';

/**
 * What complaints contribute to the back office: the navigation entry (for everyone who may read
 * tickets) and what waits for the signed-in person, from the same ability table as the pages —
 * tickets to accept and route (dispatchers), returned tickets to settle (coordinators), tickets of
 * the person's offices to handle (editors), and every overdue ticket they may see, by the
 * working-day clocks.
 */

const EXAMPLES = 5;

const item = (label: string, href: string, rows: TicketRow[]): WaitingItem => ({
  label,
  href,
  count: rows.length,
  examples: rows
    .slice(0, EXAMPLES)
    .map((t) => ({ label: `${t.code}（期限 ${dueOf(t) ?? '待定'}）`, href: `/admin/complaints/${t.id}` })),
});

/** The clock in use for the dashboard: the app's (tests fix it). */
export function complaintsBackoffice(now: () => Date): BackofficeContribution<DbOrTx> {
  return {
    nav: [
      { href: '/admin/complaints', label: '举报投诉', roles: complaintAbilities.rules.read.roles, order: 30 },
    ],
    async waiting(db: DbOrTx, user: BackofficeUser): Promise<WaitingItem[]> {
      const staff = user as SessionUser;
      if (!complaintAbilities.canRole('read', staff)) return [];
      const today = todayOf(now());
      const open = (await listTickets(db, { status: OPEN })).filter((t) =>
        complaintAbilities.can('read', staff, targetOf(t)),
      );
      const out: WaitingItem[] = [];
      const overdue = open.filter((t) => isOverdue(t, today));
      out.push(item('已超期的举报投诉', '/admin/complaints?show=overdue', overdue));
      if (complaintAbilities.canRole('dispatch', staff)) {
        out.push(
          item(
            '待受理分派的举报投诉',
            '/admin/complaints?show=open',
            open.filter((t) => t.status === 'received'),
          ),
        );
        out.push(
          item(
            '承办科室退回、待协调的工单',
            '/admin/complaints?show=returned',
            open.filter((t) => t.status === 'returned'),
          ),
        );
      }
      if (staff.role === 'editor') {
        out.push(
          item(
            '本科室办理中的举报投诉',
            '/admin/complaints?show=open',
            open.filter(
              (t) => t.status === 'assigned' && complaintAbilities.can('handle', staff, targetOf(t)),
            ),
          ),
        );
      }
      return out.filter((w) => w.count > 0);
    },
  };
}
