import { createHash } from 'node:crypto';
import { type DbOrTx, nowIso, type Tx } from '../../../db/database.ts';
import { todayInChina } from '../../../lib/china-time.ts';
import {
  citationsIn,
  flagMessage,
  isStale,
  type Register,
  type RegisterEntry,
} from '../../../lib/legal-citations.ts';
import { looseKey } from '../../../lib/text.ts';
import { urls } from '../../../views/portal/urls.ts';
import { type Actor, appendAudit } from '../../audit/index.ts';
import { KNOWN_TYPOS } from '../check/registry.check.ts';
import { loadRegister } from '../legal/legal.repo.ts';

/**
 * The list-health report (issue 14 item 3): what makes the published lists untrue or unusable —
 * bases that were repealed or changed and the records resting on them, the same work item under
 * two duties, shares no office carries, offices without work, services without a phone, names
 * written several ways, the source's likely slips — each finding with the records it concerns, the
 * date it was first seen and its adjustment deadline (LIST_ADJUST_MONTHS after the basis changed,
 * or after it was first seen when no basis date is known).
 */

export const FINDING_KINDS = {
  stale_basis: '依据已废止或变化',
  duplicate_item: '同一工作事项列在两项主要职责下',
  share_without_office: '职责分工没有科室承担',
  office_without_items: '科室没有任何工作事项',
  service_without_phone: '公共服务事项没有联系电话',
  name_variant: '同一名称有多种写法',
  likely_typo: '原文疑似笔误',
} as const;
export type FindingKind = keyof typeof FINDING_KINDS;

export interface FindingRecord {
  /** Chinese name of the kind of record (相关依据, 职责分工, …). */
  kind: string;
  /** The change-set kind of the record (its adapter's entity) when a change set can change it. */
  entity: string | null;
  id: number;
  label: string;
  url: string;
  line: number | null;
  /** How the record relates to the finding, e.g. 引用 / 涉及 / 依据所在事项的本部门分工. */
  relation: string;
}

export interface Finding {
  key: string;
  kind: FindingKind;
  kindName: string;
  title: string;
  detail: string;
  records: FindingRecord[];
  /** The instrument of a stale basis (register id). */
  instrumentId: number | null;
  /** When the basis changed (YYYY, YYYY-MM or YYYY-MM-DD), for stale bases. */
  basisChangedOn: string | null;
  /** China date when the report first showed it (today when never recorded). */
  firstSeenOn: string;
  /** The adjustment deadline (China date). */
  deadline: string;
  overdue: boolean;
  /** The draft change set proposed for it, if any. */
  changeSetId: number | null;
}

export interface HealthReport {
  generatedOn: string;
  adjustMonths: number;
  counts: Record<FindingKind, number>;
  findings: Finding[];
}

/** The share of a matter name's (or share's) character pairs a work item must contain to carry it. */
const CARRIES = 0.3;

const pairs = (s: string) => {
  const t = s.replace(/[^\u4e00-\u9fa5]/g, '');
  const out = new Set<string>();
  for (let i = 0; i + 1 < t.length; i++) out.add(t.slice(i, i + 2));
  return out;
};
const coverage = (need: Set<string>, have: Set<string>) => {
  if (need.size === 0) return 0;
  let n = 0;
  for (const p of need) if (have.has(p)) n++;
  return n / need.size;
};
const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

/** A date YYYY[-MM[-DD]] as its first day. */
const firstDay = (d: string) => (d.length === 4 ? `${d}-01-01` : d.length === 7 ? `${d}-01` : d);

/** The civil date `months` months after `date` (the last day of a shorter month). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

interface Raw {
  key: string;
  kind: FindingKind;
  title: string;
  detail: string;
  records: FindingRecord[];
  instrumentId?: number;
  basisChangedOn?: string | null;
}

/** The records that cite or concern each instrument of the register (stale or not). */
export async function recordsCitingInstruments(db: DbOrTx): Promise<Map<number, FindingRecord[]>> {
  return (await scanLists(db)).citing;
}

