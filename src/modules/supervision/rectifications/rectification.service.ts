import type { DbOrTx, Tx } from '../../../db/database.ts';
import { nowIso } from '../../../db/database.ts';
import { AppError } from '../../../http/errors.ts';
import { CalendarCoverageError } from '../../../lib/workdays.ts';
import { appendAudit } from '../../audit/index.ts';
import { actorOf, type SessionUser } from '../../auth/index.ts';
import { documentType, issueDocument, listDocuments } from '../../documents/index.ts';
import { loadInspection, loadTaskContext } from '../inspections/inspection.repo.ts';
import { resultCategory } from '../inspections/result.categories.ts';
import { addDays, clockEnd } from '../penalties/penalty.clocks.ts';
import { ELECTRONIC_DELIVERY } from '../penalties/penalty.law.ts';
import { officesOfRegime } from '../rules/regime-offices.ts';
import { ruleOf } from '../rules/rules.ts';
import { reachOf } from '../shared/reach.ts';
import { type OrderTarget, orderAbilities } from './rectification.policy.ts';
import {
  type ConsentRow,
  consentsInForce,
  insertConsent,
  insertOrder,
  insertStep,
  inspectorAccount,
  listOrders,
  listSteps,
  loadOrder,
  moveOrderStatus,
  type OrderListRow,
  type OrderRow,
  officeIdByName,
  type StepRow,
  updateOrder,
} from './rectification.repo.ts';
import { clauseOf, nextSteps, STEP_NAME, type StepKind, TERM_UNIT_NAME } from './rectification.rules.ts';
import {
  ConsentInput,
  DELIVERY_METHOD_NAME,
  DeliveryInput,
  EscalationInput,
  NewOrderInput,
  OutcomeInput,
  parse,
  ReinspectorInput,
} from './rectification.schema.ts';
import { badOrderTransition, ORDER_TRANSITIONS, type OrderTransition } from './rectification.workflow.ts';

/**
 * Rectification orders (责令限期整改) from an inspection result: drafted by the office that owns the
 * regime, issued as a 责令限期整改通知书 (documents module) when it is delivered — the deadline runs
 * from the delivery, by the regime's clause (rectification.rules.ts) — re-inspected at the deadline
 * by an assigned inspector, closed as 已整改 or marked 逾期未整改, after which exactly the next steps
 * the regime's rules allow may be taken, each a record with its document. Every action runs in the
 * caller's transaction and writes its audit entry there.
 */

export const ORDER_SUBJECT = 'rectification';
export const STEP_SUBJECT = 'enforcement-step';

/** The document type each escalation step issues (documents module), when the module has it. */
const STEP_DOCUMENT: Record<Exclude<StepKind, 'penalty-case'>, string> = {
  'province-revocation': 'revocation-report',
  'public-announcement': 'public-announcement',
  'police-handover': 'police-referral',
};

export async function orderTarget(db: DbOrTx, user: SessionUser, o: OrderRow): Promise<OrderTarget> {
  return {
    reach: await reachOf(db, user),
    regime: o.regime_seq,
    handlerId: o.handler_id,
    reinspectorId: o.reinspector_id,
  };
}

/** Loads an order the person may read (403 otherwise). */
export async function readableOrder(db: DbOrTx, user: SessionUser, id: number): Promise<OrderListRow> {
  const o = await loadOrder(db, id);
  orderAbilities.assert('read', user, await orderTarget(db, user, o));
  return o;
}

async function audit(tx: Tx, user: SessionUser, action: string, id: number, before: unknown, after: unknown) {
  await appendAudit(tx, {
    actor: actorOf(user),
    action,
    entity: 'rectification',
    entityId: id,
    before,
    after,
  });
}

async function move(tx: Tx, o: OrderRow, action: OrderTransition, set: Partial<OrderRow>): Promise<void> {
  const t = ORDER_TRANSITIONS[action];
  const moved = await moveOrderStatus(tx, o.id, t.from, t.to, { ...set, updated_at: nowIso() });
  if (!moved) throw badOrderTransition(o.status, action);
}

