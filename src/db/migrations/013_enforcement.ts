import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../database.ts';
import { withId } from './schema-helpers.ts';

/**
 * From finding to closed case (issue 10, items 1, 2, 4, 6): rectification orders, their escalation
 * and penalty cases. Amounts are integer fen (分), dates China civil dates YYYY-MM-DD, timestamps
 * ISO-8601 UTC text.
 * - delivery_consents: a party's recorded consent to electronic delivery (行政处罚法 art. 61);
 * - rectification_orders: 责令限期整改 from an inspection result, its delivery (送达), the
 *   re-inspection at the deadline and the outcome;
 * - enforcement_steps: what follows an unheeded order (penalty case, report to the province,
 *   public announcement, hand-over to the police), one record each;
 * - penalty_cases: 立案 → 事先告知 → (听证) → 法制审核 → 决定 → 送达/公示 → 缴纳;
 * - prepaid_card_sellers: which filed issuer a card seller belongs to (regime 7: the issuer whose
 *   sellers were penalised three times in 12 months).
 */
export function enforcementMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db.schema.createTable('delivery_consents'), dialect)
        .addColumn('entity_id', 'integer', (c) =>
          c.notNull().references('regulated_entities.id').onDelete('cascade'),
        )
        // email | sms | platform
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('signed_on', 'text', (c) => c.notNull())
        // What the consent is (送达地址确认书 reference, scanned copy's number …)
        .addColumn('proof', 'text', (c) => c.notNull())
        .addColumn('recorded_by', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .addColumn('withdrawn_on', 'text')
        .execute();

      await withId(db.schema.createTable('rectification_orders'), dialect)
        .addColumn('inspection_id', 'integer', (c) => c.notNull().references('inspections.id'))
        .addColumn('entity_id', 'integer', (c) => c.notNull().references('regulated_entities.id'))
        .addColumn('regime_seq', 'integer', (c) => c.notNull())
        // The office that owns the regime (rules/regime-offices.ts), null when none does.
        .addColumn('office_id', 'integer', (c) => c.references('offices.id'))
        // issued | delivered | rectified | overdue (rectification.workflow.ts)
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('findings', 'text', (c) => c.notNull())
        .addColumn('requirement', 'text', (c) => c.notNull())
        // working-days | days
        .addColumn('term_unit', 'text', (c) => c.notNull())
        .addColumn('term_amount', 'integer', (c) => c.notNull())
        .addColumn('issued_on', 'text', (c) => c.notNull())
        .addColumn('handler_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('reinspector_id', 'integer', (c) => c.references('users.id'))
        // on-site | post | electronic | public-notice
        .addColumn('delivery_method', 'text')
        .addColumn('delivered_on', 'text')
        .addColumn('delivery_proof', 'text')
        .addColumn('delivery_consent_id', 'integer', (c) => c.references('delivery_consents.id'))
        .addColumn('deadline', 'text')
        .addColumn('reinspected_on', 'text')
        .addColumn('reinspection_note', 'text')
        .addColumn('outcome_by', 'integer', (c) => c.references('users.id'))
        .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('rectification_orders_status_idx')
        .on('rectification_orders')
        .columns(['status', 'deadline'])
        .execute();

      await withId(db.schema.createTable('penalty_cases'), dialect)
        .addColumn('order_id', 'integer', (c) => c.references('rectification_orders.id'))
        .addColumn('entity_id', 'integer', (c) => c.notNull().references('regulated_entities.id'))
        .addColumn('regime_seq', 'integer', (c) => c.notNull())
        // A key of the regime's penalty rules (rules.data.ts).
        .addColumn('rule_key', 'text', (c) => c.notNull())
        .addColumn('office_id', 'integer', (c) => c.references('offices.id'))
        // penalty.workflow.ts
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('facts', 'text', (c) => c.notNull())
        .addColumn('violation_on', 'text', (c) => c.notNull())
        // ordinary (2 years) | life-health-finance (5 years), 行政处罚法 art. 36
        .addColumn('harm', 'text', (c) => c.notNull())
        .addColumn('illegal_gain_fen', 'integer')
        .addColumn('filed_on', 'text', (c) => c.notNull())
        .addColumn('handler_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('waived', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('waiver_reason', 'text')
        .addColumn('amount_fen', 'integer')
        .addColumn('bound_fen', 'integer')
        .addColumn('notice_on', 'text')
        .addColumn('hearing_offered', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('statement', 'text')
        .addColumn('statement_on', 'text')
        .addColumn('hearing_requested_on', 'text')
        .addColumn('hearing_notified_on', 'text')
        .addColumn('hearing_on', 'text')
        .addColumn('hearing_record', 'text')
        .addColumn('submitted_at', 'text')
        .addColumn('review_by', 'integer', (c) => c.references('users.id'))
        .addColumn('review_at', 'text')
        .addColumn('review_opinion', 'text')
        .addColumn('decision_on', 'text')
        .addColumn('decided_by', 'integer', (c) => c.references('users.id'))
        .addColumn('decision_late_reason', 'text')
        .addColumn('delivery_method', 'text')
        .addColumn('delivered_on', 'text')
        .addColumn('delivery_proof', 'text')
        .addColumn('published_on', 'text')
        .addColumn('paid_on', 'text')
        .addColumn('paid_fen', 'integer')
        .addColumn('late_fee_fen', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('penalty_cases_entity_idx')
        .on('penalty_cases')
        .columns(['entity_id', 'decision_on'])
        .execute();

      await withId(db.schema.createTable('enforcement_steps'), dialect)
        .addColumn('order_id', 'integer', (c) =>
          c.notNull().references('rectification_orders.id').onDelete('cascade'),
        )
        // penalty-case | province-revocation | public-announcement | police-handover
        .addColumn('kind', 'text', (c) => c.notNull())
        // The penalty rule (rules.data.ts) that allows the step.
        .addColumn('rule_key', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('penalty_case_id', 'integer', (c) => c.references('penalty_cases.id'))
        .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('enforcement_steps_kind_uq', ['order_id', 'kind'])
        .execute();

      await db.schema
        .createTable('prepaid_card_sellers')
        .addColumn('seller_entity_id', 'integer', (c) =>
          c.primaryKey().references('regulated_entities.id').onDelete('cascade'),
        )
        .addColumn('issuer_entity_id', 'integer', (c) =>
          c.notNull().references('regulated_entities.id').onDelete('cascade'),
        )
        .addColumn('recorded_by', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of [
        'prepaid_card_sellers',
        'enforcement_steps',
        'penalty_cases',
        'rectification_orders',
        'delivery_consents',
      ]) {
        await db.schema.dropTable(t).execute();
      }
    },
  };
}
