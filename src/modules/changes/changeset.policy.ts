import type { SessionUser } from '../auth/index.ts';
import type { ChangeAdapter } from '../registry/index.ts';

/**
 * Which records a person may propose changes to, decided before any work. Admins: every kind.
 * Editors: only office-scoped kinds (work items, services), and only records of their own
 * offices — the record before the change must name one of their offices, and the change may
 * not hand it to offices that neither they nor the record already had. Other roles: none.
 */

export interface OfficeScoped {
  officeIds: number[];
}

export function mayChangeKind(user: SessionUser, adapter: ChangeAdapter): boolean {
  if (user.role === 'admin') return true;
  return user.role === 'editor' && adapter.officeScoped;
}

export function canProposeOn(
  user: SessionUser,
  adapter: ChangeAdapter,
  before: OfficeScoped | null,
  after: OfficeScoped | null,
): boolean {
  if (!mayChangeKind(user, adapter)) return false;
  if (user.role === 'admin') return true;
  const mine = new Set(user.officeIds);
  if (before && !before.officeIds.some((o) => mine.has(o))) return false;
  if (after) {
    const allowed = new Set([...user.officeIds, ...(before?.officeIds ?? [])]);
    if (!after.officeIds.some((o) => mine.has(o))) return false;
    if (!after.officeIds.every((o) => allowed.has(o))) return false;
  }
  return true;
}

/** The refusal when a kind (`record` false) or one record is out of the person's reach. */
export function outOfReach(kinds: readonly ChangeAdapter[], adapter: ChangeAdapter, record: boolean): string {
  const scoped = kinds
    .filter((k) => k.officeScoped)
    .map((k) => k.name)
    .join('和');
  return record
    ? `您无权调整这条${adapter.name}：只能调整本科室的${scoped}`
    : `您无权调整${adapter.name}：科室编辑只能调整本科室的${scoped}`;
}
