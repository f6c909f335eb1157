import type { DbOrTx, Tx } from '../../../db/database.ts';
import { nowIso } from '../../../db/database.ts';
import { AppError } from '../../../http/errors.ts';
import { todayInChina } from '../../../lib/china-time.ts';
import { appendAudit } from '../../audit/index.ts';
import { actorOf, type SessionUser } from '../../auth/index.ts';
import { issueDocument, listDocuments } from '../../documents/index.ts';
import { insertStep, listSteps, loadOrder, officeIdByName } from '../rectifications/rectification.repo.ts';
import { parse } from '../rectifications/rectification.schema.ts';
import { assertStepAllowed, consentFor } from '../rectifications/rectification.service.ts';
import { officesOfRegime } from '../rules/regime-offices.ts';
import { type PenaltyRule, ruleOf } from '../rules/rules.ts';
import { reachOf } from '../shared/reach.ts';
import { type AmountBound, boundOf, checkAmount, isFine, needsGain, yuanText } from './penalty.amount.ts';
import {
  addDays,
  addYears,
  assertWithinLimitation,
  decisionDue,
  deliveryDue,
  earliestHearing,
  type Harm,
  hearingRequestLastDay,
  lateFee,
  paymentDue,
  publicationDue,
} from './penalty.clocks.ts';
import {
  DECISION_DUE,
  FIRST_VIOLATION,
  HEARING_NOTICE,
  HEARING_REQUEST,
  HEARING_RIGHT,
  LEGAL_REVIEW,
  PAYMENT_DUE,
  PENALTY_LAW,
} from './penalty.law.ts';
import { type CaseTarget, caseAbilities } from './penalty.policy.ts';
import {
  type CaseListRow,
  type CaseRow,
  entityCategories,
  entityOf,
  insertCase,
  linkSeller,
  listCases,
  loadCase,
  moveCaseStatus,
  sellerPenalties,
  updateCase,
} from './penalty.repo.ts';
import {
  CaseDeliveryInput,
  DecisionInput,
  HearingHeldInput,
  HearingRequestInput,
  HearingScheduleInput,
  NewCaseInput,
  NoticeInput,
  PaymentInput,
  PublicationInput,
  ReviewInput,
  SellerLinkInput,
  StatementInput,
} from './penalty.schema.ts';
import { badCaseTransition, CASE_TRANSITIONS, type CaseTransition } from './penalty.workflow.ts';

/**
 * Penalty cases (行政处罚, 普通程序) through their transition table (penalty.workflow.ts): 立案 under a
 * penalty rule of the regime (rules.data.ts) within the limitation period; 事先告知 with the amount
 * checked against the rule's range (or 首违不罚 with its reason); 陈述申辩; a hearing offered from a
 * configurable amount; 法制审核 by a legal reviewer who is not the handler; the decision (行政处罚决定书
 * through the documents module) by a manager; delivery, publication and payment with its late fee.
 * Every clock comes from penalty.law.ts. Each action runs in the caller's transaction with its audit.
 */

export const CASE_SUBJECT = 'penalty-case';

/** What the actions need besides the input: today's China date and the hearing threshold. */
export interface CaseContext {
  today: string;
  /** A fine of at least this (fen) offers a hearing (ENFORCEMENT_HEARING_THRESHOLD_YUAN). */
  hearingThresholdFen: number;
}

export async function caseTarget(db: DbOrTx, user: SessionUser, c: CaseRow): Promise<CaseTarget> {
  return { reach: await reachOf(db, user), regime: c.regime_seq, handlerId: c.handler_id };
}

export async function readableCase(db: DbOrTx, user: SessionUser, id: number): Promise<CaseListRow> {
  const c = await loadCase(db, id);
  caseAbilities.assert('read', user, await caseTarget(db, user, c));
  return c;
}

export function ruleOfCase(c: Pick<CaseRow, 'regime_seq' | 'rule_key'>): PenaltyRule {
  const rule = ruleOf(c.regime_seq)?.penalties.items.find((r) => r.key === c.rule_key);
  if (!rule)
    throw new AppError(500, 'rule_missing', `处罚依据 ${c.rule_key} 不在第${c.regime_seq}项监管制度的规则中`);
  return rule;
}

