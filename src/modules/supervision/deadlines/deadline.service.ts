import type { DbOrTx } from '../../../db/database.ts';
import type { SessionUser } from '../../auth/index.ts';
import { publicationDeadline, taskDueDate } from '../inspections/due.ts';
import { inspectionsOfTasks, listResults, taskInspectors } from '../inspections/inspection.repo.ts';
import { PUBLICATION_DEADLINE } from '../inspections/result.categories.ts';
import { isEditable } from '../inspections/result.workflow.ts';
import {
  addDays,
  decisionDue,
  deliveryDue,
  hearingRequestLastDay,
  paymentDue,
  publicationDue,
} from '../penalties/penalty.clocks.ts';
import {
  DECISION_DELIVERY,
  DECISION_DUE,
  HEARING_NOTICE,
  HEARING_REQUEST,
  PAYMENT_DUE,
  PUBLICATION_DUE,
} from '../penalties/penalty.law.ts';
import { listCases } from '../penalties/penalty.repo.ts';
import { UNDECIDED } from '../penalties/penalty.workflow.ts';
import { listOrders } from '../rectifications/rectification.repo.ts';
import { currentDeadline } from '../rectifications/rectification.service.ts';
import { reachOf } from '../shared/reach.ts';

/**
 * Every clock of supervision on one list (issue 10 item 4): the inspections' (task due dates, result
 * publication within 20 working days), the rectification orders' (the period and the re-inspection
 * after it) and the penalty cases' (行政处罚法: hearing request, decision within 90 days, delivery,
 * publication, payment). Each item names who holds it — the person or the role that must act — and
 * the rule its date comes from. What a person sees follows their role: managers and auditors all;
 * an editor what their offices' regimes own; an inspector what they hold; a legal reviewer the
 * penalty cases. Dates are China dates; a date the holiday calendar does not cover yet is listed
 * with the reason instead of a date.
 */

export type DeadlineState = 'overdue' | 'this-week' | 'later' | 'unknown';
export const STATE_NAME: Record<DeadlineState, string> = {
  overdue: '已逾期',
  'this-week': '7日内到期',
  later: '未到期',
  unknown: '无法计算',
};

/** "This week": today and the six days after it. */
export const WEEK_DAYS = 7;

export interface DeadlineItem {
  kind: 'task' | 'result' | 'rectification' | 'penalty';
  /** What must be done by the date, in Chinese. */
  label: string;
  subject: string;
  href: string;
  due: string | null;
  /** Why no date (calendar not covered). */
  dueError: string | null;
  state: DeadlineState;
  /** Who holds it: names, or the role that must act. */
  holder: string;
  holderIds: number[];
  regime: number;
  office: string | null;
  /** Where the period comes from. */
  rule: string;
}

const stateOf = (due: string | null, today: string): DeadlineState =>
  due === null
    ? 'unknown'
    : due < today
      ? 'overdue'
      : due <= addDays(today, WEEK_DAYS - 1)
        ? 'this-week'
        : 'later';

const cite = (c: { law: string; article: string }) => `${c.law}${c.article}`;

