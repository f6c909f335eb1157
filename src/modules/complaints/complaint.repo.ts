import type { Insertable, Selectable } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import type {
  ComplaintAttachmentTable,
  ComplaintDisputeTable,
  ComplaintEventTable,
  ComplaintReplyTable,
  ComplaintRoutingTable,
  ComplaintTable,
} from '../../db/types.ts';

/** Reads and writes of tickets and their parts; the first argument is the database or a transaction. */

export type TicketRow = Selectable<ComplaintTable> & { department: string | null; office: string | null };
export type RoutingRow = Selectable<ComplaintRoutingTable> & {
  department: string | null;
  office: string | null;
};
export type EventRow = Selectable<ComplaintEventTable>;
export type DisputeRow = Selectable<ComplaintDisputeTable> & { office: string };
export type ReplyRow = Selectable<ComplaintReplyTable>;
export type AttachmentMeta = Omit<Selectable<ComplaintAttachmentTable>, 'data' | 'pending_hash'>;

const ticketQuery = (db: DbOrTx) =>
  db
    .selectFrom('complaints as c')
    .leftJoin('departments as d', 'd.id', 'c.department_id')
    .leftJoin('offices as o', 'o.id', 'c.office_id')
    .selectAll('c')
    .select(['d.name as department', 'o.name as office']);

export const loadTicket = (db: DbOrTx, id: number): Promise<TicketRow | undefined> =>
  ticketQuery(db).where('c.id', '=', id).executeTakeFirst();

export const loadTicketByCode = (db: DbOrTx, code: string): Promise<TicketRow | undefined> =>
  ticketQuery(db).where('c.code', '=', code).executeTakeFirst();

export interface TicketFilter {
  status?: readonly string[];
  /** Only tickets of these offices, or entered by this user (an editor's view). */
  officeIds?: readonly number[];
  createdBy?: number;
  codes?: readonly string[];
  serviceCode?: string;
  receivedFrom?: string;
  receivedTo?: string;
  limit?: number;
}

export async function listTickets(db: DbOrTx, f: TicketFilter = {}): Promise<TicketRow[]> {
  let q = ticketQuery(db);
  if (f.status && f.status.length > 0) q = q.where('c.status', 'in', [...f.status]);
  if (f.codes) q = q.where('c.code', 'in', f.codes.length > 0 ? [...f.codes] : ['']);
  if (f.serviceCode) q = q.where('c.service_code', '=', f.serviceCode);
  if (f.receivedFrom) q = q.where('c.received_at', '>=', f.receivedFrom);
  if (f.receivedTo) q = q.where('c.received_at', '<=', f.receivedTo);
  if (f.officeIds !== undefined) {
    const offices = f.officeIds.length > 0 ? [...f.officeIds] : [-1];
    const createdBy = f.createdBy ?? -1;
    q = q.where((eb) => eb.or([eb('c.office_id', 'in', offices), eb('c.created_by', '=', createdBy)]));
  }
  return q
    .orderBy('c.id', 'desc')
    .limit(f.limit ?? 500)
    .execute();
}

