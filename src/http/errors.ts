import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

/** Domain errors with stable codes; mapped to HTTP in one place. Messages are for people, in Chinese. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string) => new AppError(404, 'not_found', `未找到${what}`);
export const badRequest = (message: string, details?: unknown) =>
  new AppError(400, 'bad_request', message, details);
export const forbidden = (message = '您没有权限执行此操作') => new AppError(403, 'forbidden', message);

export interface ErrorPages {
  /** Renders the portal's Chinese 404 page for an unknown GET path (the views own the page). */
  portalNotFound(req: FastifyRequest, reply: FastifyReply): FastifyReply;
}

export function registerErrorHandler(app: FastifyInstance, pages: ErrorPages): void {
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof AppError) {
      if (isStaffPage(req.url)) return sendStaffError(reply, err.status, err.message);
      return reply
        .status(err.status)
        .send({ error: { code: err.code, message: err.message, details: err.details } });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => ({
        field: v.instancePath.replace(/^\//, '').replace(/\//g, '.'),
        message: v.message,
      }));
      return reply.status(400).send({
        error: {
          code: 'validation_failed',
          message: `请求参数有误：${details.map((d) => `${d.field ?? ''} ${d.message ?? ''}`.trim()).join('；')}`,
          details,
        },
      });
    }
    const status = (err as FastifyError).statusCode ?? 500;
    if (status >= 500) {
      req.log.error({ err }, 'unhandled error');
      if (isStaffPage(req.url)) return sendStaffError(reply, 500, '服务器内部错误，请稍后再试');
      return reply.status(500).send({ error: { code: 'internal', message: '服务器内部错误，请稍后再试' } });
    }
    return reply
      .status(status)
      .send({ error: { code: (err as FastifyError).code ?? 'error', message: err.message } });
  });
  app.setNotFoundHandler((req, reply) => {
    if (isStaffPage(req.url)) return sendStaffError(reply, 404, `没有这个地址：${req.url}`);
    if (!req.url.startsWith('/api/') && (req.method === 'GET' || req.method === 'HEAD'))
      return pages.portalNotFound(req, reply);
    return reply.status(404).send({ error: { code: 'not_found', message: `没有这个地址：${req.url}` } });
  });
}

const isStaffPage = (url: string) =>
  url === '/admin' || url.startsWith('/admin/') || url.startsWith('/admin?');

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const STATUS_TITLES: Record<number, string> = {
  400: '输入有误',
  401: '需要登录',
  403: '无权访问',
  404: '未找到',
  409: '操作冲突',
  429: '请求过于频繁',
};

/** A plain Chinese error page for the staff back office (its HTML routes never answer with JSON). */
function sendStaffError(reply: FastifyReply, status: number, message: string): FastifyReply {
  const title = STATUS_TITLES[status] ?? (status >= 500 ? '系统错误' : '操作未完成');
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>` +
        `<body><main style="max-width:40rem;margin:3rem auto;padding:0 1rem;font-family:sans-serif;line-height:1.7"><h1>${title}</h1><p>${escapeHtml(message)}</p>` +
        `<p><a href="/admin">返回工作台</a> · <a href="/admin/login">登录</a> · <a href="/">公众门户</a></p></main></body></html>`,
    );
}
