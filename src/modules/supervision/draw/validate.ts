/** Validation of draw input: parameters, population, inspectors, seeds and witness. */
import { isValidCanonicalUscc, validateUscc } from '../../../lib/uscc.ts';
import { canonicalPermutation } from './canonical.ts';
import { DrawError } from './errors.ts';
import { type DrawInspector, type DrawParameters, MAX_POPULATION, type PopulationEntity } from './types.ts';

/** C0 controls, DEL and lone surrogates: they would make the canonical text ambiguous. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the purpose
const FORBIDDEN_TEXT = /[\u0000-\u001f\u007f]|\p{Cs}/u;
/** Cheap pre-check: no control character and no surrogate at all (the common case). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the purpose
const CONTROL_OR_SURROGATE = /[\u0000-\u001f\u007f\ud800-\udfff]/;

function isCleanText(value: unknown, maxLength: number): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) return false;
  if (!CONTROL_OR_SURROGATE.test(value)) return true; // fast path: nothing suspicious at all
  // A surrogate is fine when it is part of a pair; controls and lone surrogates are not.
  return !FORBIDDEN_TEXT.test(value);
}

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Throws DrawError('invalid-parameters') unless every parameter is in range. */
export function validateParameters(parameters: DrawParameters): void {
  const p = parameters;
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

/** Reason an entity is unusable, or null when it is fine. */
export function entityProblem(entity: PopulationEntity): { zh: string; en: string } | null {
  if (!isValidCanonicalUscc(entity.uscc)) {
    const check = validateUscc(String(entity.uscc));
    const zh = check.ok ? `应写作规范形式${check.code}` : check.reason;
    return { zh: `统一社会信用代码“${entity.uscc}”无效：${zh}`, en: `invalid uscc '${entity.uscc}'` };
  }
  if (!isCleanText(entity.name, 500))
    return { zh: `${entity.uscc} 的名称为空或含控制字符`, en: `bad name of ${entity.uscc}` };
  if (!isCleanText(entity.county, 100))
    return { zh: `${entity.uscc} 的县（市、区）为空或含控制字符`, en: `bad county of ${entity.uscc}` };
  return null;
}

/** The population in canonical order, with each entity's stratum (county) as a small integer. */
export interface PreparedPopulation {
  entities: readonly PopulationEntity[];
  /** Input index of each canonical entity; null when the input was already in canonical order. */
  order: Int32Array | null;
  /** Stratum index of each entity, parallel to `entities`. */
  stratumOf: Int32Array;
  /** County name of each stratum index, in order of first appearance. */
  counties: string[];
  /** Population of each stratum index. */
  counts: number[];
}

/**
 * Validates the population (size, codes, text, duplicates) in one pass over the canonical order and
 * groups it by county. Throws DrawError('invalid-population').
 */
export function preparePopulation(population: readonly PopulationEntity[]): PreparedPopulation {
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
  const counties: string[] = [];
  const counts: number[] = [];
  for (let i = 0; i < entities.length; i += 1) {
    const entity = entities[i]!;
    assertUsableEntity(entity, i > 0 ? entities[i - 1]! : null);
    let id = ids.get(entity.county);
    if (id === undefined) {
      id = counties.length;
      ids.set(entity.county, id);
      counties.push(entity.county);
      counts.push(0);
    }
    stratumOf[i] = id;
    counts[id]! += 1;
  }
  return { entities, order, stratumOf, counties, counts };
}

/** Throws DrawError('invalid-population') for an invalid entity or one repeating its predecessor. */
function assertUsableEntity(entity: PopulationEntity, previous: PopulationEntity | null): void {
  const problem = entityProblem(entity);
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
      '见证值为空、过长（超过500字符）或含控制字符',
      'witness must be 1–500 characters without control characters',
    );
  }
}
