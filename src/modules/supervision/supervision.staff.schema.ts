import { z } from 'zod';
import { RISK_CLASSES } from './reference/index.ts';
import { PublicPlan } from './supervision.schema.ts';

/**
 * Shapes of the staff supervision API under /api/v1/staff (bearer tokens), documented field by
 * field: the entity import, plans and their commit and draw, the inspectors' tasks and on-site
 * records, and the review of results. Requests are checked here for form; the services check the
 * content (ranges, the regime's rules, the workflow) and answer in Chinese.
 */

export const IdParam = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });

// ───────────────────────────── entities ─────────────────────────────

export const ImportQuery = z.object({
  filename: z
    .string()
    .max(200)
    .optional()
    .describe('Name of the file, for the audit entry (default entities.csv / entities.xlsx)'),
});

/** The raw bytes of the CSV (UTF-8, UTF-8 with BOM or GB18030) or XLSX body. */
export const SpreadsheetBody = z
  .custom<Buffer>((v) => Buffer.isBuffer(v), { message: '请求体应为 CSV 或 XLSX 文件' })
  .meta({
    type: 'string',
    format: 'binary',
    description:
      'The register spreadsheet, the same columns as the back office template (/admin/supervision/entities/template.csv)',
  });

export const ImportResultOut = z.object({
  rows: z.number().int().describe('Rows read (the heading not counted)'),
  created: z.number().int(),
  updated: z.number().int().describe('Codes already in the register: updated in place'),
  sha256: z.string().describe('SHA-256 of the bytes received'),
});

// ───────────────────────────── plans ─────────────────────────────

const percent = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .describe('A percentage as typed, e.g. "10" or 7.5 (at most two decimals)');

export const NewPlan = z.object({
  regimeSeq: z.number().int().describe('The regime (order in part 3, 1–15)'),
  year: z.number().int(),
  round: z.number().int().describe('Round of the year (1–99)'),
  ratioPercent: percent.describe('Sampling ratio of every class without its own ratio'),
  minInspectors: z.number().int().describe('Inspectors per task (at least the regime minimum)'),
  countyIds: z.array(z.number().int()).default([]).describe('Counties (ids); empty: all'),
  riskClasses: z
    .array(z.string())
    .default([])
    .describe('Risk classes A–D; empty: all, unclassified included'),
  belowMinReason: z.string().max(500).default('').describe('Required when a ratio is below the minimum'),
  periodStart: z.string().optional().describe('Version 2: inspection period start, YYYY-MM-DD'),
  periodEnd: z.string().optional().describe('Version 2: inspection period end, YYYY-MM-DD'),
  classRatios: z
    .partialRecord(z.enum(RISK_CLASSES), percent)
    .optional()
    .describe('Version 2: ratios of single risk classes, e.g. {"D":"100","C":"100","B":"5","A":"2"}'),
  yearlyCap: z
    .number()
    .int()
    .optional()
    .describe('Version 2: checks per entity per year at which it is left out'),
  inspectorScope: z
    .enum(['own-county', 'any'])
    .optional()
    .describe('Version 2: 属地 (default) or any county'),
  witnessSource: z
    .string()
    .optional()
    .describe(
      'Version 2: the witness source id (draw/witness-sources.ts, e.g. cwl-ssq); makes the plan version 2',
    ),
  witnessReference: z.string().optional().describe('Version 2: which draw of the source (期号 or round)'),
  plannedDrawAt: z
    .string()
    .optional()
    .describe('Version 2: when the witness becomes public, Beijing time YYYY-MM-DDTHH:MM[:SS]'),
});

export const PLAN_STATUS_CODES = ['draft', 'committed', 'drawn', 'cancelled', 'targeted'] as const;

export const StaffPlan = PublicPlan.extend({
  status: z.enum(PLAN_STATUS_CODES),
  statusName: z.string(),
  createdBy: z.string().describe('Username of the author'),
  createdAt: z.string(),
  exclusions: z
    .array(
      z.object({
        uscc: z.string(),
        name: z.string(),
        county: z.string(),
        checks: z.number().int().describe('Checks this year when the plan was committed'),
      }),
    )
    .describe('Version 2: entities left out at the yearly cap (listed in the commitment)'),
});

export const DrawBody = z.object({
  witness: z
    .string()
    .max(500)
    .describe(
      'The witness value as published (normalised by the committed rule: spaces, full-width digits…)',
    ),
});

// ───────────────────────────── tasks and records ─────────────────────────────

export const TasksQuery = z.object({
  mine: z
    .enum(['0', '1'])
    .optional()
    .describe('1: only the tasks the token’s user is assigned to as an inspector'),
  plan: z.coerce.number().int().positive().optional().describe('Only the tasks of this plan'),
});

const Due = z
  .object({
    date: z.string().describe('YYYY-MM-DD (China)'),
    source: z.string().describe('Where the date comes from, in Chinese'),
    fromPlan: z.boolean(),
  })
  .nullable();

const TaskInspectorOut = z.object({
  inspectorId: z.number().int(),
  certificate: z.string(),
  name: z.string(),
  position: z.number().int(),
});

