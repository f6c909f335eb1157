import type { DbOrTx } from '../../db/database.ts';
import { AppError } from '../../http/errors.ts';
import { parseInput } from '../../http/forms.ts';
import { CalendarCoverageError, countWorkingDaysBetween } from '../../lib/workdays.ts';
import type { SessionUser } from '../auth/index.ts';
import { RETURN_WINDOW } from './complaint.clocks.ts';
import { complaintAbilities } from './complaint.policy.ts';
import { targetOf } from './complaint.presenter.ts';
import { insertRouting, officesOf, ownerDepartment } from './complaint.repo.ts';
import { Reason } from './complaint.schema.ts';
import { currentRouting, recordStep, ticketFor, todayOf, transferTicket } from './complaint.service.ts';
import { moveTicket } from './complaint.workflow.ts';

/**
 * Disputes over who handles a ticket: the office that received it returns it within
 * RETURN_WINDOW working days, citing the lists; the coordinator sees both sides' citations (the
 * dispatcher's and the office's) and decides — the office keeps it, another office gets it, or it
 * goes to another department (转办). Later returns are refused.
 */

// ---------------------------------------------------------------------------------------------
// Disputes: the receiving office returns a ticket, the coordinator decides

/** Working days since the office received the ticket (the day itself not counted). */
export function daysHeld(assignedOn: string, today: string): number {
  return countWorkingDaysBetween(assignedOn, today);
}

