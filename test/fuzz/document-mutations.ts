import { decodeDocument } from '../../src/importer/decode.ts';
import { ImportError } from '../../src/importer/errors.ts';
import type { ParsedDocument } from '../../src/importer/model.ts';
import { parseDocument } from '../../src/importer/parse.ts';

/**
 * Seeded mutations of a document and the oracle that judges the importer on each (used by
 * test/importer-fuzz.test.ts and `npm run fuzz`). A mutation is reproducible from (seed, index).
 *
 * The oracle: the mutated document is either refused with the importer's own error naming a line,
 * or accepted with exactly the records its unmutated parts imply — every record of the original
 * whose lines (and their neighbours) the mutation did not touch is there, unchanged, on the same
 * lines; every record read is one of those or stands on touched lines. Anything else — another
 * exception, a record changed or invented from untouched lines, a record of untouched lines lost —
 * is a failure. Table records are judged row by row; a regime (free text) as a whole.
 */

// ---------------------------------------------------------------------------------------
// Randomness

export type Rng = () => number;

/** mulberry32: small, fast, good enough for choosing mutations. */
export function rngFor(seed: number, index: number): Rng {
  let a = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (rng: Rng, n: number) => Math.floor(rng() * n);
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[int(rng, xs.length)]!;

// ---------------------------------------------------------------------------------------
// Mutations

export interface Mutation {
  name: string;
  text: string;
  /** For each line of the mutated text (0-based), the original line (0-based) or null for a new one. */
  origin: Array<number | null>;
  /** Original lines (0-based) the mutation touched, neighbours included. */
  touched: Set<number>;
}

/** Characters a mutation inserts: the document's own punctuation, whitespace of every kind, invisibles. */
const POOL = [
  '、',
  '，',
  '；',
  '（',
  '）',
  '(',
  ')',
  '\t',
  ' ',
  '\u00a0',
  '\u3000',
  '\u200b',
  '\u200d',
  '\u00ad',
  '\u202e',
  '\ufeff',
  '1',
  '9',
  '0',
  '。',
  '：',
  '一',
  '十',
  '《',
  '》',
  '和',
  '市',
  '局',
  '科',
  '室',
  '各',
  'a',
  '表',
];

const KINDS = [
  'delete-line',
  'duplicate-line',
  'swap-lines',
  'insert-blank',
  'delete-block',
  'truncate-lines',
  'truncate-chars',
  'delete-char',
  'insert-char',
  'replace-char',
  'toggle-tab',
  'move-line',
  'duplicate-block',
  'blank-line',
] as const;

function touchRange(set: Set<number>, from: number, to: number, max: number): void {
  for (let i = Math.max(0, from - 1); i <= Math.min(max - 1, to + 1); i++) set.add(i);
}

/** Mutation `index` of the document `lines` under `seed`. */
export function mutate(lines: readonly string[], seed: number, index: number): Mutation {
  const rng = rngFor(seed, index);
  const n = lines.length;
  const kind = pick(rng, KINDS);
  const k = int(rng, n);
  const out = [...lines];
  const origin: Array<number | null> = lines.map((_, i) => i);
  const touched = new Set<number>();
  const chars = (s: string) => Array.from(s);
  let name: string = kind;
  switch (kind) {
    case 'delete-line':
      out.splice(k, 1);
      origin.splice(k, 1);
      touchRange(touched, k, k, n);
      name = `delete line ${k + 1}`;
      break;
    case 'duplicate-line':
      out.splice(k, 0, lines[k]!);
      origin.splice(k, 0, null);
      touchRange(touched, k, k, n);
      name = `duplicate line ${k + 1}`;
      break;
    case 'swap-lines': {
      const j = Math.min(n - 1, k + 1);
      out[k] = lines[j]!;
      out[j] = lines[k]!;
      origin[k] = null;
      origin[j] = null;
      touchRange(touched, k, j, n);
      name = `swap lines ${k + 1} and ${j + 1}`;
      break;
    }
    case 'insert-blank':
      out.splice(k, 0, '');
      origin.splice(k, 0, null);
      touchRange(touched, k - 1, k, n);
      name = `insert a blank line before line ${k + 1}`;
      break;
    case 'delete-block': {
      const len = 2 + int(rng, 7);
      out.splice(k, len);
      origin.splice(k, len);
      touchRange(touched, k, k + len - 1, n);
      name = `delete lines ${k + 1}–${k + len}`;
      break;
    }
    case 'truncate-lines':
      out.splice(k);
      origin.splice(k);
      out.push('');
      origin.push(null);
      touchRange(touched, k, n - 1, n);
      name = `cut after line ${k}`;
      break;
    case 'truncate-chars': {
      const cs = chars(lines[k]!);
      const at = int(rng, cs.length + 1);
      out.splice(k + 1);
      origin.splice(k + 1);
      out[k] = cs.slice(0, at).join('');
      touchRange(touched, k, n - 1, n);
      name = `cut inside line ${k + 1} at character ${at}`;
      break;
    }
    case 'delete-char':
    case 'insert-char':
    case 'replace-char': {
      const cs = chars(lines[k]!);
      const at = int(rng, cs.length + (kind === 'insert-char' ? 1 : 0));
      const ch = pick(rng, POOL);
      if (kind === 'delete-char') cs.splice(at, 1);
      else if (kind === 'insert-char') cs.splice(at, 0, ch);
      else cs.splice(at, 1, ch);
      out[k] = cs.join('');
      touchRange(touched, k, k, n);
      name = `${kind} at line ${k + 1}:${at}${kind === 'delete-char' ? '' : ` ${JSON.stringify(ch)}`}`;
      break;
    }
    case 'toggle-tab':
      out[k] = lines[k]!.startsWith('\t') ? lines[k]!.slice(1) : `\t${lines[k]}`;
      touchRange(touched, k, k, n);
      name = `toggle the TAB of line ${k + 1}`;
      break;
    case 'blank-line':
      out[k] = '';
      touchRange(touched, k, k, n);
      name = `blank line ${k + 1}`;
      break;
    case 'move-line': {
      const to = int(rng, n);
      const [line] = out.splice(k, 1);
      origin.splice(k, 1);
      const at = Math.min(to, out.length);
      out.splice(at, 0, line!);
      origin.splice(at, 0, null);
      touchRange(touched, k, k, n);
      const prevOrig = origin[at - 1] ?? 0;
      const nextOrig = origin[at + 1] ?? n - 1;
      touchRange(touched, prevOrig ?? 0, nextOrig ?? n - 1, n);
      name = `move line ${k + 1} to ${at + 1}`;
      break;
    }
    case 'duplicate-block': {
      const len = 2 + int(rng, 7);
      const block = lines.slice(k, k + len);
      out.splice(k + block.length, 0, ...block);
      origin.splice(k + block.length, 0, ...block.map(() => null));
      touchRange(touched, k, k + block.length, n);
      name = `repeat lines ${k + 1}–${k + block.length}`;
      break;
    }
  }
  return { name, text: out.join('\n'), origin, touched };
}

// ---------------------------------------------------------------------------------------
// The oracle

interface Rec {
  key: string;
  /** 0-based line range [from, to]. */
  from: number;
  to: number;
}

/**
 * The records of a parsed document, each with its content key and its lines (0-based), the
 * blank lines after a record counted as its own (a blank line that becomes text joins it).
 */
export function recordsOf(doc: ParsedDocument, lines: readonly string[]): Rec[] {
  const out: Rec[] = [];
  const add = (list: string, content: unknown, from: number, to: number) => {
    let end = to - 1;
    while (end + 1 < lines.length && lines[end + 1]!.trim() === '') end++;
    out.push({ key: JSON.stringify([list, content]), from: from - 1, to: end });
  };
  for (const l of doc.lists) {
    const dept = l.department;
    for (const d of l.duties) {
      const first = d.items[0];
      const firstEnd = first && first.lineStart === d.lineStart ? first.lineEnd : d.lineStart;
      add('duty', [dept, d.seq, d.text], d.lineStart, firstEnd);
      for (const it of d.items)
        add('item', [dept, d.seq, it.text, it.officeText, it.offices, it.remark], it.lineStart, it.lineEnd);
    }
    for (const m of l.matters) {
      const first = m.shares[0];
      const firstEnd = first && first.lineStart === m.lineStart ? first.lineEnd : m.lineStart;
      add('matter', [dept, m.seq, m.name], m.lineStart, firstEnd);
      for (const s of m.shares)
        add('share', [dept, m.seq, s.department, s.departmentText, s.text], s.lineStart, s.lineEnd);
      for (const b of m.legalBases) add('basis', [dept, m.seq, b.text, b.docNumber], b.lineStart, b.lineEnd);
      for (const c of m.cases) add('case', [dept, m.seq, c.text], c.lineStart, c.lineEnd);
    }
    l.regimes.forEach((r, i) => {
      const body = r.sections.map((s) => [s.heading, s.kinds, s.paragraphs.map((p) => p.text)]);
      // Free text: a regime owns every line up to the next regime's title.
      const next = l.regimes[i + 1];
      add(
        'regime',
        [dept, r.seq, r.label, r.title, r.intro, body, r.checkItems.map((c) => c.text)],
        r.lineStart,
        next ? next.lineStart - 1 : r.lineEnd,
      );
    });
    for (const s of l.services)
      add(
        'service',
        [dept, s.seq, s.name, s.content, s.officeText, s.offices, s.phoneText, s.phones],
        s.lineStart,
        s.lineEnd,
      );
  }
  return out;
}

export type Verdict =
  | { outcome: 'refused'; code: string; line: number | null }
  | { outcome: 'accepted'; identical: boolean }
  | { outcome: 'crash'; detail: string }
  | { outcome: 'silent-change'; detail: string };

/** Judges the importer on one mutation of the document whose records are `original`. */
export function judge(original: readonly Rec[], m: Mutation): Verdict {
  let doc: ParsedDocument;
  let text: string;
  try {
    text = decodeDocument(Buffer.from(m.text, 'utf8')).text;
    doc = parseDocument(text);
  } catch (e) {
    if (e instanceof ImportError) {
      const line = e.line;
      if (line === null && !('offset' in e))
        return { outcome: 'crash', detail: `refused without a line: ${e.message}` };
      if (line !== null && (line < 1 || line > m.origin.length + 1))
        return { outcome: 'crash', detail: `refused naming line ${line}, outside the document` };
      return { outcome: 'refused', code: e.code, line };
    }
    return {
      outcome: 'crash',
      detail: e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e),
    };
  }
  const untouched = new Map<string, number>();
  const id = (r: Rec) => `${r.key}@${r.from}-${r.to}`;
  for (const r of original) {
    let hit = false;
    for (let i = r.from; i <= r.to && !hit; i++) hit = m.touched.has(i);
    if (!hit) untouched.set(id(r), (untouched.get(id(r)) ?? 0) + 1);
  }
  const problems: string[] = [];
  const read = recordsOf(doc, text.split('\n'));
  for (const r of read) {
    // The record's lines, as lines of the original.
    let clean = true;
    let prev: number | null = null;
    for (let i = r.from; i <= r.to; i++) {
      const o = m.origin[i];
      if (o === null || o === undefined || m.touched.has(o) || (prev !== null && o !== prev + 1))
        clean = false;
      prev = o ?? null;
    }
    if (!clean) continue;
    const mapped = id({ key: r.key, from: m.origin[r.from]!, to: m.origin[r.to]! });
    const left = untouched.get(mapped) ?? 0;
    if (left > 0) untouched.set(mapped, left - 1);
    else
      problems.push(
        `read from untouched lines ${m.origin[r.from]! + 1}–${m.origin[r.to]! + 1} but not in the original: ${r.key.slice(0, 160)}`,
      );
  }
  for (const [k, left] of untouched) if (left > 0) problems.push(`lost or changed: ${k.slice(0, 160)}`);
  if (problems.length > 0) return { outcome: 'silent-change', detail: problems.slice(0, 5).join('\n') };
  return { outcome: 'accepted', identical: read.length === original.length };
}

