import { describe, expect, it } from 'vitest';
import { isBlank, splitNames, trimLayout } from './text.ts';

describe('layout whitespace', () => {
  it('trims spaces, tabs, ideographic and non-breaking spaces and BOMs at both ends only', () => {
    expect(trimLayout(' \t\u3000\u00a0\ufeff市商务局\u3000 \r')).toBe('市商务局');
    expect(trimLayout('负责  全市\u3000工作')).toBe('负责  全市\u3000工作');
    expect(trimLayout('')).toBe('');
    expect(trimLayout(' \u3000 ')).toBe('');
    expect(isBlank('\u00a0\t')).toBe(true);
    expect(isBlank(' 一 ')).toBe(false);
  });

  it('keeps a long run of spaces between words untouched (and handles it in one pass)', () => {
    const inner = ' '.repeat(200_000);
    expect(trimLayout(`  甲${inner}乙  `)).toBe(`甲${inner}乙`);
  });

  it('splits office lists on 、，,；; but never inside parentheses', () => {
    expect(splitNames('办公室、对外贸易和国际经贸关系科（衡水市机电产品进出口办公室）；财务科')).toEqual([
      '办公室',
      '对外贸易和国际经贸关系科（衡水市机电产品进出口办公室）',
      '财务科',
    ]);
  });
});
