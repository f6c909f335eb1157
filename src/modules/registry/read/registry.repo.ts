import { type Selectable, type SelectQueryBuilder, sql } from 'kysely';
import type { DbOrTx } from '../../../db/database.ts';
import type { DB } from '../../../db/types.ts';
import type {
  BoundaryMatterOut,
  DepartmentOut,
  DutyOut,
  ImportCounts,
  OfficeOut,
  PageOut,
  RegimeOut,
  ServiceOut,
  WorkItemOut,
} from '../registry.schema.ts';
import { latestRevisions, type RevisionOut } from '../versions/revision.repo.ts';

/**
 * Read access to the registry: every function takes the database or a transaction first and
 * returns presented records (never raw rows), children loaded in bulk for the page.
 */

/** One page of a list, or `'all'` for pages and exports that show a whole list. */
export type Page = { limit: number; offset: number } | 'all';

/**
 * One page of a filtered query, presented: the rows of `ordered` (the query given its columns and
 * order) limited to the page, each presented by what `present` returns — given the page's rows,
 * to load their children in bulk; not called for an empty page — and the window, with the number
 * of rows the filtered query has in all.
 */
async function presentedPage<D, T extends keyof D, S, R, O>(
  filtered: SelectQueryBuilder<D, T, S>,
  ordered: (q: SelectQueryBuilder<D, T, S>) => SelectQueryBuilder<D, T, R>,
  page: Page,
  present: (rows: R[]) => Promise<(row: R) => O>,
): Promise<PageOut<O>> {
  const q = ordered(filtered);
  const [rows, count] = await Promise.all([
    (page === 'all' ? q : q.limit(page.limit).offset(page.offset)).execute(),
    filtered.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow() as unknown as Promise<{
      n: number | string;
    }>,
  ]);
  const total = Number(count.n);
  const window = { total, ...(page === 'all' ? { limit: total, offset: 0 } : page) };
  if (rows.length === 0) return { items: [], ...window };
  const one = await present(rows as R[]);
  return { items: (rows as R[]).map((r) => one(r)), ...window };
}

/** A list of records: one page of them, filtered. */
type List<F, T> = (db: DbOrTx, filter: F, page: Page) => Promise<PageOut<T>>;

/** The filter every numbered list has: the department whose list it is, or one record. */
type Own = { department?: number; id?: number };

/** A list of records filtered by id (the lists of duties, offices, matters, …). */
export type ListById<T> = (db: DbOrTx, filter: { id: number }, page: Page) => Promise<PageOut<T>>;

/** One record of a list by its id, or undefined: the list filtered to that id. */
export async function findInList<T>(list: ListById<T>, db: DbOrTx, id: number): Promise<T | undefined> {
  return (await list(db, { id }, { limit: 1, offset: 0 })).items[0];
}

/** The part tables of the lists, each with the column naming its parent. */
const PARTS = {
  boundary_shares: 'matter_id',
  legal_bases: 'matter_id',
  boundary_cases: 'matter_id',
  regime_sections: 'regime_id',
  regime_check_items: 'regime_id',
} as const;

/** The parts of the given parents (e.g. the shares of the matters on a page) in position order. */
async function partsOf<T extends keyof typeof PARTS>(
  db: DbOrTx,
  table: T,
  parents: readonly number[],
): Promise<Selectable<DB[T]>[]> {
  if (parents.length === 0) return [];
  // biome-ignore lint/suspicious/noExplicitAny: one query over the part tables; the result is typed by T.
  const q = db as any;
  return q.selectFrom(table).selectAll().where(PARTS[table], 'in', parents).orderBy('position').execute();
}

type Prov = { source_document_id: number | null; line_start: number | null; line_end: number | null };
const src = (r: Prov) => ({ documentId: r.source_document_id, lineStart: r.line_start, lineEnd: r.line_end });

type CountTable =
  | 'departments'
  | 'duties'
  | 'work_items'
  | 'boundary_matters'
  | 'boundary_shares'
  | 'legal_bases'
  | 'regimes'
  | 'public_services';

export async function countRegistry(db: DbOrTx): Promise<ImportCounts> {
  const count = async (table: CountTable) => {
    const r = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  };
  const offices = await db
    .selectFrom('offices')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('is_group', '=', 0)
    .executeTakeFirstOrThrow();
  return {
    departments: await count('departments'),
    offices: Number(offices.n),
    duties: await count('duties'),
    workItems: await count('work_items'),
    boundaryMatters: await count('boundary_matters'),
    shares: await count('boundary_shares'),
    legalBases: await count('legal_bases'),
    regimes: await count('regimes'),
    services: await count('public_services'),
  };
}

