import { z } from 'zod';
import { codesOf } from '../../lib/codes.ts';

/** A change set's own fields and states. What each kind of record may carry is its adapter's. */

const text = (label: string, max: number) =>
  z.string().trim().min(1, `${label}不能为空`).max(max, `${label}不能超过 ${max} 个字符`);

export const OP_NAMES = { create: '新增', update: '修改', retire: '停用' } as const;
export type ChangeOp = keyof typeof OP_NAMES;
export const OPS = codesOf(OP_NAMES);

/** The key of a changeable kind of record (its adapter's `entity`). */
export type ChangeEntity = string;

/** The states of a change set, by their Chinese names. */
export const STATUS_NAMES = {
  draft: '草稿',
  submitted: '待审核',
  returned: '已退回',
  approved: '已审核通过',
  /** Published with an effective date after today: the lists show it from that date. */
  scheduled: '待生效',
  published: '已发布',
  withdrawn: '已撤回',
} as const;
export type ChangeStatus = keyof typeof STATUS_NAMES;
export const STATUSES = codesOf(STATUS_NAMES);

/** The title and 调整依据 of a change set (creating it, or editing it while it is a draft or returned). */
export const ChangeSetInput = z.object({
  title: text('标题', 200),
  reason: text('调整依据', 2000),
});
export type ChangeSetInput = z.infer<typeof ChangeSetInput>;
