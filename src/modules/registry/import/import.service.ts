import { createHash } from 'node:crypto';
import type { Database, DbOrTx, Tx } from '../../../db/database.ts';
import { nowIso } from '../../../db/database.ts';
import { decodeDocument } from '../../../importer/decode.ts';
import { ImportError } from '../../../importer/errors.ts';
import type { ParsedDepartmentLists, Repair } from '../../../importer/model.ts';
import { departmentKey, groupDepartments, resolveOffices } from '../../../importer/names.ts';
import { parseDocument } from '../../../importer/parse.ts';
import { type Actor, appendAudit, SYSTEM_ACTOR } from '../../audit/index.ts';
import { exportDataset } from '../export/dataset.export.ts';
import type { ImportCounts } from '../registry.schema.ts';
import { publishVersion } from '../versions/version.service.ts';
import { type Merge, storeLists } from './store.ts';
import type { ChangeLog } from './sync.ts';

export interface ImportOptions {
  /** Name recorded for the source document (usually the file name). */
  sourceName: string;
  /** Import only this department's lists; the document must contain them. */
  department?: string;
  /** Parse, validate and compute the changes, then roll everything back. */
  dryRun?: boolean;
  /** Who imports (for the audit trail); the system by default. */
  actor?: Actor;
  /**
   * Let the import change or remove published records. Without it an import that would is rolled
   * back and reported as `needsReview` (nothing written): such a re-import goes through a change
   * set (the `documentImport` change kind), or an admin applies it with `--apply`.
   */
  allowChanges?: boolean;
}

export interface ImportReport {
  source: { name: string; sha256: string; encoding: string; lineEnding: string; lines: number };
  dryRun: boolean;
  /** Departments whose lists the document contains. */
  owners: string[];
  /** What the document contains (not the whole database). */
  found: ImportCounts;
  repairs: Repair[];
  merges: Merge[];
  changes: ChangeLog;
  /** True when the database already held exactly this content. */
  unchanged: boolean;
  /** The published version this import created (none when nothing changed or on a dry run). */
  version: number | null;
  /** The import changes or removes published records; without allowChanges it was not applied. */
  needsReview: boolean;
  /** What it would change or remove: one line per record, the removals first. */
  reviewable: string[];
  /** The registry's fingerprint before the import (registryFingerprint). */
  fingerprintBefore: string;
}

/**
 * The records an import would change or remove (labels), removals first. An import that only
 * adds records changes nothing published.
 */
export function changesForReview(changes: ChangeLog): { removed: number; updated: number; lines: string[] } {
  let removed = 0;
  let updated = 0;
  const gone: string[] = [];
  const changed: string[] = [];
  for (const c of Object.values(changes)) {
    removed += c.removed;
    updated += c.updated;
    for (const d of c.details) {
      if (d.startsWith('删除')) gone.push(d);
      else if (d.startsWith('修改')) changed.push(d);
    }
  }
  return { removed, updated, lines: [...gone, ...changed] };
}

/**
 * A SHA-256 of the registry's records (the dataset's tables but the stored documents, which a
 * proposal adds to): equal before and after means unchanged.
 */
export async function registryFingerprint(db: DbOrTx): Promise<string> {
  const { source_documents: _documents, ...records } = (await exportDataset(db)).tables;
  return createHash('sha256').update(JSON.stringify(records)).digest('hex');
}

class DryRunRollback extends Error {}

