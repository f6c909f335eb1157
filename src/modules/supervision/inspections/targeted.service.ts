import type { DbOrTx, Tx } from '../../../db/database.ts';
import { nowIso } from '../../../db/database.ts';
import { AppError } from '../../../http/errors.ts';
import { todayInChina } from '../../../lib/china-time.ts';
import { normaliseUscc } from '../../../lib/uscc.ts';
import { appendAudit } from '../../audit/index.ts';
import { actorOf, type SessionUser } from '../../auth/index.ts';
import { minInspectorsOf } from '../plans/plan.common.ts';
import { regimeTitle, TASK_PLAN_STATUSES } from '../plans/plan.repo.ts';
import { FREQUENCY_CAP } from '../reference/inspection-practice.ts';
import { REGIME_RULES, type RegimeRule, ruleOf } from '../rules/rules.ts';
import { inspectionAbilities } from './inspection.policy.ts';
import { resultCategory } from './result.categories.ts';
import { statusName } from './result.workflow.ts';

/**
 * A check outside the random plan (依举报检查): the regimes promise checks "at any time on a
 * complaint", so a 举报 about a named business in the entity register can open an inspection task
 * on it. The task is an ordinary task — the same on-site record, both inspectors' confirmations,
 * the review by someone who was not on it — held by a plan row of status `targeted` that is never
 * drawn nor listed with the random plans. It counts against the entity's yearly cap of checks
 * (国办发〔2024〕54号: the cap covers 个案 checks too): at the cap the check may still be opened, but
 * only with a reason, which the audit entry and the ticket keep. The dispatcher names the
 * inspectors (no draw: this is not a 双随机 check), at least the regime's minimum, none with a
 * declared conflict of interest with the entity.
 */

export interface TargetedCheckInput {
  /** The business: its 统一社会信用代码 in the entity register. */
  uscc: string;
  /** The regime whose check items make the checklist; default: the first covering the entity's categories. */
  regimeSeq?: number;
  /** Register ids of the inspectors (at least the regime's minimum). */
  inspectorIds: readonly number[];
  /** Why the check (e.g. the 举报's matter), kept with the task. */
  reason: string;
  /** Required when the entity is already at the yearly cap. */
  overCapReason?: string;
  /** What asks for the check: e.g. complaint + the ticket's query code. */
  source: string;
  sourceRef: string;
  /** When the task is due (YYYY-MM-DD, China); default: today + `defaultDays`. */
  dueOn?: string | null;
  defaultDays: number;
}

export interface OpenedCheck {
  planId: number;
  taskId: number;
  checksInYear: number;
  yearlyCap: number;
}

