import { z } from 'zod';
import { dbId } from '../../http/params.ts';
import { LegalFlag } from './legal/legal.schema.ts';

/** Output shapes of the registry API: the fields that leave the server, documented one by one. */

/** Warnings of a record citing a repealed or changed instrument (the register of legal instruments). */
const legalFlags = z
  .array(LegalFlag)
  .optional()
  .describe('One warning per repealed or changed instrument the record cites or concerns');

export const SourceRef = z
  .object({
    documentId: z.number().int().nullable().describe('Source document id (GET /api/v1/sources/{id})'),
    lineStart: z.number().int().nullable().describe('First line in the source document (1-based)'),
    lineEnd: z.number().int().nullable().describe('Last line in the source document (inclusive)'),
  })
  .describe('Provenance: where in the published document this record stands');

export const Revision = z
  .object({
    version: z.number().int().describe('The version that made the record what it is now'),
    effectiveDate: z.string().describe('Its effective date (YYYY-MM-DD)'),
    op: z.enum(['create', 'update']).describe('create: added by the change set; update: changed by it'),
    fields: z.array(z.string()).describe('Payload fields the change set changed'),
    changeSetId: z.number().int().nullable().describe('The change set (调整单)'),
    title: z.string().describe('Its title'),
    basis: z.string().describe('调整依据'),
    proposedBy: z.string().describe('Who proposed it (the owning office)'),
    reviewedBy: z
      .array(z.object({ step: z.string(), name: z.string() }))
      .describe('Who passed each step of the review chain'),
    publishedBy: z.string().describe('Who published it'),
    previousSource: SourceRef.nullable().describe(
      'The source lines that stated the record before the change (they no longer state its text)',
    ),
  })
  .nullable()
  .describe(
    'Provenance after edits: the change set and version that last changed or added the record; null for a record as imported',
  );

export const VersionQuery = z.object({
  version: dbId()
    .optional()
    .describe('Published version to read (default: the one in effect); see /api/v1/versions'),
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
    .optional()
    .describe('Read the lists as they stood on this China date (YYYY-MM-DD, not after today)'),
});

export const PageQuery = VersionQuery.extend({
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('Page size (1–500)'),
  offset: z.coerce.number().int().min(0).default(0).describe('Number of records to skip'),
});

export function pageOf<T extends z.ZodTypeAny>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int().describe('Records matching the filter'),
    limit: z.number().int(),
    offset: z.number().int(),
  });
}

export const Department = z.object({
  id: z.number().int(),
  name: z.string().describe('Canonical name'),
  aliases: z.array(z.string()).describe('Other ways the document writes this department'),
  position: z.number().int(),
});

export const OfficeRef = z.object({ id: z.number().int(), name: z.string() });

export const WorkItemBrief = z.object({
  id: z.number().int(),
  dutyId: z.number().int(),
  dutySeq: z.number().int().describe('Number of the duty (主要职责) the item belongs to'),
  position: z.number().int(),
  text: z.string(),
});

export const ServiceBrief = z.object({
  id: z.number().int(),
  seq: z.number().int(),
  name: z.string(),
  phones: z.array(z.string()),
});

export const Office = z.object({
  id: z.number().int(),
  departmentId: z.number().int(),
  department: z.string(),
  name: z.string().describe('Canonical office name (内设科室)'),
  aliases: z.array(z.string()),
  isGroup: z.boolean().describe('True for a group such as 各业务科室'),
  members: z.array(OfficeRef).describe('Offices a group stands for (empty for an office)'),
  workItems: z.array(WorkItemBrief).describe('Work items naming this office (directly, not via a group)'),
  services: z.array(ServiceBrief),
  source: SourceRef,
  revision: Revision,
});

export const WorkItem = z.object({
  id: z.number().int(),
  dutyId: z.number().int(),
  dutySeq: z.number().int(),
  departmentId: z.number().int(),
  position: z.number().int(),
  text: z.string().describe('具体工作事项, as published'),
  officeText: z.string().describe('责任科室 cell as published'),
  offices: z.array(OfficeRef),
  remark: z.string().nullable(),
  legalFlags,
  source: SourceRef,
  revision: Revision,
});

