import { z } from 'zod';
import { codesOf } from '../../../lib/codes.ts';
import { CAMPAIGNS } from './campaign.config.ts';
import { FILING_ACTION_NAME, FILING_STATUS_NAME } from './campaign.logic.ts';

/** Inputs and outputs of the campaign API, documented field by field. */

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 年-月-日')
  .describe('China date, YYYY-MM-DD');
export const FILING_STATUSES = codesOf(FILING_STATUS_NAME);
export const FILING_ACTIONS = codesOf(FILING_ACTION_NAME);
const DEFINITION_KEYS = CAMPAIGNS.map((c) => c.key) as [string, ...string[]];

export const IdParam = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });

export const OpenCampaignBody = z.object({
  definition: z
    .enum(DEFINITION_KEYS)
    .describe('The campaign definition (campaign.config.ts), e.g. refined-oil-annual'),
  year: z.number().int().min(2000).max(2100),
  noticeDate: date.describe('Date of the notice (年检通知 …), checked against the regime’s due day'),
  noticeText: z.string().trim().min(1, '请填写通知正文').max(20000),
  filingDeadline: date.nullable().optional().describe('The last day enterprises may file'),
  basisReason: z
    .string()
    .trim()
    .max(2000)
    .nullable()
    .optional()
    .describe('Required when the regime’s legal basis is stale: why the campaign still runs'),
});

export const FilingActionBody = z.object({
  action: z.enum(FILING_ACTIONS),
  reason: z
    .string()
    .trim()
    .max(2000)
    .nullable()
    .optional()
    .describe('Required for return, fail, rectification-failed'),
  on: date
    .nullable()
    .optional()
    .describe('The day the act happened (e.g. the day materials were received); today when absent'),
  form: z
    .record(z.string(), z.string().max(2000))
    .optional()
    .describe('The filed form (submit): contact, phone, summary'),
  deadline: date.nullable().optional().describe('The rectification deadline (rectify)'),
});

export const FilingOut = z.object({
  id: z.number().int(),
  campaignId: z.number().int(),
  entity: z.object({
    id: z.number().int(),
    name: z.string(),
    uscc: z.string(),
    licenceNo: z.string().nullable(),
    county: z.string(),
  }),
  track: z.object({ key: z.string(), label: z.string() }),
  status: z.enum(FILING_STATUSES),
  step: z
    .object({
      index: z.number().int(),
      key: z.string(),
      label: z.string(),
      actor: z.string(),
      since: z.string().nullable().describe('When the step began (materials received)'),
      due: z.string().nullable().describe('The step’s statutory due date, null when the document sets none'),
    })
    .nullable(),
  holder: z.string().nullable().describe('Who holds the filing now'),
  overdue: z.boolean(),
  outcomeOn: z.string().nullable(),
  outcomeReason: z.string().nullable(),
});

const Counts = z.object(
  Object.fromEntries(FILING_STATUSES.map((s) => [s, z.number().int()])) as Record<
    (typeof FILING_STATUSES)[number],
    z.ZodNumber
  >,
);

export const SummaryOut = z.object({
  total: z.number().int(),
  byStatus: Counts,
  overdue: z.number().int(),
  byCounty: z.array(Counts.extend({ county: z.string(), total: z.number().int() })),
});

export const CampaignOut = z.object({
  id: z.number().int(),
  definition: z.string(),
  regime: z.number().int(),
  year: z.number().int(),
  title: z.string(),
  status: z.enum(['open', 'closed']),
  noticeDate: z.string(),
  noticeDueBy: z
    .string()
    .nullable()
    .describe('The day the notice had to be issued by, when the regime sets one'),
  filingDeadline: z.string().nullable(),
  basisNote: z.string().nullable().describe('The stale legal basis and the current instrument, when any'),
  summary: SummaryOut,
});

export const DocumentRef = z
  .object({ id: z.number().int(), number: z.string().describe('文号') })
  .describe('An issued official document (GET /api/v1/staff/documents/{id})');

export const CampaignDetailOut = CampaignOut.extend({
  noticeDocument: DocumentRef.nullable().describe('The notice (年检通知 …) as issued'),
  filings: z.array(FilingOut),
});

export const ZoneEvaluationOut = z.object({
  rule: z.object({
    consecutiveYears: z.number().int(),
    bottomRanks: z.number().int(),
    citation: z.object({ line: z.number().int(), quote: z.string() }),
  }),
  years: z.array(z.number().int()),
  considered: z.array(z.number().int()),
  ranked: z.array(
    z.object({
      year: z.number().int(),
      zone: z.string(),
      score: z.number(),
      inCity: z.boolean(),
      rank: z.number().int(),
      of: z.number().int(),
      bottom: z.boolean(),
    }),
  ),
  recommended: z.array(
    z.object({
      zone: z.string(),
      ranks: z.array(z.object({ year: z.number().int(), rank: z.number().int(), of: z.number().int() })),
    }),
  ),
});
