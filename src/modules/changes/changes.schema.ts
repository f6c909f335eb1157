import { z } from 'zod';

/** What a proposed change may carry, per entity. One declaration: validation and types. */

const text = (label: string, max = 2000) =>
  z.string().trim().min(1, `${label}不能为空`).max(max, `${label}不能超过 ${max} 个字符`);

export const DutyPayload = z.object({
  seq: z.coerce.number().int().min(1, '序号必须是正整数'),
  text: text('主要职责'),
});

export const WorkItemPayload = z.object({
  dutyId: z.coerce.number().int().positive('请选择所属主要职责'),
  text: text('具体工作事项'),
  officeIds: z.array(z.coerce.number().int().positive()).min(1, '请至少选择一个责任科室'),
  remark: z.string().trim().max(500, '备注不能超过 500 个字符').nullable().default(null),
});

export const OfficePayload = z.object({
  name: text('科室名称', 100),
  aliases: z.array(z.string().trim().min(1).max(100)).default([]),
});

export const SharePayload = z.object({
  matterId: z.coerce.number().int().positive('请选择管理事项'),
  departmentId: z.coerce.number().int().positive('请选择相关部门'),
  text: text('职责分工'),
});

export const ServicePayload = z.object({
  name: text('服务事项', 200),
  content: text('主要内容'),
  officeIds: z.array(z.coerce.number().int().positive()).min(1, '请至少选择一个承办机构'),
  phones: z
    .array(
      z
        .string()
        .trim()
        .regex(/^[0-9+\-() ]{3,20}$/, '电话号码只能包含数字、+、-、括号和空格'),
    )
    .min(1, '请至少填写一个联系电话'),
});

export const ENTITIES = ['duty', 'workItem', 'office', 'share', 'service'] as const;
export type ChangeEntity = (typeof ENTITIES)[number];
export const OPS = ['create', 'update', 'retire'] as const;
export type ChangeOp = (typeof OPS)[number];

export const PAYLOADS = {
  duty: DutyPayload,
  workItem: WorkItemPayload,
  office: OfficePayload,
  share: SharePayload,
  service: ServicePayload,
} as const;

export type Payload<E extends ChangeEntity> = z.infer<(typeof PAYLOADS)[E]>;

export const ENTITY_NAMES: Record<ChangeEntity, string> = {
  duty: '主要职责',
  workItem: '具体工作事项',
  office: '内设科室',
  share: '职责分工',
  service: '公共服务事项',
};

export const OP_NAMES: Record<ChangeOp, string> = { create: '新增', update: '修改', retire: '停用' };

export const STATUSES = ['draft', 'submitted', 'returned', 'approved', 'published', 'withdrawn'] as const;
export type ChangeStatus = (typeof STATUSES)[number];

export const STATUS_NAMES: Record<ChangeStatus, string> = {
  draft: '草稿',
  submitted: '待审核',
  returned: '已退回',
  approved: '已审核通过',
  published: '已发布',
  withdrawn: '已撤回',
};

export const ChangeSetInput = z.object({
  title: text('标题', 200),
  reason: text('调整依据', 2000),
});