const notAfterToday = (date: string, today: string, what: string) => {
  if (date > today) throw new AppError(400, 'date_in_future', `${what}不能晚于今天（${today}）`);
};

// ───────────────────────────── the order ─────────────────────────────

/** What the order form needs to know about a result: the party, the regime, its clause and period. */
export async function orderDraftOf(db: DbOrTx, inspectionId: number) {
  const r = await loadInspection(db, inspectionId);
  const ctx = await loadTaskContext(db, r.task_id);
  const regime = ctx.plan.regime_seq;
  return {
    inspection: r,
    ctx,
    regime,
    regimeTitle: ruleOf(regime)?.title ?? `第${regime}项监管制度`,
    clause: clauseOf(regime) ?? null,
    category: resultCategory(r.result_code),
  };
}

/** 开具责令限期整改通知 from a result that found a problem (status 已开具待送达). */
export async function createOrder(tx: Tx, user: SessionUser, raw: unknown, today: string): Promise<number> {
  orderAbilities.assertRole('create', user);
  const input = parse(NewOrderInput, raw);
  const draft = await orderDraftOf(tx, input.inspectionId);
  const { inspection: r, ctx, regime, clause } = draft;
  orderAbilities.assert('create', user, {
    reach: await reachOf(tx, user),
    regime,
    handlerId: user.id,
    reinspectorId: null,
  });
  if (!draft.category?.problem) {
    throw new AppError(
      409,
      'no_problem_found',
      `这项抽查的结果为“${draft.category?.name ?? '未填写'}”，没有发现问题，不能责令整改`,
    );
  }
  if (!['pending', 'published'].includes(r.status)) {
    throw new AppError(
      409,
      'result_not_confirmed',
      '抽查结果须经执法人员确认（待审核或已公示）后才能责令整改',
    );
  }
  if (!clause) {
    throw new AppError(
      409,
      'no_rectification_clause',
      `“${draft.regimeTitle}”原文未规定责令整改，不能开具整改通知`,
    );
  }
  if ((await listOrders(tx, { inspectionId: r.id })).length > 0) {
    throw new AppError(409, 'order_exists', '这项抽查结果已开具整改通知：请在原通知上办理');
  }
  notAfterToday(input.issuedOn, today, '开具日期');
  if (input.issuedOn < (r.checked_on ?? input.issuedOn)) {
    throw new AppError(400, 'issued_before_check', `开具日期不能早于检查日期（${r.checked_on}）`);
  }
  const now = nowIso();
  const id = await insertOrder(tx, {
    inspection_id: r.id,
    entity_id: ctx.task.entityId,
    regime_seq: regime,
    office_id: await officeIdByName(tx, officesOfRegime(regime)[0]),
    status: 'issued',
    findings: input.findings,
    requirement: input.requirement,
    term_unit: clause.term.unit,
    term_amount: input.termAmount ?? clause.term.amount,
    issued_on: input.issuedOn,
    handler_id: user.id,
    reinspector_id: null,
    delivery_method: null,
    delivered_on: null,
    delivery_proof: null,
    delivery_consent_id: null,
    deadline: null,
    reinspected_on: null,
    reinspection_note: null,
    outcome_by: null,
    created_by: user.id,
    created_at: now,
    updated_at: now,
  });
  await audit(tx, user, 'create-rectification', id, null, {
    inspectionId: r.id,
    regime,
    term: `${input.termAmount ?? clause.term.amount}${TERM_UNIT_NAME[clause.term.unit]}`,
    clause: { line: clause.line, quote: clause.quote },
  });
  return id;
}

/** The deadline of an order delivered on `deliveredOn`: by its term's unit; null with the reason when the calendar lacks the year. */
export function deadlineOf(o: Pick<OrderRow, 'term_unit' | 'term_amount'>, deliveredOn: string) {
  try {
    return {
      date: clockEnd({ unit: o.term_unit as 'working-days' | 'days', amount: o.term_amount }, deliveredOn),
      error: null,
    };
  } catch (e) {
    if (e instanceof CalendarCoverageError) return { date: null, error: `整改期限无法计算：${e.messageZh}` };
    throw e;
  }
}

