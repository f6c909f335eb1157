import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { CSRF_FIELD } from '../../http/csrf.ts';
import { AppError } from '../../http/errors.ts';
import { sendPage } from '../../views/render.ts';
import { StaffLayout } from '../../views/staff/layout.tsx';
import { staffIdentity } from '../auth/index.ts';
import { type ChangeStatus, STATUS_NAMES } from '../changes/index.ts';

/** Shared pieces of the back office pages. All text is escaped by Preact. */

export interface StaffPageOptions {
  notice?: { kind: 'ok' | 'error'; text: string } | null;
  status?: number;
}

/** Sends a page in the staff frame, with the form token of this request. */
export function sendStaffPage(
  req: FastifyRequest,
  reply: FastifyReply,
  title: string,
  body: ComponentChildren,
  options: StaffPageOptions = {},
): FastifyReply {
  return sendPage(
    reply,
    <StaffLayout
      title={title}
      user={staffIdentity(req.user!)}
      csrfToken={req.server.staffCsrf.token(req, reply)}
      notice={options.notice ?? null}
    >
      {body}
    </StaffLayout>,
    options.status ?? 200,
  );
}

/** The hidden CSRF field of a form. */
export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={token} />;
}

export function StatusBadge({ status }: { status: ChangeStatus }) {
  return <span class={`badge status-${status}`}>{STATUS_NAMES[status] ?? status}</span>;
}

/**
 * Runs a write; a domain refusal the user can fix (400 bad input, 409 wrong state) comes back
 * as the error for re-rendering the form. 401/403/404 and everything else propagate to the
 * error handler (a Chinese error page with the right status).
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

export const errorNotice = (e: AppError) => ({ kind: 'error' as const, text: e.message });
