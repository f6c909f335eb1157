/** Validation of draw input: parameters, population, inspectors, seeds and witness. */
import { isValidCanonicalUscc, validateUscc } from '../../../lib/uscc.ts';
import { canonicalPermutation } from './canonical.ts';
import { DrawError } from './errors.ts';
import {
  type AnyDrawParameters,
  DRAW_RISK_CLASSES,
  type DrawExclusion,
  type DrawInspector,
  type DrawParameters,
  type DrawParametersV2,
  isV2,
  MAX_POPULATION,
  type PopulationEntity,
  STRATA_V2,
} from './types.ts';
import { parseWitnessFormat } from './witness.ts';
import { witnessSourceOf } from './witness-sources.ts';

/** C0 controls, DEL and lone surrogates: they would make the canonical text ambiguous. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the purpose
const FORBIDDEN_TEXT = /[\u0000-\u001f\u007f]|\p{Cs}/u;
/** Cheap pre-check: no control character and no surrogate at all (the common case). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the purpose
const CONTROL_OR_SURROGATE = /[\u0000-\u001f\u007f\ud800-\udfff]/;

/**
 * 1–maxLength code points (not UTF-16 units: a character beyond U+FFFF counts once), no control
 * character, no lone surrogate.
 */
export function isCleanText(value: unknown, maxLength: number): value is string {
  if (typeof value !== 'string' || value.length === 0) return false;
  // A string has at most as many code points as UTF-16 units: count them only when it might be too long.
  if (value.length > maxLength && [...value].length > maxLength) return false;
  if (!CONTROL_OR_SURROGATE.test(value)) return true; // fast path: nothing suspicious at all
  // A surrogate is fine when it is part of a pair; controls and lone surrogates are not.
  return !FORBIDDEN_TEXT.test(value);
}

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Throws DrawError('invalid-parameters') unless every parameter is in range (either version). */
export function validateParameters(parameters: AnyDrawParameters): void {
  if (isV2(parameters)) {
    validateParametersV2(parameters);
    return;
  }
  const p = parameters as DrawParameters;
  const problems: string[] = [];
  if (!isCleanText(p.regimeId, 200)) problems.push('regimeId');
  if (!isIntegerIn(p.year, 2000, 2100)) problems.push('year');
  if (!isIntegerIn(p.round, 1, 99)) problems.push('round');
  if (!isIntegerIn(p.ratioBasisPoints, 1, 10_000)) problems.push('ratioBasisPoints');
  if (!isIntegerIn(p.minInspectorsPerTask, 1, 20)) problems.push('minInspectorsPerTask');
  if (p.strata !== 'county') problems.push('strata');
  if (problems.length > 0) {
    throw new DrawError(
      'invalid-parameters',
      `抽查参数无效：${problems.join('、')}（比例以万分之一计，1–10000；每项任务检查人员1–20名；分层只支持按县）`,
      `invalid draw parameters: ${problems.join(', ')}`,
    );
  }
}

/** `YYYY-MM-DD`, a real calendar date. */
function isDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const t = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === value;
}

/** `YYYY-MM-DDTHH:MM:SS+08:00` (Beijing time), a real instant; its time in ms, or null. */
export function beijingInstant(value: unknown): number | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/.test(value)) return null;
  const t = Date.parse(value);
  if (Number.isNaN(t)) return null;
  // Date.parse accepts 24:00 and rolls over: the instant must print back as the same text.
  const back = new Date(t + 8 * 3600_000).toISOString().slice(0, 19);
  return back === value.slice(0, 19) ? t : null;
}

/** A list of 1–maxItems (or 0– when `empty`) clean items, each without ',' and not '*', in byte order, unique. */
function isCommitList(value: unknown, empty: boolean): value is string[] {
  if (!Array.isArray(value) || value.length > 1000 || (!empty && value.length === 0)) return false;
  for (let i = 0; i < value.length; i += 1) {
    const item = value[i];
    if (!isCleanText(item, 100) || item.includes(',') || item === '*') return false;
    if (i > 0 && Buffer.compare(Buffer.from(value[i - 1]), Buffer.from(item)) >= 0) return false;
  }
  return true;
}

function ratiosProblem(ratios: unknown): boolean {
  if (typeof ratios !== 'object' || ratios === null) return true;
  const keys = Object.keys(ratios);
  if (keys.join(',') !== DRAW_RISK_CLASSES.join(',')) return true;
  const values = Object.values(ratios);
  return values.some((v) => !isIntegerIn(v, 0, 10_000)) || values.every((v) => v === 0);
}

