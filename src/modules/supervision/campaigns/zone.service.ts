import type { DbOrTx, Tx } from '../../../db/database.ts';
import { nowIso } from '../../../db/database.ts';
import { AppError } from '../../../http/errors.ts';
import { appendAudit } from '../../audit/index.ts';
import { actorOf, type SessionUser } from '../../auth/index.ts';
import { ruleOf } from '../rules/rules.ts';
import { CsvSyntaxError, decodeCsv, parseCsv } from '../shared/csv.ts';
import { campaignAbilities } from './campaign.policy.ts';
import { type DelistingRule, evaluateZones, type ZoneEvaluation } from './zone.logic.ts';

/**
 * The development zones' yearly 综合发展水平评价 scores (regime 11): imported as CSV with the
 * header 年度,开发区,得分,是否本市 — province-wide, because the rule speaks of the bottom three of
 * the whole province — and the delisting recommendation computed from them (zone.logic.ts) with
 * the rule's figures from rules.data.ts (line 1825).
 */

export const ZONE_CSV_HEADER = ['年度', '开发区', '得分', '是否本市'] as const;

/** The delisting rule of regime 11 with its citation, from the rule data. */
export function delistingRule(): DelistingRule & { citation: { line: number; quote: string } } {
  const p = ruleOf(11)?.penalties.items.find((x) => x.key === 'delisting');
  if (!p) throw new Error('regime 11 has no delisting rule');
  const consecutiveYears = p.figures.consecutiveYears;
  const bottomRanks = p.figures.bottomRanks;
  if (consecutiveYears === undefined || bottomRanks === undefined)
    throw new Error('delisting figures missing');
  return { consecutiveYears, bottomRanks, citation: { line: p.citation.line, quote: p.citation.quote } };
}

export interface ZoneImportResult {
  rows: number;
  years: number[];
}

export async function importZoneScores(
  tx: Tx,
  user: SessionUser,
  bytes: Buffer,
  source: string,
): Promise<ZoneImportResult> {
  campaignAbilities.assertRole('importScores', user);
  let records: Array<{ line: number; fields: string[] }>;
  try {
    records = parseCsv(decodeCsv(bytes));
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new AppError(400, 'invalid_csv', e.message);
    throw e;
  }
  const [head, ...rows] = records;
  if (!head || ZONE_CSV_HEADER.some((h, i) => (head.fields[i] ?? '').trim() !== h)) {
    throw new AppError(400, 'invalid_csv', `第一行应为表头：${ZONE_CSV_HEADER.join(',')}`);
  }
  const problems: string[] = [];
  const parsed: Array<{ year: number; zone: string; score: number; inCity: boolean }> = [];
  const seen = new Set<string>();
  for (const r of rows) {
    const [y = '', z = '', s = '', c = ''] = r.fields.map((f) => f.trim());
    const year = Number(y);
    const score = Number(s);
    if (!/^\d{4}$/.test(y)) problems.push(`第 ${r.line} 行：年度应为四位数字`);
    if (z === '' || z.length > 100) problems.push(`第 ${r.line} 行：请填写开发区名称（最多 100 字）`);
    if (s === '' || !Number.isFinite(score)) problems.push(`第 ${r.line} 行：得分应为数字`);
    if (c !== '是' && c !== '否') problems.push(`第 ${r.line} 行：“是否本市”应填“是”或“否”`);
    const key = `${y}|${z}`;
    if (seen.has(key)) problems.push(`第 ${r.line} 行：${y}年的“${z}”重复`);
    seen.add(key);
    parsed.push({ year, zone: z, score, inCity: c === '是' });
  }
  if (rows.length === 0) problems.push('文件中没有得分数据');
  if (problems.length > 0) throw new AppError(400, 'invalid_csv', problems.slice(0, 20).join('；'), problems);
  const years = [...new Set(parsed.map((p) => p.year))].sort((a, b) => a - b);
  // A year's scores are replaced as a whole: the ranking is over the whole province.
  await tx.deleteFrom('zone_scores').where('year', 'in', years).execute();
  const now = nowIso();
  for (let i = 0; i < parsed.length; i += 200) {
    await tx
      .insertInto('zone_scores')
      .values(
        parsed.slice(i, i + 200).map((p) => ({
          year: p.year,
          zone_name: p.zone,
          score: p.score,
          in_city: p.inCity ? 1 : 0,
          source: source.slice(0, 200),
          imported_by: user.id,
          imported_at: now,
        })),
      )
      .execute();
  }
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'import-zone-scores',
    entity: 'zone-scores',
    entityId: years.join(','),
    after: { rows: parsed.length, years, source },
  });
  return { rows: parsed.length, years };
}

export async function zoneEvaluation(
  db: DbOrTx,
): Promise<ZoneEvaluation & { rule: ReturnType<typeof delistingRule> }> {
  const rows = await db.selectFrom('zone_scores').selectAll().orderBy('year').orderBy('zone_name').execute();
  const rule = delistingRule();
  const evaluation = evaluateZones(
    rows.map((r) => ({ year: r.year, zone: r.zone_name, score: Number(r.score), inCity: r.in_city === 1 })),
    rule,
  );
  return { ...evaluation, rule };
}
