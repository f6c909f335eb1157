import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { homePages } from '../src/modules/registry/index.ts';
import { listMatters, listOffices } from '../src/modules/registry/read/registry.repo.ts';
import { relatedMatters } from '../src/modules/registry/read/related-matters.ts';
import { telHref } from '../src/views/portal/phone.ts';
import { safeHref } from '../src/views/safe-url.ts';
import { createTestApp, type TestApp } from './helpers.ts';

/** The public portal pages (issue 3), through the real app over the imported bundled document. */

let t: TestApp;
let app: FastifyInstance;
const ids = { bureau: 0, market: 0, office: 0, group: 0, duty: 0, item: 0, matter: 0, regime: 0, service: 0 };

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  app = t.app;
  const db = t.database.db;
  const one = async <T>(p: Promise<T | undefined>) => (await p)!;
  ids.bureau = (
    await one(db.selectFrom('departments').select('id').where('name', '=', '衡水市商务局').executeTakeFirst())
  ).id;
  ids.market = (
    await one(
      db.selectFrom('departments').select('id').where('name', '=', '市市场监督管理局').executeTakeFirst(),
    )
  ).id;
  ids.office = (
    await one(
      db.selectFrom('offices').select('id').where('name', '=', '市场秩序和政策法规科').executeTakeFirst(),
    )
  ).id;
  ids.group = (
    await one(db.selectFrom('offices').select('id').where('name', '=', '各业务科室').executeTakeFirst())
  ).id;
  ids.duty = (await one(db.selectFrom('duties').select('id').where('seq', '=', 4).executeTakeFirst())).id;
  ids.item = (
    await one(
      db.selectFrom('work_items').select('id').where('text', 'like', '%单用途商业预付卡%').executeTakeFirst(),
    )
  ).id;
  ids.matter = (
    await one(
      db.selectFrom('boundary_matters').select('id').where('name', 'like', '单用途%').executeTakeFirst(),
    )
  ).id;
  ids.regime = (
    await one(db.selectFrom('regimes').select('id').where('title', 'like', '成品油%').executeTakeFirst())
  ).id;
  ids.service = (
    await one(
      db.selectFrom('public_services').select('id').where('name', 'like', '受理商务举报%').executeTakeFirst(),
    )
  ).id;
});

afterAll(async () => {
  await t?.close();
});

async function get(url: string, cookies?: Record<string, string>) {
  const res = await app.inject({ method: 'GET', url, cookies });
  return { status: res.statusCode, body: res.body, type: String(res.headers['content-type'] ?? ''), res };
}

/** The token of the large-text form and the cookie that goes with it, as a browser would keep them. */
async function formToken(url = '/') {
  const res = await app.inject({ method: 'GET', url });
  const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
  const cookie = res.cookies.find((c) => c.name === 'zhize_csrf')?.value;
  expect(token).toBeTruthy();
  expect(cookie).toBeTruthy();
  return { token: token!, cookie: cookie! };
}

