import type { FastifyPluginAsync } from 'fastify';
import { queryOf } from '../../../http/forms.ts';
import { staffGuard } from '../../../views/staff/guard.ts';
import { StackTable } from '../../../views/table.tsx';
import { sendCsv } from '../notices/notices.downloads.ts';
import { ruleOf } from '../rules/rules.ts';
import { toCsv } from '../shared/csv.ts';
import { caseContextOf, type EnforcementOptions } from '../shared/enforcement.context.ts';
import { sendStaffPage } from '../shared/staff.views.tsx';
import {
  type DeadlineItem,
  deadlinesFor,
  needsAttention,
  STATE_NAME,
  WEEK_DAYS,
} from './deadline.service.ts';

/**
 * 期限提醒: every clock of supervision for the signed-in person's role (deadline.service.ts) — what is
 * overdue and what falls due within the week, each naming who holds it — and the same list as CSV.
 * `?all=1` also lists what is due later.
 */

const kindName: Record<DeadlineItem['kind'], string> = {
  task: '抽查任务',
  result: '抽查结果',
  rectification: '责令整改',
  penalty: '行政处罚',
};

export const deadlinePages: FastifyPluginAsync<EnforcementOptions> = async (app, opts) => {
  const db = () => app.database.db;
  const hide = { schema: { hide: true } };
  const guard = staffGuard(null);

  const items = async (user: NonNullable<import('fastify').FastifyRequest['user']>, all: boolean) => {
    const list = await deadlinesFor(db(), user, caseContextOf(opts).today, app.config.taskDueDays);
    return all ? list : needsAttention(list);
  };

  app.get('/admin/deadlines', { ...hide, preHandler: guard }, async (req, reply) => {
    const all = queryOf(req, 'all') === '1';
    const list = await items(req.user!, all);
    const overdue = list.filter((i) => i.state === 'overdue').length;
    const week = list.filter((i) => i.state === 'this-week').length;
    const { today } = caseContextOf(opts);
    return sendStaffPage(req, reply, {
      title: '期限提醒',
      children: (
        <>
          <h1>期限提醒</h1>
          <p>
            今天是{today}。<strong class="count-overdue">已逾期 {overdue} 项</strong>，
            <strong class="count-week">
              {WEEK_DAYS}日内到期 {week} 项
            </strong>
            。
            {all ? (
              <a href="/admin/deadlines">只看逾期和{WEEK_DAYS}日内到期的</a>
            ) : (
              <a href="/admin/deadlines?all=1">全部期限</a>
            )}{' '}
            ·{' '}
            <a href={`/admin/deadlines.csv${all ? '?all=1' : ''}`} download>
              下载CSV
            </a>
          </p>
          {list.length === 0 ? (
            <p class="muted">没有需要处理的期限。</p>
          ) : (
            <StackTable
              rows={list}
              className="stack deadlines"
              columns={[
                {
                  label: '状态',
                  cell: (i) => <span class={`deadline-${i.state}`}>{STATE_NAME[i.state]}</span>,
                },
                { label: '期限', cell: (i) => i.due ?? i.dueError ?? '—' },
                { label: '事项', cell: (i) => <a href={i.href}>{`${kindName[i.kind]}：${i.label}`}</a> },
                { label: '对象', cell: (i) => i.subject },
                { label: '办理人', cell: (i) => i.holder },
                { label: '负责科室', cell: (i) => i.office ?? ruleOf(i.regime)?.title ?? '—' },
                { label: '依据', cell: (i) => i.rule },
              ]}
            />
          )}
        </>
      ),
    });
  });

  app.get('/admin/deadlines.csv', { ...hide, preHandler: guard }, async (req, reply) => {
    const list = await items(req.user!, queryOf(req, 'all') === '1');
    const csv = toCsv(
      ['状态', '期限', '类别', '事项', '对象', '办理人', '负责科室', '监管制度', '依据', '链接'],
      list.map((i) => [
        STATE_NAME[i.state],
        i.due ?? i.dueError ?? '',
        kindName[i.kind],
        i.label,
        i.subject,
        i.holder,
        i.office ?? '',
        ruleOf(i.regime)?.title ?? '',
        i.rule,
        i.href,
      ]),
    );
    return sendCsv(reply, 'deadlines.csv', csv);
  });
};
