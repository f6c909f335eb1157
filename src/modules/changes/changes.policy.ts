import type { SessionUser } from '../auth/index.ts';
import type { ChangeEntity } from './changes.schema.ts';

/**
 * Who may do what with list changes, decided before any work.
 * - admin: everything;
 * - editor (科室编辑): work items and services of their own offices only — the record before
 *   the change must name one of their offices, and the change may not hand it to offices that
 *   neither they nor the record already had; duties, offices and boundary shares are
 *   department-level records and stay with admins;
 * - reviewer (审核人): approves, returns and publishes others' change sets (never their own);
 * - auditor (审计): reads everything, changes nothing; inspector: no list changes.
 */

export interface OfficeScoped {
  officeIds: number[];
}

export function canAuthor(user: SessionUser): boolean {
  return user.role === 'admin' || user.role === 'editor';
}

export function canProposeOn(
  user: SessionUser,
  entity: ChangeEntity,
  before: OfficeScoped | null,
  after: OfficeScoped | null,
): boolean {
  if (user.role === 'admin') return true;
  if (user.role !== 'editor') return false;
  if (entity !== 'workItem' && entity !== 'service') return false;
  const mine = new Set(user.officeIds);
  if (before && !before.officeIds.some((o) => mine.has(o))) return false;
  if (after) {
    const allowed = new Set([...user.officeIds, ...(before?.officeIds ?? [])]);
    if (!after.officeIds.some((o) => mine.has(o))) return false;
    if (!after.officeIds.every((o) => allowed.has(o))) return false;
  }
  return true;
}

export function canReview(user: SessionUser, authorId: number): boolean {
  return (user.role === 'reviewer' || user.role === 'admin') && user.id !== authorId;
}

export function canPublish(user: SessionUser): boolean {
  return user.role === 'reviewer' || user.role === 'admin';
}

export function canReadChanges(user: SessionUser): boolean {
  return user.role !== 'inspector';
}

export function canReadAudit(user: SessionUser): boolean {
  return user.role === 'admin' || user.role === 'auditor';
}

export function canManageUsers(user: SessionUser): boolean {
  return user.role === 'admin';
}
