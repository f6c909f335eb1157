import type { ComponentChildren } from 'preact';

export interface LayoutProps {
  title: string;
  children: ComponentChildren;
}

/** The public page frame: Chinese, phone-first, printable. */
export function Layout({ title, children }: LayoutProps) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} - 职责清单`}</title>
        <style>{BASE_CSS}</style>
      </head>
      <body>
        <header class="site">
          <a href="/" class="brand">
            衡水市商务局 · 职责清单
          </a>
        </header>
        <main id="main">{children}</main>
        <footer class="site">
          数据来源：衡水市商务局公布的部门职责、职责边界、事中事后监管制度和公共服务事项登记表。
          <a href="/api/docs">开放接口</a>
        </footer>
      </body>
    </html>
  );
}

const BASE_CSS = `
:root { --fg:#1d2129; --muted:#5c6370; --line:#d9dde3; --accent:#b0271e; --bg:#f7f8fa; }
* { box-sizing: border-box; }
body { margin:0; font-family: "Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif; color:var(--fg); background:var(--bg); line-height:1.7; font-size:16px; }
header.site, footer.site { background:#fff; border-bottom:1px solid var(--line); padding:.75rem 1rem; }
footer.site { border-top:1px solid var(--line); border-bottom:0; color:var(--muted); font-size:.875rem; margin-top:2rem; }
.brand { color:var(--accent); font-weight:700; text-decoration:none; font-size:1.125rem; }
main { max-width:960px; margin:0 auto; padding:1rem; }
a { color:#1a56a8; }
.cards { display:grid; grid-template-columns:repeat(auto-fit,minmax(200px,1fr)); gap:1rem; }
.card { background:#fff; border:1px solid var(--line); border-radius:6px; padding:1rem; }
.card .n { font-size:2rem; font-weight:700; color:var(--accent); }
@media print { header.site, footer.site { display:none; } body { background:#fff; } }
`;
