import type { DbOrTx } from '../../../db/database.ts';
import { nowIso } from '../../../db/database.ts';

/**
 * Provenance after edits: which change set and version made a record what it is now. A record
 * imported from the document names its source lines; once a change set changes or adds it, those
 * lines no longer state its text, so publishing clears them from the record (the revision keeps
 * them as "the text before") and the record shows the change set that made it — its 调整依据,
 * who proposed it, who passed each step of the review chain, who published it, and the version.
 * A later import that finds the record in a document again gives it fresh source lines.
 */

/** What the change-set workflow hands over for each record a published set created or changed. */
export interface RevisionInput {
  /** The change adapter's key (workItem, service, duty, office, share, …). */
  entity: string;
  recordId: number;
  op: 'create' | 'update';
  /** The payload keys whose values changed (empty: nothing changed, the source still holds). */
  fields: string[];
  changeSetId: number | null;
  changeSetTitle: string;
  basis: string;
  proposedBy: string;
  reviewedBy: Array<{ step: string; name: string }>;
  publishedBy: string;
}

/** The registry table of each changeable kind that carries provenance columns. */
const TABLE_OF = {
  duty: 'duties',
  workItem: 'work_items',
  office: 'offices',
  share: 'boundary_shares',
  service: 'public_services',
} as const;
type RevisedTable = (typeof TABLE_OF)[keyof typeof TABLE_OF];

const tableOf = (entity: string): RevisedTable | null =>
  (TABLE_OF as Record<string, RevisedTable>)[entity] ?? null;

/** Records the revisions of a version (inside the publishing transaction, before its snapshot). */
export async function insertRevisions(
  tx: DbOrTx,
  version: { number: number; effectiveDate: string },
  revisions: readonly RevisionInput[],
): Promise<void> {
  const at = nowIso();
  for (const r of revisions) {
    if (r.op === 'update' && r.fields.length === 0) continue;
    const table = tableOf(r.entity);
    let before: {
      source_document_id: number | null;
      line_start: number | null;
      line_end: number | null;
    } | null = null;
    if (table && r.op === 'update') {
      // biome-ignore lint/suspicious/noExplicitAny: the revised tables share the provenance columns.
      const q = tx as any;
      before =
        (await q
          .selectFrom(table)
          .select(['source_document_id', 'line_start', 'line_end'])
          .where('id', '=', r.recordId)
          .executeTakeFirst()) ?? null;
      await q
        .updateTable(table)
        .set({ source_document_id: null, line_start: null, line_end: null })
        .where('id', '=', r.recordId)
        .execute();
    }
    await tx
      .insertInto('record_revisions')
      .values({
        entity: r.entity,
        record_id: r.recordId,
        op: r.op,
        fields: JSON.stringify(r.fields),
        version_number: version.number,
        effective_date: version.effectiveDate,
        change_set_id: r.changeSetId,
        change_set_title: r.changeSetTitle,
        basis: r.basis,
        proposed_by: r.proposedBy,
        reviewed_by: JSON.stringify(r.reviewedBy),
        published_by: r.publishedBy,
        before_source_document_id: before?.source_document_id ?? null,
        before_line_start: before?.line_start ?? null,
        before_line_end: before?.line_end ?? null,
        at,
      })
      .execute();
  }
}

/** A record's latest revision as the API and the pages show it. */
export interface RevisionOut {
  version: number;
  effectiveDate: string;
  op: 'create' | 'update';
  fields: string[];
  changeSetId: number | null;
  title: string;
  basis: string;
  proposedBy: string;
  reviewedBy: Array<{ step: string; name: string }>;
  publishedBy: string;
  /** The source lines that stated the record before this change (no longer its text). */
  previousSource: { documentId: number | null; lineStart: number | null; lineEnd: number | null } | null;
}

/** The latest revision of each of the records (by the adapter's key), for a page of them. */
export async function latestRevisions(
  db: DbOrTx,
  entity: string,
  ids: readonly number[],
): Promise<Map<number, RevisionOut>> {
  const out = new Map<number, RevisionOut>();
  if (ids.length === 0 || entity === '') return out;
  const rows = await db
    .selectFrom('record_revisions')
    .selectAll()
    .where('entity', '=', entity)
    .where('record_id', 'in', [...ids])
    .orderBy('version_number')
    .orderBy('id')
    .execute();
  for (const r of rows) {
    // A later revision that changed nothing of the text keeps the lines the earlier one had.
    const prior = out.get(r.record_id);
    out.set(r.record_id, {
      version: r.version_number,
      effectiveDate: r.effective_date,
      op: r.op as 'create' | 'update',
      fields: JSON.parse(r.fields) as string[],
      changeSetId: r.change_set_id,
      title: r.change_set_title,
      basis: r.basis,
      proposedBy: r.proposed_by,
      reviewedBy: JSON.parse(r.reviewed_by) as RevisionOut['reviewedBy'],
      publishedBy: r.published_by,
      previousSource:
        r.before_source_document_id !== null
          ? {
              documentId: r.before_source_document_id,
              lineStart: r.before_line_start,
              lineEnd: r.before_line_end,
            }
          : (prior?.previousSource ?? null),
    });
  }
  return out;
}
