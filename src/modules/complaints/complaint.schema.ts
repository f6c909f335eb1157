import { z } from 'zod';
import { isCalendarDate } from '../../lib/china-time.ts';
import { validateUscc } from '../../lib/uscc.ts';
import { KIND_NAME, KINDS } from './complaint.clocks.ts';

/**
 * The inputs of the complaints module, one Zod declaration each, with the Chinese messages people
 * read. The public form, the operator form, the staff API and Open311 all go through `Intake`, so
 * the same rules hold on every channel. `fieldErrors` turns a refusal into one message per field,
 * shown beside the field on a re-rendered form.
 */

/** The consent text the person accepts; its version is stored with the ticket. */
export const CONSENT_VERSION = '2026-12';
export const CONSENT_TEXT =
  '我确认所填内容属实。我同意衡水市商务局为办理本件收集和使用我填写的信息：姓名和电话只向受理和承办人员显示，不对外公开；办结后按保存期限删除。匿名举报无法收到答复。';

export const CHANNELS = ['web', 'phone', 'api', 'open311'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_NAME: Record<Channel, string> = {
  web: '网上填报',
  phone: '电话（12312）',
  api: '系统推送（如12345平台）',
  open311: 'Open311 接口',
};

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label}最多${max}个字`)
    .optional()
    .transform((v) => (v ? v : null));

/** A phone number as people write it: 7–20 characters of digits, spaces, +, - and brackets. */
export const Phone = z
  .string()
  .trim()
  .transform((v) => v.replace(/[\s()（）-]/g, ''))
  .refine((v) => /^\+?\d{7,15}$/.test(v), '电话号码格式不正确，请填写手机号或带区号的固定电话');

export const Intake = z
  .object({
    kind: z.enum(KINDS, { error: `请选择类型：${KINDS.map((k) => KIND_NAME[k]).join('、')}` }),
    description: z
      .string({ error: '请填写发生了什么' })
      .trim()
      .min(10, '请至少用10个字说明发生了什么')
      .max(2000, '情况说明最多2000字'),
    businessName: optionalText(100, '经营者名称'),
    businessUscc: z
      .string()
      .trim()
      .optional()
      .transform((v, ctx) => {
        if (!v) return null;
        const r = validateUscc(v);
        if (!r.ok) {
          ctx.addIssue({ code: 'custom', message: r.reason });
          return z.NEVER;
        }
        return r.code;
      }),
    place: optionalText(200, '地点'),
    occurredOn: z
      .string()
      .trim()
      .optional()
      .transform((v, ctx) => {
        if (!v) return null;
        if (!isCalendarDate(v)) {
          ctx.addIssue({ code: 'custom', message: '日期格式应为 YYYY-MM-DD，例如 2026-03-02' });
          return z.NEVER;
        }
        return v;
      }),
    contactName: optionalText(50, '姓名'),
    contactPhone: z
      .string()
      .trim()
      .optional()
      .transform((v, ctx) => {
        if (!v) return null;
        const r = Phone.safeParse(v);
        if (!r.success) {
          ctx.addIssue({ code: 'custom', message: r.error.issues[0]!.message });
          return z.NEVER;
        }
        return r.data;
      }),
    contactEmail: z
      .string()
      .trim()
      .optional()
      .transform((v, ctx) => {
        if (!v) return null;
        if (!z.email().safeParse(v).success || v.length > 100) {
          ctx.addIssue({ code: 'custom', message: '电子邮箱格式不正确' });
          return z.NEVER;
        }
        return v;
      }),
    anonymous: z.boolean().default(false),
    consent: z.literal(true, { error: '请阅读并勾选同意说明后再提交' }),
    serviceCode: optionalText(40, '服务代码'),
    externalRef: optionalText(60, '外部工单号'),
  })
  .superRefine((v, ctx) => {
    if (v.anonymous && v.kind !== 'report') {
      ctx.addIssue({
        code: 'custom',
        path: ['anonymous'],
        message: '只有举报可以匿名；投诉、申诉和咨询需要联系方式以便答复',
      });
    }
    if (v.anonymous) return;
    if (!v.contactName)
      ctx.addIssue({ code: 'custom', path: ['contactName'], message: '请填写姓名（匿名举报除外）' });
    if (!v.contactPhone) {
      ctx.addIssue({
        code: 'custom',
        path: ['contactPhone'],
        message: '请填写联系电话（匿名举报除外），以便告知办理结果',
      });
    }
  });
export type IntakeInput = z.input<typeof Intake>;
export type IntakeValues = z.output<typeof Intake>;

/** One message per field of a refused input (the first), keyed by the field's name. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '_');
    out[key] ??= issue.message;
  }
  return out;
}

/** A reason people must give (不予受理, 退回, 延期, corrections): 2–500 characters. */
export const Reason = (what: string) =>
  z
    .string({ error: `请填写${what}` })
    .trim()
    .min(2, `请填写${what}`)
    .max(500, `${what}最多500字`);

export const SATISFACTIONS = ['satisfied', 'basically', 'dissatisfied'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];
export const SATISFACTION_NAME: Record<Satisfaction, string> = {
  satisfied: '满意',
  basically: '基本满意',
  dissatisfied: '不满意',
};

export const Rating = z
  .object({
    satisfaction: z.enum(SATISFACTIONS, { error: '请选择满意、基本满意或不满意' }),
    comment: z.string().trim().max(500, '意见最多500字').optional().default(''),
  })
  .superRefine((v, ctx) => {
    if (v.satisfaction === 'dissatisfied' && v.comment.length < 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['comment'],
        message: '选择“不满意”时请写明原因，我们会重新办理',
      });
    }
  });

/** The written reply that closes a ticket. */
export const ReplyInput = z
  .object({
    outcome: z.enum(['resolved', 'unresolved'], { error: '请选择办理结果' }),
    docNumber: z.string().trim().max(60, '文号最多60个字').optional().default(''),
    body: z.string().trim().min(10, '答复内容至少10个字').max(5000, '答复内容最多5000字'),
    reason: z.string().trim().max(500, '原因最多500字').optional().default(''),
  })
  .superRefine((v, ctx) => {
    if (v.docNumber === '')
      ctx.addIssue({ code: 'custom', path: ['docNumber'], message: '书面答复须有文号' });
    if (v.outcome === 'unresolved' && v.reason.length < 2) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: '“已办结-未解决”须写明未能解决的原因' });
    }
  });
