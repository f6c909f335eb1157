import type { Selectable } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import type { DocumentTable } from '../../db/types.ts';

/** Documents (Kysely; the first argument is the database or the issuing transaction). */

export type DocumentRow = Selectable<DocumentTable>;
/** A document without its bytes (lists, pages). */
export type DocumentHead = Omit<DocumentRow, 'data'>;

const HEAD = [
  'id',
  'doc_type',
  'year',
  'seq',
  'number',
  'title',
  'subject_kind',
  'subject_id',
  'fields',
  'issued_by',
  'issued_by_name',
  'issued_at',
  'filename',
  'size',
  'sha256',
  'supersedes_id',
  'correction_reason',
  'superseded_by_id',
  'superseded_at',
] as const;

export async function insertDocument(tx: DbOrTx, row: Omit<DocumentRow, 'id'>): Promise<number> {
  const r = await tx.insertInto('documents').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function findDocumentHead(db: DbOrTx, id: number): Promise<DocumentHead | undefined> {
  return db.selectFrom('documents').select(HEAD).where('id', '=', id).executeTakeFirst();
}

export async function findDocumentByNumber(db: DbOrTx, number: string): Promise<DocumentHead | undefined> {
  return db.selectFrom('documents').select(HEAD).where('number', '=', number).executeTakeFirst();
}

export async function findDocumentBytes(
  db: DbOrTx,
  id: number,
): Promise<{ data: Buffer; sha256: string; filename: string } | undefined> {
  const r = await db
    .selectFrom('documents')
    .select(['data', 'sha256', 'filename'])
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? { ...r, data: Buffer.from(r.data) } : undefined;
}

export interface DocumentFilter {
  subjectKind?: string;
  subjectId?: string;
  docType?: string;
  year?: number;
  limit?: number;
  offset?: number;
}

/** Documents newest first (by id, i.e. issue order). */
export async function listDocumentHeads(db: DbOrTx, f: DocumentFilter = {}): Promise<DocumentHead[]> {
  let q = db.selectFrom('documents').select(HEAD);
  if (f.subjectKind !== undefined) q = q.where('subject_kind', '=', f.subjectKind);
  if (f.subjectId !== undefined) q = q.where('subject_id', '=', f.subjectId);
  if (f.docType !== undefined) q = q.where('doc_type', '=', f.docType);
  if (f.year !== undefined) q = q.where('year', '=', f.year);
  return q
    .orderBy('id', 'desc')
    .limit(f.limit ?? 200)
    .offset(f.offset ?? 0)
    .execute();
}

/** Marks `oldId` superseded by `newId` (the one change the triggers allow, once). */
export async function markSuperseded(tx: DbOrTx, oldId: number, newId: number, at: string): Promise<boolean> {
  const r = await tx
    .updateTable('documents')
    .set({ superseded_by_id: newId, superseded_at: at })
    .where('id', '=', oldId)
    .where('superseded_by_id', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
