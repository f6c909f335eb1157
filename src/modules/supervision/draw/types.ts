/** Identifier of the draw-file format; part of every file. */
export const DRAW_FILE_FORMAT = 'zhize-draw/v1';

/** Largest population a draw accepts: keeps n × N_h below 2^53 so allocation is exact integer maths. */
export const MAX_POPULATION = 50_000_000;

/** What is drawn, fixed at commit time. */
export interface DrawParameters {
  /** Supervision regime the plan belongs to (free text, no control characters). */
  regimeId: string;
  /** Plan year, 2000–2100. */
  year: number;
  /** Round within the year, 1–99. */
  round: number;
  /** Share of the population to draw in basis points: 1000 = 10 %. Integer 1–10000. */
  ratioBasisPoints: number;
  /** Inspectors assigned to every task (the regimes require at least two). Integer 1–20. */
  minInspectorsPerTask: number;
  /** Stratification; only by county for now. */
  strata: 'county';
}

/** One regulated entity of the register (检查对象名录库). Extra properties are ignored by the draw. */
export interface PopulationEntity {
  uscc: string;
  name: string;
  county: string;
}

/** One inspector of the register (执法检查人员名录库). */
export interface DrawInspector {
  /** Enforcement certificate number (执法证号): unique key. */
  certificate: string;
  name: string;
  county: string;
  /** USCCs of entities this inspector must not inspect (declared conflicts of interest). */
  conflicts: readonly string[];
}

/** Sample share of one county. */
export interface StratumAllocation {
  county: string;
  /** Entities of this county in the population. */
  population: number;
  /** Entities drawn from this county. */
  quota: number;
}

/** Everything published before the draw. */
export interface DrawCommitment {
  parameters: DrawParameters;
  populationSize: number;
  populationHash: string;
  inspectorsHash: string;
  serverSeedHash: string;
  /** SHA-256 of the commit text (docs/draws.md), binding all of the above. */
  commitHash: string;
  sampleSize: number;
  allocation: StratumAllocation[];
}

/** One drawn inspection task. */
export interface DrawTask {
  uscc: string;
  county: string;
  /** HMAC-SHA256(drawSeed, uscc), lower-case hex. */
  rank: string;
  /** Certificates of the assigned inspectors, in canonical (UTF-8 byte) order. */
  inspectors: string[];
}

/** Outcome of a draw. Tasks are in ascending rank order. */
export interface DrawResult {
  commitment: DrawCommitment;
  witness: string;
  drawSeed: string;
  sampleSize: number;
  allocation: StratumAllocation[];
  tasks: DrawTask[];
}

export interface CommitPlanInput {
  parameters: DrawParameters;
  population: readonly PopulationEntity[];
  inspectors: readonly DrawInspector[];
  /** 32 secret random bytes as 64 lower-case hex characters (see generateServerSeed). */
  serverSeed: string;
}

export interface RunDrawInput extends CommitPlanInput {
  /** Public value fixed at draw time (e.g. a lottery result read out in front of witnesses). */
  witness: string;
  /** When given, the draw refuses to run unless the recomputed commitHash equals this one. */
  expectedCommitHash?: string;
}

/** A self-contained, publishable record of a draw that verifyDrawFile can check. */
export interface DrawFile {
  format: typeof DRAW_FILE_FORMAT;
  parameters: DrawParameters;
  commitment: { populationHash: string; inspectorsHash: string; serverSeedHash: string; commitHash: string };
  serverSeed: string;
  witness: string;
  result: { drawSeed: string; sampleSize: number; allocation: StratumAllocation[]; tasks: DrawTask[] };
  population: PopulationEntity[];
  inspectors: DrawInspector[];
}

/** Stable codes of DrawError. */
