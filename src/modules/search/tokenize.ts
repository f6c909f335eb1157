import { Jieba } from '@node-rs/jieba';
import { dict, idf } from '@node-rs/jieba/dict.js';
import { REFERRALS, SYNONYMS, USER_DICTIONARY } from './vocabulary/vocabulary.ts';

/**
 * Chinese tokenisation for the search index and for queries.
 *
 * One normalisation for both sides: Unicode NFKC (full-width Ａ１（ → half-width A1( ), Latin
 * lower-cased. A document becomes a sequence of tokens made of
 *   - jieba search-mode words of three characters or more (两用物项, 预付卡, 单用途商业预付卡 …),
 *   - every pair of adjacent Han characters (bigrams: 药店, 外资, 预付, 付卡 …), so that any
 *     two-character query finds the text that contains it, whatever jieba made of it,
 *   - every single Han character (so that a one-character query still finds something),
 *   - Latin/digit runs (wto, apec, 337, 4s).
 * Every token is made only of letters and digits: SQLite FTS5 `unicode61` and PostgreSQL's
 * `to_tsvector('simple', …)` both split the space-joined token text back into exactly these tokens.
 *
 * A query is cut by jieba into words; question words (找谁, 哪个部门, 怎么办 …) are dropped; each
 * remaining word is a *concept* whose tokens are the word and its bigrams. A colloquial word from
 * the synonym table (超市卡, 加油站, 药店 …) also adds the tokens of its canonical term at a lower
 * weight. Concepts carry a weight from jieba's general-language IDF table, so that common words
 * (东西, 公司, 自己) count little and specific ones (护照, 水管, 发票) count a lot when deciding
 * whether a text answers the question at all.
 */

const HAN = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+/gu;
const LATIN_RUN = /[\p{L}\p{N}]+/gu;
const TOKEN = /^[\p{L}\p{N}]+$/u;

/** NFKC (full-width → half-width), lower-case Latin, whitespace collapsed. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Normalises character by character and keeps, for every character of the result, the index of
 * the source character it came from — snippets highlight the original text, not the normalised one.
 */
export function normalizeWithMap(text: string): { text: string; map: number[] | null } {
  const whole = text.normalize('NFKC').toLowerCase();
  if (whole.length === text.length) {
    // The usual case (Chinese text, half-width Latin): one character for one (map null: identity).
    return { text: whole, map: null };
  }
  let out = '';
  const map: number[] = [];
  let i = 0;
  for (const ch of text) {
    const n = ch.normalize('NFKC').toLowerCase();
    for (let k = 0; k < n.length; k++) map.push(i);
    out += n;
    i += ch.length;
  }
  map.push(i);
  return { text: out, map };
}

const isHan = (s: string): boolean => HAN.test(s);

// ---------------------------------------------------------------------------------------------
// jieba and the general-language IDF table, loaded once per process on first use.

let jiebaInstance: Jieba | null = null;
let idfTable: Map<string, number> | null = null;
let idfMedian = 10;

/** Words jieba must keep whole: the user dictionary and every synonym term (normalised). */
function domainWords(): string[] {
  const words = new Set<string>();
  for (const w of USER_DICTIONARY) words.add(normalizeText(w));
  for (const s of SYNONYMS) {
    words.add(normalizeText(s.canonical));
    for (const v of s.variants) words.add(normalizeText(v));
  }
  return [...words].filter((w) => w.length > 1 && !/\s/.test(w));
}

function jieba(): Jieba {
  if (!jiebaInstance) {
    const j = Jieba.withDict(dict);
    // A high frequency makes jieba prefer the whole domain word over its parts.
    j.loadDict(
      Buffer.from(
        domainWords()
          .map((w) => `${w} 200000`)
          .join('\n'),
        'utf8',
      ),
    );
    jiebaInstance = j;
  }
  return jiebaInstance;
}

function idfs(): Map<string, number> {
  if (!idfTable) {
    const table = new Map<string, number>();
    const values: number[] = [];
    for (const line of Buffer.from(idf).toString('utf8').split('\n')) {
      const sp = line.lastIndexOf(' ');
      if (sp <= 0) continue;
      const v = Number(line.slice(sp + 1));
      if (!Number.isFinite(v)) continue;
      table.set(line.slice(0, sp), v);
      values.push(v);
    }
    values.sort((a, b) => a - b);
    idfMedian = values[Math.floor(values.length / 2)] ?? 10;
    idfTable = table;
  }
  return idfTable;
}

