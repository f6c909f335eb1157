/**
 * File uploads for the back office (bulk import of the entity register), with @fastify/multipart,
 * registered inside the supervision staff plugin only. Text fields become string properties of the
 * body (so the CSRF guard sees `_csrf`); each uploaded file becomes an `UploadedFile` value. A ZIP
 * container (XLSX) is checked for its entry count and uncompressed size first (lib/zip-guard.ts).
 */
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../../http/errors.ts';
import { checkZip, looksLikeZip } from '../../../lib/zip-guard.ts';

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
  /**
   * Who else may upload than signed-in staff, decided before the body is read (the enterprise's
   * filing link: the token in the address must open a filing).
   */
  allow?: (req: FastifyRequest) => Promise<boolean>,
): Promise<void> {
  // Nobody anonymous makes the server read an upload: 401 before the body is parsed.
  app.addHook('preParsing', async (req) => {
    if (!req.staffIdentity && /^multipart\//i.test(String(req.headers['content-type'] ?? ''))) {
      if (allow && (await allow(req))) return;
      throw new AppError(401, 'unauthenticated', '请先登录');
    }
  });
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
      // An archive (XLSX) is measured before any parser inflates it: a zip bomb is refused here.
      if (looksLikeZip(file.data)) {
        const zip = checkZip(file.data);
        if (!zip.ok)
          throw new AppError(400, 'archive_refused', `文件“${file.filename}”未被接受：${zip.problem}`);
      }
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