export async function insertTicket(tx: DbOrTx, values: Insertable<ComplaintTable>): Promise<number> {
  const r = await tx.insertInto('complaints').values(values).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function insertRouting(tx: DbOrTx, values: Insertable<ComplaintRoutingTable>): Promise<void> {
  await tx.insertInto('complaint_routings').values(values).execute();
}

export async function insertEvent(tx: DbOrTx, values: Insertable<ComplaintEventTable>): Promise<void> {
  await tx.insertInto('complaint_events').values(values).execute();
}

export const listRoutings = (db: DbOrTx, complaintId: number): Promise<RoutingRow[]> =>
  db
    .selectFrom('complaint_routings as r')
    .leftJoin('departments as d', 'd.id', 'r.department_id')
    .leftJoin('offices as o', 'o.id', 'r.office_id')
    .selectAll('r')
    .select(['d.name as department', 'o.name as office'])
    .where('r.complaint_id', '=', complaintId)
    .orderBy('r.id')
    .execute();

export const listEvents = (db: DbOrTx, complaintId: number): Promise<EventRow[]> =>
  db
    .selectFrom('complaint_events')
    .selectAll()
    .where('complaint_id', '=', complaintId)
    .orderBy('id')
    .execute();

export const listDisputes = (db: DbOrTx, complaintId: number): Promise<DisputeRow[]> =>
  db
    .selectFrom('complaint_disputes as x')
    .innerJoin('offices as o', 'o.id', 'x.office_id')
    .selectAll('x')
    .select('o.name as office')
    .where('x.complaint_id', '=', complaintId)
    .orderBy('x.id')
    .execute();

export const listReplies = (db: DbOrTx, complaintId: number): Promise<ReplyRow[]> =>
  db
    .selectFrom('complaint_replies')
    .selectAll()
    .where('complaint_id', '=', complaintId)
    .orderBy('id')
    .execute();

export const listAttachments = (db: DbOrTx, complaintId: number): Promise<AttachmentMeta[]> =>
  db
    .selectFrom('complaint_attachments')
    .select(['id', 'complaint_id', 'filename', 'content_type', 'size', 'sha256', 'created_at'])
    .where('complaint_id', '=', complaintId)
    .orderBy('id')
    .execute();

export const loadAttachment = (db: DbOrTx, complaintId: number, id: number) =>
  db
    .selectFrom('complaint_attachments')
    .selectAll()
    .where('id', '=', id)
    .where('complaint_id', '=', complaintId)
    .executeTakeFirst();

// ---------------------------------------------------------------------------------------------
// The lists, as routing reads them

/** The department whose lists these are: the one with a duty list (衡水市商务局). */
export async function ownerDepartment(db: DbOrTx): Promise<{ id: number; name: string } | null> {
  const r = await db
    .selectFrom('duties as u')
    .innerJoin('departments as d', 'd.id', 'u.department_id')
    .select(['d.id', 'd.name'])
    .orderBy('u.id')
    .executeTakeFirst();
  return r ?? null;
}

export const departmentByName = (db: DbOrTx, name: string) =>
  db.selectFrom('departments').select(['id', 'name']).where('name', '=', name).executeTakeFirst();

export const officeByName = (db: DbOrTx, departmentId: number, name: string) =>
  db
    .selectFrom('offices')
    .select(['id', 'name'])
    .where('department_id', '=', departmentId)
    .where('name', '=', name)
    .executeTakeFirst();

/** The offices of a department that can hold a ticket (not the groups), in the list's order. */
export const officesOf = (db: DbOrTx, departmentId: number) =>
  db
    .selectFrom('offices')
    .select(['id', 'name'])
    .where('department_id', '=', departmentId)
    .where('is_group', '=', 0)
    .orderBy('position')
    .orderBy('id')
    .execute();

export const departmentsExcept = (db: DbOrTx, departmentId: number) =>
  db
    .selectFrom('departments')
    .select(['id', 'name'])
    .where('id', '!=', departmentId)
    .orderBy('position')
    .orderBy('id')
    .execute();

export interface ShareChoice {
  id: number;
  matterId: number;
  matterSeq: number;
  matter: string;
  departmentId: number;
  department: string;
  text: string;
}

/** Every boundary share with its matter, in the list's order. */
export async function listShares(db: DbOrTx): Promise<ShareChoice[]> {
  const rows = await db
    .selectFrom('boundary_shares as s')
    .innerJoin('boundary_matters as m', 'm.id', 's.matter_id')
    .innerJoin('departments as d', 'd.id', 's.department_id')
    .select(['s.id', 's.matter_id', 'm.seq', 'm.name', 's.department_id', 'd.name as department', 's.text'])
    .orderBy('m.seq')
    .orderBy('s.position')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    matterId: r.matter_id,
    matterSeq: r.seq,
    matter: r.name,
    departmentId: r.department_id,
    department: r.department,
    text: r.text,
  }));
}

export interface WorkItemChoice {
  id: number;
  dutySeq: number;
  text: string;
  offices: string;
}

/** Every work item of the duty list with its duty's number and its offices as written. */
export async function listWorkItems(db: DbOrTx): Promise<WorkItemChoice[]> {
  const rows = await db
    .selectFrom('work_items as w')
    .innerJoin('duties as u', 'u.id', 'w.duty_id')
    .select(['w.id', 'u.seq', 'w.text', 'w.office_text'])
    .orderBy('u.seq')
    .orderBy('w.position')
    .execute();
  return rows.map((r) => ({ id: r.id, dutySeq: r.seq, text: r.text, offices: r.office_text }));
}

/** The matter of a boundary share or case clause the resolver cited. */
export async function matterOfSource(
  db: DbOrTx,
  sourceType: string,
  sourceId: number,
): Promise<{ id: number; seq: number; name: string } | null> {
  const matterId =
    sourceType === 'share'
      ? (
          await db
            .selectFrom('boundary_shares')
            .select('matter_id')
            .where('id', '=', sourceId)
            .executeTakeFirst()
        )?.matter_id
      : sourceType === 'case'
        ? (
            await db
              .selectFrom('boundary_cases')
              .select('matter_id')
              .where('id', '=', sourceId)
              .executeTakeFirst()
          )?.matter_id
        : undefined;
  if (matterId === undefined) return null;
  const m = await db
    .selectFrom('boundary_matters')
    .select(['id', 'seq', 'name'])
    .where('id', '=', matterId)
    .executeTakeFirst();
  return m ?? null;
}

/** A department's share of a matter. */
export const shareOf = (db: DbOrTx, matterId: number, departmentId: number) =>
  db
    .selectFrom('boundary_shares')
    .select(['id', 'text'])
    .where('matter_id', '=', matterId)
    .where('department_id', '=', departmentId)
    .orderBy('position')
    .executeTakeFirst();
