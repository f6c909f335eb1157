import { z } from 'zod';
import { DocumentRef, presentDocumentRef } from '../rectifications/rectification.presenter.ts';
import { ruleOf } from '../rules/rules.ts';
import { yuanText } from './penalty.amount.ts';
import type { CaseListRow } from './penalty.repo.ts';
import type { CaseView } from './penalty.service.ts';
import { CASE_STATUSES, caseStatusName } from './penalty.workflow.ts';

/** The fields of a penalty case that leave the server (JSON API), declared once with Zod. */

const Money = z.object({ fen: z.number().int(), text: z.string() }).nullable();
const money = (fen: number | null) => (fen === null ? null : { fen, text: yuanText(fen) });

export const CaseSummary = z.object({
  id: z.number().int(),
  status: z.enum(CASE_STATUSES),
  statusName: z.string(),
  entity: z.object({ id: z.number().int(), name: z.string(), uscc: z.string() }),
  regime: z.number().int(),
  regimeTitle: z.string(),
  rule: z.object({ key: z.string(), label: z.string(), line: z.number().int(), quote: z.string() }),
  orderId: z.number().int().nullable(),
  office: z.string().nullable(),
  handler: z.string(),
  violationOn: z.string(),
  filedOn: z.string(),
  amount: Money.describe('The proposed (then decided) fine'),
  waived: z.boolean().describe('首违不罚'),
  decisionOn: z.string().nullable(),
  paidOn: z.string().nullable(),
});

export const CaseDetail = CaseSummary.extend({
  facts: z.string(),
  harm: z.string(),
  illegalGain: Money,
  waiverReason: z.string().nullable(),
  bound: z
    .object({
      minFen: z.number().int(),
      maxFen: z.number().int(),
      rangeText: z.string(),
      explanation: z.string(),
    })
    .nullable()
    .describe('The range the rule allows for this case (computed from the recorded illegal gain)'),
  boundError: z.string().nullable(),
  noticeOn: z.string().nullable(),
  hearingOffered: z.boolean(),
  statement: z.string().nullable(),
  hearing: z.object({
    requestedOn: z.string().nullable(),
    notifiedOn: z.string().nullable(),
    on: z.string().nullable(),
    record: z.string().nullable(),
  }),
  legalReview: z.object({ at: z.string().nullable(), opinion: z.string().nullable() }),
  delivery: z.object({ method: z.string().nullable(), deliveredOn: z.string().nullable() }),
  publishedOn: z.string().nullable(),
  paid: Money,
  lateFee: Money,
  clocks: z.object({
    limitationEnd: z.string(),
    decisionDue: z.string(),
    hearingRequestLast: z.string().nullable(),
    earliestHearing: z.string().nullable(),
    deliveryDue: z.string().nullable(),
    publicationDue: z.string().nullable(),
    publicationDueError: z.string().nullable(),
    paymentDue: z.string().nullable(),
  }),
  feeIfPaidToday: Money,
  documents: z.array(DocumentRef),
});

export function presentCaseSummary(c: CaseListRow): z.infer<typeof CaseSummary> {
  const rule = ruleOf(c.regime_seq)?.penalties.items.find((r) => r.key === c.rule_key);
  return {
    id: c.id,
    status: c.status as (typeof CASE_STATUSES)[number],
    statusName: caseStatusName(c.status),
    entity: { id: c.entity_id, name: c.entityName, uscc: c.uscc },
    regime: c.regime_seq,
    regimeTitle: ruleOf(c.regime_seq)?.title ?? '',
    rule: {
      key: c.rule_key,
      label: rule?.label ?? c.rule_key,
      line: rule?.citation.line ?? 0,
      quote: rule?.citation.quote ?? '',
    },
    orderId: c.order_id,
    office: c.officeName,
    handler: c.handlerName,
    violationOn: c.violation_on,
    filedOn: c.filed_on,
    amount: money(c.amount_fen),
    waived: c.waived === 1,
    decisionOn: c.decision_on,
    paidOn: c.paid_on,
  };
}

export function presentCaseDetail(v: CaseView): z.infer<typeof CaseDetail> {
  const c = v.c;
  return {
    ...presentCaseSummary(c),
    facts: c.facts,
    harm: c.harm,
    illegalGain: money(c.illegal_gain_fen),
    waiverReason: c.waiver_reason,
    bound: v.bound,
    boundError: v.boundError,
    noticeOn: c.notice_on,
    hearingOffered: c.hearing_offered === 1,
    statement: c.statement,
    hearing: {
      requestedOn: c.hearing_requested_on,
      notifiedOn: c.hearing_notified_on,
      on: c.hearing_on,
      record: c.hearing_record,
    },
    legalReview: { at: c.review_at, opinion: c.review_opinion },
    delivery: { method: c.delivery_method, deliveredOn: c.delivered_on },
    publishedOn: c.published_on,
    paid: money(c.paid_fen),
    lateFee: money(c.late_fee_fen),
    clocks: {
      limitationEnd: v.clocks.limitationEnd,
      decisionDue: v.clocks.decisionDue,
      hearingRequestLast: v.clocks.hearingRequestLast,
      earliestHearing: v.clocks.earliestHearing,
      deliveryDue: v.clocks.deliveryDue,
      publicationDue: v.clocks.publicationDue?.date ?? null,
      publicationDueError: v.clocks.publicationDue?.error ?? null,
      paymentDue: v.clocks.paymentDue,
    },
    feeIfPaidToday: v.feeToday ? money(v.feeToday.feeFen) : null,
    documents: v.documents.map(presentDocumentRef),
  };
}
