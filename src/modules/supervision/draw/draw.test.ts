import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { composeUscc, USCC_ALPHABET, validateUscc } from '../../../lib/uscc.ts';
import { COUNTIES } from '../reference/index.ts';
import {
  allocateStrata,
  buildDrawFile,
  commitPlan,
  DrawError,
  type DrawInspector,
  type DrawParameters,
  type DrawResult,
  drawAndSerialize,
  hashPopulation,
  type PopulationEntity,
  type RunDrawInput,
  runDraw,
  runDrawOffThread,
  sampleSize,
  serializeDrawFile,
  splitDrawFile,
  startDrawJob,
  verifyDrawFile,
} from './index.ts';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const SEED = 'a1'.repeat(32);
const WITNESS = '2026-03-02 福彩3D 第2026055期 开奖号码 3 8 1';

const PARAMETERS: DrawParameters = {
  regimeId: '单用途商业预付卡监管',
  year: 2026,
  round: 1,
  ratioBasisPoints: 1000,
  minInspectorsPerTask: 2,
  strata: 'county',
};

/** Eight characters of the USCC alphabet encoding `serial` (distinct serials give distinct bodies). */
function orgBody(serial: number): string {
  let rest = serial;
  let out = '';
  for (let k = 0; k < 8; k += 1) {
    out = USCC_ALPHABET.charAt(rest % 31) + out;
    rest = Math.floor(rest / 31);
  }
  return out;
}

/**
 * `count` entities with valid codes, spread unevenly over Hengshui's counties (county i gets weight
 * 13 − i), listed in a scrambled (non-canonical) order.
 */
function makePopulation(count: number, salt = 0): PopulationEntity[] {
  const weights = COUNTIES.map((_, i) => 13 - i);
  const cycle = weights.flatMap((w, county) => Array<number>(w).fill(county));
  return Array.from({ length: count }, (_, i) => {
    const county = COUNTIES[cycle[(i * 37) % cycle.length]!]!;
    const serial = ((i * 7919 + salt) % 1_000_003) + 1;
    return {
      uscc: composeUscc('91', county.divisionCode, orgBody(serial)),
      name: `衡水测试企业${i}`,
      county: county.name,
    };
  });
}

/** `count` inspectors; every third one declares conflicts with two entities. */
function makeInspectors(count: number, population: readonly PopulationEntity[]): DrawInspector[] {
  return Array.from({ length: count }, (_, i) => ({
    certificate: `1311${String(i + 1).padStart(6, '0')}`,
    name: `执法人员${i + 1}`,
    county: COUNTIES[i % COUNTIES.length]!.name,
    conflicts:
      i % 3 === 0
        ? [population[(i * 11) % population.length]!.uscc, population[(i * 13 + 1) % population.length]!.uscc]
        : [],
  }));
}

function drawInput(
  population: PopulationEntity[],
  inspectors: DrawInspector[],
  witness = WITNESS,
): RunDrawInput {
  return { parameters: PARAMETERS, population, inspectors, serverSeed: SEED, witness };
}

/** HMAC-SHA256 hex, computed here independently of draw.ts. */
function hmacHex(keyHex: string, message: string): string {
  return createHmac('sha256', Buffer.from(keyHex, 'hex')).update(message, 'utf8').digest('hex');
}

function loadsOf(result: DrawResult): Map<string, number> {
  const loads = new Map<string, number>();
  for (const task of result.tasks) for (const c of task.inspectors) loads.set(c, (loads.get(c) ?? 0) + 1);
  return loads;
}

/** The test vector published in docs/draws.md. */
function docTestVector(): { input: RunDrawInput; expected: Record<string, unknown> } {
  const doc = readFileSync(join(projectRoot, 'docs/draws.md'), 'utf8');
  const match = /<!-- test-vector[^>]*-->\n```json\n([\s\S]*?)\n```/.exec(doc);
  if (!match) throw new Error('docs/draws.md has no test-vector block');
  return JSON.parse(match[1]!);
}

