import type { DbOrTx } from '../../db/database.ts';
import type { BackofficeContribution, BackofficeUser, WaitingItem } from '../../views/staff/backoffice.ts';
import { type ChangeSetFilter, listChangeSets } from './changeset.repo.ts';
import { changeSetAbilities } from './changeset.workflow.ts';
import { sourceDocumentAbilities } from './pages/sources.pages.tsx';

/**
 * What the change-set workflow contributes to the back office: its navigation entries and what
 * waits for the signed-in person — sets to review (never their own), approved sets to publish,
 * and their own sets a reviewer returned. Who counts for what comes from the workflow's table.
 */

const rolesOf = (action: 'read' | 'create') => changeSetAbilities.rules[action].roles;

/** The contract's user is structural; the ability table wants a role it knows. */
const asStaff = (user: BackofficeUser) => user as Parameters<typeof changeSetAbilities.canRole>[1];

/** How many sets the dashboard names under a count (the titles link to the sets). */
const EXAMPLES = 5;

async function item(db: DbOrTx, label: string, href: string, filter: ChangeSetFilter): Promise<WaitingItem> {
  const sets = await listChangeSets(db, filter);
  return {
    label,
    href,
    count: sets.length,
    examples: sets.slice(0, EXAMPLES).map((s) => ({ label: s.title, href: `/admin/changes/${s.id}` })),
  };
}

async function waiting(db: DbOrTx, user: BackofficeUser): Promise<WaitingItem[]> {
  const staff = asStaff(user);
  const out: WaitingItem[] = [];
  if (changeSetAbilities.canRole('approve', staff)) {
    out.push(
      await item(db, '待审核的调整单', '/admin/changes?status=submitted', {
        status: 'submitted',
        notAuthorId: user.id,
      }),
    );
  }
  if (changeSetAbilities.canRole('publish', staff)) {
    out.push(await item(db, '待发布的调整单', '/admin/changes?status=approved', { status: 'approved' }));
  }
  if (changeSetAbilities.canRole('edit', staff)) {
    out.push(
      await item(db, '被退回待修改的调整单', '/admin/changes?status=returned', {
        status: 'returned',
        authorId: user.id,
      }),
    );
  }
  return out.filter((w) => w.count > 0);
}

export const changesBackoffice: BackofficeContribution<DbOrTx> = {
  nav: [
    { href: '/admin/changes', label: '清单调整', roles: rolesOf('read'), order: 20 },
    { href: '/admin/records', label: '可调整的记录', roles: rolesOf('create'), order: 30 },
    {
      href: '/admin/sources',
      label: '来源文档',
      roles: sourceDocumentAbilities.rules.manage.roles,
      order: 35,
    },
  ],
  waiting,
};