/** Loads jieba and the IDF table now (about half a second) instead of on the first request. */
export function warmTokenizer(): void {
  jieba();
  idfs();
}

/**
 * General-language IDF of a word (jieba's table); unknown words get the table's median, domain
 * words from the synonym table and the user dictionary at least that much.
 */
export function generalIdf(word: string): number {
  const v = idfs().get(word);
  if (v !== undefined) return v;
  return idfMedian;
}

// ---------------------------------------------------------------------------------------------
// Documents

function hanBigrams(run: string, out: string[]): void {
  const chars = [...run];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
}

/** The token sequence stored for a text (duplicates kept: they are term frequencies). */
export function tokenizeDocument(text: string): string[] {
  const norm = normalizeText(text);
  const out: string[] = [];
  if (!norm) return out;
  for (const w of jieba().cutForSearch(norm, true)) {
    if ([...w].length >= 3 && isHan(w) && TOKEN.test(w)) out.push(w);
  }
  for (const m of norm.matchAll(HAN_RUN)) {
    hanBigrams(m[0], out);
    for (const ch of m[0]) out.push(ch);
  }
  for (const m of norm.matchAll(LATIN_RUN)) {
    for (const part of m[0].split(HAN_RUN)) if (part) out.push(part);
  }
  return out;
}

/** Distinct jieba words (search mode, two characters or more) of a text: for comparing texts. */
export function contentWords(text: string): string[] {
  const out = new Set<string>();
  for (const w of jieba().cutForSearch(normalizeText(text), true)) {
    if ([...w].length >= 2 && TOKEN.test(w) && !STOP_WORDS.has(w)) out.add(w);
  }
  return [...out];
}

// ---------------------------------------------------------------------------------------------
// Queries

/** Question words that say nothing about the matter itself. */
const STOP_WORDS = new Set(
  [
    '我 我们 我家 咱 咱们 你 你们 您 他 她 它 他们 她们 人家 别人 想 想要',
    '想问 要 得 的 地 了 吗 呢 啊 吧 呀 嘛 么 哦 呗 找 找谁 谁 谁管 谁来',
    '谁家 哪 哪个 哪些 哪里 哪儿 哪家 哪位 去 去哪 去哪儿 去哪里 到 到哪 该',
    '应该 应当 怎么 怎么办 怎样 怎么样 怎么弄 如何 咋 咋办 咋弄 咋整 啥 什么 是',
    '是不是 不是 有 有没有 没有 能 能不能 可以 可不可以 需要 请问 请 一下 这个',
    '那个 这 那 这种 那种 这样 那样 这些 那些 归 归谁 管 管理部门 部门 科室',
    '单位 机构 科 个 问 问问 问一下 跟 和 与 及 还 也 都 就 在 给 让 被 把',
    '对 从 向 着 过 还是 或者 如果 但是 因为 所以 现在 时候 多少 几 电话 号码',
    '电话号码 联系 联系方式 负责 办 管不管 谁负责 哪个部门 哪个科 哪个科室 一个',
    '一些 有人 有关 相关 关于 市里 衡水 衡水市 本地 咱市 市 这块 那块 这边 那边',
    '方面 一块 东西 事儿 事情 情况 问题 手续 规定 合规 正常 可能 感觉',
  ]
    .join(' ')
    .split(' ')
    .map((w) => normalizeText(w)),
);
/** Characters that jieba sometimes glues onto a word: 想开 → 开, 卖的 → 卖. */
const STRIP_PREFIX = new Set(['想', '我', '找', '请', '要', '去']);
const STRIP_SUFFIX = new Set([
  '的',
  '了',
  '吗',
  '呢',
  '啊',
  '吧',
  '呀',
  '么',
  '嘛',
  '啦',
  '哪',
  '谁',
  '个',
  '里',
]);
/** Question phrases removed before cutting, longest first (jieba would otherwise glue 哪个/科管). */
const STOP_PHRASES = [
  '哪个科室 哪个部门 哪个单位 哪个机构 哪些部门 什么部门 什么单位 哪个局 哪个科',
  '哪一个 归谁管 归哪管 归哪个 由谁 谁来管 谁负责 谁来 谁管 找谁 找哪 去哪儿',
  '去哪里 去哪 在哪里 在哪儿 在哪 怎么办 怎么弄 怎么样 怎么 咋办 咋整 咋弄',
  '有没有 是不是 能不能 可不可以 请问 还用 还要 要不要 用不用 需不需要 办手续',
  '办理手续',
]
  .join(' ')
  .split(' ')
  .map((w) => normalizeText(w))
  .sort((a, b) => b.length - a.length);