/** The penalty rules a case may be filed under: the regime's fines and warnings. */
export const caseRules = (regime: number): PenaltyRule[] =>
  (ruleOf(regime)?.penalties.items ?? []).filter((r) => r.kind === 'fine' || r.kind === 'warning');

/** The rule's precondition is an order not heeded in time (逾期仍不改正…). */
export const needsUnheededOrder = (rule: PenaltyRule) => rule.precondition?.includes('逾期') ?? false;

/** The rule counts earlier penalties of the issuer's card sellers (regime 7: 12 months, 3 times). */
export const countsSellerPenalties = (rule: PenaltyRule) =>
  rule.figures.months !== undefined && rule.figures.penalties !== undefined;

const basisText = (c: Pick<CaseRow, 'regime_seq'>, rule: PenaltyRule) =>
  `${ruleOf(c.regime_seq)?.title}：“${rule.citation.quote}”（衡水市商务局事中事后监管制度，第${rule.citation.line}行）`;

async function audit(tx: Tx, user: SessionUser, action: string, id: number, before: unknown, after: unknown) {
  await appendAudit(tx, {
    actor: actorOf(user),
    action,
    entity: 'penalty_case',
    entityId: id,
    before,
    after,
  });
}

async function move(tx: Tx, c: CaseRow, action: CaseTransition, set: Partial<CaseRow> = {}): Promise<void> {
  const t = CASE_TRANSITIONS[action];
  const moved = await moveCaseStatus(tx, c.id, t.from, t.to, { ...set, updated_at: nowIso() });
  if (!moved) throw badCaseTransition(c.status, action);
}

/** Loads the case, checks the transition's ability and its state (the move re-checks). */
async function forTransition(tx: Tx, user: SessionUser, id: number, action: CaseTransition) {
  const c = await loadCase(tx, id);
  caseAbilities.assert(CASE_TRANSITIONS[action].by, user, await caseTarget(tx, user, c));
  if (!(CASE_TRANSITIONS[action].from as readonly string[]).includes(c.status)) {
    throw badCaseTransition(c.status, action);
  }
  return c;
}

const notAfter = (date: string, today: string, what: string) => {
  if (date > today) throw new AppError(400, 'date_in_future', `${what}不能晚于今天（${today}）`);
};
const notBefore = (date: string, earliest: string, what: string, earliestWhat: string) => {
  if (date < earliest)
    throw new AppError(400, 'date_too_early', `${what}不能早于${earliestWhat}（${earliest}）`);
};

// ───────────────────────────── 立案 ─────────────────────────────

/**
 * 立案. Refused beyond the limitation period (art. 36), under a rule that is not the regime's, under
 * a rule that needs an unheeded order without one, and — for an issuer whose sellers must have been
 * penalised three times in 12 months — when the register's own history does not show that.
 */
