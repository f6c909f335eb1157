import type { DbOrTx } from '../../db/database.ts';
import type { BackofficeContribution, BackofficeUser, WaitingItem } from '../../views/staff/backoffice.ts';
import type { SessionUser } from '../auth/index.ts';
import { resultsWaiting, tasksWaiting } from './inspections/inspection.backoffice.ts';
import { planAbilities } from './plans/plan.policy.ts';
import { listPlans } from './plans/plan.service.ts';

/**
 * What supervision contributes to the back office: its navigation entry (for everyone who may
 * enter the supervision pages) and what waits for the signed-in person — plans below a regime's
 * minimum that need a second manager's approval (never their own), committed plans waiting for
 * their draw, an inspector's open tasks and records to confirm, and results waiting for review
 * with their publication deadlines (inspections/inspection.backoffice.ts). Who counts for what
 * comes from the ability tables, like the route guards.
 */

/** How many plans the dashboard names under a count. */
const EXAMPLES = 5;

/** The contract's user is structural; the ability table wants the session's user. */
const asStaff = (user: BackofficeUser) => user as SessionUser;

const planItem = (
  label: string,
  href: string,
  plans: ReadonlyArray<{ id: number; title: string }>,
): WaitingItem => ({
  label,
  href,
  count: plans.length,
  examples: plans
    .slice(0, EXAMPLES)
    .map((p) => ({ label: p.title, href: `/admin/supervision/plans/${p.id}` })),
});

async function waiting(db: DbOrTx, user: BackofficeUser): Promise<WaitingItem[]> {
  const staff = asStaff(user);
  const out: WaitingItem[] = [];
  if (planAbilities.canRole('approveBelowMinimum', staff)) {
    const drafts = await listPlans(db, { status: 'draft' });
    const toApprove = drafts.filter(
      (p) =>
        p.belowMinimum &&
        p.approvedAt === null &&
        planAbilities.can('approveBelowMinimum', staff, { createdById: p.createdById }),
    );
    out.push(planItem('待批准的低比例抽查计划', '/admin/supervision/plans', toApprove));
  }
  if (planAbilities.canRole('draw', staff)) {
    const committed = await listPlans(db, { status: 'committed' });
    out.push(planItem('已公布待抽取的抽查计划', '/admin/supervision/plans', committed));
  }
  out.push(...(await tasksWaiting(db, staff)), ...(await resultsWaiting(db, staff)));
  return out.filter((w) => w.count > 0);
}

export const supervisionBackoffice: BackofficeContribution<DbOrTx> = {
  nav: [{ href: '/admin/supervision', label: '监管抽查', roles: planAbilities.rules.start.roles, order: 40 }],
  waiting,
};
