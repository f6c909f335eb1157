import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db, Tx } from '../../../db/database.ts';
import { notFound } from '../../../http/errors.ts';
import { fieldOf, fieldsOf, queryOf } from '../../../http/forms.ts';
import { idParam } from '../../../http/params.ts';
import {
  Csrf,
  csrfToken,
  FormErrors,
  type StaffPageOptions as FramePageOptions,
  doneNotice as frameDoneNotice,
  sendStaffPage as sendFramePage,
} from '../../../views/staff/page.tsx';
import type { SessionUser } from '../../auth/index.ts';
import { campaignAbilities } from '../campaigns/campaign.policy.ts';
import { entityAbilities } from '../entities/entity.policy.ts';
import { inspectionAbilities } from '../inspections/inspection.policy.ts';
import { inspectorAbilities } from '../inspectors/inspector.policy.ts';
import { oversightAbilities } from '../oversight/oversight.policy.ts';
import { caseAbilities } from '../penalties/penalty.policy.ts';
import { planAbilities } from '../plans/plan.policy.ts';
import { orderAbilities } from '../rectifications/rectification.policy.ts';

/** Building blocks of the supervision back-office pages (双随机监管后台). */

const SECTIONS: Array<{ href: string; label: string; may: (user: SessionUser) => boolean }> = [
  { href: '/admin/supervision', label: '双随机监管', may: (u) => planAbilities.canRole('start', u) },
  {
    href: '/admin/supervision/entities',
    label: '检查对象名录库',
    may: (u) => entityAbilities.canRole('read', u),
  },
  {
    href: '/admin/supervision/inspectors',
    label: '执法检查人员名录库',
    may: (u) => inspectorAbilities.canRole('read', u),
  },
  { href: '/admin/supervision/plans', label: '抽查计划', may: (u) => planAbilities.canRole('read', u) },
  { href: '/admin/supervision/tasks', label: '抽查任务', may: (u) => planAbilities.canRole('readTasks', u) },
  {
    href: '/admin/supervision/results',
    label: '抽查结果审核',
    may: (u) => inspectionAbilities.canRole('readResults', u),
  },
  {
    href: '/admin/supervision/rectifications',
    label: '责令整改',
    may: (u) => orderAbilities.canRole('read', u),
  },
  { href: '/admin/supervision/penalties', label: '行政处罚', may: (u) => caseAbilities.canRole('read', u) },
  { href: '/admin/deadlines', label: '期限提醒', may: () => true },
  {
    href: '/admin/supervision/campaigns',
    label: '年度工作',
    may: (u) => campaignAbilities.canRole('read', u),
  },
  {
    href: '/admin/supervision/oversight',
    label: '执法监督',
    may: (u) => oversightAbilities.canRole('read', u),
  },
  { href: '/supervision', label: '公开信息（门户）', may: (u) => planAbilities.canRole('start', u) },
];

export function SupervisionNav({ user }: { user: SessionUser }) {
  return (
    <nav class="group-nav" aria-label="双随机监管">
      <ul>
        {SECTIONS.filter((s) => s.may(user)).map((s) => (
          <li>
            <a href={s.href}>{s.label}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export type StaffPageOptions = Omit<FramePageOptions, 'before'>;

/** Renders a supervision back-office page inside the staff frame, under the section's menu. */
export function sendStaffPage(
  req: FastifyRequest,
  reply: FastifyReply,
  opts: StaffPageOptions,
): FastifyReply {
  return sendFramePage(req, reply, { ...opts, before: <SupervisionNav user={req.user!} /> });
}

export { Csrf, csrfToken, FormErrors, fieldOf, fieldsOf, idParam, queryOf };

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
  return frameDoneNotice(req, DONE_MESSAGES) as { kind: 'ok'; text: string } | null;
}

/**
 * The handler of a POST on one record (`:id`, or the `param` given): runs `run` in a transaction,
 * then redirects (303) to `redirectTo(id)` so a reload never repeats it; a refusal of the record's form
 * (an `invalid` error) re-renders the page with what was typed (`again`) instead.
 */
export function onRecord<E extends Error>(
  db: () => Db,
  opts: {
    /** What the id names, for the 404 ("该执法人员"). */
    what: string;
    invalid: abstract new (...args: never[]) => E;
    run: (tx: Tx, req: FastifyRequest, id: number) => Promise<unknown>;
    redirectTo: (id: number) => string;
    again: (req: FastifyRequest, reply: FastifyReply, id: number, e: E) => unknown;
    param?: string;
  },
) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const id = idParam(req, opts.param);
    if (id === null) throw notFound(opts.what);
    try {
      await db()
        .transaction()
        .execute((tx) => opts.run(tx, req, id));
    } catch (e) {
      if (e instanceof opts.invalid) return opts.again(req, reply, id, e);
      throw e;
    }
    return reply.redirect(opts.redirectTo(id), 303);
  };
}
