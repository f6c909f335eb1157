import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeQuery, normalizeText } from '../tokenize.ts';
import {
  DICTIONARY_WORDS,
  GENERIC_WORDS,
  REFERRALS,
  SHARE_RULES,
  SYNONYM_ENTRIES,
  SYNONYMS,
  USER_DICTIONARY,
  type VocabularySource,
} from './vocabulary.ts';

// The bundled, byte-for-byte copy of the source document (the authority on every term).
const source = readFileSync(new URL('../../../../data-bundled/source.txt', import.meta.url), 'utf8');

describe('SYNONYMS', () => {
  it('has at least 60 entries', () => {
    expect(SYNONYMS.length).toBeGreaterThanOrEqual(60);
  });

  it('uses only canonical terms that occur verbatim in the source document', () => {
    const missing = SYNONYMS.map((entry) => entry.canonical).filter((term) => !source.includes(term));
    expect(missing).toEqual([]);
  });

  it('lists each canonical term in one entry only', () => {
    const seen = new Set<string>();
    const duplicates: string[] = [];
    for (const { canonical } of SYNONYMS) {
      if (seen.has(canonical)) duplicates.push(canonical);
      seen.add(canonical);
    }
    expect(duplicates).toEqual([]);
  });

  it('never maps one variant to two different canonical terms', () => {
    const owner = new Map<string, string>();
    const conflicts: string[] = [];
    for (const { canonical, variants } of SYNONYMS) {
      for (const variant of variants) {
        const previous = owner.get(variant);
        if (previous !== undefined && previous !== canonical) {
          conflicts.push(`${variant}: ${previous} / ${canonical}`);
        }
        owner.set(variant, canonical);
      }
    }
    expect(conflicts).toEqual([]);
  });

  it('never uses a canonical term as a variant, nor repeats a variant within an entry', () => {
    const canonicals = new Set(SYNONYMS.map((entry) => entry.canonical));
    for (const { canonical, variants } of SYNONYMS) {
      expect(variants.length, canonical).toBeGreaterThan(0);
      expect(new Set(variants).size, canonical).toBe(variants.length);
      expect(variants.filter((variant) => canonicals.has(variant))).toEqual([]);
      expect(variants.every((variant) => variant.trim() === variant && variant.length > 0)).toBe(true);
    }
  });

  it('turns everyday words inside a question into the document terms (through the tokenizer)', () => {
    const cases: Array<[string, string]> = [
      ['超市卖的购物卡能退吗', '单用途商业预付卡'],
      ['小区门口的加油站少加油', '成品油零售'],
      ['家里有辆报废车想卖掉', '报废汽车'],
      ['楼下药店卖假药', '药品流通'],
      ['想开一家当铺', '典当'],
    ];
    for (const [question, canonical] of cases) {
      const concepts = analyzeQuery(question).concepts;
      expect(
        concepts.map((c) => c.canonical),
        question,
      ).toContain(normalizeText(canonical));
    }
  });
});

describe('USER_DICTIONARY', () => {
  it('has at least 60 words, none repeated', () => {
    expect(USER_DICTIONARY.length).toBeGreaterThanOrEqual(60);
    expect(new Set(USER_DICTIONARY).size).toBe(USER_DICTIONARY.length);
  });

  it('contains only words that occur verbatim in the source document', () => {
    expect(USER_DICTIONARY.filter((word) => !source.includes(word))).toEqual([]);
  });

  it('lists the key domain words in the dictionary (that jieba keeps them whole is tested in search.test.ts)', () => {
    for (const word of [
      '预付卡',
      '单用途商业预付卡',
      '成品油',
      '再生资源',
      '开发区',
      '招商引资',
      '报废汽车',
    ]) {
      expect(USER_DICTIONARY).toContain(word);
    }
    for (const word of ['外商投资', '服务外包', '高交会']) {
      expect(USER_DICTIONARY).toContain(word);
    }
  });
});

