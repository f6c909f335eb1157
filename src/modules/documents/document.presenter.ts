import type { DocumentHead } from './document.repo.ts';
import type { DocumentJsonT } from './document.schema.ts';
import { documentType } from './document.types.ts';

/** The fields of a document that leave the server (never the bytes: those are the download). */
export function presentDocument(d: DocumentHead): DocumentJsonT {
  return {
    id: d.id,
    type: d.doc_type,
    typeName: documentType(d.doc_type)?.name ?? d.title,
    number: d.number,
    year: d.year,
    seq: d.seq,
    title: d.title,
    subject: { kind: d.subject_kind, id: d.subject_id },
    fields: JSON.parse(d.fields) as Record<string, string>,
    status: d.superseded_by_id === null ? 'issued' : 'superseded',
    issuedAt: d.issued_at,
    issuedBy: d.issued_by_name,
    sha256: d.sha256,
    size: d.size,
    supersedesId: d.supersedes_id,
    supersededById: d.superseded_by_id,
    correctionReason: d.correction_reason,
    downloadUrl: `/api/v1/staff/documents/${d.id}/download`,
  };
}

/** Content-Disposition of a DOCX download: an ASCII fallback and the Chinese name (RFC 6266/5987). */
export function attachmentHeader(id: number, filename: string): string {
  return `attachment; filename="document-${id}.docx"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
