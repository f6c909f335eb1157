import { createHash, randomBytes } from 'node:crypto';
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { DbOrTx } from '../../db/database.ts';

/**
 * Attachments of a ticket (photos, PDF): limited in number and size, their type sniffed from the
 * bytes (the name and the browser's type are not trusted), SHA-256 stored, served only to staff as
 * downloads. An upload on a form that came back with an error is kept for an hour under a random
 * token in a hidden field, so the person does not have to choose the files again.
 */

export const ATTACHMENT_LIMITS = {
  files: 3,
  fileBytes: 5 * 1024 * 1024,
  /** Waiting uploads older than this are deleted. */
  pendingMs: 60 * 60 * 1000,
} as const;

/** Accepted types by their magic bytes. */
const SIGNATURES: ReadonlyArray<{ type: string; ext: string; test: (b: Buffer) => boolean }> = [
  {
    type: 'image/jpeg',
    ext: 'jpg',
    test: (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  },
  {
    type: 'image/png',
    ext: 'png',
    test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  {
    type: 'image/webp',
    ext: 'webp',
    test: (b) =>
      b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
  {
    type: 'image/heic',
    ext: 'heic',
    test: (b) =>
      b.subarray(4, 8).toString('latin1') === 'ftyp' &&
      ['heic', 'heix', 'hevc', 'mif1', 'msf1'].includes(b.subarray(8, 12).toString('latin1')),
  },
  { type: 'application/pdf', ext: 'pdf', test: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
];

export const ACCEPTED_TYPES_ZH = 'JPG、PNG、WEBP、HEIC 照片或 PDF 文件';

/** The type of the bytes, or null when they are none of the accepted kinds. */
export function sniffType(data: Buffer): { type: string; ext: string } | null {
  const s = SIGNATURES.find((x) => x.test(data));
  return s ? { type: s.type, ext: s.ext } : null;
}

export interface Upload {
  filename: string;
  data: Buffer;
  /** The file was longer than the limit (the rest was not read). */
  truncated: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    uploads?: Upload[];
  }
}

/** Multipart parsing for the public form's scope: text fields on the body, files on `req.uploads`. */
export async function acceptUploads(app: FastifyInstance): Promise<void> {
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: { fileSize: ATTACHMENT_LIMITS.fileBytes, files: 10, fields: 40, fieldSize: 64 * 1024 },
    async onFile(part: MultipartFile) {
      const data = await part.toBuffer();
      // The body gets a marker instead of the bytes; the files go to `req.uploads`.
      (part as unknown as { value: unknown }).value = 'file';
      if (part.filename === '' && data.length === 0) return; // an empty file input
      const req = this as unknown as { uploads?: Upload[] };
      req.uploads = [
        ...(req.uploads ?? []),
        { filename: part.filename, data, truncated: part.file.truncated },
      ];
    },
  });
}

/** Checks the uploads; returns the Chinese problem of the first bad one, or null. */
export function uploadProblem(uploads: readonly Upload[], alreadyKept: number): string | null {
  if (uploads.length + alreadyKept > ATTACHMENT_LIMITS.files) {
    return `最多上传 ${ATTACHMENT_LIMITS.files} 个附件`;
  }
  for (const u of uploads) {
    if (u.truncated) return `附件“${u.filename}”超过 ${ATTACHMENT_LIMITS.fileBytes / 1024 / 1024} MB`;
    if (u.data.length === 0) return `附件“${u.filename}”是空文件`;
    if (!sniffType(u.data)) return `附件“${u.filename}”不是${ACCEPTED_TYPES_ZH}`;
  }
  return null;
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** A name safe to show and to send in Content-Disposition: no path, no control characters. */
function cleanName(name: string, ext: string): string {
  const last = name.split(/[\\/]/).pop() ?? '';
  const base = [...last]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f && ch !== '"')
    .join('')
    .slice(0, 100);
  return base === '' ? `附件.${ext}` : base;
}

/**
 * Stores uploads as waiting under `token` (a new one when null); returns the token. Call only after
 * `uploadProblem` found none.
 */
export async function keepPending(
  tx: DbOrTx,
  token: string | null,
  uploads: readonly Upload[],
  now: Date,
): Promise<string> {
  const t = token ?? randomBytes(18).toString('base64url');
  for (const u of uploads) {
    const kind = sniffType(u.data)!;
    await tx
      .insertInto('complaint_attachments')
      .values({
        complaint_id: null,
        pending_hash: sha256(t),
        filename: cleanName(u.filename, kind.ext),
        content_type: kind.type,
        size: u.data.length,
        sha256: sha256(u.data),
        data: u.data,
        created_at: now.toISOString(),
      })
      .execute();
  }
  return t;
}

/** The waiting uploads of a token (name and size only), after deleting expired ones. */
export async function pendingUploads(
  db: DbOrTx,
  token: string,
  now: Date,
): Promise<Array<{ id: number; filename: string; size: number }>> {
  await db
    .deleteFrom('complaint_attachments')
    .where('complaint_id', 'is', null)
    .where('created_at', '<', new Date(now.getTime() - ATTACHMENT_LIMITS.pendingMs).toISOString())
    .execute();
  if (!/^[A-Za-z0-9_-]{24}$/.test(token)) return [];
  return db
    .selectFrom('complaint_attachments')
    .select(['id', 'filename', 'size'])
    .where('pending_hash', '=', sha256(token))
    .where('complaint_id', 'is', null)
    .orderBy('id')
    .execute();
}

/** Moves a token's waiting uploads onto the ticket. */
export async function attachPending(tx: DbOrTx, token: string, complaintId: number): Promise<void> {
  await tx
    .updateTable('complaint_attachments')
    .set({ complaint_id: complaintId, pending_hash: null })
    .where('pending_hash', '=', sha256(token))
    .where('complaint_id', 'is', null)
    .execute();
}

/** Stores uploads straight onto a ticket (staff API, operator form). */
export async function attachUploads(tx: DbOrTx, complaintId: number, uploads: readonly Upload[], now: Date) {
  const token = await keepPending(tx, null, uploads, now);
  await attachPending(tx, token, complaintId);
}
