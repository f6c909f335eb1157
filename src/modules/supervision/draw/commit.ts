/** Sample size, allocation to counties by largest remainder, and the commitment. */
import {
  canonicalInspectors,
  commitText,
  compareUtf8,
  hashInspectors,
  hashPopulation,
  hashServerSeed,
  sha256Hex,
} from './canonical.ts';
import type { CommitPlanInput, DrawCommitment, DrawInspector, StratumAllocation } from './types.ts';
import {
  type PreparedPopulation,
  preparePopulation,
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

/** Validated, canonical inputs of a draw together with their commitment. */
export interface PreparedDraw {
  commitment: DrawCommitment;
  population: PreparedPopulation;
  inspectors: DrawInspector[];
}

/** Validates every input and computes the commitment. Throws DrawError. */
export function prepareDraw(input: CommitPlanInput): PreparedDraw {
  validateParameters(input.parameters);
  const population = preparePopulation(input.population);
  const inspectors = canonicalInspectors(input.inspectors);
  validateInspectors(inspectors);
  const hashes = {
    populationHash: hashPopulation(population.entities),
    inspectorsHash: hashInspectors(inspectors),
    serverSeedHash: hashServerSeed(input.serverSeed),
  };
  const size = population.entities.length;
  const n = sampleSize(size, input.parameters.ratioBasisPoints);
  const counts = new Map(population.counties.map((county, id) => [county, population.counts[id]!]));
  const commitment: DrawCommitment = {
    parameters: { ...input.parameters },
    populationSize: size,
    ...hashes,
    commitHash: sha256Hex(commitText(input.parameters, hashes)),
    sampleSize: n,
    allocation: allocateStrata(counts, n),
  };
  return { commitment, population, inspectors };
}

/** Validates everything and computes what is published before the draw. Throws DrawError. */
export function commitPlan(input: CommitPlanInput): DrawCommitment {
  return prepareDraw(input).commitment;
}
