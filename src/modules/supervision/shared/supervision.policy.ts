import type { Role, SessionUser } from '../../auth/index.ts';

/**
 * Who may do what in supervision. Routes guard with the role lists; services check the same
 * predicates before any work.
 */

/** Read the registers (entities, inspectors) and plans in the back office. */
export const REGISTER_READERS: Role[] = ['admin', 'editor', 'reviewer', 'auditor'];
/** Maintain the registers: add, edit, import. */
export const REGISTER_WRITERS: Role[] = ['admin', 'editor'];
/** Read plans in the back office (drafts included). */
export const PLAN_READERS: Role[] = ['admin', 'editor', 'reviewer', 'auditor'];
/** Create, commit, draw and cancel plans; approve ratios below a regime's minimum. */
export const PLAN_MANAGERS: Role[] = ['admin', 'reviewer'];
/** See drawn tasks: inspectors their own, the others all. */
export const TASK_READERS: Role[] = ['admin', 'reviewer', 'auditor', 'inspector'];
/** Anyone with a staff account reaches the supervision start page. */
export const SUPERVISION_STAFF: Role[] = ['admin', 'editor', 'reviewer', 'inspector', 'auditor'];

export const canMaintainRegisters = (u: SessionUser) => REGISTER_WRITERS.includes(u.role);
export const canManagePlans = (u: SessionUser) => PLAN_MANAGERS.includes(u.role);
/** Approving a below-minimum ratio: a reviewer or admin other than the plan's author (four eyes). */
export const canApproveBelowMinimum = (u: SessionUser, authorId: number) =>
  PLAN_MANAGERS.includes(u.role) && u.id !== authorId;
