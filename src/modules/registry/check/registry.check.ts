import type { DbOrTx } from '../../../db/database.ts';
import { looseKey } from '../../../lib/text.ts';

/** The data-quality report behind `zhize check`: what a person should look at, never silently fixed. */

export interface QualityReport {
  duplicateWorkItems: Array<{
    text: string;
    occurrences: Array<{ department: string; dutySeq: number; position: number; line: number | null }>;
  }>;
  mergedNames: Array<{ kind: 'department' | 'office'; canonical: string; variants: string[] }>;
  repairs: Array<{ document: string; part: number; line: number; kind: string; message: string }>;
  mattersWithoutBasisOrCase: Array<{
    department: string;
    seq: number;
    name: string;
    missing: Array<'legalBasis' | 'case'>;
  }>;
  officesWithoutWorkItems: Array<{ department: string; office: string }>;
  legalBasesByDocNumber: Array<{
    docNumber: string;
    citedBy: Array<{ department: string; matterSeq: number; matter: string }>;
  }>;
  possibleTypos: Array<{ where: string; line: number | null; text: string; note: string }>;
}

/** Known slips in published lists: kept as data, reported, never rewritten. */
export const KNOWN_TYPOS: ReadonlyArray<{ wrong: string; right: string }> = [
  { wrong: '赌塞', right: '堵塞' },
];

/** A word of 2–4 CJK characters written twice in a row (数据数据, 技术技术). */
const DOUBLED = /([\u4e00-\u9fa5]{2,4})\1/g;

export async function qualityReport(db: DbOrTx): Promise<QualityReport> {
  const depts = new Map(
    (await db.selectFrom('departments').select(['id', 'name']).execute()).map((d) => [d.id, d.name]),
  );
  const items = await db
    .selectFrom('work_items as w')
    .innerJoin('duties as d', 'd.id', 'w.duty_id')
    .select(['w.text', 'w.position', 'w.line_start', 'd.seq', 'd.department_id'])
    .orderBy('d.department_id')
    .orderBy('d.seq')
    .orderBy('w.position')
    .execute();
  const byText = new Map<string, typeof items>();
  for (const it of items) {
    const k = `${it.department_id}|${looseKey(it.text).replace(/[。；;]$/, '')}`;
    byText.set(k, [...(byText.get(k) ?? []), it]);
  }
  const duplicateWorkItems = [...byText.values()]
    .filter((g) => new Set(g.map((i) => i.seq)).size > 1)
    .map((g) => ({
      text: g[0]!.text,
      occurrences: g.map((i) => ({
        department: depts.get(i.department_id) ?? '',
        dutySeq: i.seq,
        position: i.position,
        line: i.line_start,
      })),
    }));

  const mergedNames: QualityReport['mergedNames'] = [];
  const dAliases = await db.selectFrom('department_aliases').selectAll().orderBy('id').execute();
  for (const [id, name] of depts) {
    const v = dAliases.filter((a) => a.department_id === id).map((a) => a.alias);
    if (v.length) mergedNames.push({ kind: 'department', canonical: name, variants: v });
  }
  const offices = await db
    .selectFrom('offices')
    .selectAll()
    .orderBy('department_id')
    .orderBy('position')
    .execute();
  const oAliases = await db.selectFrom('office_aliases').selectAll().orderBy('id').execute();
  for (const o of offices) {
    const v = oAliases.filter((a) => a.office_id === o.id).map((a) => a.alias);
    if (v.length) mergedNames.push({ kind: 'office', canonical: o.name, variants: v });
  }

  // Only the documents the current records come from: an older file re-imported since is history.
  const docIds = new Set<number>();
  for (const table of ['duties', 'boundary_matters', 'regimes', 'public_services'] as const) {
    const rows = await db.selectFrom(table).select('source_document_id').distinct().execute();
    for (const r of rows) if (r.source_document_id !== null) docIds.add(r.source_document_id);
  }
  const repairs = (
    await db
      .selectFrom('import_repairs as r')
      .where('r.source_document_id', 'in', docIds.size ? [...docIds] : [-1])
      .innerJoin('source_documents as s', 's.id', 'r.source_document_id')
      .select(['s.name', 'r.part', 'r.line', 'r.kind', 'r.message'])
      .orderBy('r.source_document_id')
      .orderBy('r.part')
      .orderBy('r.line')
      .execute()
  ).map((r) => ({ document: r.name, part: r.part, line: r.line, kind: r.kind, message: r.message }));

  const matters = await db
    .selectFrom('boundary_matters')
    .selectAll()
    .orderBy('department_id')
    .orderBy('seq')
    .execute();
  const bases = await db.selectFrom('legal_bases').select(['matter_id', 'doc_number']).execute();
  const cases = await db.selectFrom('boundary_cases').select(['matter_id']).execute();
  const mattersWithoutBasisOrCase = matters
    .map((m) => ({
      department: depts.get(m.department_id) ?? '',
      seq: m.seq,
      name: m.name,
      missing: [
        ...(bases.some((b) => b.matter_id === m.id) ? [] : (['legalBasis'] as const)),
        ...(cases.some((c) => c.matter_id === m.id) ? [] : (['case'] as const)),
      ],
    }))
    .filter((m) => m.missing.length > 0);

  const linked = new Set(
    (await db.selectFrom('work_item_offices').select('office_id').execute()).map((l) => l.office_id),
  );
  const officesWithoutWorkItems = offices
    .filter((o) => o.is_group === 0 && !linked.has(o.id))
    .map((o) => ({ department: depts.get(o.department_id) ?? '', office: o.name }));

  const byNumber = new Map<string, QualityReport['legalBasesByDocNumber'][number]['citedBy']>();
  for (const b of bases) {
    if (!b.doc_number) continue;
    const m = matters.find((x) => x.id === b.matter_id)!;
    const list = byNumber.get(b.doc_number) ?? [];
    if (!list.some((c) => c.matterSeq === m.seq && c.department === depts.get(m.department_id))) {
      list.push({ department: depts.get(m.department_id) ?? '', matterSeq: m.seq, matter: m.name });
    }
    byNumber.set(b.doc_number, list);
  }
  const legalBasesByDocNumber = [...byNumber.entries()]
    .map(([docNumber, citedBy]) => ({ docNumber, citedBy }))
    .sort((a, b) => a.docNumber.localeCompare(b.docNumber, 'zh-CN'));

  const possibleTypos: QualityReport['possibleTypos'] = [];
  const scan = (where: string, line: number | null, text: string) => {
    for (const t of KNOWN_TYPOS) {
      if (text.includes(t.wrong))
        possibleTypos.push({ where, line, text: t.wrong, note: `疑为“${t.right}”` });
    }
    for (const m of text.matchAll(DOUBLED)) {
      possibleTypos.push({ where, line, text: m[0], note: `“${m[1]}”连写两次` });
    }
  };
  for (const it of items) scan(`主要职责 ${it.seq} 第 ${it.position} 项`, it.line_start, it.text);
  const shares = await db
    .selectFrom('boundary_shares')
    .select(['text', 'line_start', 'matter_id', 'position'])
    .execute();
  for (const s of shares) {
    const m = matters.find((x) => x.id === s.matter_id)!;
    scan(`管理事项 ${m.seq} 第 ${s.position} 项分工`, s.line_start, s.text);
  }
  const allBases = await db.selectFrom('legal_bases').select(['text', 'line_start', 'matter_id']).execute();
  for (const b of allBases) scan('相关依据', b.line_start, b.text);
  const allCases = await db.selectFrom('boundary_cases').select(['text', 'line_start']).execute();
  for (const c of allCases) scan('案例', c.line_start, c.text);
  const services = await db
    .selectFrom('public_services')
    .select(['seq', 'name', 'content', 'line_start'])
    .execute();
  for (const s of services) scan(`公共服务事项 ${s.seq}`, s.line_start, `${s.name} ${s.content}`);

  return {
    duplicateWorkItems,
    mergedNames,
    repairs,
    mattersWithoutBasisOrCase,
    officesWithoutWorkItems,
    legalBasesByDocNumber,
    possibleTypos,
  };
}

