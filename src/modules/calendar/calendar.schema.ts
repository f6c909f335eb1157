import { z } from 'zod';

/**
 * The file `zhize calendar import` reads: one State Council holiday notice as JSON (documented in
 * docs/calendar.md). Holidays are ranges (from–to, both included); make-up workdays are single days.
 *
 *   {
 *     "format": "zhize-holiday-notice/1",
 *     "year": 2026,
 *     "documentNumber": "国办发明电〔2025〕N号",
 *     "title": "国务院办公厅关于2026年部分节假日安排的通知",
 *     "publishedOn": "2025-11-04",
 *     "testFixture": false,
 *     "holidays": [{ "name": "元旦", "from": "2026-01-01", "to": "2026-01-03" }],
 *     "workdays": [{ "name": "元旦", "date": "2026-01-04" }]
 *   }
 */

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为YYYY-MM-DD');
const name = z.string().trim().min(1, '请写明节日名称').max(20, '节日名称不超过20字');

export const NOTICE_FORMAT = 'zhize-holiday-notice/1';

export const NoticeFile = z.object({
  format: z.literal(NOTICE_FORMAT, { error: `format 应为 "${NOTICE_FORMAT}"` }),
  year: z.number().int().min(2000).max(2100),
  documentNumber: z
    .string()
    .trim()
    .regex(/〔\d{4}〕.*号$/, '文号应形如“国办发明电〔2025〕7号”')
    .max(60),
  title: z.string().trim().min(1).max(100).optional(),
  publishedOn: date.optional(),
  /** true for a test fixture: shown as such, never taken for the official notice. */
  testFixture: z.boolean().default(false),
  note: z.string().max(500).optional(),
  holidays: z.array(z.object({ name, from: date, to: date })).min(1, '通知至少应有一个放假安排'),
  workdays: z.array(z.object({ name, date })).default([]),
});
export type NoticeFileT = z.infer<typeof NoticeFile>;
