import { defineAbilities, type Role } from '../../auth/index.ts';
import type { SupervisionReach } from '../shared/reach.ts';

/**
 * Who may do what with a rectification order (decisions §18: one ability table per entity). The
 * office that owns the order's regime (rules/regime-offices.ts) runs it: its editors, and the bureau's
 * managers (admin, reviewer); the re-inspector assigned to the order records its outcome; the
 * auditor reads. An editor of another office neither sees nor changes it.
 */
export interface OrderTarget {
  reach: SupervisionReach;
  regime: number;
  handlerId: number;
  reinspectorId: number | null;
}

export const ORDER_READERS: readonly Role[] = ['admin', 'editor', 'reviewer', 'auditor', 'inspector'];
export const ORDER_MANAGERS: readonly Role[] = ['admin', 'editor', 'reviewer'];

const owns = (t: OrderTarget) => t.reach.all || t.reach.regimes.has(t.regime);

export const orderAbilities = defineAbilities<OrderTarget>()({
  read: {
    roles: ORDER_READERS,
    when: (u, t) => (u.role === 'inspector' ? t.reinspectorId === u.id || t.handlerId === u.id : owns(t)),
    refusal: '只有负责该监管制度的科室、系统管理员、审核人、审计人员和指派的复查人员可以查看这份整改通知',
  },
  create: {
    roles: ORDER_MANAGERS,
    when: (_u, t) => owns(t),
    refusal: '只有负责该监管制度的科室编辑、审核人或系统管理员可以开具责令限期整改通知',
  },
  manage: {
    roles: ORDER_MANAGERS,
    when: (_u, t) => owns(t),
    refusal: '只有负责该监管制度的科室编辑、审核人或系统管理员可以登记送达、指派复查和决定后续处理',
  },
  outcome: {
    roles: ['admin', 'editor', 'reviewer', 'inspector'],
    when: (u, t) => (u.role === 'inspector' ? t.reinspectorId === u.id : owns(t)),
    refusal: '只有指派的复查人员或负责该监管制度的科室可以登记复查结果',
  },
});
