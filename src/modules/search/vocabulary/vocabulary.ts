import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The search vocabulary as data (synonyms.json, user-dictionary.json beside this file), each
 * variant and word with where it came from:
 *   - `list`: the word occurs in the source document, at `line` of data-bundled/source.txt;
 *   - `old-eval`: it occurs in these questions of the first evaluation set (eval/resolve-questions.json,
 *     both of whose splits were in view when the table was written: not a held-out source);
 *   - `dev`: it occurs in these questions of the dev split of the real-wording set (eval/real/);
 *   - `dictionary`: a general dictionary or usage source, named in `ref`;
 *   - `correction`: a dispatcher's or reviewer's correction, described in `ref`;
 *   - `unrecorded`: written when the table was first made (stage 1) with no source recorded.
 * A test (vocabulary.test.ts) checks each `list` line, and that no entry's only source is a
 * question of a frozen test split. generic-words.json (words that never clear the no-match threshold
 * alone) and referrals.json (matters outside the lists and where they usually go) follow the same
 * rule.
 */

const Source = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('list'), line: z.number().int().positive() }),
  z.object({ kind: z.literal('old-eval'), questions: z.array(z.string().regex(/^q\d{3}$/)).min(1) }),
  z.object({ kind: z.literal('dev'), questions: z.array(z.string()).min(1) }),
  z.object({ kind: z.literal('dictionary'), ref: z.string().min(1) }),
  z.object({ kind: z.literal('correction'), ref: z.string().min(1) }),
  z.object({ kind: z.literal('unrecorded') }),
]);
export type VocabularySource = z.infer<typeof Source>;

const Variant = z.object({ text: z.string().min(1), sources: z.array(Source).min(1) });

const SynonymEntry = z.object({
  /** The document's own term (occurs verbatim in the source document). */
  canonical: z.string().min(1),
  /** The matter the entry serves, with the parts of the document it comes from. */
  group: z.string().min(1),
  /** The first line of data-bundled/source.txt that contains the canonical term. */
  canonicalLine: z.number().int().positive(),
  note: z.string().optional(),
  variants: z.array(Variant).min(1),
});
export type SynonymEntry = z.infer<typeof SynonymEntry>;

const DictionaryWord = z.object({ word: z.string().min(1), sources: z.array(Source).min(1) });
export type DictionaryWord = z.infer<typeof DictionaryWord>;

const read = (name: string) => JSON.parse(readFileSync(new URL(name, import.meta.url), 'utf8'));

/** Every entry with its provenance (validated when the module loads: a broken file fails at start). */
export const SYNONYM_ENTRIES: readonly SynonymEntry[] = z.array(SynonymEntry).parse(read('./synonyms.json'));
export const DICTIONARY_WORDS: readonly DictionaryWord[] = z
  .array(DictionaryWord)
  .parse(read('./user-dictionary.json'));

/** The shapes the tokenizer uses: canonical term → the words people type for it. */
export const SYNONYMS: ReadonlyArray<{ canonical: string; variants: readonly string[]; note?: string }> =
  SYNONYM_ENTRIES.map((e) => ({
    canonical: e.canonical,
    variants: e.variants.map((v) => v.text),
    note: e.note,
  }));

/** Domain words the tokenizer (jieba) must keep whole. */
export const USER_DICTIONARY: readonly string[] = DICTIONARY_WORDS.map((d) => d.word);

const GenericWord = z.object({ word: z.string().min(1), sources: z.array(Source).min(1) });
export type GenericWord = z.infer<typeof GenericWord>;

/**
 * Words that say what is done or asked (办理, 投诉, 备案, 处罚 …), not what about: they help rank
 * answers but never make a record count as evidence on their own (issue 13 §3).
 */
export const GENERIC_WORDS: readonly GenericWord[] = z.array(GenericWord).parse(read('./generic-words.json'));

const Referral = z.object({
  /** What the matter is (for people: "社会保险"). */
  topic: z.string().min(1),
  /** Words that name the matter in a question. */
  words: z.array(z.string().min(1)).min(1),
  /** The referral applies only when one of these words is in the question too (因私护照 vs 护照). */
  onlyWith: z.array(z.string().min(1)).optional(),
  /** … and never when one of these is (因公, 公派: the bureau's own passports). */
  unless: z.array(z.string().min(1)).optional(),
  /**
   * The words name an act that decides whatever else the question is about (违章 of a 报废车辆 is a
   * traffic matter, 拖欠工资 at a 饭店 a labour matter): the question is declined even when other
   * words match the lists well.
   */
  act: z.boolean().optional(),
  /** Where such matters usually go, as general knowledge (not a department of these lists). */
  goesTo: z.string().min(1),
  sources: z.array(Source).min(1),
});
export type Referral = z.infer<typeof Referral>;

/** Matters outside the lists, with where they usually go and the law or usage that says so. */
export const REFERRALS: readonly Referral[] = z.array(Referral).parse(read('./referrals.json'));

const ShareAct = z.object({
  /** What is done (for people and for the docs). */
  act: z.string().min(1),
  /** Words of a question that ask for this act. */
  questionWords: z.array(z.string().min(1)).min(1),
  /** Words of a boundary share that say its department does it. */
  shareWords: z.array(z.string().min(1)).min(1),
  sources: z.array(Source).min(1),
});
export type ShareAct = z.infer<typeof ShareAct>;

const ShareRules = z.object({
  /** Words that mark a share as the matter's lead share (牵头, 承担…日常工作). */
  leadWords: z.array(z.object({ word: z.string().min(1), sources: z.array(Source).min(1) })).min(1),
  /** Without a lead word, the first share of a matter is its lead (the list names the principal first). */
  firstShareLeads: z.object({ why: z.string().min(1), sources: z.array(Source).min(1) }),
  acts: z.array(ShareAct).min(1),
});

/**
 * How the resolver chooses between the shares of one boundary matter (issue 13 §3): the share that
 * does what the question asks for (the act), else the lead share, before a share that only has
 * more words in common with the question.
 */
export const SHARE_RULES: z.infer<typeof ShareRules> = ShareRules.parse(read('./share-rules.json'));
