import type { DbOrTx, Tx } from '../../../db/database.ts';
import { nowIso } from '../../../db/database.ts';
import type { ParsedDepartmentLists, ParsedDocument } from '../../../importer/model.ts';
import { departmentKey, groupDepartments, type NameGroup, resolveOffices } from '../../../importer/names.ts';
import { type ChangeLog, emptyChanges, replaceLinks, syncRows } from './sync.ts';

/**
 * Writes a parsed document's lists into the registry tables: departments and offices by name,
 * then every sourced list (duties, matters, regimes, services and their parts) through one
 * spec each, so that what differs between the lists is data and the sync is written once.
 */

export interface Merge {
  kind: 'department' | 'office';
  canonical: string;
  variants: string[];
}

/** Where the store step reports what it did. */
export interface StoreLog {
  changes: ChangeLog;
  merges: Merge[];
}

export async function storeLists(
  tx: Tx,
  parsed: ParsedDocument,
  docId: number,
  report: StoreLog,
): Promise<void> {
  const deptIds = await storeDepartments(tx, parsed.lists, report);
  for (const lists of parsed.lists) {
    const deptId = deptIds.get(departmentKey(lists.department))!;
    const officeIds = await storeOffices(tx, lists, deptId, docId, report);
    const sync: SyncContext = { tx, docId, log: report.changes };
    await storeDuties(sync, lists, deptId, officeIds);
    await storeMatters(sync, lists, deptId, deptIds);
    await storeRegimes(sync, lists, deptId);
    await storeServices(sync, lists, deptId, officeIds);
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
  report: StoreLog,
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
      report.changes.departments ??= emptyChanges();
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
  report: StoreLog,
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

type Row = Record<string, unknown>;

interface SyncContext {
  tx: DbOrTx;
  docId: number;
  log: ChangeLog;
}

/** Provenance columns: refreshed with the document, never counted as a change. */
const PROVENANCE = ['source_document_id', 'line_start', 'line_end'] as const;

/** One sourced list: its table, the columns that make a change, and how an item becomes a row. */
interface ListSpec<T> {
  entity: string;
  table: string;
  content: readonly string[];
  /** What one row is called in change details, e.g. 主要职责 or 项工作事项. */
  noun: string;
  columns: (item: T) => Row;
  lines: (item: T) => readonly [number, number];
}

interface Spanned {
  lineStart: number;
  lineEnd: number;
}

const span = (x: Spanned) => [x.lineStart, x.lineEnd] as const;

/**
 * Where a list stands: a department's numbered list, keyed by its seq (label “主要职责 3”), or the
 * parts of one parent, keyed by position (label “主要职责 3 的第 2 项工作事项”).
 */
type Place = { department: number } | { scope: Row; parent: string };

/** Syncs one sourced list in one place; returns key (seq or position) → id. */
async function syncList<T>(
  ctx: SyncContext,
  spec: ListSpec<T>,
  place: Place,
  items: readonly T[],
): Promise<Map<unknown, number>> {
  const numbered = 'department' in place;
  const rows = items.map((item, i) => {
    const [lineStart, lineEnd] = spec.lines(item);
    return {
      ...(numbered ? {} : { position: i + 1 }),
      ...spec.columns(item),
      source_document_id: ctx.docId,
      line_start: lineStart,
      line_end: lineEnd,
    };
  });
  return syncRows(
    ctx.tx,
    {
      entity: spec.entity,
      table: spec.table,
      scope: numbered ? { department_id: place.department } : place.scope,
      key: numbered ? 'seq' : 'position',
      content: spec.content,
      quiet: PROVENANCE,
      label: numbered
        ? (r) => `${spec.noun} ${String(r.seq)}`
        : (r) => `${place.parent} 的第 ${String(r.position)} ${spec.noun}`,
    },
    rows,
    ctx.log,
  );
}

type Lists = ParsedDepartmentLists;
type Duty = Lists['duties'][number];
type Matter = Lists['matters'][number];
type Regime = Lists['regimes'][number];
type Service = Lists['services'][number];

const DUTIES: ListSpec<Duty> = {
  entity: 'duties',
  table: 'duties',
  content: ['text'],
  noun: '主要职责',
  columns: (d) => ({ seq: d.seq, text: d.text }),
  lines: span,
};

const WORK_ITEMS: ListSpec<Duty['items'][number]> = {
  entity: 'workItems',
  table: 'work_items',
  content: ['text', 'office_text', 'remark'],
  noun: '项工作事项',
  columns: (it) => ({ text: it.text, office_text: it.officeText, remark: it.remark }),
  lines: span,
};

const MATTERS: ListSpec<Matter> = {
  entity: 'boundaryMatters',
  table: 'boundary_matters',
  content: ['name'],
  noun: '管理事项',
  columns: (m) => ({ seq: m.seq, name: m.name }),
  lines: span,
};

/** A share names its department, resolved to an id by the departments step. */
const shares = (deptIds: Map<string, number>): ListSpec<Matter['shares'][number]> => ({
  entity: 'shares',
  table: 'boundary_shares',
  content: ['department_id', 'department_text', 'text'],
  noun: '项职责分工',
  columns: (s) => ({
    department_id: deptIds.get(departmentKey(s.department))!,
    department_text: s.departmentText,
    text: s.text,
  }),
  lines: span,
});

const LEGAL_BASES: ListSpec<Matter['legalBases'][number]> = {
  entity: 'legalBases',
  table: 'legal_bases',
  content: ['text', 'doc_number'],
  noun: '条相关依据',
  columns: (b) => ({ text: b.text, doc_number: b.docNumber }),
  lines: span,
};

const CASES: ListSpec<Matter['cases'][number]> = {
  entity: 'cases',
  table: 'boundary_cases',
  content: ['text'],
  noun: '个案例',
  columns: (c) => ({ text: c.text }),
  lines: span,
};

const REGIMES: ListSpec<Regime> = {
  entity: 'regimes',
  table: 'regimes',
  content: ['label', 'title', 'intro'],
  noun: '监管制度',
  columns: (r) => ({ seq: r.seq, label: r.label, title: r.title, intro: r.intro }),
  lines: span,
};

const REGIME_SECTIONS: ListSpec<Regime['sections'][number]> = {
  entity: 'regimeSections',
  table: 'regime_sections',
  content: ['heading', 'kinds', 'body'],
  noun: '节',
  columns: (s) => ({
    heading: s.heading,
    kinds: s.kinds.join(','),
    body: s.paragraphs.map((p) => p.text).join('\n'),
  }),
  lines: span,
};

const CHECK_ITEMS: ListSpec<Regime['checkItems'][number]> = {
  entity: 'checkItems',
  table: 'regime_check_items',
  content: ['text'],
  noun: '项检查内容',
  columns: (p) => ({ text: p.text }),
  lines: (p) => [p.line, p.line],
};

const SERVICES: ListSpec<Service> = {
  entity: 'services',
  table: 'public_services',
  content: ['name', 'content', 'office_text', 'phone_text'],
  noun: '公共服务事项',
  columns: (s) => ({
    seq: s.seq,
    name: s.name,
    content: s.content,
    office_text: s.officeText,
    phone_text: s.phoneText,
  }),
  lines: span,
};

/** Links to offices in the order written, each office once. */
function officeLinks(written: readonly string[], officeIds: Map<string, number>) {
  const seen = new Set<number>();
  return written
    .map((o, p) => ({ office_id: officeIds.get(o)!, position: p + 1 }))
    .filter((l) => !seen.has(l.office_id) && seen.add(l.office_id));
}

async function storeDuties(
  ctx: SyncContext,
  lists: Lists,
  deptId: number,
  officeIds: Map<string, number>,
): Promise<void> {
  const dutyIds = await syncList(ctx, DUTIES, { department: deptId }, lists.duties);
  for (const d of lists.duties) {
    const parent = { scope: { duty_id: dutyIds.get(d.seq)! }, parent: `主要职责 ${d.seq}` };
    const itemIds = await syncList(ctx, WORK_ITEMS, parent, d.items);
    for (const [i, it] of d.items.entries()) {
      await replaceLinks(
        ctx.tx,
        'work_item_offices',
        'work_item_id',
        itemIds.get(i + 1)!,
        officeLinks(it.offices, officeIds),
        ['office_id', 'position'],
      );
    }
  }
}

async function storeMatters(
  ctx: SyncContext,
  lists: Lists,
  deptId: number,
  deptIds: Map<string, number>,
): Promise<void> {
  const matterIds = await syncList(ctx, MATTERS, { department: deptId }, lists.matters);
  const SHARES = shares(deptIds);
  for (const m of lists.matters) {
    const parent = { scope: { matter_id: matterIds.get(m.seq)! }, parent: `管理事项 ${m.seq}` };
    await syncList(ctx, SHARES, parent, m.shares);
    await syncList(ctx, LEGAL_BASES, parent, m.legalBases);
    await syncList(ctx, CASES, parent, m.cases);
  }
}

async function storeRegimes(ctx: SyncContext, lists: Lists, deptId: number): Promise<void> {
  const regimeIds = await syncList(ctx, REGIMES, { department: deptId }, lists.regimes);
  for (const r of lists.regimes) {
    const parent = { scope: { regime_id: regimeIds.get(r.seq)! }, parent: `监管制度 ${r.seq}` };
    await syncList(ctx, REGIME_SECTIONS, parent, r.sections);
    await syncList(ctx, CHECK_ITEMS, parent, r.checkItems);
  }
}

async function storeServices(
  ctx: SyncContext,
  lists: Lists,
  deptId: number,
  officeIds: Map<string, number>,
): Promise<void> {
  const serviceIds = await syncList(ctx, SERVICES, { department: deptId }, lists.services);
  for (const s of lists.services) {
    const id = serviceIds.get(s.seq)!;
    await replaceLinks(ctx.tx, 'service_offices', 'service_id', id, officeLinks(s.offices, officeIds), [
      'office_id',
      'position',
    ]);
    await replaceLinks(
      ctx.tx,
      'service_phones',
      'service_id',
      id,
      s.phones.map((phone, p) => ({ position: p + 1, phone })),
      ['position', 'phone'],
    );
  }
}