export const Duty = z.object({
  id: z.number().int(),
  departmentId: z.number().int(),
  department: z.string(),
  seq: z.number().int(),
  text: z.string().describe('主要职责, as published'),
  items: z.array(WorkItem),
  legalFlags,
  source: SourceRef,
  revision: Revision,
});

export const Share = z.object({
  id: z.number().int(),
  position: z.number().int(),
  departmentId: z.number().int(),
  department: z.string().describe('Canonical department name'),
  departmentText: z.string().describe('相关部门 as written in the document'),
  text: z.string().describe('职责分工'),
  source: SourceRef,
  revision: Revision,
});

export const LegalBasis = z.object({
  id: z.number().int(),
  position: z.number().int(),
  text: z.string(),
  docNumber: z
    .string()
    .nullable()
    .describe('Document number such as 商秩函〔2010〕739号, when the citation has one'),
  source: SourceRef,
});

export const Case = z.object({
  id: z.number().int(),
  position: z.number().int(),
  text: z.string(),
  source: SourceRef,
});

export const BoundaryMatter = z.object({
  id: z.number().int(),
  departmentId: z.number().int().describe('Department whose list this is'),
  department: z.string(),
  seq: z.number().int(),
  name: z.string().describe('管理事项'),
  shares: z.array(Share),
  legalBases: z.array(LegalBasis),
  cases: z.array(Case),
  legalFlags,
  source: SourceRef,
});

export const RegimeSection = z.object({
  position: z.number().int(),
  heading: z.string(),
  kinds: z.array(z.enum(['objects', 'contents', 'methods', 'measures', 'procedure', 'handling'])),
  body: z.string(),
  source: SourceRef,
});

export const Regime = z.object({
  id: z.number().int(),
  departmentId: z.number().int(),
  department: z.string(),
  seq: z.number().int().describe('Order of the regime in the document'),
  label: z.string().nullable().describe('Number as printed, if any'),
  title: z.string(),
  intro: z.string().nullable(),
  sections: z.array(RegimeSection),
  checkItems: z.array(z.object({ position: z.number().int(), text: z.string(), source: SourceRef })),
  legalFlags,
  source: SourceRef,
});

export const Service = z.object({
  id: z.number().int(),
  departmentId: z.number().int(),
  department: z.string(),
  seq: z.number().int(),
  name: z.string().describe('服务事项'),
  content: z.string().describe('主要内容'),
  officeText: z.string().describe('承办机构 as published'),
  offices: z.array(OfficeRef),
  phones: z.array(z.string()),
  legalFlags,
  source: SourceRef,
  revision: Revision,
});

export const Stats = z.object({
  departments: z.number().int(),
  offices: z.number().int(),
  duties: z.number().int(),
  workItems: z.number().int(),
  boundaryMatters: z.number().int(),
  shares: z.number().int(),
  legalBases: z.number().int(),
  regimes: z.number().int(),
  services: z.number().int(),
});

export type DepartmentOut = z.infer<typeof Department>;
export type OfficeOut = z.infer<typeof Office>;
export type WorkItemOut = z.infer<typeof WorkItem>;
export type DutyOut = z.infer<typeof Duty>;
export type BoundaryMatterOut = z.infer<typeof BoundaryMatter>;
export type RegimeOut = z.infer<typeof Regime>;
export type ServiceOut = z.infer<typeof Service>;
export type PageOut<T> = { items: T[]; total: number; limit: number; offset: number };

/** Records per kind: what a document contains, or what the registry holds. */
export interface ImportCounts {
  departments: number;
  offices: number;
  duties: number;
  workItems: number;
  boundaryMatters: number;
  shares: number;
  legalBases: number;
  regimes: number;
  services: number;
}