interface SynonymEntry {
  canonical: string;
  variant: string;
}

let synonymIndex: { byFirst: Map<string, SynonymEntry[]> } | null = null;

/** Every variant and canonical term, normalised, indexed by first character, longest first. */
function synonyms(): { byFirst: Map<string, SynonymEntry[]> } {
  if (!synonymIndex) {
    const byFirst = new Map<string, SynonymEntry[]>();
    const add = (variant: string, canonical: string) => {
      const v = normalizeText(variant);
      if (!v) return;
      const first = v[0]!;
      const list = byFirst.get(first) ?? [];
      list.push({ canonical: normalizeText(canonical), variant: v });
      byFirst.set(first, list);
    };
    for (const s of SYNONYMS) {
      for (const v of s.variants) add(v, s.canonical);
    }
    for (const list of byFirst.values()) list.sort((a, b) => b.variant.length - a.variant.length);
    synonymIndex = { byFirst };
  }
  return synonymIndex;
}

// ---------------------------------------------------------------------------------------------
// Typo tolerance: a word one character away from a domain word (加由站 → 加油站, 穿销 → 传销).
// No typo table: the domain words themselves (the synonym table's terms and variants and the user
// dictionary, nearly all taken from the lists) are the targets, and a typed word qualifies only
// when it is not a word of jieba's general dictionary, not a domain word, and exactly one domain
// target (after synonyms) lies one substitution away. Pinyin similarity is not used (no pinyin
// dictionary is installed); one substitution between same-length words covers the homophone slips
// people make when typing pinyin (由/油, 穿/传), along with other one-character slips.

/**
 * Shortest and longest typed words considered for a one-character correction. Two-character words
 * are not corrected: on real-dev and old-dev, allowing them turned ordinary bigrams into domain words
 * (old-dev declines 6/6 → 4/6, real-dev office@1 57% → 43%, three search tests failed).
 */
const TYPO_MIN = 3;
const TYPO_MAX = 6;

let typoIndex: Map<string, Set<string>> | null = null;

/** Domain word with one position blanked → the canonical terms it stands for. */
function typos(): Map<string, Set<string>> {
  if (!typoIndex) {
    const index = new Map<string, Set<string>>();
    const add = (word: string, canonical: string) => {
      const chars = [...normalizeText(word)];
      if (chars.length < TYPO_MIN || chars.length > TYPO_MAX || !chars.every((c) => HAN.test(c))) return;
      for (let i = 0; i < chars.length; i++) {
        const key = [...chars.slice(0, i), '?', ...chars.slice(i + 1)].join('');
        const set = index.get(key) ?? new Set<string>();
        set.add(normalizeText(canonical));
        index.set(key, set);
      }
    };
    const canonicalOf = new Map<string, string>();
    for (const s of SYNONYMS) {
      add(s.canonical, s.canonical);
      for (const v of s.variants) {
        add(v, s.canonical);
        canonicalOf.set(normalizeText(v), s.canonical);
      }
    }
    for (const w of USER_DICTIONARY) add(w, canonicalOf.get(normalizeText(w)) ?? w);
    typoIndex = index;
  }
  return typoIndex;
}

/** The one domain term a typed word is a one-character slip of, or null. */
export function typoTarget(word: string): string | null {
  const chars = [...word];
  if (chars.length < TYPO_MIN || chars.length > TYPO_MAX) return null;
  // The cheap checks first (most pieces of a sentence hold a particle or a pronoun).
  if (chars.some((c) => STOP_CHARS.has(c)) || !chars.every((c) => HAN.test(c))) return null;
  if (idfs().has(word) || domainWordSet().has(word) || STOP_WORDS.has(word)) return null;
  const index = typos();
  let only: string | null = null;
  for (let i = 0; i < chars.length; i++) {
    let key = '';
    for (let k = 0; k < chars.length; k++) key += k === i ? '?' : chars[k]!;
    const found = index.get(key);
    if (!found) continue;
    for (const t of found) {
      if (only === null) only = t;
      else if (t !== only) return null;
    }
  }
  return only;
}

