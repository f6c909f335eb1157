import type { Insertable, Selectable } from 'kysely';
import type { DbOrTx, Tx } from '../../../db/database.ts';
import type {
  InspectionPlanTable,
  PlanInspectorTable,
  PlanTaskInspectorTable,
  PlanTaskTable,
} from '../../../db/types.ts';
import { notFound } from '../../../http/errors.ts';
import { chunksOf } from '../../../lib/chunks.ts';
import type { DrawExclusion, DrawInspector, PopulationEntity } from '../draw/index.ts';
import { CITY_LEVEL, WITHHELD_NAME } from '../reference/index.ts';
import type { RegimeRule } from '../rules/rules.ts';

/**
 * The plans' queries (Kysely; `db` or a transaction first): plans, their frozen population and
 * inspectors, the drawn tasks. No rules here: plan.service.ts decides, this file reads and writes.
 */

export type PlanRow = Selectable<InspectionPlanTable>;

/**
 * Plans whose tasks are real inspection tasks: drawn plans, and the one-task plans of checks opened
 * outside the draw (status `targeted`, inspections/targeted.service.ts). Both count against the
 * yearly cap; only drawn plans are ever listed or published as 抽查计划.
 */
export const TASK_PLAN_STATUSES = ['drawn', 'targeted'] as const;

