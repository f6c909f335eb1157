import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { composeUscc, USCC_ALPHABET } from '../../../lib/uscc.ts';
import { COUNTIES } from '../reference/index.ts';
import {
  buildDrawFile,
  commitPlan,
  DRAW_RISK_CLASSES,
  type DrawExclusion,
  type DrawFileV2,
  type DrawInspector,
  type DrawParametersV2,
  normaliseWitnessValue,
  type PopulationEntity,
  type RunDrawInput,
  runDraw,
  runDrawOffThread,
  serializeDrawFile,
  verifyDrawFile,
} from './index.ts';

/** Version 2 of the draw (docs/draws.md): its test vector, the witness rule, scope, cap, times. */

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const doc = readFileSync(join(projectRoot, 'docs/draws.md'), 'utf8');

/** The version-2 test vector published in docs/draws.md. */
function docVector(): {
  input: RunDrawInput & { parameters: DrawParametersV2 };
  expected: Record<string, unknown>;
} {
  const match = /<!-- v2-test-vector[^>]*-->\n```json\n([\s\S]*?)\n```/.exec(doc);
  if (!match) throw new Error('docs/draws.md has no v2-test-vector block');
  return JSON.parse(match[1]!);
}

const hmacHex = (keyHex: string, message: string) =>
  createHmac('sha256', Buffer.from(keyHex, 'hex')).update(message, 'utf8').digest('hex');

