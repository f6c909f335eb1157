import { z } from 'zod';

/**
 * The register of legal instruments: what one instrument is (level, issuer, document number),
 * whether it is still in force (the national law database's status words), what replaced or
 * amended it, and where that fact comes from.
 */

/** Levels of instruments, by their Chinese names. */
export const LEVEL_NAMES = {
  law: '法律',
  regulation: '行政法规',
  rule: '部门规章',
  local_regulation: '地方性法规',
  local_rule: '地方政府规章',
  normative: '规范性文件',
  local_normative: '地方规范性文件',
  other: '其他',
} as const;
export type Level = keyof typeof LEVEL_NAMES;
export const LEVELS = Object.keys(LEVEL_NAMES) as [Level, ...Level[]];

/**
 * Validity, by the words of the national law database (flk.npc.gov.cn: 尚未生效 / 有效 / 已修改 /
 * 已废止; legal-status.md, "Added 2026-12-02"), and 未核实 for an instrument the lists cite whose
 * status nobody has looked up yet.
 */
export const STATUS_NAMES = {
  in_force: '有效',
  amended: '已修改',
  repealed: '已废止',
  not_yet_effective: '尚未生效',
  unknown: '未核实',
} as const;
export type LegalStatus = keyof typeof STATUS_NAMES;
export const LEGAL_STATUSES = Object.keys(STATUS_NAMES) as [LegalStatus, ...LegalStatus[]];

/** Other words sources use for a status (an import maps them by label). */
const STATUS_SYNONYMS: Record<string, LegalStatus> = {
  现行有效: 'in_force',
  失效: 'repealed',
  废止: 'repealed',
  已失效: 'repealed',
  修改: 'amended',
  已修正: 'amended',
  已修订: 'amended',
  未生效: 'not_yet_effective',
};

/** The status a label or code stands for, or null. */
export function statusOfLabel(value: string): LegalStatus | null {
  const v = value.trim();
  if ((LEGAL_STATUSES as readonly string[]).includes(v)) return v as LegalStatus;
  for (const [code, label] of Object.entries(STATUS_NAMES)) if (label === v) return code as LegalStatus;
  return STATUS_SYNONYMS[v] ?? null;
}

/** The level a label or code stands for, or null. */
export function levelOfLabel(value: string): Level | null {
  const v = value.trim();
  if ((LEVELS as readonly string[]).includes(v)) return v as Level;
  for (const [code, label] of Object.entries(LEVEL_NAMES)) if (label === v) return code as Level;
  return null;
}

export const RELATION_NAMES = { replaced: '替代', amended: '修改' } as const;
export type SuccessorRelation = keyof typeof RELATION_NAMES;

/** A date as sources give it: a year, a month or a day. */
export const PartialDate = z
  .string()
  .trim()
  .regex(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/, '日期请写成 YYYY、YYYY-MM 或 YYYY-MM-DD');

