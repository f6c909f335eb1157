import { z } from 'zod';
import { DOCUMENT_TYPES } from './document.types.ts';

/** Zod declarations of the documents module: the inputs of its actions and the JSON it sends. */

export const DOCUMENT_TYPE_CODES = DOCUMENT_TYPES.map((t) => t.code) as [string, ...string[]];

/** What a document is about: another module's record (e.g. { kind: 'rectification', id: 12 }). */
export const Subject = z.object({
  kind: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,39}$/, '对象类别应为小写英文代码，如 rectification')
    .describe('The record kind, e.g. rectification, penalty, inspection, complaint, oversight'),
  id: z.union([z.string().min(1).max(200), z.number().int()]).describe('The record id'),
});

/** The fields of a document: the type's keys, each text (checked against the type's table). */
export const Fields = z.record(z.string(), z.string().max(5000, '每项内容不超过5000字'));

export const IssueBody = z.object({
  type: z.enum(DOCUMENT_TYPE_CODES).describe('Document type code (GET /api/v1/staff/document-types)'),
  subject: Subject,
  fields: Fields,
});

export const SupersedeBody = z.object({
  fields: Fields.describe('The corrected fields (all of them: the correction is a new document)'),
  reason: z.string().trim().min(2, '请写明更正理由（2–500字）').max(500, '请写明更正理由（2–500字）'),
});

export const DocumentJson = z.object({
  id: z.number().int(),
  type: z.string(),
  typeName: z.string(),
  number: z.string().describe('文号, e.g. 衡商整改〔2026〕3号'),
  year: z.number().int(),
  seq: z.number().int(),
  title: z.string(),
  subject: z.object({ kind: z.string(), id: z.string() }),
  fields: z.record(z.string(), z.string()),
  status: z.enum(['issued', 'superseded']).describe('superseded: replaced by a correction (kept)'),
  issuedAt: z.string(),
  issuedBy: z.string(),
  sha256: z.string().describe('SHA-256 of the DOCX bytes; every download is these bytes'),
  size: z.number().int(),
  supersedesId: z.number().int().nullable(),
  supersededById: z.number().int().nullable(),
  correctionReason: z.string().nullable(),
  downloadUrl: z.string(),
});
export type DocumentJsonT = z.infer<typeof DocumentJson>;

export const DocumentTypeJson = z.object({
  code: z.string(),
  name: z.string(),
  prefix: z.string(),
  standalone: z.boolean().describe('May be issued directly through POST /api/v1/staff/documents'),
  fields: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      kind: z.enum(['text', 'textarea', 'date']),
      required: z.boolean(),
      citation: z.string().nullable(),
    }),
  ),
});
