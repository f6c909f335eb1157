import type { ComponentChildren } from 'preact';
import { CSRF_FIELD } from '../../http/csrf.ts';
import { assets } from '../portal/assets.ts';
import { navFor, type StaffNavItem } from './backoffice.ts';

/** Who is signed in, as the frame shows it (the auth module builds it: `staffIdentity`). */
export interface StaffIdentity {
  displayName: string;
  /** Role code, used to filter the navigation. */
  role: string;
  /** The role's Chinese name. */
  roleName: string;
}

export interface StaffLayoutProps {
  title: string;
  user: StaffIdentity | null;
  csrfToken: string;
  /** A message shown above the content (e.g. after an action). */
  notice?: { kind: 'ok' | 'error'; text: string } | null;
  /** The navigation contributed by the modules (app.staffNav); filtered here by the role. */
  nav: readonly StaffNavItem[];
  /** Counts beside navigation entries, by their `countKey` (computed per request by the back office). */
  navCounts?: Readonly<Record<string, number>>;
  children: ComponentChildren;
}

/** The staff back office frame (后台): Chinese, plain, works without JavaScript. */
export function StaffLayout({ title, user, csrfToken, notice, nav, navCounts, children }: StaffLayoutProps) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${title} - 职责清单管理后台`}</title>
        <link rel="stylesheet" href={assets.css} />
      </head>
      <body class="staff">
        <a class="skip-link" href="#main">
          跳到主要内容
        </a>
        <header class="site-header">
          <div class="bar wrap">
            <a href="/admin" class="brand">
              <span class="brand-org">衡水市商务局</span>
              <span class="brand-name">职责清单管理后台</span>
            </a>
            {user && (
              <div class="staff-user">
                <span>
                  {user.displayName}（{user.roleName}）
                </span>{' '}
                <a href="/admin/password">修改密码</a>{' '}
                <form method="post" action="/admin/logout" class="inline-form">
                  <input type="hidden" name={CSRF_FIELD} value={csrfToken} />
                  <button type="submit" class="link-button">
                    退出登录
                  </button>
                </form>
              </div>
            )}
          </div>
          {user && (
            <nav class="wrap staff-nav" aria-label="后台导航">
              <ul>
                {navFor(nav, user.role).map((n) => {
                  const count = n.countKey ? (navCounts?.[n.countKey] ?? 0) : 0;
                  return (
                    <li>
                      <a href={n.href}>
                        {n.label}
                        {count > 0 && (
                          <span class="nav-count">
                            {' '}
                            {count}
                            <span class="visually-hidden">项</span>
                          </span>
                        )}
                      </a>
                    </li>
                  );
                })}
                <li>
                  <a href="/">公众门户</a>
                </li>
              </ul>
            </nav>
          )}
        </header>
        <main id="main" class="wrap">
          {notice && (
            <p class={`notice notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
              {notice.text}
            </p>
          )}
          {children}
        </main>
      </body>
    </html>
  );
}
