import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DbOrTx } from '../../../db/database.ts';
import { pageContext } from '../../../views/portal/context.ts';
import { TrailPage } from '../../../views/portal/layout.tsx';
import { sendPage } from '../../../views/render.ts';
import type { BackofficeContribution, BackofficeUser, WaitingItem } from '../../../views/staff/backoffice.ts';
import { staffGuard } from '../../../views/staff/guard.ts';
import { Csrf, csrfToken, doneNotice, sendStaffPage } from '../../../views/staff/page.tsx';
import { LEGAL_ADMINS } from '../legal/legal.pages.tsx';
import { healthCsv } from './health.export.ts';
import {
  FINDING_KINDS,
  type Finding,
  type FindingKind,
  type HealthReport,
  healthReport,
} from './health.service.ts';

/**
 * The list-health report where people read it: the public page (/health), the staff page with a
 * "propose a fix" button per finding (/admin/health; the button posts to the back office, which
 * opens the draft change set), CSV and JSON downloads (/api/v1/health), and the dashboard's count
 * of findings past or near their adjustment deadline.
 */

/** Who may open a draft change set from a finding (role codes; the change-set policy decides per record). */
export const HEALTH_PROPOSERS = ['admin', 'editor'] as const;

/** Findings whose deadline is this many days away or less count as due soon on the dashboard. */
const DUE_SOON_DAYS = 7;