async function departmentNames(db: DbOrTx): Promise<Map<number, string>> {
  const rows = await db.selectFrom('departments').select(['id', 'name']).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function listDepartments(
  db: DbOrTx,
  page: Page,
  filter: { id?: number } = {},
): Promise<PageOut<DepartmentOut>> {
  let q = db.selectFrom('departments');
  if (filter.id !== undefined) q = q.where('id', '=', filter.id);
  return presentedPage(
    q,
    (f) => f.selectAll().orderBy('position').orderBy('id'),
    page,
    async (rows) => {
      const aliases = await db
        .selectFrom('department_aliases')
        .selectAll()
        .where(
          'department_id',
          'in',
          rows.map((d) => d.id),
        )
        .orderBy('id')
        .execute();
      return (d) => ({
        id: d.id,
        name: d.name,
        position: d.position,
        aliases: aliases.filter((a) => a.department_id === d.id).map((a) => a.alias),
      });
    },
  );
}

export type OfficeFilter = Own;

export async function listOffices(db: DbOrTx, filter: OfficeFilter, page: Page): Promise<PageOut<OfficeOut>> {
  let q = db.selectFrom('offices');
  if (filter.department !== undefined) q = q.where('department_id', '=', filter.department);
  if (filter.id !== undefined) q = q.where('id', '=', filter.id);
  return presentedPage(
    q,
    (f) => f.selectAll().orderBy('department_id').orderBy('position').orderBy('id'),
    page,
    async (rows) => presentOffices(db, rows),
  );
}

/** Offices as a list shows them: with their names, members, work items and services. */
async function presentOffices(db: DbOrTx, rows: Selectable<DB['offices']>[]) {
  const ids = rows.map((r) => r.id);
  const [names, aliases, members, items, services, revisions] = await Promise.all([
    departmentNames(db),
    db.selectFrom('office_aliases').selectAll().where('office_id', 'in', ids).orderBy('id').execute(),
    db
      .selectFrom('office_group_members as m')
      .innerJoin('offices as o', 'o.id', 'm.office_id')
      .select(['m.group_id', 'o.id', 'o.name', 'o.position'])
      .where('m.group_id', 'in', ids)
      .orderBy('o.position')
      .execute(),
    db
      .selectFrom('work_item_offices as l')
      .innerJoin('work_items as w', 'w.id', 'l.work_item_id')
      .innerJoin('duties as d', 'd.id', 'w.duty_id')
      .select(['l.office_id', 'w.id', 'w.duty_id', 'd.seq', 'w.position', 'w.text'])
      .where('l.office_id', 'in', ids)
      .orderBy('d.seq')
      .orderBy('w.position')
      .execute(),
    db
      .selectFrom('service_offices as l')
      .innerJoin('public_services as s', 's.id', 'l.service_id')
      .select(['l.office_id', 's.id', 's.seq', 's.name'])
      .where('l.office_id', 'in', ids)
      .orderBy('s.seq')
      .execute(),
    latestRevisions(db, 'office', ids),
  ]);
  const phones = await phonesOf(
    db,
    services.map((s) => s.id),
  );
  return (o: Selectable<DB['offices']>): OfficeOut => ({
    id: o.id,
    departmentId: o.department_id,
    department: names.get(o.department_id) ?? '',
    name: o.name,
    aliases: aliases.filter((a) => a.office_id === o.id).map((a) => a.alias),
    isGroup: o.is_group === 1,
    members: members.filter((m) => m.group_id === o.id).map((m) => ({ id: m.id, name: m.name })),
    workItems: items
      .filter((i) => i.office_id === o.id)
      .map((i) => ({ id: i.id, dutyId: i.duty_id, dutySeq: i.seq, position: i.position, text: i.text })),
    services: services
      .filter((s) => s.office_id === o.id)
      .map((s) => ({ id: s.id, seq: s.seq, name: s.name, phones: phones.get(s.id) ?? [] })),
    source: src(o),
    revision: revisions.get(o.id) ?? null,
  });
}

async function phonesOf(db: DbOrTx, serviceIds: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (serviceIds.length === 0) return out;
  const rows = await db
    .selectFrom('service_phones')
    .selectAll()
    .where('service_id', 'in', serviceIds)
    .orderBy('service_id')
    .orderBy('position')
    .execute();
  for (const r of rows) out.set(r.service_id, [...(out.get(r.service_id) ?? []), r.phone]);
  return out;
}

export interface WorkItemFilter {
  department?: number;
  duty?: number;
  /** Several duties at once (used to load a page of duties with their items in one query). */
  duties?: readonly number[];
  office?: number;
  id?: number;
}

export async function listWorkItems(
  db: DbOrTx,
  filter: WorkItemFilter,
  page: Page,
): Promise<PageOut<WorkItemOut>> {
  let q = db.selectFrom('work_items as w').innerJoin('duties as d', 'd.id', 'w.duty_id');
  if (filter.department !== undefined) q = q.where('d.department_id', '=', filter.department);
  if (filter.duty !== undefined) q = q.where('w.duty_id', '=', filter.duty);
  if (filter.duties !== undefined)
    q = q.where('w.duty_id', 'in', filter.duties.length ? [...filter.duties] : [-1]);
  if (filter.id !== undefined) q = q.where('w.id', '=', filter.id);
  if (filter.office !== undefined)
    q = q.where(
      'w.id',
      'in',
      db.selectFrom('work_item_offices').select('work_item_id').where('office_id', '=', filter.office),
    );
  return presentedPage(
    q,
    (f) =>
      f
        .selectAll('w')
        .select(['d.seq as duty_seq', 'd.department_id'])
        .orderBy('d.department_id')
        .orderBy('d.seq')
        .orderBy('w.position'),
    page,
    async (rows) => {
      const ids = rows.map((r) => r.id);
      const [offices, revisions] = await Promise.all([
        officesOfItems(db, ids),
        latestRevisions(db, 'workItem', ids),
      ]);
      return (w) => ({
        id: w.id,
        dutyId: w.duty_id,
        dutySeq: w.duty_seq,
        departmentId: w.department_id,
        position: w.position,
        text: w.text,
        officeText: w.office_text,
        offices: offices.get(w.id) ?? [],
        remark: w.remark,
        source: src(w),
        revision: revisions.get(w.id) ?? null,
      });
    },
  );
}

async function officesOfItems(db: DbOrTx, itemIds: number[]) {
  const out = new Map<number, Array<{ id: number; name: string }>>();
  if (itemIds.length === 0) return out;
  const rows = await db
    .selectFrom('work_item_offices as l')
    .innerJoin('offices as o', 'o.id', 'l.office_id')
    .select(['l.work_item_id', 'l.position', 'o.id', 'o.name'])
    .where('l.work_item_id', 'in', itemIds)
    .orderBy('l.work_item_id')
    .orderBy('l.position')
    .execute();
  for (const r of rows)
    out.set(r.work_item_id, [...(out.get(r.work_item_id) ?? []), { id: r.id, name: r.name }]);
  return out;
}

/** The lists a department keeps in its own numbering (seq): duties, matters, regimes, services. */
type NumberedTable = 'duties' | 'boundary_matters' | 'regimes' | 'public_services';

/** The change adapter's key of each numbered table (provenance after edits); '' for kinds nobody changes. */
const REVISED_ENTITY: Record<NumberedTable, string> = {
  duties: 'duty',
  boundary_matters: '',
  regimes: '',
  public_services: 'service',
};

/** Filters of a numbered list: its department, one record, or the records `among` a subquery's ids. */
type NumberedFilter = Own & { among?: ReturnType<typeof sharedBy> | ReturnType<typeof servedBy> };

/** What every numbered record shows first: its id, its department (by id and name) and its number. */
interface Numbered {
  id: number;
  departmentId: number;
  department: string;
  seq: number;
}

/**
 * One page of a numbered list in list order (department, then seq), each record presented as the
 * common fields, then what `present` — given the whole page, to load children in bulk — adds for
 * it, then its source lines.
 */
async function numberedList<T extends NumberedTable, O>(
  db: DbOrTx,
  table: T,
  filter: NumberedFilter,
  page: Page,
  present: (rows: Selectable<DB[T]>[], names: Map<number, string>) => Promise<(row: Selectable<DB[T]>) => O>,
): Promise<PageOut<Numbered & O & { source: ReturnType<typeof src>; revision: RevisionOut | null }>> {
  let q = db.selectFrom(table as NumberedTable);
  if (filter.department !== undefined) q = q.where('department_id', '=', filter.department);
  if (filter.id !== undefined) q = q.where('id', '=', filter.id);
  if (filter.among !== undefined) q = q.where('id', 'in', filter.among);
  return presentedPage(
    q,
    (f) => f.selectAll().orderBy('department_id').orderBy('seq'),
    page,
    async (rows) => {
      // The rows are those of table T: the query ran over the union of the numbered tables.
      const [names, revisions] = await Promise.all([
        departmentNames(db),
        latestRevisions(
          db,
          REVISED_ENTITY[table],
          rows.map((r) => r.id),
        ),
      ]);
      const own = await present(rows as unknown as Selectable<DB[T]>[], names);
      return (row) => ({
        id: row.id,
        departmentId: row.department_id,
        department: names.get(row.department_id) ?? '',
        seq: row.seq,
        ...own(row as unknown as Selectable<DB[T]>),
        source: src(row),
        revision: revisions.get(row.id) ?? null,
      });
    },
  );
}

export const listDuties: List<Own, DutyOut> = (db, filter, page) => {
  return numberedList(db, 'duties', filter, page, async (rows) => {
    const items = (await listWorkItems(db, { duties: rows.map((d) => d.id) }, 'all')).items;
    return (d) => ({ text: d.text, items: items.filter((i) => i.dutyId === d.id) });
  });
};

export const listMatters: List<Own & { involves?: number }, BoundaryMatterOut> = (db, filter, page) => {
  const { involves, ...own } = filter;
  const among = involves === undefined ? undefined : sharedBy(db, involves);
  return numberedList(db, 'boundary_matters', { ...own, among }, page, async (rows, names) => {
    const ids = rows.map((r) => r.id);
    const [shares, bases, cases] = await Promise.all([
      partsOf(db, 'boundary_shares', ids),
      partsOf(db, 'legal_bases', ids),
      partsOf(db, 'boundary_cases', ids),
    ]);
    const shareRevisions = await latestRevisions(
      db,
      'share',
      shares.map((x) => x.id),
    );
    return (m) => ({
      name: m.name,
      shares: shares
        .filter((s) => s.matter_id === m.id)
        .map((s) => ({
          id: s.id,
          position: s.position,
          departmentId: s.department_id,
          department: names.get(s.department_id) ?? '',
          departmentText: s.department_text,
          text: s.text,
          source: src(s),
          revision: shareRevisions.get(s.id) ?? null,
        })),
      legalBases: bases
        .filter((b) => b.matter_id === m.id)
        .map((b) => ({
          id: b.id,
          position: b.position,
          text: b.text,
          docNumber: b.doc_number,
          source: src(b),
        })),
      cases: cases
        .filter((c) => c.matter_id === m.id)
        .map((c) => ({ id: c.id, position: c.position, text: c.text, source: src(c) })),
    });
  });
};

export const listRegimes: List<Own, RegimeOut> = (db, filter, page) => {
  return numberedList(db, 'regimes', filter, page, async (rows) => {
    const ids = rows.map((r) => r.id);
    const [sections, checks] = await Promise.all([
      partsOf(db, 'regime_sections', ids),
      partsOf(db, 'regime_check_items', ids),
    ]);
    return (r) => ({
      label: r.label,
      title: r.title,
      intro: r.intro,
      sections: sections
        .filter((s) => s.regime_id === r.id)
        .map((s) => ({
          position: s.position,
          heading: s.heading,
          kinds: s.kinds.split(',') as RegimeOut['sections'][number]['kinds'],
          body: s.body,
          source: src(s),
        })),
      checkItems: checks
        .filter((c) => c.regime_id === r.id)
        .map((c) => ({ position: c.position, text: c.text, source: src(c) })),
    });
  });
};

export const listServices: List<Own & { office?: number }, ServiceOut> = (db, filter, page) => {
  const { office, ...own } = filter;
  const among = office === undefined ? undefined : servedBy(db, office);
  return numberedList(db, 'public_services', { ...own, among }, page, async (rows) => {
    const ids = rows.map((r) => r.id);
    const [phones, offices] = await Promise.all([
      phonesOf(db, ids),
      ids.length === 0
        ? []
        : db
            .selectFrom('service_offices as l')
            .innerJoin('offices as o', 'o.id', 'l.office_id')
            .select(['l.service_id', 'o.id', 'o.name'])
            .where('l.service_id', 'in', ids)
            .orderBy('l.position')
            .execute(),
    ]);
    return (s) => ({
      name: s.name,
      content: s.content,
      officeText: s.office_text,
      offices: offices.filter((o) => o.service_id === s.id).map((o) => ({ id: o.id, name: o.name })),
      phones: phones.get(s.id) ?? [],
    });
  });
};

/** The ids of the matters a department has a share in. */
const sharedBy = (db: DbOrTx, department: number) =>
  db.selectFrom('boundary_shares').select('matter_id').where('department_id', '=', department);

/** The ids of the services an office handles. */
const servedBy = (db: DbOrTx, office: number) =>
  db.selectFrom('service_offices').select('service_id').where('office_id', '=', office);

export async function sourceLines(db: DbOrTx, id: number, from: number, to: number) {
  const doc = await db
    .selectFrom('source_documents')
    .select(['id', 'name', 'sha256', 'line_count', 'content', 'imported_at', 'official_url'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!doc) return null;
  const all = doc.content.split('\n');
  const start = Math.max(1, from);
  const end = Math.min(all.length, to);
  return {
    id: doc.id,
    name: doc.name,
    sha256: doc.sha256,
    lineCount: doc.line_count,
    importedAt: doc.imported_at,
    officialUrl: doc.official_url ?? null,
    lines: all.slice(start - 1, end).map((text, i) => ({ number: start + i, text })),
  };
}