describe('portal pages', () => {
  it('serves the home page in Chinese with the search box first, the four parts with counts and the offices', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.type).toContain('text/html');
    expect(r.body).toMatch(/^<!doctype html><html lang="zh-CN"/);
    const main = r.body.slice(r.body.indexOf('<main'));
    expect(main.indexOf('type="search"')).toBeGreaterThan(-1);
    expect(main.indexOf('type="search"')).toBeLessThan(main.indexOf('清单的四个部分'));
    expect(r.body).toContain('action="/search"');
    for (const [label, n] of [
      ['部门职责', '26'],
      ['职责边界', '13'],
      ['事中事后监管制度', '15'],
      ['公共服务事项', '17'],
    ]) {
      expect(r.body).toMatch(new RegExp(`${label}</span><span class="n"> ${n} </span>`));
    }
    expect(r.body).toContain('流通业发展服务贸易和市场体系建设科');
    expect(r.body).toContain(`href="/offices/${ids.office}"`);
    expect(r.body).toContain('class="skip-link" href="#main"');
    expect(r.body).toContain('长者模式（大字版）');
  });

  it('lists departments with their aliases and shows a department with its offices and its shares', async () => {
    const list = await get('/departments');
    expect(list.status).toBe(200);
    expect(list.body).toContain('市住房和城乡建设局');
    expect(list.body).toContain('又称：');
    const market = await get(`/departments/${ids.market}`);
    expect(market.status).toBe(200);
    expect(market.body).toContain('<h1>市市场监督管理局</h1>');
    expect(market.body).toContain('负责药品流通准入和质量管理');
    expect(market.body).toContain('本清单没有列出该部门的内设科室');
    const bureau = await get(`/departments/${ids.bureau}`);
    expect(bureau.body).toContain('外事科');
    expect(bureau.body).toContain('负责单用途商业预付卡的备案管理');
  });

  it('shows an office with work items grouped by duty, its related boundary matters and provenance', async () => {
    const r = await get(`/offices/${ids.office}`);
    expect(r.status).toBe(200);
    expect(r.body).toContain('<h1>市场秩序和政策法规科</h1>');
    expect(r.body).toContain(`href="/duties/${ids.duty}">主要职责 4</a>`);
    expect(r.body).toContain(`href="/duties/${ids.duty}#item-${ids.item}"`);
    expect(r.body).toContain('单用途商业预付卡管理工作');
    expect(r.body).toMatch(/出处：原文第 \d+(–\d+)? 行/);
    expect(r.body).toContain('与其他部门的职责边界');
  });

  it('shows the services and phones of an office, and the aliases of the foreign-trade office', async () => {
    const foreign = await listOffices(t.database.db, {}, { limit: 100, offset: 0 });
    const trade = foreign.items.find((o) => o.name === '对外贸易和国际经贸关系科')!;
    const r = await get(`/offices/${trade.id}`);
    expect(r.body).toContain('又称：');
    expect(r.body).toContain('衡水市机电产品进出口办公室');
    expect(r.body).toContain('href="tel:+86-318-2150507"');
    expect(r.body).toContain('WTO事务咨询服务');
  });

  it('shows a group such as 各业务科室 with its member offices', async () => {
    const r = await get(`/offices/${ids.group}`);
    expect(r.status).toBe(200);
    expect(r.body).toContain('科室组合');
    expect(r.body).toContain('外事科');
  });

  it('lists all duties with work items, offices and downloads; a duty page has item anchors', async () => {
    const list = await get('/duties');
    expect(list.status).toBe(200);
    expect((list.body.match(/id="item-\d+"/g) ?? []).length).toBe(128);
    expect(list.body).toContain('href="/api/v1/export?format=json&amp;part=duties"');
    expect(list.body).toContain('href="/api/v1/export?format=csv&amp;part=duties"');
    expect(list.body).toContain('href="/api/v1/export?format=xlsx&amp;part=duties"');
    const duty = await get(`/duties/${ids.duty}`);
    expect(duty.status).toBe(200);
    expect(duty.body).toContain(`id="item-${ids.item}"`);
    expect(duty.body).toContain('责任科室');
    expect(duty.body).toContain('主要职责 5 →');
  });

  it('shows a boundary matter with its division table, legal bases with document numbers and the case', async () => {
    const list = await get('/boundaries');
    expect(list.status).toBe(200);
    expect(list.body).toContain('药品流通行业管理');
    expect(list.body).toContain('format=csv&amp;part=boundaries');
    const m = await get(`/boundaries/${ids.matter}`);
    expect(m.status).toBe(200);
    expect(m.body).toMatch(/<tr id="share-\d+">/);
    expect(m.body).toContain('市财政局');
    expect(m.body).toContain('<span class="docno">国办发〔2011〕25号</span>');
    expect(m.body).toMatch(/<div class="case" id="case-\d+">/);
    expect(m.body).toContain('李某持某超市卡到超市消费');
  });

  it('shows a regime with its sections in order and its check items', async () => {
    const list = await get('/regimes');
    expect(list.status).toBe(200);
    expect(list.body).toContain('四、成品油流通市场监督管理');
    const r = await get(`/regimes/${ids.regime}`);
    expect(r.status).toBe(200);
    const order = [
      '一、监督检查对象',
      '二、监督检查内容',
      '三、监督检查方式和措施',
      '四、监督检查程序',
      '五、监督检查处理',
    ];
    const at = order.map((h) => r.body.indexOf(`>${h}</h2>`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(r.body).toContain('检查内容清单（13 项）');
    expect(r.body).toContain('年检合格');
  });

  it('lists the public services with tel: links (area code 0318 for 7-digit numbers, 12312 as is)', async () => {
    const r = await get('/services');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<a class="tel" href="tel:+86-318-2127068">2127068</a>');
    expect(r.body).toContain('<a class="tel" href="tel:12312">12312</a>');
    expect(r.body).toContain('format=xlsx&amp;part=services');
    const s = await get(`/services/${ids.service}`);
    expect(s.status).toBe(200);
    expect(s.body).toContain('商务综合执法监督局');
    expect(s.body).toContain('href="tel:12312"');
  });

  it('shows source lines with anchors and the requested range highlighted', async () => {
    const r = await get('/sources/1?from=806&to=810');
    expect(r.status).toBe(200);
    expect(r.body).toContain('原文第 806–810 行');
    expect(r.body).toContain('<div id="L806" class="line hl">');
    expect(r.body).toContain('<div id="L810" class="line hl">');
    expect(r.body).toContain('<div id="L811" class="line">');
    expect(r.body).toContain('<div id="L776" class="line">');
    expect(r.body).not.toContain('id="L775"');
  });

  it('links every record page to its provenance', async () => {
    for (const url of [
      `/offices/${ids.office}`,
      `/duties/${ids.duty}`,
      `/boundaries/${ids.matter}`,
      `/regimes/${ids.regime}`,
      `/services/${ids.service}`,
    ]) {
      const r = await get(url);
      expect(r.body, url).toMatch(/href="\/sources\/1\?from=\d+&amp;to=\d+#L\d+">出处：原文第 \d+/);
    }
  });

  it('shows the search help for an empty query and results with the 谁来管 card for a question', async () => {
    const help = await get('/search?q=');
    expect(help.status).toBe(200);
    expect(help.body).toContain('怎么搜');
    const r = await get(`/search?q=${encodeURIComponent('药店')}`);
    expect(r.status).toBe(200);
    expect(r.body).toContain('谁来管');
    expect(r.body).toContain('<mark>');
    expect(r.body).toContain('value="药店"');
  });

  it('answers a question the lists do not cover honestly, pointing to 12345', async () => {
    const r = await get(`/search?q=${encodeURIComponent('今天天气怎么样')}`);
    expect(r.status).toBe(200);
    expect(r.body).toContain('who-card no-match');
    expect(r.body).toContain('<a class="tel" href="tel:12345">12345</a>');
    expect(r.body).not.toContain('<mark>');
    expect(r.body).toContain('没有找到与“今天天气怎么样”相关的记录');
  });

  it('names the department of the top answer in the 谁来管 card', async () => {
    const r = await get(`/search?q=${encodeURIComponent('我想开药店找哪个部门')}`);
    expect(r.body).toMatch(/<p class="dept">市市场监督管理局<\/p>/);
  });

  it('serves the stylesheet from /static/', async () => {
    const r = await get('/static/portal.css');
    expect(r.status).toBe(200);
    expect(r.type).toContain('text/css');
    const home = await get('/');
    expect(home.body).toMatch(/<link rel="stylesheet" href="\/static\/portal\.css\?v=[0-9a-f]{10}"/);
  });
});