export async function fileCase(tx: Tx, user: SessionUser, raw: unknown, ctx: CaseContext): Promise<number> {
  caseAbilities.assertRole('file', user);
  const input = parse(NewCaseInput, raw);
  const reach = await reachOf(tx, user);
  caseAbilities.assert('file', user, { reach, regime: input.regimeSeq, handlerId: user.id });
  const regime = ruleOf(input.regimeSeq);
  const rule = caseRules(input.regimeSeq).find((r) => r.key === input.ruleKey);
  if (!regime || !rule) {
    const names = caseRules(input.regimeSeq)
      .map((r) => `“${r.label}”`)
      .join('、');
    throw new AppError(
      400,
      'rule_not_of_regime',
      names
        ? `请从“${regime?.title}”的处罚规定中选择处罚依据：${names}`
        : `“${regime?.title ?? `第${input.regimeSeq}项`}”原文没有罚款或警告的处罚规定，不能立案处罚`,
    );
  }
  const entity = await entityOf(tx, input.entityId);
  notAfter(input.filedOn, ctx.today, '立案日期');
  assertWithinLimitation(input.violationOn, input.filedOn, input.harm as Harm);

  let order: Awaited<ReturnType<typeof loadOrder>> | null = null;
  if (input.orderId !== null) {
    order = await loadOrder(tx, input.orderId);
    if (order.entity_id !== entity.id || order.regime_seq !== input.regimeSeq) {
      throw new AppError(400, 'order_mismatch', '关联的整改通知与案件的检查对象或监管制度不一致');
    }
    assertStepAllowed(order, 'penalty-case', rule.key, await listSteps(tx, order.id));
  } else if (needsUnheededOrder(rule)) {
    throw new AppError(
      409,
      'order_required',
      `依据“${rule.label}”，须先责令限期改正且逾期仍不改正才能处罚：请从逾期未整改的整改通知立案`,
    );
  }
  if (needsGain(rule) && (input.illegalGainYuan === null || input.illegalGainYuan <= 0)) {
    throw new AppError(
      400,
      'gain_required',
      `依据“${rule.label}”须记录违法所得金额；没有违法所得的，请选择“没有违法所得”的处罚依据`,
    );
  }
  if (countsSellerPenalties(rule)) await assertSellerHistory(tx, entity.id, rule, input.filedOn);

  const now = nowIso();
  const id = await insertCase(tx, {
    order_id: order?.id ?? null,
    entity_id: entity.id,
    regime_seq: input.regimeSeq,
    rule_key: rule.key,
    office_id: await officeIdByName(tx, officesOfRegime(input.regimeSeq)[0]),
    status: 'filed',
    facts: input.facts,
    violation_on: input.violationOn,
    harm: input.harm,
    illegal_gain_fen: input.illegalGainYuan,
    filed_on: input.filedOn,
    handler_id: user.id,
    waived: 0,
    waiver_reason: null,
    amount_fen: null,
    bound_fen: null,
    notice_on: null,
    hearing_offered: 0,
    statement: null,
    statement_on: null,
    hearing_requested_on: null,
    hearing_notified_on: null,
    hearing_on: null,
    hearing_record: null,
    submitted_at: null,
    review_by: null,
    review_at: null,
    review_opinion: null,
    decision_on: null,
    decided_by: null,
    decision_late_reason: null,
    delivery_method: null,
    delivered_on: null,
    delivery_proof: null,
    published_on: null,
    paid_on: null,
    paid_fen: null,
    late_fee_fen: null,
    created_at: now,
    updated_at: now,
  });
  if (order) {
    await insertStep(tx, {
      order_id: order.id,
      kind: 'penalty-case',
      rule_key: rule.key,
      note: `立案处罚（案件${id}）`,
      penalty_case_id: id,
      created_by: user.id,
      created_at: now,
    });
  }
  await audit(tx, user, 'file-penalty-case', id, null, {
    entityId: entity.id,
    regime: input.regimeSeq,
    rule: { key: rule.key, line: rule.citation.line },
    orderId: order?.id ?? null,
    violationOn: input.violationOn,
    filedOn: input.filedOn,
    decisionDue: decisionDue(input.filedOn),
    illegalGainFen: input.illegalGainYuan,
  });
  return id;
}

/** Regime 7: the issuer's sellers were penalised `penalties` times in the `months` before filing. */
async function assertSellerHistory(tx: Tx, issuerId: number, rule: PenaltyRule, filedOn: string) {
  const months = rule.figures.months!;
  const needed = rule.figures.penalties!;
  const from = addDays(addYears(filedOn, 0 - months / 12), 1);
  const history = await sellerPenalties(tx, issuerId, from, filedOn);
  if (history.length < needed) {
    throw new AppError(
      409,
      'seller_history_short',
      `依据“${rule.label}”（原文第${rule.citation.line}行），须其隶属的售卡企业${months}个月内${needed}次受到行政处罚；本系统登记的处罚记录中，${from}至${filedOn}只有${history.length}次${
        history.length ? `（${history.map((h) => `${h.entityName} ${h.decisionOn}`).join('；')}）` : ''
      }，不能按此依据立案`,
    );
  }
}