describe('the version-2 test vector of docs/draws.md', () => {
  const { input, expected } = docVector();
  const result = runDraw(input);

  it('reproduces every published hash, the canonical witness, the seed, the allocation and the tasks', () => {
    expect({
      populationHash: result.commitment.populationHash,
      exclusionsHash: result.commitment.exclusionsHash,
      inspectorsHash: result.commitment.inspectorsHash,
      serverSeedHash: result.commitment.serverSeedHash,
      commitHash: result.commitment.commitHash,
      witnessCanonical: result.witnessCanonical,
      drawSeed: result.drawSeed,
      sampleSize: result.sampleSize,
      allocation: result.allocation,
      tasks: result.tasks,
    }).toEqual(expected);
  });

  it('prints the commit text shown on the page, whose SHA-256 is the commitHash', () => {
    const shown = /The commit text of this vector:\n\n((?: {4}.*\n)+)/.exec(doc)![1]!;
    const text = `${shown
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.slice(4))
      .join('\n')}\n`;
    expect(result.commitment.commitText).toBe(text);
    expect(createHash('sha256').update(text, 'utf8').digest('hex')).toBe(expected.commitHash);
    expect(text.split('\n')).toHaveLength(24); // 23 lines and the empty rest after the last LF
  });

  it('derives drawSeed from the canonical witness and ranks exactly as the page describes', () => {
    const drawSeed = createHash('sha256')
      .update(Buffer.from(input.serverSeed, 'hex'))
      .update('cwl-ssq:2026055:02,09,14,21,27,33+08', 'utf8')
      .digest('hex');
    expect(drawSeed).toBe(expected.drawSeed);
    for (const task of result.tasks) expect(task.rank).toBe(hmacHex(drawSeed, task.uscc));
  });

  it('assigns only inspectors of the entity’s own county or the city-wide one (属地)', () => {
    const county = new Map(input.inspectors.map((i) => [i.certificate, i.county]));
    for (const task of result.tasks) {
      for (const c of task.inspectors) expect([task.county, '市本级']).toContain(county.get(c));
    }
  });

  it('publishes a file that verifies as text and as an object, and fails on any changed byte', () => {
    const text = serializeDrawFile(buildDrawFile(input, result));
    expect(verifyDrawFile(text)).toEqual({ match: true, problems: [], wellFormed: true });
    expect(verifyDrawFile(JSON.parse(text))).toEqual({ match: true, problems: [], wellFormed: true });
    const bytes = Buffer.from(text, 'utf8');
    let checked = 0;
    for (let at = 0; at < bytes.length; at += 37) {
      const copy = Buffer.from(bytes);
      copy[at] = copy[at]! ^ 0x01;
      expect(verifyDrawFile(copy.toString('utf8')).match, `byte ${at}`).toBe(false);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(100);
  });
});

describe('the witness is normalised by the published rule', () => {
  const { input } = docVector();
  const canonical = runDraw(input).witnessCanonical;
  /** Sixteen ordinary spellings of one 双色球 result (red 02 09 14 21 27 33, blue 08). */
  const SPELLINGS = [
    '02 09 14 21 27 33 08',
    '02 09 14 21 27 33 + 08',
    '02,09,14,21,27,33+08',
    '02、09、14、21、27、33，08',
    '2 9 14 21 27 33 8',
    '  02  09   14 21 27 33 | 08  ',
    '红球：02 09 14 21 27 33 蓝球：08',
    '红球02 09 14 21 27 33蓝球08',
    '０２ ０９ １４ ２１ ２７ ３３ ＋ ０８',
    '02\u300009\u300014\u300021\u300027\u300033\u300008',
    '21 02 33 09 27 14 08',
    '第2026055期 02 09 14 21 27 33 08',
    '2026055期：02-09-14-21-27-33/08',
    '双色球 2026055 红 02 09 14 21 27 33 蓝 08',
    '002 009 014 021 027 033 008',
    '02 09 14 21 27 33 蓝08',
  ];

  it('gives one canonical witness and the same draw for sixteen ordinary spellings', () => {
    expect(new Set(SPELLINGS).size).toBe(16);
    const base = runDraw(input);
    for (const typed of SPELLINGS) {
      const r = runDraw({ ...input, witness: typed });
      expect(r.witnessCanonical, typed).toBe(canonical);
      expect(r.drawSeed, typed).toBe(base.drawSeed);
      expect(r.tasks, typed).toEqual(base.tasks);
      expect(r.witness).toBe(typed); // the file keeps what was typed beside the canonical form
    }
  });

  it.each([
    ['a date typed along', '2026-03-03 02 09 14 21 27 33 08', '读到10个'],
    ['a red ball out of range', '02 09 14 21 27 34 08', '不在 1–33 之内'],
    ['a repeated red ball', '02 09 14 21 27 27 08', '有重复'],
    ['a blue ball out of range', '02 09 14 21 27 33 17', '不在 1–16 之内'],
    ['a missing number', '02 09 14 21 27 08', '读到6个'],
    ['Chinese numerals', '二 九 十四 二十一 二十七 三十三 八', '读到0个'],
  ])('refuses %s instead of guessing', (_, typed, reason) => {
    expect(() => runDraw({ ...input, witness: typed })).toThrow(
      expect.objectContaining({ code: 'invalid-witness', messageZh: expect.stringContaining(reason) }),
    );
  });

  it('normalises a beacon value: white space, upper case and 0x do not matter', () => {
    const hex = 'a87619810b1b41e70a01b8f903cf69977e026f80d9fd5e4c197c298a96c61cfe';
    for (const typed of [hex, hex.toUpperCase(), `0x${hex}`, ` ${hex.slice(0, 32)} ${hex.slice(32)} `]) {
      expect(normaliseWitnessValue('hex:64', '1', typed)).toEqual({ ok: true, value: hex });
    }
    expect(normaliseWitnessValue('hex:64', '1', hex.slice(1)).ok).toBe(false);
  });
});

describe('a draw file whose commitment names another witness source', () => {
  const { input } = docVector();
  const text = serializeDrawFile(buildDrawFile(input, runDraw(input)));
  const published = runDraw(input).commitment;

  it('fails when only the source was changed, naming the witness', () => {
    const changed = text.replace('"witnessSource":"cwl-ssq"', '"witnessSource":"cslc-dlt"');
    const v = verifyDrawFile(changed);
    expect(v.match).toBe(false);
    expect(v.problems).toContain(
      'commitHash 与参数和名录不一致（commitHash does not match the parameters and lists）',
    );
    expect(v.problems.some((p) => p.startsWith('抽查参数无效：witnessReference、witnessFormat'))).toBe(true);
    expect(v.problems).toContain(
      '见证值的规范形式与承诺的见证来源和格式不一致：应为“cslc-dlt:2026055:02,09,14,21,27,33+08”，文件中为“cwl-ssq:2026055:02,09,14,21,27,33+08”（the canonical witness does not match the committed witness source and format）',
    );
  });

  it('fails against the published commitment when the whole file was redone with another source', () => {
    const forged: RunDrawInput & { parameters: DrawParametersV2 } = {
      ...input,
      parameters: {
        ...input.parameters,
        witnessSource: 'cslc-dlt',
        witnessReference: '26025',
        witnessFormat: 'groups:5@1-35,2@1-12',
      },
      witness: '03 11 19 27 35 02 09',
    };
    const forgedText = serializeDrawFile(buildDrawFile(forged, runDraw(forged)));
    expect(verifyDrawFile(forgedText).match).toBe(true); // consistent in itself …
    const withText = verifyDrawFile(forgedText, { commitment: published.commitText });
    expect(withText.match).toBe(false); // … but not the commitment published before the draw
    expect(withText.problems).toContain(
      'witnessSource 与抽取前公布的承诺不一致：承诺为“cwl-ssq”，文件中为“cslc-dlt”（witnessSource differs from the published commitment）',
    );
    expect(withText.problems.some((p) => p.startsWith('witnessFormat 与抽取前公布的承诺不一致'))).toBe(true);
    const withHash = verifyDrawFile(forgedText, { commitment: published.commitHash });
    expect(withHash.problems).toEqual([
      `commitHash 与抽取前公布的承诺不一致：公布的为 ${published.commitHash}，文件中为 ${runDraw(forged).commitment.commitHash}（commitHash differs from the published commitment）`,
    ]);
    expect(verifyDrawFile(text, { commitment: published.commitText }).match).toBe(true);
    expect(verifyDrawFile(text, { commitment: `${published.commitHash}\n` }).match).toBe(true);
  });
});

/** Eight characters of the USCC alphabet encoding `serial`. */
function orgBody(serial: number): string {
  let rest = serial;
  let out = '';
  for (let k = 0; k < 8; k += 1) {
    out = USCC_ALPHABET.charAt(rest % 31) + out;
    rest = Math.floor(rest / 31);
  }
  return out;
}

/** `count` entities over the first `counties` counties, risk classes weighted D < C < U < B < A. */
function makePopulation(count: number, counties = 5): PopulationEntity[] {
  const classes = ['A', 'A', 'A', 'A', 'A', 'B', 'B', 'B', 'C', 'D', 'U', 'B'];
  return Array.from({ length: count }, (_, i) => {
    const county = COUNTIES[(i * 7) % counties]!;
    return {
      uscc: composeUscc('91', county.divisionCode, orgBody(i * 7919 + 11)),
      name: `衡水测试企业${i}`,
      county: county.name,
      riskClass: classes[(i * 5) % classes.length]!,
    };
  });
}

function makeInspectors(population: readonly PopulationEntity[], counties = 5): DrawInspector[] {
  const out: DrawInspector[] = [];
  for (let c = 0; c < counties; c += 1) {
    for (let k = 0; k < 2; k += 1) {
      out.push({
        certificate: `1311${c}${k}00`,
        name: '不公开',
        county: COUNTIES[c]!.name,
        conflicts: k === 0 ? [population[c]!.uscc] : [],
      });
    }
  }
  out.push({ certificate: '13119900', name: '不公开', county: '市本级', conflicts: [] });
  out.push({ certificate: '13119901', name: '不公开', county: '市本级', conflicts: [] });
  return out;
}

const { input: vector } = docVector();
const PARAMETERS: DrawParametersV2 = {
  ...vector.parameters,
  ratios: { A: 200, B: 500, C: 10_000, D: 10_000, U: 1000 },
};

function v2Input(population: PopulationEntity[], exclusions: DrawExclusion[] = []) {
  return {
    parameters: PARAMETERS,
    population,
    exclusions,
    inspectors: makeInspectors(population),
    serverSeed: 'c4'.repeat(32),
    witness: '红球 01 05 11 19 23 30 蓝球 12',
    drawnAt: '2026-03-03T21:16:00+08:00',
  };
}

describe('a version-2 draw over 1,000 entities, stratified by county × risk class', () => {
  const population = makePopulation(1000);
  const input = v2Input(population);
  const result = runDraw(input);

  it('draws ceil(N_c × ratio_c) of each class, all of C and D', () => {
    for (const riskClass of DRAW_RISK_CLASSES) {
      const n = population.filter((e) => e.riskClass === riskClass).length;
      const drawn = result.tasks.filter((t) => t.riskClass === riskClass).length;
      expect(drawn, riskClass).toBe(Math.ceil((n * PARAMETERS.ratios[riskClass]) / 10_000));
      const quota = result.allocation.filter((a) => a.riskClass === riskClass);
      expect(quota.reduce((s, a) => s + a.quota, 0)).toBe(drawn);
      expect(quota.reduce((s, a) => s + a.population, 0)).toBe(n);
    }
    expect(result.sampleSize).toBe(result.tasks.length);
  });

  it('gives each county of a class the floor or the ceiling of its share, and its lowest ranks', () => {
    for (const a of result.allocation) {
      const members = population.filter((e) => e.riskClass === a.riskClass && e.county === a.county);
      const classSize = population.filter((e) => e.riskClass === a.riskClass).length;
      const classSample = result.tasks.filter((t) => t.riskClass === a.riskClass).length;
      const share = (classSample * a.population) / classSize;
      expect([Math.floor(share), Math.ceil(share)]).toContain(a.quota);
      const lowest = members
        .map((e) => ({ uscc: e.uscc, rank: hmacHex(result.drawSeed, e.uscc) }))
        .sort((x, y) => (x.rank < y.rank ? -1 : 1))
        .slice(0, a.quota)
        .map((e) => e.uscc);
      const drawn = result.tasks.filter((t) => t.riskClass === a.riskClass && t.county === a.county);
      expect(new Set(drawn.map((t) => t.uscc))).toEqual(new Set(lowest));
    }
  });

  it('keeps every inspector in their county unless city-wide, and none on a declared conflict', () => {
    const inspectors = new Map(input.inspectors.map((i) => [i.certificate, i]));
    for (const task of result.tasks) {
      for (const c of task.inspectors) {
        const i = inspectors.get(c)!;
        expect([task.county, '市本级']).toContain(i.county);
        expect(i.conflicts).not.toContain(task.uscc);
      }
    }
  });

  it('assigns anywhere when the scope is `any`', () => {
    const any = runDraw({ ...input, parameters: { ...PARAMETERS, inspectorScope: 'any' } });
    const county = new Map(input.inspectors.map((i) => [i.certificate, i.county]));
    const outside = any.tasks.filter((t) =>
      t.inspectors.some((c) => county.get(c) !== t.county && county.get(c) !== '市本级'),
    );
    expect(outside.length).toBeGreaterThan(0);
    expect(any.commitment.commitHash).not.toBe(result.commitment.commitHash);
  });

  it('gives the same result and file in a worker thread', async () => {
    const there = await runDrawOffThread(input);
    expect(there.result).toEqual(result);
    expect(there.fileText).toBe(serializeDrawFile(buildDrawFile(input, result)));
  });
});

describe('version-2 refusals', () => {
  const population = makePopulation(60);

  it('refuses to draw before the planned draw time, and a verifier refuses such a file', () => {
    const early = { ...v2Input(population), drawnAt: '2026-03-03T21:14:59+08:00' };
    expect(() => runDraw(early)).toThrow(expect.objectContaining({ code: 'too-early' }));
    const ok = v2Input(population);
    const file = buildDrawFile(ok, runDraw(ok)) as DrawFileV2;
    const v = verifyDrawFile(serializeDrawFile({ ...file, drawnAt: early.drawnAt }));
    expect(v.problems.some((p) => p.includes('早于承诺的计划抽取时间'))).toBe(true);
  });

  it('refuses a commit time that is not before the planned draw time', () => {
    const input = v2Input(population);
    const late = { ...PARAMETERS, committedAt: PARAMETERS.plannedDrawAt };
    expect(() => commitPlan({ ...input, parameters: late })).toThrow(/committedAt/);
    expect(() =>
      commitPlan({ ...input, parameters: { ...PARAMETERS, plannedDrawAt: '2026-03-03T24:00:00+08:00' } }),
    ).toThrow(/plannedDrawAt/);
  });

  it('lists the entities at the cap in the commitment and refuses one that is also in the population', () => {
    const [first, ...rest] = population;
    const excluded = { uscc: first!.uscc, name: first!.name, county: first!.county, checks: 2 };
    const withExclusion = commitPlan(v2Input(rest, [excluded]));
    const without = commitPlan(v2Input(rest));
    expect(withExclusion.exclusionsHash).not.toBe(without.exclusionsHash);
    expect(withExclusion.commitText).toContain(`exclusionsHash=${withExclusion.exclusionsHash}`);
    expect(without.exclusionsHash).toBe(createHash('sha256').update('').digest('hex'));
    expect(() => commitPlan(v2Input(population, [excluded]))).toThrow(
      expect.objectContaining({ code: 'invalid-exclusions' }),
    );
    expect(() => commitPlan(v2Input(rest, [{ ...excluded, checks: 1 }]))).toThrow(/未达到上限/);
  });

  it('refuses an entity without a risk class, an unknown source and a reference of the wrong shape', () => {
    const noClass = population.map((e, i) => (i === 3 ? { ...e, riskClass: undefined } : e));
    expect(() => commitPlan(v2Input(noClass))).toThrow(
      expect.objectContaining({ code: 'invalid-population' }),
    );
    const input = v2Input(population);
    expect(() => commitPlan({ ...input, parameters: { ...PARAMETERS, witnessSource: 'my-dice' } })).toThrow(
      /witnessSource/,
    );
    expect(() => commitPlan({ ...input, parameters: { ...PARAMETERS, witnessReference: '26055' } })).toThrow(
      /witnessReference/,
    );
  });

  it('counts lengths in code points: 500 characters beyond U+FFFF make a valid name, 501 do not', () => {
    const name = '𠀀'.repeat(500);
    const named = population.map((e, i) => (i === 0 ? { ...e, name } : e));
    expect(commitPlan(v2Input(named)).populationSize).toBe(60);
    const tooLong = population.map((e, i) => (i === 0 ? { ...e, name: `${name}a` } : e));
    expect(() => commitPlan(v2Input(tooLong))).toThrow(
      expect.objectContaining({ code: 'invalid-population' }),
    );
  });

  it('names inspectors of the county and the city when 属地 leaves too few', () => {
    const input = v2Input(population);
    const few = input.inspectors.filter(
      (i) => i.county !== COUNTIES[0]!.name && i.certificate !== '13119901',
    );
    expect(() => runDraw({ ...input, inspectors: few })).toThrow(
      /本县（市、区）或市本级且无利害关系的执法人员只有1名/,
    );
  });
});
