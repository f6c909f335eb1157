import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, createComplaintsApp, fileByForm, PNG, validForm, visitor } from './complaints-helpers.ts';
import { createStaff, loginAs } from './staff-helpers.ts';
import type { SharedApp } from './token-helpers.ts';

/**
 * Intake on every channel (issue 12 part 1): the public phone-first form with its limits, the
 * query code and secret, following a ticket; the operator's form; the staff API with a token.
 */

let s: SharedApp;
let apiToken = '';

beforeAll(async () => {
  s = await createComplaintsApp();
  await createStaff(s.database, 'operator', 'editor', ['市场秩序和政策法规科']);
  await createStaff(s.database, 'platform12345', 'editor', ['市场秩序和政策法规科']);
  apiToken = (await s.cli('token', 'create', 'platform12345', '--name', '12345平台')).out.trim();
});
afterAll(async () => {
  await s?.close();
});

const count = async (table: 'complaints' | 'complaint_attachments' | 'audit_log') =>
  Number(
    (
      await s.database.db
        .selectFrom(table)
        .select((e) => e.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('the public form', () => {
  it('is a phone-first form with the four kinds, the consent text, a honeypot and file limits', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/complaints/new' });
    expect(res.statusCode).toBe(200);
    for (const word of [
      '举报',
      '投诉',
      '申诉',
      '咨询',
      '发生了什么',
      '统一社会信用代码',
      '我已阅读并同意以上说明',
      '最多 3 个',
    ]) {
      expect(res.body).toContain(word);
    }
    expect(res.body).toContain('enctype="multipart/form-data"');
    expect(res.body).toMatch(/<div class="hp" aria-hidden="true">/);
    expect(res.body).toContain('name="_csrf"');
  });

  it('gives a query code and a secret, stores only the secret’s hash, and audits without personal data', async () => {
    const auditBefore = await count('audit_log');
    const { code, secret, id, page } = await fileByForm(s);
    expect(code).toMatch(/^260302-[2-9A-HJKMNP-Z]{5}$/);
    expect(secret).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    expect(page).toContain('查询密码只显示这一次');
    const row = await s.database.db
      .selectFrom('complaints')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      kind: 'complaint',
      channel: 'web',
      status: 'received',
      received_on: '2026-03-02',
    });
    expect(row.secret_hash).toBe(createHash('sha256').update(secret.replace('-', '')).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(secret);
    // 7 working days from Monday 2026-03-02 (12312 acceptance, 暂行办法 art. 14).
    expect(row.accept_due).toBe('2026-03-11');
    expect(await count('audit_log')).toBe(auditBefore + 1);
    const audit = await s.database.db
      .selectFrom('audit_log')
      .selectAll()
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: 'complaint-file', entity: 'complaint', entity_id: String(id) });
    expect(audit.after).not.toContain('张三');
    expect(audit.after).not.toContain('13812341234');
  });

  it('comes back filled in, with the error beside each bad field, and stores nothing', async () => {
    const before = await count('complaints');
    const v = visitor(s.app);
    const res = await v.postForm(
      '/complaints/new',
      validForm({ businessUscc: '91131100MA07L8XXX1', contactPhone: '12', description: '太短', consent: '' }),
    );
    expect(res.status).toBe(400);
    expect(await count('complaints')).toBe(before);
    expect(res.body).toContain('请修改以下 4 处');
    expect(res.body).toMatch(/id="f-description-error">请至少用10个字说明发生了什么</);
    expect(res.body).toMatch(/id="f-businessUscc-error">[^<]*(位|校验码|不合法)/);
    expect(res.body).toMatch(/id="f-contactPhone-error">电话号码格式不正确/);
    expect(res.body).toMatch(/id="f-consent-error">请阅读并勾选同意说明/);
    // What was typed is still there.
    expect(res.body).toContain('value="衡水某某超市有限公司"');
    expect(res.body).toContain('value="91131100MA07L8XXX1"');
    expect(res.body).toMatch(/<textarea[^>]*name="description"[^>]*>太短<\/textarea>/);
    expect(res.body).toMatch(/value="complaint" checked/);
    expect(res.body).toMatch(/aria-invalid="true"/);
  });

  it('accepts a valid credit code (normalised) and an anonymous report without contact', async () => {
    const { id } = await fileByForm(s, {
      kind: 'report',
      businessUscc: ' 91110000600037341l ',
      anonymous: '1',
      contactName: '',
      contactPhone: '',
    });
    const row = await s.database.db
      .selectFrom('complaints')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      business_uscc: '91110000600037341L',
      anonymous: 1,
      contact_name: null,
      contact_phone: null,
    });
    // Only a report may be anonymous; a complaint needs a name and phone.
    const res = await visitor(s.app).postForm(
      '/complaints/new',
      validForm({ anonymous: '1', contactName: '', contactPhone: '' }),
    );
    expect(res.status).toBe(400);
    expect(res.body).toContain('只有举报可以匿名');
  });

  it('refuses a form whose honeypot was filled, and one without its form token', async () => {
    const before = await count('complaints');
    const bot = await visitor(s.app).postForm('/complaints/new', {
      ...validForm(),
      website: 'http://spam.example',
    });
    expect(bot.status).toBe(400);
    const forged = await visitor(s.app).postForm('/complaints/new', validForm(), undefined, { csrf: false });
    expect(forged.status).toBe(403);
    expect(await count('complaints')).toBe(before);
  });

  it('sniffs attachments from their bytes, hashes them, and keeps good ones across a refused attempt', async () => {
    const v = visitor(s.app);
    const fake = await v.postForm('/complaints/new', validForm(), [
      { filename: 'photo.jpg', contentType: 'image/jpeg', data: Buffer.from('<script>alert(1)</script>') },
    ]);
    expect(fake.status).toBe(400);
    expect(fake.body).toMatch(/id="f-attachments-error">附件“photo.jpg”不是/);

    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(200, 0x20)]);
    const first = await v.postForm('/complaints/new', validForm({ description: '短' }), [
      { filename: 'receipt.png', contentType: 'application/octet-stream', data: PNG },
    ]);
    expect(first.status).toBe(400);
    expect(first.body).toContain('已保留：receipt.png');
    const token = /name="uploadToken" value="([^"]+)"/.exec(first.body)![1]!;
    const second = await v.postForm('/complaints/new', { ...validForm(), uploadToken: token }, [
      { filename: 'invoice.pdf', contentType: 'image/png', data: pdf },
    ]);
    expect(second.status, second.body.slice(0, 500)).toBe(200);
    const { code } = codeOf(second.body);
    const ticket = await s.database.db
      .selectFrom('complaints')
      .select('id')
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    const files = await s.database.db
      .selectFrom('complaint_attachments')
      .select(['filename', 'content_type', 'size', 'sha256', 'pending_hash'])
      .where('complaint_id', '=', ticket.id)
      .orderBy('id')
      .execute();
    expect(files).toEqual([
      {
        filename: 'receipt.png',
        content_type: 'image/png',
        size: PNG.length,
        sha256: createHash('sha256').update(PNG).digest('hex'),
        pending_hash: null,
      },
      {
        filename: 'invoice.pdf',
        content_type: 'application/pdf',
        size: pdf.length,
        sha256: createHash('sha256').update(pdf).digest('hex'),
        pending_hash: null,
      },
    ]);
  });

  it('refuses more than three attachments and one over 5 MB, beside the field', async () => {
    const v = visitor(s.app);
    const four = await v.postForm(
      '/complaints/new',
      validForm(),
      [1, 2, 3, 4].map((n) => ({ filename: `p${n}.png`, data: PNG })),
    );
    expect(four.status).toBe(400);
    expect(four.body).toMatch(/id="f-attachments-error">最多上传 3 个附件/);
    const big = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024 + 10)]);
    const large = await v.postForm('/complaints/new', validForm(), [{ filename: 'big.png', data: big }]);
    expect(large.status).toBe(400);
    expect(large.body).toMatch(/id="f-attachments-error">附件“big.png”超过 5 MB/);
  });

  it('limits filings per address: the sixth within 15 minutes gets a Chinese page with 429', async () => {
    const v = visitor(s.app, '203.0.113.77');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await v.postForm('/complaints/new', validForm())).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const last = await v.postForm('/complaints/new', validForm());
    expect(last.body).toContain('提交过于频繁');
    // Another address is not affected.
    expect((await visitor(s.app, '203.0.113.78').postForm('/complaints/new', validForm())).status).toBe(200);
  });
});