function FindingList({ report, propose }: { report: HealthReport; propose?: { csrf: string } | null }) {
  const kinds = Object.keys(FINDING_KINDS) as FindingKind[];
  return (
    <>
      <nav class="group-nav" aria-label="问题类别">
        <ul>
          {kinds.map((k) => (
            <li>
              <a href={`#kind-${k}`}>
                {FINDING_KINDS[k]}（{report.counts[k]}）
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {kinds.map((k) => {
        const list = report.findings.filter((f) => f.kind === k);
        return (
          <section id={`kind-${k}`} aria-labelledby={`kind-h-${k}`}>
            <h2 id={`kind-h-${k}`}>
              {FINDING_KINDS[k]}（{list.length}）
            </h2>
            {list.length === 0 ? (
              <p class="muted">没有发现。</p>
            ) : (
              <ol class="records">
                {list.map((f) => (
                  <FindingEntry f={f} propose={propose} />
                ))}
              </ol>
            )}
          </section>
        );
      })}
    </>
  );
}

function FindingEntry({ f, propose }: { f: Finding; propose?: { csrf: string } | null }) {
  const changeable = f.records.some((r) => r.entity);
  return (
    <li
      id={`finding-${f.key.replace(/[^a-z0-9_-]/gi, '-')}`}
      class={f.overdue ? 'finding overdue' : 'finding'}
    >
      <p>
        <strong>{f.title}</strong>
      </p>
      <p class="meta">
        <span>{f.detail}</span>
      </p>
      <p class="meta">
        {f.basisChangedOn ? <span>依据变化：{f.basisChangedOn}</span> : null}
        <span>首次发现：{f.firstSeenOn}</span>
        <span>
          调整期限：{f.deadline}
          {f.overdue ? <strong class="overdue-label">（已逾期）</strong> : null}
        </span>
      </p>
      <ul>
        {f.records.map((r) => (
          <li>
            {r.relation}：<a href={r.url}>{r.label}</a>
            {r.line ? <span class="muted">（原文第 {r.line} 行）</span> : null}
          </li>
        ))}
      </ul>
      {propose ? (
        f.changeSetId !== null ? (
          <p>
            已提出调整单：<a href={`/admin/changes/${f.changeSetId}`}>调整单 {f.changeSetId}</a>
          </p>
        ) : changeable ? (
          <form method="post" action="/admin/health/propose">
            <Csrf token={propose.csrf} />
            <input type="hidden" name="key" value={f.key} />
            <button type="submit">提出修改（生成调整单草稿）</button>
          </form>
        ) : (
          <p class="muted">
            涉及的记录（相关依据、监管制度、部门名称）不能通过调整单修改：请在其他调整单的调整依据中说明。
          </p>
        )
      ) : null}
    </li>
  );
}

const months = (app: { config: { listAdjustMonths: number } }) => app.config.listAdjustMonths;

export const healthPages: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();

  app.get('/health', { schema: { hide: true } }, async (req, reply) => {
    const report = await healthReport(app.database.db, { months: months(app) });
    return sendPage(
      reply,
      <TrailPage
        ctx={pageContext(req, reply)}
        section="changes"
        crumbs={[{ href: '/health', label: '清单健康报告' }]}
      >
        <p>
          清单中需要调整的地方：依据已废止或变化的记录、重复或无人承担的事项、缺少电话的服务、原文的写法问题。共{' '}
          {report.findings.length} 项；调整期限为依据变化（或首次发现）后 {report.adjustMonths}{' '}
          个月。依据的时效见
          <a href="/legal">法律法规库</a>。
        </p>
        <p class="downloads">
          下载：<a href="/api/v1/health?format=csv">CSV</a> · <a href="/api/v1/health?format=json">JSON</a>
        </p>
        <FindingList report={report} />
      </TrailPage>,
    );
  });

  app.get(
    '/api/v1/health',
    {
      schema: {
        tags: ['exports'],
        summary: '清单健康报告（JSON 或 CSV）',
        querystring: z.object({ format: z.enum(['json', 'csv']).default('json') }),
      },
    },
    async (req, reply) => {
      const report = await healthReport(app.database.db, { months: months(app) });
      if (req.query.format === 'csv') {
        reply.header('content-disposition', `attachment; filename="zhize-health-${report.generatedOn}.csv"`);
        return reply.type('text/csv; charset=utf-8').send(healthCsv(report));
      }
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(report, null, 2));
    },
  );

  app.get('/admin/health', { schema: { hide: true }, preHandler: staffGuard(null) }, async (req, reply) => {
    const user = req.user as { id: number; username: string; role: string } | null;
    const report = await healthReport(app.database.db, {
      months: months(app),
      record: { actor: { id: user?.id ?? null, name: user?.username ?? 'unknown' } },
    });
    const mayPropose = user !== null && (HEALTH_PROPOSERS as readonly string[]).includes(user.role);
    return sendStaffPage(req, reply, {
      title: '清单健康报告',
      notice: doneNotice(req, {}),
      children: (
        <>
          <h1>清单健康报告</h1>
          <p>
            共 {report.findings.length} 项，其中 {report.findings.filter((f) => f.overdue).length}{' '}
            项已过调整期限（依据变化或首次发现后 {report.adjustMonths} 个月，LIST_ADJUST_MONTHS）。下载：
            <a href="/api/v1/health?format=csv">CSV</a> · <a href="/api/v1/health?format=json">JSON</a>
            {user && (LEGAL_ADMINS as readonly string[]).includes(user.role) ? (
              <>
                {' '}
                · <a href="/admin/legal">维护法律法规库</a>
              </>
            ) : null}
          </p>
          <FindingList report={report} propose={mayPropose ? { csrf: csrfToken(req, reply) } : null} />
        </>
      ),
    });
  });
};

/** What the list-health report contributes to the back office: its pages and the deadlines that wait. */
export function healthBackoffice(months: number): BackofficeContribution<DbOrTx> {
  return {
    nav: [
      { href: '/admin/health', label: '清单健康', order: 25 },
      { href: '/admin/legal', label: '法律法规库', roles: LEGAL_ADMINS, order: 26 },
    ],
    async waiting(db: DbOrTx, user: BackofficeUser): Promise<WaitingItem[]> {
      if (!(HEALTH_PROPOSERS as readonly string[]).includes(user.role) && user.role !== 'reviewer') return [];
      const report = await healthReport(db, { months });
      const open = report.findings.filter((f) => f.changeSetId === null);
      const soon = new Date(Date.parse(`${report.generatedOn}T00:00:00Z`) + DUE_SOON_DAYS * 86_400_000)
        .toISOString()
        .slice(0, 10);
      const overdue = open.filter((f) => f.overdue);
      const due = open.filter((f) => !f.overdue && f.deadline <= soon);
      const examples = (list: Finding[]) =>
        list.slice(0, 5).map((f) => ({ label: `${f.title}（期限 ${f.deadline}）`, href: '/admin/health' }));
      return [
        {
          label: '已过调整期限、尚未提出调整的清单问题',
          count: overdue.length,
          href: '/admin/health',
          examples: examples(overdue),
        },
        {
          label: `${DUE_SOON_DAYS} 天内到期的清单问题`,
          count: due.length,
          href: '/admin/health',
          examples: examples(due),
        },
      ];
    },
  };
}
