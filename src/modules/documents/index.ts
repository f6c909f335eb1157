import type { FastifyPluginAsync } from 'fastify';
import { documentsApi } from './documents.api.ts';
import { documentPages } from './documents.pages.tsx';

/**
 * The documents module's public surface: official documents (文书) with a 文号, issued as DOCX,
 * frozen once issued (issue 10, item 3). Other modules import only from here.
 *
 * Usage from another module's action (inside ITS transaction, so the document exists exactly when
 * the action commits; the 文号 is allocated in that transaction):
 *
 *   import { issueDocument, listDocuments, documentBytes } from '../documents/index.ts';
 *
 *   const doc = await issueDocument(trx, {
 *     type: 'rectification-notice',                 // a code of DOCUMENT_TYPES (document.types.ts)
 *     subject: { kind: 'rectification', id: order.id },
 *     fields: { party: '某超市', facts: '…', basis: '…', requirement: '…', deadline: '2026-10-23' },
 *     issuedBy: user,                               // SessionUser ({ id, username }) or Actor ({ id, name })
 *     at: now,                                      // optional: issue time (default now)
 *     // supersedes: { id: oldDocId, reason: '当事人名称有误' },   // a correction
 *   });
 *   // → { id, number: '衡商整改〔2026〕3号', sha256 }
 *
 *   await listDocuments(db, { subject: { kind: 'rectification', id: order.id } });  // newest first
 *   await documentBytes(db, doc.id);   // { data: Buffer, sha256, filename } — the issued bytes
 *   await getDocument(db, doc.id);     // the row without bytes (fields JSON, links, hash)
 *
 * A missing required field is refused (AppError 400 'document-element-missing', Chinese message
 * naming the element and the rule that requires it). Pages link to a document with
 * `documentLinks(id)` (print view and download under /admin/documents/…).
 */

export const documentsPlugin: FastifyPluginAsync = async (app) => {
  await app.register(documentsApi, { prefix: '/api/v1' });
  await app.register(documentPages);
};

export { presentDocument } from './document.presenter.ts';
export { documentXml } from './document.render.ts';
export type { DocumentHead } from './document.repo.ts';
export type { IssueDocumentInput, IssuedBy, IssuedDocument } from './document.service.ts';
export {
  documentBytes,
  editDocument,
  getDocument,
  issueDocument,
  listDocuments,
  supersedeDocument,
  verifyRendering,
} from './document.service.ts';
export type { DocumentCitation, DocumentField, DocumentType } from './document.types.ts';
export { DOCUMENT_TYPES, documentType, formatNumber, ISSUER } from './document.types.ts';
export { documentsBackoffice } from './documents.pages.tsx';

/** Where a staff page links for one document. */
export const documentLinks = (id: number) => ({
  page: `/admin/documents/${id}`,
  print: `/admin/documents/${id}/print`,
  download: `/admin/documents/${id}/download`,
});
