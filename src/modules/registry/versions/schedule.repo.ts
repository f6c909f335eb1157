import type { DbOrTx } from '../../../db/database.ts';
import { nowIso } from '../../../db/database.ts';

/**
 * Versions to come: a change set published with an effective date after today waits here (and
 * leaves the registry tables, the search index and every read untouched) until that date in China
 * time; the change-set workflow then applies it and records the version. 调整记录 lists what waits
 * as "将于…生效".
 */

export interface ScheduledVersion {
  changeSetId: number;
  effectiveDate: string;
  reason: string;
  scheduledBy: string;
  scheduledAt: string;
}

/** Records that a published change set takes effect on `effectiveDate` (inside its transaction). */
export async function scheduleVersion(
  tx: DbOrTx,
  input: { changeSetId: number; effectiveDate: string; reason: string; scheduledBy: string },
): Promise<void> {
  await tx
    .insertInto('version_schedule')
    .values({
      change_set_id: input.changeSetId,
      effective_date: input.effectiveDate,
      reason: input.reason,
      scheduled_by: input.scheduledBy,
      scheduled_at: nowIso(),
      state: 'pending',
      version_number: null,
    })
    .onConflict((oc) =>
      oc.column('change_set_id').doUpdateSet({
        effective_date: input.effectiveDate,
        reason: input.reason,
        scheduled_by: input.scheduledBy,
        scheduled_at: nowIso(),
        state: 'pending',
        version_number: null,
      }),
    )
    .execute();
}

/** The scheduled set took effect as `versionNumber`, or was returned before it did (`null`). */
export async function closeScheduledVersion(
  tx: DbOrTx,
  changeSetId: number,
  versionNumber: number | null,
): Promise<void> {
  await tx
    .updateTable('version_schedule')
    .set({ state: versionNumber === null ? 'cancelled' : 'applied', version_number: versionNumber })
    .where('change_set_id', '=', changeSetId)
    .where('state', '=', 'pending')
    .execute();
}

/** What waits to take effect, soonest first. */
export async function listScheduledVersions(db: DbOrTx): Promise<ScheduledVersion[]> {
  const rows = await db
    .selectFrom('version_schedule')
    .selectAll()
    .where('state', '=', 'pending')
    .orderBy('effective_date')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    changeSetId: r.change_set_id,
    effectiveDate: r.effective_date,
    reason: r.reason,
    scheduledBy: r.scheduled_by,
    scheduledAt: r.scheduled_at,
  }));
}
