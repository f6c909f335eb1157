import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The frozen test split is checked by its bytes only: this test never parses or prints it.
const file = (name: string) => new URL(`./${name}`, import.meta.url);

describe('eval/real split', () => {
  it('keeps the test split byte for byte as frozen (SHA-256 in test.sha256)', () => {
    const got = createHash('sha256')
      .update(readFileSync(file('questions.test.json')))
      .digest('hex');
    const want = readFileSync(file('test.sha256'), 'utf8').split(/\s+/)[0];
    expect(got).toBe(want);
  });

  it('holds in the dev file only questions whose hash puts them in dev', () => {
    const dev = JSON.parse(readFileSync(file('questions.dev.json'), 'utf8')) as Array<{ q: string }>;
    expect(dev.length).toBeGreaterThan(0);
    const misassigned = dev.filter((e) => createHash('sha256').update(e.q, 'utf8').digest()[0]! < 128);
    expect(misassigned).toEqual([]);
  });
});
