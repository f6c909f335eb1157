import type { Database } from '../src/db/database.ts';
import type { SessionUser } from '../src/modules/auth/auth.service.ts';
import { createEntity } from '../src/modules/supervision/entities/entity.service.ts';
import {
  checklistFor,
  confirmRecord,
  saveRecord,
} from '../src/modules/supervision/inspections/inspection.service.ts';
import { createInspector } from '../src/modules/supervision/inspectors/inspector.service.ts';
import { fileCase, notifyCase, submitCase } from '../src/modules/supervision/penalties/penalty.service.ts';
import { commitPlanAction, createPlan, drawPlan } from '../src/modules/supervision/plans/plan.service.ts';
import {
  createOrder,
  deliverOrder,
  recordOutcome,
} from '../src/modules/supervision/rectifications/rectification.service.ts';
import { createStaff } from './staff-helpers.ts';
import { makeUscc } from './supervision-helpers.ts';

/**
 * Enforcement fixtures built through the real services, as the people would: a population of
 * prepaid-card issuers (regime 7) and of retailers (regime 8), two inspectors with accounts, a drawn
 * plan per regime at 100 %, and for each call a fresh task whose on-site record found a problem
 * (发现问题待后续处理), confirmed by both inspectors — the result a rectification order starts from.
 */

/** The app's fixed clock in the enforcement tests: 2026-11-20 in China. */
export const TODAY = '2026-11-20';
export const NOW = new Date('2026-11-20T04:00:00Z');

export interface EnforcementWorld {
  planner: SessionUser;
  inspectors: [SessionUser, SessionUser];
  plans: Record<7 | 8, number>;
  entities: Record<7 | 8, number[]>;
  /** The inspection id of a fresh problem result of the regime (待审核). */
  problemResult(regime: 7 | 8): Promise<number>;
  /** An order of the regime brought to `state`, by `by`. */
  order(regime: 7 | 8, by: SessionUser, state: 'issued' | 'delivered' | 'overdue'): Promise<number>;
  /** A penalty case of regime 8 (no gain, ≤ 1万元) filed by `by`, brought to `state`. */
  fairTradeCase(by: SessionUser, state: 'filed' | 'in-review'): Promise<number>;
}

let serial = 0;

