import type { Insertable, Selectable } from 'kysely';
import type { DbOrTx } from '../../../db/database.ts';
import type {
  CampaignFilingEventTable,
  CampaignFilingFileTable,
  CampaignFilingTable,
  CampaignTable,
} from '../../../db/types.ts';

/** Campaign tables (migration 020); the first argument is the database or a transaction. */

export type CampaignRow = Selectable<CampaignTable>;
export type FilingRow = Selectable<CampaignFilingTable>;
export type EventRow = Selectable<CampaignFilingEventTable>;

export async function insertCampaign(tx: DbOrTx, values: Insertable<CampaignTable>): Promise<number> {
  const row = await tx.insertInto('campaigns').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export function findCampaign(db: DbOrTx, id: number): Promise<CampaignRow | undefined> {
  return db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findCampaignByKey(db: DbOrTx, key: string, year: number): Promise<CampaignRow | undefined> {
  return db
    .selectFrom('campaigns')
    .selectAll()
    .where('definition_key', '=', key)
    .where('year', '=', year)
    .executeTakeFirst();
}

export function listCampaignRows(db: DbOrTx, year?: number): Promise<CampaignRow[]> {
  let q = db.selectFrom('campaigns').selectAll();
  if (year !== undefined) q = q.where('year', '=', year);
  return q.orderBy('year', 'desc').orderBy('regime_seq').orderBy('id').execute();
}

/** Active entities of the categories, with county and categories, ordered by county and name. */
export async function entitiesOfCategories(db: DbOrTx, categories: readonly string[]) {
  if (categories.length === 0) return [];
  const rows = await db
    .selectFrom('regulated_entities as e')
    .innerJoin('regulated_entity_categories as c', 'c.entity_id', 'e.id')
    .innerJoin('counties as k', 'k.id', 'e.county_id')
    .select(['e.id', 'e.name', 'e.uscc', 'e.licence_no', 'k.name as county', 'k.position', 'c.category_code'])
    .where('e.status', '=', 'active')
    .where('c.category_code', 'in', [...categories])
    .orderBy('k.position')
    .orderBy('e.name')
    .orderBy('e.id')
    .execute();
  const byId = new Map<number, (typeof rows)[number] & { categories: string[] }>();
  for (const r of rows) {
    const seen = byId.get(r.id);
    if (seen) seen.categories.push(r.category_code);
    else byId.set(r.id, { ...r, categories: [r.category_code] });
  }
  return [...byId.values()];
}

export async function insertFilings(tx: DbOrTx, rows: Insertable<CampaignFilingTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    await tx
      .insertInto('campaign_filings')
      .values(rows.slice(i, i + 200))
      .execute();
  }
}

export interface FilingListRow extends FilingRow {
  entity_name: string;
  uscc: string;
  licence_no: string | null;
  county: string;
  county_position: number;
}

export function filingsOf(db: DbOrTx, campaignId: number): Promise<FilingListRow[]> {
  return db
    .selectFrom('campaign_filings as f')
    .innerJoin('regulated_entities as e', 'e.id', 'f.entity_id')
    .innerJoin('counties as k', 'k.id', 'e.county_id')
    .selectAll('f')
    .select([
      'e.name as entity_name',
      'e.uscc',
      'e.licence_no',
      'k.name as county',
      'k.position as county_position',
    ])
    .where('f.campaign_id', '=', campaignId)
    .orderBy('k.position')
    .orderBy('e.name')
    .orderBy('f.id')
    .execute();
}

export function findFiling(db: DbOrTx, id: number): Promise<FilingListRow | undefined> {
  return db
    .selectFrom('campaign_filings as f')
    .innerJoin('regulated_entities as e', 'e.id', 'f.entity_id')
    .innerJoin('counties as k', 'k.id', 'e.county_id')
    .selectAll('f')
    .select([
      'e.name as entity_name',
      'e.uscc',
      'e.licence_no',
      'k.name as county',
      'k.position as county_position',
    ])
    .where('f.id', '=', id)
    .executeTakeFirst();
}

/** Moves a filing from the state it was read in (a conditional update: two actions cannot both win). */
export async function updateFilingFrom(
  tx: DbOrTx,
  id: number,
  from: { status: string; step_index: number },
  values: Partial<Insertable<CampaignFilingTable>>,
): Promise<boolean> {
  const r = await tx
    .updateTable('campaign_filings')
    .set(values)
    .where('id', '=', id)
    .where('status', '=', from.status)
    .where('step_index', '=', from.step_index)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertEvent(tx: DbOrTx, values: Insertable<CampaignFilingEventTable>): Promise<number> {
  const row = await tx
    .insertInto('campaign_filing_events')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export function eventsOf(db: DbOrTx, filingId: number): Promise<EventRow[]> {
  return db
    .selectFrom('campaign_filing_events')
    .selectAll()
    .where('filing_id', '=', filingId)
    .orderBy('id')
    .execute();
}

export async function insertFile(tx: DbOrTx, values: Insertable<CampaignFilingFileTable>): Promise<number> {
  const row = await tx
    .insertInto('campaign_filing_files')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export function filesOf(db: DbOrTx, filingId: number) {
  return db
    .selectFrom('campaign_filing_files')
    .select(['id', 'event_id', 'filename', 'content_type', 'size', 'sha256', 'removed', 'uploaded_at'])
    .where('filing_id', '=', filingId)
    .orderBy('id')
    .execute();
}

export function fileData(db: DbOrTx, filingId: number, fileId: number) {
  return db
    .selectFrom('campaign_filing_files')
    .select(['filename', 'content_type', 'data', 'sha256'])
    .where('filing_id', '=', filingId)
    .where('id', '=', fileId)
    .executeTakeFirst();
}
