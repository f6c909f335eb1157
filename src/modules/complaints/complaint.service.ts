import { createHash, randomInt } from 'node:crypto';
import type { Db, DbOrTx, DialectName } from '../../db/database.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { parseInput } from '../../http/forms.ts';
import { todayInChina } from '../../lib/china-time.ts';
import { type Actor, appendAudit } from '../audit/index.ts';
import { actorOf, type SessionUser } from '../auth/index.ts';
import { attachPending, attachUploads, type Upload, uploadProblem } from './complaint.attachments.ts';
import { dueDate, KIND_RULES, type Kind } from './complaint.clocks.ts';
import { complaintAbilities } from './complaint.policy.ts';
import { targetOf } from './complaint.presenter.ts';
import {
  insertEvent,
  insertRouting,
  insertTicket,
  listRoutings,
  listShares,
  loadTicket,
  officesOf,
  ownerDepartment,
  type TicketRow,
} from './complaint.repo.ts';
import { type Proposal, proposeRouting, routingQuestion, transferCitation } from './complaint.routing.ts';
import { type Channel, CONSENT_VERSION, Intake, Reason } from './complaint.schema.ts';
import { serviceNameOf } from './complaint.services.ts';
import { moveTicket, type Transition } from './complaint.workflow.ts';

/**
 * Tickets: intake on every channel, then acceptance and routing (受理、分派、转办、不予受理) and the
 * return of a mis-routed ticket with the coordinator's decision. Every action checks the ability
 * table first, moves the ticket by the transition table, and writes the timeline and an audit entry
 * in the caller's transaction. Audit entries never carry the complainant's personal data, so erasing
 * them later leaves the hash chain intact. `now` is the clock: the dates of the working-day rules are
 * China dates of it.
 */