describe('following a ticket with its code and secret', () => {
  it('shows the status, dates and the responsible office, and the same refusal for a wrong code or secret', async () => {
    const { code, secret } = await fileByForm(s);
    const v = visitor(s.app);
    const ok = await v.postForm('/complaints/track', {
      code,
      secret: secret.toLowerCase().replace('-', ' '),
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain(`查询码 <code>${code}</code>`);
    expect(ok.body).toContain('已接收，待受理');
    expect(ok.body).toContain('2026-03-11');
    expect(ok.body).not.toContain('张三');
    expect(ok.body).not.toContain('13812341234');
    const wrong = await v.postForm('/complaints/track', { code, secret: 'AAAA-AAAA' });
    const unknown = await v.postForm('/complaints/track', { code: '000000-AAAAA', secret });
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    for (const r of [wrong, unknown]) expect(r.body).toContain('查询码或查询密码不正确');
  });
});

describe('the operator’s form for phone calls', () => {
  it('records a call with the operator as its author and shows the code and secret once', async () => {
    const b = await loginAs(s.app, 'operator');
    const form = await b.get('/admin/complaints/new');
    expect(form.status).toBe(200);
    expect(form.body).toContain('已向来电人宣读以上说明');
    const res = await b.post(
      '/admin/complaints',
      validForm({ description: '来电反映：某加油站拒绝开具发票，要求处理。' }),
    );
    expect(res.status, res.body.slice(0, 400)).toBe(200);
    const { code } = codeOf(res.body);
    const row = await s.database.db
      .selectFrom('complaints')
      .selectAll()
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    expect(row.channel).toBe('phone');
    const user = await s.database.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'operator')
      .executeTakeFirstOrThrow();
    expect(row.created_by).toBe(user.id);
    const bad = await b.post('/admin/complaints', validForm({ contactPhone: '' }));
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('请填写联系电话');
  });
});

describe('the staff API', () => {
  const api = (method: 'GET' | 'POST', url: string, payload?: unknown, token = apiToken) =>
    s.app.inject({
      method,
      url,
      payload: payload as Record<string, unknown>,
      headers: { authorization: `Bearer ${token}` },
    });

  it('takes a ticket pushed with a token and gives its status back, contact masked', async () => {
    const res = await api('POST', '/api/v1/staff/complaints', {
      kind: 'complaint',
      description: '12345转来：超市发行的购物卡单张面值超过5000元，违规发卡。',
      contactName: '李四',
      contactPhone: '13900001111',
      consent: true,
      externalRef: '12345-20260302-0001',
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      status: 'received',
      routing: { outcome: 'own', office: '市场秩序和政策法规科' },
    });
    const status = await api('GET', `/api/v1/staff/complaints/${body.code}`);
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({
      code: body.code,
      channel: 'api',
      statusName: '已接收，待受理',
      externalRef: '12345-20260302-0001',
      contact: { name: '李*', phone: '139****1111', masked: true },
    });
    expect(status.body).not.toContain('13900001111');
    expect(status.body).not.toContain('李四');
  });

  it('refuses a bad body with the field’s message, and a request without a token', async () => {
    const bad = await api('POST', '/api/v1/staff/complaints', {
      kind: 'complaint',
      description: '短',
      consent: true,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('请至少用10个字');
    const anonymous = await s.app.inject({ method: 'GET', url: '/api/v1/staff/complaints' });
    expect(anonymous.statusCode).toBe(401);
  });
});
