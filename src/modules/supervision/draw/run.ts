/** The draw: validate and recompute the commitment, rank, select and assign. */
import { createSecretKey, type KeyObject } from 'node:crypto';
import { type AssignmentState, assignTask, conflictIndex } from './assign.ts';
import { computeDrawSeed } from './canonical.ts';
import { type PreparedDraw, prepareDraw } from './commit.ts';
import { DrawError } from './errors.ts';
import {
  byRank,
  finishRanking,
  PARALLEL_RANKING_MIN,
  type RankTable,
  type RunDrawOptions,
  rankHex,
  startRanking,
  stopRanking,
} from './rank.ts';
import { selectEntities } from './select.ts';
import type {
  DrawCommitment,
  DrawInspector,
  DrawResult,
  DrawTask,
  PopulationEntity,
  RunDrawInput,
} from './types.ts';
import { validateParameters } from './validate.ts';

/**
 * Runs the draw: validates and commits (recomputing every hash), derives drawSeed from the server
 * seed and the witness, selects entities per county and assigns inspectors. Throws DrawError.
 */
export function runDraw(input: RunDrawInput, options: RunDrawOptions = {}): DrawResult {
  validateParameters(input.parameters);
  const drawSeed = computeDrawSeed(input.serverSeed, input.witness);
  const mode = options.parallel ?? 'auto';
  const parallel = mode !== 'never' && (mode !== 'auto' || input.population.length >= PARALLEL_RANKING_MIN);
  const ranking = startRanking(input.population, drawSeed, parallel);
  try {
    const prepared = prepareDraw(input);
    assertExpectedCommitment(prepared.commitment, input.expectedCommitHash);
    const ranks = finishRanking(ranking, prepared.population.order, mode === 'worker');
    return drawFromRanks(prepared, ranks, input, drawSeed);
  } finally {
    stopRanking(ranking);
  }
}

function assertExpectedCommitment(commitment: DrawCommitment, expected: string | undefined): void {
  if (expected === undefined || expected === commitment.commitHash) return;
  throw new DrawError(
    'commitment-mismatch',
    '抽取输入与已公布的承诺不一致（名录、执法人员、参数或种子在承诺后被改动），不得抽取',
    'the draw input does not match the published commitment',
  );
}

/** Selection per county and inspector assignment, once every rank is known. */
function drawFromRanks(
  prepared: PreparedDraw,
  ranks: RankTable,
  input: RunDrawInput,
  drawSeed: Buffer,
): DrawResult {
  const { commitment, population, inspectors } = prepared;
  const entities = population.entities;
  const compare = byRank(entities, ranks);
  const quotaByCounty = new Map(commitment.allocation.map((a) => [a.county, a.quota]));
  const quotas = population.counties.map((county) => quotaByCounty.get(county) ?? 0);
  const selected = selectEntities(population, quotas, ranks, compare).sort(compare);
  const seedKey = createSecretKey(drawSeed);
  const tasks = assignAll(
    entities,
    selected,
    inspectors,
    seedKey,
    input.parameters.minInspectorsPerTask,
    ranks,
  );
  return {
    commitment,
    witness: input.witness,
    drawSeed: drawSeed.toString('hex'),
    sampleSize: commitment.sampleSize,
    allocation: commitment.allocation,
    tasks,
  };
}

/** Builds the tasks, assigning inspectors in task (rank) order. */
function assignAll(
  population: readonly PopulationEntity[],
  selected: readonly number[],
  inspectors: readonly DrawInspector[],
  seedKey: KeyObject,
  need: number,
  ranks: RankTable,
): DrawTask[] {
  const state: AssignmentState = {
    inspectors,
    conflicts: conflictIndex(inspectors),
    loads: new Int32Array(inspectors.length),
    excludedAt: new Int32Array(inspectors.length),
    seedKey,
  };
  return selected.map((index, t) => {
    const entity = population[index]!;
    return {
      uscc: entity.uscc,
      county: entity.county,
      rank: rankHex(ranks, index),
      inspectors: assignTask(state, entity, t + 1, need),
    };
  });
}
