import { defineAbilities, type Role } from '../../auth/index.ts';
import type { SupervisionReach } from '../shared/reach.ts';

/**
 * Who may do what with a penalty case. The handler (承办人: who filed it) carries it through notice,
 * hearing, submission, delivery and payment; 法制审核 is done by a 法制审核人员 (legal_reviewer), never
 * by the case's handler (行政处罚法 art. 58 — an account that filed a case and later became a legal
 * reviewer still may not review it); the decision is taken by a bureau manager (admin, reviewer) who
 * is not the handler. Editors work only in their offices' regimes.
 */
export interface CaseTarget {
  reach: SupervisionReach;
  regime: number;
  handlerId: number;
}

export const CASE_READERS: readonly Role[] = ['admin', 'editor', 'reviewer', 'auditor', 'legal_reviewer'];
export const CASE_FILERS: readonly Role[] = ['admin', 'editor', 'reviewer'];

const owns = (t: CaseTarget) => t.reach.all || t.reach.regimes.has(t.regime);

export const caseAbilities = defineAbilities<CaseTarget>()({
  read: {
    roles: CASE_READERS,
    when: (_u, t) => owns(t),
    refusal: '只有负责该监管制度的科室、系统管理员、审核人、法制审核人员和审计人员可以查看处罚案件',
  },
  file: {
    roles: CASE_FILERS,
    when: (_u, t) => owns(t),
    refusal: '只有负责该监管制度的科室编辑、审核人或系统管理员可以立案',
  },
  handle: {
    roles: CASE_FILERS,
    when: (u, t) => u.id === t.handlerId || u.role === 'admin',
    refusal: '只有本案承办人（或系统管理员）可以办理这一步',
  },
  legalReview: {
    roles: ['legal_reviewer'],
    when: (u, t) => u.id !== t.handlerId,
    refusal: '法制审核须由法制审核人员进行，且不得由本案承办人审核',
  },
  decide: {
    roles: ['admin', 'reviewer'],
    when: (u, t) => u.id !== t.handlerId,
    refusal: '行政处罚决定须由本局负责人（审核人或系统管理员）作出，且不得由本案承办人作出',
  },
  publish: {
    roles: ['admin', 'reviewer'],
    refusal: '只有审核人或系统管理员可以登记处罚决定的公示',
  },
});
