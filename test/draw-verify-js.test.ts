import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestHex, normaliseWitnessValue as normaliseJs, verifyDrawText } from '../public/draw-verify.js';
import {
  buildDrawFile,
  type DrawParametersV2,
  normaliseWitnessValue,
  type RunDrawInput,
  runDraw,
  serializeDrawFile,
  verifyDrawFile,
  WITNESS_SOURCES,
} from '../src/modules/supervision/draw/index.ts';
import { makeUscc } from './supervision-helpers.ts';

/**
 * The browser verifier (public/draw-verify.js), run here under Node on the test vectors of
 * docs/draws.md and on tampered files: it must reach the same verdict as verifyDrawFile (what
 * `zhize draw verify` runs) and list the very same problems, with crypto.subtle and with its own
 * JavaScript SHA-256.
 */

const doc = readFileSync(join(process.cwd(), 'docs/draws.md'), 'utf8');
const vector = (marker: string) =>
  JSON.parse(new RegExp(`<!-- ${marker}[^>]*-->\\n\`\`\`json\\n([\\s\\S]*?)\\n\`\`\``).exec(doc)![1]!)
    .input as RunDrawInput;
const v1 = vector('test-vector');
const v2 = vector('v2-test-vector') as RunDrawInput & { parameters: DrawParametersV2 };
const fileOf = (input: RunDrawInput) => serializeDrawFile(buildDrawFile(input, runDraw(input)));
const sources = WITNESS_SOURCES.map((s) => ({ id: s.id, pattern: s.reference.pattern, format: s.format }));

/** The browser's and the command line's verdicts on the same text. */
async function both(text: string, commitment?: string, forceFallback = false) {
  const js = await verifyDrawText(text, { sources, commitment, forceFallback });
  const ts = verifyDrawFile(text, commitment === undefined ? {} : { commitment });
  return { js, ts };
}

describe('the browser verifier on the test vectors', () => {
  it.each([
    ['version 1', v1],
    ['version 2', v2],
  ])('says match for the %s test vector, with crypto.subtle and with its own SHA-256', async (_, input) => {
    const text = fileOf(input);
    for (const forceFallback of [false, true]) {
      const { js } = await both(text, undefined, forceFallback);
      expect(js).toMatchObject({ match: true, problems: [], wellFormed: true });
      expect(js.hashing).toBe(forceFallback ? 'JavaScript SHA-256' : 'crypto.subtle');
    }
    const commitHash = runDraw(input).commitment.commitHash;
    expect((await both(text, commitHash)).js.match).toBe(true);
    expect((await both(text, runDraw(input).commitment.commitText)).js.match).toBe(true);
  });

  it('has a SHA-256 of its own that agrees with Node for every length 0–200 and a 1 MB input', async () => {
    for (const n of [...Array.from({ length: 201 }, (_, i) => i), 1_000_000]) {
      const data = new Uint8Array(randomBytes(n));
      const node = createHash('sha256').update(data).digest('hex');
      expect(await digestHex(data, true), `length ${n}`).toBe(node);
      expect(await digestHex(data, false), `length ${n}`).toBe(node);
    }
  });

  it('normalises witnesses exactly as the server does', () => {
    for (const typed of [
      '红球：０２ ０９ 14 21 27 33　蓝球 08',
      '第2026055期 21 02 33 09 27 14 + 08',
      '2026-03-03 02 09 14 21 27 33 08',
      '02 09 14 21 27 34 08',
      '02 09 14 21 27 27 08',
      '',
    ]) {
      expect(normaliseJs(v2.parameters.witnessFormat, '2026055', typed)).toEqual(
        normaliseWitnessValue(v2.parameters.witnessFormat, '2026055', typed),
      );
    }
    const hex = 'A87619810B1B41E70A01B8F903CF69977E026F80D9FD5E4C197C298A96C61CFE';
    expect(normaliseJs('hex:64', '1', ` 0x${hex} `)).toEqual(
      normaliseWitnessValue('hex:64', '1', ` 0x${hex} `),
    );
  });
});