/** All items, unscoped; `today` decides the states. */
export async function allDeadlines(db: DbOrTx, today: string, taskDueDays: number): Promise<DeadlineItem[]> {
  const out: DeadlineItem[] = [];
  const item = (i: Omit<DeadlineItem, 'state'>) => out.push({ ...i, state: stateOf(i.due, today) });

  // Rectification orders: the period runs from delivery; the re-inspection is due after it.
  for (const o of await listOrders(db, { statuses: ['delivered'] })) {
    const d = currentDeadline(o);
    item({
      kind: 'rectification',
      label: '整改期限届满，复查整改情况',
      subject: o.entityName,
      href: `/admin/supervision/rectifications/${o.id}`,
      due: d.date,
      dueError: d.error,
      holder: o.reinspectorName
        ? `复查人员 ${o.reinspectorName}`
        : `承办人 ${o.handlerName}（未指派复查人员）`,
      holderIds: [o.reinspector_id ?? o.handler_id],
      regime: o.regime_seq,
      office: o.officeName,
      rule: `整改通知书规定的${o.term_amount}${o.term_unit === 'days' ? '日' : '个工作日'}，自送达之日（${o.delivered_on}）起算`,
    });
  }

  // Penalty cases.
  for (const c of await listCases(db)) {
    const base = {
      kind: 'penalty' as const,
      subject: c.entityName,
      href: `/admin/supervision/penalties/${c.id}`,
      dueError: null,
      regime: c.regime_seq,
      office: c.officeName,
    };
    const handler = { holder: `承办人 ${c.handlerName}`, holderIds: [c.handler_id] };
    if ((UNDECIDED as readonly string[]).includes(c.status)) {
      const holder =
        c.status === 'in-review'
          ? { holder: '法制审核人员（待法制审核）', holderIds: [] }
          : c.status === 'approved'
            ? { holder: '本局负责人（审核人、系统管理员）待作出决定', holderIds: [] }
            : handler;
      item({
        ...base,
        ...holder,
        label: '作出行政处罚决定',
        due: decisionDue(c.filed_on),
        rule: cite(DECISION_DUE.citation),
      });
    }
    if (c.status === 'notified' && c.hearing_offered && c.notice_on) {
      item({
        ...base,
        ...handler,
        label: '当事人要求听证的期限（期满后提交法制审核）',
        due: hearingRequestLastDay(c.notice_on),
        rule: cite(HEARING_REQUEST.citation),
      });
    }
    if (c.status === 'hearing-scheduled' && c.hearing_on) {
      item({
        ...base,
        ...handler,
        label: '举行听证',
        due: c.hearing_on,
        rule: cite(HEARING_NOTICE.citation),
      });
    }
    if ((c.status === 'decided' || c.status === 'not-penalised') && c.decision_on && !c.delivered_on) {
      item({
        ...base,
        ...handler,
        label: '送达处罚决定书',
        due: deliveryDue(c.decision_on),
        rule: cite(DECISION_DELIVERY.citation),
      });
    }
    if (['decided', 'paid', 'not-penalised'].includes(c.status) && c.decision_on && !c.published_on) {
      const p = publicationDue(c.decision_on);
      item({
        ...base,
        holder: '审核人、系统管理员（登记公示）',
        holderIds: [],
        label: '公开行政处罚决定信息',
        due: p.date,
        dueError: p.error,
        rule: cite(PUBLICATION_DUE.citation),
      });
    }
    if (c.status === 'decided' && c.delivered_on && c.amount_fen) {
      item({
        ...base,
        ...handler,
        label: '当事人缴纳罚款（逾期每日加处3%）',
        due: paymentDue(c.delivered_on),
        rule: cite(PAYMENT_DUE.citation),
      });
    }
  }

  // Inspections: results waiting for publication (20 working days from the check).
  const results = await listResults(db, { statuses: ['pending', 'returned', 'draft'] });
  const resultTasks = await taskInspectors(
    db,
    results.map((r) => r.taskId),
  );
  const plans = await db.selectFrom('inspection_plans').selectAll().where('status', '=', 'drawn').execute();
  const regimeOfPlan = new Map(plans.map((p) => [p.id, p.regime_seq]));
  for (const r of results) {
    if (!r.checkedOn) continue;
    const p = publicationDeadline(r.checkedOn, Date.parse(`${today}T04:00:00Z`));
    const inspectors = resultTasks.get(r.taskId) ?? [];
    item({
      kind: 'result',
      label: r.status === 'pending' ? '审核并公示抽查结果' : '完成并确认现场检查笔录（结果待公示）',
      subject: r.name,
      href: `/admin/supervision/tasks/${r.taskId}`,
      due: p.date,
      dueError: p.error,
      holder:
        r.status === 'pending'
          ? '审核人、系统管理员（未参加检查的）'
          : `执法人员 ${inspectors.map((i) => i.name).join('、')}`,
      holderIds: r.status === 'pending' ? [] : inspectors.flatMap((i) => (i.userId ? [i.userId] : [])),
      regime: regimeOfPlan.get(r.planId) ?? 0,
      office: null,
      rule: `检查之日起${PUBLICATION_DEADLINE.workingDays}个工作日内公示（${PUBLICATION_DEADLINE.citation.source}）`,
    });
  }

  // Inspections: open tasks of plans whose due date is within the week or past.
  for (const plan of plans) {
    const due = taskDueDate(plan, taskDueDays);
    if (!due || due.date > addDays(today, WEEK_DAYS - 1)) continue;
    const tasks = await db
      .selectFrom('plan_tasks')
      .select(['id', 'name'])
      .where('plan_id', '=', plan.id)
      .orderBy('position')
      .execute();
    const ids = tasks.map((t) => t.id);
    const [inspections, inspectors] = await Promise.all([
      inspectionsOfTasks(db, ids),
      taskInspectors(db, ids),
    ]);
    for (const t of tasks) {
      const status = inspections.get(t.id)?.status ?? null;
      if (status !== null && !isEditable(status)) continue;
      const who = inspectors.get(t.id) ?? [];
      item({
        kind: 'task',
        label: '完成抽查任务',
        subject: t.name,
        href: `/admin/supervision/tasks/${t.id}`,
        due: due.date,
        dueError: null,
        holder: `执法人员 ${who.map((i) => i.name).join('、')}`,
        holderIds: who.flatMap((i) => (i.userId ? [i.userId] : [])),
        regime: plan.regime_seq,
        office: null,
        rule: due.source,
      });
    }
  }
  const order: Record<DeadlineState, number> = { overdue: 0, unknown: 1, 'this-week': 2, later: 3 };
  return out.sort(
    (a, b) => order[a.state] - order[b.state] || (a.due ?? '9999').localeCompare(b.due ?? '9999'),
  );
}

/** The items this person's role shows (see the module comment). */
export async function deadlinesFor(
  db: DbOrTx,
  user: SessionUser,
  today: string,
  taskDueDays: number,
): Promise<DeadlineItem[]> {
  const all = await allDeadlines(db, today, taskDueDays);
  if (user.role === 'admin' || user.role === 'reviewer' || user.role === 'auditor') return all;
  if (user.role === 'legal_reviewer') return all.filter((i) => i.kind === 'penalty');
  if (user.role === 'inspector') return all.filter((i) => i.holderIds.includes(user.id));
  if (user.role === 'editor') {
    const reach = await reachOf(db, user);
    return all.filter((i) => reach.regimes.has(i.regime) || i.holderIds.includes(user.id));
  }
  return [];
}

/** What needs attention: overdue and due within the week (plus dates that cannot be computed). */
export const needsAttention = (items: readonly DeadlineItem[]) => items.filter((i) => i.state !== 'later');
