import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { SEARCH_EXAMPLES } from './search.pages.tsx';

/** The 谁来管 card of /search (issue 13 §4: honest answers), through the real app. */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ seed: true });
});
afterAll(async () => {
  await t.close();
});

/** The who-card of the search page for a question (the layout's footer names 12312 and 12345 too). */
async function card(q: string): Promise<string> {
  const res = await t.app.inject({ method: 'GET', url: `/search?q=${encodeURIComponent(q)}` });
  expect(res.statusCode).toBe(200);
  const m = /<section class="who-card[^"]*"[\s\S]*?<\/section>/.exec(res.body);
  expect(m, q).not.toBeNull();
  return m![0];
}

describe('the 谁来管 card', () => {
  it('answers every example of the help page with the department the lists give, none a bare 护照', async () => {
    const help = await t.app.inject({ method: 'GET', url: '/search?q=' });
    for (const e of SEARCH_EXAMPLES) {
      expect(help.body, e.q).toContain(`>${e.q}</a>`);
      const c = await card(e.q);
      expect(/<p class="dept">([^<]*)<\/p>/.exec(c)?.[1], e.q).toBe(e.department);
      if (e.office) expect(c, e.q).toContain(`<dd>${e.office}</dd>`);
    }
    expect(SEARCH_EXAMPLES.map((e) => e.q)).not.toContain('护照');
  });

  it('says how sure it is: 较确定 for a clear answer, 不确定 with the other departments open for a tie', async () => {
    expect(await card('加油站')).toContain('把握程度：<strong>较确定</strong>');
    // 预付卡 alone matches four departments' shares of one matter equally.
    const tie = await card('预付卡');
    expect(tie).toContain('把握程度：<strong>不确定</strong>');
    expect(tie).toMatch(/<details class="more-answers" open/);
  });

  it('says which department does what when they share a matter (the boundary shares)', async () => {
    const c = await card('预付卡');
    expect(c).toContain('这件事由几个部门分工负责');
    expect(c).toContain('单用途商业预付卡管理工作');
    expect(c).toContain('<strong>衡水市商务局</strong>：负责单用途商业预付卡的备案管理');
    expect(c).toContain('<strong>市市场监督管理局</strong>：负责维权消费权益');
    expect(await card('加油站')).not.toContain('分工负责');
  });

  it('offers 12312 for a complaint about a commerce matter, and not when nothing is complained about', async () => {
    const c = await card('健身房会员卡老板跑路了，钱退不回来，去哪投诉');
    expect(/<p class="dept">([^<]*)<\/p>/.exec(c)?.[1]).toBe('市市场监督管理局');
    expect(c).toContain('12312');
    expect(c).toContain('受理商务举报、投诉、申诉、咨询');
    expect(await card('预付卡备案找哪个科')).not.toContain('12312');
  });

  it('shows the office’s phone instead of pointing to 12345, and 12345 only when none is published', async () => {
    const withPhone = await card('加油站');
    expect(withPhone).toContain('2163995');
    expect(withPhone).not.toContain('12345');
    const without = await card('商务诚信公共服务平台谁建的');
    expect(without).toContain('<dd>市场秩序和政策法规科</dd>');
    expect(without).toContain('本清单未公布该科室的联系电话');
    expect(without).toContain('12345');
  });
});
