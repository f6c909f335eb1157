import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from './errors.ts';

/** Reading form bodies and query strings, and turning a fixable refusal back into the form. */

/** A text field of a url-encoded or multipart form body ('' when absent). */
export function fieldOf(req: FastifyRequest, name: string): string {
  const v = ((req.body ?? {}) as Record<string, unknown>)[name];
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : '';
  return typeof v === 'string' ? v : '';
}

/** All values of a repeated field (checkboxes, multi-selects). */
export function fieldsOf(req: FastifyRequest, name: string): string[] {
  const v = ((req.body ?? {}) as Record<string, unknown>)[name];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

/** A query-string value ('' when absent or repeated). */
export function queryOf(req: FastifyRequest, name: string): string {
  const v = ((req.query ?? {}) as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : '';
}

/**
 * Runs a write; a domain refusal the user can fix (400 bad input, 409 wrong state) comes back
 * as the error for re-rendering the form with what they typed. 401/403/404 and everything else
 * propagate to the error handler (a Chinese error page with the right status).
 */
export async function attempt<T>(
  fn: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: AppError }> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    if (e instanceof AppError && (e.status === 400 || e.status === 409)) return { ok: false, error: e };
    throw e;
  }
}

/**
 * The confirmation of an irreversible action (views/staff/confirm.tsx): throws 400 with a message
 * that says what to fix unless the box is ticked and, when required, a reason given; returns the
 * reason ('' when none).
 */
export function confirmationOf(req: FastifyRequest, options: { reasonRequired: boolean }): string {
  if (fieldOf(req, 'confirm') !== 'yes') {
    throw new AppError(400, 'not_confirmed', '此操作不可撤销：请勾选“我已确认”后再提交。');
  }
  const reason = fieldOf(req, 'reason').trim();
  if (options.reasonRequired && reason === '') {
    throw new AppError(400, 'reason_required', '请填写理由后再提交：这项操作的理由会写入审计日志。');
  }
  if (reason.length > 500) throw new AppError(400, 'reason_too_long', '理由最多500字，请精简后再提交。');
  return reason;
}

/**
 * Validates an input with its Zod declaration; a refusal becomes a 400 AppError whose message
 * lists the problems in Chinese (the schema's own messages), so `attempt` re-renders the form.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const messages = [...new Set(r.error.issues.map((i) => i.message))];
  throw new AppError(400, 'bad_input', messages.join('；'), r.error.issues);
}

/** A form field that may be repeated (checkboxes): always an array of its values. */
export const repeated = <S extends z.ZodType>(item: S) =>
  z.preprocess(
    (v) => (v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v]),
    z.array(item),
  );
