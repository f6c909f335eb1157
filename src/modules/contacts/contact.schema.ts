import { z } from 'zod';

/** The fields staff maintain of a directory entry, and the directory as it leaves the server. */

const optional = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label}不能超过${max}个字`)
    .transform((v) => (v === '' ? null : v));

/** Phones as people write them: digits, spaces, +, -, brackets; several separated by 、 or commas. */
const PHONE = /^[0-9０-９+\-－()（）\s、,，/转]{3,80}$/;

export const ContactEntryInput = z.object({
  kind: z.enum(['bureau', 'office', 'department'], { error: '通讯录条目类型无效' }),
  officeId: z.number().int().positive().nullable().default(null),
  departmentId: z.number().int().positive().nullable().default(null),
  phone: optional('电话', 80).refine((v) => v === null || PHONE.test(v), {
    message: '电话只能包含数字、空格、+、-、括号，多个号码用“、”分隔',
  }),
  address: optional('地址', 200),
  hours: optional('办公时间', 200),
  note: optional('说明', 300),
  source: optional('信息来源', 300),
});
export type ContactEntryInput = z.input<typeof ContactEntryInput>;

export const PhoneOut = z.object({
  phone: z.string().describe('As published, e.g. 2150507 (Hengshui numbers without the area code 0318)'),
  tel: z.string().nullable().describe('The tel: link target, e.g. tel:+86-318-2150507'),
  source: z.string().describe('Where the number comes from, in Chinese'),
  sourceUrl: z.string().nullable().describe('The record it comes from (a public service of part 4)'),
});

const Maintained = {
  address: z.string().nullable(),
  hours: z.string().nullable().describe('Office hours as staff wrote them'),
  note: z.string().nullable(),
  source: z.string().nullable().describe('Where staff took the address / hours / phone from'),
  updatedAt: z.string().nullable(),
};

export const DirectoryOut = z.object({
  bureau: z.object({
    departmentId: z.number().int().nullable(),
    name: z.string(),
    phones: z.array(PhoneOut),
    ...Maintained,
  }),
  hotlines: z.array(
    PhoneOut.extend({ name: z.string(), use: z.string().describe('What to call it for, in Chinese') }),
  ),
  offices: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      phones: z.array(PhoneOut).describe('From part 4 of the document first, then what staff registered'),
      ...Maintained,
    }),
  ),
  departments: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      phones: z.array(PhoneOut),
      ...Maintained,
    }),
  ),
});
export type Directory = z.infer<typeof DirectoryOut>;
export type PhoneOut = z.infer<typeof PhoneOut>;