const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const randomChars = (n: number) =>
  Array.from({ length: n }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');

/** The secret as typed: case, spaces and hyphens do not matter. */
export const normaliseSecret = (s: string) => s.toUpperCase().replace(/[\s-]/g, '');
export const secretHash = (s: string) =>
  createHash('sha256').update(normaliseSecret(s), 'utf8').digest('hex');

export const todayOf = (now: Date) => todayInChina(now.getTime());

export function actorFor(user: SessionUser | null, channel?: Channel): Actor {
  if (user) return actorOf(user);
  return { id: null, name: channel === 'web' ? 'public:web' : 'public' };
}

/** A ticket to act on, or 404. */
export async function ticketFor(db: DbOrTx, id: number): Promise<TicketRow> {
  const t = await loadTicket(db, id);
  if (!t) throw notFound('这件举报投诉');
  return t;
}

interface Step {
  ticket: TicketRow;
  user: SessionUser | null;
  action: Transition | 'extend' | 'rate' | 'file' | 'open-check' | 'draft-list-change';
  note?: string | null;
  toStatus?: string;
  now: Date;
  /** What the audit entry records besides the move (never personal data). */
  audit?: Record<string, unknown>;
}

/** The timeline entry and the audit entry of one step. */
export async function recordStep(tx: DbOrTx, s: Step): Promise<void> {
  const actor = actorFor(s.user);
  const at = s.now.toISOString();
  await insertEvent(tx, {
    complaint_id: s.ticket.id,
    action: s.action,
    from_status: s.ticket.status,
    to_status: s.toStatus ?? s.ticket.status,
    note: s.note ?? null,
    by_id: actor.id,
    by_name: actor.name,
    at,
    on_date: todayOf(s.now),
  });
  await appendAudit(tx, {
    actor,
    action: `complaint-${s.action}`,
    entity: 'complaint',
    entityId: s.ticket.id,
    before: { status: s.ticket.status },
    after: { status: s.toStatus ?? s.ticket.status, ...(s.audit ?? {}) },
  });
}

// ---------------------------------------------------------------------------------------------
// Intake

export interface FileInput {
  /** The fields as they came (validated here with `Intake`). */
  values: Record<string, unknown>;
  channel: Channel;
  /** The operator or the API token's user; null for the public form and Open311 (the key's user is given). */
  user: SessionUser | null;
  uploads?: readonly Upload[];
  /** Uploads kept from an earlier refused attempt of the same form. */
  pendingToken?: string | null;
  pendingCount?: number;
  now: Date;
}

export interface Filed {
  id: number;
  code: string;
  /** Shown once to the person; only its hash is kept. */
  secret: string;
  proposal: Proposal;
}

/** Takes a ticket in: validates, proposes its routing from the lists, stores it with its clocks. */
export async function fileComplaint(db: Db, dialect: DialectName, input: FileInput): Promise<Filed> {
  const values = parseInput(Intake, input.values);
  const today = todayOf(input.now);
  if (values.occurredOn && values.occurredOn > today) {
    throw new AppError(400, 'bad_input', '发生日期不能晚于今天', [
      { path: ['occurredOn'], message: '发生日期不能晚于今天' },
    ]);
  }
  const problem = uploadProblem(input.uploads ?? [], input.pendingCount ?? 0);
  if (problem) throw new AppError(400, 'bad_input', problem, [{ path: ['attachments'], message: problem }]);
  const rules = KIND_RULES[values.kind as Kind];
  const proposal = await proposeRouting(
    db,
    dialect,
    routingQuestion(values.description, await serviceNameOf(db, values.serviceCode)),
  );
  const secret = `${randomChars(4)}-${randomChars(4)}`;
  const at = input.now.toISOString();
  return db.transaction().execute(async (tx) => {
    let code = '';
    for (let i = 0; i < 5 && code === ''; i++) {
      const candidate = `${today.slice(2).replace(/-/g, '')}-${randomChars(5)}`;
      const taken = await tx
        .selectFrom('complaints')
        .select('id')
        .where('code', '=', candidate)
        .executeTakeFirst();
      if (!taken) code = candidate;
    }
    if (code === '') throw new AppError(503, 'busy', '系统繁忙，请稍后再试');
    const id = await insertTicket(tx, {
      code,
      secret_hash: secretHash(secret),
      kind: values.kind,
      channel: input.channel,
      status: 'received',
      description: values.description,
      business_name: values.businessName,
      business_uscc: values.businessUscc,
      place: values.place,
      occurred_on: values.occurredOn,
      contact_name: values.anonymous ? null : values.contactName,
      contact_phone: values.anonymous ? null : values.contactPhone,
      contact_email: values.anonymous ? null : values.contactEmail,
      anonymous: values.anonymous ? 1 : 0,
      consent: CONSENT_VERSION,
      service_code: values.serviceCode,
      external_ref: values.externalRef,
      received_at: at,
      received_on: today,
      department_id: null,
      office_id: null,
      assigned_on: null,
      accept_due: dueDate(today, rules.accept.days),
      reply_due: rules.reply.from === 'received' ? dueDate(today, rules.reply.days) : null,
      closed_on: null,
      outcome_reason: null,
      satisfaction: null,
      satisfaction_comment: null,
      created_by: input.user?.id ?? null,
      created_at: at,
      updated_at: at,
      erased_at: null,
    });
    await insertRouting(tx, {
      complaint_id: id,
      action: 'proposed',
      department_id: proposal.departmentId,
      office_id: proposal.officeId,
      transfer: proposal.outcome === 'transfer' ? 1 : 0,
      no_match: proposal.outcome === 'none' ? 1 : 0,
      reason: proposal.reason,
      source_type: proposal.source?.type ?? null,
      source_id: proposal.source?.id ?? null,
      source_url: proposal.source?.url ?? null,
      matter_id: proposal.matter?.id ?? null,
      share_id: proposal.share?.id ?? null,
      share_text: proposal.share?.text ?? null,
      note: null,
      by_id: null,
      by_name: 'resolver',
      at,
    });
    if (input.pendingToken) await attachPending(tx, input.pendingToken, id);
    if (input.uploads && input.uploads.length > 0) await attachUploads(tx, id, input.uploads, input.now);
    const ticket = (await loadTicket(tx, id))!;
    await recordStep(tx, {
      ticket: { ...ticket, status: 'new' },
      user: input.user,
      action: 'file',
      toStatus: 'received',
      now: input.now,
      audit: { code, kind: values.kind, channel: input.channel, proposed: proposal.outcome },
    });
    return { id, code, secret, proposal };
  });
}

// ---------------------------------------------------------------------------------------------
// Acceptance and routing

/** The routing step the ticket is at: the last confirmation, correction or 转办, else the proposal. */
export async function currentRouting(db: DbOrTx, id: number) {
  const rows = await listRoutings(db, id);
  return {
    proposal: rows.find((r) => r.action === 'proposed') ?? null,
    latest: rows[rows.length - 1] ?? null,
    rows,
  };
}

/** 受理并分派: to an office of the bureau; a choice other than the proposal is a correction (reason required). */
export async function assignTicket(
  tx: DbOrTx,
  user: SessionUser,
  id: number,
  input: { officeId: number; reason?: string },
  now: Date,
): Promise<void> {
  const t = await ticketFor(tx, id);
  complaintAbilities.assert('dispatch', user, targetOf(t));
  const owner = await ownerDepartment(tx);
  const office = owner ? (await officesOf(tx, owner.id)).find((o) => o.id === input.officeId) : undefined;
  if (!owner || !office) throw new AppError(400, 'bad_office', '请选择本局的承办科室');
  const { proposal } = await currentRouting(tx, id);
  const corrected = !proposal || proposal.transfer === 1 || proposal.office_id !== office.id;
  const reason = corrected
    ? parseInput(Reason('更正分派的理由'), input.reason ?? '')
    : (input.reason ?? '').trim() || null;
  const today = todayOf(now);
  const rules = KIND_RULES[t.kind as Kind];
  const replyDue = rules.reply.from === 'assigned' ? dueDate(today, rules.reply.days) : t.reply_due;
  await moveTicket(
    tx,
    id,
    t.status,
    'assign',
    {
      department_id: owner.id,
      office_id: office.id,
      assigned_on: today,
      reply_due: replyDue,
    },
    now.toISOString(),
  );
  await insertRouting(tx, {
    complaint_id: id,
    action: corrected ? 'corrected' : 'confirmed',
    department_id: owner.id,
    office_id: office.id,
    transfer: 0,
    no_match: 0,
    reason: corrected ? null : (proposal?.reason ?? null),
    note: reason,
    by_id: user.id,
    by_name: user.username,
    at: now.toISOString(),
  });
  await recordStep(tx, {
    ticket: t,
    user,
    action: 'assign',
    toStatus: 'assigned',
    note: corrected ? `更正为${office.name}：${reason}` : `按清单分派至${office.name}`,
    now,
    audit: { officeId: office.id, corrected },
  });
}

/**
 * 转办: another department's matter, citing its share of a boundary matter (or, for a matter in
 * no list, the department alone, said so). A choice other than the proposal is a correction.
 */
export async function transferTicket(
  tx: DbOrTx,
  user: SessionUser,
  id: number,
  input: { shareId?: number | null; departmentId?: number | null; reason?: string },
  now: Date,
): Promise<void> {
  const t = await ticketFor(tx, id);
  complaintAbilities.assert(t.status === 'returned' ? 'coordinate' : 'dispatch', user, targetOf(t));
  const owner = await ownerDepartment(tx);
  const shares = await listShares(tx);
  const share = input.shareId ? shares.find((s) => s.id === input.shareId) : undefined;
  if (input.shareId && !share) throw new AppError(400, 'bad_share', '请选择职责边界清单中的职责分工');
  const departmentId = share?.departmentId ?? input.departmentId ?? null;
  if (departmentId === null) throw new AppError(400, 'bad_department', '请选择转办的部门或其职责分工');
  if (owner && departmentId === owner.id)
    throw new AppError(400, 'own_department', '本局的事项请分派给科室，不能转办');
  const department = await tx
    .selectFrom('departments')
    .select(['id', 'name'])
    .where('id', '=', departmentId)
    .executeTakeFirst();
  if (!department) throw new AppError(400, 'bad_department', '请选择转办的部门');
  const { proposal } = await currentRouting(tx, id);
  const corrected =
    proposal?.transfer !== 1 ||
    proposal.department_id !== department.id ||
    (share !== undefined && proposal.share_id !== share.id);
  const reason = corrected
    ? parseInput(Reason('转办的理由'), input.reason ?? '')
    : (input.reason ?? '').trim() || null;
  const citation = transferCitation({
    department: department.name,
    matter: share ? { seq: share.matterSeq, name: share.matter } : null,
    share: share ? { text: share.text } : null,
  });
  const today = todayOf(now);
  await moveTicket(
    tx,
    id,
    t.status,
    'transfer',
    {
      department_id: department.id,
      office_id: null,
      closed_on: today,
      outcome_reason: citation,
    },
    now.toISOString(),
  );
  await insertRouting(tx, {
    complaint_id: id,
    action: corrected ? 'corrected' : 'transferred',
    department_id: department.id,
    office_id: null,
    transfer: 1,
    no_match: 0,
    reason: citation,
    matter_id: share?.matterId ?? null,
    share_id: share?.id ?? null,
    share_text: share?.text ?? null,
    note: reason,
    by_id: user.id,
    by_name: user.username,
    at: now.toISOString(),
  });
  await tx
    .insertInto('complaint_replies')
    .values({
      complaint_id: id,
      outcome: 'transferred',
      doc_number: null,
      body: `您反映的事项属于${department.name}的职责，已转${department.name}办理。${citation}`,
      by_id: user.id,
      by_name: user.username,
      at: now.toISOString(),
    })
    .execute();
  await recordStep(tx, {
    ticket: t,
    user,
    action: 'transfer',
    toStatus: 'transferred',
    note: `转${department.name}：${citation}${reason ? `（${reason}）` : ''}`,
    now,
    audit: { departmentId: department.id, shareId: share?.id ?? null, corrected },
  });
}

/** 不予受理, with the reason the person is told. */
export async function rejectTicket(
  tx: DbOrTx,
  user: SessionUser,
  id: number,
  input: { reason: string },
  now: Date,
) {
  const t = await ticketFor(tx, id);
  complaintAbilities.assert('dispatch', user, targetOf(t));
  const reason = parseInput(Reason('不予受理的理由'), input.reason);
  await moveTicket(
    tx,
    id,
    t.status,
    'reject',
    { closed_on: todayOf(now), outcome_reason: reason },
    now.toISOString(),
  );
  await tx
    .insertInto('complaint_replies')
    .values({
      complaint_id: id,
      outcome: 'rejected',
      doc_number: null,
      body: `不予受理。理由：${reason}`,
      by_id: user.id,
      by_name: user.username,
      at: now.toISOString(),
    })
    .execute();
  await recordStep(tx, { ticket: t, user, action: 'reject', toStatus: 'rejected', note: reason, now });
}
