import { type Database, nowIso } from '../src/db/database.ts';
import type { SessionUser } from '../src/modules/auth/auth.service.ts';
import { actOnFiling, openCampaign } from '../src/modules/supervision/campaigns/campaign.service.ts';
import {
  createOversightCheck,
  issueOversightNotice,
  recordFindings,
  recordReceipt,
  requestReview,
} from '../src/modules/supervision/oversight/oversight.service.ts';
import { makeUscc } from './supervision-helpers.ts';

/**
 * Fresh campaign and oversight records for the authorisation matrices: each call makes its own,
 * in the state the row needs, through the services (the matrices test the routes, not these).
 */

let serial = 0;
let year = 2040;

async function entity(database: Database, category: string, name: string): Promise<number> {
  serial += 1;
  const db = database.db;
  const c = await db
    .selectFrom('counties')
    .select('id')
    .where('name', '=', '桃城区')
    .executeTakeFirstOrThrow();
  const now = nowIso();
  const row = await db
    .insertInto('regulated_entities')
    .values({
      name: `${name}${serial}`,
      uscc: makeUscc(900_000 + serial),
      county_id: c.id,
      licence_no: null,
      licence_valid_from: null,
      licence_valid_until: null,
      status: 'active',
      risk_class: null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('regulated_entity_categories')
    .values({ entity_id: row.id, category_code: category })
    .execute();
  return row.id;
}

/** The next unused campaign year (a campaign is unique per definition and year). */
export const nextCampaignYear = () => year++;

/**
 * A 成品油年检 campaign of a fresh year covering one fresh retailer; its filing, optionally already
 * submitted with a PDF attachment (for the download row).
 */
export async function campaignFixture(
  database: Database,
  admin: SessionUser,
  opts: { submitted?: boolean } = {},
): Promise<{ campaignId: number; filingId: number; fileId: number | null }> {
  const entityId = await entity(database, 'refined-oil-retail', '矩阵加油站');
  const y = nextCampaignYear();
  return database.db.transaction().execute(async (tx) => {
    const campaignId = await openCampaign(tx, admin, {
      definitionKey: 'refined-oil-annual',
      year: y,
      noticeDate: `${y}-01-15`,
      noticeText: '矩阵测试年检通知',
      basisReason: '矩阵测试',
    });
    const f = await tx
      .selectFrom('campaign_filings')
      .select('id')
      .where('campaign_id', '=', campaignId)
      .where('entity_id', '=', entityId)
      .executeTakeFirstOrThrow();
    let fileId: number | null = null;
    if (opts.submitted) {
      await actOnFiling(
        tx,
        { kind: 'staff', user: admin },
        f.id,
        {
          action: 'submit',
          form: { contact: '王', phone: '0318-0000000', summary: '正常' },
          files: [{ filename: '登记表.pdf', data: Buffer.from('%PDF-1.4\n% matrix\n') }],
        },
        '2026-11-02',
      );
      fileId = (
        await tx
          .selectFrom('campaign_filing_files')
          .select('id')
          .where('filing_id', '=', f.id)
          .executeTakeFirstOrThrow()
      ).id;
    }
    return { campaignId, filingId: f.id, fileId };
  });
}

let bureau = 0;

/** A county bureau in the register (one, made on first use). */
export async function bureauFixture(database: Database): Promise<number> {
  if (!bureau) bureau = await entity(database, 'county-bureau', '矩阵县商务局');
  return bureau;
}

export type OversightState = 'open' | 'findings' | 'notice' | 'received' | 'requested';

/** An oversight check of regime 2 by the two given staff, brought to `state` (dates in October 2026). */
export async function oversightFixture(
  database: Database,
  admin: SessionUser,
  staffIds: number[],
  state: OversightState,
): Promise<number> {
  const body = await bureauFixture(database);
  const today = '2026-11-20';
  return database.db.transaction().execute(async (tx) => {
    const id = await createOversightCheck(
      tx,
      admin,
      { bodyEntityId: body, regime: 2, method: 'spot', checkedOn: '2026-10-20', staffUserIds: staffIds },
      today,
    );
    if (state === 'open') return id;
    await recordFindings(tx, admin, id, '案卷缺少现场核查记录');
    if (state === 'findings') return id;
    await issueOversightNotice(
      tx,
      admin,
      id,
      {
        bodyName: '矩阵县商务局',
        facts: '案卷缺少现场核查记录',
        decision: '责令限期改正',
        execution: '补齐记录并书面报告',
        executionDeadline: '2026-11-30',
        issuer: '衡水市商务局',
        issuedOn: '2026-10-30',
      },
      today,
    );
    if (state === 'notice') return id;
    await recordReceipt(tx, admin, id, '2026-11-02', today);
    if (state === 'received') return id;
    await requestReview(tx, admin, id, '2026-11-05', '事实认定有误', today);
    return id;
  });
}
