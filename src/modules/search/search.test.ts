import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { withWorkItemAppended } from '../../../test/registry-edits.ts';
import { rebuildSearchIndex, searchRegistry } from './index.ts';
import { searchDb } from './search.index.ts';
import { mentionPatterns, splitCase } from './search.mentions.ts';
import { snippet } from './search.service.ts';
import { analyzeQuery, normalizeText, tokenizeDocument } from './tokenize.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ seed: true });
});
afterAll(async () => {
  await t.close();
});

const search = (q: string, limitPerKind?: number) =>
  searchRegistry(t.database.db, t.database.dialect, q, limitPerKind ? { limitPerKind } : {});
const hitIds = async (q: string) =>
  (await search(q)).groups.flatMap((g) => g.hits.map((h) => `${h.kind}:${h.id}`));

describe('tokenisation', () => {
  it('keeps domain words whole and adds every pair of adjacent Han characters', () => {
    const tokens = tokenizeDocument('负责单用途商业预付卡管理工作');
    expect(tokens).toContain('单用途商业预付卡');
    expect(tokens).toContain('预付卡');
    expect(tokens).toEqual(expect.arrayContaining(['预付', '付卡', '管理', '理工']));
  });

  it('normalises full-width characters and Latin case the same way on both sides', () => {
    expect(normalizeText('ＷＴＯ　事务（咨询）')).toBe('wto 事务(咨询)');
    expect(tokenizeDocument('ＡＰＥＣ商务旅行卡')).toEqual(tokenizeDocument('apec商务旅行卡'));
    expect(analyzeQuery('ＷＴＯ').terms.map((x) => x.token)).toEqual(
      analyzeQuery('wto').terms.map((x) => x.token),
    );
  });

  it('makes tokens of letters and digits only, so FTS5 and tsvector split them identically', () => {
    for (const token of tokenizeDocument('“337调查”案件（2008年商务部令第8号）；厦门9.8投洽会、4S店')) {
      expect(token).toMatch(/^[\p{L}\p{N}]+$/u);
    }
  });

  it('drops question words and expands colloquial words to the canonical term', () => {
    const q = analyzeQuery('我想开药店找哪个部门');
    expect(q.concepts.map((c) => c.text)).toEqual(['开药店']);
    expect(q.concepts[0]!.canonical).toBe('药品流通');
    const weights = new Map(q.terms.map((x) => [x.token, x.weight]));
    expect(weights.get('药店')).toBe(1);
    expect(weights.get('药品流通')).toBeLessThan(1);
  });

  it('leaves nothing to search for in a question made only of question words', () => {
    expect(analyzeQuery('找谁？怎么办？').concepts).toEqual([]);
  });
});

describe('case clauses', () => {
  it('splits the prepaid-card case into one clause per department it names', async () => {
    const db = t.database.db;
    const departments = await db.selectFrom('departments').select(['id', 'name']).execute();
    const aliases = await db.selectFrom('department_aliases').select(['department_id', 'alias']).execute();
    const name = new Map(departments.map((d) => [d.id, d.name]));
    const text = (
      await db
        .selectFrom('boundary_cases')
        .select('text')
        .where('text', 'like', '%超市卡%')
        .executeTakeFirstOrThrow()
    ).text;
    const clauses = splitCase(text, mentionPatterns(departments, aliases));
    expect(clauses.map((c) => name.get(c.departmentId))).toEqual([
      '市市场监督管理局',
      '市税务局',
      '衡水市商务局',
    ]);
    expect(clauses[0]!.text).toContain('过期食品');
    expect(clauses[1]!.text).toContain('虚假发票');
    expect(clauses[2]!.text).toContain('5000元');
  });

  it('does not take national or provincial bodies for the city departments', async () => {
    const db = t.database.db;
    const departments = await db.selectFrom('departments').select(['id', 'name']).execute();
    const patterns = mentionPatterns(departments, []);
    expect(splitCase('公安部, 国家市场监督管理总局为主,多个部门配合协同。', patterns)).toEqual([]);
    expect(splitCase('由省商务厅负责牵头会同省住房城乡建设厅提出审核意见。', patterns)).toEqual([]);
  });
});

