import { z } from 'zod';

/** Input and output shapes of the search API, documented field by field. */

export const QueryText = z
  .string({ error: '请输入要查询的内容（参数 q）' })
  .trim()
  .min(1, '查询内容不能为空')
  .max(200, '查询内容不能超过 200 个字')
  .describe('Question or keywords in Chinese, 1–200 characters');

export const SearchQuery = z.object({
  q: QueryText,
  limit: z.coerce
    .number({ error: '每类结果条数必须是数字' })
    .int('每类结果条数必须是整数')
    .min(1, '每类结果条数至少为 1')
    .max(50, '每类结果条数最多为 50')
    .default(10)
    .describe('Hits returned per kind (1–50); counts always cover all hits'),
});

export const ResolveQuery = z.object({ q: QueryText });

export const SearchKindEnum = z
  .enum(['workItem', 'duty', 'share', 'case', 'regime', 'service'])
  .describe(
    'workItem 具体工作事项, duty 主要职责, share 职责分工, case 案例, regime 事中事后监管制度, service 公共服务事项',
  );

export const SearchHit = z.object({
  kind: SearchKindEnum,
  id: z.number().int().describe('Record id in its table'),
  title: z.string().describe('Short title for the result list'),
  snippet: z
    .array(
      z.object({ text: z.string(), match: z.boolean().describe('True for text that matches the query') }),
    )
    .describe('Excerpt as segments, matches flagged (no HTML)'),
  department: z.string().describe('Canonical department name'),
  office: z.string().nullable().describe('Responsible office named by the record, if any'),
  url: z.string().describe('Portal page of the record'),
  score: z.number().describe('Relevance, higher is better'),
});

export const SearchResultOut = z.object({
  query: z.string(),
  tokens: z
    .array(z.string())
    .describe('Words the query was reduced to, with canonical terms from the synonym table'),
  total: z.number().int().describe('Hits over all kinds'),
  counts: z.record(SearchKindEnum, z.number().int()).describe('Hits per kind, including kinds with none'),
  groups: z
    .array(z.object({ kind: SearchKindEnum, label: z.string(), hits: z.array(SearchHit) }))
    .describe('Non-empty groups, the group with the best hit first; hits best first'),
});

export const ResolveAnswerOut = z.object({
  department: z
    .string()
    .describe('Canonical department name as stored (e.g. 衡水市商务局, 市市场监督管理局)'),
  office: z.string().nullable().describe('Office inside the department, from its duty list, if it has one'),
  phone: z.string().nullable().describe('Phone of the office from the public services list, if published'),
  reason: z.string().describe('Why: the sentence of the lists that assigns the matter'),
  source: z.object({
    type: z.string().describe('workItem, duty, share, case, regime or service'),
    id: z.union([z.string(), z.number()]).describe('Record id'),
    url: z.string().describe('Portal page of the record'),
  }),
});

export const ResolveOut = z.object({
  answers: z.array(ResolveAnswerOut).max(5).describe('Best first, at most 5; empty when nothing fits'),
  noMatch: z
    .object({ message: z.string(), hotline: z.string() })
    .nullable()
    .describe('Set when nothing fits: points to the 12345 hotline instead of guessing'),
  referral: z
    .object({ topic: z.string(), goesTo: z.string() })
    .optional()
    .describe(
      'With noMatch, for a matter outside these lists that general knowledge places (社保, 户口, 医保 …): where such matters usually go',
    ),
  confidence: z
    .object({
      level: z.enum(['high', 'medium', 'low']),
      label: z.string().describe('较确定 / 可能 / 不确定'),
      margin: z
        .number()
        .describe("The first answer's lead over the next department's, as a share of its score"),
      coverage: z.number().describe("Share of the question the first answer's record covers"),
    })
    .optional()
    .describe('With answers: how sure the first answer is (thresholds calibrated on the dev questions)'),
  shared: z
    .object({
      matter: z.string().describe('The boundary matter'),
      url: z.string(),
      roles: z.array(
        z.object({ department: z.string(), does: z.string().describe('Its share, as written') }),
      ),
    })
    .optional()
    .describe('When answered departments share a boundary matter: what each of them does there'),
  complaint: z
    .object({
      phone: z.string().describe('The complaint line, e.g. 12312'),
      service: z.string().describe('The public service that takes complaints'),
      office: z.string().nullable(),
      department: z.string(),
      url: z.string(),
    })
    .optional()
    .describe("A complaint about a matter of a department's lists: that department's complaint line"),
});
