import { describe, expect, it } from 'vitest';
import { chunksOf } from './chunks.ts';

describe('chunksOf', () => {
  it('cuts a list into consecutive slices, the last one shorter', () => {
    expect(chunksOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunksOf([], 2)).toEqual([]);
    expect(chunksOf([1, 2], 5)).toEqual([[1, 2]]);
  });

  it('refuses a size that is not a positive integer', () => {
    expect(() => chunksOf([1], 0)).toThrow(RangeError);
  });
});
