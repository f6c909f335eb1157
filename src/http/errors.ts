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

/**
 * What a refused form shows beside it: the problems of a 400/409 domain error (its `details` when
 * they are a list of Chinese sentences, else its message); null for any other error, which the
 * caller rethrows.
 */
export function refusalProblems(e: unknown): string[] | null {
  if (!(e instanceof AppError) || (e.status !== 400 && e.status !== 409)) return null;
  return Array.isArray(e.details) && e.details.every((d) => typeof d === 'string')
    ? (e.details as string[])
    : [e.message];
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
      return sendJsonError(reply, err.status, err.code, err.message, err.details);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => ({
        field: v.instancePath.replace(/^\//, '').replace(/\//g, '.'),
        message: v.message,
      }));
      return sendJsonError(
        reply,
        400,
        'validation_failed',
        `请求参数有误：${details.map((d) => `${d.field ?? ''} ${d.message ?? ''}`.trim()).join('；')}`,
        details,
      );
    }
    const refused = refusedInput(err, req);
    if (refused) {
      req.log.info({ code: refused.code, err: err.message }, 'refused malformed input');
      if (isStaffPage(req.url)) return sendStaffError(reply, refused.status, refused.message);
      return sendJsonError(reply, refused.status, refused.code, refused.message);
    }
    const status = (err as FastifyError).statusCode ?? 500;
    if (status >= 500) {
      req.log.error({ err }, 'unhandled error');
      if (isStaffPage(req.url)) return sendStaffError(reply, 500, '服务器内部错误，请稍后再试');
      return sendJsonError(reply, 500, 'internal', '服务器内部错误，请稍后再试');
    }
    const code = (err as FastifyError).code ?? 'error';
    const message = FASTIFY_MESSAGES[code] ?? err.message;
    if (isStaffPage(req.url)) return sendStaffError(reply, status, message);
    return sendJsonError(reply, status, code, message);
  });
  app.setNotFoundHandler((req, reply) => {
    if (isStaffPage(req.url)) return sendStaffError(reply, 404, `没有这个地址：${req.url}`);
    if (!req.url.startsWith('/api/') && (req.method === 'GET' || req.method === 'HEAD'))
      return pages.portalNotFound(req, reply);
    return reply.status(404).send({ error: { code: 'not_found', message: `没有这个地址：${req.url}` } });
  });
}

/**
 * An error answer in the API's error shape. It is serialised here, not by the route's response
 * schema: a route that declares its own error shape (Open311) would otherwise fail to serialise
 * an error raised before its handler ran (a body that is not JSON) and answer 500.
 */
function sendJsonError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  details?: unknown,
): FastifyReply {
  return reply
    .status(status)
    .type('application/json; charset=utf-8')
    .serializer(JSON.stringify)
    .send({ error: { code, message, ...(details === undefined ? {} : { details }) } });
}

/** Fastify's own refusals of a request, said in Chinese. */
const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: '请求内容不是有效的 JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: '请求内容为空，但声明为 JSON',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: '不支持该请求内容类型（Content-Type）',
  FST_ERR_CTP_BODY_TOO_LARGE: '提交的内容过大',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: '请求的 Content-Length 与内容不符',
  FST_REQ_FILE_TOO_LARGE: '上传的文件过大',
  FST_ERR_BAD_URL: '地址格式有误',
};

/** PostgreSQL's refusals of a value (SQLSTATE class 22, data exception) that input let through. */
const PG_DATA_ERRORS: Record<string, string> = {
  '22003': '数值超出范围',
  '22P02': '数值格式有误',
  '22021': '文本含有无效字符（例如 NUL 字符）',
  '22P05': '文本含有无法保存的字符',
  '22001': '文本过长',
  '22007': '日期格式有误',
  '22008': '日期超出范围',
};

/** Parser errors of malformed multipart bodies (busboy throws plain errors without a status). */
const MULTIPART_PROBLEM =
  /multipart|boundary|needle|unexpected end|terminated early|unsupported content type/i;

/** Multipart limits: too many parts is a malformed request (400); a file too large stays 413. */
const MULTIPART_LIMITS = new Set([
  'FST_PARTS_LIMIT',
  'FST_FILES_LIMIT',
  'FST_FIELDS_LIMIT',
  'FST_PROTO_VIOLATION',
]);

/**
 * Input the parsers or the database refused, as a 400 instead of a 500: malformed multipart
 * bodies (no boundary, truncated), too many parts, and values PostgreSQL cannot store or compare
 * (a number beyond its integer range, a NUL character in text). Declarations should stop them
 * first (params.ts); this is the net under them, so a hostile request never answers 500.
 */
function refusedInput(
  err: Error & { code?: unknown; statusCode?: number },
  req: FastifyRequest,
): { status: number; code: string; message: string } | null {
  const code = typeof err.code === 'string' ? err.code : '';
  if (MULTIPART_LIMITS.has(code)) {
    return { status: 400, code: 'malformed_multipart', message: '上传的表单字段或文件数量超出限制' };
  }
  const contentType = String(req.headers['content-type'] ?? '');
  if (
    (err.statusCode === undefined || err.statusCode >= 500) &&
    /^multipart\//i.test(contentType) &&
    (MULTIPART_PROBLEM.test(err.message) || code === 'ERR_STREAM_PREMATURE_CLOSE')
  ) {
    return { status: 400, code: 'malformed_multipart', message: '上传的表单格式有误或不完整，请重新提交' };
  }
  if (Object.hasOwn(PG_DATA_ERRORS, code) && 'severity' in err) {
    return { status: 400, code: 'bad_value', message: `请求中的${PG_DATA_ERRORS[code]}` };
  }
  if (code === 'SQLITE_TOOBIG') return { status: 413, code: 'too_large', message: '提交的内容过长' };
  return null;
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
