/** Entity selection: the lowest ranks of each county up to its quota. */
import type { RankTable } from './rank.ts';
import type { PreparedPopulation } from './validate.ts';

/**
 * Per stratum, the 48-bit key of its quota-th lowest rank (−1 when the quota is 0), found by a native
 * numeric sort of that stratum's keys.
 */
function stratumThresholds(
  population: PreparedPopulation,
  quotas: readonly number[],
  ranks: RankTable,
): Float64Array {
  const keys = population.counts.map((count) => new Float64Array(count));
  const fill = new Int32Array(keys.length);
  for (let i = 0; i < population.stratumOf.length; i += 1) {
    const s = population.stratumOf[i]!;
    keys[s]![fill[s]!++] = ranks.key[i]!;
  }
  return Float64Array.from(keys, (stratumKeys, s) => {
    const quota = quotas[s]!;
    return quota === 0 ? -1 : stratumKeys.sort()[quota - 1]!;
  });
}

/**
 * Indices of the entities with the lowest ranks in each stratum, `quotas[s]` of them. Entities whose
 * key equals the threshold are ordered by the full comparison (full rank, then uscc).
 */
export function selectEntities(
  population: PreparedPopulation,
  quotas: readonly number[],
  ranks: RankTable,
  compare: (a: number, b: number) => number,
): number[] {
  const thresholds = stratumThresholds(population, quotas, ranks);
  const selected: number[] = [];
  const taken = new Int32Array(quotas.length);
  const ties: number[][] = quotas.map(() => []);
  for (let i = 0; i < population.stratumOf.length; i += 1) {
    const s = population.stratumOf[i]!;
    const key = ranks.key[i]!;
    if (key < thresholds[s]!) {
      selected.push(i);
      taken[s]! += 1;
    } else if (key === thresholds[s]) ties[s]!.push(i);
  }
  ties.forEach((tied, s) => {
    selected.push(...tied.sort(compare).slice(0, quotas[s]! - taken[s]!));
  });
  return selected;
}
