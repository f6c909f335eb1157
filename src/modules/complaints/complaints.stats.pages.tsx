import { stringify } from 'csv-stringify/sync';
import type { FastifyPluginAsync } from 'fastify';
import { queryOf } from '../../http/forms.ts';
import { todayInChina } from '../../lib/china-time.ts';
import { pageContext } from '../../views/portal/context.ts';
import { sendPage } from '../../views/render.ts';
import {
  type Bar,
  isMonth,
  type MonthStats,
  monthStats,
  STAT_TABLES,
  type StatTable,
} from './complaint.stats.ts';
import type { ComplaintsContext } from './complaints.context.ts';
import { Page } from './complaints.public.views.tsx';

/**
 * 举报投诉统计 (public): per month, tickets by kind, matter and responsible body, the on-time rate
 * and satisfaction — each a server-rendered SVG chart with its data table and a CSV download beside
 * it. Counts only; no ticket is shown.
 */

const statsUrl = (month: string) => `/complaints/stats?month=${month}`;
const csvUrl = (month: string, table: StatTable) => `/complaints/stats.csv?month=${month}&table=${table}`;

const shiftMonth = (month: string, by: number) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const n = y * 12 + (m - 1) + by;
  return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
};

/** Horizontal bars; the table beside it carries the same numbers for screen readers and copying. */
function BarChart({ id, title, bars }: { id: string; title: string; bars: Bar[] }) {
  const max = Math.max(1, ...bars.map((b) => b.count));
  const row = 28;
  const height = Math.max(1, bars.length) * row + 8;
  return (
    <svg
      class="chart"
      viewBox={`0 0 360 ${height}`}
      width="100%"
      role="img"
      aria-labelledby={`${id}-title`}
      xmlns="http://www.w3.org/2000/svg"
    >
      <title id={`${id}-title`}>{`${title}（图表，数据见下表）`}</title>
      {bars.map((b, i) => {
        const y = i * row + 4;
        const w = Math.round((b.count / max) * 170);
        return (
          <g>
            <text x="0" y={y + 17} font-size="12" fill="#1d2129">
              {b.label.length > 14 ? `${b.label.slice(0, 13)}…` : b.label}
            </text>
            <rect x="170" y={y + 4} width={Math.max(w, b.count > 0 ? 2 : 0)} height="16" fill="#a8231b" />
            <text x={176 + w} y={y + 17} font-size="12" fill="#1d2129">
              {String(b.count)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function StatSection({ stats, table }: { stats: MonthStats; table: StatTable }) {
  const t = STAT_TABLES[table];
  const bars = t.of(stats);
  return (
    <section aria-labelledby={`st-${table}`} class="stat">
      <h2 id={`st-${table}`}>{t.title}</h2>
      <BarChart id={`chart-${table}`} title={t.title} bars={bars} />
      <table class="stack">
        <thead>
          <tr>
            <th scope="col">{t.column}</th>
            <th scope="col">件数</th>
          </tr>
        </thead>
        <tbody>
          {bars.map((b) => (
            <tr>
              <td data-label={t.column}>{b.label}</td>
              <td data-label="件数">{b.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <a href={csvUrl(stats.month, table)} download>
          下载 CSV（{t.title}）
        </a>
      </p>
    </section>
  );
}

/** A spreadsheet cell that could be read as a formula is prefixed with an apostrophe. */
const defuse = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

export const complaintStatsPages: FastifyPluginAsync<ComplaintsContext> = async (app, ctx) => {
  const monthOf = (raw: string) => (isMonth(raw) ? raw : todayInChina(ctx.now().getTime()).slice(0, 7));

  app.get('/complaints/stats', { schema: { hide: true } }, async (req, reply) => {
    const month = monthOf(queryOf(req, 'month'));
    const stats = await monthStats(app.database.db, month);
    const rate = stats.onTime.rate === null ? '—' : `${(stats.onTime.rate * 100).toFixed(1)}%`;
    return sendPage(
      reply,
      <Page ctx={pageContext(req, reply)} title={`举报投诉统计 ${month}`}>
        <h1>举报投诉统计（{month}）</h1>
        <nav aria-label="月份" class="group-nav">
          <ul>
            <li>
              <a href={statsUrl(shiftMonth(month, -1))}>上个月</a>
            </li>
            <li>
              <a href={statsUrl(shiftMonth(month, 1))}>下个月</a>
            </li>
          </ul>
        </nav>
        <p>
          本月收到 {stats.received} 件；办结 {stats.onTime.closed} 件，其中可计算期限的 {stats.onTime.counted}{' '}
          件按期办结 {stats.onTime.onTime} 件，按期办结率 {rate}
          （期限按法定工作日计算：转办和不予受理按受理期限，其余按答复期限）。只公布件数，不公布具体事项。
        </p>
        {(Object.keys(STAT_TABLES) as StatTable[]).map((t) => (
          <StatSection stats={stats} table={t} />
        ))}
      </Page>,
    );
  });

  app.get('/complaints/stats.csv', { schema: { hide: true } }, async (req, reply) => {
    const month = monthOf(queryOf(req, 'month'));
    const key = queryOf(req, 'table');
    const table: StatTable = Object.hasOwn(STAT_TABLES, key) ? (key as StatTable) : 'kind';
    const t = STAT_TABLES[table];
    const stats = await monthStats(app.database.db, month);
    const csv = stringify(
      t.of(stats).map((b) => [month, defuse(b.label), b.count]),
      { header: true, columns: ['月份', t.column, '件数'] },
    );
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="complaints-${table}-${month}.csv"`)
      .send(`\uFEFF${csv}`);
  });
};