/** Records which filed issuer a card seller belongs to (regime 7). */
export async function linkCardSeller(tx: Tx, user: SessionUser, raw: unknown) {
  caseAbilities.assert('file', user, { reach: await reachOf(tx, user), regime: 7, handlerId: user.id });
  const input = parse(SellerLinkInput, raw);
  if (input.sellerEntityId === input.issuerEntityId) {
    throw new AppError(400, 'same_entity', '售卡企业和发卡企业不能是同一家');
  }
  const issuer = await entityOf(tx, input.issuerEntityId);
  await entityOf(tx, input.sellerEntityId);
  if (!(await entityCategories(tx, issuer.id)).includes('prepaid-card-issuer')) {
    throw new AppError(400, 'not_an_issuer', `“${issuer.name}”不是名录库中的预付卡发卡企业`);
  }
  await linkSeller(tx, input.sellerEntityId, input.issuerEntityId, user.id, nowIso());
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'link-card-seller',
    entity: 'regulated_entity',
    entityId: input.sellerEntityId,
    after: { issuerEntityId: input.issuerEntityId },
  });
}

// ───────────────────────────── 事先告知, 陈述申辩, 听证 ─────────────────────────────

/** The range of the fine for this case (null for a warning). */
export function boundOfCase(c: CaseRow): AmountBound | null {
  const rule = ruleOfCase(c);
  return isFine(rule) ? boundOf(rule, { illegalGainFen: c.illegal_gain_fen }) : null;
}

const penaltyText = (c: Pick<CaseRow, 'waived' | 'amount_fen'>, rule: PenaltyRule) =>
  c.waived ? '不予行政处罚（首违不罚）' : isFine(rule) ? `罚款${yuanText(c.amount_fen!)}` : '警告';

/**
 * 事先告知 (art. 44): the proposed penalty — a fine checked against the rule's range, a warning, or
 * 首违不罚 with its reason (art. 33) — and the date the notice reached the party. Issues the
 * 行政处罚事先告知书 and, when the fine reaches the hearing threshold, the 听证告知书.
 */
export async function notifyCase(tx: Tx, user: SessionUser, id: number, raw: unknown, ctx: CaseContext) {
  const c = await forTransition(tx, user, id, 'notify');
  const input = parse(NoticeInput, raw);
  const rule = ruleOfCase(c);
  notAfter(input.noticeOn, ctx.today, '事先告知书送达日期');
  notBefore(input.noticeOn, c.filed_on, '事先告知书送达日期', '立案日期');
  let amount: number | null = null;
  let bound: AmountBound | null = null;
  if (input.waive) {
    if (!input.waiverReason || input.waiverReason.length < 4) {
      throw new AppError(
        400,
        'waiver_reason_required',
        `首违不罚须写明理由（${PENALTY_LAW}${FIRST_VIOLATION.article}：“${FIRST_VIOLATION.words}”）`,
      );
    }
  } else if (isFine(rule)) {
    bound = boundOfCase(c)!;
    if (input.amountYuan === null)
      throw new AppError(400, 'amount_required', `请填写罚款金额：可处罚款${bound.rangeText}`);
    checkAmount(rule, input.amountYuan, bound);
    amount = input.amountYuan;
  } else if (input.amountYuan !== null) {
    throw new AppError(400, 'no_fine', `处罚依据“${rule.label}”不处罚款，请不要填写罚款金额`);
  }
  const hearing = amount !== null && amount >= ctx.hearingThresholdFen;
  const set = {
    waived: input.waive ? 1 : 0,
    waiver_reason: input.waive ? input.waiverReason : null,
    amount_fen: amount,
    bound_fen: bound?.maxFen ?? null,
    notice_on: input.noticeOn,
    hearing_offered: hearing ? 1 : 0,
  };
  const proposed = penaltyText(set, rule);
  const lastHearingDay = hearingRequestLastDay(input.noticeOn);
  const rights = `当事人可自收到本告知书之日起向本局提出陈述、申辩${
    hearing ? `；拟处较大数额罚款，当事人有权要求听证，应在告知后五日内（${lastHearingDay}前）提出` : ''
  }（${PENALTY_LAW}第四十四条、第四十五条${hearing ? '、第六十三条、第六十四条' : ''}）。`;
  const facts = c.facts;
  const basis = basisText(c, rule);
  const docs = [
    await issueDocument(tx, {
      type: 'penalty-prior-notice',
      subject: { kind: CASE_SUBJECT, id: c.id },
      fields: {
        party: c.entityName,
        partyUscc: c.uscc,
        facts,
        basis,
        proposedPenalty: input.waive ? `${proposed}。理由：${input.waiverReason}` : proposed,
        rights,
      },
      issuedBy: user,
    }),
  ];
  if (hearing) {
    docs.push(
      await issueDocument(tx, {
        type: 'hearing-notice',
        subject: { kind: CASE_SUBJECT, id: c.id },
        fields: {
          party: c.entityName,
          partyUscc: c.uscc,
          proposedPenalty: proposed,
          basis,
          requestDeadline: `告知后五日内，即${lastHearingDay}前`,
        },
        issuedBy: user,
      }),
    );
  }
  await move(tx, c, 'notify', set);
  await audit(
    tx,
    user,
    'notify-penalty-case',
    id,
    { status: c.status, amountFen: c.amount_fen },
    {
      status: 'notified',
      ...set,
      bound: bound ? { minFen: bound.minFen, maxFen: bound.maxFen } : null,
      documents: docs.map((d) => d.number),
    },
  );
  return { hearingOffered: hearing, documents: docs };
}