describe('unknown records', () => {
  it.each([
    '/offices/9999',
    '/offices/abc',
    '/departments/0',
    '/duties/9999',
    '/boundaries/9999',
    '/regimes/9999',
    '/services/9999',
    '/sources/9999',
  ])('answers %s with a Chinese 404 page', async (url) => {
    const r = await get(url);
    expect(r.status).toBe(404);
    expect(r.type).toContain('text/html');
    expect(r.body).toContain('没有找到这个页面');
    expect(r.body).toContain('lang="zh-CN"');
  });

  it('keeps the JSON 404 of the API', async () => {
    const r = await get('/api/v1/offices/9999');
    expect(r.status).toBe(404);
    expect(r.type).toContain('application/json');
  });
});

describe('escaping', () => {
  it('renders record text containing a script tag as text, never as markup', async () => {
    // A separate database: the other tests keep the published text.
    const own = await createTestApp({ seed: true });
    try {
      const evil = '<script>alert(1)</script>';
      const db = own.database.db;
      await db
        .updateTable('work_items')
        .set({ text: `XSS项${evil}` })
        .where('id', '=', ids.item)
        .execute();
      await db
        .updateTable('offices')
        .set({ name: `XSS科${evil}` })
        .where('id', '=', ids.office)
        .execute();
      await db
        .updateTable('boundary_cases')
        .set({ text: `XSS案例${evil}"><img src=x onerror=alert(2)>` })
        .where('matter_id', '=', ids.matter)
        .execute();
      await db
        .updateTable('departments')
        .set({ name: `XSS局${evil}` })
        .where('id', '=', ids.market)
        .execute();
      for (const url of [
        `/duties/${ids.duty}`,
        `/offices/${ids.office}`,
        '/',
        '/duties',
        '/departments',
        `/boundaries/${ids.matter}`,
      ]) {
        const r = await own.app.inject({ method: 'GET', url });
        expect(r.statusCode, url).toBe(200);
        expect(r.body, url).not.toContain(evil);
        expect(r.body, url).not.toContain('<img src=x');
        expect(r.body, url).toContain('&lt;script>alert(1)&lt;/script>');
      }
    } finally {
      await own.close();
    }
  });

  it('allows only safe link schemes from data', () => {
    expect(safeHref('/duties/1#item-2')).toBe('/duties/1#item-2');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref(' JavaScript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,x')).toBeNull();
    expect(safeHref('//evil.example/x')).toBeNull();
    expect(safeHref('https://www.hengshui.gov.cn/')).toBe('https://www.hengshui.gov.cn/');
  });

  it('dials published Hengshui numbers with the area code and service numbers as they are', () => {
    expect(telHref('2127068')).toBe('tel:+86-318-2127068');
    expect(telHref('12312')).toBe('tel:12312');
    expect(telHref('12345')).toBe('tel:12345');
    expect(telHref('0318-2127068')).toBe('tel:+86-318-2127068');
    expect(telHref('javascript:1')).toBeNull();
  });
});