/** Lets other requests run between the parts of a long read or write. */
export const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function findPlan(db: DbOrTx, id: number): Promise<PlanRow | undefined> {
  return db.selectFrom('inspection_plans').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function loadPlan(db: DbOrTx, id: number): Promise<PlanRow> {
  const p = await findPlan(db, id);
  if (!p) throw notFound(`抽查计划 ${id}`);
  return p;
}

/** status → `to` where the status is one of `from`; false when no row moved. */
export async function movePlanStatus(
  tx: Tx,
  id: number,
  from: readonly string[],
  to: string,
  now: string,
): Promise<boolean> {
  const moved = await tx
    .updateTable('inspection_plans')
    .set({ status: to, updated_at: now })
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .returning('id')
    .executeTakeFirst();
  return moved !== undefined;
}

export async function insertPlan(tx: Tx, values: Insertable<InspectionPlanTable>): Promise<number> {
  const row = await tx
    .insertInto('inspection_plans')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updatePlan(
  tx: Tx,
  id: number,
  values: Partial<Omit<Selectable<InspectionPlanTable>, 'id'>>,
): Promise<void> {
  await tx.updateTable('inspection_plans').set(values).where('id', '=', id).execute();
}

/** A plan of the same regime, year and round that is not cancelled. */
export async function findLivePlan(
  db: DbOrTx,
  regimeSeq: number,
  year: number,
  round: number,
): Promise<{ id: number } | undefined> {
  return db
    .selectFrom('inspection_plans')
    .select('id')
    .where('regime_seq', '=', regimeSeq)
    .where('year', '=', year)
    .where('round', '=', round)
    .where('status', '!=', 'cancelled')
    .executeTakeFirst();
}

export interface PlanListFilter {
  /** Public lists show only committed and drawn plans. */
  publicOnly?: boolean;
  regimeSeq?: number;
  year?: number;
  status?: string;
}

export async function listPlanRows(db: DbOrTx, filter: PlanListFilter = {}): Promise<PlanRow[]> {
  let q = db.selectFrom('inspection_plans').selectAll();
  if (filter.publicOnly) q = q.where('status', 'in', ['committed', 'drawn']);
  if (filter.regimeSeq) q = q.where('regime_seq', '=', filter.regimeSeq);
  if (filter.year) q = q.where('year', '=', filter.year);
  if (filter.status) q = q.where('status', '=', filter.status);
  else q = q.where('status', '!=', 'targeted');
  return q.orderBy('year', 'desc').orderBy('regime_seq').orderBy('round').orderBy('id').execute();
}

/** The regime's title as imported, falling back to the rule's copy when the registry is empty. */
export async function regimeTitle(db: DbOrTx, rule: RegimeRule): Promise<string> {
  const r = await db
    .selectFrom('regimes')
    .select('title')
    .where('seq', '=', rule.seq)
    .orderBy('department_id')
    .executeTakeFirst();
  return r?.title ?? rule.title;
}

export async function countyIds(db: DbOrTx): Promise<number[]> {
  return (await db.selectFrom('counties').select('id').execute()).map((c) => c.id);
}

export async function countyNames(db: DbOrTx): Promise<Array<{ id: number; name: string }>> {
  return db.selectFrom('counties').select(['id', 'name']).orderBy('position').execute();
}

export async function usernames(db: DbOrTx, ids: Array<number | null>): Promise<Map<number, string>> {
  const want = [...new Set(ids.filter((i): i is number => i !== null))];
  if (want.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', want).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/** Tasks per drawn plan. */
export async function taskCounts(db: DbOrTx, planIds: number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (planIds.length === 0) return out;
  const counts = await db
    .selectFrom('plan_tasks')
    .select(['plan_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('plan_id', 'in', planIds)
    .groupBy('plan_id')
    .execute();
  for (const c of counts) out.set(c.plan_id, Number(c.n));
  return out;
}

// ───────────────────────────── population and inspectors ─────────────────────────────

export interface PopulationFilter {
  regimeSeq: number;
  countyIds: number[];
  riskClasses: string[];
}

export interface PopulationMember extends PopulationEntity {
  entityId: number;
}

/** An entity left out at the yearly cap, with its register id. */
export interface ExcludedMember extends DrawExclusion {
  entityId: number;
}

/** Risk class as the draw writes it: the register's A–D, or U when not classified. */
const drawClass = (riskClass: string | null) => riskClass ?? 'U';

/**
 * Active entities of the regime's categories, narrowed by county and risk class, in uscc order;
 * each with its risk class (U when not classified).
 */
export async function loadPopulation(
  db: DbOrTx,
  rule: RegimeRule,
  filter: PopulationFilter,
): Promise<PopulationMember[]> {
  let q = db
    .selectFrom('regulated_entities as e')
    .innerJoin('counties as c', 'c.id', 'e.county_id')
    .select(['e.id', 'e.uscc', 'e.name', 'c.name as county', 'e.risk_class'])
    .where('e.status', '=', 'active')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('regulated_entity_categories as rc')
          .select('rc.entity_id')
          .whereRef('rc.entity_id', '=', 'e.id')
          .where('rc.category_code', 'in', rule.subjects.categories),
      ),
    );
  if (filter.countyIds.length) q = q.where('e.county_id', 'in', filter.countyIds);
  if (filter.riskClasses.length) q = q.where('e.risk_class', 'in', filter.riskClasses);
  const rows = await q.orderBy('e.uscc').execute();
  return rows.map((r) => ({
    entityId: r.id,
    uscc: r.uscc,
    name: r.name,
    county: r.county,
    riskClass: drawClass(r.risk_class),
  }));
}

/**
 * Checks per entity in a year: its tasks in drawn plans of that year and its checks opened outside
 * the draw (targeted: on a 举报) — what the yearly cap counts —
 * for the entities with at least `atLeast`.
 */
export async function checksInYear(db: DbOrTx, year: number, atLeast: number): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('plan_tasks as t')
    .innerJoin('inspection_plans as p', 'p.id', 't.plan_id')
    .select(['t.entity_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('p.status', 'in', [...TASK_PLAN_STATUSES])
    .where('p.year', '=', year)
    .groupBy('t.entity_id')
    .having((eb) => eb.fn.countAll(), '>=', atLeast)
    .execute();
  return new Map(rows.map((r) => [r.entity_id, Number(r.n)]));
}

/** Active inspectors for a draw: public label instead of the name; conflicts within the population. */
export async function loadDrawInspectors(
  db: DbOrTx,
  population: readonly PopulationMember[],
): Promise<Array<DrawInspector & { inspectorId: number }>> {
  const inspectors = await db
    .selectFrom('inspectors as i')
    .leftJoin('counties as c', 'c.id', 'i.county_id')
    .select(['i.id', 'i.certificate_no', 'c.name as county'])
    .where('i.active', '=', 1)
    .orderBy('i.certificate_no')
    .execute();
  const inPopulation = new Map(population.map((e) => [e.entityId, e.uscc]));
  const conflicts = await db
    .selectFrom('inspector_conflicts')
    .select(['inspector_id', 'entity_id'])
    .execute();
  return inspectors.map((i) => ({
    inspectorId: i.id,
    certificate: i.certificate_no,
    name: WITHHELD_NAME,
    county: i.county ?? CITY_LEVEL,
    conflicts: conflicts
      .filter((k) => k.inspector_id === i.id && inPopulation.has(k.entity_id))
      .map((k) => inPopulation.get(k.entity_id)!),
  }));
}

/** Freezes the population (with risk classes for version 2), the exclusions and the inspectors of a plan at commit. */
export async function insertFrozenInput(
  tx: Tx,
  planId: number,
  population: readonly PopulationMember[],
  inspectors: ReadonlyArray<DrawInspector & { inspectorId: number }>,
  frozen: { withRiskClass: boolean; exclusions: readonly ExcludedMember[] },
): Promise<void> {
  for (const chunk of chunksOf(population)) {
    await tx
      .insertInto('plan_population')
      .values(
        chunk.map((e) => ({
          plan_id: planId,
          uscc: e.uscc,
          entity_id: e.entityId,
          name: e.name,
          county: e.county,
          risk_class: frozen.withRiskClass ? (e.riskClass ?? null) : null,
        })),
      )
      .execute();
  }
  for (const chunk of chunksOf(frozen.exclusions)) {
    await tx
      .insertInto('plan_exclusions')
      .values(
        chunk.map((e) => ({
          plan_id: planId,
          uscc: e.uscc,
          entity_id: e.entityId,
          name: e.name,
          county: e.county,
          checks: e.checks,
        })),
      )
      .execute();
  }
  const rows: Insertable<PlanInspectorTable>[] = inspectors.map((x) => ({
    plan_id: planId,
    certificate_no: x.certificate,
    inspector_id: x.inspectorId,
    county: x.county,
    conflicts: [...x.conflicts].sort().join(','),
  }));
  for (const chunk of chunksOf(rows)) await tx.insertInto('plan_inspectors').values(chunk).execute();
}

/**
 * The frozen population of a plan in parts of `size`, in uscc order (keyset on the primary key),
 * pausing between parts so that a million-row read never holds the event loop for long.
 */
export async function* frozenPopulationParts(
  db: DbOrTx,
  planId: number,
  size: number,
): AsyncGenerator<Array<PopulationMember>> {
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('plan_population')
      .select(['uscc', 'name', 'county', 'entity_id', 'risk_class'])
      .where('plan_id', '=', planId)
      .where('uscc', '>', after)
      .orderBy('uscc')
      .limit(size)
      .execute();
    if (rows.length === 0) return;
    yield rows.map((r) => ({
      uscc: r.uscc,
      name: r.name,
      county: r.county,
      entityId: r.entity_id,
      ...(r.risk_class === null ? {} : { riskClass: r.risk_class }),
    }));
    after = rows[rows.length - 1]!.uscc;
    await breathe();
  }
}

/** The frozen inspectors of a plan (public label instead of the name) with their register ids. */
export async function frozenInspectors(
  db: DbOrTx,
  planId: number,
): Promise<Array<DrawInspector & { inspectorId: number }>> {
  const rows = await db
    .selectFrom('plan_inspectors')
    .selectAll()
    .where('plan_id', '=', planId)
    .orderBy('certificate_no')
    .execute();
  return rows.map((r) => ({
    inspectorId: r.inspector_id,
    certificate: r.certificate_no,
    name: WITHHELD_NAME,
    county: r.county,
    conflicts: r.conflicts ? r.conflicts.split(',') : [],
  }));
}

/** The frozen population of a committed or drawn plan (public from the commit on). */
export async function listPlanPopulation(db: DbOrTx, planId: number) {
  return db
    .selectFrom('plan_population')
    .select(['uscc', 'name', 'county', 'risk_class'])
    .where('plan_id', '=', planId)
    .orderBy('uscc')
    .execute();
}

/** The entities a plan left out at the yearly cap, in uscc order (public from the commit on). */
export async function listPlanExclusions(db: DbOrTx, planId: number): Promise<ExcludedMember[]> {
  const rows = await db
    .selectFrom('plan_exclusions')
    .selectAll()
    .where('plan_id', '=', planId)
    .orderBy('uscc')
    .execute();
  return rows.map((r) => ({
    entityId: r.entity_id,
    uscc: r.uscc,
    name: r.name,
    county: r.county,
    checks: r.checks,
  }));
}

// ───────────────────────────── tasks ─────────────────────────────

export interface NewTask extends Omit<Insertable<PlanTaskTable>, 'id' | 'plan_id' | 'position'> {
  /** Certificate numbers in assignment order, with the inspectors' register ids. */
  inspectors: Array<{ certificate: string; inspectorId: number }>;
}

/**
 * Stages drawn tasks of a plan that is still committed (positions from `offset + 1` in the given
 * order) with their inspectors. Staged tasks are invisible: every reader of tasks requires the
 * plan to be drawn, which only the draw's final transaction makes it.
 */
export async function insertTasks(
  tx: Tx,
  planId: number,
  tasks: readonly NewTask[],
  offset: number,
): Promise<void> {
  let i = 0;
  for (const chunk of chunksOf(tasks)) {
    const rows = await tx
      .insertInto('plan_tasks')
      .values(
        chunk.map(({ inspectors: _, ...t }, k) => ({ ...t, plan_id: planId, position: offset + i + k + 1 })),
      )
      .returning(['id', 'uscc'])
      .execute();
    const taskId = new Map(rows.map((r) => [r.uscc, r.id]));
    const links: Insertable<PlanTaskInspectorTable>[] = chunk.flatMap((t) =>
      t.inspectors.map((x, position) => ({
        task_id: taskId.get(t.uscc)!,
        inspector_id: x.inspectorId,
        certificate_no: x.certificate,
        position: position + 1,
      })),
    );
    for (const part of chunksOf(links)) await tx.insertInto('plan_task_inspectors').values(part).execute();
    i += chunk.length;
  }
}

/**
 * Stages one part of a plan's draw file (parts numbered from 1; the file is the parts joined in
 * order). Like staged tasks, parts are invisible until the plan is drawn (drawFileText).
 */
export async function insertDrawFilePart(
  tx: Tx,
  planId: number,
  seq: number,
  content: string,
): Promise<void> {
  await tx.insertInto('plan_draw_file_parts').values({ plan_id: planId, seq, content }).execute();
}

/** Removes the tasks and draw-file parts of a plan that is not drawn (what a failed or abandoned draw staged). */
export async function deleteStagedTasks(db: DbOrTx, planId: number): Promise<void> {
  const drawn = await db
    .selectFrom('inspection_plans')
    .select('id')
    .where('id', '=', planId)
    .where('status', '=', 'drawn')
    .executeTakeFirst();
  if (drawn) return;
  await db
    .deleteFrom('plan_task_inspectors')
    .where('task_id', 'in', (eb) => eb.selectFrom('plan_tasks').select('id').where('plan_id', '=', planId))
    .execute();
  await db.deleteFrom('plan_tasks').where('plan_id', '=', planId).execute();
  await db.deleteFrom('plan_draw_file_parts').where('plan_id', '=', planId).execute();
}

/**
 * Claims a committed plan for one draw: stamps drawn_at unless another draw holds a claim newer
 * than `staleBefore`. Returns false when the plan is not committed or another draw holds it.
 */
export async function claimDraw(
  db: DbOrTx,
  planId: number,
  stamp: string,
  staleBefore: string,
): Promise<boolean> {
  const row = await db
    .updateTable('inspection_plans')
    .set({ drawn_at: stamp })
    .where('id', '=', planId)
    .where('status', '=', 'committed')
    .where((eb) => eb.or([eb('drawn_at', 'is', null), eb('drawn_at', '<', staleBefore)]))
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Gives a claim up (the draw failed before its final transaction). */
export async function releaseDraw(db: DbOrTx, planId: number, stamp: string): Promise<void> {
  await db
    .updateTable('inspection_plans')
    .set({ drawn_at: null })
    .where('id', '=', planId)
    .where('status', '=', 'committed')
    .where('drawn_at', '=', stamp)
    .execute();
}

export interface TaskOut {
  id: number;
  planId: number;
  position: number;
  entityId: number;
  uscc: string;
  name: string;
  county: string;
  rank: string;
  /** Version 2: the entity's risk class at commit (A–D, U); null for version 1. */
  riskClass: string | null;
  /** Certificate numbers only: inspectors' names are not public. */
  inspectors: string[];
}

export async function listTasks(
  db: DbOrTx,
  filter: { planId?: number; inspectorId?: number; publicOnly?: boolean },
): Promise<TaskOut[]> {
  let q = db
    .selectFrom('plan_tasks as t')
    .innerJoin('inspection_plans as p', 'p.id', 't.plan_id')
    .leftJoin('plan_population as pp', (join) =>
      join.onRef('pp.plan_id', '=', 't.plan_id').onRef('pp.uscc', '=', 't.uscc'),
    )
    .selectAll('t')
    .select('pp.risk_class')
    .where('p.status', 'in', filter.publicOnly ? ['drawn'] : [...TASK_PLAN_STATUSES]);
  if (filter.planId) q = q.where('t.plan_id', '=', filter.planId);
  if (filter.inspectorId) {
    const inspectorId = filter.inspectorId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('plan_task_inspectors as ti')
          .select('ti.task_id')
          .whereRef('ti.task_id', '=', 't.id')
          .where('ti.inspector_id', '=', inspectorId),
      ),
    );
  }
  const rows = await q.orderBy('t.plan_id', 'desc').orderBy('t.position').execute();
  const links = new Map<number, string[]>();
  const ids = rows.map((r) => r.id);
  for (let i = 0; i < ids.length; i += 500) {
    const part = await db
      .selectFrom('plan_task_inspectors')
      .select(['task_id', 'certificate_no'])
      .where('task_id', 'in', ids.slice(i, i + 500))
      .orderBy('task_id')
      .orderBy('position')
      .execute();
    for (const l of part) links.set(l.task_id, [...(links.get(l.task_id) ?? []), l.certificate_no]);
  }
  return rows.map((r) => ({
    id: r.id,
    planId: r.plan_id,
    position: r.position,
    entityId: r.entity_id,
    uscc: r.uscc,
    name: r.name,
    county: r.county,
    rank: r.rank,
    riskClass: r.risk_class,
    inspectors: links.get(r.id) ?? [],
  }));
}

/** The published draw file of a drawn plan, byte for byte; null before the draw. */
export async function drawFileText(db: DbOrTx, planId: number): Promise<string | null> {
  const row = await db
    .selectFrom('inspection_plans')
    .select(['status', 'draw_file'])
    .where('id', '=', planId)
    .executeTakeFirst();
  if (!row) throw notFound(`抽查计划 ${planId}`);
  if (row.status !== 'drawn') return null;
  if (row.draw_file !== null) return row.draw_file; // drawn before the file was stored in parts
  const parts = await db
    .selectFrom('plan_draw_file_parts')
    .select('content')
    .where('plan_id', '=', planId)
    .orderBy('seq')
    .execute();
  return parts.length > 0 ? parts.map((p) => p.content).join('') : null;
}