/** Names of the version-2 parameters that are out of range (docs/draws.md "Parameters"). */
export function parameterProblemsV2(p: DrawParametersV2): string[] {
  const problems: string[] = [];
  if (!isCleanText(p.regimeId, 200)) problems.push('regimeId');
  if (!isIntegerIn(p.year, 2000, 2100)) problems.push('year');
  if (!isIntegerIn(p.round, 1, 99)) problems.push('round');
  const period = p.inspectionPeriod;
  if (typeof period !== 'object' || period === null || !isDate(period.start) || !isDate(period.end)) {
    problems.push('inspectionPeriod');
  } else if (period.start > period.end) problems.push('inspectionPeriod');
  const s = p.selection;
  if (
    typeof s !== 'object' ||
    s === null ||
    !isCommitList(s.categories, false) ||
    !isCommitList(s.statuses, false) ||
    !isCommitList(s.counties, true) ||
    !isCommitList(s.riskClasses, true) ||
    s.riskClasses.some((r) => !(DRAW_RISK_CLASSES as readonly string[]).includes(r))
  ) {
    problems.push('selection');
  }
  if (!isIntegerIn(p.yearlyCap, 1, 99)) problems.push('yearlyCap');
  if (p.strata !== STRATA_V2) problems.push('strata');
  if (ratiosProblem(p.ratios)) problems.push('ratios');
  if (!isIntegerIn(p.minInspectorsPerTask, 1, 20)) problems.push('minInspectorsPerTask');
  if (p.inspectorScope !== 'own-county' && p.inspectorScope !== 'any') problems.push('inspectorScope');
  const source = typeof p.witnessSource === 'string' ? witnessSourceOf(p.witnessSource) : undefined;
  if (!source) problems.push('witnessSource');
  if (
    typeof p.witnessReference !== 'string' ||
    (source && !new RegExp(source.reference.pattern).test(p.witnessReference))
  ) {
    problems.push('witnessReference');
  }
  if (
    typeof p.witnessFormat !== 'string' ||
    !parseWitnessFormat(p.witnessFormat) ||
    (source && source.format !== p.witnessFormat)
  ) {
    problems.push('witnessFormat');
  }
  const planned = beijingInstant(p.plannedDrawAt);
  const committed = beijingInstant(p.committedAt);
  if (planned === null) problems.push('plannedDrawAt');
  if (committed === null) problems.push('committedAt');
  else if (planned !== null && committed >= planned) problems.push('committedAt');
  return problems;
}

function validateParametersV2(p: DrawParametersV2): void {
  const problems = parameterProblemsV2(p);
  if (problems.length > 0) {
    throw new DrawError(
      'invalid-parameters',
      `抽查参数无效：${problems.join('、')}（见 docs/draws.md 第2版参数表）`,
      `invalid draw parameters: ${problems.join(', ')}`,
    );
  }
}

/** Reason an entity is unusable, or null when it is fine; `v2` also requires a risk class. */
export function entityProblem(entity: PopulationEntity, v2 = false): { zh: string; en: string } | null {
  if (!isValidCanonicalUscc(entity.uscc)) {
    const check = validateUscc(String(entity.uscc));
    const zh = check.ok ? `应写作规范形式${check.code}` : check.reason;
    return { zh: `统一社会信用代码“${entity.uscc}”无效：${zh}`, en: `invalid uscc '${entity.uscc}'` };
  }
  if (!isCleanText(entity.name, 500))
    return { zh: `${entity.uscc} 的名称为空或含控制字符`, en: `bad name of ${entity.uscc}` };
  if (!isCleanText(entity.county, 100))
    return { zh: `${entity.uscc} 的县（市、区）为空或含控制字符`, en: `bad county of ${entity.uscc}` };
  if (v2 && !(DRAW_RISK_CLASSES as readonly string[]).includes(entity.riskClass as string)) {
    return {
      zh: `${entity.uscc} 的风险分类“${entity.riskClass}”无效，应为A、B、C、D或U`,
      en: `bad risk class of ${entity.uscc}`,
    };
  }
  return null;
}

/** A stratum: a county (version 1), or a risk class within a county (version 2). */
export interface Stratum {
  county: string;
  riskClass?: string;
}

/** The population in canonical order, with each entity's stratum as a small integer. */
export interface PreparedPopulation {
  entities: readonly PopulationEntity[];
  /** Input index of each canonical entity; null when the input was already in canonical order. */
  order: Int32Array | null;
  /** Stratum index of each entity, parallel to `entities`. */
  stratumOf: Int32Array;
  /** Each stratum index, in order of first appearance. */
  strata: Stratum[];
  /** Population of each stratum index. */
  counts: number[];
}

/**
 * Validates the population (size, codes, text, duplicates; `v2`: risk classes) in one pass over the
 * canonical order and groups it by stratum. Throws DrawError('invalid-population').
 */
export function preparePopulation(population: readonly PopulationEntity[], v2 = false): PreparedPopulation {
  const order = canonicalPermutation(population);
  const entities = order === null ? population : Array.from(order, (i) => population[i]!);
  if (entities.length === 0 || entities.length > MAX_POPULATION) {
    throw new DrawError(
      'invalid-population',
      `检查对象名录应有1至${MAX_POPULATION}条，实际为${entities.length}条`,
      `population size must be 1–${MAX_POPULATION}, got ${entities.length}`,
    );
  }
  const stratumOf = new Int32Array(entities.length);
  const ids = new Map<string, number>();
  const strata: Stratum[] = [];
  const counts: number[] = [];
  for (let i = 0; i < entities.length; i += 1) {
    const entity = entities[i]!;
    assertUsableEntity(entity, i > 0 ? entities[i - 1]! : null, v2);
    const key = v2 ? `${entity.riskClass}\t${entity.county}` : entity.county;
    let id = ids.get(key);
    if (id === undefined) {
      id = strata.length;
      ids.set(key, id);
      strata.push(v2 ? { riskClass: entity.riskClass!, county: entity.county } : { county: entity.county });
      counts.push(0);
    }
    stratumOf[i] = id;
    counts[id]! += 1;
  }
  return { entities, order, stratumOf, strata, counts };
}

