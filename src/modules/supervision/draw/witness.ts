/**
 * The witness of version 2: its canonical form and the published rule that turns what was typed into
 * it (docs/draws.md "Witness"), so that the spelling of a lottery result cannot change a draw.
 *
 *   canonical witness = witnessSource ":" witnessReference ":" value
 *
 * `groups:6@1-33,1@1-16` (双色球): NFKC; every maximal run of ASCII digits is a number, everything
 * else separates; a first run equal to the reference (the 期号 typed along) is dropped; then exactly
 * 6 + 1 numbers, each group in its range and without repeats, sorted ascending, zero-padded to the
 * width of the group's maximum, joined by "," within and "+" between groups: `02,09,14,21,27,33+08`.
 * `hex:64` (a beacon): NFKC, white space removed, lower case, an optional `0x` removed, then exactly 64
 * hexadecimal digits.
 */
import { DrawError } from './errors.ts';
import type { DrawParametersV2 } from './types.ts';

export interface NumberGroup {
  count: number;
  min: number;
  max: number;
}

export type WitnessFormat = { kind: 'groups'; groups: NumberGroup[] } | { kind: 'hex'; length: number };

/** The format named by a `witnessFormat` text, or null when the text is not a valid format. */
export function parseWitnessFormat(text: string): WitnessFormat | null {
  const hex = /^hex:([1-9][0-9]{0,2})$/.exec(text);
  if (hex) return Number(hex[1]) <= 128 ? { kind: 'hex', length: Number(hex[1]) } : null;
  const groups = /^groups:(.+)$/.exec(text);
  if (!groups) return null;
  const parts = groups[1]!.split(',');
  if (parts.length > 9) return null;
  const out: NumberGroup[] = [];
  for (const part of parts) {
    const m = /^([1-9][0-9]?)@(0|[1-9][0-9]{0,2})-(0|[1-9][0-9]{0,2})$/.exec(part);
    if (!m) return null;
    const [count, min, max] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (min > max || count > max - min + 1) return null;
    out.push({ count, min, max });
  }
  return { kind: 'groups', groups: out };
}

export type Normalised = { ok: true; value: string } | { ok: false; zh: string; en: string };

const fail = (zh: string, en: string): Normalised => ({ ok: false, zh, en });

function normaliseGroups(groups: NumberGroup[], reference: string, text: string): Normalised {
  const runs = text.match(/[0-9]+/g) ?? [];
  const total = groups.reduce((sum, g) => sum + g.count, 0);
  if (runs.length === total + 1 && runs[0] === reference) runs.shift();
  if (runs.length !== total) {
    return fail(
      `见证值应为${total}个号码（${groups.map((g) => g.count).join('+')}），读到${runs.length}个`,
      `the witness must have ${total} numbers, found ${runs.length}`,
    );
  }
  const written: string[] = [];
  let at = 0;
  for (const [k, group] of groups.entries()) {
    const numbers = runs.slice(at, at + group.count).map(Number);
    at += group.count;
    const outside = numbers.find((n) => n < group.min || n > group.max);
    if (outside !== undefined) {
      return fail(
        `第${k + 1}组号码 ${outside} 不在 ${group.min}–${group.max} 之内`,
        `number ${outside} of group ${k + 1} is outside ${group.min}-${group.max}`,
      );
    }
    if (new Set(numbers).size !== numbers.length) {
      return fail(`第${k + 1}组号码有重复`, `group ${k + 1} repeats a number`);
    }
    const width = String(group.max).length;
    written.push(
      numbers
        .sort((a, b) => a - b)
        .map((n) => String(n).padStart(width, '0'))
        .join(','),
    );
  }
  return { ok: true, value: written.join('+') };
}

function normaliseHex(length: number, text: string): Normalised {
  let hex = text.replace(/\s+/g, '').toLowerCase();
  if (hex.startsWith('0x')) hex = hex.slice(2);
  if (!new RegExp(`^[0-9a-f]{${length}}$`).test(hex)) {
    return fail(
      `见证值应为${length}位十六进制字符，实际为“${hex.slice(0, 80)}”`,
      `the witness must be ${length} hexadecimal digits`,
    );
  }
  return { ok: true, value: hex };
}

/** The canonical value of a typed witness under a format, or why it has none. */
export function normaliseWitnessValue(format: string, reference: string, typed: string): Normalised {
  const parsed = parseWitnessFormat(format);
  if (!parsed) return fail(`见证格式“${format}”无效`, `invalid witness format '${format}'`);
  const text = typed.normalize('NFKC');
  return parsed.kind === 'hex'
    ? normaliseHex(parsed.length, text)
    : normaliseGroups(parsed.groups, reference, text);
}

/** `source:reference:` — what every canonical witness of these parameters starts with. */
export const witnessPrefix = (p: Pick<DrawParametersV2, 'witnessSource' | 'witnessReference'>) =>
  `${p.witnessSource}:${p.witnessReference}:`;

/** The canonical witness of a typed value under the committed parameters; throws DrawError. */
export function normaliseWitness(parameters: DrawParametersV2, typed: string): string {
  const r = normaliseWitnessValue(parameters.witnessFormat, parameters.witnessReference, typed);
  if (!r.ok) throw new DrawError('invalid-witness', r.zh, r.en);
  return witnessPrefix(parameters) + r.value;
}
