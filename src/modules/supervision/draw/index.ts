/**
 * Verifiable random draws (双随机): which entities are inspected and by whom.
 *
 * The algorithm is specified byte for byte in docs/draws.md so that anyone can re-implement it and
 * check a published draw file; this folder is the reference implementation. In short:
 *   commit  — publish hashes of the parameters, the population, the inspectors and a secret server seed;
 *   draw    — a witness value is entered in public; drawSeed = SHA-256(serverSeed ‖ witness);
 *             entities are ranked by HMAC-SHA256(drawSeed, uscc), the sample is allocated to counties
 *             by largest remainder and the lowest ranks are taken in each county;
 *   assign  — each task gets the least-loaded unconflicted inspectors, ties broken by
 *             HMAC-SHA256(drawSeed, uscc + ':' + certificate);
 *   verify  — recompute everything from a self-contained file and list every difference.
 *
 * Version 2 (the current one) also commits the witness source and its canonical form, the planned
 * draw time, the population's selection criteria and the entities left out at the yearly cap, and
 * stratifies by county × risk class; files of version 1 still verify.
 *
 * Pure code: no database, no HTTP, no clock. One file per step: types, errors, validate, witness
 * (+ witness-sources, the registry as data), canonical, commit, rank (+ rank.worker), select,
 * assign, run, file, verify (+ verify-compare).
 */

export {
  canonicalInspectors,
  canonicalPopulationOrder,
  commitText,
  commitTextOf,
  commitTextV2,
  compareUtf8,
  computeDrawSeed,
  generateServerSeed,
  hashExclusions,
  hashInspectors,
  hashPopulation,
  hashPopulationV2,
  hashServerSeed,
} from './canonical.ts';
export { allocateByRiskClass, allocateStrata, commitPlan, sampleSize } from './commit.ts';
export { DrawError, type DrawErrorCode } from './errors.ts';
export { buildDrawFile, serializeDrawFile, splitDrawFile } from './file.ts';
export {
  type DrawJob,
  type DrawJobOutcome,
  type DrawOutcome,
  drawAndSerialize,
  runDrawOffThread,
  startDrawJob,
} from './off-thread.ts';
export { PARALLEL_RANKING_MIN, type RunDrawOptions } from './rank.ts';
export { runDraw } from './run.ts';
export type {
  AnyDrawParameters,
  CommitPlanInput,
  DrawCommitment,
  DrawExclusion,
  DrawFile,
  DrawFileV1,
  DrawFileV2,
  DrawInspector,
  DrawParameters,
  DrawParametersV2,
  DrawResult,
  DrawRiskClass,
  DrawSelection,
  DrawTask,
  PopulationEntity,
  RunDrawInput,
  StratumAllocation,
} from './types.ts';
export {
  CITY_WIDE_COUNTY,
  DRAW_FILE_FORMAT,
  DRAW_FILE_FORMAT_V2,
  DRAW_RISK_CLASSES,
  isV2,
  MAX_POPULATION,
  STRATA_V2,
} from './types.ts';
export { beijingInstant, isCleanText, parameterProblemsV2, validateParameters } from './validate.ts';
export { type DrawVerification, type VerifyOptions, verifyDrawFile } from './verify.ts';
export { commitLines } from './verify-compare.ts';
export { normaliseWitness, normaliseWitnessValue, parseWitnessFormat, witnessPrefix } from './witness.ts';
export { WITNESS_SOURCES, type WitnessSource, witnessSourceOf } from './witness-sources.ts';
