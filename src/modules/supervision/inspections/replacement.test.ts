import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runDraw } from '../draw/index.ts';
import { chooseReplacement, type RankedCandidate, rankCandidates } from './replacement.ts';

/**
 * The replacement rule of docs/draws.md ("Replacing an inspector after the draw") against the
 * worked example there, which builds on the draw's test vector.
 */

const doc = readFileSync(fileURLToPath(new URL('../../../../docs/draws.md', import.meta.url)), 'utf8');

function block(marker: string): unknown {
  const m = new RegExp(`<!-- ${marker}[^>]*-->\\n\`\`\`json\\n([\\s\\S]*?)\\n\`\`\``).exec(doc);
  if (!m) throw new Error(`docs/draws.md has no ${marker} block`);
  return JSON.parse(m[1]!);
}

interface Vector {
  input: Parameters<typeof runDraw>[0];
  expected: { drawSeed: string; tasks: Array<{ uscc: string; inspectors: string[] }> };
}

interface Case {
  uscc: string;
  assigned: string[];
  declared: Array<{ certificate: string; uscc: string }>;
  ranking: RankedCandidate[];
  replacement: string | null;
}

const vector = block('test-vector') as Vector;
const cases = block('replacement-vector') as Case[];
const inspectors = vector.input.inspectors;

describe('replacing an inspector who declares a conflict after the draw', () => {
  it('starts from the tasks the test vector draws', () => {
    const result = runDraw(vector.input);
    expect(result.drawSeed).toBe(vector.expected.drawSeed);
    for (const c of cases.filter((x) => x.declared.length === 1)) {
      const task = result.tasks.find((t) => t.uscc === c.uscc)!;
      expect(task.inspectors).toEqual(c.assigned);
    }
  });

  for (const [k, c] of cases.entries()) {
    it(`case ${k + 1} of docs/draws.md: ${c.uscc}, ${c.declared.map((d) => d.certificate).join(' then ')} withdraws → ${c.replacement ?? 'no replacement'}`, () => {
      const input = {
        drawSeed: vector.expected.drawSeed,
        uscc: c.uscc,
        inspectors,
        assigned: c.assigned,
        declared: c.declared,
      };
      expect(rankCandidates(input)).toEqual(c.ranking);
      expect(chooseReplacement(input)).toBe(c.replacement);
    });
  }

  it('ignores conflicts declared with other entities, and never picks someone already on the task', () => {
    const input = {
      drawSeed: vector.expected.drawSeed,
      uscc: '91131103MA0TW00759',
      inspectors,
      assigned: ['13110003', '13110004'],
      declared: [
        { certificate: '13110003', uscc: '91131103MA0TW00759' },
        { certificate: '13110002', uscc: '91131127MA0TW0104D' },
      ],
    };
    expect(chooseReplacement(input)).toBe('13110002');
    const all = { ...input, assigned: inspectors.map((i) => i.certificate) };
    expect(chooseReplacement(all)).toBeNull();
  });

  it('keeps to the entity’s county when the draw does (inspectorScope own-county), city-wide inspectors included', () => {
    const base = {
      drawSeed: vector.expected.drawSeed,
      uscc: '91131127MA0TW0104D',
      assigned: ['13110001', '13110004'],
      declared: [{ certificate: '13110004', uscc: '91131127MA0TW0104D' }],
    };
    // 13110003 works in 桃城区, not in 景县: passed over, and nobody else is left.
    const scoped = { ...base, inspectors, ownCounty: '景县' };
    expect(rankCandidates(scoped).find((c) => c.certificate === '13110003')?.excluded).toBe('out-of-scope');
    expect(chooseReplacement(scoped)).toBeNull();
    // Working for the city bureau (市本级), the same inspector may go to any county.
    const cityWide = inspectors.map((i) => (i.certificate === '13110003' ? { ...i, county: '市本级' } : i));
    expect(chooseReplacement({ ...base, inspectors: cityWide, ownCounty: '景县' })).toBe('13110003');
    expect(chooseReplacement({ ...base, inspectors })).toBe('13110003');
  });

  it('refuses a draw seed that is not 64 hex characters', () => {
    expect(() =>
      rankCandidates({ drawSeed: 'abc', uscc: '91131103MA0TW00759', inspectors, assigned: [], declared: [] }),
    ).toThrow();
  });
});
