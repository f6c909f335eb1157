import { composeUscc, USCC_ALPHABET } from '../../src/lib/uscc.ts';
import type { DrawInspector, PopulationEntity } from '../../src/modules/supervision/draw/index.ts';
import { COUNTIES } from '../../src/modules/supervision/index.ts';

/** Deterministic generated populations for bench/draw (run.ts and server.ts). */

/** Deterministic 32-bit generator (mulberry32). */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Serial number i written with 6 characters of the USCC alphabet, after 'MA' (as newer codes are). */
export function orgBody(i: number): string {
  let rest = i;
  let out = '';
  for (let k = 0; k < 6; k += 1) {
    out = USCC_ALPHABET.charAt(rest % 31) + out;
    rest = Math.floor(rest / 31);
  }
  return `MA${out}`;
}

/** 1,000,000 entities; county weights make strata of very different sizes (桃城区 largest). */
export function makePopulation(count: number): PopulationEntity[] {
  const random = generator(20260302);
  const weights = COUNTIES.map((_, i) => 13 - i);
  const total = weights.reduce((a, b) => a + b, 0);
  const population: PopulationEntity[] = new Array(count);
  for (let i = 0; i < count; i += 1) {
    let pick = random() * total;
    let c = 0;
    while (pick >= weights[c]!) pick -= weights[c++]!;
    const county = COUNTIES[c]!;
    population[i] = {
      uscc: composeUscc('91', county.divisionCode, orgBody(i)),
      name: `企业${i}`,
      county: county.name,
    };
  }
  return population;
}

export function makeInspectors(count: number, population: readonly PopulationEntity[]): DrawInspector[] {
  return Array.from({ length: count }, (_, i) => ({
    certificate: `13110${String(i).padStart(6, '0')}`,
    name: `执法人员${i}`,
    county: COUNTIES[i % COUNTIES.length]!.name,
    conflicts: [population[i * 7]!.uscc, population[i * 7 + 1]!.uscc],
  }));
}
