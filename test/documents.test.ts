import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { CHINA_OFFSET_MS } from '../src/lib/china-time.ts';
import type { SessionUser } from '../src/modules/auth/auth.service.ts';
import { renderDocx } from '../src/modules/documents/document.render.ts';
import {
  DOCUMENT_TYPES,
  documentBytes,
  documentType,
  documentXml,
  issueDocument,
  listDocuments,
  verifyRendering,
} from '../src/modules/documents/index.ts';
import { REGIME_RULES } from '../src/modules/supervision/index.ts';
import { onPostgres } from './helpers.ts';
import { browser, createStaff, loginAs } from './staff-helpers.ts';
import { createSharedApp, type SharedApp } from './token-helpers.ts';

/**
 * Official documents (issue 10, item 3) through the real app and its staff API on both databases:
 * 文号 per type and year in sequence without gaps or reuse (also under concurrent issuers), the
 * DOCX frozen (downloaded twice byte-identical, its SHA-256 stored, the Chinese text in
 * word/document.xml), an edit refused and audited, a correction superseding the old document with
 * both kept, the 执法监督通知（决定）书 refused when one of its five elements is empty.
 */

const SOURCE = readFileSync(join(import.meta.dirname, '../data-bundled/source.txt'), 'utf8').split(/\r?\n/);

let s: SharedApp;
let tokens: Record<'reviewer' | 'inspector' | 'auditor', string>;
let reviewer: SessionUser;
const year = new Date(Date.now() + CHINA_OFFSET_MS).getUTCFullYear();

const OVERSIGHT = {
  inspectedBody: '衡水市某县商务局',
  factsAndReasons: '该局2026年对单用途商业预付卡发卡企业的检查未制作现场检查笔录，程序不当。',
  decisionAndBasis: '责令纠正。依据《衡水市商务局事中事后监管制度》行政执法监督制度。',
  executionMethodAndDeadline: '于收到本通知书之日起15个工作日内补正并书面报告。',
  inspectingBody: '衡水市商务局',
};

const DECISION = {
  party: '衡水市某商贸有限公司',
  partyUscc: '91131100MA0XXXXX1X',
  partyAddress: '衡水市桃城区人民路1号',
  facts: '未按规定办理单用途商业预付卡备案，经责令限期改正逾期仍不改正。证据：现场检查笔录、询问笔录。',
  penalty: '罚款人民币贰万元整（20,000元）',
  basis: '《单用途商业预付卡管理办法（试行）》第三十六条',
  performance: '自收到本决定书之日起15日内缴至指定银行；逾期每日按罚款数额的3%加处罚款。',
  remedy: '如不服本决定，可在收到本决定书之日起60日内申请行政复议，或6个月内提起行政诉讼。',
};

const api = (method: 'GET' | 'POST' | 'PATCH', url: string, who: keyof typeof tokens, payload?: object) =>
  s.app.inject({
    method,
    url,
    payload: payload as Record<string, unknown> | undefined,
    headers: { authorization: `Bearer ${tokens[who]}` },
  });

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  s = await createSharedApp();
  reviewer = await createStaff(s.database, 'doc_leader', 'reviewer');
  await createStaff(s.database, 'doc_insp', 'inspector');
  await createStaff(s.database, 'doc_audit', 'auditor');
  tokens = {
    reviewer: (await s.cli('token', 'create', 'doc_leader')).out.trim(),
    inspector: (await s.cli('token', 'create', 'doc_insp')).out.trim(),
    auditor: (await s.cli('token', 'create', 'doc_audit')).out.trim(),
  };
});
afterAll(async () => {
  await s?.close();
});