export async function buildEnforcementWorld(
  database: Database,
  prefix: string,
  sizes: { issuers: number; retailers: number } = { issuers: 36, retailers: 40 },
): Promise<EnforcementWorld> {
  const db = database.db;
  const planner = await createStaff(database, `${prefix}_planner`, 'admin');
  const county = (
    await db.selectFrom('counties').select('id').where('name', '=', '桃城区').executeTakeFirstOrThrow()
  ).id;
  const entities: Record<7 | 8, number[]> = { 7: [], 8: [] };
  for (const [regime, category, n] of [
    [7, 'prepaid-card-issuer', sizes.issuers],
    [8, 'retailer', sizes.retailers],
  ] as const) {
    for (let k = 0; k < n; k++) {
      serial++;
      const id = await db.transaction().execute((tx) =>
        createEntity(tx, planner, {
          name: `${prefix}${regime === 7 ? '发卡企业' : '零售商'}${k + 1}`,
          uscc: makeUscc(80_000 + serial + (prefix.charCodeAt(0) % 7) * 10_000),
          categories: [category],
          county: String(county),
          licenceNo: '',
          licenceValidFrom: '',
          licenceValidUntil: '',
          status: 'active',
          riskClass: '',
        }),
      );
      entities[regime].push(id);
    }
  }
  const inspectors: SessionUser[] = [];
  for (const k of [1, 2]) {
    const account = await createStaff(database, `${prefix}_insp${k}`, 'inspector');
    inspectors.push(account);
    await db.transaction().execute((tx) =>
      createInspector(tx, planner, {
        name: `${prefix}执法${k}`,
        certificateNo: `${prefix.toUpperCase()}-${k}`,
        officeId: '',
        countyId: '',
        username: account.username,
        active: true,
      } as never),
    );
  }
  const plans = {} as Record<7 | 8, number>;
  for (const regime of [7, 8] as const) {
    plans[regime] = await db.transaction().execute(async (tx) => {
      const id = await createPlan(tx, planner, {
        regimeSeq: regime,
        year: 2026,
        round: 2,
        ratioPercent: '100',
        minInspectors: 2,
        countyIds: [],
        riskClasses: [],
        belowMinReason: '',
      });
      await commitPlanAction(tx, planner, id);
      return id;
    });
    await drawPlan(db, planner, plans[regime], `2026-09-01 福彩3D 2026231期 ${regime} 4 2`);
  }
  const used = new Set<number>();
  const byUser = new Map(inspectors.map((u) => [u.id, u]));

  async function problemResult(regime: 7 | 8): Promise<number> {
    const tasks = await db
      .selectFrom('plan_tasks')
      .select('id')
      .where('plan_id', '=', plans[regime])
      .orderBy('position')
      .execute();
    const task = tasks.find((t) => !used.has(t.id));
    if (!task) throw new Error(`no unused task left in the plan of regime ${regime}`);
    used.add(task.id);
    const items = await checklistFor(db, regime);
    const { version } = await db.transaction().execute((tx) =>
      saveRecord(tx, inspectors[0]!, task.id, {
        checkedAt: '2026-09-25T09:30',
        place: '衡水市桃城区某路1号',
        representative: '张经理',
        representativeRole: '负责人',
        refused: false,
        refusalNote: '',
        notes: '',
        resultCode: 'follow-up',
        resultSummary: regime === 7 ? '单张记名卡面值超过5000元' : '向供应商收取未约定的促销服务费',
        answers: new Map(
          items.filter((i) => !i.heading).map((i) => [i.position, { answer: 'compliant', note: '' }]),
        ),
      }),
    );
    const linked = await db
      .selectFrom('plan_task_inspectors as ti')
      .innerJoin('inspectors as i', 'i.id', 'ti.inspector_id')
      .select('i.user_id')
      .where('ti.task_id', '=', task.id)
      .execute();
    for (const l of linked) {
      const who = byUser.get(l.user_id!)!;
      await db.transaction().execute((tx) => confirmRecord(tx, who, task.id, version));
    }
    const r = await db
      .selectFrom('inspections')
      .select('id')
      .where('task_id', '=', task.id)
      .executeTakeFirstOrThrow();
    return r.id;
  }

  async function order(
    regime: 7 | 8,
    by: SessionUser,
    state: 'issued' | 'delivered' | 'overdue',
  ): Promise<number> {
    const inspectionId = await problemResult(regime);
    const id = await db.transaction().execute((tx) =>
      createOrder(
        tx,
        by,
        {
          inspectionId,
          findings: regime === 7 ? '单张记名卡面值超过5000元' : '向供应商收取未约定的促销服务费',
          requirement: '停止违规行为并提交整改报告',
          termAmount: '15',
          issuedOn: '2026-09-28',
        },
        TODAY,
      ),
    );
    if (state === 'issued') return id;
    await db
      .transaction()
      .execute((tx) =>
        deliverOrder(
          tx,
          by,
          id,
          { method: 'on-site', deliveredOn: '2026-09-28', proof: '送达回证001' },
          TODAY,
        ),
      );
    if (state === 'delivered') return id;
    await db
      .transaction()
      .execute((tx) =>
        recordOutcome(
          tx,
          by,
          id,
          { outcome: 'overdue', reinspectedOn: '2026-10-26', note: '复查仍未整改' },
          TODAY,
        ),
      );
    return id;
  }

  async function fairTradeCase(by: SessionUser, state: 'filed' | 'in-review'): Promise<number> {
    const ctx = { today: TODAY, hearingThresholdFen: 1_000_000 };
    const id = await db.transaction().execute((tx) =>
      fileCase(
        tx,
        by,
        {
          entityId: entities[8][entities[8].length - 1 - (serial++ % 5)]!,
          regimeSeq: '8',
          ruleKey: 'fine-without-gain',
          facts: '要求供应商承担未约定的促销费用',
          violationOn: '2026-08-01',
          harm: 'ordinary',
          illegalGainYuan: '',
          filedOn: '2026-10-01',
        },
        ctx,
      ),
    );
    if (state === 'filed') return id;
    await db
      .transaction()
      .execute((tx) => notifyCase(tx, by, id, { amountYuan: '5000', noticeOn: '2026-10-10' }, ctx));
    await db.transaction().execute((tx) => submitCase(tx, by, id, ctx));
    return id;
  }

  return {
    planner,
    inspectors: inspectors as [SessionUser, SessionUser],
    plans,
    entities,
    problemResult,
    order,
    fairTradeCase,
  };
}
