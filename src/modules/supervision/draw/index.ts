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
 * Pure code: no database, no HTTP, no clock. One file per step: types, errors, validate,
 * canonical, commit, rank (+ rank.worker), select, assign, run, file, verify.
 */

export {
  canonicalInspectors,
  canonicalPopulationOrder,
  commitText,
  compareUtf8,
  computeDrawSeed,
  generateServerSeed,
  hashInspectors,
  hashPopulation,
  hashServerSeed,
} from './canonical.ts';
export { allocateStrata, commitPlan, sampleSize } from './commit.ts';
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
  CommitPlanInput,
  DrawCommitment,
  DrawFile,
  DrawInspector,
  DrawParameters,
  DrawResult,
  DrawTask,
  PopulationEntity,
  RunDrawInput,
  StratumAllocation,
} from './types.ts';
export { DRAW_FILE_FORMAT, MAX_POPULATION } from './types.ts';
export { validateParameters } from './validate.ts';
export { type DrawVerification, verifyDrawFile } from './verify.ts';
