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
 * question of a frozen test split.
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
