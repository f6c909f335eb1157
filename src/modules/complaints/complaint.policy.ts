import { defineAbilities, type Role, type SessionUser } from '../auth/index.ts';

/**
 * Who may do what with a ticket (docs/decisions.md §18): one table read by route guards, services
 * and pages. The roles map onto the 12312 work this way:
 *
 * - intake (接线员: entering a phone call, or a system pushing through the staff API): admins,
 *   editors and reviewers;
 * - dispatch (分派: accept and route, correct the resolver, 转办, 不予受理) and coordinate (协调: decide
 *   a returned ticket on both sides' citations): admins and reviewers — the bureau's leaders and
 *   its legal office;
 * - handle (承办: reply and close, extend, return a mis-routed ticket): admins, and the editors of
 *   the office the ticket is assigned to;
 * - read: admins, reviewers and auditors every ticket; an editor the tickets of their offices and
 *   those they entered; inspectors none;
 * - see the complainant's contact details (always one ticket at a time, with a reason, audited):
 *   the dispatchers while the ticket is open, and the handling office's editors while they hold it.
 *   Auditors read tickets but never the contact details.
 * - open a check (依举报检查: an inspection task on the named business outside the random plan):
 *   the dispatchers, on an open 举报 — the same roles that manage inspection plans.
 * - note a gap or overlap in the lists (a draft change set on the boundary list): the coordinators
 *   when they decide; the draft itself is written by an admin (only admins change boundary shares).
 */

export interface TicketTarget {
  officeId: number | null;
  createdBy: number | null;
  status: string;
  /** report | complaint | appeal | enquiry */
  kind?: string;
}

const INTAKE: readonly Role[] = ['admin', 'editor', 'reviewer'];
const DISPATCHERS: readonly Role[] = ['admin', 'reviewer'];
const HANDLERS: readonly Role[] = ['admin', 'editor'];
const READERS: readonly Role[] = ['admin', 'editor', 'reviewer', 'auditor'];
const CONTACT_READERS: readonly Role[] = ['admin', 'editor', 'reviewer'];

const ownOffice = (u: SessionUser, t: TicketTarget) =>
  u.role === 'admin' || (t.officeId !== null && u.officeIds.includes(t.officeId));
const isOpen = (t: TicketTarget) => ['received', 'assigned', 'returned'].includes(t.status);

export const complaintAbilities = defineAbilities<TicketTarget>()({
  read: {
    roles: READERS,
    when: (u, t) => u.role !== 'editor' || ownOffice(u, t) || t.createdBy === u.id,
    refusal: '科室编辑只能查看分派给本科室的工单和自己登记的工单',
  },
  intake: { roles: INTAKE, refusal: '只有系统管理员、科室编辑和审核人可以登记举报投诉' },
  dispatch: { roles: DISPATCHERS, refusal: '只有系统管理员和审核人可以受理、分派、转办或不予受理' },
  coordinate: { roles: DISPATCHERS, refusal: '只有系统管理员和审核人可以协调退回的工单' },
  handle: {
    roles: HANDLERS,
    when: ownOffice,
    refusal: '只有工单所在科室的编辑（或系统管理员）可以办理、延期或退回',
  },
  seeContact: {
    roles: CONTACT_READERS,
    when: (u, t) => isOpen(t) && (u.role !== 'editor' || ownOffice(u, t)),
    refusal: '只有分派人员和正在办理的科室可以查看联系方式，且仅限未办结的工单',
  },
  openCheck: {
    roles: DISPATCHERS,
    when: (_u, t) => isOpen(t) && t.kind === 'report',
    refusal: '只有系统管理员和审核人可以依举报安排现场检查，且仅限未办结的举报',
  },
  draftListChange: {
    roles: ['admin'],
    refusal: '职责边界清单的调整单只能由系统管理员起草',
  },
  readAttachment: {
    roles: CONTACT_READERS,
    when: (u, t) => u.role !== 'editor' || ownOffice(u, t),
    refusal: '只有分派人员和承办科室可以查看附件',
  },
  recordRating: {
    roles: DISPATCHERS.concat(['editor']),
    when: (u, t) => u.role !== 'editor' || ownOffice(u, t),
    refusal: '只有分派人员和承办科室可以登记回访结果',
  },
});

export type ComplaintAction = keyof typeof complaintAbilities.rules;
