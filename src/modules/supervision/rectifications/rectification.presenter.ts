import { z } from 'zod';
import type { DocumentHead } from '../../documents/index.ts';
import { ruleOf } from '../rules/rules.ts';
import type { OrderListRow } from './rectification.repo.ts';
import { STEP_NAME, type StepKind, TERM_UNIT_NAME, type TermUnit } from './rectification.rules.ts';
import { DELIVERY_METHOD_NAME } from './rectification.schema.ts';
import type { OrderView } from './rectification.service.ts';
import { ORDER_STATUSES, orderStatusName } from './rectification.workflow.ts';

/** The fields of a rectification order that leave the server (JSON API), declared once with Zod. */

export const DocumentRef = z.object({
  id: z.number().int(),
  number: z.string().describe('文号'),
  title: z.string(),
  issuedAt: z.string(),
  sha256: z.string(),
  superseded: z.boolean(),
  downloadUrl: z.string(),
});
export type DocumentRefT = z.infer<typeof DocumentRef>;

export const presentDocumentRef = (d: DocumentHead): DocumentRefT => ({
  id: d.id,
  number: d.number,
  title: d.title,
  issuedAt: d.issued_at,
  sha256: d.sha256,
  superseded: d.superseded_by_id !== null,
  downloadUrl: `/api/v1/staff/documents/${d.id}/download`,
});

export const OrderSummary = z.object({
  id: z.number().int(),
  status: z.enum(ORDER_STATUSES),
  statusName: z.string(),
  inspectionId: z.number().int(),
  taskId: z.number().int(),
  entity: z.object({ id: z.number().int(), name: z.string(), uscc: z.string() }),
  regime: z.number().int(),
  regimeTitle: z.string(),
  office: z.string().nullable().describe('The office that owns the regime'),
  term: z.object({ amount: z.number().int(), unit: z.enum(['working-days', 'days']), text: z.string() }),
  issuedOn: z.string(),
  handler: z.string(),
  reinspector: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  deliveredOn: z.string().nullable(),
  deadline: z.string().nullable().describe('Last day of the rectification period (YYYY-MM-DD)'),
});

export const OrderDetail = OrderSummary.extend({
  findings: z.string(),
  requirement: z.string(),
  delivery: z
    .object({
      method: z.string(),
      methodName: z.string(),
      proof: z.string(),
      consentId: z.number().int().nullable(),
    })
    .nullable(),
  deadlineError: z.string().nullable().describe('Why the deadline cannot be computed yet (calendar)'),
  reinspectionDue: z.string().nullable(),
  reinspectedOn: z.string().nullable(),
  reinspectionNote: z.string().nullable(),
  clause: z.object({ line: z.number().int(), quote: z.string(), termNote: z.string() }).nullable(),
  steps: z.array(
    z.object({
      id: z.number().int(),
      kind: z.string(),
      name: z.string(),
      ruleKey: z.string(),
      note: z.string(),
      penaltyCaseId: z.number().int().nullable(),
      createdAt: z.string(),
    }),
  ),
  nextSteps: z.array(
    z.object({
      kind: z.string(),
      name: z.string(),
      rules: z.array(
        z.object({ key: z.string(), label: z.string(), line: z.number().int(), quote: z.string() }),
      ),
    }),
  ),
  documents: z.array(DocumentRef),
});

export function presentOrderSummary(o: OrderListRow): z.infer<typeof OrderSummary> {
  return {
    id: o.id,
    status: o.status as (typeof ORDER_STATUSES)[number],
    statusName: orderStatusName(o.status),
    inspectionId: o.inspection_id,
    taskId: o.taskId,
    entity: { id: o.entity_id, name: o.entityName, uscc: o.uscc },
    regime: o.regime_seq,
    regimeTitle: ruleOf(o.regime_seq)?.title ?? '',
    office: o.officeName,
    term: {
      amount: o.term_amount,
      unit: o.term_unit as TermUnit,
      text: `${o.term_amount}${TERM_UNIT_NAME[o.term_unit as TermUnit]}`,
    },
    issuedOn: o.issued_on,
    handler: o.handlerName,
    reinspector: o.reinspector_id ? { id: o.reinspector_id, name: o.reinspectorName ?? '' } : null,
    deliveredOn: o.delivered_on,
    deadline: o.deadline,
  };
}

export function presentOrderDetail(v: OrderView): z.infer<typeof OrderDetail> {
  const o = v.order;
  return {
    ...presentOrderSummary(o),
    deadline: v.deadline.date,
    findings: o.findings,
    requirement: o.requirement,
    delivery: o.delivery_method
      ? {
          method: o.delivery_method,
          methodName:
            DELIVERY_METHOD_NAME[o.delivery_method as keyof typeof DELIVERY_METHOD_NAME] ?? o.delivery_method,
          proof: o.delivery_proof ?? '',
          consentId: o.delivery_consent_id,
        }
      : null,
    deadlineError: v.deadline.error,
    reinspectionDue: v.reinspectionDue,
    reinspectedOn: o.reinspected_on,
    reinspectionNote: o.reinspection_note,
    clause: v.clause ? { line: v.clause.line, quote: v.clause.quote, termNote: v.clause.term.note } : null,
    steps: v.steps.map((s) => ({
      id: s.id,
      kind: s.kind,
      name: STEP_NAME[s.kind as StepKind] ?? s.kind,
      ruleKey: s.rule_key,
      note: s.note,
      penaltyCaseId: s.penalty_case_id,
      createdAt: s.created_at,
    })),
    nextSteps: v.next.map((s) => ({
      kind: s.kind,
      name: s.name,
      rules: s.rules.map((r) => ({
        key: r.key,
        label: r.label,
        line: r.citation.line,
        quote: r.citation.quote,
      })),
    })),
    documents: v.documents.map(presentDocumentRef),
  };
}
