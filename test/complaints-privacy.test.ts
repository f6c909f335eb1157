import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskEmail, maskName, maskPhone } from '../src/modules/complaints/complaint.presenter.ts';
import { ERASED_TEXT } from '../src/modules/complaints/complaint.privacy.service.ts';
import {
  caseworkStaff,
  createComplaintsApp,
  fileByForm,
  PNG,
  setToday,
  validForm,
  visitor,
} from './complaints-helpers.ts';
import type { Browser } from './staff-helpers.ts';
import type { SharedApp } from './token-helpers.ts';

/**
 * Privacy (issue 12 part 7): masked contact details, audited unmasked reads and attachment
 * downloads, nothing personal in public answers, and the retention erase — after which the ticket
 * has no personal fields and `zhize audit verify` still passes.
 */

let s: SharedApp;
let dispatcher: Browser;
let handler: Browser;
let zhixu = 0;

beforeAll(async () => {
  s = await createComplaintsApp();
  ({ dispatcher, handler, zhixu } = await caseworkStaff(s));
});
afterAll(async () => {
  await s?.close();
});

const PERSON = { contactName: '欧阳娜娜', contactPhone: '13987654321', contactEmail: 'nana@example.cn' };

describe('masking', () => {
  it('keeps the first character of a name and the first three and last four digits of a phone', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('0318-2345678')).toBe('031****5678');
    expect(maskPhone('1234')).toBe('****');
    expect(maskEmail('nana@example.cn')).toBe('n***@example.cn');
    expect(maskName(null)).toBeNull();
  });
});

describe('attachments', () => {
  it('are served only to staff who may see them, as downloads, and every download is audited', async () => {
    const v = visitor(s.app);
    const res = await v.postForm('/complaints/new', validForm(PERSON), [{ filename: '小票.png', data: PNG }]);
    expect(res.status).toBe(200);
    const t = await s.database.db
      .selectFrom('complaints')
      .select('id')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const a = await s.database.db
      .selectFrom('complaint_attachments')
      .select('id')
      .where('complaint_id', '=', t.id)
      .executeTakeFirstOrThrow();
    const url = `/admin/complaints/${t.id}/attachments/${a.id}`;
    const anonymous = await s.app.inject({ method: 'GET', url });
    expect(anonymous.statusCode).toBe(303);
    const file = await dispatcher.get(url);
    expect(file.status).toBe(200);
    const raw = await s.app.inject({
      method: 'GET',
      url,
      headers: {
        cookie: Object.entries(dispatcher.jar)
          .map(([k, x]) => `${k}=${x}`)
          .join('; '),
      },
    });
    expect(raw.headers['content-type']).toBe('image/png');
    expect(raw.headers['content-disposition']).toContain("attachment; filename*=UTF-8''");
    expect(raw.headers['x-content-type-options']).toBe('nosniff');
    expect(raw.rawPayload.equals(PNG)).toBe(true);
    const audits = await s.database.db
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'complaint-read-attachment')
      .where('entity_id', '=', String(t.id))
      .execute();
    expect(audits.length).toBe(2);
    // An editor of an office the ticket is not assigned to may not.
    expect((await handler.get(url)).status).toBe(403);
  });
});

describe('public answers', () => {
  it('never carry the name, phone, e-mail or description', async () => {
    const { code, secret } = await fileByForm(s, PERSON);
    const tracked = await visitor(s.app).postForm('/complaints/track', { code, secret });
    const one = await s.app.inject({ method: 'GET', url: `/open311/v2/requests/${code}.json` });
    const all = await s.app.inject({ method: 'GET', url: '/open311/v2/requests.json' });
    for (const body of [tracked.body, one.body, all.body]) {
      for (const p of [...Object.values(PERSON), '购物卡单张面值超过5000元']) expect(body).not.toContain(p);
    }
    expect(one.json()[0].service_request_id).toBe(code);
  });
});

