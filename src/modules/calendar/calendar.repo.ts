import type { DbOrTx } from '../../db/database.ts';

/** Holiday notices and their days (Kysely; the first argument is the database or a transaction). */

export interface NoticeRow {
  id: number;
  year: number;
  document_number: string;
  title: string;
  published_on: string | null;
  test_fixture: number;
  sha256: string;
  imported_by: string;
  imported_at: string;
}

export interface NoticeDayRow {
  notice_id: number;
  date: string;
  kind: string;
  name: string;
}

export async function listNotices(db: DbOrTx): Promise<NoticeRow[]> {
  return db.selectFrom('calendar_notices').selectAll().orderBy('year').execute();
}

export async function listNoticeDays(db: DbOrTx): Promise<NoticeDayRow[]> {
  return db.selectFrom('calendar_days').selectAll().orderBy('date').execute();
}

export async function findNoticeByYear(db: DbOrTx, year: number): Promise<NoticeRow | undefined> {
  return db.selectFrom('calendar_notices').selectAll().where('year', '=', year).executeTakeFirst();
}

export async function deleteNotice(tx: DbOrTx, id: number): Promise<void> {
  await tx.deleteFrom('calendar_days').where('notice_id', '=', id).execute();
  await tx.deleteFrom('calendar_notices').where('id', '=', id).execute();
}

export async function insertNotice(
  tx: DbOrTx,
  row: Omit<NoticeRow, 'id'>,
  days: ReadonlyArray<Omit<NoticeDayRow, 'notice_id'>>,
): Promise<number> {
  const { id } = await tx
    .insertInto('calendar_notices')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  if (days.length > 0) {
    await tx
      .insertInto('calendar_days')
      .values(days.map((d) => ({ ...d, notice_id: id })))
      .execute();
  }
  return id;
}
