import { compileErrors, validate } from '@readme/openapi-parser';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_COUNTS, createTestApp, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ seed: true });
});
afterAll(async () => {
  await t.close();
});

const get = async (url: string) => {
  const res = await t.app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json(), headers: res.headers, raw: res };
};

describe('registry API', () => {
  it('reports health with the database kind', async () => {
    const r = await get('/healthz');
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('ok');
  });

  it('gives the bundled counts through /api/v1/stats', async () => {
    const r = await get('/api/v1/stats');
    expect(r.body).toEqual(BUNDLED_COUNTS);
  });

  it('lists the same counts through the list endpoints (totals)', async () => {
    const totals = {
      departments: (await get('/api/v1/departments?limit=1')).body.total,
      duties: (await get('/api/v1/duties?limit=1')).body.total,
      workItems: (await get('/api/v1/work-items?limit=1')).body.total,
      boundaryMatters: (await get('/api/v1/boundary-matters?limit=1')).body.total,
      regimes: (await get('/api/v1/regimes?limit=1')).body.total,
      services: (await get('/api/v1/services?limit=1')).body.total,
    };
    expect(totals).toEqual({
      departments: BUNDLED_COUNTS.departments,
      duties: BUNDLED_COUNTS.duties,
      workItems: BUNDLED_COUNTS.workItems,
      boundaryMatters: BUNDLED_COUNTS.boundaryMatters,
      regimes: BUNDLED_COUNTS.regimes,
      services: BUNDLED_COUNTS.services,
    });
    const offices = (await get('/api/v1/offices?limit=500')).body.items;
    expect(offices.filter((o: { isGroup: boolean }) => !o.isGroup)).toHaveLength(BUNDLED_COUNTS.offices);
    const matters = (await get('/api/v1/boundary-matters?limit=500')).body.items;
    expect(matters.reduce((a: number, m: { shares: unknown[] }) => a + m.shares.length, 0)).toBe(
      BUNDLED_COUNTS.shares,
    );
  });

  it('pages through work items in a stable order without gaps or repeats', async () => {
    const seen: number[] = [];
    for (let offset = 0; offset < 128; offset += 30) {
      const page = (await get(`/api/v1/work-items?limit=30&offset=${offset}`)).body;
      expect(page).toMatchObject({ total: 128, limit: 30, offset });
      seen.push(...page.items.map((i: { id: number }) => i.id));
    }
    expect(seen).toHaveLength(128);
    expect(new Set(seen).size).toBe(128);
    const again = (await get('/api/v1/work-items?limit=30&offset=30')).body.items.map(
      (i: { id: number }) => i.id,
    );
    expect(again).toEqual(seen.slice(30, 60));
  });

  it('gives an office with its work items and its services with phones', async () => {
    const offices = (await get('/api/v1/offices?limit=500')).body.items;
    const ft = offices.find((o: { name: string }) => o.name === '对外贸易和国际经贸关系科');
    expect(ft.aliases).toContain('对外贸易和国际经贸关系科（衡水市机电产品进出口办公室）');
    expect(ft.workItems.length).toBeGreaterThan(10);
    expect(ft.services.map((s: { name: string }) => s.name)).toContain('WTO事务咨询服务');
    expect(ft.services[0].phones).toEqual(['2150507']);
    const group = offices.find((o: { name: string }) => o.name === '各业务科室');
    expect(group.isGroup).toBe(true);
    expect(group.members.map((m: { name: string }) => m.name)).not.toContain('办公室');
    const one = await get(`/api/v1/offices/${ft.id}`);
    expect(one.body.name).toBe('对外贸易和国际经贸关系科');
  });

  it('filters work items by office, duty and department', async () => {
    const offices = (await get('/api/v1/offices?limit=500')).body.items;
    const waishi = offices.find((o: { name: string }) => o.name === '外事科');
    const byOffice = (await get(`/api/v1/work-items?office=${waishi.id}&limit=500`)).body;
    expect(byOffice.total).toBe(waishi.workItems.length);
    expect(
      byOffice.items.every((i: { offices: Array<{ name: string }> }) =>
        i.offices.some((o) => o.name === '外事科'),
      ),
    ).toBe(true);
    const duty1 = (await get('/api/v1/duties?limit=1')).body.items[0];
    expect(duty1.seq).toBe(1);
    const byDuty = (await get(`/api/v1/work-items?duty=${duty1.id}`)).body;
    expect(byDuty.total).toBe(7);
    const byDept = (await get(`/api/v1/work-items?department=${duty1.departmentId}&limit=1`)).body;
    expect(byDept.total).toBe(128);
  });

  it('gives a boundary matter with its shares, legal bases with document numbers, and case', async () => {
    const m = (await get('/api/v1/boundary-matters?limit=1')).body.items[0];
    expect(m.name).toBe('药品流通行业管理');
    expect(m.shares.map((s: { department: string }) => s.department)).toEqual([
      '衡水市商务局',
      '市市场监督管理局',
    ]);
    expect(m.shares[0].departmentText).toBe('市商务局');
    expect(m.legalBases[0].docNumber).toBe('商秩函〔2010〕739号');
    expect(m.cases[0].text).toContain('王某要准备开药店');
    expect(m.source.lineStart).toBe(791);
    const src = await get(
      `/api/v1/sources/${m.source.documentId}?from=${m.source.lineStart}&to=${m.source.lineStart + 1}`,
    );
    expect(src.body.lines[0]).toEqual({ number: 791, text: '\t1' });
  });

  it('gives regimes with ordered sections and check items', async () => {
    const r = (await get('/api/v1/regimes?limit=500')).body.items;
    expect(r).toHaveLength(15);
    expect(r[3].title).toBe('成品油流通市场监督管理');
    expect(r[3].sections[0].kinds).toEqual(['objects']);
    expect(r[3].checkItems.length).toBeGreaterThan(5);
  });

  it('answers unknown ids with a Chinese 404 and bad parameters with a Chinese 400', async () => {
    const nf = await get('/api/v1/duties/99999');
    expect(nf.status).toBe(404);
    expect(nf.body.error.message).toContain('未找到');
    const bad = await get('/api/v1/work-items?limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('请求参数有误');
    expect(bad.body.error.message).toContain('limit 数值过小');
  });
});

describe('downloads', () => {
  it('serves CSV with the original headings and one row per work item', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/export?format=csv&part=duties' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe('序号,主要职责,具体工作事项,责任科室,备注,依据变化提示');
    const rows = lines.filter((l) => l.includes('科') || l.includes('室')).length;
    expect(rows).toBeGreaterThanOrEqual(128);
  });

  it('serves an XLSX with one sheet per part and the original headings', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/export?format=xlsx' });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '部门职责登记表',
      '职责边界登记表',
      '事中事后监管制度',
      '公共服务事项登记表',
    ]);
    const duties = wb.getWorksheet('部门职责登记表')!;
    expect(duties.getRow(1).values).toEqual([
      undefined,
      '序号',
      '主要职责',
      '具体工作事项',
      '责任科室',
      '备注',
      '依据变化提示',
    ]);
    expect(duties.rowCount).toBe(129);
    const boundaries = wb.getWorksheet('职责边界登记表')!;
    expect(boundaries.rowCount).toBe(60);
    expect(wb.getWorksheet('公共服务事项登记表')!.rowCount).toBe(18);
  });

  it('merges the cells of a record down over its rows in the XLSX (duties A–B, boundaries A, B, E, F, G)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/export?format=xlsx' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const merges = (sheet: string) =>
      (wb.getWorksheet(sheet)!.model as unknown as { merges: string[] }).merges.map((m) => {
        const [, from, a, to, b] = /^([A-Z])(\d+):([A-Z])(\d+)$/.exec(m)!;
        expect(to).toBe(from);
        return { col: from!, rows: Number(b) - Number(a) + 1, at: Number(a) };
      });
    const byCol = (ms: ReturnType<typeof merges>) => {
      const out: Record<string, string[]> = {};
      for (const m of ms) {
        out[m.col] ??= [];
        out[m.col]!.push(`${m.at}+${m.rows}`);
      }
      for (const k of Object.keys(out)) out[k]!.sort();
      return out;
    };
    const duties = byCol(merges('部门职责登记表'));
    expect(Object.keys(duties).sort()).toEqual(['A', 'B']);
    expect(duties.A!.length).toBeGreaterThan(0);
    expect(duties.B).toEqual(duties.A);
    const boundaries = byCol(merges('职责边界登记表'));
    // G: the legal warnings of the matter (依据变化提示), merged like its bases and cases.
    expect(Object.keys(boundaries).sort()).toEqual(['A', 'B', 'E', 'F', 'G']);
    for (const c of ['B', 'E', 'F', 'G']) expect(boundaries[c]).toEqual(boundaries.A);
    expect(merges('事中事后监管制度')).toEqual([]);
    expect(merges('公共服务事项登记表')).toEqual([]);
  });

  it('serves the JSON dataset as a download', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/export?format=json' });
    expect(res.headers['content-disposition']).toContain('attachment');
    const data = res.json();
    expect(data.format).toBe('zhize-dataset');
    expect(data.tables.work_items).toHaveLength(128);
  });
});

describe('OpenAPI', () => {
  it('publishes a document that an independent validator accepts', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    const doc = res.json();
    const result = await validate(structuredClone(doc));
    if (!result.valid) throw new Error(compileErrors(result));
    expect(result.valid).toBe(true);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/stats',
        '/api/v1/work-items',
        '/api/v1/boundary-matters/{id}',
        '/healthz',
      ]),
    );
  });

  it('serves the browsable documentation', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('swagger');
  });
});