/** Throws DrawError('invalid-population') for an invalid entity or one repeating its predecessor. */
function assertUsableEntity(entity: PopulationEntity, previous: PopulationEntity | null, v2: boolean): void {
  const problem = entityProblem(entity, v2);
  if (problem) throw new DrawError('invalid-population', problem.zh, problem.en, String(entity.uscc));
  if (previous !== null && entity.uscc === previous.uscc) {
    throw new DrawError(
      'invalid-population',
      `统一社会信用代码 ${entity.uscc} 重复出现`,
      `duplicate uscc ${entity.uscc}`,
      entity.uscc,
    );
  }
}

/** Throws DrawError('invalid-inspectors') for invalid or duplicated inspectors and conflicts. */
export function validateInspectors(sorted: readonly DrawInspector[]): void {
  for (let i = 0; i < sorted.length; i += 1) {
    const inspector = sorted[i]!;
    const who = String(inspector.certificate);
    if (
      !isCleanText(inspector.certificate, 100) ||
      !isCleanText(inspector.name, 100) ||
      !isCleanText(inspector.county, 100)
    ) {
      throw new DrawError(
        'invalid-inspectors',
        `执法人员 ${who} 的证号、姓名或县（市、区）为空或含控制字符`,
        `bad inspector ${who}`,
      );
    }
    if (i > 0 && inspector.certificate === sorted[i - 1]!.certificate) {
      throw new DrawError('invalid-inspectors', `执法证号 ${who} 重复出现`, `duplicate certificate ${who}`);
    }
    for (const uscc of inspector.conflicts) {
      if (!isValidCanonicalUscc(uscc)) {
        throw new DrawError(
          'invalid-inspectors',
          `执法人员 ${who} 申报回避的统一社会信用代码“${uscc}”无效`,
          `inspector ${who} declares a conflict with invalid uscc '${uscc}'`,
        );
      }
    }
  }
}

/** True when the population (in canonical order) holds this uscc: a binary search. */
export function hasUscc(sorted: readonly PopulationEntity[], uscc: string): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const code = sorted[mid]!.uscc;
    if (code === uscc) return true;
    if (code < uscc) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * Version 2: the exclusions (in uscc order) are valid entities, unique, at or above the yearly cap,
 * and none of them is in the population. Throws DrawError('invalid-exclusions').
 */
export function validateExclusions(
  exclusions: readonly DrawExclusion[],
  yearlyCap: number,
  population: readonly PopulationEntity[],
): void {
  for (let i = 0; i < exclusions.length; i += 1) {
    const e = exclusions[i]!;
    const bad = (zh: string, en: string) => new DrawError('invalid-exclusions', zh, en, String(e.uscc));
    const problem = entityProblem(e);
    if (problem) throw bad(`排除名单：${problem.zh}`, `exclusions: ${problem.en}`);
    if (i > 0 && !(exclusions[i - 1]!.uscc < e.uscc)) {
      throw bad(
        `排除名单中 ${e.uscc} 重复或未按代码排序`,
        `exclusions repeat or are out of order at ${e.uscc}`,
      );
    }
    if (!isIntegerIn(e.checks, yearlyCap, 1_000_000)) {
      throw bad(
        `排除名单中 ${e.uscc} 的年度检查次数 ${e.checks} 未达到上限 ${yearlyCap}`,
        `excluded ${e.uscc} has ${e.checks} checks, below the cap ${yearlyCap}`,
      );
    }
    if (hasUscc(population, e.uscc)) {
      throw bad(
        `${e.uscc} 既在排除名单中又在检查对象名录中`,
        `${e.uscc} is both excluded and in the population`,
      );
    }
  }
}

/** Decodes a 64-hex-character server seed; throws DrawError('invalid-seed') otherwise. */
export function decodeServerSeed(serverSeed: string): Buffer {
  if (typeof serverSeed !== 'string' || !/^[0-9a-f]{64}$/.test(serverSeed)) {
    throw new DrawError(
      'invalid-seed',
      '服务器种子应为64位小写十六进制字符（32字节）',
      'serverSeed must be 64 lower-case hex characters',
    );
  }
  return Buffer.from(serverSeed, 'hex');
}

export function validateWitness(witness: string): void {
  if (!isCleanText(witness, 500)) {
    throw new DrawError(
      'invalid-witness',
      '见证值为空、过长（超过500个字符）或含控制字符',
      'witness must be 1–500 characters (code points) without control characters',
    );
  }
}