export const TaskItem = z.object({
  id: z.number().int(),
  planId: z.number().int(),
  planTitle: z.string(),
  position: z.number().int(),
  uscc: z.string(),
  name: z.string(),
  county: z.string(),
  address: z.string().nullable(),
  licenceNo: z.string().nullable(),
  inspectors: z.array(TaskInspectorOut),
  due: Due,
  daysLeft: z.number().int().nullable().describe('Days from today to the due date (negative when past)'),
  inspectionId: z.number().int().nullable().describe('The record / result id, null before the first save'),
  status: z
    .string()
    .nullable()
    .describe('draft | pending | returned | published | withdrawn; null: not started'),
  statusName: z.string(),
  open: z.boolean().describe('Still waiting for the inspectors'),
});

export const TaskList = z.object({
  own: z
    .object({ id: z.number().int(), certificateNo: z.string() })
    .nullable()
    .describe('The token user’s entry in the inspector register'),
  items: z.array(TaskItem),
});

const ANSWERS = ['compliant', 'non-compliant', 'not-applicable'] as const;

export const TaskDetail = z.object({
  task: z.object({
    id: z.number().int(),
    planId: z.number().int(),
    planTitle: z.string(),
    regimeSeq: z.number().int(),
    position: z.number().int(),
    uscc: z.string(),
    name: z.string(),
    county: z.string(),
  }),
  entity: z.object({
    address: z.string().nullable(),
    licenceNo: z.string().nullable(),
    licenceValidUntil: z.string().nullable(),
    status: z.string(),
  }),
  inspectors: z.array(TaskInspectorOut),
  due: Due,
  inspection: z
    .object({
      id: z.number().int(),
      status: z.string(),
      statusName: z.string(),
      version: z.number().int().describe('Confirm names this version'),
      checkedAt: z.string().nullable().describe('UTC ISO'),
      place: z.string().nullable(),
      representative: z.string().nullable(),
      representativeRole: z.string().nullable(),
      refused: z.boolean(),
      refusalNote: z.string().nullable(),
      notes: z.string().nullable(),
      resultCode: z.string().nullable(),
      resultSummary: z.string().nullable(),
      reviewComment: z.string().nullable().describe('The reviewer’s comment when returned'),
    })
    .nullable(),
  items: z
    .array(
      z.object({
        position: z.number().int(),
        text: z.string(),
        line: z.number().int().nullable().describe('Line of the source document'),
        heading: z.boolean().describe('An introducing line, not a question (no answer)'),
        answer: z.enum(ANSWERS).nullable(),
        note: z.string().nullable(),
      }),
    )
    .describe('The checklist from the regime’s check items'),
  confirmations: z.array(
    z.object({ inspectorId: z.number().int(), version: z.number().int(), confirmedAt: z.string() }),
  ),
  attachments: z.array(
    z.object({
      id: z.number().int(),
      filename: z.string(),
      contentType: z.string(),
      size: z.number().int(),
      sha256: z.string(),
    }),
  ),
});

export const RecordBody = z.object({
  checkedAt: z.string().default('').describe('China local time YYYY-MM-DDTHH:MM (as a datetime-local field)'),
  place: z.string().default(''),
  representative: z.string().default('').describe('The checked party’s representative present'),
  representativeRole: z.string().default(''),
  refused: z.boolean().default(false).describe('The checked party refused to cooperate'),
  refusalNote: z.string().default(''),
  notes: z.string().default(''),
  resultCode: z.string().default('').describe('A result category code (GET /api/v1/supervision/results)'),
  resultSummary: z.string().default('').describe('Published with the result: never inspectors’ names'),
  answers: z
    .array(
      z.object({
        position: z.number().int(),
        answer: z.enum(ANSWERS).or(z.literal('')),
        note: z.string().default(''),
      }),
    )
    .default([])
    .describe('Answers by checklist position'),
});

export const RecordSaved = z.object({
  inspectionId: z.number().int(),
  version: z.number().int().describe('Each save counts up and clears earlier confirmations'),
});

export const ConfirmBody = z.object({
  version: z.number().int().describe('The version of the record the inspector read'),
});

export const Confirmed = z.object({
  submitted: z
    .boolean()
    .describe('true when this was the last assigned inspector: the result goes to review'),
  status: z.string(),
});

// ───────────────────────────── results ─────────────────────────────

export const ReviewBody = z.object({
  decision: z.enum(['publish', 'return']).describe('publish: 公示; return: 退回 to the inspectors'),
  comment: z.string().default('').describe('Required for a return: what to change'),
});

export const Reviewed = z.object({
  id: z.number().int(),
  status: z.string(),
  statusName: z.string(),
});

export const ReviewList = z.object({
  items: z.array(
    z.object({
      id: z.number().int(),
      taskId: z.number().int(),
      planId: z.number().int(),
      planTitle: z.string(),
      position: z.number().int(),
      uscc: z.string(),
      name: z.string(),
      status: z.string(),
      checkedOn: z.string().nullable(),
      resultCode: z.string().nullable(),
      deadline: z.string().nullable().describe('Last day to publish (20 working days from the check)'),
      mayReview: z.boolean().describe('The token’s user may review it (was not on the inspection)'),
    }),
  ),
});
