import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestDatabase, importDocument, type TestApp } from '../../../test/helpers.ts';
import { buildApp } from '../../app.ts';
import { readBundledDocument } from '../../bundled.ts';
import { searchDb } from './search.index.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ seed: true });
});
afterAll(async () => {
  await t.close();
});

const get = async (url: string) => {
  const res = await t.app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json() };
};
const q = (text: string) => encodeURIComponent(text);

describe('GET /api/v1/resolve', () => {
  it('answers with exactly the documented fields, best first', async () => {
    const r = await get(`/api/v1/resolve?q=${q('超市卡买的东西过期了找谁')}`);
    expect(r.status).toBe(200);
    // A shared matter (单用途商业预付卡管理工作): who does what; no complaint asked, so no complaint line.
    expect(Object.keys(r.body).sort()).toEqual(['answers', 'confidence', 'noMatch', 'shared']);
    expect(r.body.noMatch).toBeNull();
    expect(Object.keys(r.body.confidence).sort()).toEqual(['coverage', 'label', 'level', 'margin']);
    expect(['较确定', '可能', '不确定']).toContain(r.body.confidence.label);
    expect(r.body.shared.matter).toBe('单用途商业预付卡管理工作');
    expect(r.body.answers.length).toBeGreaterThan(0);
    expect(r.body.answers.length).toBeLessThanOrEqual(5);
    for (const a of r.body.answers) {
      expect(Object.keys(a).sort()).toEqual(['department', 'office', 'phone', 'reason', 'source']);
      expect(Object.keys(a.source).sort()).toEqual(['id', 'type', 'url']);
    }
    expect(r.body.answers[0]).toMatchObject({
      department: '市市场监督管理局',
      office: null,
      phone: null,
      source: { type: 'case', url: expect.stringMatching(/^\/boundaries\/\d+#case-\d+$/) },
    });
  });

  it('offers the commerce complaint line (12312, from the public services list) for a complaint', async () => {
    const r = await get(`/api/v1/resolve?q=${q('超市卡买的东西过期了，去哪投诉')}`);
    expect(r.body.complaint).toEqual({
      phone: '12312',
      service: '受理商务举报、投诉、申诉、咨询',
      office: '商务综合执法监督局',
      department: '衡水市商务局',
      url: expect.stringMatching(/^\/services\/\d+$/),
    });
    expect(r.body.confidence.level).toMatch(/^(high|medium|low)$/);
  });

  it('gives an office of the bureau with its phone', async () => {
    const r = await get(`/api/v1/resolve?q=${q('WTO咨询')}`);
    expect(r.body.answers[0]).toMatchObject({
      department: '衡水市商务局',
      office: '对外贸易和国际经贸关系科',
      phone: '2150507',
      source: { type: 'service', id: 2, url: '/services/2' },
    });
  });

  it('returns no answers and the 12345 hotline when nothing fits', async () => {
    const r = await get(`/api/v1/resolve?q=${q('我家水管漏水找谁')}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      answers: [],
      noMatch: { message: '未找到明确对应的部门，建议拨打 12345 政务服务便民热线咨询', hotline: '12345' },
    });
  });

  it('refuses a missing, blank or over-long question with a Chinese message', async () => {
    for (const url of ['/api/v1/resolve', '/api/v1/resolve?q=', `/api/v1/resolve?q=${q('   ')}`]) {
      const r = await get(url);
      expect(r.status, url).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
      expect(r.body.error.message).toMatch(/查询内容|请输入/);
    }
    const long = await get(`/api/v1/resolve?q=${q('药'.repeat(201))}`);
    expect(long.status).toBe(400);
    expect(long.body.error.message).toContain('不能超过 200 个字');
    expect((await get(`/api/v1/resolve?q=${q('药'.repeat(200))}`)).status).toBe(200);
  });
});

describe('GET /api/v1/search', () => {
  it('groups hits by kind with counts and highlighted snippets', async () => {
    const r = await get(`/api/v1/search?q=${q('药店')}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ query: '药店', tokens: ['药店', '药品流通'] });
    expect(r.body.total).toBeGreaterThanOrEqual(4);
    expect(r.body.counts).toMatchObject({ case: 1, workItem: 1 });
    const hit = r.body.groups[0].hits[0];
    expect(hit).toMatchObject({ kind: 'case', url: expect.stringMatching(/^\/boundaries\//) });
    expect(
      hit.snippet.filter((s: { match: boolean }) => s.match).map((s: { text: string }) => s.text),
    ).toContain('药店');
  });

  it('limits hits per kind with limit, and refuses a limit out of range', async () => {
    const r = await get(`/api/v1/search?q=${q('外资')}&limit=1`);
    for (const g of r.body.groups) expect(g.hits).toHaveLength(1);
    expect(r.body.counts.workItem).toBeGreaterThan(1);
    for (const bad of ['0', '51', 'abc']) {
      const e = await get(`/api/v1/search?q=${q('外资')}&limit=${bad}`);
      expect(e.status, bad).toBe(400);
      expect(e.body.error.message).toMatch(/每类结果条数/);
    }
  });

  it('finds nothing for nonsense', async () => {
    const r = await get(`/api/v1/search?q=${q('qwerty zxcv')}`);
    expect(r.body).toMatchObject({ total: 0, groups: [] });
  });

  it('is described in the OpenAPI document under the search tag', async () => {
    const spec = (await get('/api/openapi.json')).body;
    for (const path of ['/api/v1/search', '/api/v1/resolve']) {
      const op = spec.paths[path].get;
      expect(op.tags).toEqual(['search']);
      expect(
        op.parameters.some((p: { name: string; required?: boolean }) => p.name === 'q' && p.required),
      ).toBe(true);
      expect(op.responses['200']).toBeDefined();
    }
  });
});

describe('an app over lists imported before the search index existed', () => {
  it('builds the index when it starts', async () => {
    const tdb = await createTestDatabase();
    try {
      await importDocument(tdb.database, readBundledDocument(), { sourceName: 'source.txt' });
      const sdb = searchDb(tdb.database.db);
      await sdb.deleteFrom('search_index_state').execute();
      await sdb.deleteFrom('search_documents').execute();
      const app = await buildApp({ config: tdb.config, database: tdb.database, logger: false });
      await app.ready();
      try {
        const res = await app.inject({ method: 'GET', url: `/api/v1/resolve?q=${q('货代')}` });
        expect(res.json().answers[0]).toMatchObject({ office: '流通业发展服务贸易和市场体系建设科' });
      } finally {
        await app.close();
      }
    } finally {
      await tdb.close();
    }
  });
});