describe('the retention erase', () => {
  it('clears the personal fields of tickets closed before the date, keeps open ones, and the audit chain still verifies', async () => {
    setToday('2026-03-02');
    const closed = await fileByForm(s, {
      ...PERSON,
      description: '投诉：超市发行的购物卡违规发卡，单张面值超过5000元，我叫欧阳娜娜。',
    });
    const open = await fileByForm(s, PERSON);
    await s.database.db
      .insertInto('complaint_attachments')
      .values({
        complaint_id: closed.id,
        pending_hash: null,
        filename: 'a.png',
        content_type: 'image/png',
        size: PNG.length,
        sha256: 'x',
        data: PNG,
        created_at: new Date().toISOString(),
      })
      .execute();
    expect(
      (
        await dispatcher.post(`/admin/complaints/${closed.id}/assign`, {
          officeId: String(zhixu),
          reason: '',
        })
      ).status,
    ).toBe(303);
    // An audited read of the contact before the erase: the chain holds entries about this ticket.
    expect((await handler.post(`/admin/complaints/${closed.id}/contact`, { reason: '回访' })).body).toContain(
      '13987654321',
    );
    setToday('2026-03-10');
    expect(
      (
        await handler.post(`/admin/complaints/${closed.id}/reply`, {
          outcome: 'resolved',
          docNumber: '衡商秩函〔2026〕20号',
          body: '欧阳娜娜女士：经核查，已责令超市整改。',
        })
      ).status,
    ).toBe(303);
    expect(
      (
        await visitor(s.app).postForm('/complaints/track/rate', {
          code: closed.code,
          secret: closed.secret,
          satisfaction: 'basically',
          comment: '处理得还行，我的电话13987654321',
        })
      ).status,
    ).toBe(200);

    const erase = await s.cli('complaints', 'erase', '--before', '2026-06-01');
    expect(erase.code, erase.err).toBe(0);
    expect(erase.out).toContain(closed.code);
    expect(erase.out).not.toContain(open.code);

    const t = await s.database.db
      .selectFrom('complaints')
      .selectAll()
      .where('id', '=', closed.id)
      .executeTakeFirstOrThrow();
    expect(t).toMatchObject({
      contact_name: null,
      contact_phone: null,
      contact_email: null,
      place: null,
      secret_hash: null,
      satisfaction_comment: null,
      description: ERASED_TEXT,
      status: 'resolved',
      satisfaction: 'basically',
      kind: 'complaint',
    });
    expect(t.erased_at).not.toBeNull();
    const everything = JSON.stringify([
      t,
      await s.database.db
        .selectFrom('complaint_events')
        .selectAll()
        .where('complaint_id', '=', closed.id)
        .execute(),
      await s.database.db
        .selectFrom('complaint_replies')
        .selectAll()
        .where('complaint_id', '=', closed.id)
        .execute(),
      await s.database.db
        .selectFrom('complaint_routings')
        .selectAll()
        .where('complaint_id', '=', closed.id)
        .execute(),
    ]);
    for (const p of Object.values(PERSON)) expect(everything).not.toContain(p);
    expect(everything).toContain('衡商秩函〔2026〕20号'); // the 文号 stays
    expect(
      await s.database.db
        .selectFrom('complaint_attachments')
        .select('id')
        .where('complaint_id', '=', closed.id)
        .execute(),
    ).toEqual([]);
    // The open ticket keeps its details.
    const kept = await s.database.db
      .selectFrom('complaints')
      .selectAll()
      .where('id', '=', open.id)
      .executeTakeFirstOrThrow();
    expect(kept.contact_phone).toBe('13987654321');

    // Nothing personal was ever in the audit trail, so it verifies untouched.
    const audit = JSON.stringify(await s.database.db.selectFrom('audit_log').selectAll().execute());
    for (const p of Object.values(PERSON)) expect(audit).not.toContain(p);
    const verify = await s.cli('audit', 'verify');
    expect(verify.code, verify.out).toBe(0);
    expect(verify.out).toContain('审计日志完整');
    const entry = await s.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'complaint-erase-personal-data')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(entry.after!)).toMatchObject({
      closedBefore: '2026-06-01',
      count: 1,
      codes: [closed.code],
    });

    // The person can no longer follow it; staff see it without personal data.
    const tracked = await visitor(s.app).postForm('/complaints/track', {
      code: closed.code,
      secret: closed.secret,
    });
    expect(tracked.body).toContain('已超过保存期限');
    const page = await dispatcher.get(`/admin/complaints/${closed.id}`);
    expect(page.body).toContain(ERASED_TEXT);
    expect(page.body).not.toContain('查看联系方式的理由');
    // A second run finds nothing more.
    expect((await s.cli('complaints', 'erase', '--before', '2026-06-01')).out).toContain('已删除 0 件');
    expect((await s.cli('complaints', 'erase')).code).toBe(2);
  });
});