describe('provenance of the vocabulary', () => {
  const lines = source.split('\n');
  const norm = (s: string) => s.normalize('NFKC').toLowerCase();
  const oldQuestions = JSON.parse(
    readFileSync(new URL('../../../../eval/resolve-questions.json', import.meta.url), 'utf8'),
  ) as Array<{ id: string; q: string; split: 'dev' | 'test' }>;
  const oldEval = new Map(oldQuestions.map((q) => [q.id, norm(q.q)]));
  const oldTest = new Set(oldQuestions.filter((q) => q.split === 'test').map((q) => q.id));
  // The real set's dev split only: its test split (eval/real/questions.test.json) is not read here.
  // A `dev` source must cite ids of this file; any other id (a test id) makes the source invalid.
  const realDev = new Map(
    (
      JSON.parse(
        readFileSync(new URL('../../../../eval/real/questions.dev.json', import.meta.url), 'utf8'),
      ) as Array<{ id: string; q: string }>
    ).map((q) => [q.id, norm(q.q)]),
  );
  const everyEntry = (): Array<{ text: string; sources: readonly VocabularySource[] }> => [
    ...SYNONYM_ENTRIES.flatMap((e) => e.variants),
    ...DICTIONARY_WORDS.map((d) => ({ text: d.word, sources: d.sources })),
  ];
  // Generic words and referrals: each word must be found in the dev questions its sources cite.
  const everyRule = (): Array<{ text: string; sources: readonly VocabularySource[] }> => [
    ...GENERIC_WORDS.map((g) => ({ text: g.word, sources: g.sources })),
    ...REFERRALS.map((r) => ({ text: r.topic, sources: r.sources })),
    ...SHARE_RULES.leadWords.map((l) => ({ text: l.word, sources: l.sources })),
    { text: 'firstShareLeads', sources: SHARE_RULES.firstShareLeads.sources },
    ...SHARE_RULES.acts.map((a) => ({ text: a.act, sources: a.sources })),
  ];

  it('cites, for every canonical term, a line of the source document that contains it', () => {
    const wrong = SYNONYM_ENTRIES.filter((e) => !lines[e.canonicalLine - 1]?.includes(e.canonical));
    expect(wrong.map((e) => `${e.canonical}@${e.canonicalLine}`)).toEqual([]);
  });

  it('cites list lines that contain the word, and old-eval questions that contain it', () => {
    const wrong: string[] = [];
    for (const { text, sources } of everyEntry()) {
      for (const s of sources) {
        if (s.kind === 'list' && !lines[s.line - 1]?.includes(text)) wrong.push(`${text}: line ${s.line}`);
        if (s.kind === 'old-eval') {
          for (const id of s.questions)
            if (!oldEval.get(id)?.includes(norm(text))) wrong.push(`${text}: ${id}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('names every word the document contains as a list word (no entry hides that it comes from the lists)', () => {
    const missing = everyEntry()
      .filter(({ text, sources }) => source.includes(text) && !sources.some((s) => s.kind === 'list'))
      .map((e) => e.text);
    expect(missing).toEqual([]);
  });

  it('cites dev sources only from the real dev split, and only questions that contain the word', () => {
    const wrong: string[] = [];
    for (const { text, sources } of everyEntry()) {
      for (const s of sources) {
        if (s.kind !== 'dev') continue;
        for (const id of s.questions) {
          const q = realDev.get(id);
          if (q === undefined) wrong.push(`${text}: ${id} is not a question of eval/real/questions.dev.json`);
          else if (!q.includes(norm(text))) wrong.push(`${text}: ${id} does not contain it`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('cites, for generic words and referrals, dev questions that contain the word (for a referral, one of its words)', () => {
    const wrong: string[] = [];
    for (const g of GENERIC_WORDS)
      for (const s of g.sources)
        if (s.kind === 'dev')
          for (const id of s.questions)
            if (!realDev.get(id)?.includes(norm(g.word))) wrong.push(`${g.word}: ${id}`);
    for (const r of REFERRALS)
      for (const s of r.sources)
        if (s.kind === 'dev')
          for (const id of s.questions)
            if (!r.words.some((w) => realDev.get(id)?.includes(norm(w)))) wrong.push(`${r.topic}: ${id}`);
    expect(wrong).toEqual([]);
  });

  it('cites, for the share rules, list lines that contain the lead word, and questions that contain an act word', () => {
    const wrong: string[] = [];
    for (const l of SHARE_RULES.leadWords)
      for (const s of l.sources)
        if (s.kind === 'list' && !lines[s.line - 1]?.includes(l.word))
          wrong.push(`${l.word}: line ${s.line}`);
    for (const a of SHARE_RULES.acts) {
      const has = (q: string | undefined) => a.questionWords.some((w) => q?.includes(norm(w)));
      for (const s of a.sources) {
        if (s.kind === 'list' && !has(lines[s.line - 1])) wrong.push(`${a.act}: line ${s.line}`);
        if (s.kind === 'dev')
          for (const id of s.questions) if (!has(realDev.get(id))) wrong.push(`${a.act}: ${id}`);
        if (s.kind === 'old-eval')
          for (const id of s.questions) if (!has(oldEval.get(id))) wrong.push(`${a.act}: ${id}`);
      }
      // What a share says it does is the lists' own wording.
      for (const w of a.shareWords) if (!source.includes(w)) wrong.push(`${a.act}: ${w} not in the lists`);
    }
    expect(wrong).toEqual([]);
  });

  it('has no entry whose only source is a question of a test split (old test split or real test split)', () => {
    // A source counts as test-only when every question it cites is outside the dev splits: an
    // old-eval source citing only old test questions, or a dev source citing an id that is not in
    // the real dev file (the test split's ids are exactly the other ids).
    const testOnly = (s: VocabularySource): boolean =>
      (s.kind === 'old-eval' && s.questions.every((id) => oldTest.has(id))) ||
      (s.kind === 'dev' && s.questions.every((id) => !realDev.has(id)));
    const offenders = [...everyEntry(), ...everyRule()]
      .filter(({ sources }) => sources.every(testOnly))
      .map((e) => e.text);
    expect(offenders).toEqual([]);
  });
});
