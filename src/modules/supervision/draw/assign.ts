/** Inspector assignment: least-loaded unconflicted inspectors, ties broken by HMAC. */
import { createHmac, type KeyObject } from 'node:crypto';
import { DrawError } from './errors.ts';
import { CITY_WIDE_COUNTY, type DrawInspector, type PopulationEntity } from './types.ts';

/** For each USCC, the canonical indices of inspectors who declared a conflict with it. */
export function conflictIndex(inspectors: readonly DrawInspector[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  inspectors.forEach((inspector, i) => {
    for (const uscc of inspector.conflicts) {
      const list = index.get(uscc);
      if (list) list.push(i);
      else index.set(uscc, [i]);
    }
  });
  return index;
}

/**
 * Version 2, scope `own-county` (属地): for each county, the canonical indices of the inspectors who
 * may not be assigned there — those of another county; city-wide inspectors (市本级) go anywhere.
 * Computed once per county on first use.
 */
export function outOfCounty(inspectors: readonly DrawInspector[]): (county: string) => number[] {
  const cache = new Map<string, number[]>();
  return (county) => {
    let list = cache.get(county);
    if (!list) {
      list = [];
      inspectors.forEach((inspector, i) => {
        if (inspector.county !== county && inspector.county !== CITY_WIDE_COUNTY) list!.push(i);
      });
      cache.set(county, list);
    }
    return list;
  };
}

/** Mutable state of the assignment: loads per inspector and a per-task exclusion stamp. */
export interface AssignmentState {
  inspectors: readonly DrawInspector[];
  conflicts: Map<string, number[]>;
  /** Inspectors out of scope for an entity's county (version 2, `own-county`); null: all in scope. */
  outOfScope: ((county: string) => number[]) | null;
  loads: Int32Array;
  excludedAt: Int32Array;
  seedKey: KeyObject;
}

/** Inspectors not yet excluded for this task, at the lowest load among them. */
function leastLoaded(state: AssignmentState, stamp: number): number[] {
  let minLoad = Number.POSITIVE_INFINITY;
  let group: number[] = [];
  for (let i = 0; i < state.loads.length; i += 1) {
    if (state.excludedAt[i] === stamp) continue;
    const load = state.loads[i]!;
    if (load < minLoad) {
      minLoad = load;
      group = [i];
    } else if (load === minLoad) group.push(i);
  }
  return group;
}

/**
 * The `need` members of a tied group with the lowest HMAC-SHA256(drawSeed, uscc ':' certificate),
 * ties (identical HMACs) broken by certificate order. `need` is small, so a repeated minimum scan
 * beats sorting.
 */
function breakTie(state: AssignmentState, uscc: string, group: readonly number[], need: number): number[] {
  const prefix = `${uscc}:`;
  const ranks = group.map((i) =>
    createHmac('sha256', state.seedKey)
      .update(prefix + state.inspectors[i]!.certificate, 'utf8')
      .digest('binary'),
  );
  const picked: number[] = [];
  for (let k = 0; k < need; k += 1) {
    let best = -1;
    for (let g = 0; g < group.length; g += 1) {
      if (ranks[g] === '' || (best >= 0 && !(ranks[g]! < ranks[best]!))) continue;
      best = g;
    }
    picked.push(group[best]!);
    ranks[best] = '';
  }
  return picked;
}

/** Assigns `need` inspectors to one entity and updates the loads. Throws when too few are free of conflict. */
export function assignTask(
  state: AssignmentState,
  entity: PopulationEntity,
  stamp: number,
  need: number,
): string[] {
  for (const i of state.conflicts.get(entity.uscc) ?? []) state.excludedAt[i] = stamp;
  for (const i of state.outOfScope?.(entity.county) ?? []) state.excludedAt[i] = stamp;
  const chosen: number[] = [];
  while (chosen.length < need) {
    const group = leastLoaded(state, stamp);
    if (group.length === 0)
      throw insufficientInspectors(entity, need, chosen.length, state.outOfScope !== null);
    const picked =
      group.length <= need - chosen.length
        ? group
        : breakTie(state, entity.uscc, group, need - chosen.length);
    for (const i of picked) {
      state.excludedAt[i] = stamp;
      chosen.push(i);
    }
  }
  for (const i of chosen) state.loads[i]! += 1;
  return chosen.sort((a, b) => a - b).map((i) => state.inspectors[i]!.certificate);
}

function insufficientInspectors(
  entity: PopulationEntity,
  need: number,
  available: number,
  ownCounty: boolean,
): DrawError {
  const who = ownCounty ? `本县（市、区）或市本级且无利害关系` : '无利害关系';
  return new DrawError(
    'insufficient-inspectors',
    `检查对象 ${entity.uscc}（${entity.name}）需要${need}名执法人员，但${who}的执法人员只有${available}名，请补充执法人员或核实回避申报`,
    `entity ${entity.uscc} needs ${need} inspectors but only ${available} ${ownCounty ? 'in scope and ' : ''}have no declared conflict`,
    entity.uscc,
  );
}
