import { ROLE_NAMES, type Role } from '../auth/index.ts';

/**
 * The review chain of 动态调整, configured per deployment (CHANGE_REVIEW_CHAIN): the owning office
 * proposes (the set's author), then each step in order — a role takes it — and passing the last
 * step publishes. A set keeps the chain it was submitted into (stored with it), so changing the
 * setting never strands a set between steps. In a chain with distinct persons nobody acts at two
 * steps of one round, and the author acts at none; a return at any step (with a reason) sends the
 * set back to its author and the next submission starts a new round.
 */

export interface ReviewStep {
  /** Stable key (ascii) of the step. */
  key: string;
  /** Chinese name shown on the buttons, the set's page and in its provenance (编办审核, …). */
  name: string;
  /** Who may take the step. Only 审核人 and 系统管理员 review or publish list changes. */
  roles: readonly Role[];
}

export interface ReviewChain {
  /** `default`, `dynamic` or `custom`. */
  name: string;
  steps: readonly ReviewStep[];
  /** Nobody acts at two steps of a round, and the author at none. */
  distinctPersons: boolean;
}

/** The roles a step may name: those allowed to review and publish at all (the ability table's). */
export const STEP_ROLES: readonly Role[] = ['admin', 'reviewer'];

/**
 * Today's workflow (docs/decisions.md §12): a reviewer other than the author approves, a reviewer
 * publishes — the same reviewer may do both.
 */
export const DEFAULT_CHAIN: ReviewChain = {
  name: 'default',
  steps: [
    { key: 'review', name: '审核', roles: ['admin', 'reviewer'] },
    { key: 'publish', name: '发布', roles: ['admin', 'reviewer'] },
  ],
  distinctPersons: false,
};

/**
 * The chain of 动态调整 as provinces prescribe it: the 编办 reviews, the legal office checks the
 * legality, the approver (the bureau's leadership, an admin account) publishes — three people.
 */
export const DYNAMIC_CHAIN: ReviewChain = {
  name: 'dynamic',
  steps: [
    { key: 'staffing', name: '编办审核', roles: ['reviewer'] },
    { key: 'legality', name: '合法性审核', roles: ['reviewer'] },
    { key: 'publish', name: '审批发布', roles: ['admin'] },
  ],
  distinctPersons: true,
};

/**
 * A chain from its setting: `default`, `dynamic`, or steps written `名称=role|role;名称=role…`
 * (at least two; the last publishes; distinct persons). Throws a message saying what to fix.
 */
export function parseReviewChain(spec: string | undefined): ReviewChain {
  const text = (spec ?? '').trim();
  if (text === '' || text === 'default') return DEFAULT_CHAIN;
  if (text === 'dynamic') return DYNAMIC_CHAIN;
  const steps = text
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((part, i): ReviewStep => {
      const [name, roles] = part.split('=').map((x) => x?.trim() ?? '');
      if (!name || !roles)
        throw new Error(`CHANGE_REVIEW_CHAIN 第 ${i + 1} 步应写成 名称=角色，例如 编办审核=reviewer`);
      const list = roles.split('|').map((r) => r.trim()) as Role[];
      for (const r of list)
        if (!STEP_ROLES.includes(r))
          throw new Error(
            `CHANGE_REVIEW_CHAIN 第 ${i + 1} 步的角色 ${r} 不可用：只能是 ${STEP_ROLES.map((x) => `${x}（${ROLE_NAMES[x]}）`).join('、')}`,
          );
      return { key: `step${i + 1}`, name, roles: list };
    });
  if (steps.length < 2) throw new Error('CHANGE_REVIEW_CHAIN 至少需要两步：审核，最后一步发布');
  return { name: 'custom', steps, distinctPersons: true };
}

/** The chain stored with a set (JSON), or the default one for sets submitted before chains existed. */
export function chainFromJson(json: string | null): ReviewChain {
  if (!json) return DEFAULT_CHAIN;
  return JSON.parse(json) as ReviewChain;
}