describe('document types as data', () => {
  it('quotes every cited line of the source document exactly', () => {
    const citations = DOCUMENT_TYPES.flatMap((t) => [
      t.basis,
      t.closing?.citation ?? null,
      ...t.fields.map((f) => f.citation ?? null),
    ]).filter((c) => c?.kind === 'source');
    expect(citations.length).toBeGreaterThanOrEqual(8);
    for (const c of citations) {
      if (c?.kind !== 'source') continue;
      expect(SOURCE[c.line - 1], `line ${c.line}`).toContain(c.quote);
    }
  });

  it('requires exactly the five elements regime 1 lists for the 执法监督通知（决定）书', () => {
    const notice = documentType('oversight-notice')!;
    const required = notice.fields.filter((f) => f.required);
    expect(required).toHaveLength(5);
    const rule = REGIME_RULES.find((r) => r.seq === 1)!.documentContents.items;
    expect(required.map((f) => (f.citation?.kind === 'source' ? f.citation.line : 0))).toEqual(
      rule.map((i) => i.citation.line),
    );
    for (const f of required) expect(f.citation?.kind === 'source' && f.citation.regime).toBe(1);
  });

  it('gives every type a distinct code and 文号 prefix, and the types the issue names', () => {
    expect(new Set(DOCUMENT_TYPES.map((t) => t.code)).size).toBe(DOCUMENT_TYPES.length);
    expect(new Set(DOCUMENT_TYPES.map((t) => t.prefix)).size).toBe(DOCUMENT_TYPES.length);
    for (const name of [
      '现场检查笔录',
      '责令限期整改通知书',
      '行政处罚事先告知书',
      '听证告知书',
      '行政处罚决定书',
      '抽查结果告知书',
      '执法监督通知（决定）书',
      '书面答复',
    ])
      expect(DOCUMENT_TYPES.map((t) => t.name)).toContain(name);
  });
});