const refuse = (status: number, code: string, message: string) => new AppError(status, code, message);

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Checks of an entity in a year: its tasks in drawn plans and targeted checks of that year. */
export async function entityChecksInYear(db: DbOrTx, entityId: number, year: number): Promise<number> {
  const r = await db
    .selectFrom('plan_tasks as t')
    .innerJoin('inspection_plans as p', 'p.id', 't.plan_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('t.entity_id', '=', entityId)
    .where('p.year', '=', year)
    .where('p.status', 'in', [...TASK_PLAN_STATUSES])
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * The yearly cap in force: the cap the bureau published with its latest version-2 plan of the year,
 * else the default (reference/inspection-practice.ts, FREQUENCY_CAP, with its citations).
 */
export async function yearlyCapOf(db: DbOrTx, year: number): Promise<{ cap: number; source: string }> {
  const p = await db
    .selectFrom('inspection_plans')
    .select(['title', 'yearly_cap'])
    .where('year', '=', year)
    .where('status', 'in', ['committed', 'drawn'])
    .where('yearly_cap', 'is not', null)
    .orderBy('committed_at', 'desc')
    .executeTakeFirst();
  if (p?.yearly_cap) return { cap: p.yearly_cap, source: `${p.title}公布的年度检查次数上限` };
  return {
    cap: FREQUENCY_CAP.defaultPerYear,
    source: `默认上限（${FREQUENCY_CAP.citations[0]!.document}要求公布上限；原文第1411行“每年原则上检查一到两次”）`,
  };
}

/** The entity of a credit code with its categories and county, or a refusal that says what to do. */
async function entityOf(db: DbOrTx, uscc: string) {
  const code = normaliseUscc(uscc);
  const e = await db
    .selectFrom('regulated_entities as e')
    .innerJoin('counties as c', 'c.id', 'e.county_id')
    .select(['e.id', 'e.name', 'e.uscc', 'e.status', 'c.name as county'])
    .where('e.uscc', '=', code)
    .executeTakeFirst();
  if (!e) {
    throw refuse(
      409,
      'entity_unknown',
      `检查对象名录库中没有统一社会信用代码为 ${code || '（未填写）'} 的经营者：请核实举报所涉经营者，或先将其登记到名录库`,
    );
  }
  const categories = (
    await db
      .selectFrom('regulated_entity_categories')
      .select('category_code')
      .where('entity_id', '=', e.id)
      .execute()
  ).map((c) => c.category_code);
  return { ...e, categories };
}

/** The regime of the check: the one asked for (covering the entity), else the first that covers it. */
function regimeFor(categories: readonly string[], seq: number | undefined): RegimeRule {
  const covers = (r: RegimeRule) => r.subjects.categories.some((c) => categories.includes(c));
  const rule = seq === undefined ? REGIME_RULES.find(covers) : ruleOf(seq);
  if (!rule || !covers(rule)) {
    throw refuse(
      409,
      'no_regime',
      seq === undefined
        ? '该经营者的类别不是任何监管制度的检查对象，无法生成检查清单'
        : `第 ${seq} 项监管制度的检查对象不包括该经营者的类别`,
    );
  }
  return rule;
}

/** Opens the task in one transaction with its audit entry; see the module comment. */
export async function openTargetedCheck(
  tx: Tx,
  user: SessionUser,
  input: TargetedCheckInput,
  now = Date.now(),
): Promise<OpenedCheck> {
  inspectionAbilities.assertRole('openTargeted', user);
  const reason = input.reason.trim();
  if (reason.length < 4 || reason.length > 500)
    throw refuse(400, 'reason_required', '请写明检查事由（4–500字，如举报反映的问题）');
  const entity = await entityOf(tx, input.uscc);
  if (entity.status !== 'active') {
    throw refuse(409, 'entity_not_active', `该经营者在名录库中的状态不是“在营”，不能安排现场检查`);
  }
  const rule = regimeFor(entity.categories, input.regimeSeq);
  const ids = [...new Set(input.inspectorIds)];
  const need = minInspectorsOf(rule);
  if (ids.length < need) {
    throw refuse(
      400,
      'inspectors_required',
      `请选择至少 ${need} 名执法人员（本制度每项检查不少于 ${need} 名）`,
    );
  }
  const inspectors = await tx
    .selectFrom('inspectors')
    .select(['id', 'certificate_no', 'active'])
    .where('id', 'in', ids)
    .execute();
  if (inspectors.length !== ids.length || inspectors.some((i) => i.active !== 1)) {
    throw refuse(400, 'inspector_inactive', '所选执法人员不在执法检查人员名录库中或不在岗');
  }
  const conflicted = await tx
    .selectFrom('inspector_conflicts as k')
    .innerJoin('inspectors as i', 'i.id', 'k.inspector_id')
    .select('i.certificate_no')
    .where('k.entity_id', '=', entity.id)
    .where('k.inspector_id', 'in', ids)
    .execute();
  if (conflicted.length > 0) {
    throw refuse(
      409,
      'inspector_conflict',
      `执法人员 ${conflicted.map((c) => c.certificate_no).join('、')} 已申报与该经营者有利害关系，应当回避：请另选`,
    );
  }
  const open = await tx
    .selectFrom('targeted_checks')
    .select('id')
    .where('source', '=', input.source)
    .where('source_ref', '=', input.sourceRef)
    .executeTakeFirst();
  if (open) throw refuse(409, 'check_exists', '这件工单已经安排过检查');
  const today = todayInChina(now);
  const year = Number(today.slice(0, 4));
  const before = await entityChecksInYear(tx, entity.id, year);
  const { cap, source: capSource } = await yearlyCapOf(tx, year);
  const overCap = (input.overCapReason ?? '').trim();
  if (before >= cap && overCap.length < 4) {
    throw refuse(
      409,
      'yearly_cap_reached',
      `该经营者本年度已检查 ${before} 次，已达年度检查次数上限 ${cap} 次（${capSource}）：确需检查的，请写明超过上限的理由（至少4个字）`,
    );
  }
  const due =
    input.dueOn && /^\d{4}-\d{2}-\d{2}$/.test(input.dueOn) ? input.dueOn : addDays(today, input.defaultDays);
  const at = nowIso();
  const title = `依举报检查：${entity.name}（${await regimeTitle(tx, rule)}）`;
  const plan = await tx
    .insertInto('inspection_plans')
    .values({
      regime_seq: rule.seq,
      year,
      round: 0,
      title,
      ratio_bp: 10_000,
      min_inspectors: ids.length,
      county_filter: null,
      risk_filter: null,
      status: 'targeted',
      below_min_reason: null,
      approved_by: null,
      approved_at: null,
      created_by: user.id,
      created_at: at,
      updated_at: at,
      drawn_by: user.id,
      drawn_at: at,
      period_start: today,
      period_end: [today, due].sort()[1]!,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const task = await tx
    .insertInto('plan_tasks')
    .values({
      plan_id: plan.id,
      position: 1,
      entity_id: entity.id,
      uscc: entity.uscc,
      name: entity.name,
      county: entity.county,
      rank: '',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const ordered = ids.map((id) => inspectors.find((i) => i.id === id)!);
  await tx
    .insertInto('plan_task_inspectors')
    .values(
      ordered.map((i, k) => ({
        task_id: task.id,
        inspector_id: i.id,
        certificate_no: i.certificate_no,
        position: k + 1,
      })),
    )
    .execute();
  const checksInYear = before + 1;
  await tx
    .insertInto('targeted_checks')
    .values({
      plan_id: plan.id,
      task_id: task.id,
      entity_id: entity.id,
      source: input.source,
      source_ref: input.sourceRef,
      reason: overCap ? `${reason}（超过年度上限的理由：${overCap}）` : reason,
      checks_in_year: checksInYear,
      opened_by: user.id,
      opened_at: at,
    })
    .execute();
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'open-targeted-check',
    entity: 'plan_task',
    entityId: task.id,
    after: {
      planId: plan.id,
      uscc: entity.uscc,
      regimeSeq: rule.seq,
      inspectors: ordered.map((i) => i.certificate_no),
      reason,
      source: input.source,
      sourceRef: input.sourceRef,
      due,
      checksInYear,
      yearlyCap: cap,
      overCapReason: overCap || null,
    },
  });
  return { planId: plan.id, taskId: task.id, checksInYear, yearlyCap: cap };
}

export interface TargetedCheckOut {
  taskId: number;
  planId: number;
  uscc: string;
  name: string;
  reason: string;
  openedAt: string;
  due: string | null;
  checksInYear: number;
  inspectors: string[];
  /** The inspection's state: 未开始 until the record is saved. */
  status: string | null;
  statusName: string;
  /** Set once the result is published (reviewed by someone not on the inspection). */
  result: {
    code: string;
    name: string;
    summary: string | null;
    checkedOn: string | null;
    publishedAt: string;
  } | null;
}

/** The checks a source asked for (e.g. one ticket's), with their progress and, once published, their result. */
export async function targetedChecksOf(
  db: DbOrTx,
  source: string,
  sourceRef: string,
): Promise<TargetedCheckOut[]> {
  const rows = await db
    .selectFrom('targeted_checks as c')
    .innerJoin('plan_tasks as t', 't.id', 'c.task_id')
    .innerJoin('inspection_plans as p', 'p.id', 'c.plan_id')
    .leftJoin('inspections as r', 'r.task_id', 'c.task_id')
    .select([
      'c.task_id',
      'c.plan_id',
      'c.reason',
      'c.opened_at',
      'c.checks_in_year',
      't.uscc',
      't.name',
      'p.period_end',
      'r.status',
      'r.result_code',
      'r.result_summary',
      'r.checked_on',
      'r.published_at',
    ])
    .where('c.source', '=', source)
    .where('c.source_ref', '=', sourceRef)
    .orderBy('c.id')
    .execute();
  const out: TargetedCheckOut[] = [];
  for (const r of rows) {
    const certs = await db
      .selectFrom('plan_task_inspectors')
      .select('certificate_no')
      .where('task_id', '=', r.task_id)
      .orderBy('position')
      .execute();
    const category = r.status === 'published' ? resultCategory(r.result_code) : undefined;
    out.push({
      taskId: r.task_id,
      planId: r.plan_id,
      uscc: r.uscc,
      name: r.name,
      reason: r.reason,
      openedAt: r.opened_at,
      due: r.period_end,
      checksInYear: r.checks_in_year,
      inspectors: certs.map((c) => c.certificate_no),
      status: r.status,
      statusName: r.status === null ? '未开始' : statusName(r.status),
      result:
        category && r.published_at
          ? {
              code: category.code,
              name: category.name,
              summary: r.result_summary,
              checkedOn: r.checked_on,
              publishedAt: r.published_at,
            }
          : null,
    });
  }
  return out;
}

/** Active inspectors of the register, for choosing who goes (certificate and name: staff only). */
export async function activeInspectors(
  db: DbOrTx,
): Promise<Array<{ id: number; certificate: string; name: string }>> {
  const rows = await db
    .selectFrom('inspectors')
    .select(['id', 'certificate_no', 'name'])
    .where('active', '=', 1)
    .orderBy('certificate_no')
    .execute();
  return rows.map((r) => ({ id: r.id, certificate: r.certificate_no, name: r.name }));
}
