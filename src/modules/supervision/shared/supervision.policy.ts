import type { Role } from '../../auth/index.ts';

/**
 * The roles of supervision, which the ability tables of its entities build on
 * (entities/entity.policy.ts, inspectors/inspector.policy.ts, plans/plan.policy.ts). What an
 * editor may do is further narrowed to what their offices own (shared/reach.ts).
 */

/** Read the registers (entities, inspectors) and plans in the back office. */
export const REGISTER_READERS: readonly Role[] = ['admin', 'editor', 'reviewer', 'auditor'];
/** Maintain the registers: add, edit, import (an editor only within their offices' reach). */
export const REGISTER_WRITERS: readonly Role[] = ['admin', 'editor'];
/** Read plans in the back office (drafts included). */
export const PLAN_READERS: readonly Role[] = ['admin', 'editor', 'reviewer', 'auditor'];
/** Create, commit, draw and cancel plans; approve ratios below a regime's minimum. */
export const PLAN_MANAGERS: readonly Role[] = ['admin', 'reviewer'];
/** See drawn tasks: inspectors their own, the others all. */
export const TASK_READERS: readonly Role[] = ['admin', 'reviewer', 'auditor', 'inspector'];
/** Anyone with a staff account reaches the supervision start page. */
export const SUPERVISION_STAFF: readonly Role[] = ['admin', 'editor', 'reviewer', 'inspector', 'auditor'];
