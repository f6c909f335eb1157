import { z } from 'zod';
import type { DbOrTx } from '../../db/database.ts';
import { AppError } from '../../http/errors.ts';
import { parseInput } from '../../http/forms.ts';
import type { SessionUser } from '../auth/index.ts';
import { dueDate, KIND_RULES, type Kind, REOPEN_LIMIT, sourceLine } from './complaint.clocks.ts';
import { complaintAbilities } from './complaint.policy.ts';
import { targetOf } from './complaint.presenter.ts';
import { Rating, Reason, ReplyInput, SATISFACTION_NAME } from './complaint.schema.ts';
import { recordStep, ticketFor, todayOf } from './complaint.service.ts';
import { moveTicket } from './complaint.workflow.ts';

/**
 * The end of a ticket: an extension of the reply clock (with a reason, within the kind's limit),
 * the written reply that closes it with an honest end state (已办结-已解决 / 已办结-未解决 with the
 * reason), the satisfaction follow-up (满意 / 基本满意 / 不满意), and reopening after 不满意 with a
 * reason (at most REOPEN_LIMIT times; then the rating stands).
 */

const Extension = z.object({
  days: z.coerce
    .number({ error: '请填写延长的工作日数' })
    .int('延长天数须为整数')
    .min(1, '至少延长1个工作日'),
  reason: Reason('延期理由'),
});

/** 延期: the reply clock moves by `days` working days. */
export async function extendTicket(
  tx: DbOrTx,
  user: SessionUser,
  id: number,
  input: { days: string | number; reason: string },
  now: Date,
): Promise<void> {
  const t = await ticketFor(tx, id);
  complaintAbilities.assert('handle', user, targetOf(t));
  if (t.status !== 'assigned') throw new AppError(409, 'bad_transition', '只有办理中的工单可以延期');
  const { days, reason } = parseInput(Extension, input);
  const limit = KIND_RULES[t.kind as Kind].extension;
  if (t.extensions >= limit.maxTimes || t.extended_days + days > limit.maxDays) {
    throw new AppError(
      409,
      'extension_limit',
      limit.maxDays === 0
        ? `这类工单不能延期（${sourceLine(limit.source)}）`
        : `最多延期 ${limit.maxTimes} 次、共 ${limit.maxDays} 个工作日，已延期 ${t.extended_days} 个工作日（${sourceLine(limit.source)}）`,
    );
  }
  if (t.reply_due === null)
    throw new AppError(409, 'no_due', '答复期限尚未确定（节假日安排未公布），不能延期');
  const due = dueDate(t.reply_due, days);
  await tx
    .updateTable('complaints')
    .set({
      reply_due: due,
      extended_days: t.extended_days + days,
      extensions: t.extensions + 1,
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .where('extensions', '=', t.extensions)
    .execute();
  await recordStep(tx, {
    ticket: t,
    user,
    action: 'extend',
    note: `延长 ${days} 个工作日至 ${due ?? '（待定）'}：${reason}`,
    now,
    audit: { days, replyDue: due },
  });
}

/** The written reply (文号) that closes the ticket as resolved or, with the reason, unresolved. */
export async function replyTicket(
  tx: DbOrTx,
  user: SessionUser,
  id: number,
  input: { outcome: string; docNumber: string; body: string; reason?: string },
  now: Date,
): Promise<void> {
  const t = await ticketFor(tx, id);
  complaintAbilities.assert('handle', user, targetOf(t));
  const r = parseInput(ReplyInput, input);
  const action = r.outcome === 'resolved' ? 'resolve' : 'leaveUnresolved';
  await moveTicket(
    tx,
    id,
    t.status,
    action,
    {
      closed_on: todayOf(now),
      outcome_reason: r.outcome === 'unresolved' ? r.reason : null,
      satisfaction: null,
      satisfaction_comment: null,
    },
    now.toISOString(),
  );
  await tx
    .insertInto('complaint_replies')
    .values({
      complaint_id: id,
      outcome: r.outcome,
      doc_number: r.docNumber,
      body: r.body,
      by_id: user.id,
      by_name: user.username,
      at: now.toISOString(),
    })
    .execute();
  await recordStep(tx, {
    ticket: t,
    user,
    action,
    toStatus: r.outcome,
    note: `书面答复 ${r.docNumber}${r.outcome === 'unresolved' ? `；未解决的原因：${r.reason}` : ''}`,
    now,
    audit: { docNumber: r.docNumber, outcome: r.outcome },
  });
}

export interface RatingResult {
  reopened: boolean;
}

/**
 * The satisfaction follow-up, by the person (with the code and secret) or by staff after a call.
 * 不满意 needs a reason and reopens the ticket with its office, unless it was reopened REOPEN_LIMIT
 * times already.
 */
export async function rateTicket(
  tx: DbOrTx,
  user: SessionUser | null,
  id: number,
  input: { satisfaction: string; comment?: string },
  now: Date,
): Promise<RatingResult> {
  const t = await ticketFor(tx, id);
  if (user) complaintAbilities.assert('recordRating', user, targetOf(t));
  if (t.status !== 'resolved' && t.status !== 'unresolved') {
    throw new AppError(409, 'not_closed', '办结后才能评价');
  }
  if (t.satisfaction !== null) throw new AppError(409, 'already_rated', '这次答复已经评价过了');
  const r = parseInput(Rating, input);
  const reopen = r.satisfaction === 'dissatisfied' && t.reopen_count < REOPEN_LIMIT;
  const name = SATISFACTION_NAME[r.satisfaction];
  if (reopen) {
    await moveTicket(
      tx,
      id,
      t.status,
      'reopen',
      { reopen_count: t.reopen_count + 1, closed_on: null, satisfaction: null, satisfaction_comment: null },
      now.toISOString(),
    );
  } else {
    const moved = await tx
      .updateTable('complaints')
      .set({
        satisfaction: r.satisfaction,
        satisfaction_comment: r.comment || null,
        updated_at: now.toISOString(),
      })
      .where('id', '=', id)
      .where('satisfaction', 'is', null)
      .where('status', '=', t.status)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) === 0) throw new AppError(409, 'already_rated', '这次答复已经评价过了');
  }
  await recordStep(tx, {
    ticket: t,
    user,
    action: reopen ? 'reopen' : 'rate',
    toStatus: reopen ? 'assigned' : t.status,
    note: `${name}${r.comment ? `：${r.comment}` : ''}${reopen ? '（已重新交承办科室办理）' : ''}`,
    now,
    audit: { satisfaction: r.satisfaction, reopened: reopen, by: user ? 'staff' : 'complainant' },
  });
  return { reopened: reopen };
}
