import type { FastifyInstance } from 'fastify';
import { type Browser, browser, cookieHeader, createStaff, loginAs, mergeCookies } from './staff-helpers.ts';
import { createSharedApp, type SharedApp } from './token-helpers.ts';

/**
 * Complaints tests: the real app on a database the CLI reaches too, with a clock the test moves
 * (China dates: 10:00 Beijing time on the given day), a public visitor with the portal's form
 * token, and multipart bodies with several files.
 */

export const clock = { iso: '2026-03-02T02:00:00.000Z' };

/** Moves the app's clock to 10:00 Beijing time on a China date. */
export function setToday(date: string): void {
  clock.iso = `${date}T02:00:00.000Z`;
}

export async function createComplaintsApp(): Promise<SharedApp> {
  setToday('2026-03-02');
  return createSharedApp({ seed: true, now: () => new Date(clock.iso) });
}

export interface FilePart {
  field?: string;
  filename: string;
  contentType?: string;
  data: Buffer;
}

export function multipartBody(fields: Record<string, string>, files: FilePart[] = []) {
  const boundary = `----zhize${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field ?? 'attachments'}"; filename="${f.filename}"\r\nContent-Type: ${f.contentType ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      f.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A visitor of the portal (keeps cookies) posting the public forms from an address of its own. */
export interface Visitor extends Browser {
  ip: string;
  postForm(
    url: string,
    fields: Record<string, string>,
    files?: FilePart[],
    opts?: { csrf?: boolean },
  ): Promise<{ status: number; body: string; location?: string }>;
}

let address = 1;

export function visitor(app: FastifyInstance, ip = `198.51.100.${address++}`): Visitor {
  const b = browser(app) as Visitor;
  b.ip = ip;
  b.postForm = async (url, fields, files, opts = {}) => {
    if (!b.jar.zhize_csrf) await b.get('/complaints/new');
    const all = opts.csrf === false ? fields : { _csrf: b.jar.zhize_csrf!.split('.')[0]!, ...fields };
    const { payload, contentType } = files
      ? multipartBody(all, files)
      : { payload: new URLSearchParams(all).toString(), contentType: 'application/x-www-form-urlencoded' };
    const res = await app.inject({
      method: 'POST',
      url,
      payload,
      remoteAddress: b.ip,
      headers: { cookie: cookieHeader(b.jar), 'content-type': contentType },
    });
    b.jar = mergeCookies(b.jar, res.headers['set-cookie']);
    return { status: res.statusCode, body: res.body, location: res.headers.location as string | undefined };
  };
  return b;
}

/** A complete, valid public form. */
export const validForm = (over: Record<string, string> = {}): Record<string, string> => ({
  kind: 'complaint',
  description: '我在某超市买的购物卡单张面值超过5000元，超市违规发卡，要求查处。',
  businessName: '衡水某某超市有限公司',
  businessUscc: '',
  place: '桃城区人民路',
  occurredOn: '2026-02-20',
  contactName: '张三',
  contactPhone: '13812341234',
  contactEmail: '',
  consent: '1',
  ...over,
});

/** The query code and secret of a filed page. */
export function codeOf(html: string): { code: string; secret: string } {
  const code = /id="query-code">([^<]+)</.exec(html)?.[1];
  const secret = /id="query-secret">([^<]+)</.exec(html)?.[1];
  if (!code || !secret) throw new Error(`no query code in page: ${html.slice(0, 400)}`);
  return { code, secret };
}

/** Files a ticket through the public form; returns its code, secret and id. */
export async function fileByForm(s: SharedApp, over: Record<string, string> = {}) {
  const v = visitor(s.app);
  const res = await v.postForm('/complaints/new', validForm(over));
  if (res.status !== 200) throw new Error(`filing failed: ${res.status} ${res.body.slice(0, 600)}`);
  const { code, secret } = codeOf(res.body);
  const row = await s.database.db
    .selectFrom('complaints')
    .select('id')
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
  return { code, secret, id: row.id, page: res.body };
}

/** A tiny valid PNG (1×1). */
export const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

/** The usual casework staff: a dispatcher (reviewer) and an editor of 市场秩序和政策法规科, signed in. */
export async function caseworkStaff(
  s: SharedApp,
): Promise<{ dispatcher: Browser; handler: Browser; zhixu: number }> {
  await createStaff(s.database, 'dispatcher', 'reviewer');
  await createStaff(s.database, 'zhixu', 'editor', ['市场秩序和政策法规科']);
  const office = await s.database.db
    .selectFrom('offices')
    .select('id')
    .where('name', '=', '市场秩序和政策法规科')
    .executeTakeFirstOrThrow();
  return {
    dispatcher: await loginAs(s.app, 'dispatcher'),
    handler: await loginAs(s.app, 'zhixu'),
    zhixu: office.id,
  };
}
