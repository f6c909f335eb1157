import type { FastifyInstance } from 'fastify';
import { composeUscc } from '../src/lib/uscc.ts';
import { toCsv } from '../src/modules/supervision/shared/csv.ts';
import { type Browser, cookieHeader, mergeCookies } from './staff-helpers.ts';

/** Test data for supervision: valid credit codes, spreadsheets, multipart uploads. */

const ORG_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A valid enterprise credit code (check characters computed), distinct for each i. */
export function makeUscc(i: number, division = '131102'): string {
  let n = i;
  let body = '';
  for (let k = 0; k < 8; k += 1) {
    body = ORG_ALPHABET[n % ORG_ALPHABET.length]! + body;
    n = Math.floor(n / ORG_ALPHABET.length);
  }
  return composeUscc('91', division, body);
}

/** The same code with a wrong check character (position 18). */
export function breakCheckChar(code: string): string {
  return code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
}

export const ENTITY_HEADER = [
  '名称',
  '统一社会信用代码',
  '类别',
  '县（市、区）',
  '许可证号',
  '许可证有效期起',
  '许可证有效期止',
  '状态',
  '风险等级',
  '经营场所地址',
];

export function entityCsv(rows: Array<Array<string>>): Buffer {
  return Buffer.from(toCsv(ENTITY_HEADER, rows), 'utf8');
}

/** One file of a multipart form. */
export interface UploadFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/** A multipart/form-data body with text fields and one file. */
export function multipart(
  fields: Record<string, string | string[]>,
  file: UploadFile,
): { payload: Buffer; contentType: string } {
  const boundary = `----zhizeTest${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    for (const one of Array.isArray(v) ? v : [v])
      parts.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${one}\r\n`),
      );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
    ),
    file.data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Posts a multipart form (text fields and one file) to `url` as the browser's user, adding its CSRF
 * token unless told not to or the form carries its own `_csrf`.
 */
export async function postMultipart(
  app: FastifyInstance,
  b: Browser,
  url: string,
  form: Record<string, string | string[]>,
  file: UploadFile,
  opts: { csrf?: boolean } = {},
): Promise<{ status: number; body: string; location?: string }> {
  if (opts.csrf !== false && !b.jar.zhize_csrf) await b.get('/admin/login');
  const fields =
    opts.csrf === false || '_csrf' in form ? form : { ...form, _csrf: b.jar.zhize_csrf!.split('.')[0]! };
  const { payload, contentType } = multipart(fields, file);
  const res = await app.inject({
    method: 'POST',
    url,
    payload,
    headers: { cookie: cookieHeader(b.jar), 'content-type': contentType },
  });
  b.jar = mergeCookies(b.jar, res.headers['set-cookie']);
  return { status: res.statusCode, body: res.body, location: res.headers.location as string | undefined };
}

/** Uploads a file through the import form as the browser's user (with its CSRF token unless told). */
export async function uploadEntities(
  app: FastifyInstance,
  b: Browser,
  file: { filename: string; data: Buffer; contentType?: string },
  opts: { csrf?: boolean } = {},
): Promise<{ status: number; body: string }> {
  if (!b.jar.zhize_csrf) await b.get('/admin/login');
  const { status, body } = await postMultipart(
    app,
    b,
    '/admin/supervision/entities/import',
    {},
    { field: 'file', filename: file.filename, contentType: file.contentType ?? 'text/csv', data: file.data },
    opts,
  );
  return { status, body };
}

/** Decodes the few HTML entities Preact writes, for text assertions on pages. */
export const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
