import { defineAbilities } from '../../auth/index.ts';
import {
  PLAN_MANAGERS,
  PLAN_READERS,
  SUPERVISION_STAFF,
  TASK_READERS,
} from '../shared/supervision.policy.ts';

/**
 * Who may do what with inspection plans (抽查计划) and their tasks. Managers (admins and reviewers:
 * the bureau's leaders) make, commit, draw and cancel plans; a ratio below a regime's minimum is
 * approved by a manager other than the plan's author (four eyes). State checks (a plan already
 * drawn) belong to the workflow's transition table (plan.workflow.ts), not here.
 */
export interface PlanTarget {
  /** The plan's author; absent before the plan exists. */
  createdById?: number;
}

export const planAbilities = defineAbilities<PlanTarget>()({
  start: { roles: SUPERVISION_STAFF, refusal: '只有本局工作人员可以进入双随机监管后台' },
  read: { roles: PLAN_READERS, refusal: '只有系统管理员、科室编辑、审核人和审计人员可以查看抽查计划' },
  create: { roles: PLAN_MANAGERS, refusal: '只有系统管理员和审核人可以制定抽查计划' },
  approveBelowMinimum: {
    roles: PLAN_MANAGERS,
    when: (u, p) => p.createdById !== undefined && u.id !== p.createdById,
    refusal: '低于规定比例的计划须由制定人以外的审核人或系统管理员批准',
  },
  commit: { roles: PLAN_MANAGERS, refusal: '只有系统管理员和审核人可以公布抽查计划' },
  draw: { roles: PLAN_MANAGERS, refusal: '只有系统管理员和审核人可以进行抽取' },
  cancel: { roles: PLAN_MANAGERS, refusal: '只有系统管理员和审核人可以取消抽查计划' },
  readTasks: { roles: TASK_READERS, refusal: '只有系统管理员、审核人、审计人员和执法人员可以查看抽查任务' },
});