/** The order's deadline as stored, or computed now (a year the calendar did not cover at delivery). */
export function currentDeadline(o: OrderRow): { date: string | null; error: string | null } {
  if (o.deadline) return { date: o.deadline, error: null };
  if (!o.delivered_on) return { date: null, error: null };
  return deadlineOf(o, o.delivered_on);
}

/** The re-inspection is due the day after the deadline (the party has the whole last day). */
export const reinspectionDue = (deadline: string) => addDays(deadline, 1);

/** The party's consent to electronic delivery (行政处罚法 art. 61(2)), recorded before it is used. */
export async function recordConsent(tx: Tx, user: SessionUser, orderId: number, raw: unknown, today: string) {
  const o = await loadOrder(tx, orderId);
  orderAbilities.assert('manage', user, await orderTarget(tx, user, o));
  const input = parse(ConsentInput, raw);
  notAfterToday(input.signedOn, today, '签订确认书的日期');
  const id = await insertConsent(tx, {
    entity_id: o.entity_id,
    channel: input.channel,
    address: input.address,
    signed_on: input.signedOn,
    proof: input.proof,
    recorded_by: user.id,
    recorded_at: nowIso(),
    withdrawn_on: null,
  });
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'record-delivery-consent',
    entity: 'regulated_entity',
    entityId: o.entity_id,
    after: { consentId: id, channel: input.channel, signedOn: input.signedOn, proof: input.proof },
  });
  return id;
}

/** Electronic delivery needs a consent in force on the day; refused otherwise, naming the article. */
export async function consentFor(
  db: DbOrTx,
  entityId: number,
  method: string,
  on: string,
): Promise<ConsentRow | null> {
  if (method !== 'electronic') return null;
  const [consent] = await consentsInForce(db, entityId, on);
  if (!consent) {
    throw new AppError(
      409,
      'no_electronic_consent',
      `当事人未签订电子送达确认书，不能电子送达。依据${ELECTRONIC_DELIVERY.law}${ELECTRONIC_DELIVERY.article}：“${ELECTRONIC_DELIVERY.words}”请先登记当事人的确认书，或改用直接送达、邮寄送达`,
    );
  }
  return consent;
}

/**
 * 送达: issues the 责令限期整改通知书 (its 文号 is taken now) and records how and when it reached the
 * party; the deadline runs from that day by the regime's clause.
 */
export async function deliverOrder(tx: Tx, user: SessionUser, id: number, raw: unknown, today: string) {
  const o = await loadOrder(tx, id);
  orderAbilities.assert('manage', user, await orderTarget(tx, user, o));
  const input = parse(DeliveryInput, raw);
  notAfterToday(input.deliveredOn, today, '送达日期');
  if (input.deliveredOn < o.issued_on) {
    throw new AppError(400, 'delivered_before_issue', `送达日期不能早于开具日期（${o.issued_on}）`);
  }
  const consent = await consentFor(tx, o.entity_id, input.method, input.deliveredOn);
  const deadline = deadlineOf(o, input.deliveredOn);
  if (!deadline.date) throw new AppError(409, 'calendar_not_covered', deadline.error!);
  const draft = await orderDraftOf(tx, o.inspection_id);
  const clause = clauseOf(o.regime_seq)!;
  const doc = await issueDocument(tx, {
    type: 'rectification-notice',
    subject: { kind: ORDER_SUBJECT, id: o.id },
    fields: {
      party: o.entityName,
      partyUscc: o.uscc,
      facts: o.findings,
      basis: `${draft.regimeTitle}：“${clause.quote}”（衡水市商务局事中事后监管制度，第${clause.line}行）`,
      requirement: `${o.requirement}。请自收到本通知书之日起${o.term_amount}${TERM_UNIT_NAME[o.term_unit as 'days']}内整改完毕，本局将于期限届满后复查。`,
      deadline: deadline.date,
    },
    issuedBy: user,
  });
  await move(tx, o, 'deliver', {
    delivery_method: input.method,
    delivered_on: input.deliveredOn,
    delivery_proof: input.proof,
    delivery_consent_id: consent?.id ?? null,
    deadline: deadline.date,
  });
  await audit(
    tx,
    user,
    'deliver-rectification',
    id,
    { status: o.status },
    {
      status: 'delivered',
      method: input.method,
      deliveredOn: input.deliveredOn,
      proof: input.proof,
      consentId: consent?.id ?? null,
      deadline: deadline.date,
      document: doc.number,
    },
  );
  return { deadline: deadline.date, document: doc };
}

