import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../database.ts';
import { withId } from './schema-helpers.ts';

/**
 * The register of legal instruments and the list-health findings (issue 14, items 1 and 3), both
 * owned by the registry module:
 * - legal_instruments: each law, regulation, rule or notice the lists cite, with its level,
 *   issuer, document number, validity status (有效 / 已修改 / 已废止 / 尚未生效, or 未核实), its
 *   dates, the instrument that replaced or amended it, and where that fact comes from;
 * - legal_instrument_names: the other titles it is cited by (`alias`, e.g. 《拍卖法》) and the
 *   subject words that tie uncited records to it (`subject`, e.g. 酒类流通);
 * - health_findings: when each list-health finding was first seen (its adjustment deadline
 *   runs from then or from the change of the basis), and the draft change set proposed for it.
 */
export function legalRegisterMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db.schema.createTable('legal_instruments'), dialect)
        .addColumn('title', 'text', (c) => c.notNull().unique())
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('issuer', 'text')
        .addColumn('doc_number', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('promulgated_on', 'text')
        .addColumn('effective_on', 'text')
        // The date the current status took effect (repeal, amendment, transfer): YYYY, YYYY-MM or YYYY-MM-DD.
        .addColumn('status_date', 'text')
        .addColumn('successor_id', 'integer', (c) =>
          c.references('legal_instruments.id').onDelete('set null'),
        )
        // 'replaced' | 'amended': how the successor relates to this instrument.
        .addColumn('successor_relation', 'text')
        // The successor as written when it is not in the register (e.g. 商务部令2020年第1号).
        .addColumn('successor_text', 'text')
        // 1: records citing it must be adjusted (always for a repeal; for an amendment or a transfer
        // of competence when the change touches what the lists say).
        .addColumn('affects_lists', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('note', 'text')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('source_checked_on', 'text')
        // 0 until the fact has been confirmed against the official publication.
        .addColumn('confirmed', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await withId(db.schema.createTable('legal_instrument_names'), dialect)
        .addColumn('instrument_id', 'integer', (c) =>
          c.notNull().references('legal_instruments.id').onDelete('cascade'),
        )
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addUniqueConstraint('legal_instrument_names_uq', ['instrument_id', 'kind', 'name'])
        .execute();

      await withId(db.schema.createTable('health_findings'), dialect)
        .addColumn('key', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('first_seen_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('resolved_at', 'text')
        .addColumn('change_set_id', 'integer')
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of ['health_findings', 'legal_instrument_names', 'legal_instruments'])
        await db.schema.dropTable(t).execute();
    },
  };
}