export interface FuzzTally {
  total: number;
  refused: number;
  accepted: number;
  acceptedIdentical: number;
  crashes: number;
  silentChanges: number;
  failures: Array<{ index: number; mutation: string; verdict: Verdict }>;
}

export function emptyTally(): FuzzTally {
  return {
    total: 0,
    refused: 0,
    accepted: 0,
    acceptedIdentical: 0,
    crashes: 0,
    silentChanges: 0,
    failures: [],
  };
}

/** Runs mutations [from, to) of `lines` under `seed` into `tally`. */
export function runMutations(
  lines: readonly string[],
  original: readonly Rec[],
  seed: number,
  from: number,
  to: number,
  tally: FuzzTally,
  onEach?: (index: number) => void,
): void {
  for (let i = from; i < to; i++) {
    onEach?.(i);
    const m = mutate(lines, seed, i);
    const v = judge(original, m);
    tally.total++;
    if (v.outcome === 'refused') tally.refused++;
    else if (v.outcome === 'accepted') {
      tally.accepted++;
      if (v.identical) tally.acceptedIdentical++;
    } else {
      if (v.outcome === 'crash') tally.crashes++;
      else tally.silentChanges++;
      if (tally.failures.length < 50) tally.failures.push({ index: i, mutation: m.name, verdict: v });
    }
  }
}
