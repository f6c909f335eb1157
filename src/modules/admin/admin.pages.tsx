import type { FastifyPluginAsync } from 'fastify';
import type { DbOrTx } from '../../db/database.ts';
import type { BackofficeContribution } from '../../views/staff/backoffice.ts';
import { AUTHORS, READ_CHANGES, REVIEWERS } from './admin.policy.ts';
import { listChangeSets, visibleFilter } from './admin.queries.ts';
import { changeFormPages } from './change-form.pages.tsx';
import { changeSetPages } from './changesets.pages.tsx';
import { recordPages } from './records.pages.tsx';

/**
 * The change-set pages under /admin (issue 4, items 3 and 4) while they still live here: server-
 * rendered Chinese pages that work without JavaScript. Every route declares its roles and every
 * POST carries the CSRF token (app.staffCsrf). The users and audit pages moved to auth and audit,
 * the dashboard to backoffice.
 */
export const adminPages: FastifyPluginAsync = async (app) => {
  await app.register(changeSetPages);
  await app.register(changeFormPages);
  await app.register(recordPages);
};

const EXAMPLES = 5;

/**
 * INTERIM, until changes/index.ts exports `changesBackoffice` (the change-set pages move there):
 * the navigation entries of the change-set workflow and what waits in it for the person.
 */
export const interimChangesBackoffice: BackofficeContribution<DbOrTx> = {
  nav: [
    { href: '/admin/changes', label: '清单调整', roles: READ_CHANGES, order: 20 },
    { href: '/admin/records', label: '可调整的记录', roles: AUTHORS, order: 30 },
  ],
  async waiting(db, user) {
    const role = user.role as (typeof READ_CHANGES)[number];
    if (!READ_CHANGES.includes(role)) return [];
    const sets = await listChangeSets(db, visibleFilter(user as Parameters<typeof visibleFilter>[0]));
    const item = (label: string, href: string, list: typeof sets) => ({
      label,
      href,
      count: list.length,
      examples: list.slice(0, EXAMPLES).map((s) => ({ label: s.title, href: `/admin/changes/${s.id}` })),
    });
    const out = [];
    if (AUTHORS.includes(role)) {
      const mine = sets.filter((s) => s.authorId === user.id);
      out.push(
        item(
          '被退回、待修改的调整单',
          '/admin/changes?status=returned',
          mine.filter((s) => s.status === 'returned'),
        ),
      );
      out.push(
        item(
          '我的调整单草稿',
          '/admin/changes?status=draft',
          mine.filter((s) => s.status === 'draft'),
        ),
      );
    }
    if (REVIEWERS.includes(role)) {
      const toReview = sets.filter((s) => s.status === 'submitted' && s.authorId !== user.id);
      out.push(item('待审核的调整单', '/admin/changes?status=submitted', toReview));
      out.push(
        item(
          '待发布的调整单',
          '/admin/changes?status=approved',
          sets.filter((s) => s.status === 'approved'),
        ),
      );
    }
    return out;
  },
};
