/**
 * File uploads for the back office (bulk import of the entity register), with @fastify/multipart,
 * registered inside the supervision staff plugin only. Text fields become string properties of the
 * body (so the CSRF guard sees `_csrf`); each uploaded file becomes an `UploadedFile` value.
 */
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

const isUploadedFile = (v: unknown): v is UploadedFile =>
  typeof v === 'object' && v !== null && Buffer.isBuffer((v as UploadedFile).data) && 'filename' in v;

/** Adds multipart parsing to an (encapsulated) plugin instance. */
export async function acceptMultipart(
  app: FastifyInstance,
  fileSize = 20 * 1024 * 1024,
  files = 1,
): Promise<void> {
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize, files, fields: 20 },
    async onFile(part: MultipartFile) {
      const file: UploadedFile = {
        field: part.fieldname,
        filename: part.filename,
        contentType: part.mimetype,
        data: await part.toBuffer(),
      };
      (part as MultipartFile & { value: unknown }).value = file;
    },
  });
}

/** The files of a multipart request body. */
export function uploadedFiles(body: unknown): UploadedFile[] {
  if (typeof body !== 'object' || body === null) return [];
  return Object.values(body as Record<string, unknown>)
    .flatMap((v) => (Array.isArray(v) ? v : [v]))
    .filter(isUploadedFile);
}