describe('the browser verifier on tampered files lists the same problems as the command line', () => {
  const text1 = fileOf(v1);
  const text2 = fileOf(v2);
  const result2 = runDraw(v2);
  const task = result2.tasks[2]!;
  const other = v2.population.find((e) => !result2.tasks.some((t) => t.uscc === e.uscc))!;
  const forged = {
    ...v2,
    parameters: {
      ...v2.parameters,
      witnessSource: 'cslc-dlt',
      witnessReference: '26025',
      witnessFormat: 'groups:5@1-35,2@1-12',
    },
    witness: '03 11 19 27 35 02 09',
  };
  const cases: Array<[string, string, string?]> = [
    ['a v1 witness changed', text1.replace('3 8 1', '3 8 2')],
    ['a v1 population name changed', text1.replace('衡水示例商贸有限公司4"', '衡水示例商贸有限公司四"')],
    ['a v2 typed witness changed', text2.replace('蓝球 08', '蓝球 09')],
    ['a v2 canonical witness changed', text2.replace('33+08"', '33+09"')],
    ['a v2 witness source changed', text2.replace('"witnessSource":"cwl-ssq"', '"witnessSource":"cslc-dlt"')],
    ['a v2 population name changed', text2.replace('有限公司5"', '有限公司五"')],
    [
      'a v2 risk class changed',
      text2.replace(
        `"${other.uscc}","name":"${other.name}","county":"${other.county}","riskClass":"${other.riskClass}"`,
        `"${other.uscc}","name":"${other.name}","county":"${other.county}","riskClass":"D"`,
      ),
    ],
    [
      'a v2 task’s inspector changed',
      text2.replace(JSON.stringify(task.inspectors), JSON.stringify([task.inspectors[0], '13110005'].sort())),
    ],
    [
      'a v2 selected entity swapped',
      text2.replace(`{"uscc":"${task.uscc}","riskClass"`, `{"uscc":"${other.uscc}","riskClass"`),
    ],
    [
      'a v2 draw dated before the planned time',
      text2.replace('"drawnAt": "2026-03-03T21:20:00+08:00"', '"drawnAt": "2026-03-03T21:10:00+08:00"'),
    ],
    ['a v2 exclusion dropped below the cap', text2.replace('"checks":2', '"checks":1')],
    ['a v2 credit code broken', text2.replace(other.uscc, `${other.uscc.slice(0, 17)}0`)],
    ['a v2 file with extra white space', text2.replace('"format": ', '"format":  ')],
    [
      'a v2 file redone with another source, against the published commit text',
      fileOf(forged),
      result2.commitment.commitText,
    ],
    [
      'a v2 file redone with another source, against the published hash',
      fileOf(forged),
      result2.commitment.commitHash,
    ],
    ['a v1 seed of upper-case hex', text1.replace(v1.serverSeed, v1.serverSeed.toUpperCase())],
  ];

  it.each(cases)('%s', async (_, text, commitment) => {
    expect(text === text1 || text === text2, 'the tampering applied').toBe(false);
    const { js, ts } = await both(text, commitment);
    expect(ts.match).toBe(false);
    expect({ match: js.match, wellFormed: js.wellFormed, problems: js.problems }).toEqual(ts);
    const fallback = await both(text, commitment, true);
    expect(fallback.js.problems).toEqual(ts.problems);
  });

  it('agrees on a larger version-2 draw with conflicts, exclusions and both scopes', async () => {
    const population = Array.from({ length: 400 }, (_, i) => ({
      uscc: makeUscc(50_000 + i, ['131102', '131103', '131127'][i % 3]),
      name: `企业${i}`,
      county: ['桃城区', '冀州区', '景县'][i % 3]!,
      riskClass: 'AABBBCDUAB'[i % 10]!,
    }));
    const inspectors = ['桃城区', '冀州区', '景县', '市本级', '桃城区', '景县'].map((county, i) => ({
      certificate: `1311${i}`,
      name: '不公开',
      county,
      conflicts: [population[i * 7]!.uscc],
    }));
    for (const inspectorScope of ['own-county', 'any'] as const) {
      const input = {
        ...v2,
        parameters: {
          ...v2.parameters,
          inspectorScope,
          ratios: { A: 300, B: 700, C: 10_000, D: 10_000, U: 2500 },
        },
        population,
        exclusions: [{ uscc: makeUscc(99_999), name: '已达上限企业', county: '桃城区', checks: 3 }],
        inspectors,
      };
      const text = fileOf(input);
      expect((await both(text)).js.match).toBe(true);
      const tampered = text.replace('"企业17"', '"企业十七"');
      const { js, ts } = await both(tampered);
      expect(js.problems).toEqual(ts.problems);
      expect(js.problems.length).toBeGreaterThan(0);
    }
  });
});
