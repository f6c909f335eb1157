import type { ComponentChildren } from 'preact';
import { CSRF_FIELD } from '../../http/csrf.ts';
import { assets } from './assets.ts';
import type { PageContext } from './context.ts';
import { HOTLINES, telHref } from './phone.ts';
import { urls } from './urls.ts';

export type Section =
  | 'home'
  | 'duties'
  | 'boundaries'
  | 'regimes'
  | 'services'
  | 'departments'
  | 'search'
  | 'sources'
  | 'supervision'
  | 'changes'
  | 'complaints';

export interface Crumb {
  href: string;
  label: string;
}

export interface LayoutProps {
  title: string;
  ctx: PageContext;
  /** The part of the site the page belongs to: marks the navigation entry as current. */
  section?: Section;
  /** Trail above the page title (the home link is added in front). */
  crumbs?: Crumb[];
  /** The home page puts its own large search box first and hides the header one. */
  home?: boolean;
  /** The page has its own search form in the main content (search page): no header box. */
  searchInMain?: boolean;
  children: ComponentChildren;
}

const NAV: Array<{ section: Section; href: string; label: string }> = [
  { section: 'home', href: urls.home(), label: '首页' },
  { section: 'duties', href: urls.duties(), label: '部门职责' },
  { section: 'boundaries', href: urls.boundaries(), label: '职责边界' },
  { section: 'regimes', href: urls.regimes(), label: '监管制度' },
  { section: 'services', href: urls.services(), label: '公共服务' },
  { section: 'supervision', href: '/supervision', label: '抽查公示' },
  { section: 'changes', href: '/changes', label: '调整记录' },
  { section: 'complaints', href: '/complaints', label: '举报投诉' },
];

/** The sections' own pages as a crumb: those of the main navigation, and the departments. */
const SECTION_CRUMBS = [...NAV, { section: 'departments', href: urls.departments(), label: '部门' }];

/** The crumb of a section's own page (its list), under the name the navigation gives it. */
export function sectionCrumb(section: Section): Crumb {
  const entry = SECTION_CRUMBS.find((n) => n.section === section);
  if (!entry) throw new Error(`section ${section} has no page of its own`);
  return { href: entry.href, label: entry.label };
}

/** The form action of the search box: the search URL without its query (a GET form adds `q`). */
export const SEARCH_ACTION = urls.search('').split('?')[0] ?? '/search';

/** The search box's field and button (in the header, on the home page and on the search page). */
export function SearchField({ id, placeholder, value }: { id: string; placeholder: string; value?: string }) {
  return (
    <>
      <input id={id} type="search" name="q" value={value} placeholder={placeholder} autocomplete="off" />
      <button type="submit">搜索</button>
    </>
  );
}

/**
 * A page below the home page: the frame with its trail of crumbs, the last crumb being this page,
 * and the page's heading. The crumbs default to the section's page followed by `trail`; the title
 * to the last crumb's label, the heading to the title.
 */
export function TrailPage({
  ctx,
  section,
  trail = [],
  crumbs = [sectionCrumb(section), ...trail],
  title,
  heading,
  children,
}: {
  ctx: PageContext;
  section: Section;
  trail?: Crumb[];
  crumbs?: Crumb[];
  title?: string;
  heading?: ComponentChildren;
  children: ComponentChildren;
}) {
  const pageTitle = title ?? crumbs[crumbs.length - 1]?.label ?? '';
  return (
    <Layout title={pageTitle} ctx={ctx} section={section} crumbs={crumbs}>
      <h1>{heading ?? pageTitle}</h1>
      {children}
    </Layout>
  );
}

/** The public page frame: Chinese, phone-first, printable, with the large-text (长者模式) switch. */
export function Layout({ title, ctx, section, crumbs, home, searchInMain, children }: LayoutProps) {
  const generalTel = telHref(HOTLINES.general);
  return (
    <html lang="zh-CN" class={ctx.largeText ? 'large-text' : undefined}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <title>{home ? '衡水市商务局职责清单' : `${title} - 衡水市商务局职责清单`}</title>
        <link rel="stylesheet" href={assets.css} />
        <link rel="icon" href={assets.favicon} type="image/svg+xml" />
      </head>
      <body>
        <a class="skip-link" href="#main">
          跳到主要内容
        </a>
        <header class="site-header">
          <div class="bar wrap">
            <a href={urls.home()} class="brand">
              <span class="brand-org">衡水市商务局</span>
              <span class="brand-name">职责清单</span>
            </a>
            {home || searchInMain ? null : (
              <search class="header-search-wrap">
                <form method="get" action={SEARCH_ACTION} class="header-search">
                  <label for="site-q" class="visually-hidden">
                    搜索职责、事项、服务
                  </label>
                  <SearchField id="site-q" placeholder="搜索，例如：开药店找哪个部门" />
                </form>
              </search>
            )}
            <form method="post" action={urls.largeText()} class="pref-form">
              <input type="hidden" name={CSRF_FIELD} value={ctx.csrfToken} />
              <input type="hidden" name="back" value={ctx.path} />
              <input type="hidden" name="enabled" value={ctx.largeText ? '0' : '1'} />
              <button type="submit" class={ctx.largeText ? 'pref-toggle on' : 'pref-toggle'}>
                {ctx.largeText ? '标准版' : '长者模式（大字版）'}
              </button>
            </form>
          </div>
          <nav class="site-nav" aria-label="主导航">
            <ul class="wrap">
              {NAV.map((n) => (
                <li>
                  <a href={n.href} aria-current={n.section === section ? 'page' : undefined}>
                    {n.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        {crumbs && crumbs.length > 0 ? (
          <nav class="crumbs wrap" aria-label="当前位置">
            <ol>
              <li>
                <a href={urls.home()}>首页</a>
              </li>
              {crumbs.map((c) => (
                <li>
                  <a href={c.href}>{c.label}</a>
                </li>
              ))}
            </ol>
          </nav>
        ) : null}
        <main id="main" class="wrap" tabindex={-1}>
          {children}
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <p>
              {
                '数据来源：衡水市商务局公布的部门职责、职责边界、事中事后监管制度和公共服务事项登记表。每条记录都附有出处，内容以原文为准。'
              }
            </p>
            <p>
              清单里找不到答案时，请拨打政务服务便民热线{' '}
              {generalTel ? <a href={generalTel}>{HOTLINES.general}</a> : HOTLINES.general}
              ；商务领域举报投诉请拨打{' '}
              <a href={telHref(HOTLINES.commerce) ?? undefined}>{HOTLINES.commerce}</a>。
            </p>
            <p class="footer-links">
              <a href={urls.departments()}>全部部门</a>
              <a href={urls.exportData('json', 'duties')}>数据下载（JSON）</a>
              <a href={urls.apiDocs()}>开放接口</a>
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}