/** For tests and debugging: every domain term one substitution away from a typed word. */
export function typoCandidates(word: string): string[] {
  const chars = [...word];
  const out = new Set<string>();
  for (let i = 0; i < chars.length; i++) {
    const key = [...chars.slice(0, i), '?', ...chars.slice(i + 1)].join('');
    for (const t of typos().get(key) ?? []) out.add(t);
  }
  return [...out];
}

let domainSet: Set<string> | null = null;
function domainWordSet(): Set<string> {
  if (!domainSet) domainSet = new Set(domainWords());
  return domainSet;
}

/**
 * One-character words in context (issue 13 §3): a character that ends at least HEAD_MIN of the
 * domain's short words (synonym-table terms and variants of two or three characters), nearly all
 * (HEAD_SHARE) of one term, stands for that term when a question uses it alone — 卡 ends 会员卡,
 * 购物卡, 储值卡, 充值卡 … (14 words, all 单用途商业预付卡). Derived from the table, not listed: with
 * today's table only 卡 qualifies (the next, 展 → 会展, has 6 words but begins most of them).
 */
const HEAD_MIN = 5;
const HEAD_SHARE = 0.9;
let headIndex: Map<string, string> | null = null;
export function headChars(): Map<string, string> {
  if (!headIndex) {
    const by = new Map<string, Map<string, number>>();
    const add = (word: string, canonical: string) => {
      const chars = [...normalizeText(word)];
      if (chars.length < 2 || chars.length > 3 || !chars.every((c) => HAN.test(c))) return;
      const last = chars[chars.length - 1]!;
      const m = by.get(last) ?? new Map<string, number>();
      m.set(normalizeText(canonical), (m.get(normalizeText(canonical)) ?? 0) + 1);
      by.set(last, m);
    };
    for (const s of SYNONYMS) {
      add(s.canonical, s.canonical);
      for (const v of s.variants) add(v, s.canonical);
    }
    headIndex = new Map();
    for (const [c, m] of by) {
      const total = [...m.values()].reduce((a, b) => a + b, 0);
      const [term, n] = [...m.entries()].sort((a, b) => b[1] - a[1])[0]!;
      if (n >= HEAD_MIN && n / total >= HEAD_SHARE) headIndex.set(c, term);
    }
  }
  return headIndex;
}

/**
 * Where, when and who say nothing of which department handles a matter: words jieba tags as place
 * names (ns), person names (nr) or time words (t), and words of three characters or more ending
 * in an administrative unit (区 县 镇 乡 村), are left out of a question — 衡阳市蒸湘区园艺路、石鼓区
 * 一环西路 … 宰杀生猪 is about 宰杀 (real-dev r192), not about the streets. Domain words (开发区) and
 * words of the general dictionary that are not tagged so stay.
 */
const CIRCUMSTANCE_TAGS = new Set(['ns', 'nr', 't']);
const ADMINISTRATIVE_UNITS = new Set([...'区县镇乡村']);
let vocabularyWords: Set<string> | null = null;
let vocabularyText = '';
function isCircumstance(word: string, tag: string): boolean {
  // Words the vocabulary names or contains stay: referral words (上路, which jieba tags as a
  // place), parts of domain words (台湾 of 台湾商人, 深圳 of 深圳高交会).
  if (!vocabularyWords) {
    vocabularyWords = new Set(
      REFERRALS.flatMap((r) => [...r.words, ...(r.onlyWith ?? [])]).map(normalizeText),
    );
    vocabularyText = [...domainWordSet()].join('|');
  }
  if (vocabularyWords.has(word) || vocabularyText.includes(word) || !HAN.test(word)) return false;
  // jieba tags some dictionary words as person names (友好往来/nr); a person's name is not one.
  if (tag === 'nr' && idfs().has(word)) return false;
  if (CIRCUMSTANCE_TAGS.has(tag)) return true;
  const chars = [...word];
  return chars.length >= 3 && ADMINISTRATIVE_UNITS.has(chars[chars.length - 1]!);
}

