import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';

/**
 * 文号 sequences: per document type and year, from 1, never reused, without gaps.
 *
 * The counter row (document_counters) holds the last sequence given. It is raised INSIDE the
 * issuing transaction by a conditional update — `set last_seq = n + 1 where … and last_seq = n` —
 * so the number exists only if the document is stored with it (a rolled-back issue gives the number
 * back: no gap), and two issuers can never take the same one: on PostgreSQL the second update waits
 * for the first transaction's row lock, then finds last_seq changed, matches no row and reads again;
 * on SQLite writers are serialised. The unique (type, year, seq) constraint on documents is the
 * last line of defence.
 */

const MAX_ATTEMPTS = 50;

export async function allocateSequence(tx: DbOrTx, docType: string, year: number): Promise<number> {
  if (!tx.isTransaction) throw new Error('allocateSequence must run inside the issuing transaction');
  await sql`insert into document_counters (doc_type, year, last_seq) values (${docType}, ${year}, 0)
            on conflict (doc_type, year) do nothing`.execute(tx);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const row = await tx
      .selectFrom('document_counters')
      .select('last_seq')
      .where('doc_type', '=', docType)
      .where('year', '=', year)
      .executeTakeFirstOrThrow();
    const next = row.last_seq + 1;
    const r = await tx
      .updateTable('document_counters')
      .set({ last_seq: next })
      .where('doc_type', '=', docType)
      .where('year', '=', year)
      .where('last_seq', '=', row.last_seq)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 1) return next;
  }
  throw new Error(`could not allocate a number for ${docType} ${year} after ${MAX_ATTEMPTS} attempts`);
}

/** The last sequence given for a type and year (0 when none). */
export async function lastSequence(db: DbOrTx, docType: string, year: number): Promise<number> {
  const r = await db
    .selectFrom('document_counters')
    .select('last_seq')
    .where('doc_type', '=', docType)
    .where('year', '=', year)
    .executeTakeFirst();
  return r?.last_seq ?? 0;
}
