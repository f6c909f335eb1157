import { z } from 'zod';
import type { DbOrTx, Tx } from '../../../db/database.ts';
import { AppError, notFound } from '../../../http/errors.ts';
import { type Actor, appendAudit } from '../../audit/index.ts';

/**
 * The source documents the lists were imported from, and where each was officially published: a
 * URL an admin enters (http or https only), every change of it audited.
 */

export interface SourceDocumentOut {
  id: number;
  name: string;
  sha256: string;
  lineCount: number;
  importedAt: string;
  officialUrl: string | null;
}

export async function listSourceDocuments(db: DbOrTx): Promise<SourceDocumentOut[]> {
  const rows = await db
    .selectFrom('source_documents')
    .select(['id', 'name', 'sha256', 'line_count', 'imported_at', 'official_url'])
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    sha256: r.sha256,
    lineCount: r.line_count,
    importedAt: r.imported_at,
    officialUrl: r.official_url ?? null,
  }));
}

/** One document with its text (normalised line endings), or null. */
export async function findSourceDocument(
  db: DbOrTx,
  id: number,
): Promise<(SourceDocumentOut & { content: string }) | null> {
  const r = await db
    .selectFrom('source_documents')
    .select(['id', 'name', 'sha256', 'line_count', 'imported_at', 'official_url', 'content'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!r) return null;
  return {
    id: r.id,
    name: r.name,
    sha256: r.sha256,
    lineCount: r.line_count,
    importedAt: r.imported_at,
    officialUrl: r.official_url ?? null,
    content: r.content,
  };
}

/** The official publication's address: empty clears it; otherwise an http(s) URL of at most 500 characters. */
export const OfficialUrl = z
  .string()
  .trim()
  .max(500, '网址不能超过 500 个字符')
  .refine((v) => v === '' || /^https?:\/\/[^\s/$.?#][^\s]*$/i.test(v), {
    message: '请填写以 http:// 或 https:// 开头的完整网址，例如 http://swj.hengshui.gov.cn/…',
  })
  .transform((v) => (v === '' ? null : v));

/** Sets (or clears) a document's official URL, audited in the same transaction. */
export async function setOfficialUrl(
  tx: Tx,
  input: { documentId: number; url: unknown; actor: Actor },
): Promise<string | null> {
  const parsed = OfficialUrl.safeParse(typeof input.url === 'string' ? input.url : '');
  if (!parsed.success)
    throw new AppError(
      400,
      'bad_url',
      parsed.error.issues.map((i) => i.message).join('；'),
      parsed.error.issues,
    );
  const doc = await findSourceDocument(tx, input.documentId);
  if (!doc) throw notFound(`来源文档 ${input.documentId}`);
  await tx
    .updateTable('source_documents')
    .set({ official_url: parsed.data })
    .where('id', '=', input.documentId)
    .execute();
  await appendAudit(tx, {
    actor: input.actor,
    action: 'set-official-url',
    entity: 'source_document',
    entityId: input.documentId,
    before: { officialUrl: doc.officialUrl },
    after: { officialUrl: parsed.data },
  });
  return parsed.data;
}
