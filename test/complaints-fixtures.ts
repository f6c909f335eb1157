import type { Database } from '../src/db/database.ts';
import type { SessionUser } from '../src/modules/auth/auth.service.ts';
import { attachUploads } from '../src/modules/complaints/complaint.attachments.ts';
import { replyTicket } from '../src/modules/complaints/complaint.closing.service.ts';
import { returnTicket } from '../src/modules/complaints/complaint.dispute.service.ts';
import { assignTicket, fileComplaint } from '../src/modules/complaints/complaint.service.ts';
import { PNG } from './complaints-helpers.ts';

/**
 * Tickets in a given state for authorisation tests, made through the services (not the routes
 * under test): filed by phone, accepted to an office, returned by it, or answered. Each has the
 * complainant's phone FIXTURE_PHONE and one attachment.
 */

export const FIXTURE_PHONE = '13712345678';
export const FIXTURE_NAME = '王小明';

export type FixtureState = 'received' | 'assigned' | 'returned' | 'resolved';

export async function complaintFixture(
  database: Database,
  who: { dispatcher: SessionUser; handler: SessionUser },
  officeId: number,
  state: FixtureState,
  kind: 'report' | 'complaint' = 'report',
  now = new Date(),
): Promise<{ id: number; code: string; attachmentId: number }> {
  const filed = await fileComplaint(database.db, database.dialect, {
    values: {
      kind,
      description: '举报某超市发售的预付卡单张面值超过5000元，违规发卡。',
      contactName: FIXTURE_NAME,
      contactPhone: FIXTURE_PHONE,
      consent: true,
    },
    channel: 'phone',
    user: who.dispatcher,
    now,
  });
  const id = filed.id;
  await database.db.transaction().execute(async (tx) => {
    await attachUploads(tx, id, [{ filename: 'photo.png', data: PNG, truncated: false }], now);
    if (state === 'received') return;
    await assignTicket(tx, who.dispatcher, id, { officeId, reason: '授权矩阵：指定承办科室' }, now);
    if (state === 'returned') {
      const share = await tx
        .selectFrom('boundary_shares')
        .select('id')
        .orderBy('id')
        .executeTakeFirstOrThrow();
      await returnTicket(
        tx,
        who.handler,
        id,
        { reason: '不属于本科室职责', cited: `share:${share.id}` },
        now,
      );
    }
    if (state === 'resolved') {
      await replyTicket(
        tx,
        who.handler,
        id,
        { outcome: 'resolved', docNumber: '衡商函〔2026〕1号', body: '经核查，已责令该超市整改。' },
        now,
      );
    }
  });
  const a = await database.db
    .selectFrom('complaint_attachments')
    .select('id')
    .where('complaint_id', '=', id)
    .executeTakeFirstOrThrow();
  return { id, code: filed.code, attachmentId: a.id };
}