describe('large-text mode and CSRF', () => {
  it('refuses the preference form without a token with a Chinese 403 page', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/preferences/large-text',
      payload: 'enabled=1&back=%2Fduties',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('安全校验失败');
    expect(res.cookies.find((c) => c.name === 'zhize_large_text')).toBeUndefined();
  });

  it('refuses a token that does not match the cookie, and a cookie with a forged signature', async () => {
    const { token, cookie } = await formToken();
    const post = (field: string, c: string) =>
      app.inject({
        method: 'POST',
        url: '/preferences/large-text',
        payload: `_csrf=${encodeURIComponent(field)}&enabled=1&back=%2F`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: { zhize_csrf: c },
      });
    expect((await post(`${token}x`, cookie)).statusCode).toBe(403);
    expect((await post('forged', 'forged.signature')).statusCode).toBe(403);
    expect((await post(token, `${token}.AAAA`)).statusCode).toBe(403);
  });

  it('turns large text on with a valid token, redirects back, and the class persists on other pages', async () => {
    const { token, cookie } = await formToken('/duties');
    const res = await app.inject({
      method: 'POST',
      url: '/preferences/large-text',
      payload: `_csrf=${encodeURIComponent(token)}&enabled=1&back=${encodeURIComponent('/duties')}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      cookies: { zhize_csrf: cookie },
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/duties');
    const pref = res.cookies.find((c) => c.name === 'zhize_large_text');
    expect(pref?.value).toBe('1');
    expect(pref?.httpOnly).toBe(true);
    for (const url of ['/', '/services', `/offices/${ids.office}`]) {
      const page = await get(url, { zhize_large_text: '1' });
      expect(page.body).toContain('<html lang="zh-CN" class="large-text">');
      expect(page.body).toContain('class="pref-toggle on"');
      expect(page.body).toContain('标准版');
    }
  });

  it('never redirects off-site after a preference change', async () => {
    const { token, cookie } = await formToken();
    const res = await app.inject({
      method: 'POST',
      url: '/preferences/large-text',
      payload: `_csrf=${encodeURIComponent(token)}&enabled=0&back=${encodeURIComponent('//evil.example/')}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      cookies: { zhize_csrf: cookie },
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
  });
});

describe('the portal shell', () => {
  it('is a named plugin the page plugins depend on: without it the app refuses to start', async () => {
    const bare = Fastify({ logger: false });
    bare.register(homePages);
    await expect(bare.ready()).rejects.toThrow(/portal/);
    await bare.close();
  });
});

describe('office ↔ boundary matter inference', () => {
  it('relates matters by distinctive phrases of the office’s own items, with the reason', async () => {
    const db = t.database.db;
    const offices = (await listOffices(db, { department: ids.bureau }, { limit: 100, offset: 0 })).items;
    const matters = (await listMatters(db, { involves: ids.bureau }, { limit: 100, offset: 0 })).items;
    const related = (name: string) =>
      relatedMatters(offices.find((o) => o.name === name)!, offices, matters).map((r) => r.matter.name);
    expect(related('市场秩序和政策法规科')).toEqual(
      expect.arrayContaining(['药品流通行业管理', '单用途商业预付卡管理工作']),
    );
    expect(related('开发区管理科')).toEqual(['国家级经济技术开发区和省级经济技术开发区管理']);
    expect(related('外国投资管理和对外经济合作科')).toEqual(['外商投资企业登记管理']);
    expect(related('外事科')).toEqual([]);
  });
});