const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label}不能超过 ${max} 个字符`)
    .nullish()
    .transform((v) => (v ? v : null));

const optionalDate = PartialDate.nullish()
  .or(z.literal(''))
  .transform((v) => (v ? v : null));

/**
 * One instrument as an admin imports it (a CSV row or a JSON object). Status and level take the
 * Chinese label (有效, 部门规章) or the code; the successor is named by its title.
 */
export const InstrumentInput = z.object({
  title: z.string().trim().min(1, '名称不能为空').max(300, '名称不能超过 300 个字符'),
  level: z
    .string()
    .trim()
    .transform((v, ctx) => {
      const l = levelOfLabel(v);
      if (!l)
        ctx.addIssue({
          code: 'custom',
          message: `效力级别“${v}”无法识别：请填写 ${Object.values(LEVEL_NAMES).join('、')}`,
        });
      return l ?? 'other';
    }),
  status: z
    .string()
    .trim()
    .transform((v, ctx) => {
      const s = statusOfLabel(v);
      if (!s)
        ctx.addIssue({
          code: 'custom',
          message: `时效性“${v}”无法识别：请填写 有效、已修改、已废止、尚未生效 或 未核实`,
        });
      return s ?? 'unknown';
    }),
  issuer: optionalText('制定机关', 200),
  docNumber: optionalText('文号', 100),
  promulgatedOn: optionalDate,
  effectiveOn: optionalDate,
  statusDate: optionalDate,
  successor: optionalText('替代或修改它的文件', 300),
  successorRelation: z
    .enum(['replaced', 'amended', '替代', '修改', ''])
    .nullish()
    .transform((v) => (v === '替代' ? 'replaced' : v === '修改' ? 'amended' : v ? v : null)),
  successorText: optionalText('替代或修改情况', 300),
  affectsLists: z
    .union([z.boolean(), z.enum(['1', '0', 'true', 'false', '是', '否', ''])])
    .nullish()
    .transform((v) => v === true || v === '1' || v === 'true' || v === '是'),
  note: optionalText('说明', 1000),
  source: z.string().trim().min(1, '请填写信息来源（网址或文件）').max(1000, '信息来源不能超过 1000 个字符'),
  sourceCheckedOn: optionalDate,
  confirmed: z
    .union([z.boolean(), z.enum(['1', '0', 'true', 'false', '是', '否', ''])])
    .nullish()
    .transform((v) => v === true || v === '1' || v === 'true' || v === '是'),
  aliases: z
    .union([z.array(z.string()), z.string()])
    .nullish()
    .transform((v) => splitList(v)),
  subjects: z
    .union([z.array(z.string()), z.string()])
    .nullish()
    .transform((v) => splitList(v)),
});
export type InstrumentInput = z.output<typeof InstrumentInput>;

function splitList(v: string[] | string | null | undefined): string[] {
  const list = Array.isArray(v) ? v : (v ?? '').split(/[、;；|]/);
  return [...new Set(list.map((x) => x.trim()).filter(Boolean))];
}

/** The seed file (legal-instruments.seed.json): the facts of legal-status.md with their sources. */
export const SeedFile = z.object({
  $comment: z.string(),
  instruments: z.array(
    z.object({
      title: z.string().min(1),
      aliases: z.array(z.string()),
      subjects: z.array(z.object({ term: z.string().min(1), line: z.number().int().positive() })),
      level: z.enum(LEVELS),
      issuer: z.string().nullable(),
      docNumber: z.string().nullable(),
      status: z.enum(LEGAL_STATUSES),
      promulgatedOn: PartialDate.nullable(),
      effectiveOn: PartialDate.nullable(),
      statusDate: PartialDate.nullable(),
      successor: z.string().nullable(),
      successorRelation: z.enum(['replaced', 'amended']).nullable(),
      successorText: z.string().nullable(),
      affectsLists: z.boolean(),
      note: z.string().nullable(),
      sources: z.array(z.string().min(1)).min(1),
      checkedOn: PartialDate.nullable(),
      /** The line of data-bundled/source.txt where the lists cite it (null: cited by none). */
      citedAt: z.number().int().positive().nullable(),
    }),
  ),
});
export type SeedFile = z.infer<typeof SeedFile>;

const InstrumentRef = z.object({ id: z.number().int(), title: z.string() });

/** An instrument as the API and the pages show it. */
export const LegalInstrument = z.object({
  id: z.number().int(),
  title: z.string().describe('Official title (without 《》)'),
  aliases: z.array(z.string()).describe('Other titles the lists cite it by'),
  subjects: z.array(z.string()).describe('Subject words that tie records not citing it by title to it'),
  level: z.enum(LEVELS),
  levelName: z.string().describe('法律 / 行政法规 / 部门规章 / …'),
  issuer: z.string().nullable(),
  docNumber: z.string().nullable().describe('Document number, e.g. 国务院令第307号'),
  status: z.enum(LEGAL_STATUSES),
  statusName: z.string().describe('有效 / 已修改 / 已废止 / 尚未生效 / 未核实'),
  promulgatedOn: z.string().nullable(),
  effectiveOn: z.string().nullable(),
  statusDate: z
    .string()
    .nullable()
    .describe('When the current status (repeal, amendment, transfer) took effect'),
  successor: InstrumentRef.nullable().describe('The instrument that replaced or amended it'),
  successorRelation: z.enum(['replaced', 'amended']).nullable(),
  successorText: z.string().nullable().describe('The successor as written when it is not in the register'),
  affectsLists: z.boolean().describe('True when records citing it must be adjusted'),
  note: z.string().nullable(),
  source: z.string().describe('Where the status fact comes from'),
  sourceCheckedOn: z.string().nullable(),
  confirmed: z.boolean().describe('False until checked against the official publication'),
  flag: z.string().nullable().describe('The warning a citing record shows (null when none)'),
});
export type LegalInstrumentOut = z.infer<typeof LegalInstrument>;

/** A warning on a record that cites (or concerns) an instrument that is repealed or changed. */
export const LegalFlag = z.object({
  instrumentId: z.number().int(),
  title: z.string().describe('Official title of the instrument'),
  status: z.enum(LEGAL_STATUSES),
  statusDate: z.string().nullable(),
  successor: z.string().nullable(),
  link: z
    .enum(['cites', 'concerns'])
    .describe('cites: names it in 《》 or by document number; concerns: by subject'),
  message: z
    .string()
    .describe('e.g. 依据《中华人民共和国外资企业法》已于2020-01-01废止，由《中华人民共和国外商投资法》替代'),
});
export type LegalFlagOut = z.infer<typeof LegalFlag>;