/** The record of the lists an office cites: `workItem:<id>` or `share:<id>`, with its text. */
async function citedRecord(tx: DbOrTx, cited: string): Promise<{ type: string; id: number; text: string }> {
  const m = /^(workItem|share):([1-9]\d{0,9})$/.exec(cited);
  const refuse = () =>
    new AppError(
      400,
      'citation_required',
      '退回须引用清单中的一条职责（部门职责清单的工作事项或职责边界的职责分工）',
    );
  if (!m) throw refuse();
  const id = Number(m[2]);
  if (m[1] === 'workItem') {
    const w = await tx
      .selectFrom('work_items')
      .select(['text', 'office_text'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!w) throw refuse();
    return { type: 'workItem', id, text: `部门职责清单的工作事项：“${w.text}”，责任科室：${w.office_text}` };
  }
  const sh = await tx
    .selectFrom('boundary_shares as s')
    .innerJoin('boundary_matters as bm', 'bm.id', 's.matter_id')
    .select(['s.text', 's.department_text', 'bm.seq', 'bm.name'])
    .where('s.id', '=', id)
    .executeTakeFirst();
  if (!sh) throw refuse();
  const text = `职责边界清单第 ${sh.seq} 项“${sh.name}”中${sh.department_text}的职责分工：“${sh.text}”`;
  return { type: m[1]!, id, text };
}

/**
 * 退回: the office that received the ticket says it is not theirs, within RETURN_WINDOW working days
 * of receiving it, citing the lists. From the next working day on the return is refused.
 */
export async function returnTicket(
  tx: DbOrTx,
  user: SessionUser,
  id: number,
  input: { reason: string; cited: string },
  now: Date,
): Promise<void> {
  const t = await ticketFor(tx, id);
  complaintAbilities.assert('handle', user, targetOf(t));
  if (t.status !== 'assigned' || t.assigned_on === null || t.office_id === null) {
    throw new AppError(409, 'bad_transition', '只有办理中的工单可以退回');
  }
  const settledBefore = await tx
    .selectFrom('complaint_disputes')
    .select('id')
    .where('complaint_id', '=', id)
    .where('office_id', '=', t.office_id)
    .where('decision', '=', 'kept')
    .executeTakeFirst();
  if (settledBefore) throw new AppError(409, 'already_settled', '协调已决定由本科室办理，不能再次退回');
  const today = todayOf(now);
  let held: number;
  try {
    held = daysHeld(t.assigned_on, today);
  } catch (e) {
    if (e instanceof CalendarCoverageError) throw new AppError(409, 'calendar', e.messageZh);
    throw e;
  }
  if (held > RETURN_WINDOW.days) {
    throw new AppError(
      409,
      'return_window_closed',
      `退回期限已过：须在收到工单后 ${RETURN_WINDOW.days} 个工作日内退回（本科室 ${t.assigned_on} 收到，今天是第 ${held} 个工作日），请办理或与协调人员联系。`,
    );
  }
  const reason = parseInput(Reason('退回理由'), input.reason);
  const cited = await citedRecord(tx, input.cited);
  const { latest } = await currentRouting(tx, id);
  const dispatchCitation = latest?.reason ?? latest?.note ?? null;
  await moveTicket(tx, id, t.status, 'return', {}, now.toISOString());
  await tx
    .insertInto('complaint_disputes')
    .values({
      complaint_id: id,
      office_id: t.office_id,
      returned_by: user.id,
      returned_at: now.toISOString(),
      reason,
      cited_type: cited.type,
      cited_id: cited.id,
      cited_text: cited.text,
      dispatch_citation: dispatchCitation,
      decided_by: null,
      decided_at: null,
      decision: null,
      decision_reason: null,
    })
    .execute();
  await recordStep(tx, {
    ticket: t,
    user,
    action: 'return',
    toStatus: 'returned',
    note: `${reason}（引用：${cited.text}）`,
    now,
    audit: { officeId: t.office_id, cited: `${cited.type}:${cited.id}`, workingDaysHeld: held },
  });
}

/** The coordinator's decision on a returned ticket: the office keeps it, another office gets it, or 转办. */
export async function settleDispute(
  tx: DbOrTx,
  user: SessionUser,
  id: number,
  input: {
    decision: 'keep' | 'reassign' | 'transfer';
    officeId?: number;
    shareId?: number | null;
    departmentId?: number | null;
    reason: string;
  },
  now: Date,
): Promise<void> {
  const t = await ticketFor(tx, id);
  complaintAbilities.assert('coordinate', user, targetOf(t));
  const reason = parseInput(Reason('协调决定的理由'), input.reason);
  const open = await tx
    .selectFrom('complaint_disputes')
    .select('id')
    .where('complaint_id', '=', id)
    .where('decision', 'is', null)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (t.status !== 'returned' || !open) throw new AppError(409, 'bad_transition', '这件工单没有待协调的退回');
  const decide = (decision: string) =>
    tx
      .updateTable('complaint_disputes')
      .set({ decided_by: user.id, decided_at: now.toISOString(), decision, decision_reason: reason })
      .where('id', '=', open.id)
      .execute();
  if (input.decision === 'transfer') {
    await decide('transferred');
    await transferTicket(
      tx,
      user,
      id,
      { shareId: input.shareId, departmentId: input.departmentId, reason },
      now,
    );
    return;
  }
  const owner = await ownerDepartment(tx);
  const officeId = input.decision === 'keep' ? t.office_id! : (input.officeId ?? 0);
  const office = owner ? (await officesOf(tx, owner.id)).find((o) => o.id === officeId) : undefined;
  if (!office) throw new AppError(400, 'bad_office', '请选择承办科室');
  if (input.decision === 'reassign' && office.id === t.office_id) {
    throw new AppError(400, 'same_office', '改派须选择另一个科室；由原科室办理请选“维持原分派”');
  }
  await decide(input.decision === 'keep' ? 'kept' : 'reassigned');
  await moveTicket(
    tx,
    id,
    t.status,
    'settle',
    {
      office_id: office.id,
      ...(input.decision === 'reassign' ? { assigned_on: todayOf(now) } : {}),
    },
    now.toISOString(),
  );
  await insertRouting(tx, {
    complaint_id: id,
    action: input.decision === 'keep' ? 'settled' : 'corrected',
    department_id: owner!.id,
    office_id: office.id,
    transfer: 0,
    no_match: 0,
    reason: null,
    note: `协调决定：${reason}`,
    by_id: user.id,
    by_name: user.username,
    at: now.toISOString(),
  });
  await recordStep(tx, {
    ticket: t,
    user,
    action: 'settle',
    toStatus: 'assigned',
    note: `${input.decision === 'keep' ? '维持原分派' : `改派${office.name}`}：${reason}`,
    now,
    audit: { decision: input.decision, officeId: office.id },
  });
}
