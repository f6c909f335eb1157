import { z } from 'zod';
import { DateText, DELIVERY_METHODS } from '../rectifications/rectification.schema.ts';
import { parseYuan } from './penalty.amount.ts';

/**
 * The inputs of penalty cases, one Zod declaration each (Chinese messages). Amounts are typed in
 * yuan ("20000", "20,000.50") and become integer fen here.
 */

const text = (what: string, min: number, max: number) =>
  z
    .string({ error: `请填写${what}` })
    .trim()
    .min(min, `请填写${what}（至少${min}个字）`)
    .max(max, `${what}最多${max}字`);

const optionalText = (what: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${what}最多${max}字`)
    .optional()
    .transform((v) => (v ? v : null));

/** Yuan as typed → fen; empty → null. */
const Yuan = (what: string) =>
  z
    .union([z.string(), z.number()])
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return null;
      const fen = parseYuan(String(v));
      if (fen === null) {
        ctx.addIssue({ code: 'custom', message: `${what}应为金额（元），最多两位小数，例如20000` });
        return z.NEVER;
      }
      return fen;
    });

const id = (what: string) =>
  z.coerce
    .number({ error: `${what}有误` })
    .int()
    .positive(`${what}有误`);
const optionalId = (what: string) =>
  z
    .union([z.literal(''), z.coerce.number().int().positive(`${what}有误`)])
    .optional()
    .transform((v) => (v === '' || v === undefined ? null : v));

const flag = z
  .union([z.boolean(), z.string()])
  .optional()
  .transform((v) => v === true || v === 'yes' || v === '1' || v === 'on');

export const NewCaseInput = z.object({
  /** The unheeded rectification order the case follows, when it does. */
  orderId: optionalId('整改通知编号'),
  entityId: id('检查对象'),
  regimeSeq: z.coerce.number({ error: '请选择监管制度' }).int().min(1).max(15),
  ruleKey: text('处罚依据', 1, 100),
  facts: text('违法事实', 4, 4000),
  violationOn: DateText('违法行为发生（终了）日期'),
  harm: z
    .enum(['ordinary', 'life-health-finance'], { error: '请选择违法行为的性质（决定追责时效）' })
    .default('ordinary'),
  illegalGainYuan: Yuan('违法所得'),
  filedOn: DateText('立案日期'),
});

export const NoticeInput = z.object({
  /** 首违不罚: no penalty, with the reason (行政处罚法 art. 33). */
  waive: flag,
  waiverReason: optionalText('不予处罚的理由', 2000),
  amountYuan: Yuan('罚款金额'),
  noticeOn: DateText('事先告知书送达日期'),
});

export const StatementInput = z.object({
  statement: text('当事人陈述、申辩的内容', 2, 4000),
  statementOn: DateText('陈述申辩日期'),
});

export const HearingRequestInput = z.object({ requestedOn: DateText('当事人提出听证要求的日期') });
export const HearingScheduleInput = z.object({
  notifiedOn: DateText('听证通知送达日期'),
  hearingOn: DateText('听证日期'),
});
export const HearingHeldInput = z.object({
  heldOn: DateText('举行听证的日期'),
  record: text('听证笔录要点', 2, 4000),
});

export const ReviewInput = z.object({
  decision: z.enum(['approve', 'return'], { error: '请选择审核意见：通过或退回' }),
  opinion: text('法制审核意见', 2, 2000),
});

export const DecisionInput = z.object({
  decisionOn: DateText('决定日期'),
  lateReason: optionalText('超过九十日作出决定的依据或批准情况', 1000),
  remedy: optionalText('复议、诉讼途径', 1000),
});

export const CaseDeliveryInput = z.object({
  method: z.enum(DELIVERY_METHODS, { error: '请选择送达方式' }),
  deliveredOn: DateText('送达日期'),
  proof: text('送达凭证（送达回证编号、邮件单号等）', 2, 500),
});

export const PublicationInput = z.object({
  publishedOn: DateText('公示日期'),
  where: text('公示位置（网站栏目或链接）', 2, 500),
});

export const PaymentInput = z.object({
  paidOn: DateText('缴款日期'),
  paidYuan: Yuan('实缴金额'),
  receipt: text('缴款凭证号', 2, 200),
});

export const SellerLinkInput = z.object({ sellerEntityId: id('售卡企业'), issuerEntityId: id('发卡企业') });