/** 陈述、申辩 (art. 45): what the party said, on the case. */
export async function recordStatement(tx: Tx, user: SessionUser, id: number, raw: unknown, ctx: CaseContext) {
  const c = await loadCase(tx, id);
  caseAbilities.assert('handle', user, await caseTarget(tx, user, c));
  if (!['notified', 'hearing-requested', 'hearing-scheduled', 'heard'].includes(c.status)) {
    throw new AppError(409, 'not_notified', '事先告知后、提交法制审核前才能登记陈述申辩');
  }
  const input = parse(StatementInput, raw);
  notAfter(input.statementOn, ctx.today, '陈述申辩日期');
  notBefore(input.statementOn, c.notice_on!, '陈述申辩日期', '事先告知日期');
  await updateCase(tx, id, {
    statement: input.statement,
    statement_on: input.statementOn,
    updated_at: nowIso(),
  });
  await audit(
    tx,
    user,
    'record-statement',
    id,
    { statement: c.statement },
    { statementOn: input.statementOn },
  );
}

export async function requestHearing(tx: Tx, user: SessionUser, id: number, raw: unknown, ctx: CaseContext) {
  const c = await forTransition(tx, user, id, 'requestHearing');
  if (!c.hearing_offered) {
    throw new AppError(
      409,
      'no_hearing',
      `拟处罚款未达到听证标准（${HEARING_RIGHT.note}），本案未告知听证权利`,
    );
  }
  const { requestedOn } = parse(HearingRequestInput, raw);
  notAfter(requestedOn, ctx.today, '提出听证要求的日期');
  notBefore(requestedOn, c.notice_on!, '提出听证要求的日期', '事先告知日期');
  const last = hearingRequestLastDay(c.notice_on!);
  if (requestedOn > last) {
    throw new AppError(
      409,
      'hearing_request_late',
      `听证要求须在告知后五日内（${last}前）提出，${requestedOn}已超过期限（${HEARING_REQUEST.citation.law}${HEARING_REQUEST.citation.article}）`,
    );
  }
  await move(tx, c, 'requestHearing', { hearing_requested_on: requestedOn });
  await audit(
    tx,
    user,
    'request-hearing',
    id,
    { status: c.status },
    { status: 'hearing-requested', requestedOn },
  );
}

export async function scheduleHearing(tx: Tx, user: SessionUser, id: number, raw: unknown, ctx: CaseContext) {
  const c = await forTransition(tx, user, id, 'scheduleHearing');
  const { notifiedOn, hearingOn } = parse(HearingScheduleInput, raw);
  notAfter(notifiedOn, ctx.today, '听证通知送达日期');
  notBefore(notifiedOn, c.hearing_requested_on!, '听证通知送达日期', '听证申请日期');
  const earliest = earliestHearing(notifiedOn);
  if (hearingOn < earliest) {
    throw new AppError(
      409,
      'hearing_too_soon',
      `听证须在通知送达七日后举行：${notifiedOn}通知的，最早${earliest}（${HEARING_NOTICE.citation.law}${HEARING_NOTICE.citation.article}：“${HEARING_NOTICE.citation.words}”）`,
    );
  }
  await move(tx, c, 'scheduleHearing', { hearing_notified_on: notifiedOn, hearing_on: hearingOn });
  await audit(
    tx,
    user,
    'schedule-hearing',
    id,
    { status: c.status },
    { status: 'hearing-scheduled', notifiedOn, hearingOn },
  );
}