/** The findings as they stand (without dates). */
export async function findHealthProblems(db: DbOrTx, register?: Register): Promise<Raw[]> {
  return (await scanLists(db, register)).out;
}

async function scanLists(
  db: DbOrTx,
  register?: Register,
): Promise<{ out: Raw[]; citing: Map<number, FindingRecord[]> }> {
  const reg = register ?? (await loadRegister(db));
  const [depts, duties, items, matters, shares, bases, cases, regimes, sections, checks, services, phones] =
    await Promise.all([
      db.selectFrom('departments').select(['id', 'name']).execute(),
      db
        .selectFrom('duties')
        .select(['id', 'seq', 'text', 'department_id', 'line_start'])
        .orderBy('department_id')
        .orderBy('seq')
        .execute(),
      db
        .selectFrom('work_items as w')
        .innerJoin('duties as d', 'd.id', 'w.duty_id')
        .select([
          'w.id',
          'w.duty_id',
          'w.position',
          'w.text',
          'w.remark',
          'w.line_start',
          'd.seq',
          'd.department_id',
        ])
        .orderBy('d.department_id')
        .orderBy('d.seq')
        .orderBy('w.position')
        .execute(),
      db
        .selectFrom('boundary_matters')
        .select(['id', 'seq', 'name', 'department_id', 'line_start'])
        .orderBy('department_id')
        .orderBy('seq')
        .execute(),
      db
        .selectFrom('boundary_shares')
        .select(['id', 'matter_id', 'department_id', 'text', 'line_start', 'position'])
        .orderBy('matter_id')
        .orderBy('position')
        .execute(),
      db
        .selectFrom('legal_bases')
        .select(['id', 'matter_id', 'text', 'line_start', 'position'])
        .orderBy('matter_id')
        .orderBy('position')
        .execute(),
      db
        .selectFrom('boundary_cases')
        .select(['id', 'matter_id', 'text', 'line_start'])
        .orderBy('id')
        .execute(),
      db
        .selectFrom('regimes')
        .select(['id', 'seq', 'label', 'title', 'intro', 'line_start'])
        .orderBy('department_id')
        .orderBy('seq')
        .execute(),
      db.selectFrom('regime_sections').select(['regime_id', 'body']).execute(),
      db.selectFrom('regime_check_items').select(['regime_id', 'text']).execute(),
      db
        .selectFrom('public_services')
        .select(['id', 'seq', 'name', 'content', 'department_id', 'line_start'])
        .orderBy('department_id')
        .orderBy('seq')
        .execute(),
      db.selectFrom('service_phones').select(['service_id']).execute(),
    ]);
  const deptName = new Map(depts.map((d) => [d.id, d.name]));
  const matterOf = new Map(matters.map((m) => [m.id, m]));
  const out: Raw[] = [];

  // 1. Stale bases: each repealed or changed instrument with the records that cite or concern it.
  const rel = (link: 'cites' | 'concerns') => (link === 'cites' ? '引用' : '涉及');
  const citing = new Map<number, FindingRecord[]>();
  const add = (e: RegisterEntry, r: FindingRecord) => {
    const list = citing.get(e.id) ?? [];
    if (!list.some((x) => x.kind === r.kind && x.id === r.id)) list.push(r);
    citing.set(e.id, list);
  };
  const scan = (texts: Array<string | null>, record: Omit<FindingRecord, 'relation'>) => {
    for (const t of texts) {
      if (!t) continue;
      for (const c of citationsIn(t, reg)) add(c.entry, { ...record, relation: rel(c.link) });
    }
  };
  for (const b of bases) {
    const m = matterOf.get(b.matter_id)!;
    scan([b.text], {
      kind: '相关依据',
      entity: null,
      id: b.id,
      label: `管理事项 ${m.seq}「${m.name}」相关依据 ${b.position}`,
      url: urls.matter(m.id),
      line: b.line_start,
    });
  }
  for (const m of matters)
    scan([m.name], {
      kind: '管理事项',
      entity: null,
      id: m.id,
      label: `管理事项 ${m.seq}「${m.name}」`,
      url: urls.matter(m.id),
      line: m.line_start,
    });
  for (const s of shares) {
    const m = matterOf.get(s.matter_id)!;
    scan([s.text], {
      kind: '职责分工',
      entity: 'share',
      id: s.id,
      label: `管理事项 ${m.seq} · ${deptName.get(s.department_id) ?? ''}的分工`,
      url: urls.share(m.id, s.id),
      line: s.line_start,
    });
  }
  for (const c of cases) {
    const m = matterOf.get(c.matter_id)!;
    scan([c.text], {
      kind: '案例',
      entity: null,
      id: c.id,
      label: `管理事项 ${m.seq} 的案例`,
      url: urls.case(m.id, c.id),
      line: c.line_start,
    });
  }
  for (const d of duties)
    scan([d.text], {
      kind: '主要职责',
      entity: 'duty',
      id: d.id,
      label: `主要职责 ${d.seq}`,
      url: urls.duty(d.id),
      line: d.line_start,
    });
  for (const w of items)
    scan([w.text, w.remark], {
      kind: '具体工作事项',
      entity: 'workItem',
      id: w.id,
      label: `主要职责 ${w.seq} 第 ${w.position} 项：${w.text.slice(0, 30)}`,
      url: urls.workItem(w.duty_id, w.id),
      line: w.line_start,
    });
  for (const r of regimes) {
    scan(
      [
        r.title,
        r.intro,
        ...sections.filter((s) => s.regime_id === r.id).map((s) => s.body),
        ...checks.filter((c) => c.regime_id === r.id).map((c) => c.text),
      ],
      {
        kind: '监管制度',
        entity: null,
        id: r.id,
        label: `监管制度 ${r.label ?? r.seq}「${r.title}」`,
        url: urls.regime(r.id),
        line: r.line_start,
      },
    );
  }
  for (const s of services)
    scan([s.name, s.content], {
      kind: '公共服务事项',
      entity: 'service',
      id: s.id,
      label: `公共服务事项 ${s.seq}「${s.name}」`,
      url: urls.service(s.id),
      line: s.line_start,
    });
  // A matter whose bases are stale: the owning department's shares rest on them.
  for (const [instrumentId, list] of citing) {
    const entry = reg.entries.find((e) => e.id === instrumentId);
    if (!entry || !isStale(entry)) continue;
    const matterIds = new Set(
      list.filter((r) => r.kind === '相关依据').map((r) => bases.find((b) => b.id === r.id)!.matter_id),
    );
    for (const mid of matterIds) {
      const m = matterOf.get(mid)!;
      for (const s of shares.filter((x) => x.matter_id === mid && x.department_id === m.department_id)) {
        if (list.some((r) => r.kind === '职责分工' && r.id === s.id)) continue;
        list.push({
          kind: '职责分工',
          entity: 'share',
          id: s.id,
          label: `管理事项 ${m.seq} · ${deptName.get(s.department_id) ?? ''}的分工`,
          url: urls.share(m.id, s.id),
          line: s.line_start,
          relation: '以该依据为据的本部门分工',
        });
      }
    }
  }
  for (const e of reg.entries) {
    const records = citing.get(e.id);
    if (!records || !isStale(e)) continue;
    out.push({
      key: `stale_basis:${e.id}`,
      kind: 'stale_basis',
      title: flagMessage(e, 'cites'),
      detail: `${records.length} 条记录引用或涉及《${e.title}》`,
      records,
      instrumentId: e.id,
      basisChangedOn: e.statusDate,
    });
  }

  // 2. The same work item under two duties (of one department).
  const byText = new Map<string, typeof items>();
  for (const w of items) {
    const k = `${w.department_id}|${looseKey(w.text).replace(/[。；;]$/, '')}`;
    byText.set(k, [...(byText.get(k) ?? []), w]);
  }
  for (const [k, group] of byText) {
    if (new Set(group.map((w) => w.seq)).size < 2) continue;
    out.push({
      key: `duplicate_item:${hash(k)}`,
      kind: 'duplicate_item',
      title: `“${group[0]!.text}”列在主要职责 ${[...new Set(group.map((w) => w.seq))].join('、')} 下`,
      detail: '同一事项由两项主要职责承担，容易造成推诿或重复：请确定归属，删去其余',
      records: group.map((w) => ({
        kind: '具体工作事项',
        entity: 'workItem',
        id: w.id,
        label: `主要职责 ${w.seq} 第 ${w.position} 项`,
        url: urls.workItem(w.duty_id, w.id),
        line: w.line_start,
        relation: '重复',
      })),
    });
  }

  // 3. Shares with no office: a department with a duty list, none of whose work items carries the share.
  const hasList = new Set(duties.map((d) => d.department_id));
  const itemPairs = new Map<number, Set<string>[]>();
  for (const w of items)
    itemPairs.set(w.department_id, [...(itemPairs.get(w.department_id) ?? []), pairs(w.text)]);
  for (const s of shares) {
    if (!hasList.has(s.department_id)) continue;
    const m = matterOf.get(s.matter_id)!;
    const need = [pairs(m.name), pairs(s.text)];
    const carried = (itemPairs.get(s.department_id) ?? []).some((have) =>
      need.some((n) => coverage(n, have) >= CARRIES),
    );
    if (carried) continue;
    out.push({
      key: `share_without_office:${s.id}`,
      kind: 'share_without_office',
      title: `管理事项 ${m.seq}「${m.name}」中${deptName.get(s.department_id) ?? ''}的分工没有对应的工作事项`,
      detail: `部门职责清单中没有哪项工作事项写到这项分工（分工：${s.text.slice(0, 60)}）：请明确由哪个科室承担`,
      records: [
        {
          kind: '职责分工',
          entity: 'share',
          id: s.id,
          label: `管理事项 ${m.seq} · ${deptName.get(s.department_id) ?? ''}的分工`,
          url: urls.share(m.id, s.id),
          line: s.line_start,
          relation: '无科室承担',
        },
      ],
    });
  }

  // 4. Offices with no work item.
  const offices = await db
    .selectFrom('offices')
    .select(['id', 'name', 'department_id', 'is_group', 'line_start'])
    .orderBy('department_id')
    .orderBy('position')
    .execute();
  const linked = new Set(
    (await db.selectFrom('work_item_offices').select('office_id').execute()).map((l) => l.office_id),
  );
  for (const o of offices) {
    if (o.is_group === 1 || linked.has(o.id)) continue;
    out.push({
      key: `office_without_items:${o.id}`,
      kind: 'office_without_items',
      title: `${deptName.get(o.department_id) ?? ''} ${o.name}没有任何工作事项`,
      detail: '科室存在但清单中没有它承担的工作事项：请补充其工作事项或核实科室设置',
      records: [
        {
          kind: '内设科室',
          entity: 'office',
          id: o.id,
          label: o.name,
          url: urls.office(o.id),
          line: o.line_start,
          relation: '无工作事项',
        },
      ],
    });
  }

  // 5. Services with no phone.
  const withPhone = new Set(phones.map((p) => p.service_id));
  for (const s of services) {
    if (withPhone.has(s.id)) continue;
    out.push({
      key: `service_without_phone:${s.id}`,
      kind: 'service_without_phone',
      title: `公共服务事项 ${s.seq}「${s.name}」没有联系电话`,
      detail: '群众无法电话联系承办机构：请补充联系电话',
      records: [
        {
          kind: '公共服务事项',
          entity: 'service',
          id: s.id,
          label: s.name,
          url: urls.service(s.id),
          line: s.line_start,
          relation: '无电话',
        },
      ],
    });
  }

  // 6. Name variants merged on import.
  const dAliases = await db
    .selectFrom('department_aliases')
    .select(['department_id', 'alias'])
    .orderBy('id')
    .execute();
  for (const d of depts) {
    const v = dAliases.filter((a) => a.department_id === d.id).map((a) => a.alias);
    if (v.length === 0) continue;
    out.push({
      key: `name_variant:department:${d.id}`,
      kind: 'name_variant',
      title: `部门“${d.name}”在原文中还写作：${v.join('、')}`,
      detail: '导入时已按规则合并；调整清单时请统一写法',
      records: [
        {
          kind: '部门',
          entity: null,
          id: d.id,
          label: d.name,
          url: urls.department(d.id),
          line: null,
          relation: '多种写法',
        },
      ],
    });
  }
  const oAliases = await db
    .selectFrom('office_aliases')
    .select(['office_id', 'alias'])
    .orderBy('id')
    .execute();
  for (const o of offices) {
    const v = oAliases.filter((a) => a.office_id === o.id).map((a) => a.alias);
    if (v.length === 0) continue;
    out.push({
      key: `name_variant:office:${o.id}`,
      kind: 'name_variant',
      title: `科室“${o.name}”在原文中还写作：${v.join('、')}`,
      detail: '导入时已按规则合并；调整清单时请统一写法',
      records: [
        {
          kind: '内设科室',
          entity: 'office',
          id: o.id,
          label: o.name,
          url: urls.office(o.id),
          line: o.line_start,
          relation: '多种写法',
        },
      ],
    });
  }

  // 7. Likely slips of the source: known slips, a word written twice, a cited title that differs
  //    from the register's title of the same document number.
  const DOUBLED = /([\u4e00-\u9fa5]{2,4})\1/g;
  const slips = (text: string): string[] => {
    const found: string[] = [];
    for (const t of KNOWN_TYPOS) if (text.includes(t.wrong)) found.push(`“${t.wrong}”疑为“${t.right}”`);
    for (const m of text.matchAll(DOUBLED)) found.push(`“${m[1]}”连写两次（${m[0]}）`);
    for (const c of citationsIn(text, reg))
      if (c.byNumberOnly) found.push(`《${c.asWritten}》与同一文号的《${c.entry.title}》名称不一致`);
    return found;
  };
  const typo = (text: string, r: Omit<FindingRecord, 'relation'>) => {
    for (const s of slips(text)) {
      out.push({
        key: `likely_typo:${r.kind}:${r.id}:${hash(s)}`,
        kind: 'likely_typo',
        title: `${r.label}：${s}`,
        detail: '原文保留未改：请核对发布稿，需要时通过调整单更正',
        records: [{ ...r, relation: '疑似笔误' }],
      });
    }
  };
  for (const w of items)
    typo(w.text, {
      kind: '具体工作事项',
      entity: 'workItem',
      id: w.id,
      label: `主要职责 ${w.seq} 第 ${w.position} 项`,
      url: urls.workItem(w.duty_id, w.id),
      line: w.line_start,
    });
  for (const s of shares) {
    const m = matterOf.get(s.matter_id)!;
    typo(s.text, {
      kind: '职责分工',
      entity: 'share',
      id: s.id,
      label: `管理事项 ${m.seq} 第 ${s.position} 项分工`,
      url: urls.share(m.id, s.id),
      line: s.line_start,
    });
  }
  for (const b of bases) {
    const m = matterOf.get(b.matter_id)!;
    typo(b.text, {
      kind: '相关依据',
      entity: null,
      id: b.id,
      label: `管理事项 ${m.seq} 相关依据 ${b.position}`,
      url: urls.matter(m.id),
      line: b.line_start,
    });
  }
  for (const c of cases) {
    const m = matterOf.get(c.matter_id)!;
    typo(c.text, {
      kind: '案例',
      entity: null,
      id: c.id,
      label: `管理事项 ${m.seq} 的案例`,
      url: urls.case(m.id, c.id),
      line: c.line_start,
    });
  }
  for (const s of services)
    typo(`${s.name} ${s.content}`, {
      kind: '公共服务事项',
      entity: 'service',
      id: s.id,
      label: `公共服务事项 ${s.seq}`,
      url: urls.service(s.id),
      line: s.line_start,
    });
  return { out, citing };
}

