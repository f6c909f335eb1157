import type { CsvColumn } from '../notices/notices.downloads.ts';
import { chinaDateOf } from './due.ts';
import type { ResultRow } from './inspection.repo.ts';
import { resultCategory } from './result.categories.ts';

/**
 * What leaves the server about results (never raw rows): the public 抽查结果公告 lists the entity,
 * the day of the check, the result category and its explanation, and when it was published —
 * never an inspector's name or certificate. The CSV is one column table: `[heading, value]`.
 */

export interface PublicResult {
  planId: number;
  planTitle: string;
  position: number;
  name: string;
  uscc: string;
  county: string;
  checkedOn: string;
  result: { code: string; name: string };
  summary: string | null;
  publishedOn: string;
}

export interface PublicWithdrawal extends PublicResult {
  withdrawnOn: string;
  reason: string;
}

const dateOf = (iso: string | null) => (iso ? chinaDateOf(iso) : '');

export function presentPublic(r: ResultRow): PublicResult {
  const c = resultCategory(r.resultCode);
  return {
    planId: r.planId,
    planTitle: r.planTitle,
    position: r.position,
    name: r.name,
    uscc: r.uscc,
    county: r.county,
    checkedOn: r.checkedOn ?? '',
    result: { code: c?.code ?? '', name: c?.name ?? '' },
    summary: r.resultSummary,
    publishedOn: dateOf(r.publishedAt),
  };
}

export const presentWithdrawal = (r: ResultRow): PublicWithdrawal => ({
  ...presentPublic(r),
  withdrawnOn: dateOf(r.withdrawnAt),
  reason: r.withdrawalReason ?? '',
});

/** The columns of the result CSV (the published results only). */
export const RESULT_CSV: readonly CsvColumn<PublicResult>[] = [
  ['计划编号', (r) => r.planId],
  ['计划', (r) => r.planTitle],
  ['任务序号', (r) => r.position],
  ['检查对象', (r) => r.name],
  ['统一社会信用代码', (r) => r.uscc],
  ['县（市、区）', (r) => r.county],
  ['检查日期', (r) => r.checkedOn],
  ['检查结果', (r) => r.result.name],
  ['结果说明', (r) => r.summary],
  ['公示日期', (r) => r.publishedOn],
];