/** Decodes, parses and stores a document in one transaction; nothing is written on failure. */
export async function importDocument(
  database: Database,
  bytes: Uint8Array,
  options: ImportOptions,
): Promise<ImportReport> {
  const decoded = decodeDocument(bytes);
  const parsed = parseDocument(decoded.text);
  let lists = parsed.lists;
  if (options.department) {
    const wanted = lists.filter((l) => departmentKey(l.department) === departmentKey(options.department!));
    if (wanted.length === 0) {
      throw new ImportError(
        'department-not-in-document',
        null,
        `文档中没有“${options.department}”的清单（文档包含：${lists.map((l) => l.department).join('、')}）`,
        `the document holds no lists of “${options.department}”`,
      );
    }
    lists = wanted;
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const report: ImportReport = {
    source: {
      name: options.sourceName,
      sha256,
      encoding: decoded.encoding,
      lineEnding: decoded.lineEnding,
      lines: parsed.lineCount,
    },
    dryRun: options.dryRun === true,
    owners: lists.map((l) => l.department),
    found: countParsed(lists),
    repairs: parsed.repairs,
    merges: [],
    changes: {},
    unchanged: false,
    version: null,
    needsReview: false,
    reviewable: [],
    fingerprintBefore: '',
  };
  const started = nowIso();
  try {
    await database.db.transaction().execute(async (tx) => {
      report.fingerprintBefore = await registryFingerprint(tx);
      const docId = await upsertSourceDocument(tx, report, decoded.text);
      await storeLists(tx, { ...parsed, lists }, docId, report);
      report.unchanged = Object.values(report.changes).every(
        (c) => c.added === 0 && c.updated === 0 && c.removed === 0,
      );
      const review = changesForReview(report.changes);
      report.reviewable = review.lines;
      report.needsReview = review.removed + review.updated > 0;
      // Published records change only through review: roll back, report what would change.
      if (report.needsReview && !options.allowChanges && !options.dryRun) throw new DryRunRollback();
      const actor = options.actor ?? SYSTEM_ACTOR;
      await appendAudit(tx, {
        actor,
        action: options.dryRun ? 'import-dry-run' : 'import',
        entity: 'source_document',
        entityId: docId,
        after: {
          name: report.source.name,
          sha256,
          owners: report.owners,
          found: report.found,
          unchanged: report.unchanged,
        },
      });
      // An unchanged registry keeps its version and its index (the server builds a missing one at
      // start); a dry run is rolled back, so it needs neither.
      if (!report.unchanged && !options.dryRun) {
        const v = await publishVersion(tx, { reason: `导入 ${report.source.name}`, actor });
        report.version = v.number;
      }
      await tx
        .insertInto('import_runs')
        .values({
          source_document_id: docId,
          started_at: started,
          finished_at: nowIso(),
          summary: JSON.stringify({
            sha256,
            owners: report.owners,
            found: report.found,
            unchanged: report.unchanged,
          }),
        })
        .execute();
      if (options.dryRun) throw new DryRunRollback();
    });
  } catch (e) {
    if (!(e instanceof DryRunRollback)) throw e;
  }
  return report;
}

function countParsed(lists: ParsedDepartmentLists[]): ImportCounts {
  const deptNames = new Set<string>();
  const offices = new Set<string>();
  const c: ImportCounts = {
    departments: 0,
    offices: 0,
    duties: 0,
    workItems: 0,
    boundaryMatters: 0,
    shares: 0,
    legalBases: 0,
    regimes: 0,
    services: 0,
  };
  for (const l of lists) {
    deptNames.add(l.department);
    for (const m of l.matters) for (const s of m.shares) deptNames.add(s.department);
    const res = resolveOffices(l);
    for (const [name, o] of res.offices) if (!o.isGroup) offices.add(`${l.department}/${name}`);
    c.duties += l.duties.length;
    c.workItems += l.duties.reduce((a, d) => a + d.items.length, 0);
    c.boundaryMatters += l.matters.length;
    c.shares += l.matters.reduce((a, m) => a + m.shares.length, 0);
    c.legalBases += l.matters.reduce((a, m) => a + m.legalBases.length, 0);
    c.regimes += l.regimes.length;
    c.services += l.services.length;
  }
  c.departments = groupDepartments(deptNames, new Set(lists.map((l) => l.department))).size;
  c.offices = offices.size;
  return c;
}

/** Stores a document's text (once per SHA-256) for provenance and for a proposed import; returns its id. */
export async function upsertSourceDocument(
  tx: Tx,
  report: Pick<ImportReport, 'source'>,
  content: string,
): Promise<number> {
  const existing = await tx
    .selectFrom('source_documents')
    .select('id')
    .where('sha256', '=', report.source.sha256)
    .executeTakeFirst();
  if (existing) return existing.id;
  const row = await tx
    .insertInto('source_documents')
    .values({
      name: report.source.name,
      sha256: report.source.sha256,
      encoding: report.source.encoding,
      line_ending: report.source.lineEnding,
      line_count: report.source.lines,
      content,
      imported_at: nowIso(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