/** Characters that make a typed string a phrase, not a word (我的, 了, 吗 …): never corrected. */
const STOP_CHARS = new Set([...'的了吗呢啊吧呀么嘛哦我你他她它们是在有和与及或就也都还又被把给让向从对']);

/** One weighted token of a query. */
export interface QueryTerm {
  token: string;
  weight: number;
}

/** A piece of meaning in the query (a word, or a colloquial word with its canonical term). */
export interface QueryConcept {
  /** The word as typed (normalised). */
  text: string;
  /** Canonical term when the word is a synonym-table variant. */
  canonical: string | null;
  /** How much the concept matters when judging whether a text answers the question. */
  weight: number;
  /** Tokens of the word itself: the word (3+ characters) and its bigrams, or a Latin run. */
  tokens: string[];
  /** Tokens of the canonical term (the term and its bigrams), when there is one. */
  canonicalTokens: string[];
  /** Words of three characters or more inside the canonical term (单用途商业预付卡 → 预付卡). */
  canonicalParts: string[];
  /**
   * Weight of each bigram of the word, for partial matches: 报社记者 matched only through 记者 is
   * worth what 记者 is worth, not what the rare compound is worth.
   */
  partWeights: Map<string, number>;
  canonicalPartWeights: Map<string, number>;
}

export interface AnalyzedQuery {
  /** The normalised query. */
  normalized: string;
  concepts: QueryConcept[];
  /** Distinct tokens with their weights (the word's own tokens 1.0, canonical-term tokens 0.7). */
  terms: QueryTerm[];
}

/** Weight of synonym-expanded tokens against the tokens typed by the user. */
export const CANONICAL_WEIGHT = 0.7;

function conceptTokens(word: string): string[] {
  const out = new Set<string>();
  if (isHan(word)) {
    const runs = [...word.matchAll(HAN_RUN)].map((m) => m[0]);
    if ([...word].length >= 3 && TOKEN.test(word)) out.add(word);
    for (const run of runs) {
      if ([...run].length === 1) out.add(run);
      const bi: string[] = [];
      hanBigrams(run, bi);
      for (const b of bi) out.add(b);
    }
    for (const m of word.matchAll(LATIN_RUN)) {
      for (const part of m[0].split(HAN_RUN)) if (part) out.add(part);
    }
  } else {
    for (const m of word.matchAll(LATIN_RUN)) out.add(m[0]);
  }
  return [...out];
}

/** Weight of a concept from the general-language IDF: common words count little. */
function conceptWeight(word: string, canonical: string | null): number {
  const w = normalizeText(word);
  const table = idfs();
  let v = generalIdf(w);
  // A colloquial word weighs what it weighs in general language (举报 is common); one the table
  // does not know (超市卡, 预附卡) weighs what its canonical term weighs.
  if (canonical && !table.has(w)) v = table.has(canonical) ? generalIdf(canonical) : idfMedian;
  // A number says little on its own (1, 2024), a bit more when long (5000 元).
  if (/^\d+$/.test(w)) return Math.min(2, 0.5 * w.length);
  if (!isHan(w)) v = Math.max(v, idfMedian);
  return Math.max(0.2, v - 3);
}

function partWeights(word: string): Map<string, number> {
  const out = new Map<string, number>();
  const chars = [...word];
  for (let i = 0; i + 1 < chars.length; i++) {
    const b = chars[i]! + chars[i + 1]!;
    out.set(b, Math.max(0.2, generalIdf(b) - 3));
  }
  return out;
}

/**
 * Strips particles jieba glued onto a word (想开 → 开, 卖的 → 卖) — never from a word of the general
 * dictionary or a domain word: 网吧 is not 网 + 吧, 去年 not 去 + 年 (real-dev r142 lost 网吧 so).
 */
function stripGlue(word: string): string {
  let w = word;
  const whole = (x: string) => STOP_WORDS.has(x) || idfs().has(x) || domainWordSet().has(x);
  while (w.length > 1 && STRIP_PREFIX.has(w[0]!) && !whole(w)) w = w.slice(1);
  while (w.length > 1 && STRIP_SUFFIX.has(w[w.length - 1]!) && !whole(w)) w = w.slice(0, -1);
  return w;
}

/**
 * Concepts depend only on the word (and its canonical term), so each is built once per process and
 * shared by the queries that contain it (read-only). At most CONCEPT_MEMO words are kept; the memo
 * starts afresh when full.
 */
