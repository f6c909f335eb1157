import { createHash } from 'node:crypto';
import type { Database, DbOrTx, Tx } from '../../../db/database.ts';
import { nowIso } from '../../../db/database.ts';
import { decodeDocument } from '../../../importer/decode.ts';
import { ImportError } from '../../../importer/errors.ts';
import type { ParsedDepartmentLists, ParsedDocument, Repair } from '../../../importer/model.ts';
import { departmentKey, groupDepartments, type NameGroup, resolveOffices } from '../../../importer/names.ts';
import { parseDocument } from '../../../importer/parse.ts';
import { type Actor, appendAudit, SYSTEM_ACTOR } from '../../audit/index.ts';
import type { ImportCounts } from '../registry.schema.ts';
import { publishVersion } from '../versions/version.service.ts';
import { type ChangeLog, replaceLinks, syncRows } from './sync.ts';

export interface ImportOptions {
  /** Name recorded for the source document (usually the file name). */
  sourceName: string;
  /** Import only this department's lists; the document must contain them. */
  department?: string;
  /** Parse, validate and compute the changes, then roll everything back. */
  dryRun?: boolean;
  /** Who imports (for the audit trail); the system by default. */
  actor?: Actor;
}

export interface ImportReport {
  source: { name: string; sha256: string; encoding: string; lineEnding: string; lines: number };
  dryRun: boolean;
  /** Departments whose lists the document contains. */
  owners: string[];
  /** What the document contains (not the whole database). */
  found: ImportCounts;
  repairs: Repair[];
  merges: Array<{ kind: 'department' | 'office'; canonical: string; variants: string[] }>;
  changes: ChangeLog;
  /** True when the database already held exactly this content. */
  unchanged: boolean;
  /** The published version this import created (none when nothing changed or on a dry run). */
  version: number | null;
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
  };
  const started = nowIso();
  try {
    await database.db.transaction().execute(async (tx) => {
      const docId = await upsertSourceDocument(tx, report, decoded.text);
      await storeLists(tx, { ...parsed, lists }, docId, report);
      report.unchanged = Object.values(report.changes).every(
        (c) => c.added === 0 && c.updated === 0 && c.removed === 0,
      );
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

async function upsertSourceDocument(tx: Tx, report: ImportReport, content: string): Promise<number> {
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

async function storeLists(
  tx: Tx,
  parsed: ParsedDocument,
  docId: number,
  report: ImportReport,
): Promise<void> {
  const deptIds = await storeDepartments(tx, parsed.lists, report);
  for (const lists of parsed.lists) {
    const deptId = deptIds.get(departmentKey(lists.department))!;
    const officeIds = await storeOffices(tx, lists, deptId, docId, report);
    await storeDuties(tx, lists, deptId, docId, officeIds, report.changes);
    await storeMatters(tx, lists, deptId, docId, deptIds, report.changes);
    await storeRegimes(tx, lists, deptId, docId, report.changes);
    await storeServices(tx, lists, deptId, docId, officeIds, report.changes);
  }
  await replaceLinks(
    tx,
    'import_repairs',
    'source_document_id',
    docId,
    parsed.repairs.map((r) => ({ part: r.part, line: r.line, kind: r.kind, message: r.message })),
    ['part', 'line', 'kind', 'message'],
  );
}

/** Returns departmentKey → id for every department named by the document. */
async function storeDepartments(
  tx: Tx,
  lists: ParsedDepartmentLists[],
  report: ImportReport,
): Promise<Map<string, number>> {
  const stored = await tx.selectFrom('departments').select(['id', 'name', 'position']).execute();
  const aliases = await tx.selectFrom('department_aliases').select(['department_id', 'alias']).execute();
  const storedByKey = new Map<string, { id: number; name: string }>();
  for (const d of stored) storedByKey.set(departmentKey(d.name), d);
  for (const a of aliases) {
    const d = stored.find((s) => s.id === a.department_id);
    if (d) storedByKey.set(departmentKey(a.alias), d);
  }
  const names: string[] = [];
  for (const l of lists) {
    names.push(l.department);
    for (const m of l.matters) for (const s of m.shares) names.push(s.department);
  }
  const preferred = new Set([...lists.map((l) => l.department), ...stored.map((s) => s.name)]);
  const groups: Map<string, NameGroup> = groupDepartments(names, preferred);
  let position = stored.reduce((a, s) => Math.max(a, s.position), 0);
  const ids = new Map<string, number>();
  for (const [key, group] of groups) {
    let dept = storedByKey.get(key);
    if (!dept) {
      const row = await tx
        .insertInto('departments')
        .values({ name: group.canonical, position: ++position, created_at: nowIso() })
        .returning(['id', 'name'])
        .executeTakeFirstOrThrow();
      dept = row;
      report.changes.departments ??= { added: 0, updated: 0, removed: 0, unchanged: 0, details: [] };
      report.changes.departments.added++;
      report.changes.departments.details.push(`新增 部门 ${group.canonical}`);
    }
    ids.set(key, dept.id);
    const variants = group.variants.filter((v) => v !== dept.name);
    if (variants.length) report.merges.push({ kind: 'department', canonical: dept.name, variants });
    for (const alias of variants) {
      const taken = await tx
        .selectFrom('department_aliases')
        .select('id')
        .where('alias', '=', alias)
        .executeTakeFirst();
      if (!taken)
        await tx.insertInto('department_aliases').values({ department_id: dept.id, alias }).execute();
    }
  }
  return ids;
}

async function storeOffices(
  tx: Tx,
  lists: ParsedDepartmentLists,
  deptId: number,
  docId: number,
  report: ImportReport,
): Promise<Map<string, number>> {
  const res = resolveOffices(lists);
  const desired = [...res.offices.entries()].map(([name, o], i) => ({
    name,
    is_group: o.isGroup ? 1 : 0,
    position: i + 1,
    source_document_id: docId,
    line_start: o.firstLine,
    line_end: o.firstLine,
  }));
  const ids = (await syncRows(
    tx,
    {
      entity: 'offices',
      table: 'offices',
      scope: { department_id: deptId },
      key: 'name',
      content: ['is_group'],
      quiet: ['position', 'source_document_id', 'line_start', 'line_end'],
      label: (r) => `科室 ${String(r.name)}`,
      removeMissing: false,
    },
    desired,
    report.changes,
  )) as Map<string, number>;
  for (const [name, o] of res.offices) {
    const id = ids.get(name)!;
    if (o.aliases.size) report.merges.push({ kind: 'office', canonical: name, variants: [...o.aliases] });
    for (const alias of o.aliases) {
      const taken = await tx
        .selectFrom('office_aliases')
        .select('id')
        .where('department_id', '=', deptId)
        .where('alias', '=', alias)
        .executeTakeFirst();
      if (!taken)
        await tx
          .insertInto('office_aliases')
          .values({ office_id: id, department_id: deptId, alias })
          .execute();
    }
  }
  // A group (各业务科室) stands for the business offices of part 1: every office there but 办公室.
  const part1 = [...res.offices.entries()].filter(
    ([n, o]) => !o.isGroup && o.fromPart === 1 && n !== '办公室',
  );
  for (const [name, o] of res.offices) {
    if (!o.isGroup) continue;
    await replaceLinks(
      tx,
      'office_group_members',
      'group_id',
      ids.get(name)!,
      part1.map(([n]) => ({ office_id: ids.get(n)! })),
      ['office_id'],
    );
  }
  const byWritten = new Map<string, number>();
  for (const [written, canonical] of res.canonicalOf) byWritten.set(written, ids.get(canonical)!);
  return byWritten;
}

async function storeDuties(
  tx: DbOrTx,
  lists: ParsedDepartmentLists,
  deptId: number,
  docId: number,
  officeIds: Map<string, number>,
  log: ChangeLog,
): Promise<void> {
  const dutyIds = await syncRows(
    tx,
    {
      entity: 'duties',
      table: 'duties',
      scope: { department_id: deptId },
      key: 'seq',
      content: ['text'],
      quiet: ['source_document_id', 'line_start', 'line_end'],
      label: (r) => `主要职责 ${String(r.seq)}`,
    },
    lists.duties.map((d) => ({
      seq: d.seq,
      text: d.text,
      source_document_id: docId,
      line_start: d.lineStart,
      line_end: d.lineEnd,
    })),
    log,
  );
  for (const d of lists.duties) {
    const dutyId = dutyIds.get(d.seq)!;
    const itemIds = await syncRows(
      tx,
      {
        entity: 'workItems',
        table: 'work_items',
        scope: { duty_id: dutyId },
        key: 'position',
        content: ['text', 'office_text', 'remark'],
        quiet: ['source_document_id', 'line_start', 'line_end'],
        label: (r) => `主要职责 ${d.seq} 的第 ${String(r.position)} 项工作事项`,
      },
      d.items.map((it, i) => ({
        position: i + 1,
        text: it.text,
        office_text: it.officeText,
        remark: it.remark,
        source_document_id: docId,
        line_start: it.lineStart,
        line_end: it.lineEnd,
      })),
      log,
    );
    for (const [i, it] of d.items.entries()) {
      const seen = new Set<number>();
      const links = it.offices
        .map((o, p) => ({ office_id: officeIds.get(o)!, position: p + 1 }))
        .filter((l) => !seen.has(l.office_id) && seen.add(l.office_id));
      await replaceLinks(tx, 'work_item_offices', 'work_item_id', itemIds.get(i + 1)!, links, [
        'office_id',
        'position',
      ]);
    }
  }
}

async function storeMatters(
  tx: DbOrTx,
  lists: ParsedDepartmentLists,
  deptId: number,
  docId: number,
  deptIds: Map<string, number>,
  log: ChangeLog,
): Promise<void> {
  const matterIds = await syncRows(
    tx,
    {
      entity: 'boundaryMatters',
      table: 'boundary_matters',
      scope: { department_id: deptId },
      key: 'seq',
      content: ['name'],
      quiet: ['source_document_id', 'line_start', 'line_end'],
      label: (r) => `管理事项 ${String(r.seq)}`,
    },
    lists.matters.map((m) => ({
      seq: m.seq,
      name: m.name,
      source_document_id: docId,
      line_start: m.lineStart,
      line_end: m.lineEnd,
    })),
    log,
  );
  for (const m of lists.matters) {
    const matterId = matterIds.get(m.seq)!;
    const prov = { source_document_id: docId };
    await syncRows(
      tx,
      {
        entity: 'shares',
        table: 'boundary_shares',
        scope: { matter_id: matterId },
        key: 'position',
        content: ['department_id', 'department_text', 'text'],
        quiet: ['source_document_id', 'line_start', 'line_end'],
        label: (r) => `管理事项 ${m.seq} 的第 ${String(r.position)} 项职责分工`,
      },
      m.shares.map((s, i) => ({
        position: i + 1,
        department_id: deptIds.get(departmentKey(s.department))!,
        department_text: s.departmentText,
        text: s.text,
        ...prov,
        line_start: s.lineStart,
        line_end: s.lineEnd,
      })),
      log,
    );
    await syncRows(
      tx,
      {
        entity: 'legalBases',
        table: 'legal_bases',
        scope: { matter_id: matterId },
        key: 'position',
        content: ['text', 'doc_number'],
        quiet: ['source_document_id', 'line_start', 'line_end'],
        label: (r) => `管理事项 ${m.seq} 的第 ${String(r.position)} 条相关依据`,
      },
      m.legalBases.map((b, i) => ({
        position: i + 1,
        text: b.text,
        doc_number: b.docNumber,
        ...prov,
        line_start: b.lineStart,
        line_end: b.lineEnd,
      })),
      log,
    );
    await syncRows(
      tx,
      {
        entity: 'cases',
        table: 'boundary_cases',
        scope: { matter_id: matterId },
        key: 'position',
        content: ['text'],
        quiet: ['source_document_id', 'line_start', 'line_end'],
        label: (r) => `管理事项 ${m.seq} 的第 ${String(r.position)} 个案例`,
      },
      m.cases.map((c, i) => ({
        position: i + 1,
        text: c.text,
        ...prov,
        line_start: c.lineStart,
        line_end: c.lineEnd,
      })),
      log,
    );
  }
}

async function storeRegimes(
  tx: DbOrTx,
  lists: ParsedDepartmentLists,
  deptId: number,
  docId: number,
  log: ChangeLog,
): Promise<void> {
  const regimeIds = await syncRows(
    tx,
    {
      entity: 'regimes',
      table: 'regimes',
      scope: { department_id: deptId },
      key: 'seq',
      content: ['label', 'title', 'intro'],
      quiet: ['source_document_id', 'line_start', 'line_end'],
      label: (r) => `监管制度 ${String(r.seq)}`,
    },
    lists.regimes.map((r) => ({
      seq: r.seq,
      label: r.label,
      title: r.title,
      intro: r.intro,
      source_document_id: docId,
      line_start: r.lineStart,
      line_end: r.lineEnd,
    })),
    log,
  );
  for (const r of lists.regimes) {
    const regimeId = regimeIds.get(r.seq)!;
    await syncRows(
      tx,
      {
        entity: 'regimeSections',
        table: 'regime_sections',
        scope: { regime_id: regimeId },
        key: 'position',
        content: ['heading', 'kinds', 'body'],
        quiet: ['source_document_id', 'line_start', 'line_end'],
        label: (s) => `监管制度 ${r.seq} 的第 ${String(s.position)} 节`,
      },
      r.sections.map((s, i) => ({
        position: i + 1,
        heading: s.heading,
        kinds: s.kinds.join(','),
        body: s.paragraphs.map((p) => p.text).join('\n'),
        source_document_id: docId,
        line_start: s.lineStart,
        line_end: s.lineEnd,
      })),
      log,
    );
    await syncRows(
      tx,
      {
        entity: 'checkItems',
        table: 'regime_check_items',
        scope: { regime_id: regimeId },
        key: 'position',
        content: ['text'],
        quiet: ['source_document_id', 'line_start', 'line_end'],
        label: (s) => `监管制度 ${r.seq} 的第 ${String(s.position)} 项检查内容`,
      },
      r.checkItems.map((p, i) => ({
        position: i + 1,
        text: p.text,
        source_document_id: docId,
        line_start: p.line,
        line_end: p.line,
      })),
      log,
    );
  }
}

async function storeServices(
  tx: DbOrTx,
  lists: ParsedDepartmentLists,
  deptId: number,
  docId: number,
  officeIds: Map<string, number>,
  log: ChangeLog,
): Promise<void> {
  const serviceIds = await syncRows(
    tx,
    {
      entity: 'services',
      table: 'public_services',
      scope: { department_id: deptId },
      key: 'seq',
      content: ['name', 'content', 'office_text', 'phone_text'],
      quiet: ['source_document_id', 'line_start', 'line_end'],
      label: (r) => `公共服务事项 ${String(r.seq)}`,
    },
    lists.services.map((s) => ({
      seq: s.seq,
      name: s.name,
      content: s.content,
      office_text: s.officeText,
      phone_text: s.phoneText,
      source_document_id: docId,
      line_start: s.lineStart,
      line_end: s.lineEnd,
    })),
    log,
  );
  for (const s of lists.services) {
    const id = serviceIds.get(s.seq)!;
    const seen = new Set<number>();
    const offices = s.offices
      .map((o, p) => ({ office_id: officeIds.get(o)!, position: p + 1 }))
      .filter((l) => !seen.has(l.office_id) && seen.add(l.office_id));
    await replaceLinks(tx, 'service_offices', 'service_id', id, offices, ['office_id', 'position']);
    await replaceLinks(
      tx,
      'service_phones',
      'service_id',
      id,
      s.phones.map((phone, p) => ({ position: p + 1, phone })),
      ['position', 'phone'],
    );
  }
}
