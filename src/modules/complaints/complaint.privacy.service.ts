import type { Db, DbOrTx } from '../../db/database.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { parseInput } from '../../http/forms.ts';
import { isCalendarDate } from '../../lib/china-time.ts';
import { type Actor, appendAudit } from '../audit/index.ts';
import { actorOf, type SessionUser } from '../auth/index.ts';
import { complaintAbilities } from './complaint.policy.ts';
import { type Contact, contactOf, targetOf } from './complaint.presenter.ts';
import { loadAttachment } from './complaint.repo.ts';
import { Reason } from './complaint.schema.ts';
import { ticketFor } from './complaint.service.ts';
import { ENDED } from './complaint.workflow.ts';

/**
 * The complainant's personal data: shown unmasked only one ticket at a time, to a role that needs
 * it for that ticket, with a reason — and every such read is an audit entry naming who and why;
 * attachments the same. After the retention period `erasePersonalData` clears the personal fields
 * of finished tickets; the audit trail never held them, so its hash chain still verifies.
 */

/** The unmasked contact of one ticket, for a reason; audited. */
export async function revealContact(
  tx: DbOrTx,
  user: SessionUser,
  id: number,
  reason: string,
): Promise<Contact> {
  const t = await ticketFor(tx, id);
  complaintAbilities.assert('seeContact', user, targetOf(t));
  const why = parseInput(Reason('查看联系方式的理由'), reason);
  if (t.erased_at) throw new AppError(409, 'erased', '保存期限已过，个人信息已删除');
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'complaint-read-contact',
    entity: 'complaint',
    entityId: id,
    after: { reason: why },
  });
  return contactOf(t, false);
}

/** An attachment's bytes for staff who may see it; audited. */
export async function readAttachment(tx: DbOrTx, user: SessionUser, id: number, attachmentId: number) {
  const t = await ticketFor(tx, id);
  complaintAbilities.assert('readAttachment', user, targetOf(t));
  const a = await loadAttachment(tx, id, attachmentId);
  if (!a) throw notFound('这个附件');
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'complaint-read-attachment',
    entity: 'complaint',
    entityId: id,
    after: { attachmentId, sha256: a.sha256 },
  });
  return a;
}

/** What the erasure leaves in place of the description. */
export const ERASED_TEXT = '（已超过保存期限，个人信息和情况说明已删除）';

/**
 * Clears the personal fields of every finished ticket closed before `before` (a China date): name,
 * phone, e-mail, the description, place, the secret, the satisfaction comment, the texts the person
 * wrote into the timeline, the reply texts (文号 and outcome stay) and the attachments. The kind,
 * dates, routing, outcome and rating stay for the statistics. One audit entry lists the codes.
 */
export async function erasePersonalData(
  db: Db,
  before: string,
  actor: Actor,
  now: Date,
): Promise<{ erased: number; codes: string[] }> {
  if (!isCalendarDate(before)) throw new AppError(400, 'bad_date', `日期“${before}”格式应为 YYYY-MM-DD`);
  return db.transaction().execute(async (tx) => {
    const due = await tx
      .selectFrom('complaints')
      .select(['id', 'code'])
      .where('status', 'in', [...ENDED])
      .where('closed_on', '<', before)
      .where('erased_at', 'is', null)
      .orderBy('id')
      .execute();
    const ids = due.map((d) => d.id);
    if (ids.length > 0) {
      await tx
        .updateTable('complaints')
        .set({
          description: ERASED_TEXT,
          place: null,
          contact_name: null,
          contact_phone: null,
          contact_email: null,
          secret_hash: null,
          satisfaction_comment: null,
          erased_at: now.toISOString(),
          updated_at: now.toISOString(),
        })
        .where('id', 'in', ids)
        .execute();
      await tx.deleteFrom('complaint_attachments').where('complaint_id', 'in', ids).execute();
      await tx
        .updateTable('complaint_events')
        .set({ note: null })
        .where('complaint_id', 'in', ids)
        .where('action', 'in', ['rate', 'reopen'])
        .execute();
      await tx
        .updateTable('complaint_replies')
        .set({ body: ERASED_TEXT })
        .where('complaint_id', 'in', ids)
        .execute();
    }
    await appendAudit(tx, {
      actor,
      action: 'complaint-erase-personal-data',
      entity: 'complaint',
      entityId: null,
      after: { closedBefore: before, count: ids.length, codes: due.map((d) => d.code) },
    });
    return { erased: ids.length, codes: due.map((d) => d.code) };
  });
}

export interface RoutingExample {
  code: string;
  kind: string;
  /** What the person wrote: the question the resolver read. */
  question: string;
  proposedDepartment: string | null;
  proposedOffice: string | null;
  proposedReason: string | null;
  /** The dispatcher's (or coordinator's) label. */
  department: string | null;
  office: string | null;
  transfer: boolean;
  note: string | null;
  labelledBy: string;
  labelledAt: string;
}

/**
 * The dispatchers' corrections as labelled examples for the resolver's evaluation: the ticket's text,
 * what the resolver proposed, and where it belonged. Tickets whose text was erased drop out.
 */
export async function routingExamples(db: DbOrTx): Promise<RoutingExample[]> {
  const rows = await db
    .selectFrom('complaint_routings as r')
    .innerJoin('complaints as c', 'c.id', 'r.complaint_id')
    .leftJoin('departments as d', 'd.id', 'r.department_id')
    .leftJoin('offices as o', 'o.id', 'r.office_id')
    .leftJoin('complaint_routings as p', (j) =>
      j.onRef('p.complaint_id', '=', 'r.complaint_id').on('p.action', '=', 'proposed'),
    )
    .leftJoin('departments as pd', 'pd.id', 'p.department_id')
    .leftJoin('offices as po', 'po.id', 'p.office_id')
    .select([
      'c.code',
      'c.kind',
      'c.description',
      'pd.name as proposedDepartment',
      'po.name as proposedOffice',
      'p.reason as proposedReason',
      'd.name as department',
      'o.name as office',
      'r.transfer',
      'r.note',
      'r.by_name',
      'r.at',
    ])
    .where('r.action', '=', 'corrected')
    .where('c.erased_at', 'is', null)
    .orderBy('r.id')
    .execute();
  return rows.map((r) => ({
    code: r.code,
    kind: r.kind,
    question: r.description,
    proposedDepartment: r.proposedDepartment,
    proposedOffice: r.proposedOffice,
    proposedReason: r.proposedReason,
    department: r.department,
    office: r.office,
    transfer: r.transfer === 1,
    note: r.note,
    labelledBy: r.by_name,
    labelledAt: r.at,
  }));
}