const CONCEPT_MEMO = 50_000;
const conceptMemo = new Map<string, QueryConcept>();

function memoConcept(key: string, make: () => QueryConcept): QueryConcept {
  let c = conceptMemo.get(key);
  if (!c) {
    if (conceptMemo.size >= CONCEPT_MEMO) conceptMemo.clear();
    c = make();
    conceptMemo.set(key, c);
  }
  return c;
}

/** The concept of a synonym-table variant or a typo span (`canonical` is the variant itself for a term). */
function spanConcept(variant: string, canonical: string): QueryConcept {
  return memoConcept(`s\u0000${variant}\u0000${canonical}`, () => ({
    text: variant,
    canonical: canonical === variant ? null : canonical,
    weight: conceptWeight(variant, canonical),
    tokens: conceptTokens(variant),
    canonicalTokens: canonical === variant ? [] : conceptTokens(canonical),
    partWeights: partWeights(variant),
    canonicalPartWeights: partWeights(canonical),
    canonicalParts: canonical === variant ? [] : canonicalPartsOf(canonical),
  }));
}

/** The concept of a word jieba cut from the rest of the query. */
function wordConcept(word: string): QueryConcept {
  return memoConcept(`w\u0000${word}`, () => ({
    text: word,
    canonical: null,
    weight: conceptWeight(word, null),
    tokens: conceptTokens(word),
    canonicalTokens: [],
    canonicalParts: [],
    partWeights: partWeights(word),
    canonicalPartWeights: new Map(),
  }));
}