/** Assigns the re-inspection (复查) to an inspector's account; it is due when the deadline has run. */
export async function assignReinspector(tx: Tx, user: SessionUser, id: number, raw: unknown) {
  const o = await loadOrder(tx, id);
  orderAbilities.assert('manage', user, await orderTarget(tx, user, o));
  if (!['issued', 'delivered'].includes(o.status)) {
    throw new AppError(409, 'order_closed', '整改通知已有结果，不能再指派复查');
  }
  const { reinspectorId } = parse(ReinspectorInput, raw);
  const account = await inspectorAccount(tx, reinspectorId);
  if (account?.role !== 'inspector' || account.active !== 1) {
    throw new AppError(400, 'not_an_inspector', '复查人员须为启用中的执法人员账号');
  }
  await updateOrder(tx, id, { reinspector_id: reinspectorId, updated_at: nowIso() });
  await audit(tx, user, 'assign-reinspection', id, { reinspectorId: o.reinspector_id }, { reinspectorId });
}

/** The re-inspection's outcome: 已整改 closes the order; 逾期未整改 (only after the deadline) opens the next steps. */
export async function recordOutcome(tx: Tx, user: SessionUser, id: number, raw: unknown, today: string) {
  const o = await loadOrder(tx, id);
  orderAbilities.assert('outcome', user, await orderTarget(tx, user, o));
  const input = parse(OutcomeInput, raw);
  if (o.status !== 'delivered') throw badOrderTransition(o.status, input.outcome);
  notAfterToday(input.reinspectedOn, today, '复查日期');
  if (input.reinspectedOn < o.delivered_on!) {
    throw new AppError(400, 'before_delivery', `复查日期不能早于送达日期（${o.delivered_on}）`);
  }
  const deadline = currentDeadline(o);
  if (input.outcome === 'overdue') {
    if (!deadline.date) throw new AppError(409, 'calendar_not_covered', deadline.error!);
    if (input.reinspectedOn <= deadline.date) {
      throw new AppError(
        409,
        'deadline_not_passed',
        `整改期限至${deadline.date}届满，届满后（${reinspectionDue(deadline.date)}起）复查仍未整改的，才能登记逾期未整改`,
      );
    }
  }
  await move(tx, o, input.outcome, {
    reinspected_on: input.reinspectedOn,
    reinspection_note: input.note,
    outcome_by: user.id,
  });
  await audit(
    tx,
    user,
    `rectification-${input.outcome}`,
    id,
    { status: o.status },
    { status: ORDER_TRANSITIONS[input.outcome].to, reinspectedOn: input.reinspectedOn, note: input.note },
  );
}

/**
 * A next step after an unheeded order (not a penalty case: that is filed with the order, penalty.service.ts):
 * only the steps the regime's rules allow, each once, with its document.
 */
