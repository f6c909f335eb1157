/**
 * Questions for bench/search: at least 2,000 distinct ones, so that a run measures answers the
 * cache has not seen. Made from
 *   - the dev questions: eval/real/questions.dev.json (real-dev) and the dev split of
 *     eval/resolve-questions.json (old-dev) — never a test split;
 *   - the lists' own text (data-bundled/source.txt): every clause of 4–24 characters of a table
 *     cell, asked in a few ways (“…归谁管”, “…找哪个部门” …);
 *   - the synonym table's variants (the words people type), asked the same way.
 * Questions over 200 characters (the API's limit, QueryText) are left out. Deterministic: the
 * same list, in the same shuffled order, on every run.
 */
import { readFileSync } from 'node:fs';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

const TEMPLATES = [
  (x: string) => `${x}归谁管`,
  (x: string) => `${x}找哪个部门`,
  (x: string) => `请问${x}的事找谁`,
  (x: string) => `关于${x}，应该去哪里办`,
];

/** A small seeded PRNG (mulberry32), so the order is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function benchQuestions(): string[] {
  const out = new Set<string>();
  const realDev = JSON.parse(read('../../eval/real/questions.dev.json')) as Array<{ q: string }>;
  const oldDev = (
    JSON.parse(read('../../eval/resolve-questions.json')) as Array<{ q: string; split: string }>
  )
    .filter((q) => q.split === 'dev')
    .map((q) => ({ q: q.q }));
  for (const q of [...realDev, ...oldDev]) out.add(q.q);

  const clauses = new Set<string>();
  for (const line of read('../../data-bundled/source.txt').split('\n')) {
    if (!line.startsWith('\t')) continue;
    for (const part of line.trim().split(/[，、；。,;：:（）()《》]/)) {
      const p = part.trim();
      if (p.length >= 4 && p.length <= 24 && /\p{Script=Han}/u.test(p)) clauses.add(p);
    }
  }
  clauses.forEach((c) => {
    for (const t of TEMPLATES) out.add(t(c));
  });
  const synonyms = JSON.parse(read('../../src/modules/search/vocabulary/synonyms.json')) as Array<{
    variants: Array<{ text: string }>;
  }>;
  for (const e of synonyms)
    for (const v of e.variants) for (const t of TEMPLATES.slice(0, 2)) out.add(t(v.text));

  const list = [...out].filter((q) => [...q].length <= 200);
  const random = prng(20261202);
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}
