/** Sample size, allocation to strata by largest remainder, and the commitment (either version). */
import {
  canonicalExclusions,
  canonicalInspectors,
  commitTextOf,
  compareUtf8,
  hashExclusions,
  hashInspectors,
  hashPopulation,
  hashPopulationV2,
  hashServerSeed,
  sha256Hex,
} from './canonical.ts';
import {
  type CommitPlanInput,
  DRAW_RISK_CLASSES,
  type DrawCommitment,
  type DrawInspector,
  type DrawParametersV2,
  isV2,
  type StratumAllocation,
} from './types.ts';
import {
  type PreparedPopulation,
  preparePopulation,
  validateExclusions,
  validateInspectors,
  validateParameters,
} from './validate.ts';

/** n = ceil(N × ratioBasisPoints / 10000), in exact integer arithmetic. */
export function sampleSize(populationSize: number, ratioBasisPoints: number): number {
  return Math.floor((populationSize * ratioBasisPoints + 9999) / 10_000);
}

/**
 * Largest-remainder (Hamilton) allocation of n over strata. Each county first gets
 * floor(n × N_h / N); the leftover units go one each to the counties with the largest remainder
 * (n × N_h mod N), ties broken by larger N_h, then by county name in UTF-8 byte order.
 * The result is listed in county-name byte order.
 */
export function allocateStrata(counts: ReadonlyMap<string, number>, n: number): StratumAllocation[] {
  let total = 0;
  for (const count of counts.values()) total += count;
  const rows = [...counts].map(([county, population]) => ({
    county,
    population,
    quota: Math.floor((n * population) / total),
    remainder: (n * population) % total,
  }));
  let leftover = n - rows.reduce((sum, r) => sum + r.quota, 0);
  const byRemainder = [...rows].sort(
    (a, b) => b.remainder - a.remainder || b.population - a.population || compareUtf8(a.county, b.county),
  );
  for (const row of byRemainder) {
    if (leftover === 0) break;
    row.quota += 1;
    leftover -= 1;
  }
  return rows
    .sort((a, b) => compareUtf8(a.county, b.county))
    .map(({ county, population, quota }) => ({ county, population, quota }));
}

/** Version 2: per risk class (canonical order) n_c = ceil(N_c × ratio_c), allocated over its counties. */
export function allocateByRiskClass(
  population: PreparedPopulation,
  ratios: DrawParametersV2['ratios'],
): StratumAllocation[] {
  return DRAW_RISK_CLASSES.flatMap((riskClass) => {
    const counts = new Map<string, number>();
    population.strata.forEach((s, id) => {
      if (s.riskClass === riskClass) counts.set(s.county, population.counts[id]!);
    });
    let size = 0;
    for (const count of counts.values()) size += count;
    if (size === 0) return [];
    return allocateStrata(counts, sampleSize(size, ratios[riskClass])).map((a) => ({ riskClass, ...a }));
  });
}

/** The quota of every stratum index of the population, from the allocation. */
export function stratumQuotas(population: PreparedPopulation, allocation: StratumAllocation[]): number[] {
  const key = (s: { county: string; riskClass?: string }) => `${s.riskClass ?? ''}\t${s.county}`;
  const quota = new Map(allocation.map((a) => [key(a), a.quota]));
  return population.strata.map((s) => quota.get(key(s)) ?? 0);
}

/** Validated, canonical inputs of a draw together with their commitment. */
export interface PreparedDraw {
  commitment: DrawCommitment;
  population: PreparedPopulation;
  inspectors: DrawInspector[];
}

/** Validates every input and computes the commitment. Throws DrawError. */
export function prepareDraw(input: CommitPlanInput): PreparedDraw {
  const p = input.parameters;
  validateParameters(p);
  const v2 = isV2(p);
  const population = preparePopulation(input.population, v2);
  const inspectors = canonicalInspectors(input.inspectors);
  validateInspectors(inspectors);
  const exclusions = v2 ? canonicalExclusions(input.exclusions ?? []) : [];
  if (v2) validateExclusions(exclusions, p.yearlyCap, population.entities);
  const hashes = {
    populationHash: (v2 ? hashPopulationV2 : hashPopulation)(population.entities),
    ...(v2 ? { exclusionsHash: hashExclusions(exclusions) } : {}),
    inspectorsHash: hashInspectors(inspectors),
    serverSeedHash: hashServerSeed(input.serverSeed),
  };
  let allocation: StratumAllocation[];
  if (v2) allocation = allocateByRiskClass(population, p.ratios);
  else {
    const counts = new Map(population.strata.map((s, id) => [s.county, population.counts[id]!]));
    allocation = allocateStrata(counts, sampleSize(population.entities.length, p.ratioBasisPoints));
  }
  const text = commitTextOf(p, hashes);
  const commitment: DrawCommitment = {
    parameters: { ...p },
    populationSize: population.entities.length,
    ...hashes,
    commitText: text,
    commitHash: sha256Hex(text),
    sampleSize: allocation.reduce((sum, a) => sum + a.quota, 0),
    allocation,
  };
  return { commitment, population, inspectors };
}

/** Validates everything and computes what is published before the draw. Throws DrawError. */
export function commitPlan(input: CommitPlanInput): DrawCommitment {
  return prepareDraw(input).commitment;
}