/** Cuts a query into concepts and weighted terms. An empty result means nothing to search for. */
export function analyzeQuery(query: string): AnalyzedQuery {
  const normalized = normalizeText(query);
  const concepts: QueryConcept[] = [];
  if (!normalized) return { normalized, concepts, terms: [] };

  // 1. Synonym variants found anywhere in the text, longest first, not overlapping; question
  //    phrases are blanked out (same length, so offsets stay valid).
  let text = normalized;
  for (const p of STOP_PHRASES) if (text.includes(p)) text = text.split(p).join(' '.repeat(p.length));
  const covered = new Array<boolean>(text.length).fill(false);
  const spans: Array<{ start: number; end: number; entry: SynonymEntry }> = [];
  const { byFirst } = synonyms();
  for (let i = 0; i < text.length; i++) {
    if (covered[i]) continue;
    const list = byFirst.get(text[i]!);
    if (!list) continue;
    const hit = list.find((e) => text.startsWith(e.variant, i));
    if (!hit) continue;
    for (let k = i; k < i + hit.variant.length; k++) covered[k] = true;
    spans.push({ start: i, end: i + hit.variant.length, entry: hit });
    i += hit.variant.length - 1;
  }

  // 1b. One-character slips of domain words (typoTarget), longest first, outside those spans and
  //     outside the words jieba knows (超市/老板 are words, so 超市老 is not a slip of 超市卡).
  const known = new Array<boolean>(text.length).fill(false);
  // jieba's tagger cuts exactly as cut(text, true) does (checked on the 4,101 bench questions) and
  // says which words name a place, a person or a time (circumstance words, below).
  const tagged = jieba().tag(text, true);
  const cut = tagged.map((t) => t.word);
  let at = 0;
  for (const w of cut) {
    if (w.length >= 2 && (idfs().has(w) || domainWordSet().has(w))) {
      for (let k = at; k < at + w.length; k++) known[k] = true;
    }
    at += w.length;
  }
  // A piece holding a particle, a pronoun or a character that is not Han is never a slip
  // (typoTarget says null); checked per character once, not per piece. Surrogate halves are left
  // to typoTarget itself.
  const never = new Array<boolean>(text.length);
  for (let k = 0; k < text.length; k++) {
    const code = text.charCodeAt(k);
    const ch = text[k]!;
    never[k] = !(code >= 0xd800 && code <= 0xdfff) && (STOP_CHARS.has(ch) || !HAN.test(ch));
  }
  for (let len = TYPO_MAX; len >= TYPO_MIN; len--) {
    for (let i = 0; i + len <= text.length; i++) {
      let free = true;
      for (let k = i; k < i + len; k++) {
        if (covered[k] || known[k] || never[k]) {
          free = false;
          break;
        }
      }
      if (!free) continue;
      const piece = text.slice(i, i + len);
      const target = typoTarget(piece);
      if (!target) continue;
      for (let k = i; k < i + len; k++) covered[k] = true;
      spans.push({ start: i, end: i + len, entry: { canonical: target, variant: piece } });
    }
  }

  // 2. jieba words outside those spans, minus question words and glued particles.
  const words: Array<{ start: number; word: string }> = [];
  // Circumstance words are left out only when something else is asked: a question made of nothing
  // but such words (友好往来, which jieba tags as a time word) keeps them.
  const circumstance = cut.map((w, wi) => isCircumstance(w, tagged[wi]!.tag));
  const onlyCircumstance =
    spans.length === 0 &&
    cut.every((w, wi) => circumstance[wi] || !TOKEN.test(w) || STOP_WORDS.has(w) || [...w].length < 2);
  let offset = 0;
  for (const [wi, w] of cut.entries()) {
    const start = offset;
    offset += w.length;
    if (circumstance[wi] && !onlyCircumstance) continue;
    let piece = '';
    let pieceStart = start;
    const flush = () => {
      if (piece) words.push({ start: pieceStart, word: piece });
      piece = '';
    };
    for (let k = 0; k < w.length; k++) {
      if (covered[start + k]) {
        flush();
        pieceStart = start + k + 1;
      } else {
        if (!piece) pieceStart = start + k;
        piece += w[k];
      }
    }
    flush();
  }
  const ordered: Array<{ start: number; concept: QueryConcept }> = [];
  for (const s of spans) {
    ordered.push({ start: s.start, concept: spanConcept(s.entry.variant, s.entry.canonical) });
  }
  const contentWords = words
    .map((w) => ({ start: w.start, word: stripGlue(w.word.trim()) }))
    .filter((w) => w.word && TOKEN.test(w.word) && !STOP_WORDS.has(w.word));
  const multiChar = contentWords.filter((w) => [...w.word].length >= 2 || !isHan(w.word));
  // A one-character query (油, 酒) is kept as it is; single characters are dropped otherwise.
  const kept = multiChar.length > 0 || spans.length > 0 ? multiChar : contentWords;
  for (const w of kept) ordered.push({ start: w.start, concept: wordConcept(w.word) });
  // A one-character word that heads the domain's words for one thing stands for it in context:
  // 卡 in 洗车店办的卡 / 卡里还剩 is the prepaid card (headChars()).
  if (kept !== contentWords) {
    for (const w of contentWords) {
      const head = [...w.word].length === 1 ? headChars().get(w.word) : undefined;
      if (head) ordered.push({ start: w.start, concept: spanConcept(w.word, head) });
    }
  }
  ordered.sort((a, b) => a.start - b.start);
  // One concept per meaning: 会展公司 (→ 会展) and a later plain 会展 are the same thing.
  const canonicals = new Set(ordered.map((o) => o.concept.canonical).filter((c): c is string => c !== null));
  const seen = new Set<string>();
  for (const o of ordered) {
    const c = o.concept;
    if (seen.has(c.text) || c.tokens.length === 0) continue;
    if (c.canonical === null && canonicals.has(c.text)) continue;
    seen.add(c.text);
    concepts.push(c);
  }

  // 3. Terms: the typed tokens at full weight, canonical-term tokens lower.
  const weights = new Map<string, number>();
  for (const c of concepts) {
    for (const t of c.tokens) weights.set(t, 1);
    for (const t of [...c.canonicalTokens, ...c.canonicalParts])
      if (!weights.has(t)) weights.set(t, CANONICAL_WEIGHT);
  }
  const terms = [...weights.entries()].map(([token, weight]) => ({ token, weight }));
  return { normalized, concepts, terms };
}

function distinct<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** Words of three characters or more inside a canonical term (the dictionary's, so kept per term). */
const partsOfCanonical = new Map<string, string[]>();
function canonicalPartsOf(canonical: string): string[] {
  let parts = partsOfCanonical.get(canonical);
  if (!parts) {
    parts = distinct(jieba().cutForSearch(canonical, true)).filter(
      (w) => w !== canonical && [...w].length >= 3 && TOKEN.test(w),
    );
    partsOfCanonical.set(canonical, parts);
  }
  return [...parts];
}