describe('issuing the 执法监督通知（决定）书 through the staff API', () => {
  it('refuses it when one of the five elements is empty, naming the element; no number is used up', async () => {
    for (const [key, label] of [
      ['factsAndReasons', '认定的事实和理由'],
      ['inspectingBody', '执行检查的机构名称'],
    ] as const) {
      const res = await api('POST', '/api/v1/staff/documents', 'reviewer', {
        type: 'oversight-notice',
        subject: { kind: 'oversight', id: 'county-1' },
        fields: { ...OVERSIGHT, [key]: '  ' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('document-element-missing');
      expect(res.json().error.message).toContain(`“${label}”`);
      expect(res.json().error.message).toContain('不能签发');
    }
    expect(await listDocuments(s.database.db, { type: 'oversight-notice' })).toHaveLength(0);
  });

  it('numbers them in sequence per year; only admins and reviewers issue; workflow types are refused here', async () => {
    const first = await api('POST', '/api/v1/staff/documents', 'reviewer', {
      type: 'oversight-notice',
      subject: { kind: 'oversight', id: 'county-1' },
      fields: OVERSIGHT,
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().number).toBe(`衡商监督〔${year}〕1号`);
    const second = await api('POST', '/api/v1/staff/documents', 'reviewer', {
      type: 'oversight-notice',
      subject: { kind: 'oversight', id: 'county-2' },
      fields: { ...OVERSIGHT, inspectedBody: '衡水市另一县商务局' },
    });
    expect(second.json().number).toBe(`衡商监督〔${year}〕2号`);
    expect(
      (
        await api('POST', '/api/v1/staff/documents', 'inspector', {
          type: 'oversight-notice',
          subject: { kind: 'oversight', id: 'x' },
          fields: OVERSIGHT,
        })
      ).statusCode,
    ).toBe(403);
    const workflow = await api('POST', '/api/v1/staff/documents', 'reviewer', {
      type: 'penalty-decision',
      subject: { kind: 'penalty', id: 1 },
      fields: DECISION,
    });
    expect(workflow.statusCode).toBe(409);
    expect(workflow.json().error.message).toContain('由相应的业务流程签发');
  });
});

describe('a 行政处罚决定书 issued by a workflow (issueDocument in its transaction)', () => {
  let id = 0;
  let number = '';

  it('takes the next 文号 of its type and year', async () => {
    const before = await listDocuments(s.database.db, { type: 'penalty-decision', year });
    const a = await s.database.db.transaction().execute((tx) =>
      issueDocument(tx, {
        type: 'penalty-decision',
        subject: { kind: 'penalty', id: 7 },
        fields: DECISION,
        issuedBy: reviewer,
      }),
    );
    expect(a.number).toBe(`衡商罚决〔${year}〕${before.length + 1}号`);
    const b = await s.database.db.transaction().execute((tx) =>
      issueDocument(tx, {
        type: 'penalty-decision',
        subject: { kind: 'penalty', id: 8 },
        fields: { ...DECISION, party: '衡水市另一商贸有限公司' },
        issuedBy: reviewer,
      }),
    );
    expect(b.number).toBe(`衡商罚决〔${year}〕${before.length + 2}号`);
    id = a.id;
    number = a.number;
    const forSubject = await listDocuments(s.database.db, { subject: { kind: 'penalty', id: 7 } });
    expect(forSubject.map((d) => d.number)).toEqual([a.number]);
  });

  it('downloads byte-identical twice, with the stored SHA-256, and the DOCX holds the Chinese text', async () => {
    const one = await api('GET', `/api/v1/staff/documents/${id}/download`, 'inspector');
    const two = await api('GET', `/api/v1/staff/documents/${id}/download`, 'auditor');
    expect(one.statusCode).toBe(200);
    expect(one.headers['content-type']).toContain('wordprocessingml.document');
    expect(one.rawPayload.equals(two.rawPayload)).toBe(true);
    const meta = (await api('GET', `/api/v1/staff/documents/${id}`, 'inspector')).json();
    expect(sha(one.rawPayload)).toBe(meta.sha256);
    expect(one.headers['x-document-sha256']).toBe(meta.sha256);
    expect(meta.number).toBe(number);
    const xml = documentXml(one.rawPayload);
    for (const text of [
      '衡水市商务局',
      '行政处罚决定书',
      number,
      DECISION.party,
      '罚款人民币贰万元整',
      '申请行政复议、提起行政诉讼的途径和期限',
    ])
      expect(xml).toContain(text);
    // The staff page's download is the same bytes.
    const page = await loginAs(s.app, 'doc_insp');
    const viaPage = await s.app.inject({
      method: 'GET',
      url: `/admin/documents/${id}/download`,
      headers: {
        cookie: Object.entries(page.jar)
          .map(([k, v]) => `${k}=${v}`)
          .join('; '),
      },
    });
    expect(viaPage.rawPayload.equals(one.rawPayload)).toBe(true);
  });

  it('renders to the same bytes again, in any time zone', async () => {
    expect(await verifyRendering(s.database.db, id)).toMatchObject({ identical: true });
    const stored = (await documentBytes(s.database.db, id))!;
    const row = await s.database.db
      .selectFrom('documents')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const zone = process.env.TZ;
    try {
      process.env.TZ = 'America/Los_Angeles';
      const again = await renderDocx({
        type: documentType('penalty-decision')!,
        number: row.number,
        issuedAt: row.issued_at,
        fields: JSON.parse(row.fields),
        supersedesNumber: null,
        correctionReason: null,
      });
      expect(sha(again)).toBe(sha(stored.data));
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('refuses an edit of the issued document and audits the attempt; the database refuses too', async () => {
    const before = (await api('GET', `/api/v1/staff/documents/${id}`, 'reviewer')).json();
    const res = await api('PATCH', `/api/v1/staff/documents/${id}`, 'reviewer', {
      fields: { ...DECISION, penalty: '罚款人民币壹万元整' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('document-frozen');
    expect(res.json().error.message).toContain('已签发，内容不能修改');
    const entry = await s.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'document-edit-refused')
      .where('entity_id', '=', String(id))
      .executeTakeFirstOrThrow();
    expect(entry.actor).toBe('doc_leader');
    expect(JSON.parse(entry.after!).attempted.fields.penalty).toBe('罚款人民币壹万元整');
    await expect(
      s.database.db.updateTable('documents').set({ fields: '{}' }).where('id', '=', id).execute(),
    ).rejects.toThrow(/document-frozen/);
    await expect(s.database.db.deleteFrom('documents').where('id', '=', id).execute()).rejects.toThrow(
      /document-frozen/,
    );
    const after = (await api('GET', `/api/v1/staff/documents/${id}`, 'reviewer')).json();
    expect(after).toEqual(before);
  });

  it('corrects by a new document that supersedes the old one: new 文号, both kept, linked both ways', async () => {
    const res = await api('POST', `/api/v1/staff/documents/${id}/supersede`, 'reviewer', {
      fields: { ...DECISION, partyAddress: '衡水市桃城区人民东路1号' },
      reason: '当事人地址有误',
    });
    expect(res.statusCode, res.body).toBe(201);
    const next = res.json();
    expect(next.number).toMatch(new RegExp(`^衡商罚决〔${year}〕\\d+号$`));
    expect(next.number).not.toBe(number);
    expect(next).toMatchObject({ supersedesId: id, status: 'issued', correctionReason: '当事人地址有误' });
    const old = (await api('GET', `/api/v1/staff/documents/${id}`, 'reviewer')).json();
    expect(old).toMatchObject({ status: 'superseded', supersededById: next.id, number });
    expect(
      documentXml((await api('GET', `/api/v1/staff/documents/${next.id}/download`, 'reviewer')).rawPayload),
    ).toContain(`本文书更正并替代${number}`);
    expect((await api('GET', `/api/v1/staff/documents/${id}/download`, 'reviewer')).statusCode).toBe(200);
    const again = await api('POST', `/api/v1/staff/documents/${id}/supersede`, 'reviewer', {
      fields: DECISION,
      reason: '再次更正',
    });
    expect(again.statusCode).toBe(409);
    expect(
      (
        await api('POST', `/api/v1/staff/documents/${next.id}/supersede`, 'inspector', {
          fields: DECISION,
          reason: '更正',
        })
      ).statusCode,
    ).toBe(403);
  });

  it('shows a staff-only A4 print view in Chinese', async () => {
    const anonymous = await browser(s.app).get(`/admin/documents/${id}/print`);
    expect(anonymous.status).toBe(303);
    const page = await (await loginAs(s.app, 'doc_audit')).get(`/admin/documents/${id}/print`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<html lang="zh-CN"');
    expect(page.body).toContain('size: A4');
    for (const text of ['行政处罚决定书', number, DECISION.party, '（印章）', '本文书已被更正替代'])
      expect(page.body).toContain(text);
  });
});

describe('文号 under concurrent issuers', () => {
  const issueOne = (db: Parameters<typeof issueDocument>[0], n: number) =>
    issueDocument(db, {
      type: 'written-reply',
      subject: { kind: 'complaint', id: n },
      fields: { recipient: `投诉人${n}`, matter: '预付卡退款', reply: '已责令商家按约退款。' },
      issuedBy: { id: null, name: 'test' },
    });

  it('gives ten simultaneous issues ten distinct numbers, 1 to 10, without a gap', async () => {
    const done = await Promise.all(Array.from({ length: 10 }, (_, i) => issueOne(s.database.db, i)));
    const seqs = done.map((d) => Number(/〕(\d+)号$/.exec(d.number)![1])).sort((a, b) => a - b);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('gives the number of a rolled-back issue to the next document (no gap)', async () => {
    await expect(
      s.database.db.transaction().execute(async (tx) => {
        const d = await issueOne(tx, 99);
        expect(d.number).toBe(`衡商复〔${year}〕11号`);
        throw new Error('the action failed after issuing');
      }),
    ).rejects.toThrow('the action failed');
    expect((await issueOne(s.database.db, 100)).number).toBe(`衡商复〔${year}〕11号`);
  });

  it(`never gives one number twice to two connections issuing at once${onPostgres ? ' (PostgreSQL, two pools)' : ' (SQLite: writers serialised; the two-connection interleaving runs in the PostgreSQL suite)'}`, async () => {
    if (!onPostgres) {
      console.log(
        'two-connection interleaving: PostgreSQL only (SQLite has a single writer); ran the pooled case above',
      );
      const [a, b] = await Promise.all([issueOne(s.database.db, 201), issueOne(s.database.db, 202)]);
      expect(a.number).not.toBe(b.number);
      return;
    }
    const other = openDatabase(loadConfig({ DATABASE_URL: s.url, AUTO_IMPORT: '0' }).database);
    try {
      let releaseA!: () => void;
      const held = new Promise<void>((r) => {
        releaseA = r;
      });
      let aIssued!: (n: string) => void;
      const aNumber = new Promise<string>((r) => {
        aIssued = r;
      });
      // A issues and keeps its transaction open; B issues meanwhile on another connection.
      const a = s.database.db.transaction().execute(async (tx) => {
        const d = await issueOne(tx, 301);
        aIssued(d.number);
        await held;
        return d.number;
      });
      const first = await aNumber;
      let bDone = false;
      const b = other.db
        .transaction()
        .execute((tx) => issueOne(tx, 302))
        .then((d) => {
          bDone = true;
          return d.number;
        });
      await new Promise((r) => setTimeout(r, 300));
      expect(bDone, 'B waits for A’s counter row').toBe(false);
      releaseA();
      const [na, nb] = await Promise.all([a, b]);
      expect(na).toBe(first);
      const seq = (n: string) => Number(/〕(\d+)号$/.exec(n)![1]);
      expect(seq(nb)).toBe(seq(na) + 1);
      const all = await listDocuments(s.database.db, { type: 'written-reply' });
      expect(new Set(all.map((d) => d.number)).size).toBe(all.length);
      expect(all.map((d) => d.seq).sort((x, y) => x - y)).toEqual(all.map((_, i) => i + 1));
    } finally {
      await other.close();
    }
  });
});
