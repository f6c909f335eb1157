import type { DbOrTx, Tx } from '../../../db/database.ts';
import { nowIso } from '../../../db/database.ts';
import { AppError } from '../../../http/errors.ts';
import { appendAudit } from '../../audit/index.ts';
import { actorOf, type SessionUser } from '../../auth/index.ts';
import { publicationDeadline } from './due.ts';
import { inspectionAbilities } from './inspection.policy.ts';
import {
  type PublicResult,
  type PublicWithdrawal,
  presentPublic,
  presentWithdrawal,
} from './inspection.presenter.ts';
import {
  confirmersOf,
  type InspectionRow,
  listConfirmations,
  listResults,
  loadInspection,
  loadTaskContext,
  type ResultRow,
} from './inspection.repo.ts';
import { targetOf } from './inspection.service.ts';
import { RESULT_TRANSITIONS, type ResultTransition, transition } from './result.workflow.ts';

/**
 * The review and publication of results (一公开): a manager who was not on the inspection returns
 * a result with a comment or publishes it; a published result is withdrawn only with a reason, and
 * the withdrawal is public. Each is a move of the transition table, audited in its transaction.
 */

/** The target of the ability table for an inspection: its inspectors, confirmers and editors. */
async function inspectionTarget(db: DbOrTx, r: InspectionRow) {
  const ctx = await loadTaskContext(db, r.task_id);
  const confirmers = (await listConfirmations(db, r.id)).map((c) => c.user_id);
  return { ctx, target: targetOf(ctx.inspectors, r, confirmers) };
}

const required = (text: string, what: string, max = 500) => {
  const t = text.trim();
  if (t.length < 2) throw new AppError(400, 'reason_required', `请填写${what}`);
  if (t.length > max) throw new AppError(400, 'reason_too_long', `${what}最多${max}字`);
  return t;
};

async function move(
  tx: Tx,
  user: SessionUser,
  id: number,
  action: ResultTransition,
  set: (now: string) => Record<string, string | number | null>,
  audit: Record<string, unknown> = {},
): Promise<InspectionRow> {
  const r = await loadInspection(tx, id);
  const { target, ctx } = await inspectionTarget(tx, r);
  inspectionAbilities.assert(RESULT_TRANSITIONS[action].by, user, target);
  if (action === 'publish') {
    const names = ctx.inspectors.map((i) => i.name).filter((n) => n.trim() !== '');
    if (names.some((n) => (r.result_summary ?? '').includes(n))) {
      throw new AppError(409, 'names_in_summary', '检查结果说明含执法人员姓名，不能公示：请退回修改');
    }
  }
  const now = nowIso();
  await transition(tx, r, action, set(now));
  await appendAudit(tx, {
    actor: actorOf(user),
    action: `${action}-result`,
    entity: 'inspection',
    entityId: id,
    before: { status: r.status },
    after: { status: RESULT_TRANSITIONS[action].to, taskId: r.task_id, resultCode: r.result_code, ...audit },
  });
  return r;
}

/** Sends a result back to the inspectors with what to change. */
export async function returnResult(tx: Tx, user: SessionUser, id: number, comment: string): Promise<void> {
  inspectionAbilities.assertRole('review', user);
  const c = required(comment, '退回意见');
  await move(
    tx,
    user,
    id,
    'return',
    (now) => ({ reviewed_by: user.id, reviewed_at: now, review_comment: c }),
    {
      comment: c,
    },
  );
}

/** Publishes a result in the 抽查结果公告 (no inspectors' names). */
export async function publishResult(tx: Tx, user: SessionUser, id: number): Promise<void> {
  inspectionAbilities.assertRole('review', user);
  const r = await loadInspection(tx, id);
  const deadline = r.checked_on ? publicationDeadline(r.checked_on) : null;
  await move(
    tx,
    user,
    id,
    'publish',
    (now) => ({ reviewed_by: user.id, reviewed_at: now, published_by: user.id, published_at: now }),
    { checkedOn: r.checked_on, deadline: deadline?.date ?? null, overdue: deadline?.overdue ?? false },
  );
}

/** Withdraws a published result; the reason is published with the withdrawal. */
export async function withdrawResult(tx: Tx, user: SessionUser, id: number, reason: string): Promise<void> {
  inspectionAbilities.assertRole('withdraw', user);
  const why = required(reason, '撤回理由（将公示）');
  await move(
    tx,
    user,
    id,
    'withdraw',
    (now) => ({ withdrawn_by: user.id, withdrawn_at: now, withdrawal_reason: why }),
    {
      reason: why,
    },
  );
}

// ───────────────────────────── lists ─────────────────────────────

export interface ReviewItem extends ResultRow {
  deadline: ReturnType<typeof publicationDeadline> | null;
  /** May this person review (return or publish) it? */
  mayReview: boolean;
  mayWithdraw: boolean;
}

/** Results waiting for review and those reviewed, for the back office (pending first, by deadline). */
export async function listForReview(db: DbOrTx, user: SessionUser): Promise<ReviewItem[]> {
  inspectionAbilities.assertRole('readResults', user);
  const rows = await listResults(db, { statuses: ['pending', 'returned', 'published', 'withdrawn'] });
  const confirmers = await confirmersOf(
    db,
    rows.map((r) => r.id),
  );
  const order = ['pending', 'returned', 'published', 'withdrawn'];
  return rows
    .map((r) => {
      // Confirmers are who was on it: reviewers are never the task's inspectors (role inspector).
      const target = { assignedUserIds: [], participantUserIds: confirmers.get(r.id) ?? [] };
      return {
        ...r,
        deadline: r.checkedOn ? publicationDeadline(r.checkedOn) : null,
        mayReview: inspectionAbilities.can('review', user, target),
        mayWithdraw: inspectionAbilities.can('withdraw', user, target),
      };
    })
    .sort(
      (a, b) =>
        order.indexOf(a.status) - order.indexOf(b.status) ||
        (a.deadline?.date ?? '9999').localeCompare(b.deadline?.date ?? '9999') ||
        a.id - b.id,
    );
}

/**
 * The 抽查结果公告: published results and public withdrawals of the drawn plans, of one plan or of all.
 * Checks opened outside the draw (on a 举报) are not 抽查: their result is shown on the ticket.
 */
export async function publicResults(
  db: DbOrTx,
  planId?: number,
): Promise<{ published: PublicResult[]; withdrawn: PublicWithdrawal[] }> {
  const rows = await listResults(db, {
    statuses: ['published', 'withdrawn'],
    planId,
    planStatuses: ['drawn'],
  });
  return {
    published: rows.filter((r) => r.status === 'published').map(presentPublic),
    withdrawn: rows.filter((r) => r.status === 'withdrawn').map(presentWithdrawal),
  };
}