export function formatQualityReport(r: QualityReport): string {
  const out: string[] = ['数据质量报告 / data-quality report', ''];
  out.push(`一、同一工作事项出现在多项主要职责下（${r.duplicateWorkItems.length} 处）`);
  for (const d of r.duplicateWorkItems) {
    out.push(
      `  “${d.text}”：${d.occurrences.map((o) => `主要职责 ${o.dutySeq}（第 ${o.line ?? '?'} 行）`).join('、')}`,
    );
  }
  out.push('', `二、合并的名称写法（${r.mergedNames.length} 处）`);
  for (const m of r.mergedNames)
    out.push(`  ${m.kind === 'department' ? '部门' : '科室'} ${m.canonical} ← ${m.variants.join('、')}`);
  out.push('', `三、导入时修复的版式问题（${r.repairs.length} 处）`);
  for (const p of r.repairs) out.push(`  [第${p.part}部分 第 ${p.line} 行 ${p.kind}] ${p.message}`);
  out.push('', `四、缺少相关依据或案例的管理事项（${r.mattersWithoutBasisOrCase.length} 项）`);
  for (const m of r.mattersWithoutBasisOrCase) {
    out.push(
      `  ${m.seq}. ${m.name}：缺少${m.missing.map((x) => (x === 'case' ? '案例' : '相关依据')).join('和')}`,
    );
  }
  out.push('', `五、没有任何工作事项的科室（${r.officesWithoutWorkItems.length} 个）`);
  for (const o of r.officesWithoutWorkItems) out.push(`  ${o.department} ${o.office}`);
  out.push('', `六、按文号引用的相关依据（${r.legalBasesByDocNumber.length} 个文号）`);
  for (const b of r.legalBasesByDocNumber) {
    out.push(`  ${b.docNumber}：${b.citedBy.map((c) => `${c.matterSeq}. ${c.matter}`).join('；')}`);
  }
  out.push('', `七、疑似笔误（${r.possibleTypos.length} 处，原文保留未改）`);
  for (const t of r.possibleTypos) out.push(`  ${t.where}（第 ${t.line ?? '?'} 行）“${t.text}”：${t.note}`);
  return `${out.join('\n')}\n`;
}
