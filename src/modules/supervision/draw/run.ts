/** The draw: validate and recompute the commitment, rank, select and assign. */
import { createSecretKey } from 'node:crypto';
import { type AssignmentState, assignTask, conflictIndex, outOfCounty } from './assign.ts';
import { computeDrawSeed } from './canonical.ts';
import { type PreparedDraw, prepareDraw, stratumQuotas } from './commit.ts';
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
import {
  type DrawCommitment,
  type DrawResult,
  type DrawTask,
  isV2,
  type PopulationEntity,
  type RunDrawInput,
} from './types.ts';
import { beijingInstant, validateParameters, validateWitness } from './validate.ts';
import { normaliseWitness } from './witness.ts';

/**
 * The witness the seed is made from: version 1 uses it as typed; version 2 normalises it by the
 * committed format and refuses a draw dated before the planned draw time. Throws DrawError.
 */
function witnessOf(input: RunDrawInput): string {
  const p = input.parameters;
  if (!isV2(p)) return input.witness;
  validateWitness(input.witness);
  const drawnAt = beijingInstant(input.drawnAt);
  if (drawnAt === null) {
    throw new DrawError(
      'invalid-parameters',
      '抽取时间 drawnAt 应为北京时间 YYYY-MM-DDTHH:MM:SS+08:00',
      'drawnAt must be YYYY-MM-DDTHH:MM:SS+08:00',
    );
  }
  if (drawnAt < beijingInstant(p.plannedDrawAt)!) {
    throw new DrawError(
      'too-early',
      `抽取时间 ${input.drawnAt} 早于承诺的计划抽取时间 ${p.plannedDrawAt}：此时见证值尚未产生，不得抽取`,
      `drawnAt ${input.drawnAt} is before plannedDrawAt ${p.plannedDrawAt}`,
    );
  }
  return normaliseWitness(p, input.witness);
}

/**
 * Runs the draw: validates and commits (recomputing every hash), derives drawSeed from the server
 * seed and the (version 2: normalised) witness, selects entities per stratum and assigns inspectors.
 * Throws DrawError.
 */
export function runDraw(input: RunDrawInput, options: RunDrawOptions = {}): DrawResult {
  validateParameters(input.parameters);
  const witness = witnessOf(input);
  const drawSeed = computeDrawSeed(input.serverSeed, witness);
  const mode = options.parallel ?? 'auto';
  const parallel = mode !== 'never' && (mode !== 'auto' || input.population.length >= PARALLEL_RANKING_MIN);
  const ranking = startRanking(input.population, drawSeed, parallel);
  try {
    const prepared = prepareDraw(input);
    assertExpectedCommitment(prepared.commitment, input.expectedCommitHash);
    const ranks = finishRanking(ranking, prepared.population.order, mode === 'worker');
    return drawFromRanks(prepared, ranks, input, witness, drawSeed);
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
  witnessCanonical: string,
  drawSeed: Buffer,
): DrawResult {
  const { commitment, population, inspectors } = prepared;
  const entities = population.entities;
  const compare = byRank(entities, ranks);
  const quotas = stratumQuotas(population, commitment.allocation);
  const selected = selectEntities(population, quotas, ranks, compare).sort(compare);
  const p = input.parameters;
  const state: AssignmentState = {
    inspectors,
    conflicts: conflictIndex(inspectors),
    outOfScope: isV2(p) && p.inspectorScope === 'own-county' ? outOfCounty(inspectors) : null,
    loads: new Int32Array(inspectors.length),
    excludedAt: new Int32Array(inspectors.length),
    seedKey: createSecretKey(drawSeed),
  };
  const tasks = assignAll(entities, selected, state, p.minInspectorsPerTask, ranks, isV2(p));
  return {
    commitment,
    witness: input.witness,
    witnessCanonical,
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
  state: AssignmentState,
  need: number,
  ranks: RankTable,
  v2: boolean,
): DrawTask[] {
  return selected.map((index, t) => {
    const entity = population[index]!;
    const inspectors = assignTask(state, entity, t + 1, need);
    const rank = rankHex(ranks, index);
    return v2
      ? { uscc: entity.uscc, riskClass: entity.riskClass!, county: entity.county, rank, inspectors }
      : { uscc: entity.uscc, county: entity.county, rank, inspectors };
  });
}
