import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { CSRF_FIELD, type CsrfGuard } from '../../http/csrf.ts';
import { queryOf } from '../../http/forms.ts';
import { sendPage } from '../render.ts';
import type { StaffNavItem } from './backoffice.ts';
import { type StaffIdentity, StaffLayout } from './layout.tsx';

/** Building blocks every back-office page uses: the frame, the form token, notices. */

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is signed in, as the staff frame shows them (set by the auth plugin; null when nobody). */
    staffIdentity: StaffIdentity | null;
    /** Counts beside navigation entries for this person (set by the backoffice plugin on staff pages). */
    staffNavCounts?: Record<string, number>;
  }
  interface FastifyInstance {
    /** The back office's CSRF guard (decorated by the auth plugin). */
    staffCsrf: CsrfGuard;
    /** The staff navigation merged from the modules' contributions (decorated by the backoffice plugin). */
    staffNav: readonly StaffNavItem[];
  }
}

export type Notice = { kind: 'ok' | 'error'; text: string };

export interface StaffPageOptions {
  title: string;
  notice?: Notice | null;
  status?: number;
  /** Shown above the page's content, under the frame's navigation (e.g. a section's own menu). */
  before?: ComponentChildren;
  children: ComponentChildren;
}

/** Sends a page in the staff frame, with the form token of this request. */
export function sendStaffPage(
  req: FastifyRequest,
  reply: FastifyReply,
  opts: StaffPageOptions,
): FastifyReply {
  return sendPage(
    reply,
    <StaffLayout
      title={opts.title}
      user={req.staffIdentity}
      csrfToken={csrfToken(req, reply)}
      notice={opts.notice ?? null}
      nav={req.server.staffNav ?? []}
      navCounts={req.staffNavCounts}
    >
      {opts.before}
      {opts.children}
    </StaffLayout>,
    opts.status ?? 200,
  );
}

/** The form token of this request's staff session. */
export const csrfToken = (req: FastifyRequest, reply: FastifyReply) => req.server.staffCsrf.token(req, reply);

/** The hidden CSRF field of a staff form. */
export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={token} />;
}

/** The message after a POST-redirect-GET (`?done=…`), from the caller's table; unknown keys show nothing. */
export function doneNotice(req: FastifyRequest, messages: Record<string, string>): Notice | null {
  const key = queryOf(req, 'done');
  const text = Object.hasOwn(messages, key) ? messages[key] : undefined;
  return text ? { kind: 'ok', text } : null;
}

/** The list of problems of a refused form. */
export function FormErrors({ errors }: { errors: string[] }) {
  if (errors.length === 0) return null;
  return (
    <div class="notice notice-error" role="alert">
      <p>请修改以下问题后再提交：</p>
      <ul>
        {errors.map((e) => (
          <li>{e}</li>
        ))}
      </ul>
    </div>
  );
}
