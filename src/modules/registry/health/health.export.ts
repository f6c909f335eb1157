import { stringify } from 'csv-stringify/sync';
import type { HealthReport } from './health.service.ts';

/** The list-health report as downloads: CSV (one row per finding and record) and plain text. */

const HEADERS = [
  '类别',
  '问题',
  '说明',
  '依据变化日期',
  '首次发现',
  '调整期限',
  '是否逾期',
  '涉及记录',
  '关系',
  '出处行',
  '链接',
  '调整单',
];

/** A cell starting with = + - @ would run as a formula in spreadsheet programs. */
const defuse = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

export function healthCsv(report: HealthReport): string {
  const rows: string[][] = [];
  for (const f of report.findings) {
    const own = [
      f.kindName,
      f.title,
      f.detail,
      f.basisChangedOn ?? '',
      f.firstSeenOn,
      f.deadline,
      f.overdue ? '已逾期' : '',
    ];
    const set = f.changeSetId !== null ? String(f.changeSetId) : '';
    if (f.records.length === 0) rows.push([...own, '', '', '', '', set]);
    for (const r of f.records)
      rows.push([...own, r.label, r.relation, r.line === null ? '' : String(r.line), r.url, set]);
  }
  return `\ufeff${stringify([HEADERS, ...rows.map((r) => r.map(defuse))], { record_delimiter: '\r\n' })}`;
}

export function formatHealthReport(report: HealthReport): string {
  const out = [
    `清单健康报告 / list-health report（${report.generatedOn}，调整期限 ${report.adjustMonths} 个月）`,
    '',
  ];
  for (const f of report.findings) {
    out.push(`[${f.kindName}] ${f.title}`);
    out.push(`  调整期限 ${f.deadline}${f.overdue ? '（已逾期）' : ''}；首次发现 ${f.firstSeenOn}`);
    for (const r of f.records)
      out.push(`  - ${r.relation}：${r.label}${r.line ? `（第 ${r.line} 行）` : ''}`);
  }
  out.push('', `共 ${report.findings.length} 项`);
  return `${out.join('\n')}\n`;
}
