/** Identifier of the first draw-file format (algorithm version 1); its files still verify. */
export const DRAW_FILE_FORMAT = 'zhize-draw/v1';
/** Identifier of the current format (algorithm version 2, docs/draws.md). */
export const DRAW_FILE_FORMAT_V2 = 'zhize-draw/v2';

/** Largest population a draw accepts: keeps n × N_h below 2^53 so allocation is exact integer maths. */
export const MAX_POPULATION = 50_000_000;

/**
 * Risk classes of version 2, in canonical order: the national enterprise credit-risk classes A–D
 * (国市监信发〔2022〕6号: A 信用风险低, B 一般, C 较高, D 高) and U for an entity not yet classified.
 */
export const DRAW_RISK_CLASSES = ['A', 'B', 'C', 'D', 'U'] as const;
export type DrawRiskClass = (typeof DRAW_RISK_CLASSES)[number];

/** County of an inspector who works for the city bureau: under `own-county` they may go anywhere. */
export const CITY_WIDE_COUNTY = '市本级';

/** Stratification of version 2: county × risk class. */
export const STRATA_V2 = 'county-risk';

/** What is drawn, fixed at commit time (version 1). */
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
  /** Stratification; only by county in version 1. */
  strata: 'county';
}

/** How the population was chosen from the register (version 2): committed, so it cannot be re-chosen. */
export interface DrawSelection {
  /** Entity category codes of the regime, byte order. */
  categories: string[];
  /** Entity statuses admitted (`active`), byte order. */
  statuses: string[];
  /** Counties the population is narrowed to, byte order; empty: all. */
  counties: string[];
  /** Risk classes the population is narrowed to, canonical order; empty: all (U included). */
  riskClasses: string[];
}

/** What is drawn, fixed at commit time (version 2, docs/draws.md). */
export interface DrawParametersV2 {
  regimeId: string;
  year: number;
  round: number;
  /** When the inspections take place: calendar dates YYYY-MM-DD, start ≤ end. */
  inspectionPeriod: { start: string; end: string };
  selection: DrawSelection;
  /** Checks per entity per year at which an entity is excluded (国办发〔2024〕54号): integer 1–99. */
  yearlyCap: number;
  strata: typeof STRATA_V2;
  /** Share drawn of each risk class, basis points 0–10000, for all of A, B, C, D, U. */
  ratios: Record<DrawRiskClass, number>;
  minInspectorsPerTask: number;
  /** `own-county`: an inspector is assigned only in their own county (属地), city-wide ones anywhere. */
  inspectorScope: 'own-county' | 'any';
  /** Id of the witness source (draw/witness-sources.ts), e.g. `cwl-ssq`. */
  witnessSource: string;
  /** Which draw of the source: a lottery's issue number (期号) or a beacon's round. */
  witnessReference: string;
  /** The canonical form of the witness value (docs/draws.md), e.g. `groups:6@1-33,1@1-16`. */
  witnessFormat: string;
  /** When the witness value becomes public; no draw before it. `YYYY-MM-DDTHH:MM:SS+08:00`. */
  plannedDrawAt: string;
  /** When the commitment was published, same form; strictly before plannedDrawAt. */
  committedAt: string;
}

export type AnyDrawParameters = DrawParameters | DrawParametersV2;

/** True for version-2 parameters. */
export const isV2 = (p: AnyDrawParameters): p is DrawParametersV2 => 'witnessSource' in p;

/** One regulated entity of the register (检查对象名录库). Extra properties are ignored by the draw. */
export interface PopulationEntity {
  uscc: string;
  name: string;
  county: string;
  /** Version 2 only: A–D or U (not classified). */
  riskClass?: string;
}

/** An entity left out because it reached the yearly cap of checks (version 2). */
export interface DrawExclusion {
  uscc: string;
  name: string;
  county: string;
  /** Checks of this entity in the plan year before the commitment; at least the yearly cap. */
  checks: number;
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

/** Sample share of one stratum: a county (version 1) or a risk class in a county (version 2). */
export interface StratumAllocation {
  /** Version 2 only. */
  riskClass?: string;
  county: string;
  /** Entities of this stratum in the population. */
  population: number;
  /** Entities drawn from this stratum. */
  quota: number;
}

/** Everything published before the draw. */
export interface DrawCommitment {
  parameters: AnyDrawParameters;
  populationSize: number;
  populationHash: string;
  /** Version 2 only. */
  exclusionsHash?: string;
  inspectorsHash: string;
  serverSeedHash: string;
  /** The commit text (docs/draws.md) whose SHA-256 is commitHash. */
  commitText: string;
  /** SHA-256 of the commit text, binding all of the above. */
  commitHash: string;
  sampleSize: number;
  allocation: StratumAllocation[];
}

/** One drawn inspection task. */
export interface DrawTask {
  uscc: string;
  /** Version 2 only. */
  riskClass?: string;
  county: string;
  /** HMAC-SHA256(drawSeed, uscc), lower-case hex. */
  rank: string;
  /** Certificates of the assigned inspectors, in canonical (UTF-8 byte) order. */
  inspectors: string[];
}

/** Outcome of a draw. Tasks are in ascending rank order. */
export interface DrawResult {
  commitment: DrawCommitment;
  /** The witness as typed. */
  witness: string;
  /** The witness the draw seed is made from: as typed in version 1, normalised in version 2. */
  witnessCanonical: string;
  drawSeed: string;
  sampleSize: number;
  allocation: StratumAllocation[];
  tasks: DrawTask[];
}

export interface CommitPlanInput {
  parameters: AnyDrawParameters;
  population: readonly PopulationEntity[];
  /** Version 2: the entities left out at the yearly cap (listed in the commitment). */
  exclusions?: readonly DrawExclusion[];
  inspectors: readonly DrawInspector[];
  /** 32 secret random bytes as 64 lower-case hex characters (see generateServerSeed). */
  serverSeed: string;
}

export interface RunDrawInput extends CommitPlanInput {
  /** Public value fixed at draw time (e.g. a lottery result read out in front of witnesses), as typed. */
  witness: string;
  /** Version 2: when the draw ran, `YYYY-MM-DDTHH:MM:SS+08:00`; not before plannedDrawAt. */
  drawnAt?: string;
  /** When given, the draw refuses to run unless the recomputed commitHash equals this one. */
  expectedCommitHash?: string;
}

/** A self-contained, publishable record of a version-1 draw that verifyDrawFile can check. */
export interface DrawFileV1 {
  format: typeof DRAW_FILE_FORMAT;
  parameters: DrawParameters;
  commitment: { populationHash: string; inspectorsHash: string; serverSeedHash: string; commitHash: string };
  serverSeed: string;
  witness: string;
  result: { drawSeed: string; sampleSize: number; allocation: StratumAllocation[]; tasks: DrawTask[] };
  population: PopulationEntity[];
  inspectors: DrawInspector[];
}

/** A self-contained, publishable record of a version-2 draw (docs/draws.md, "The published file"). */
export interface DrawFileV2 {
  format: typeof DRAW_FILE_FORMAT_V2;
  parameters: DrawParametersV2;
  commitment: {
    populationHash: string;
    exclusionsHash: string;
    inspectorsHash: string;
    serverSeedHash: string;
    commitHash: string;
  };
  serverSeed: string;
  witness: { typed: string; canonical: string };
  drawnAt: string;
  result: { drawSeed: string; sampleSize: number; allocation: StratumAllocation[]; tasks: DrawTask[] };
  population: PopulationEntity[];
  exclusions: DrawExclusion[];
  inspectors: DrawInspector[];
}

export type DrawFile = DrawFileV1 | DrawFileV2;
