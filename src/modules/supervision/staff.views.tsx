import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { CSRF_FIELD } from '../../http/csrf.ts';
import { sendPage } from '../../views/render.ts';
import { StaffLayout } from '../../views/staff/layout.tsx';
import type { Role } from '../auth/index.ts';
import { staffIdentity } from '../auth/index.ts';

/** Building blocks of the supervision back-office pages (双随机监管后台). */

const SECTIONS: Array<{ href: string; label: string; roles: Role[] }> = [
  {
    href: '/admin/supervision',
    label: '双随机监管',
    roles: ['admin', 'editor', 'reviewer', 'inspector', 'auditor'],
  },
  {
    href: '/admin/supervision/entities',
    label: '检查对象名录库',
    roles: ['admin', 'editor', 'reviewer', 'auditor'],
  },
  {
    href: '/admin/supervision/inspectors',
    label: '执法检查人员名录库',
    roles: ['admin', 'editor', 'reviewer', 'auditor'],
  },
  { href: '/admin/supervision/plans', label: '抽查计划', roles: ['admin', 'editor', 'reviewer', 'auditor'] },
  {
    href: '/admin/supervision/tasks',
    label: '抽查任务',
    roles: ['admin', 'reviewer', 'auditor', 'inspector'],
  },
  {
    href: '/supervision',
    label: '公开信息（门户）',
    roles: ['admin', 'editor', 'reviewer', 'inspector', 'auditor'],
  },
];

export function SupervisionNav({ role }: { role: Role }) {
  return (
    <nav class="group-nav" aria-label="双随机监管">
      <ul>
        {SECTIONS.filter((s) => s.roles.includes(role)).map((s) => (
          <li>
            <a href={s.href}>{s.label}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export interface StaffPageOptions {
  title: string;
  notice?: { kind: 'ok' | 'error'; text: string } | null;
  status?: number;
  children: ComponentChildren;
}

/** Renders a supervision back-office page inside the staff layout. */
export function sendStaffPage(
  req: FastifyRequest,
  reply: FastifyReply,
  opts: StaffPageOptions,
): FastifyReply {
  const user = req.user!;
  return sendPage(
    reply,
    <StaffLayout
      title={opts.title}
      user={staffIdentity(user)}
      csrfToken={req.server.staffCsrf.token(req, reply)}
      notice={opts.notice ?? null}
    >
      <SupervisionNav role={user.role} />
      {opts.children}
    </StaffLayout>,
    opts.status ?? 200,
  );
}

/** The hidden CSRF field of a staff form. */
export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={token} />;
}

export const csrfToken = (req: FastifyRequest, reply: FastifyReply) => req.server.staffCsrf.token(req, reply);

/** A text field of a url-encoded or multipart form body. */
export function fieldOf(req: FastifyRequest, name: string): string {
  const v = ((req.body ?? {}) as Record<string, unknown>)[name];
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : '';
  return typeof v === 'string' ? v : '';
}

/** All values of a repeated field (checkboxes). */
export function fieldsOf(req: FastifyRequest, name: string): string[] {
  const v = ((req.body ?? {}) as Record<string, unknown>)[name];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

export function queryOf(req: FastifyRequest, name: string): string {
  const v = ((req.query ?? {}) as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : '';
}

/** A positive integer route parameter, or null. */
export function idParam(req: FastifyRequest, name = 'id'): number | null {
  const v = (req.params as Record<string, string | undefined>)[name];
  return v && /^[1-9]\d{0,9}$/.test(v) ? Number(v) : null;
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

/** Messages after a redirect (?done=…), so a reload never repeats the action. */
export const DONE_MESSAGES: Record<string, string> = {
  created: '已保存。',
  updated: '修改已保存。',
  conflict: '回避申报已登记。',
  'conflict-removed': '回避申报已撤回。',
  approved: '已批准：该计划可以公布。',
  committed: '计划已公布：参数和承诺哈希已在门户公开，服务器种子在抽取前保密。',
  drawn: '抽取完成：任务和抽取文件已公开，任何人可复算核验。',
  cancelled: '计划已取消。',
};

export function doneNotice(req: FastifyRequest): { kind: 'ok'; text: string } | null {
  const text = DONE_MESSAGES[queryOf(req, 'done')];
  return text ? { kind: 'ok', text } : null;
}