export interface HealthOptions {
  /** LIST_ADJUST_MONTHS. */
  months: number;
  now?: Date;
  /** Record first-seen dates of new findings and close those that are gone (staff page, CLI, dashboard). */
  record?: { actor: Actor };
}

/** The report with first-seen dates and deadlines; with `record`, the dates are kept (one transaction). */
export async function healthReport(db: DbOrTx, options: HealthOptions): Promise<HealthReport> {
  const now = options.now ?? new Date();
  const today = todayInChina(now.getTime());
  const raw = await findHealthProblems(db);
  if (options.record) {
    const record = options.record;
    const run = (tx: Tx) => recordFindings(tx, raw, now, record.actor);
    await (db.isTransaction ? run(db as Tx) : db.transaction().execute(run));
  }
  const stored = new Map(
    (await db.selectFrom('health_findings').selectAll().execute()).map((r) => [r.key, r]),
  );
  const findings = raw.map((f): Finding => {
    const s = stored.get(f.key);
    const firstSeenOn = s ? todayInChina(Date.parse(s.first_seen_at)) : today;
    const from = f.basisChangedOn ? firstDay(f.basisChangedOn) : firstSeenOn;
    const deadline = addMonths(from, options.months);
    return {
      key: f.key,
      kind: f.kind,
      kindName: FINDING_KINDS[f.kind],
      title: f.title,
      detail: f.detail,
      records: f.records,
      instrumentId: f.instrumentId ?? null,
      basisChangedOn: f.basisChangedOn ?? null,
      firstSeenOn,
      deadline,
      overdue: deadline < today,
      changeSetId: s?.change_set_id ?? null,
    };
  });
  const counts = Object.fromEntries(Object.keys(FINDING_KINDS).map((k) => [k, 0])) as Record<
    FindingKind,
    number
  >;
  for (const f of findings) counts[f.kind]++;
  return { generatedOn: today, adjustMonths: options.months, counts, findings };
}