export async function holdHearing(tx: Tx, user: SessionUser, id: number, raw: unknown, ctx: CaseContext) {
  const c = await forTransition(tx, user, id, 'holdHearing');
  const { heldOn, record } = parse(HearingHeldInput, raw);
  notAfter(heldOn, ctx.today, '举行听证的日期');
  notBefore(heldOn, c.hearing_on!, '举行听证的日期', '通知的听证日期');
  await move(tx, c, 'holdHearing', { hearing_on: heldOn, hearing_record: record });
  await audit(tx, user, 'hold-hearing', id, { status: c.status }, { status: 'heard', heldOn });
}

// ───────────────────────────── 法制审核, 决定 ─────────────────────────────

/** 提交法制审核: after the hearing, or once the window to ask for one has run out unused. */
export async function submitCase(tx: Tx, user: SessionUser, id: number, ctx: CaseContext) {
  const c = await forTransition(tx, user, id, 'submit');
  if (c.status === 'notified' && c.hearing_offered) {
    const last = hearingRequestLastDay(c.notice_on!);
    if (ctx.today <= last) {
      throw new AppError(
        409,
        'hearing_window_open',
        `当事人可在${last}前要求听证：期满未提出的，才能提交法制审核`,
      );
    }
  }
  const rule = ruleOfCase(c);
  if (!c.waived && isFine(rule)) checkAmount(rule, c.amount_fen ?? 0, boundOfCase(c)!);
  await move(tx, c, 'submit', { submitted_at: nowIso() });
  await audit(
    tx,
    user,
    'submit-legal-review',
    id,
    { status: c.status },
    { status: 'in-review', amountFen: c.amount_fen },
  );
}

/** 法制审核 (art. 58) by a legal reviewer who is not the handler: approve, or return with the opinion. */
export async function reviewCase(tx: Tx, user: SessionUser, id: number, raw: unknown) {
  const input = parse(ReviewInput, raw);
  const action = input.decision === 'approve' ? 'approve' : 'return';
  const c = await forTransition(tx, user, id, action);
  await move(tx, c, action, { review_by: user.id, review_at: nowIso(), review_opinion: input.opinion });
  await audit(
    tx,
    user,
    action === 'approve' ? 'approve-legal-review' : 'return-legal-review',
    id,
    { status: c.status },
    { status: CASE_TRANSITIONS[action].to, opinion: input.opinion, article: LEGAL_REVIEW.article },
  );
}

/**
 * 作出决定 (irreversible: the caller asks for confirmation): issues the 行政处罚决定书 through the
 * documents module. After the 90 days of art. 60 a reason (the rule that allows it, the approval of the
 * extension) is required and audited.
 */
