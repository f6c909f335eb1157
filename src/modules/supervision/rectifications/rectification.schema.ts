import { z } from 'zod';
import { parseInput } from '../../../http/forms.ts';
import { isCalendarDate } from '../../../lib/china-time.ts';
import { codesOf } from '../../../lib/codes.ts';
import { STEP_KINDS } from './rectification.rules.ts';

/**
 * The inputs of rectification orders, one Zod declaration each with the Chinese messages people
 * read; the pages post strings, the staff API JSON — both go through the same declaration.
 */

export const parse = parseInput;

/** A China civil date YYYY-MM-DD. */
export const DateText = (what: string) =>
  z
    .string({ error: `请填写${what}` })
    .trim()
    .refine(isCalendarDate, `${what}应为日期，格式YYYY-MM-DD（例如2026-09-28）`);

const text = (what: string, min: number, max: number) =>
  z
    .string({ error: `请填写${what}` })
    .trim()
    .min(min, `请填写${what}（至少${min}个字）`)
    .max(max, `${what}最多${max}字`);

const positiveId = (what: string) =>
  z.coerce
    .number({ error: `${what}有误` })
    .int()
    .positive(`${what}有误`);

export const NewOrderInput = z.object({
  inspectionId: positiveId('抽查结果编号'),
  findings: text('发现的问题', 4, 2000),
  requirement: text('整改要求', 4, 2000),
  /** The period; the regime's clause decides the unit (working days unless the document writes 日). */
  termAmount: z
    .union([z.literal(''), z.coerce.number().int().min(1, '整改期限至少1天').max(180, '整改期限最多180天')])
    .optional()
    .transform((v) => (v === '' || v === undefined ? undefined : v)),
  issuedOn: DateText('开具日期'),
});

export const DELIVERY_METHOD_NAME = {
  'on-site': '直接送达（当场交付）',
  post: '邮寄送达',
  electronic: '电子送达（须当事人签订确认书）',
  'left-at-address': '留置送达',
  'public-notice': '公告送达',
} as const;
export const DELIVERY_METHODS = codesOf(DELIVERY_METHOD_NAME);

export const DeliveryInput = z.object({
  method: z.enum(DELIVERY_METHODS, { error: '请选择送达方式' }),
  deliveredOn: DateText('送达日期'),
  proof: text('送达凭证（如送达回证编号、邮件单号、电子送达记录）', 2, 500),
});

export const CONSENT_CHANNEL_NAME = { email: '电子邮件', sms: '短信', platform: '政务服务平台' } as const;
export const CONSENT_CHANNELS = codesOf(CONSENT_CHANNEL_NAME);

export const ConsentInput = z.object({
  channel: z.enum(CONSENT_CHANNELS, { error: '请选择电子送达方式' }),
  address: text('电子送达地址', 3, 200),
  signedOn: DateText('签订确认书的日期'),
  proof: text('确认书编号或存档位置', 2, 500),
});

export const ReinspectorInput = z.object({ reinspectorId: positiveId('复查人员') });

export const OutcomeInput = z.object({
  outcome: z.enum(['rectified', 'overdue'], { error: '请选择复查结果' }),
  reinspectedOn: DateText('复查日期'),
  note: text('复查情况', 2, 2000),
});

export const EscalationInput = z.object({
  kind: z
    .enum(STEP_KINDS as [string, ...string[]], { error: '请选择后续处理' })
    .transform((k) => k as (typeof STEP_KINDS)[number]),
  ruleKey: text('依据', 1, 100),
  note: text('说明', 2, 2000),
});
