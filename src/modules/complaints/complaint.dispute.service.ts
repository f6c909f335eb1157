import type { DbOrTx } from '../../db/database.ts';
import { AppError } from '../../http/errors.ts';
import { parseInput } from '../../http/forms.ts';
import { CalendarCoverageError, countWorkingDaysBetween } from '../../lib/workdays.ts';
import type { SessionUser } from '../auth/index.ts';
import { changeSetAbilities, createChangeSet } from '../changes/index.ts';
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

// ---------------------------------------------------------------------------------------------
// A gap or overlap in the lists, revealed by a decision: a draft change set on the boundary list

export const LIST_ISSUES = {
  gap: '清单空白（没有部门的职责写到这件事）',
  overlap: '清单交叉（几个部门的职责都写到这件事）',
} as const;
export type ListIssue = keyof typeof LIST_ISSUES;

const isListIssue = (v: unknown): v is ListIssue => v === 'gap' || v === 'overlap';

/** The draft change set of a dispute's list issue: what both sides cited and what the coordinator decided. */
async function draftChangeSet(
  tx: DbOrTx,
  user: SessionUser,
  d: {
    id: number;
    list_issue: string;
    list_issue_note: string | null;
    cited_text: string;
    dispatch_citation: string | null;
    decision_reason: string | null;
  },
  code: string,
): Promise<number> {
  const what = isListIssue(d.list_issue) ? LIST_ISSUES[d.list_issue] : d.list_issue;
  const reason = [
    `工单 ${code} 的协调决定表明职责边界清单存在${what}。`,
    d.list_issue_note ? `需要调整的内容：${d.list_issue_note}` : '',
    `协调决定的理由：${d.decision_reason ?? ''}`,
    `分派依据：${d.dispatch_citation ?? '（分派时没有引用）'}`,
    `承办科室退回的依据：${d.cited_text}`,
  ]
    .filter(Boolean)
    .join('\n')
    .slice(0, 2000);
  const setId = await createChangeSet(tx as Parameters<typeof createChangeSet>[0], user, {
    title: `职责边界清单${d.list_issue === 'gap' ? '空白' : '交叉'}：工单 ${code} 协调发现`,
    reason,
  });
  await tx.updateTable('complaint_disputes').set({ change_set_id: setId }).where('id', '=', d.id).execute();
  return setId;
}

/** May this person write the draft now (admins: the boundary list is theirs to change)? */
const mayDraft = (user: SessionUser) =>
  complaintAbilities.canRole('draftListChange', user) && changeSetAbilities.canRole('create', user);

/**
 * Records the list issue a decision revealed on the dispute and, when the coordinator may write
 * change sets, opens the draft at once; otherwise it waits on the ticket for an admin (draftListChange).
 */
async function noteListIssue(
  tx: DbOrTx,
  user: SessionUser,
  disputeId: number,
  code: string,
  issue: ListIssue,
  note: string,
): Promise<number | null> {
  await tx
    .updateTable('complaint_disputes')
    .set({ list_issue: issue, list_issue_note: note || null })
    .where('id', '=', disputeId)
    .execute();
  if (!mayDraft(user)) return null;
  const d = await tx
    .selectFrom('complaint_disputes')
    .selectAll()
    .where('id', '=', disputeId)
    .executeTakeFirstOrThrow();
  return draftChangeSet(tx, user, { ...d, list_issue: issue }, code);
}

/** An admin writes the draft change set of a list issue a (reviewer) coordinator noted. */
export async function draftListChange(
  tx: DbOrTx,
  user: SessionUser,
  id: number,
  disputeId: number,
  now: Date,
): Promise<number> {
  const t = await ticketFor(tx, id);
  complaintAbilities.assert('read', user, targetOf(t));
  complaintAbilities.assertRole('draftListChange', user);
  const d = await tx
    .selectFrom('complaint_disputes')
    .selectAll()
    .where('id', '=', disputeId)
    .where('complaint_id', '=', id)
    .executeTakeFirst();
  if (!d || d.list_issue === null) throw new AppError(404, 'not_found', '这件工单没有待起草的清单问题');
  if (d.change_set_id !== null) throw new AppError(409, 'already_drafted', '这个清单问题已经起草了调整单');
  const setId = await draftChangeSet(tx, user, { ...d, list_issue: d.list_issue }, t.code);
  await recordStep(tx, {
    ticket: t,
    user,
    action: 'draft-list-change',
    note: `起草职责边界清单调整单（编号 ${setId}）`,
    now,
    audit: { disputeId, changeSetId: setId, listIssue: d.list_issue },
  });
  return setId;
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
    /** What the decision reveals about the lists: a gap or an overlap (opens a draft change set). */
    listIssue?: string | null;
    listIssueNote?: string;
  },
  now: Date,
): Promise<{ changeSetId: number | null }> {
  const t = await ticketFor(tx, id);
  complaintAbilities.assert('coordinate', user, targetOf(t));
  const reason = parseInput(Reason('协调决定的理由'), input.reason);
  const issue = input.listIssue ? input.listIssue : null;
  if (issue !== null && !isListIssue(issue))
    throw new AppError(400, 'bad_list_issue', '清单问题只能是“空白”或“交叉”');
  const issueNote = (input.listIssueNote ?? '').trim();
  if (issue !== null && (issueNote.length < 4 || issueNote.length > 500)) {
    throw new AppError(
      400,
      'list_issue_note',
      '请写明清单需要怎样调整（4–500字，如应补充哪个部门的职责分工）',
    );
  }
  const withIssue = async (disputeId: number) => {
    if (issue === null) return { changeSetId: null };
    const changeSetId = await noteListIssue(tx, user, disputeId, t.code, issue, issueNote);
    return { changeSetId };
  };
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
    return withIssue(open.id);
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
    audit: { decision: input.decision, officeId: office.id, listIssue: issue },
  });
  return withIssue(open.id);
}
