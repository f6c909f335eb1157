import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { resolveQuestion } from './index.ts';
import { analyzeQuery, headChars } from './tokenize.ts';

/**
 * Generic methods of issue 13 §3 added while tuning on the dev splits (docs/search.md "Tuning"):
 * words are not cut into particles, one-character words stand for the domain term they head,
 * where/when/who words are left out, and generic words weigh less in the ranking.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ seed: true });
});
afterAll(async () => {
  await t.close();
});

const first = async (q: string) => (await resolveQuestion(t.database.db, t.database.dialect, q)).answers[0];
const texts = (q: string) => analyzeQuery(q).concepts.map((c) => c.text);

describe('question analysis', () => {
  it('keeps dictionary and domain words whole instead of stripping a particle-like end (网吧, 要求)', () => {
    expect(texts('办理网吧经营许可证需要哪些手续')).toContain('网吧');
    expect(texts('废旧电池回收对回收站点有要求吗')).toContain('要求');
    // A glued particle on an unknown piece still goes: 想开 → 开 (then dropped as one character).
    expect(texts('我想开药店')).not.toContain('想开');
  });

  it('reads a lone 卡 as the prepaid card it heads in the synonym table, only in context', () => {
    expect(headChars().get('卡')).toBe('单用途商业预付卡');
    const card = analyzeQuery('洗车店办的卡不给用了').concepts.find((c) => c.text === '卡');
    expect(card?.canonical).toBe('单用途商业预付卡');
    // A character heading words of several terms is not read so (展 begins most of its words).
    expect(headChars().has('展')).toBe(false);
  });

  it('leaves out place, person and time words, but not domain or referral words', () => {
    const words = texts('衡阳市蒸湘区园艺路、石鼓区一环西路附近,每天晚上都有人半夜宰杀生猪');
    expect(words).not.toContain('衡阳市');
    expect(words).not.toContain('蒸湘区');
    expect(words).not.toContain('石鼓区');
    expect(words).toContain('宰杀');
    expect(words).toContain('生猪');
    expect(texts('开发区东山花园后门的废品回收站')).toContain('开发区');
    expect(texts('报废车辆上路处罚规定')).toContain('上路');
    // jieba tags the dictionary word 友好往来 as a person's name; a part of a domain word (台湾 of
    // 台湾商人) is kept too.
    expect(texts('友好往来')).toContain('友好往来');
    expect(texts('台湾来的老板想投资')).toContain('台湾');
  });
});

describe('resolveQuestion with the generic methods', () => {
  it('answers 网吧 licences with the culture bureau, 拍卖 licences with the office of the 拍卖 regime', async () => {
    expect((await first('办理网吧经营许可证需要哪些手续'))?.department).toBe('市文化广电和旅游局');
    expect(await first('办理拍卖许可证在哪里办?')).toMatchObject({
      department: '衡水市商务局',
      office: '流通业发展服务贸易和市场体系建设科',
    });
  });

  it('is not led off by street names: private slaughter goes to the agriculture bureau', async () => {
    expect(
      (
        await first(
          '衡阳市蒸湘区园艺路、石鼓区一环西路和珠晖区东阳渡镇附近,每天晚上都有人半夜屠滥宰杀生猪送往市场',
        )
      )?.department,
    ).toBe('市农业农村局');
  });

  it('still declines a scrapped car on the road (a referral word jieba tags as a place)', async () => {
    const r = await resolveQuestion(t.database.db, t.database.dialect, '报废车辆上路处罚规定');
    expect(r.answers).toEqual([]);
    expect(r.referral).toBeDefined();
  });
});
