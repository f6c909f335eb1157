import { KIND_NAME, KIND_RULES, type Kind } from './complaint.clocks.ts';
import type { TicketRow } from './complaint.repo.ts';
import { CHANNEL_NAME, type Channel, SATISFACTION_NAME, type Satisfaction } from './complaint.schema.ts';
import { STATUS_NAME, type Status } from './complaint.workflow.ts';

/**
 * What leaves the server about a ticket. Staff lists and API answers carry the complainant's name
 * and phone masked (张*, 138****1234); the unmasked contact is a separate, audited read
 * (`revealContact` in the service). Public answers carry no personal data at all.
 */

/** 张三 → 张*, 欧阳娜娜 → 欧***: the first character stays. */
export function maskName(name: string | null): string | null {
  if (!name) return null;
  const chars = [...name];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}

/** 13812341234 → 138****1234: the first three and last four digits stay. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 8) return '****';
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** a.person@example.cn → a***@example.cn */
export function maskEmail(email: string | null): string | null {
  if (!email) return null;
  const at = email.indexOf('@');
  return at <= 0 ? '***' : `${email[0]}***${email.slice(at)}`;
}

/** The date the running clock is due: acceptance before a ticket is accepted, else the reply. */
export function dueOf(t: Pick<TicketRow, 'status' | 'accept_due' | 'reply_due'>): string | null {
  if (t.status === 'received') return t.accept_due;
  if (t.status === 'assigned' || t.status === 'returned') return t.reply_due;
  return null;
}

export const isOverdue = (t: Pick<TicketRow, 'status' | 'accept_due' | 'reply_due'>, today: string) => {
  const due = dueOf(t);
  return due !== null && due < today;
};

export interface Contact {
  name: string | null;
  phone: string | null;
  email: string | null;
  anonymous: boolean;
  masked: boolean;
}

export function contactOf(t: TicketRow, masked: boolean): Contact {
  return {
    name: masked ? maskName(t.contact_name) : t.contact_name,
    phone: masked ? maskPhone(t.contact_phone) : t.contact_phone,
    email: masked ? maskEmail(t.contact_email) : t.contact_email,
    anonymous: t.anonymous === 1,
    masked,
  };
}

/** A ticket for staff (lists, detail, the staff API), contact masked. */
export function presentTicket(t: TicketRow, today: string) {
  return {
    id: t.id,
    code: t.code,
    kind: t.kind as Kind,
    kindName: KIND_NAME[t.kind as Kind] ?? t.kind,
    channel: t.channel as Channel,
    channelName: CHANNEL_NAME[t.channel as Channel] ?? t.channel,
    status: t.status as Status,
    statusName: STATUS_NAME[t.status as Status] ?? t.status,
    description: t.description,
    businessName: t.business_name,
    businessUscc: t.business_uscc,
    place: t.place,
    occurredOn: t.occurred_on,
    contact: contactOf(t, true),
    department: t.department,
    office: t.office,
    officeId: t.office_id,
    receivedAt: t.received_at,
    receivedOn: t.received_on,
    assignedOn: t.assigned_on,
    acceptDue: t.accept_due,
    replyDue: t.reply_due,
    due: dueOf(t),
    overdue: isOverdue(t, today),
    extendedDays: t.extended_days,
    extensions: t.extensions,
    closedOn: t.closed_on,
    outcomeReason: t.outcome_reason,
    satisfaction: t.satisfaction as Satisfaction | null,
    satisfactionName: t.satisfaction ? SATISFACTION_NAME[t.satisfaction as Satisfaction] : null,
    reopenCount: t.reopen_count,
    externalRef: t.external_ref,
    serviceCode: t.service_code,
    createdBy: t.created_by,
    erased: t.erased_at !== null,
  };
}
export type TicketOut = ReturnType<typeof presentTicket>;

/** What the ability table reads of a ticket. */
export const targetOf = (t: Pick<TicketRow, 'office_id' | 'created_by' | 'status' | 'kind'>) => ({
  officeId: t.office_id,
  createdBy: t.created_by,
  status: t.status,
  kind: t.kind,
});

/** The reply clock's days and source, for a page beside the due date. */
export const replyClockOf = (kind: string) => KIND_RULES[kind as Kind]?.reply ?? null;
