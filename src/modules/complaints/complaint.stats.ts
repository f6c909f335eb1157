import type { DbOrTx } from '../../db/database.ts';
import { KIND_NAME, KINDS } from './complaint.clocks.ts';
import { SATISFACTION_NAME, SATISFACTIONS } from './complaint.schema.ts';

/**
 * Public monthly statistics of tickets (counts only, never a ticket): received by kind, by the
 * boundary matter the routing cites, by the responsible body; the on-time rate of the tickets
 * closed in the month (closed on or before the due date of the clock that ran: acceptance for a
 * 转办 or 不予受理, the reply otherwise); and the satisfaction of the replies rated.
 */

export interface Bar {
  label: string;
  count: number;
}

export interface MonthStats {
  month: string;
  received: number;
  byKind: Bar[];
  byMatter: Bar[];
  byBody: Bar[];
  onTime: { closed: number; counted: number; onTime: number; rate: number | null };
  satisfaction: Bar[];
}

export const isMonth = (m: string) => /^\d{4}-(0[1-9]|1[0-2])$/.test(m);

const monthRange = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { from: `${month}-01`, to: `${next}-01` };
};

const tally = (labels: string[]): Bar[] => {
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts.entries()]
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
};

export async function monthStats(db: DbOrTx, month: string): Promise<MonthStats> {
  const { from, to } = monthRange(month);
  const received = await db
    .selectFrom('complaints as c')
    .leftJoin('departments as d', 'd.id', 'c.department_id')
    .leftJoin('offices as o', 'o.id', 'c.office_id')
    .select(['c.id', 'c.kind', 'c.status', 'd.name as department', 'o.name as office'])
    .where('c.received_on', '>=', from)
    .where('c.received_on', '<', to)
    .execute();
  const matters = new Map<number, string>();
  if (received.length > 0) {
    const rows = await db
      .selectFrom('complaint_routings as r')
      .innerJoin('boundary_matters as m', 'm.id', 'r.matter_id')
      .select(['r.complaint_id', 'm.seq', 'm.name'])
      .where(
        'r.complaint_id',
        'in',
        received.map((r) => r.id),
      )
      .orderBy('r.id')
      .execute();
    // The last routing step that cites a matter decides.
    for (const r of rows) matters.set(r.complaint_id, `${r.seq} ${r.name}`);
  }
  const byKind = KINDS.map((k) => ({
    label: KIND_NAME[k],
    count: received.filter((r) => r.kind === k).length,
  }));
  const byMatter = tally(received.map((r) => matters.get(r.id) ?? '未涉及职责边界事项'));
  const byBody = tally(
    received.map((r) =>
      r.department === null
        ? '待分派'
        : r.status === 'transferred'
          ? `${r.department}（转办）`
          : `${r.department}${r.office ? ` ${r.office}` : ''}`,
    ),
  );
  const closed = await db
    .selectFrom('complaints')
    .select(['status', 'closed_on', 'accept_due', 'reply_due', 'satisfaction'])
    .where('closed_on', '>=', from)
    .where('closed_on', '<', to)
    .execute();
  let counted = 0;
  let onTime = 0;
  for (const c of closed) {
    const due = c.status === 'transferred' || c.status === 'rejected' ? c.accept_due : c.reply_due;
    if (due === null || c.closed_on === null) continue;
    counted += 1;
    if (c.closed_on <= due) onTime += 1;
  }
  const reopened = await db
    .selectFrom('complaint_events')
    .select('id')
    .where('action', '=', 'reopen')
    .where('on_date', '>=', from)
    .where('on_date', '<', to)
    .execute();
  const satisfaction = SATISFACTIONS.map((s) => ({
    label: SATISFACTION_NAME[s],
    count: closed.filter((c) => c.satisfaction === s).length + (s === 'dissatisfied' ? reopened.length : 0),
  }));
  return {
    month,
    received: received.length,
    byKind,
    byMatter,
    byBody,
    onTime: { closed: closed.length, counted, onTime, rate: counted === 0 ? null : onTime / counted },
    satisfaction,
  };
}

/** The tables of the page, by their CSV name. */
export const STAT_TABLES = {
  kind: { title: '按类型', column: '类型', of: (s: MonthStats) => s.byKind },
  matter: { title: '按职责边界事项', column: '事项', of: (s: MonthStats) => s.byMatter },
  body: { title: '按承办部门和科室', column: '承办', of: (s: MonthStats) => s.byBody },
  satisfaction: { title: '满意度', column: '评价', of: (s: MonthStats) => s.satisfaction },
  ontime: {
    title: '按期办结',
    column: '项目',
    of: (s: MonthStats) => [
      { label: '按期办结', count: s.onTime.onTime },
      { label: '超期办结', count: s.onTime.counted - s.onTime.onTime },
    ],
  },
} as const;
export type StatTable = keyof typeof STAT_TABLES;