export async function decideCase(tx: Tx, user: SessionUser, id: number, raw: unknown, ctx: CaseContext) {
  const pre = await loadCase(tx, id);
  const action = pre.waived ? 'decideNoPenalty' : 'decide';
  const c = await forTransition(tx, user, id, action);
  const input = parse(DecisionInput, raw);
  notAfter(input.decisionOn, ctx.today, '决定日期');
  notBefore(input.decisionOn, c.hearing_on ?? c.notice_on ?? c.filed_on, '决定日期', '事先告知（听证）日期');
  const due = decisionDue(c.filed_on);
  if (input.decisionOn > due && !input.lateReason) {
    throw new AppError(
      409,
      'decision_late',
      `应自立案之日（${c.filed_on}）起九十日内、即${due}前作出决定（${DECISION_DUE.citation.law}${DECISION_DUE.citation.article}）：逾期作出的，须写明依据的另行规定或延期批准情况`,
    );
  }
  const rule = ruleOfCase(c);
  if (!c.waived && isFine(rule)) checkAmount(rule, c.amount_fen ?? 0, boundOfCase(c)!);
  const penalty = penaltyText(c, rule);
  // The 决定书 is dated the day of the decision (a decision recorded after the day keeps its date).
  const at = input.decisionOn === todayInChina() ? undefined : new Date(`${input.decisionOn}T12:00:00+08:00`);
  const doc = await issueDocument(tx, {
    at,
    type: 'penalty-decision',
    subject: { kind: CASE_SUBJECT, id: c.id },
    fields: {
      party: c.entityName,
      partyUscc: c.uscc,
      partyAddress: c.entityAddress ?? '（名录库未登记地址）',
      facts: `${c.facts}${c.statement ? `\n当事人陈述申辩：${c.statement}` : ''}${
        c.hearing_record ? `\n听证情况：${c.hearing_record}` : ''
      }`,
      penalty: c.waived ? `${penalty}。理由：${c.waiver_reason}` : penalty,
      basis: `${basisText(c, rule)}${c.waived ? `；${PENALTY_LAW}${FIRST_VIOLATION.article}` : ''}`,
      performance:
        !c.waived && isFine(rule)
          ? `自收到本决定书之日起十五日内缴纳罚款${yuanText(c.amount_fen!)}（${PAYMENT_DUE.citation.law}${PAYMENT_DUE.citation.article}）；到期不缴纳的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不得超出罚款的数额（第七十二条）。`
          : '本决定无需缴纳款项。',
      remedy:
        input.remedy ??
        '如不服本决定，可自收到本决定书之日起六十日内向衡水市人民政府申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。',
    },
    issuedBy: user,
  });
  await move(tx, c, action, {
    decision_on: input.decisionOn,
    decided_by: user.id,
    decision_late_reason: input.lateReason,
  });
  await audit(
    tx,
    user,
    'decide-penalty-case',
    id,
    { status: c.status },
    {
      status: CASE_TRANSITIONS[action].to,
      decisionOn: input.decisionOn,
      due,
      lateReason: input.lateReason,
      amountFen: c.amount_fen,
      document: doc.number,
      sha256: doc.sha256,
    },
  );
  return doc;
}

// ───────────────────────────── 送达, 公示, 缴纳 ─────────────────────────────

export async function deliverDecision(tx: Tx, user: SessionUser, id: number, raw: unknown, ctx: CaseContext) {
  const c = await loadCase(tx, id);
  caseAbilities.assert('handle', user, await caseTarget(tx, user, c));
  if (!['decided', 'not-penalised'].includes(c.status) || c.delivered_on) {
    throw new AppError(409, 'not_deliverable', '只有已作出、尚未送达的决定才能登记送达');
  }
  const input = parse(CaseDeliveryInput, raw);
  notAfter(input.deliveredOn, ctx.today, '送达日期');
  notBefore(input.deliveredOn, c.decision_on!, '送达日期', '决定日期');
  await consentFor(tx, c.entity_id, input.method, input.deliveredOn);
  await updateCase(tx, id, {
    delivery_method: input.method,
    delivered_on: input.deliveredOn,
    delivery_proof: input.proof,
    updated_at: nowIso(),
  });
  await audit(tx, user, 'deliver-penalty-decision', id, null, {
    ...input,
    due: deliveryDue(c.decision_on!),
    late: input.deliveredOn > deliveryDue(c.decision_on!),
    paymentDue: c.amount_fen ? paymentDue(input.deliveredOn) : null,
  });
}

export async function publishDecision(tx: Tx, user: SessionUser, id: number, raw: unknown, ctx: CaseContext) {
  const c = await loadCase(tx, id);
  caseAbilities.assert('publish', user, await caseTarget(tx, user, c));
  if (!['decided', 'paid', 'not-penalised'].includes(c.status) || c.published_on) {
    throw new AppError(409, 'not_publishable', '只有已作出、尚未公示的决定才能登记公示');
  }
  const input = parse(PublicationInput, raw);
  notAfter(input.publishedOn, ctx.today, '公示日期');
  notBefore(input.publishedOn, c.decision_on!, '公示日期', '决定日期');
  const due = publicationDue(c.decision_on!);
  await updateCase(tx, id, { published_on: input.publishedOn, updated_at: nowIso() });
  await audit(tx, user, 'publish-penalty-decision', id, null, {
    ...input,
    due: due.date,
    late: due.date !== null && input.publishedOn > due.date,
  });
}

