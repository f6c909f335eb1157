import type { FastifyPluginAsync } from 'fastify';
import type { DbOrTx } from '../../db/database.ts';
import { chinaDateTime, todayInChina } from '../../lib/china-time.ts';
import { calendarCoverage, coveredYears, noticeTitle } from '../../lib/workdays.ts';
import type { BackofficeContribution } from '../../views/staff/backoffice.ts';
import { staffGuard } from '../../views/staff/guard.ts';
import { sendStaffPage } from '../../views/staff/page.tsx';
import { StackTable } from '../../views/table.tsx';
import { listNotices } from './calendar.repo.ts';
import { loadCalendar } from './calendar.service.ts';

/** Every staff role sees which years the working-day calendar covers (role codes of the auth module). */
export const CALENDAR_READERS = ['admin', 'editor', 'reviewer', 'inspector', 'auditor'] as const;

export const calendarBackoffice: BackofficeContribution<DbOrTx> = {
  nav: [{ href: '/admin/calendar', label: '工作日历', roles: ['admin', 'auditor'], order: 85 }],
};

/** 工作日历: the covered years, each with the notice it comes from; the years still to load. */
export const calendarPages: FastifyPluginAsync = async (app) => {
  app.get(
    '/admin/calendar',
    { schema: { hide: true }, preHandler: staffGuard(CALENDAR_READERS) },
    async (req, reply) => {
      const db = app.database.db;
      await loadCalendar(db);
      const rows = await listNotices(db);
      const byYear = new Map(rows.map((r) => [r.year, r]));
      const coverage = calendarCoverage();
      const thisYear = Number(todayInChina().slice(0, 4));
      const missing = [thisYear, thisYear + 1].filter((y) => !coveredYears().has(y));
      return sendStaffPage(req, reply, {
        title: '工作日历',
        children: (
          <>
            <h1>工作日历（法定工作日）</h1>
            <p class="muted">
              所有按工作日计算的期限（投诉办理、抽查结果公示、整改期限、复查申请等）都按下表的节假日安排计算。某一年没有载入时，
              涉及该年的期限会拒绝计算并提示应载入哪一份通知；12月25日以后的日期还需要下一年的安排。
            </p>
            {missing.length > 0 ? (
              <div class="notice notice-error" role="status">
                {missing.map((y) => (
                  <p>
                    尚未覆盖{y}年：国务院办公厅公布后，请系统管理员载入《{noticeTitle(y)}》：
                    <code>zhize calendar import &lt;文件&gt;</code>
                  </p>
                ))}
              </div>
            ) : null}
            <StackTable
              rows={coverage}
              columns={[
                { label: '年份', cell: (c) => `${c.year}年` },
                {
                  label: '来源',
                  cell: (c) =>
                    c.source === 'notice' ? (
                      <>
                        《{c.notice.title}》{c.notice.documentNumber}
                        {c.notice.testFixture ? (
                          <strong class="overdue">（测试数据，非官方通知）</strong>
                        ) : null}
                      </>
                    ) : (
                      'chinese-days 软件包内置数据'
                    ),
                },
                {
                  label: '放假 / 调休上班',
                  cell: (c) =>
                    c.source === 'notice'
                      ? `${c.notice.holidays.length}天 / ${c.notice.workdays.length}天`
                      : '—',
                },
                {
                  label: '载入',
                  cell: (c) => {
                    const r = byYear.get(c.year);
                    return r ? `${chinaDateTime(r.imported_at)}，${r.imported_by}` : '—';
                  },
                },
              ]}
            />
            <p class="muted">
              载入格式见
              docs/calendar.md；载入和替换都记入审计日志。已载入的年份以通知为准，不再使用软件包的数据。
            </p>
          </>
        ),
      });
    },
  );
};
