/**
 * A minimal multipart/form-data reader for the one upload form of the back office (bulk import of
 * the entity register). No multipart package is installed, and the form is small and known: text
 * fields and one file, buffered in memory within the route's body limit. Registered as a content-type
 * parser inside the supervision staff plugin only. Text fields become string properties of the body
 * (so the CSRF guard sees `_csrf`); files are listed under `FILES`.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../http/errors.ts';

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

export const FILES = '__files';

export type MultipartBody = Record<string, string | UploadedFile[]> & { [FILES]?: UploadedFile[] };

/** Parameter of a header value, e.g. name="file" in Content-Disposition; RFC 5987 filename* too. */
function headerParam(header: string, param: string): string | null {
  const star = new RegExp(`;\\s*${param}\\*=(?:UTF-8|utf-8)''([^;]+)`).exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1]!.trim());
    } catch {
      /* fall through */
    }
  }
  const quoted = new RegExp(`;\\s*${param}="((?:[^"\\\\]|\\\\.)*)"`).exec(header);
  if (quoted) return quoted[1]!.replace(/\\(.)/g, '$1');
  const bare = new RegExp(`;\\s*${param}=([^;\\s]+)`).exec(header);
  return bare ? bare[1]! : null;
}

export function parseMultipart(body: Buffer, contentType: string): MultipartBody {
  const boundary = headerParam(`;${contentType.split(';').slice(1).join(';')}`, 'boundary');
  if (!boundary) throw new AppError(400, 'bad_multipart', '上传格式有误：缺少 boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  const out: MultipartBody = {};
  const files: UploadedFile[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new AppError(400, 'bad_multipart', '上传格式有误：找不到分隔符');
  while (true) {
    pos += delimiter.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break; // closing "--"
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) throw new AppError(400, 'bad_multipart', '上传格式有误：分段缺少头部');
    const headers = body.subarray(pos, headerEnd).toString('utf8').split('\r\n');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) throw new AppError(400, 'bad_multipart', '上传格式有误：分段没有结束');
    const data = body.subarray(headerEnd + 4, next);
    const disposition = headers.find((h) => /^content-disposition:/i.test(h)) ?? '';
    const type = headers.find((h) => /^content-type:/i.test(h));
    const name = headerParam(disposition, 'name');
    const filename = headerParam(disposition, 'filename');
    if (name) {
      if (filename !== null) {
        files.push({
          field: name,
          filename,
          contentType: type ? type.slice(type.indexOf(':') + 1).trim() : 'application/octet-stream',
          data: Buffer.from(data),
        });
      } else if (name !== FILES) {
        out[name] = data.toString('utf8');
      }
    }
    pos = next + 2;
  }
  out[FILES] = files;
  return out;
}

/** Adds the multipart parser to an (encapsulated) plugin instance. */
export function acceptMultipart(app: FastifyInstance, bodyLimit = 20 * 1024 * 1024): void {
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit }, (req, body, done) => {
    try {
      done(null, parseMultipart(body as Buffer, String(req.headers['content-type'] ?? '')));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
}

export function uploadedFiles(body: unknown): UploadedFile[] {
  const files = (body as MultipartBody | undefined)?.[FILES];
  return Array.isArray(files) ? files : [];
}