export async function escalateOrder(tx: Tx, user: SessionUser, id: number, raw: unknown) {
  const o = await loadOrder(tx, id);
  orderAbilities.assert('manage', user, await orderTarget(tx, user, o));
  const input = parse(EscalationInput, raw);
  const step = assertStepAllowed(o, input.kind, input.ruleKey, await listSteps(tx, id));
  if (input.kind === 'penalty-case') {
    throw new AppError(409, 'file_a_case', '立案处罚请通过“立案”办理（案件将关联这份整改通知）');
  }
  const rule = step.rules.find((r) => r.key === input.ruleKey)!;
  const stepId = await insertStep(tx, {
    order_id: id,
    kind: input.kind,
    rule_key: rule.key,
    note: input.note,
    penalty_case_id: null,
    created_by: user.id,
    created_at: nowIso(),
  });
  const docType = STEP_DOCUMENT[input.kind];
  const doc = documentType(docType)
    ? await issueDocument(tx, {
        type: docType,
        subject: { kind: STEP_SUBJECT, id: stepId },
        fields: {
          party: o.entityName,
          partyUscc: o.uscc,
          facts: `${o.findings}。经${o.delivered_on}送达责令限期整改通知书，整改期限至${o.deadline}届满，${o.reinspected_on}复查仍未整改。`,
          basis: `${ruleOf(o.regime_seq)?.title ?? ''}：“${rule.citation.quote}”（第${rule.citation.line}行）`,
          measure: `${STEP_NAME[input.kind]}：${rule.label}`,
          note: input.note,
        },
        issuedBy: user,
      })
    : null;
  await audit(tx, user, 'escalate-rectification', id, null, {
    stepId,
    kind: input.kind,
    rule: { key: rule.key, line: rule.citation.line },
    note: input.note,
    document: doc?.number ?? null,
  });
  return { stepId, document: doc };
}

/** Refuses a step the regime does not allow, one already taken, or any step before the order is overdue. */
export function assertStepAllowed(o: OrderRow, kind: StepKind, ruleKey: string, taken: readonly StepRow[]) {
  if (o.status !== 'overdue') {
    throw new AppError(409, 'not_overdue', '只有逾期未整改的整改通知才能进入后续处理');
  }
  const allowed = nextSteps(o.regime_seq);
  const step = allowed.find((s) => s.kind === kind);
  if (!step) {
    const names = allowed.map((s) => s.name).join('、') || '无（原文未规定）';
    throw new AppError(
      409,
      'step_not_allowed',
      `“${ruleOf(o.regime_seq)?.title}”的规定不允许“${STEP_NAME[kind]}”；可以采取的后续处理：${names}`,
    );
  }
  if (!step.rules.some((r) => r.key === ruleKey)) {
    throw new AppError(400, 'rule_not_of_step', `请从该监管制度的规定中选择“${step.name}”的依据`);
  }
  if (taken.some((s) => s.kind === kind)) {
    throw new AppError(409, 'step_taken', `这份整改通知已“${step.name}”，不能重复办理`);
  }
  return step;
}

// ───────────────────────────── reading ─────────────────────────────

export interface OrderView {
  order: OrderListRow;
  deadline: { date: string | null; error: string | null };
  reinspectionDue: string | null;
  steps: StepRow[];
  /** The steps still open to it (only when overdue). */
  next: ReturnType<typeof nextSteps>;
  documents: Awaited<ReturnType<typeof listDocuments>>;
  clause: ReturnType<typeof clauseOf>;
  methodName: string | null;
}

export async function orderView(db: DbOrTx, user: SessionUser, id: number): Promise<OrderView> {
  const order = await readableOrder(db, user, id);
  const deadline = currentDeadline(order);
  const steps = await listSteps(db, id);
  const taken = new Set(steps.map((s) => s.kind));
  return {
    order,
    deadline,
    reinspectionDue: deadline.date ? reinspectionDue(deadline.date) : null,
    steps,
    next: order.status === 'overdue' ? nextSteps(order.regime_seq).filter((s) => !taken.has(s.kind)) : [],
    documents: await listDocuments(db, { subject: { kind: ORDER_SUBJECT, id } }),
    clause: clauseOf(order.regime_seq),
    methodName: order.delivery_method
      ? (DELIVERY_METHOD_NAME[order.delivery_method as keyof typeof DELIVERY_METHOD_NAME] ?? null)
      : null,
  };
}

/** The orders a person may see: an editor those of their offices' regimes, an inspector those they re-inspect. */
export async function listOrdersFor(db: DbOrTx, user: SessionUser): Promise<OrderListRow[]> {
  orderAbilities.assertRole('read', user);
  const reach = await reachOf(db, user);
  const rows = await listOrders(db, reach.all ? {} : { regimes: [...reach.regimes] });
  return rows.filter((o) =>
    orderAbilities.can('read', user, {
      reach,
      regime: o.regime_seq,
      handlerId: o.handler_id,
      reinspectorId: o.reinspector_id,
    }),
  );
}
