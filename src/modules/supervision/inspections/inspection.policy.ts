import { defineAbilities, type Role } from '../../auth/index.ts';
import { PLAN_MANAGERS, TASK_READERS } from '../shared/supervision.policy.ts';

/**
 * Who may do what with a drawn task and its inspection (decisions §18: one ability table per
 * entity). The assigned inspectors — with their own accounts, linked to them in the inspector
 * register — fill in the on-site record, add attachments, confirm it and declare a conflict found
 * after the draw. A manager (admin, reviewer) who was not on the inspection reviews the result,
 * publishes it and withdraws a published one. State checks (a published record cannot be edited)
 * belong to the transition table (result.workflow.ts), not here.
 */
export interface InspectionTarget {
  /** Accounts of the inspectors now assigned to the task. */
  assignedUserIds: readonly number[];
  /** Accounts that took part in the inspection: the assigned ones and every one who confirmed a version of the record. */
  participantUserIds: readonly number[];
}

/** Who sees the results in the back office (the review list): managers and the auditor. */
export const RESULT_READERS: readonly Role[] = ['admin', 'reviewer', 'auditor'];

const assigned = (u: { id: number }, t: InspectionTarget) => t.assignedUserIds.includes(u.id);
const notOnIt = (u: { id: number }, t: InspectionTarget) => !t.participantUserIds.includes(u.id);

export const inspectionAbilities = defineAbilities<InspectionTarget>()({
  readTasks: {
    roles: TASK_READERS,
    refusal: '只有系统管理员、审核人、审计人员和执法人员可以查看抽查任务',
  },
  readTask: {
    roles: TASK_READERS,
    when: (u, t) => u.role !== 'inspector' || assigned(u, t),
    refusal: '这项抽查任务没有分配给您：执法人员只能查看自己的任务',
  },
  record: {
    roles: ['inspector'],
    when: assigned,
    refusal: '只有分配到这项任务的执法人员才能用自己的账号填写现场检查笔录',
  },
  confirm: {
    roles: ['inspector'],
    when: assigned,
    refusal: '只有分配到这项任务的执法人员才能用自己的账号确认现场检查笔录',
  },
  declareConflict: {
    roles: ['inspector'],
    when: assigned,
    refusal: '只有分配到这项任务的执法人员本人才能申报回避',
  },
  openTargeted: {
    roles: PLAN_MANAGERS,
    refusal: '只有系统管理员和审核人可以依举报安排现场检查',
  },
  readResults: {
    roles: RESULT_READERS,
    refusal: '只有系统管理员、审核人和审计人员可以查看抽查结果的审核列表',
  },
  review: {
    roles: PLAN_MANAGERS,
    when: notOnIt,
    refusal: '抽查结果须由未参加这次检查的审核人或系统管理员审核',
  },
  withdraw: {
    roles: PLAN_MANAGERS,
    when: notOnIt,
    refusal: '已公示的抽查结果只能由未参加这次检查的审核人或系统管理员撤回',
  },
});
