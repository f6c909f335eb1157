import { defineAbilities } from '../../auth/index.ts';
import type { SupervisionReach } from '../shared/reach.ts';
import { REGISTER_READERS } from '../shared/supervision.policy.ts';

/**
 * Who may do what in the oversight of county bureaus and entrusted bodies (regimes 1, 2, 10):
 * admins, reviewers and the editors of the offices that run the regime (shared/reach.ts) record
 * checks, issue the 执法监督通知（决定）书 and record the body's correction and 复查; auditors read.
 */
export interface OversightTarget {
  regime: number;
  reach: SupervisionReach;
}

const HANDLERS = ['admin', 'reviewer', 'editor'] as const;

export const oversightAbilities = defineAbilities<OversightTarget>()({
  read: {
    roles: REGISTER_READERS,
    refusal: '只有系统管理员、科室编辑、审核人和审计人员可以查看执法监督检查',
  },
  handle: {
    roles: HANDLERS,
    when: (_u, t) => t.reach.all || t.reach.regimes.has(t.regime),
    refusal: '只有系统管理员、审核人和负责该监管制度的科室编辑可以办理执法监督检查',
  },
});