describe('the test vector of docs/draws.md', () => {
  const { input, expected } = docTestVector();

  it('reproduces every published hash, the seed, the allocation and the tasks', () => {
    const result = runDraw(input);
    expect({
      populationHash: result.commitment.populationHash,
      inspectorsHash: result.commitment.inspectorsHash,
      serverSeedHash: result.commitment.serverSeedHash,
      commitHash: result.commitment.commitHash,
      drawSeed: result.drawSeed,
      sampleSize: result.sampleSize,
      allocation: result.allocation,
      tasks: result.tasks,
    }).toEqual(expected);
  });

  it('publishes the same commitment before the draw as the draw recomputes', () => {
    expect(commitPlan(input).commitHash).toBe(expected.commitHash);
  });

  it('derives drawSeed and ranks exactly as the page describes', () => {
    const seedBytes = Buffer.from(input.serverSeed, 'hex');
    const drawSeed = createHash('sha256')
      .update(Buffer.concat([seedBytes, Buffer.from(input.witness, 'utf8')]))
      .digest('hex');
    expect(drawSeed).toBe(expected.drawSeed);
    for (const task of runDraw(input).tasks) expect(task.rank).toBe(hmacHex(drawSeed, task.uscc));
  });
});

describe('a draw over 1,000 entities at 10 %', () => {
  const population = makePopulation(1000);
  const inspectors = makeInspectors(12, population);
  const input = drawInput(population, inspectors);
  const result = runDraw(input);

  it('draws exactly 100 tasks and allocates them to counties summing to 100', () => {
    expect(result.sampleSize).toBe(100);
    expect(result.tasks).toHaveLength(100);
    expect(result.allocation.reduce((sum, a) => sum + a.quota, 0)).toBe(100);
    expect(result.allocation.reduce((sum, a) => sum + a.population, 0)).toBe(1000);
  });

  it('gives each county the floor or the ceiling of its proportional share, larger remainders first', () => {
    const withShare = result.allocation.map((a) => ({ ...a, share: (100 * a.population) / 1000 }));
    for (const a of withShare) expect([Math.floor(a.share), Math.ceil(a.share)]).toContain(a.quota);
    const roundedUp = withShare.filter((a) => a.quota > Math.floor(a.share));
    const roundedDown = withShare.filter((a) => a.quota === Math.floor(a.share) && a.share % 1 > 0);
    for (const up of roundedUp)
      for (const down of roundedDown) expect(up.share % 1).toBeGreaterThanOrEqual(down.share % 1);
  });

  it('draws from each county exactly its quota, and those are the lowest HMAC ranks of the county', () => {
    for (const { county, quota } of result.allocation) {
      const drawn = result.tasks.filter((t) => t.county === county).map((t) => t.uscc);
      expect(drawn).toHaveLength(quota);
      const lowest = population
        .filter((e) => e.county === county)
        .map((e) => ({ uscc: e.uscc, rank: hmacHex(result.drawSeed, e.uscc) }))
        .sort((a, b) => (a.rank < b.rank ? -1 : 1))
        .slice(0, quota)
        .map((e) => e.uscc);
      expect(new Set(drawn)).toEqual(new Set(lowest));
    }
  });

  it('lists tasks in ascending rank order', () => {
    const ranks = result.tasks.map((t) => t.rank);
    expect(ranks).toEqual([...ranks].sort());
  });

  it('assigns two distinct inspectors to every task, none with a declared conflict', () => {
    const conflicted = new Map(inspectors.map((i) => [i.certificate, new Set(i.conflicts)]));
    const conflictedTasks = result.tasks.filter((t) => inspectors.some((i) => i.conflicts.includes(t.uscc)));
    expect(conflictedTasks.length).toBeGreaterThan(0); // the data really exercises conflicts
    for (const task of result.tasks) {
      expect(new Set(task.inspectors).size).toBe(2);
      for (const c of task.inspectors) expect(conflicted.get(c)!.has(task.uscc)).toBe(false);
    }
  });

  it('balances inspector loads to within one task', () => {
    const loads = [...loadsOf(result).values()];
    expect(loads).toHaveLength(12);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
    expect(loads.reduce((a, b) => a + b, 0)).toBe(200);
  });

  it('is deterministic for the same seed and witness, whatever the input order', () => {
    const again = runDraw(drawInput([...population].reverse(), [...inspectors].reverse()));
    expect(again).toEqual(result);
  });

  it('changes when the witness changes', () => {
    const other = runDraw(drawInput(population, inspectors, `${WITNESS}.`));
    expect(other.drawSeed).not.toBe(result.drawSeed);
    expect(other.tasks.map((t) => t.uscc)).not.toEqual(result.tasks.map((t) => t.uscc));
    expect(other.commitment.commitHash).toBe(result.commitment.commitHash); // the witness is not committed
  });

  it('produces a file that verifies, as text and as an object', () => {
    const file = buildDrawFile(input, result);
    const text = serializeDrawFile(file);
    expect(verifyDrawFile(text)).toEqual({ match: true, problems: [], wellFormed: true });
    expect(verifyDrawFile(JSON.parse(text))).toEqual({ match: true, problems: [], wellFormed: true });
  });
});

