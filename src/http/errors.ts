import type { FastifyError, FastifyInstance } from 'fastify';
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

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof AppError) {
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
      return reply.status(500).send({ error: { code: 'internal', message: '服务器内部错误，请稍后再试' } });
    }
    return reply
      .status(status)
      .send({ error: { code: (err as FastifyError).code ?? 'error', message: err.message } });
  });
  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ error: { code: 'not_found', message: `没有这个地址：${req.url}` } });
  });
}