describe('the index', () => {
  it('holds every record of the four lists, and the department-naming clauses of the cases', async () => {
    const rows = await searchDb(t.database.db)
      .selectFrom('search_documents')
      .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('kind')
      .execute();
    const counts = Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
    expect(counts).toMatchObject({ workItem: 128, duty: 26, share: 59, regime: 15, service: 17, case: 12 });
    expect(counts.caseClause).toBeGreaterThanOrEqual(20);
  });

  it('rebuilds to the same index: a second rebuild changes no document (its time is measured in bench/import)', async () => {
    const snapshot = async () =>
      (
        await searchDb(t.database.db)
          .selectFrom('search_documents')
          .select(['kind', 'record_id', 'department_id', 'office_id', 'tokens'])
          .orderBy('kind')
          .orderBy('record_id')
          .execute()
      ).map((r) => JSON.stringify(r));
    const before = await snapshot();
    await rebuildSearchIndex(t.database.db, t.database.dialect);
    expect(await snapshot()).toEqual(before);
    expect(before.length).toBeGreaterThan(250);
  });

  it('follows changes to the lists once rebuilt, dropping cached results', async () => {
    expect((await search('冰雪经济')).total).toBe(0);
    await withWorkItemAppended(t, '研究起草综合性文稿', '，研究冰雪经济', async (id) => {
      const found = await search('冰雪经济');
      expect(found.groups[0]!.hits[0]).toMatchObject({ kind: 'workItem', id });
    });
    expect((await search('冰雪经济')).total).toBe(0);
  });

  it('keeps the previous index when the transaction that rebuilt it rolls back', async () => {
    const db = t.database.db;
    const before = await hitIds('药店');
    await expect(
      db.transaction().execute(async (tx) => {
        await tx.deleteFrom('work_items').where('id', '=', 29).execute();
        await rebuildSearchIndex(tx, t.database.dialect);
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await hitIds('药店')).toEqual(before);
  });
});

describe('searchRegistry', () => {
  it('finds two-character queries: 药店, 外资, 护照, 货代', async () => {
    const expectations: Record<string, string> = {
      药店: 'case:1',
      外资: 'workItem:54',
      护照: 'workItem:119',
      货代: 'workItem:18',
    };
    // Each expected record is among the hits (not necessarily the first).
    for (const [q, expected] of Object.entries(expectations)) {
      const ids = await hitIds(q);
      expect(ids.length, q).toBeGreaterThan(0);
      expect(ids, q).toContain(expected);
    }
  });

  it('returns nothing for a query with nothing relevant', async () => {
    for (const q of ['qwerty', '我家水管漏水', '路灯坏了一晚上不亮']) {
      const r = await search(q);
      expect(r.total, q).toBe(0);
      expect(r.groups, q).toEqual([]);
    }
  });

  it('finds the lists’ own words for colloquial ones (加油站 → 成品油零售, 报废车 → 报废汽车)', async () => {
    const oil = await search('加油站');
    expect(oil.tokens).toEqual(['加油站', '成品油零售']);
    expect(oil.groups.flatMap((g) => g.hits).some((h) => h.kind === 'workItem' && h.id === 42)).toBe(true);
    const scrap = await search('报废车');
    expect(scrap.counts.share).toBeGreaterThanOrEqual(3);
    expect(scrap.counts.regime).toBeGreaterThanOrEqual(1);
  });

  it('groups hits by kind with a count for every kind, the group with the best hit first', async () => {
    const r = await search('预付卡');
    expect(Object.keys(r.counts).sort()).toEqual(['case', 'duty', 'regime', 'service', 'share', 'workItem']);
    expect(r.total).toBe(Object.values(r.counts).reduce((a, b) => a + b, 0));
    for (const g of r.groups) {
      expect(g.hits.length).toBeGreaterThan(0);
      expect(g.hits.length).toBeLessThanOrEqual(r.counts[g.kind]);
      expect(g.label).toMatch(/\p{Script=Han}/u);
      for (let i = 1; i < g.hits.length; i++)
        expect(g.hits[i - 1]!.score).toBeGreaterThanOrEqual(g.hits[i]!.score);
    }
    for (let i = 1; i < r.groups.length; i++) {
      expect(r.groups[i - 1]!.hits[0]!.score).toBeGreaterThanOrEqual(r.groups[i]!.hits[0]!.score);
    }
  });

  it('treats query syntax as text and ignores stray Latin words between Chinese keywords', async () => {
    const both = await search('药店 外资');
    const withAnd = await search('"药店" AND 外资*');
    expect(withAnd.total).toBe(both.total);
    expect(withAnd.groups.map((g) => g.hits.map((h) => h.id))).toEqual(
      both.groups.map((g) => g.hits.map((h) => h.id)),
    );
  });

  it('limits the hits per kind but not the counts', async () => {
    const r = await search('外资', 2);
    expect(r.counts.workItem).toBeGreaterThan(2);
    expect(r.groups.find((g) => g.kind === 'workItem')!.hits).toHaveLength(2);
  });

  it('describes hits with their department, office, portal URL and highlighted snippet', async () => {
    const r = await search('货代');
    expect(r.groups[0]!.hits[0]).toEqual({
      kind: 'workItem',
      id: 18,
      title: '负责全市国际货运代理企业的备案登记',
      snippet: [
        { text: '负责全市', match: false },
        { text: '国际货运代理', match: true },
        { text: '企业的备案登记', match: false },
      ],
      department: '衡水市商务局',
      office: '流通业发展服务贸易和市场体系建设科',
      url: '/duties/3#item-18',
      score: expect.any(Number),
    });
  });

  it('ranks the same records in the same order on SQLite and PostgreSQL', async () => {
    // Both suites run this file; the expected order is the same for both.
    const pharmacy = await hitIds('药店');
    expect(pharmacy.slice(0, 3)).toEqual(['case:1', 'share:1', 'share:2']);
    expect(pharmacy).toContain('workItem:29');
    expect((await hitIds('WTO咨询')).slice(0, 1)).toEqual(['service:2']);
  });
});

describe('snippets', () => {
  it('cut long texts around the matches and flag the matched text', () => {
    const text = `${'甲'.repeat(200)}预付卡管理${'乙'.repeat(200)}`;
    const s = snippet(text, ['预付卡']);
    expect(s[0]!.text.startsWith('…')).toBe(true);
    expect(s[s.length - 1]!.text.endsWith('…')).toBe(true);
    expect(s.find((x) => x.match)).toEqual({ text: '预付卡', match: true });
    expect(s.map((x) => x.text).join('').length).toBeLessThan(100);
  });

  it('highlight the original characters when the query was typed in full width', () => {
    const s = snippet('提供ＷＴＯ事务咨询服务', ['wto']);
    expect(s).toEqual([
      { text: '提供', match: false },
      { text: 'ＷＴＯ', match: true },
      { text: '事务咨询服务', match: false },
    ]);
  });
});
