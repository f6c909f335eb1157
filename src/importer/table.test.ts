import { describe, expect, it } from 'vitest';
import { ImportError } from './errors.ts';
import type { Repair } from './model.ts';
import { type Cell, continueSeq, type EntryNoun, type Row, requireNewEntry } from './table.ts';

const cell = (text: string, line = 7): Cell => ({ text, line, lineEnd: line, glued: false });
const row: Row = { cells: [], line: 7, lineEnd: 8, glued: true };
const DUTY: EntryNoun = { zh: '主要职责', en: 'duty', emptyCode: 'empty-duty', field: 'text' };

function thrown(f: () => void): ImportError {
  try {
    f();
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error('expected an ImportError');
}

describe('numbered entries', () => {
  it('continues the numbering after the previous entry and records the repair', () => {
    const repairs: Repair[] = [];
    expect(continueSeq(1, row, { seq: 4 }, repairs, (n) => `补为 ${n}`)).toBe(5);
    expect(continueSeq(4, row, undefined, repairs, (n) => `补为 ${n}`)).toBe(1);
    expect(repairs).toEqual([
      { part: 1, line: 7, kind: 'missing-seq', message: '补为 5' },
      { part: 4, line: 7, kind: 'missing-seq', message: '补为 1' },
    ]);
  });

  it('refuses an entry without its name, and a number already taken', () => {
    expect(() => requireNewEntry(row, 3, cell('负责……'), [{ seq: 1 }, { seq: 2 }], DUTY)).not.toThrow();
    const empty = thrown(() => requireNewEntry(row, 3, cell(''), [], DUTY));
    expect([empty.code, empty.line, empty.messageZh, empty.messageEn]).toEqual([
      'empty-duty',
      7,
      '序号 3 的“主要职责”为空',
      'duty 3 has no text',
    ]);
    const taken = thrown(() => requireNewEntry(row, 2, cell('负责……'), [{ seq: 2 }], DUTY));
    expect([taken.code, taken.messageZh, taken.messageEn]).toEqual([
      'duplicate-seq',
      '主要职责序号 2 重复',
      'duty number 2 repeats',
    ]);
  });
});
