import { describe, expect, it } from 'vitest';
import { valuesOf } from './named.ts';

describe('valuesOf', () => {
  it('gives the values of a closed set in the order their names are declared', () => {
    expect(valuesOf({ draft: '草稿', submitted: '待审核', returned: '已退回' })).toEqual([
      'draft',
      'submitted',
      'returned',
    ]);
  });

  it('refuses a set without values', () => {
    expect(() => valuesOf({})).toThrow('at least one value');
  });
});