/** Keeps first-seen dates: new findings get today, findings no longer present are closed. */
async function recordFindings(tx: Tx, raw: readonly Raw[], now: Date, actor: Actor): Promise<void> {
  const at = now.toISOString();
  const rows = await tx.selectFrom('health_findings').selectAll().execute();
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const seen = new Set(raw.map((r) => r.key));
  const opened: string[] = [];
  for (const f of raw) {
    const r = byKey.get(f.key);
    if (!r) {
      await tx
        .insertInto('health_findings')
        .values({
          key: f.key,
          kind: f.kind,
          title: f.title,
          first_seen_at: at,
          last_seen_at: at,
          resolved_at: null,
          change_set_id: null,
        })
        .execute();
      opened.push(f.key);
    } else {
      await tx
        .updateTable('health_findings')
        .set({ last_seen_at: at, resolved_at: null, title: f.title })
        .where('id', '=', r.id)
        .execute();
      if (r.resolved_at !== null) opened.push(f.key);
    }
  }
  const closed = rows.filter((r) => r.resolved_at === null && !seen.has(r.key)).map((r) => r.key);
  if (closed.length)
    await tx.updateTable('health_findings').set({ resolved_at: at }).where('key', 'in', closed).execute();
  if (opened.length || closed.length)
    await appendAudit(tx, { actor, action: 'record', entity: 'health_finding', after: { opened, closed } });
}

/** Notes the draft change set proposed for a finding (inside the transaction that created it). */
export async function linkFindingToChangeSet(
  tx: Tx,
  key: string,
  changeSetId: number,
  actor: Actor,
): Promise<void> {
  const r = await tx.selectFrom('health_findings').select('id').where('key', '=', key).executeTakeFirst();
  if (r)
    await tx
      .updateTable('health_findings')
      .set({ change_set_id: changeSetId })
      .where('id', '=', r.id)
      .execute();
  else {
    const at = nowIso();
    await tx
      .insertInto('health_findings')
      .values({
        key,
        kind: key.split(':')[0]!,
        title: key,
        first_seen_at: at,
        last_seen_at: at,
        resolved_at: null,
        change_set_id: changeSetId,
      })
      .execute();
  }
  await appendAudit(tx, {
    actor,
    action: 'propose-fix',
    entity: 'health_finding',
    entityId: key,
    after: { changeSet: changeSetId },
  });
}
