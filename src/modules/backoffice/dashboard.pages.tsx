import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { DbOrTx } from '../../db/database.ts';
import {
  type BackofficeContribution,
  mergeNav,
  navFor,
  type StaffNavItem,
  type WaitingItem,
} from '../../views/staff/backoffice.ts';
import { staffGuard } from '../../views/staff/guard.ts';
import { doneNotice, sendStaffPage } from '../../views/staff/page.tsx';

/**
 * The back office shell: the staff navigation and the dashboard (工作台), both built from what
 * the modules contribute (views/staff/backoffice.ts) — app.ts hands over the list, so this
 * file imports no other module (health-fix.pages.ts, the list-health report's "propose a fix",
 * joins registry and changes through their indexes). The dashboard shows each person what waits for them, with counts and
 * links to where they handle it.
 */

export interface BackofficeOptions {
  contributions: readonly BackofficeContribution<DbOrTx>[];
}

/** The dashboard's own entry, first in the bar. */
export const dashboardBackoffice: BackofficeContribution<DbOrTx> = {
  nav: [{ href: '/admin', label: '工作台', order: 0 }],
};

/** Decorates the app with the merged navigation (read by the staff frame) and serves /admin. */
export const backofficePlugin = fp<BackofficeOptions>(
  async (app, options) => {
    const contributions = [dashboardBackoffice, ...options.contributions];
    app.decorate('staffNav', mergeNav(contributions));
    // The navigation's counts, for the signed-in person on every back-office page (GET /admin…).
    const counting = contributions.filter((c) => c.navCounts);
    if (counting.length > 0) {
      app.addHook('preHandler', async (req) => {
        if (req.method !== 'GET' || !req.user || !req.url.startsWith('/admin')) return;
        const parts = await Promise.all(counting.map((c) => c.navCounts!(app.database.db, req.user!)));
        req.staffNavCounts = Object.assign({}, ...parts);
      });
    }
    await app.register(dashboardPages, { contributions });
  },
  { name: 'zhize-backoffice', dependencies: ['zhize-auth'] },
);

const dashboardPages: FastifyPluginAsync<BackofficeOptions> = async (app, { contributions }) => {
  app.get('/admin', { schema: { hide: true }, preHandler: staffGuard(null) }, async (req, reply) => {
    // req.user: the signed-in person (auth plugin); contributions see the BackofficeUser part.
    const user = req.user!;
    const waiting = (
      await Promise.all(contributions.map((c) => c.waiting?.(app.database.db, user) ?? []))
    ).flat();
    return sendStaffPage(req, reply, {
      title: '工作台',
      notice: doneNotice(req, {}),
      children: (
        <Dashboard
          name={user.displayName}
          roleName={req.staffIdentity?.roleName ?? user.role}
          waiting={waiting.filter((w) => w.count > 0)}
          links={navFor(app.staffNav, user.role).filter((n) => n.href !== '/admin')}
        />
      ),
    });
  });
};

function Dashboard({
  name,
  roleName,
  waiting,
  links,
}: {
  name: string;
  roleName: string;
  waiting: WaitingItem[];
  links: StaffNavItem[];
}) {
  return (
    <>
      <h1>工作台</h1>
      <p>
        您好，{name}。您的角色是{roleName}。
      </p>
      <section aria-labelledby="waiting">
        <h2 id="waiting">等待您处理</h2>
        {waiting.length === 0 ? (
          <p class="muted">目前没有等待您处理的事项。</p>
        ) : (
          <ul class="counts waiting">
            {waiting.map((w) => (
              <li>
                <a href={w.href}>
                  <span class="count-num">{w.count}</span>
                  <span class="count-label">{w.label}</span>
                </a>
                {w.examples && w.examples.length > 0 && (
                  <ul class="waiting-examples">
                    {w.examples.map((e) => (
                      <li>
                        <a href={e.href}>{e.label}</a>
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section>
        <h2>常用链接</h2>
        <ul class="link-list">
          {links.map((n) => (
            <li>
              <a href={n.href}>{n.label}</a>
            </li>
          ))}
          <li>
            <a href="/changes">调整记录（公开）</a>
          </li>
          <li>
            <a href="/admin/password">修改密码</a>
          </li>
        </ul>
      </section>
    </>
  );
}