/** 缴纳罚款: the fine plus the late fee of art. 72 when paid after the 15 days. */
export async function payCase(tx: Tx, user: SessionUser, id: number, raw: unknown, ctx: CaseContext) {
  const c = await forTransition(tx, user, id, 'pay');
  if (!c.delivered_on) throw new AppError(409, 'not_delivered', '处罚决定书送达后才能登记缴纳');
  if (!c.amount_fen) throw new AppError(409, 'no_fine', '本案不处罚款，无需缴纳');
  const input = parse(PaymentInput, raw);
  notAfter(input.paidOn, ctx.today, '缴款日期');
  notBefore(input.paidOn, c.delivered_on, '缴款日期', '送达日期');
  const fee = lateFee(c.amount_fen, paymentDue(c.delivered_on), input.paidOn);
  const owed = c.amount_fen + fee.feeFen;
  if (input.paidYuan === null || input.paidYuan < owed) {
    throw new AppError(
      400,
      'payment_short',
      `应缴${yuanText(owed)}（罚款${yuanText(c.amount_fen)}${fee.feeFen ? `，${fee.text}` : ''}），实缴金额不足`,
    );
  }
  await move(tx, c, 'pay', { paid_on: input.paidOn, paid_fen: input.paidYuan, late_fee_fen: fee.feeFen });
  await audit(
    tx,
    user,
    'pay-penalty',
    id,
    { status: c.status },
    {
      status: 'paid',
      paidOn: input.paidOn,
      paidFen: input.paidYuan,
      lateFeeFen: fee.feeFen,
      daysLate: fee.daysLate,
      receipt: input.receipt,
    },
  );
  return fee;
}

// ───────────────────────────── reading ─────────────────────────────

export interface CaseView {
  c: CaseListRow;
  rule: PenaltyRule;
  bound: AmountBound | null;
  boundError: string | null;
  clocks: {
    limitationEnd: string;
    decisionDue: string;
    hearingRequestLast: string | null;
    earliestHearing: string | null;
    deliveryDue: string | null;
    publicationDue: { date: string | null; error: string | null } | null;
    paymentDue: string | null;
  };
  /** The fee if paid today (when payment is due). */
  feeToday: ReturnType<typeof lateFee> | null;
  documents: Awaited<ReturnType<typeof listDocuments>>;
}

export async function caseView(db: DbOrTx, user: SessionUser, id: number, today: string): Promise<CaseView> {
  const c = await readableCase(db, user, id);
  const rule = ruleOfCase(c);
  let bound: AmountBound | null = null;
  let boundError: string | null = null;
  try {
    bound = boundOfCase(c);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    boundError = e.message;
  }
  const limitationYears = c.harm === 'ordinary' ? 2 : 5;
  const pDue = c.delivered_on && c.amount_fen ? paymentDue(c.delivered_on) : null;
  return {
    c,
    rule,
    bound,
    boundError,
    clocks: {
      limitationEnd: addYears(c.violation_on, limitationYears),
      decisionDue: decisionDue(c.filed_on),
      hearingRequestLast: c.notice_on && c.hearing_offered ? hearingRequestLastDay(c.notice_on) : null,
      earliestHearing: c.hearing_notified_on ? earliestHearing(c.hearing_notified_on) : null,
      deliveryDue: c.decision_on ? deliveryDue(c.decision_on) : null,
      publicationDue: c.decision_on ? publicationDue(c.decision_on) : null,
      paymentDue: pDue,
    },
    feeToday: pDue && c.status === 'decided' && c.amount_fen ? lateFee(c.amount_fen, pDue, today) : null,
    documents: await listDocuments(db, { subject: { kind: CASE_SUBJECT, id } }),
  };
}

export async function listCasesFor(db: DbOrTx, user: SessionUser): Promise<CaseListRow[]> {
  caseAbilities.assertRole('read', user);
  const reach = await reachOf(db, user);
  return listCases(db, reach.all ? {} : { regimes: [...reach.regimes] });
}
