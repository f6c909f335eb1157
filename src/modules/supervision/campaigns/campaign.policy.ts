import { defineAbilities } from '../../auth/index.ts';
import type { SupervisionReach } from '../shared/reach.ts';
import { PLAN_MANAGERS, REGISTER_READERS } from '../shared/supervision.policy.ts';

/**
 * Who may do what with yearly campaigns (年检、年审、联合年报、开发区考核) and their filings.
 * Managers (admins and reviewers) open and close campaigns and import the zones' scores; the
 * people who handle filings — admins, reviewers and the editors of the offices whose regime the
 * campaign runs (shared/reach.ts) — record pre-reviews, decisions and outcomes, and give an
 * enterprise its filing link or one-time code. State checks (which step allows which action)
 * belong to campaign.logic.ts, not here.
 */
export interface CampaignTarget {
  regime: number;
  reach: SupervisionReach;
}

const FILING_HANDLERS = ['admin', 'reviewer', 'editor'] as const;
const ownsRegime = (t: CampaignTarget) => t.reach.all || t.reach.regimes.has(t.regime);

export const campaignAbilities = defineAbilities<CampaignTarget>()({
  read: { roles: REGISTER_READERS, refusal: '只有系统管理员、科室编辑、审核人和审计人员可以查看年度工作' },
  open: { roles: PLAN_MANAGERS, refusal: '只有系统管理员和审核人可以启动年度工作并下发通知' },
  close: { roles: PLAN_MANAGERS, refusal: '只有系统管理员和审核人可以结束年度工作' },
  importScores: { roles: PLAN_MANAGERS, refusal: '只有系统管理员和审核人可以导入开发区评价得分' },
  handle: {
    roles: FILING_HANDLERS,
    when: (_u, t) => ownsRegime(t),
    refusal: '只有系统管理员、审核人和负责该监管制度的科室编辑可以办理年检材料',
  },
  giveAccess: {
    roles: FILING_HANDLERS,
    when: (_u, t) => ownsRegime(t),
    refusal: '只有系统管理员、审核人和负责该监管制度的科室编辑可以为企业生成申报链接或验证码',
  },
});
