import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { AppError } from '../../http/errors.ts';
import { attempt } from '../../http/forms.ts';
import { Csrf, sendStaffPage as sendStaffFrame } from '../../views/staff/page.tsx';
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
  return sendStaffFrame(req, reply, { title, children: body, ...options });
}

/** The hidden CSRF field of a form. */
export const CsrfField = Csrf;

export function StatusBadge({ status }: { status: ChangeStatus }) {
  return <span class={`badge status-${status}`}>{STATUS_NAMES[status] ?? status}</span>;
}

export { attempt };

export const errorNotice = (e: AppError) => ({ kind: 'error' as const, text: e.message });
