import type { Role } from '../auth/index.ts';

/**
 * Who sees which page of the dashboard, the users and the audit trail. Change sets have their
 * own ability table (modules/changes/changeset.workflow.ts).
 */

export const READ_CHANGES: Role[] = ['admin', 'editor', 'reviewer', 'auditor'];
export const AUTHORS: Role[] = ['admin', 'editor'];
export const REVIEWERS: Role[] = ['admin', 'reviewer'];
export const AUDIT_READERS: Role[] = ['admin', 'auditor'];
export const USER_ADMINS: Role[] = ['admin'];
