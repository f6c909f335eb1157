import type { CampaignDefinition } from './campaign.config.ts';
import type { CampaignRow } from './campaign.repo.ts';
import type { CampaignSummary } from './campaign.service.ts';

/** The fields of a campaign that leave the server (public and staff alike: no enterprise data). */
export function presentCampaign(r: {
  campaign: CampaignRow;
  definition: CampaignDefinition;
  summary: CampaignSummary;
}) {
  const c = r.campaign;
  return {
    id: c.id,
    definition: c.definition_key,
    regime: c.regime_seq,
    year: c.year,
    title: c.title,
    status: c.status as 'open' | 'closed',
    noticeDate: c.notice_date,
    noticeDueBy: r.definition.notice.dueBy ? `${c.year}-${r.definition.notice.dueBy}` : null,
    filingDeadline: c.filing_deadline,
    basisNote: c.basis_note,
    summary: r.summary,
  };
}
