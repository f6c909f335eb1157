import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { codesOf } from './codes.ts';

describe('codesOf', () => {
  it('derives the codes in the order of the names, usable by z.enum', () => {
    const NAMES = { draft: '草稿', drawn: '已抽取', cancelled: '已取消' } as const;
    const codes = codesOf(NAMES);
    expect(codes).toEqual(['draft', 'drawn', 'cancelled']);
    expect(z.enum(codes).safeParse('drawn').success).toBe(true);
    expect(z.enum(codes).safeParse('草稿').success).toBe(false);
  });

  it('refuses an empty set', () => {
    expect(() => codesOf({})).toThrow(/at least one code/);
  });
});
