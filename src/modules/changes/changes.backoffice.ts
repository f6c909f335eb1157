import type { DbOrTx } from '../../db/database.ts';
import type { BackofficeContribution, BackofficeUser, WaitingItem } from '../../views/staff/backoffice.ts';
import { countChangeSets } from './changeset.repo.ts';
import { changeSetAbilities } from './changeset.workflow.ts';

/**
 * What the change-set workflow contributes to the back office: its navigation entries and what
 * waits for the signed-in person — sets to review (never their own), approved sets to publish,
 * and their own sets a reviewer returned. Who counts for what comes from the workflow's table.
 */

const rolesOf = (action: 'read' | 'create') => changeSetAbilities.rules[action].roles;

/** The contract's user is structural; the ability table wants a role it knows. */
const asStaff = (user: BackofficeUser) => user as Parameters<typeof changeSetAbilities.canRole>[1];

async function waiting(db: DbOrTx, user: BackofficeUser): Promise<WaitingItem[]> {
  const staff = asStaff(user);
  const out: WaitingItem[] = [];
  if (changeSetAbilities.canRole('approve', staff)) {
    out.push({
      label: '待审核的调整单',
      count: await countChangeSets(db, { status: 'submitted', notAuthorId: user.id }),
      href: '/admin/changes?status=submitted',
    });
  }
  if (changeSetAbilities.canRole('publish', staff)) {
    out.push({
      label: '待发布的调整单',
      count: await countChangeSets(db, { status: 'approved' }),
      href: '/admin/changes?status=approved',
    });
  }
  if (changeSetAbilities.canRole('edit', staff)) {
    out.push({
      label: '被退回待修改的调整单',
      count: await countChangeSets(db, { status: 'returned', authorId: user.id }),
      href: '/admin/changes?status=returned',
    });
  }
  return out.filter((w) => w.count > 0);
}

export const changesBackoffice: BackofficeContribution<DbOrTx> = {
  nav: [
    { href: '/admin/changes', label: '清单调整', roles: rolesOf('read'), order: 20 },
    { href: '/admin/records', label: '可调整的记录', roles: rolesOf('create'), order: 30 },
  ],
  waiting,
};
