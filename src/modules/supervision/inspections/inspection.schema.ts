import { z } from 'zod';
import { dbId } from '../../../http/params.ts';

/** Shapes of the public results API (GET /api/v1/supervision/results), documented field by field. */

export const ResultsQuery = z.object({
  plan: dbId().optional().describe('Plan id; all plans when absent'),
});

const Citation = z
  .object({
    source: z.string().describe('Where the words are written: a repository (owner/name) or a web page'),
    path: z.string().nullable().describe('File in the repository, null for a web page or when not recorded'),
    words: z.string().describe('The exact words there'),
    note: z.string().optional(),
  })
  .describe('Where a category or figure comes from');

export const ResultCategoryOut = z.object({
  code: z.string().describe('Stable identifier, e.g. no-problem'),
  name: z.string().describe('Chinese name as published, e.g. 未发现问题'),
  platformCode: z.string().describe("The provincial 双随机 platform's code of the category"),
  problem: z.boolean().describe('A problem was found'),
  citation: Citation,
});

export const PublicResultOut = z.object({
  planId: z.number().int(),
  planTitle: z.string(),
  position: z.number().int().describe("The task's number in the plan's task notice"),
  name: z.string().describe('The checked entity'),
  uscc: z.string().describe('Its 统一社会信用代码'),
  county: z.string(),
  checkedOn: z.string().describe('Day of the check (YYYY-MM-DD, China)'),
  result: z.object({ code: z.string(), name: z.string() }).describe('The result category'),
  summary: z.string().nullable().describe('What was found, as published (never inspectors’ names)'),
  publishedOn: z.string().describe('Day of publication (YYYY-MM-DD, China)'),
});

export const PublicWithdrawalOut = PublicResultOut.extend({
  withdrawnOn: z.string().describe('Day the result was withdrawn (YYYY-MM-DD, China)'),
  reason: z.string().describe('Why it was withdrawn, as published'),
});

export const ResultsResponse = z.object({
  plan: z.object({ id: z.number().int(), title: z.string() }).nullable().describe('The plan asked for'),
  deadline: z
    .object({
      workingDays: z.number().int(),
      from: z.string(),
      citation: Citation,
    })
    .describe('Results are published within this many working days of the check'),
  categories: z.array(ResultCategoryOut).describe('The result categories, with their sources'),
  items: z.array(PublicResultOut).describe('Published results (withdrawn ones are not among them)'),
  withdrawn: z.array(PublicWithdrawalOut).describe('Results published and later withdrawn, with the reason'),
});
