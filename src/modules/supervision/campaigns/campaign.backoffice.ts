import type { DbOrTx } from '../../../db/database.ts';
import { todayInChina } from '../../../lib/china-time.ts';
import type { BackofficeContribution, WaitingItem } from '../../../views/staff/backoffice.ts';
import type { SessionUser } from '../../auth/index.ts';
import { oversightAbilities } from '../oversight/oversight.policy.ts';
import { reachOf } from '../shared/reach.ts';
import { campaignAbilities } from './campaign.policy.ts';
import { campaignUrls, oversightUrls } from './campaign.urls.ts';

/**
 * What campaigns and oversight put on the dashboard of the people who handle them: filings past
 * their step's statutory due date (the 20 日 of the city's 年检 decision …) in the campaigns of
 * regimes the person's offices run, and 复查 requests waiting for their decision, with the due day.
 */
export async function campaignsWaiting(
  db: DbOrTx,
  user: SessionUser,
  today = todayInChina(),
): Promise<WaitingItem[]> {
  const out: WaitingItem[] = [];
  if (campaignAbilities.canRole('handle', user)) {
    const reach = await reachOf(db, user);
    const rows = await db
      .selectFrom('campaign_filings as f')
      .innerJoin('campaigns as c', 'c.id', 'f.campaign_id')
      .innerJoin('regulated_entities as e', 'e.id', 'f.entity_id')
      .select(['f.id', 'f.step_due', 'e.name', 'c.title', 'c.regime_seq'])
      .where('c.status', '=', 'open')
      .where('f.status', '=', 'open')
      .where('f.step_due', '<', today)
      .orderBy('f.step_due')
      .execute();
    const mine = rows.filter((r) => campaignAbilities.can('handle', user, { regime: r.regime_seq, reach }));
    out.push({
      label: '超过期限的年度工作申报（年检、年审等）',
      href: campaignUrls.staffList,
      count: mine.length,
      examples: mine.slice(0, 5).map((r) => ({
        label: `${r.name}（${r.title}，应于 ${r.step_due} 前）`,
        href: campaignUrls.staffFiling(r.id),
      })),
    });
  }
  if (oversightAbilities.canRole('handle', user)) {
    const reach = await reachOf(db, user);
    const rows = await db
      .selectFrom('oversight_checks as o')
      .innerJoin('oversight_notices as n', 'n.check_id', 'o.id')
      .innerJoin('regulated_entities as e', 'e.id', 'o.body_entity_id')
      .select(['o.id', 'o.regime_seq', 'n.review_due', 'e.name'])
      .where('o.status', '=', 'review-requested')
      .orderBy('n.review_due')
      .execute();
    const mine = rows.filter((r) => oversightAbilities.can('handle', user, { regime: r.regime_seq, reach }));
    out.push({
      label: '待作出复查决定的执法监督通知书',
      href: oversightUrls.list,
      count: mine.length,
      examples: mine.slice(0, 5).map((r) => ({
        label: `${r.name}（复查决定应于 ${r.review_due} 前作出${r.review_due && r.review_due < today ? '，已超期' : ''}）`,
        href: oversightUrls.check(r.id),
      })),
    });
  }
  return out;
}

/** The dashboard contribution of campaigns and oversight, on the app's clock (no navigation of its own). */
export function campaignsBackoffice(now: () => Date): BackofficeContribution<DbOrTx> {
  return {
    nav: [],
    waiting: async (db, user) =>
      (await campaignsWaiting(db, user as SessionUser, todayInChina(now().getTime()))).filter(
        (w) => w.count > 0,
      ),
  };
}