describe('verifyDrawFile on a tampered file', () => {
  const population = makePopulation(300, 5);
  const input = drawInput(population, makeInspectors(6, population));
  const result = runDraw(input);
  const text = serializeDrawFile(buildDrawFile(input, result));

  /** Replaces the first occurrence of `from` (which must exist) with `to`. */
  function tamper(from: string, to: string): string {
    expect(text).toContain(from);
    return text.replace(from, to);
  }

  it('names the population hash and the changed entity when a character of a uscc changes', () => {
    const victim = population.find((e) => !result.tasks.some((t) => t.uscc === e.uscc))!.uscc;
    const changed = `${victim.slice(0, 12)}${victim.charAt(12) === '0' ? '1' : '0'}${victim.slice(13)}`;
    const verification = verifyDrawFile(tamper(`"uscc":"${victim}"`, `"uscc":"${changed}"`));
    expect(verification.match).toBe(false);
    expect(verification.problems).toContain(
      'populationHash 与检查对象名录不一致（populationHash does not match the population list）',
    );
    expect(verification.problems.some((p) => p.includes(changed))).toBe(true);
  });

  it('reports the draw seed and the selection when one character of the witness changes', () => {
    const verification = verifyDrawFile(
      tamper(`"witness": "${WITNESS}"`, `"witness": "${WITNESS.replace('3 8 1', '3 8 2')}"`),
    );
    expect(verification.match).toBe(false);
    expect(verification.problems).toContain(
      'drawSeed 与服务器种子和见证值不一致（drawSeed does not match serverSeed and witness）',
    );
    expect(
      verification.problems.some((p) => p.includes('selected in the file but not in the recomputation')),
    ).toBe(true);
  });

  it('reports a changed rank, inspector or selected entity in the result', () => {
    const task = result.tasks[3]!;
    const flipped = `${task.rank.slice(0, -1)}${task.rank.endsWith('0') ? '1' : '0'}`;
    expect(verifyDrawFile(tamper(task.rank, flipped)).problems).toContain(
      `企业 ${task.uscc} 的排序值与重新计算不一致（rank of ${task.uscc} does not match the recomputation）`,
    );
    const [first, second] = task.inspectors as [string, string];
    const replaced = { ...task, inspectors: [first, `${second.slice(0, -1)}9`] };
    const swapped = verifyDrawFile(tamper(JSON.stringify(task), JSON.stringify(replaced)));
    expect(swapped.problems.some((p) => p.includes(`inspectors of ${task.uscc} do not match`))).toBe(true);
    const notDrawn = population.find((e) => !result.tasks.some((t) => t.uscc === e.uscc))!;
    const substituted = verifyDrawFile(
      tamper(`{"uscc":"${task.uscc}","county"`, `{"uscc":"${notDrawn.uscc}","county"`),
    );
    expect(substituted.problems).toContain(
      `企业 ${notDrawn.uscc} 在文件中被抽中，但重新计算未抽中（entity ${notDrawn.uscc} selected in the file but not in the recomputation）`,
    );
    expect(substituted.problems).toContain(
      `企业 ${task.uscc} 在重新计算中被抽中，但文件中没有（entity ${task.uscc} selected in the recomputation but not in the file）`,
    );
  });

  it('reports a server seed that does not match the committed hash', () => {
    const verification = verifyDrawFile(
      tamper(`"serverSeed": "${SEED}"`, `"serverSeed": "${'b2'.repeat(32)}"`),
    );
    expect(verification.problems).toContain(
      'serverSeedHash 与服务器种子不一致（serverSeedHash does not match the serverSeed）',
    );
  });

  it('fails when any single byte of the file changes', () => {
    const bytes = Buffer.from(text, 'utf8');
    const step = Math.max(1, Math.floor(bytes.length / 400));
    let checked = 0;
    for (let position = 0; position < bytes.length; position += step) {
      const copy = Buffer.from(bytes);
      copy[position] = copy[position]! ^ 0x01;
      const verification = verifyDrawFile(copy.toString('utf8'));
      expect(verification.match, `byte ${position}`).toBe(false);
      expect(verification.problems.length, `byte ${position}`).toBeGreaterThan(0);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(350);
  });

  it('says the file is not JSON, or not a draw file, without recomputing', () => {
    expect(verifyDrawFile(text.slice(0, -5))).toMatchObject({ match: false, wellFormed: false });
    const missing = verifyDrawFile(JSON.stringify({ format: 'zhize-draw/v1' }));
    expect(missing.wellFormed).toBe(false);
    expect(missing.problems.some((p) => p.includes('parameters'))).toBe(true);
  });
});

describe('runDraw refusals', () => {
  const population = makePopulation(40, 9);

  it('names the entity when too few inspectors are free of conflicts', () => {
    const victim = population[0]!;
    const inspectors = makeInspectors(3, population).map((i, k) => ({
      ...i,
      conflicts: k < 2 ? [victim.uscc] : [],
    }));
    const input = {
      ...drawInput(population, inspectors),
      parameters: { ...PARAMETERS, ratioBasisPoints: 10_000 },
    };
    expect(() => runDraw(input)).toThrow(DrawError);
    try {
      runDraw(input);
    } catch (error) {
      const drawError = error as DrawError;
      expect(drawError.code).toBe('insufficient-inspectors');
      expect(drawError.uscc).toBe(victim.uscc);
      expect(drawError.messageZh).toContain(victim.uscc);
      expect(drawError.messageZh).toContain(victim.name);
    }
  });

  it('refuses to draw when the inputs no longer match the published commitment', () => {
    const inspectors = makeInspectors(4, population);
    const commitment = commitPlan(drawInput(population, inspectors));
    const changed = population.map((e, i) => (i === 5 ? { ...e, name: `${e.name}（已更名）` } : e));
    expect(() =>
      runDraw({ ...drawInput(changed, inspectors), expectedCommitHash: commitment.commitHash }),
    ).toThrow(expect.objectContaining({ code: 'commitment-mismatch' }));
    const same = runDraw({ ...drawInput(population, inspectors), expectedCommitHash: commitment.commitHash });
    expect(same.commitment.commitHash).toBe(commitment.commitHash);
  });

  it.each([
    [
      'a duplicated uscc',
      (p: PopulationEntity[]) => [...p, { ...p[0]!, name: '重复' }],
      'invalid-population',
    ],
    [
      'an invalid uscc',
      (p: PopulationEntity[]) => [{ ...p[0]!, uscc: '91131102MA0TW0016Q' }, ...p.slice(1)],
      'invalid-population',
    ],
    [
      'a control character in a name',
      (p: PopulationEntity[]) => [{ ...p[0]!, name: '企业\t名称' }, ...p.slice(1)],
      'invalid-population',
    ],
    ['an empty population', () => [], 'invalid-population'],
  ] as const)('rejects %s', (_, change, code) => {
    const input = drawInput(change(population), makeInspectors(4, population));
    expect(() => runDraw(input)).toThrow(expect.objectContaining({ code }));
  });

  it('rejects bad parameters, seed and witness', () => {
    const input = drawInput(population, makeInspectors(4, population));
    expect(() => runDraw({ ...input, parameters: { ...PARAMETERS, ratioBasisPoints: 10.5 } })).toThrow(
      /ratioBasisPoints/,
    );
    expect(() => runDraw({ ...input, serverSeed: 'A1'.repeat(32) })).toThrow(
      expect.objectContaining({ code: 'invalid-seed' }),
    );
    expect(() => runDraw({ ...input, witness: '' })).toThrow(
      expect.objectContaining({ code: 'invalid-witness' }),
    );
  });

  it('explains an invalid uscc with the validator reason', () => {
    const bad = [{ ...population[0]!, uscc: population[0]!.uscc.toLowerCase() }, ...population.slice(1)];
    const check = validateUscc(bad[0]!.uscc);
    expect(check.ok).toBe(true); // valid once normalised, but bulk data must already be canonical
    expect(() => runDraw(drawInput(bad, makeInspectors(4, population)))).toThrow(/规范形式/);
  });
});

describe('sample size and allocation rules', () => {
  it('rounds the sample size up in exact integer arithmetic', () => {
    expect(sampleSize(1000, 1000)).toBe(100);
    expect(sampleSize(1001, 1000)).toBe(101);
    expect(sampleSize(3, 1)).toBe(1);
    expect(sampleSize(49_999_999, 10_000)).toBe(49_999_999);
  });

  it('breaks equal remainders by larger county, then by county name bytes', () => {
    const counts = new Map([
      ['景县', 10],
      ['冀州区', 10],
      ['桃城区', 20],
      ['安平县', 10],
    ]);
    // n = 3 over N = 50: quotas 0.6, 0.6, 1.2, 0.6 → floors 0,0,1,0; remainders 30,30,10,30
    const allocation = allocateStrata(counts, 3);
    const quota = Object.fromEntries(allocation.map((a) => [a.county, a.quota]));
    const tied = ['景县', '冀州区', '安平县'].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(quota[tied[0]!]).toBe(1);
    expect(quota[tied[1]!]).toBe(1);
    expect(quota[tied[2]!]).toBe(0);
    expect(allocation.find((a) => a.county === '桃城区')?.quota).toBe(1);
  });
});

describe('two-thread ranking', () => {
  it('gives exactly the same result as the single-thread path, sorted or unsorted input', () => {
    const population = makePopulation(9000, 3);
    const input = drawInput(population, makeInspectors(8, population));
    const single = runDraw(input, { parallel: 'never' });
    expect(runDraw(input, { parallel: 'always' })).toEqual(single);
    expect(runDraw(input, { parallel: 'worker' })).toEqual(single);
    const sorted = [...population].sort((a, b) => (a.uscc < b.uscc ? -1 : 1));
    expect(runDraw({ ...input, population: sorted }, { parallel: 'worker' })).toEqual(single);
  });

  it('gives the same result and file when the whole draw runs in a worker thread', async () => {
    const population = makePopulation(60_000, 5); // above PARALLEL_RANKING_MIN: the worker ranks on two threads
    const input = drawInput(population, makeInspectors(6, population));
    const here = drawAndSerialize(input, { parallel: 'never' });
    const there = await runDrawOffThread(input);
    expect(there.result).toEqual(here.result);
    expect(there.fileText).toBe(here.fileText);
    expect(there.fileSha256).toBe(createHash('sha256').update(here.fileText, 'utf8').digest('hex'));
  });

  it('returns the callers keys and names of the drawn entities from a draw job, and the file as bytes', async () => {
    const population = makePopulation(3_000, 7);
    const input = drawInput(population, makeInspectors(4, population));
    const here = drawAndSerialize(input, { parallel: 'never' });
    const job = startDrawJob();
    const { population: _, ...rest } = input;
    for (let i = 0; i < population.length; i += 1_000) {
      const part = population.slice(i, i + 1_000);
      job.add(
        part,
        part.map((_e, k) => 100_000 + i + k),
      );
    }
    const outcome = await job.run(rest, { parallel: 'never' });
    expect(outcome.result).toEqual(here.result);
    expect(outcome.file.toString('utf8')).toBe(here.fileText);
    const indexOf = new Map(population.map((e, i) => [e.uscc, i]));
    expect(outcome.taskKeys).toEqual(outcome.result.tasks.map((t) => 100_000 + indexOf.get(t.uscc)!));
    expect(outcome.taskNames).toEqual(
      outcome.result.tasks.map((t) => population[indexOf.get(t.uscc)!]!.name),
    );
  });

  it('splits a draw file into parts that end at line breaks and join to the file exactly', () => {
    const population = makePopulation(2_000, 8).map((e, i) => ({ ...e, name: `企业🀄${i}` }));
    const { fileText } = drawAndSerialize(drawInput(population, makeInspectors(4, population)));
    const bytes = Buffer.from(fileText, 'utf8');
    for (const size of [1, 7, 1_000, 64 * 1024, bytes.length, bytes.length * 2]) {
      const parts = [...splitDrawFile(bytes, size)];
      expect(parts.join('')).toBe(fileText);
      for (const part of parts) expect(part.endsWith('\n')).toBe(true);
      if (size >= 1_000) {
        for (const part of parts.slice(0, -1)) expect(Buffer.byteLength(part)).toBeGreaterThanOrEqual(size);
      }
    }
    expect([...splitDrawFile(Buffer.alloc(0), 10)]).toEqual([]);
  });

  it('rejects in the worker with the same DrawError runDraw throws', async () => {
    const population = makePopulation(300, 6);
    const input = { ...drawInput(population, makeInspectors(4, population)), witness: '' };
    expect(() => runDraw(input)).toThrow(DrawError);
    const error = await runDrawOffThread(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DrawError);
    expect((error as DrawError).code).toBe('invalid-witness');
  });

  it('hashes the population independently of its input order', () => {
    const population = makePopulation(500, 4);
    expect(hashPopulation([...population].reverse())).toBe(hashPopulation(population));
  });
});
