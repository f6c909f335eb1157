import type { DbOrTx, Tx } from '../../db/database.ts';
import { AppError } from '../../http/errors.ts';
import type { SessionUser } from '../auth/index.ts';
import {
  entityChecksInYear,
  type OpenedCheck,
  openTargetedCheck,
  type TargetedCheckOut,
  targetedChecksOf,
  yearlyCapOf,
} from '../supervision/index.ts';
import { complaintAbilities } from './complaint.policy.ts';
import { targetOf } from './complaint.presenter.ts';
import { recordStep, ticketFor, todayOf } from './complaint.service.ts';

/**
 * A 举报 that calls for a check on the named business (the regimes promise checks "at any time on a
 * complaint"): the dispatcher opens an inspection task outside the random plan through the
 * supervision module (counted against the entity's yearly cap), and the ticket shows the check's
 * progress and, once reviewed and published, its result. The source of the task is the ticket's
 * query code, so supervision keeps no reference into complaints.
 */

export const CHECK_SOURCE = 'complaint';

export interface OpenCheckInput {
  /** The business's credit code; default: the one the ticket names. */
  uscc?: string;
  inspectorIds: readonly number[];
  reason: string;
  overCapReason?: string;
}

export async function openCheckForTicket(
  tx: Tx,
  user: SessionUser,
  id: number,
  input: OpenCheckInput,
  now: Date,
  defaultDays: number,
): Promise<OpenedCheck> {
  const t = await ticketFor(tx, id);
  complaintAbilities.assert('openCheck', user, targetOf(t));
  const uscc = (input.uscc ?? '').trim() || t.business_uscc || '';
  if (uscc === '') {
    throw new AppError(
      400,
      'uscc_required',
      '举报没有写明经营者的统一社会信用代码：请核实后填写要检查的经营者的代码',
    );
  }
  const opened = await openTargetedCheck(
    tx,
    user,
    {
      uscc,
      inspectorIds: input.inspectorIds,
      reason: input.reason,
      overCapReason: input.overCapReason,
      source: CHECK_SOURCE,
      sourceRef: t.code,
      dueOn: t.reply_due,
      defaultDays,
    },
    now.getTime(),
  );
  await recordStep(tx, {
    ticket: t,
    user,
    action: 'open-check',
    note: `依举报安排现场检查（本年度第 ${opened.checksInYear} 次，年度上限 ${opened.yearlyCap} 次）：${input.reason.trim()}`,
    now,
    audit: { taskId: opened.taskId, planId: opened.planId, checksInYear: opened.checksInYear },
  });
  return opened;
}

/** The checks a ticket opened, with their progress and published results. */
export const checksOfTicket = (db: DbOrTx, code: string): Promise<TargetedCheckOut[]> =>
  targetedChecksOf(db, CHECK_SOURCE, code);

/** Checks of the named business this year and the cap, for the form (null when not in the register). */
export async function capStateOf(
  db: DbOrTx,
  uscc: string | null,
  now: Date,
): Promise<{ name: string; checks: number; cap: number; capSource: string } | null> {
  if (!uscc) return null;
  const e = await db
    .selectFrom('regulated_entities')
    .select(['id', 'name'])
    .where('uscc', '=', uscc)
    .executeTakeFirst();
  if (!e) return null;
  const year = Number(todayOf(now).slice(0, 4));
  const [checks, cap] = await Promise.all([entityChecksInYear(db, e.id, year), yearlyCapOf(db, year)]);
  return { name: e.name, checks, cap: cap.cap, capSource: cap.source };
}
