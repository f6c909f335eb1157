import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseId } from '../../http/params.ts';
import { sendPage } from '../render.ts';
import { type PageContext, pageContext, safeReturnPath } from './context.ts';
import { Layout, SEARCH_ACTION } from './layout.tsx';
import { HOTLINES, telHref } from './phone.ts';
import { urls } from './urls.ts';

/** Error pages of the portal, in Chinese. */

export function NotFoundPage({ ctx, what }: { ctx: PageContext; what?: string }) {
  return (
    <Layout title="页面不存在" ctx={ctx}>
      <h1>没有找到这个页面</h1>
      <p>{what ? `没有找到${what}。` : '您访问的地址不存在，可能已经变更或输入有误。'}</p>
      <search>
        <form method="get" action={SEARCH_ACTION} class="big-search">
          <label for="nf-q">试试搜索：</label>
          <div class="search-row">
            <input id="nf-q" type="search" name="q" placeholder="例如：预付卡、加油站、外资" />
            <button type="submit">搜索</button>
          </div>
        </form>
      </search>
      <p>
        <a href={urls.home()}>返回首页</a>
      </p>
    </Layout>
  );
}

/** Sends the Chinese 404 page (HTML). Page routes use this for unknown ids. */
export function sendNotFound(req: FastifyRequest, reply: FastifyReply, what?: string): FastifyReply {
  return sendPage(reply, <NotFoundPage ctx={pageContext(req, reply)} what={what} />, 404);
}

export function CsrfRefusedPage({ ctx, back }: { ctx: PageContext; back: string }) {
  const tel = telHref(HOTLINES.general);
  return (
    <Layout title="安全校验失败" ctx={ctx}>
      <h1>安全校验失败</h1>
      <p>
        这次提交没有通过安全校验：页面可能已经过期，或者请求不是从本站的页面发出的。为保护您的操作安全，本次提交未被处理。
      </p>
      <p>
        请 <a href={back}>返回上一页</a> 后再试一次。
      </p>
      <p class="muted">
        如果多次出现此提示，请确认浏览器允许本站使用 Cookie；也可拨打{' '}
        {tel ? <a href={tel}>{HOTLINES.general}</a> : HOTLINES.general} 咨询。
      </p>
    </Layout>
  );
}

/** The portal's refusal answer for the CSRF guard: status 403 with the page above. */
export function sendCsrfRefused(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const body = req.body as Record<string, unknown> | undefined;
  const back = safeReturnPath(body && typeof body === 'object' ? body.back : undefined);
  return sendPage(reply, <CsrfRefusedPage ctx={pageContext(req, reply)} back={back} />, 403);
}

/** The id of a page route, or null after sending the Chinese 404 page. */
export function idOr404(req: FastifyRequest, reply: FastifyReply, what: string): number | null {
  const id = parseId((req.params as { id?: string }).id);
  if (id === null) sendNotFound(req, reply, what);
  return id;
}
