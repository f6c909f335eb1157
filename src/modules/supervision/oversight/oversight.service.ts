import type { DbOrTx, Tx } from '../../../db/database.ts';
import { nowIso } from '../../../db/database.ts';
import { AppError } from '../../../http/errors.ts';
import { chinaNoon, isCalendarDate, todayInChina } from '../../../lib/china-time.ts';
import { addWorkingDays, CalendarCoverageError } from '../../../lib/workdays.ts';
import { appendAudit } from '../../audit/index.ts';
import { actorOf, type SessionUser } from '../../auth/index.ts';
import { issueDocument } from '../../documents/index.ts';
import { type RegimeRule, ruleOf } from '../rules/rules.ts';
import { reachOf } from '../shared/reach.ts';
import { oversightAbilities } from './oversight.policy.ts';

/**
 * Oversight of county bureaus and entrusted bodies (regimes 1, 2 and 10): a check by at least the
 * number of staff the regime requires (rules.data.ts minInspectors: regime 2 line 1318, regime 10
 * line 1746), its findings, the 执法监督通知（决定）书 with its five required elements (regime 1,
 * lines 1226–1230), the body's written correction report (line 1231), and the 复查: requested within
 * 10 working days of receipt and decided within 15 working days of the request (regime 1 deadlines
 * review-request and review-decision, line 1231). Every write is audited in its transaction.
 */

/** The regimes whose subjects are county bureaus or entrusted bodies. */
export const OVERSIGHT_REGIMES = [1, 2, 10] as const;

export const OVERSIGHT_METHOD_NAME = { self: '自查', mutual: '互查', spot: '抽查' } as const;
export type OversightMethod = keyof typeof OVERSIGHT_METHOD_NAME;

export const OVERSIGHT_STATUS_NAME = {
  open: '检查中',
  'no-finding': '未发现问题',
  notice: '已下达通知书',
  corrected: '已报告纠正情况',
  'review-requested': '已申请复查',
  reviewed: '已作出复查决定',
} as const;
export type OversightStatus = keyof typeof OVERSIGHT_STATUS_NAME;

const invalid = (problems: string[]) => new AppError(400, 'invalid_oversight', problems.join('；'), problems);

function regimeOf(seq: number): RegimeRule {
  const r = OVERSIGHT_REGIMES.includes(seq as 1) ? ruleOf(seq) : undefined;
  if (!r) throw invalid([`执法监督检查只适用于监管制度 ${OVERSIGHT_REGIMES.join('、')}`]);
  return r;
}

function deadlineOf(key: 'review-request' | 'review-decision') {
  const d = ruleOf(1)?.deadlines.items.find((x) => x.key === key);
  if (!d || d.amount === null) throw new Error(`regime 1 has no deadline ${key}`);
  return d;
}

/** The five elements of the notice, with the line that requires each (regime 1). */
export function noticeElements() {
  const items = ruleOf(1)?.documentContents.items ?? [];
  const keys = ['bodyName', 'facts', 'decision', 'execution', 'issuer'] as const;
  if (items.length !== keys.length) throw new Error('regime 1 must list five notice elements');
  return keys.map((key, i) => ({ key, label: items[i]!.text, line: items[i]!.citation.line }));
}

async function target(db: DbOrTx, user: SessionUser, regime: number) {
  return { regime, reach: await reachOf(db, user) };
}

async function checkOrThrow(db: DbOrTx, id: number) {
  const c = await db.selectFrom('oversight_checks').selectAll().where('id', '=', id).executeTakeFirst();
  if (!c) throw new AppError(404, 'not_found', '未找到这次执法监督检查');
  return c;
}

async function transitionCheck(tx: Tx, id: number, from: OversightStatus[], to: OversightStatus) {
  const r = await tx
    .updateTable('oversight_checks')
    .set({ status: to, updated_at: nowIso() })
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) {
    throw new AppError(
      409,
      'oversight_state',
      `当前状态不能执行这一步（应为：${from.map((s) => OVERSIGHT_STATUS_NAME[s]).join('或')}）`,
    );
  }
}

const dateProblem = (label: string, v: string, today: string) =>
  !isCalendarDate(v) ? `请填写${label}（年-月-日）` : v > today ? `${label}不能晚于今天（${today}）` : null;

// ───────────────────────────── checks ─────────────────────────────

export interface CreateCheckInput {
  bodyEntityId: number;
  regime: number;
  method: string;
  checkedOn: string;
  staffUserIds: number[];
}

export async function createOversightCheck(
  tx: Tx,
  user: SessionUser,
  input: CreateCheckInput,
  today = todayInChina(),
): Promise<number> {
  oversightAbilities.assertRole('handle', user);
  const rule = regimeOf(input.regime);
  oversightAbilities.assert('handle', user, await target(tx, user, rule.seq));
  const problems: string[] = [];
  const body = await tx
    .selectFrom('regulated_entities as e')
    .innerJoin('regulated_entity_categories as c', 'c.entity_id', 'e.id')
    .select(['e.id', 'e.name'])
    .where('e.id', '=', input.bodyEntityId)
    .where('c.category_code', '=', 'county-bureau')
    .executeTakeFirst();
  if (!body) problems.push('被检查单位应为登记在册的县级商务主管部门或受委托机关');
  if (!(input.method in OVERSIGHT_METHOD_NAME)) problems.push('检查方式应为自查、互查或抽查');
  const d = dateProblem('检查日期', input.checkedOn, today);
  if (d) problems.push(d);
  const staff = [...new Set(input.staffUserIds)];
  const min = rule.minInspectors.value;
  if (min !== null && staff.length < min) {
    problems.push(
      `监管制度 ${rule.seq} 规定检查应当委派${min}名以上工作人员（原文第 ${rule.minInspectors.citation?.line} 行：“${rule.minInspectors.citation?.quote}”），现只有 ${staff.length} 名`,
    );
  }
  if (staff.length === 0) problems.push('请选择参加检查的工作人员');
  const known = staff.length
    ? await tx.selectFrom('users').select('id').where('id', 'in', staff).where('active', '=', 1).execute()
    : [];
  if (known.length !== staff.length) problems.push('参加检查的工作人员中有不存在或已停用的账号');
  if (problems.length > 0) throw invalid(problems);
  const now = nowIso();
  const row = await tx
    .insertInto('oversight_checks')
    .values({
      body_entity_id: input.bodyEntityId,
      regime_seq: rule.seq,
      year: Number(input.checkedOn.slice(0, 4)),
      method: input.method,
      checked_on: input.checkedOn,
      findings: null,
      status: 'open',
      created_by: user.id,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('oversight_check_staff')
    .values(staff.map((u) => ({ check_id: row.id, user_id: u })))
    .execute();
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'create-oversight-check',
    entity: 'oversight-check',
    entityId: row.id,
    after: { ...input, staffUserIds: staff },
  });
  return row.id;
}

/** Findings, or none: with none the check ends as 未发现问题. */
export async function recordFindings(tx: Tx, user: SessionUser, id: number, findings: string): Promise<void> {
  const c = await checkOrThrow(tx, id);
  oversightAbilities.assert('handle', user, await target(tx, user, c.regime_seq));
  const text = findings.trim();
  if (text.length > 5000) throw invalid(['检查发现最多 5000 字']);
  await transitionCheck(tx, id, ['open'], text === '' ? 'no-finding' : 'open');
  await tx
    .updateTable('oversight_checks')
    .set({ findings: text || null })
    .where('id', '=', id)
    .execute();
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'record-oversight-findings',
    entity: 'oversight-check',
    entityId: id,
    after: { findings: text || null },
  });
}

// ───────────────────────────── the notice ─────────────────────────────

export interface NoticeInput {
  bodyName: string;
  facts: string;
  decision: string;
  execution: string;
  executionDeadline: string;
  issuer: string;
  issuedOn: string;
}

/**
 * Issues the 执法监督通知（决定）书: every one of the five elements is required (an empty one is
 * refused, naming it and its line), and the execution deadline is part of the fourth. The number
 * (文号) comes from the documents module, sequential per type and year, and the document is frozen.
 */
export async function issueOversightNotice(
  tx: Tx,
  user: SessionUser,
  id: number,
  input: NoticeInput,
  today = todayInChina(),
) {
  const c = await checkOrThrow(tx, id);
  oversightAbilities.assert('handle', user, await target(tx, user, c.regime_seq));
  if (!c.findings) throw invalid(['请先记录检查发现的问题，再下达执法监督通知（决定）书']);
  const problems: string[] = [];
  for (const e of noticeElements()) {
    if ((input[e.key] ?? '').trim() === '')
      problems.push(`通知书须载明“${e.label}”（原文第 ${e.line} 行），请填写`);
  }
  const execution = noticeElements()[3]!;
  if (!isCalendarDate(input.executionDeadline)) {
    problems.push(
      `通知书须载明执行处理决定的期限（原文第 ${execution.line} 行：“${execution.label}”），请填写执行期限（年-月-日）`,
    );
  }
  const d = dateProblem('通知书日期', input.issuedOn, today);
  if (d) problems.push(d);
  if (
    isCalendarDate(input.executionDeadline) &&
    isCalendarDate(input.issuedOn) &&
    input.executionDeadline <= input.issuedOn
  ) {
    problems.push('执行期限应晚于通知书日期');
  }
  if (problems.length > 0) throw invalid(problems);
  await transitionCheck(tx, id, ['open'], 'notice');
  // The notice is an official document: its 文号 is allocated in this transaction, its bytes frozen.
  const doc = await issueDocument(tx, {
    type: 'oversight-notice',
    subject: { kind: 'oversight-check', id },
    fields: {
      inspectedBody: input.bodyName.trim(),
      factsAndReasons: input.facts.trim(),
      decisionAndBasis: input.decision.trim(),
      executionMethodAndDeadline: `${input.execution.trim()}（执行期限：${input.executionDeadline}）`,
      inspectingBody: input.issuer.trim(),
    },
    issuedBy: user,
    at: chinaNoon(input.issuedOn),
  });
  const number = doc.number;
  const row = await tx
    .insertInto('oversight_notices')
    .values({
      check_id: id,
      body_name: input.bodyName.trim(),
      facts: input.facts.trim(),
      decision: input.decision.trim(),
      execution: input.execution.trim(),
      execution_deadline: input.executionDeadline,
      issuer: input.issuer.trim(),
      issued_on: input.issuedOn,
      number,
      document_id: doc.id,
      received_on: null,
      correction_report: null,
      corrected_on: null,
      review_requested_on: null,
      review_reason: null,
      review_due: null,
      review_decided_on: null,
      review_decision: null,
      created_by: user.id,
      created_at: nowIso(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'issue-oversight-notice',
    entity: 'oversight-check',
    entityId: id,
    after: { noticeId: row.id, number, documentId: doc.id, sha256: doc.sha256, ...input },
  });
  return { id: row.id, number, documentId: doc.id };
}

async function noticeOrThrow(db: DbOrTx, checkId: number) {
  const n = await db
    .selectFrom('oversight_notices')
    .selectAll()
    .where('check_id', '=', checkId)
    .executeTakeFirst();
  if (!n) throw new AppError(409, 'no_notice', '这次检查还没有下达执法监督通知（决定）书');
  return n;
}

/** The day the body received the notice: the 复查 window runs from it. */
export async function recordReceipt(
  tx: Tx,
  user: SessionUser,
  checkId: number,
  receivedOn: string,
  today = todayInChina(),
) {
  const c = await checkOrThrow(tx, checkId);
  oversightAbilities.assert('handle', user, await target(tx, user, c.regime_seq));
  const n = await noticeOrThrow(tx, checkId);
  const problems = [dateProblem('送达（收到）日期', receivedOn, today)].filter(
    (p): p is string => p !== null,
  );
  if (problems.length === 0 && receivedOn < n.issued_on) problems.push('收到日期不能早于通知书日期');
  if (n.received_on) problems.push(`已登记收到日期 ${n.received_on}`);
  if (problems.length > 0) throw invalid(problems);
  await tx.updateTable('oversight_notices').set({ received_on: receivedOn }).where('id', '=', n.id).execute();
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'record-oversight-receipt',
    entity: 'oversight-check',
    entityId: checkId,
    after: { receivedOn, reviewRequestDue: reviewRequestDue(receivedOn) },
  });
}

/** The last day a 复查 may be requested: 10 working days from receipt (regime 1, line 1231). */
export function reviewRequestDue(receivedOn: string): string {
  return addWorkingDays(receivedOn, deadlineOf('review-request').amount!);
}

/** The body's written report of its correction (regime 1, line 1231). */
export async function reportCorrection(
  tx: Tx,
  user: SessionUser,
  checkId: number,
  report: string,
  on: string,
  today = todayInChina(),
) {
  const c = await checkOrThrow(tx, checkId);
  oversightAbilities.assert('handle', user, await target(tx, user, c.regime_seq));
  const n = await noticeOrThrow(tx, checkId);
  const problems: string[] = [];
  if (report.trim() === '') problems.push('请填写被检查单位书面报告的纠正情况');
  const d = dateProblem('报告日期', on, today);
  if (d) problems.push(d);
  if (problems.length > 0) throw invalid(problems);
  await transitionCheck(tx, checkId, ['notice', 'reviewed'], 'corrected');
  await tx
    .updateTable('oversight_notices')
    .set({ correction_report: report.trim(), corrected_on: on })
    .where('id', '=', n.id)
    .execute();
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'report-oversight-correction',
    entity: 'oversight-check',
    entityId: checkId,
    after: { on, late: on > n.execution_deadline },
  });
}

/** A 复查 request: refused after the 10th working day from receipt, naming the day it was due. */
export async function requestReview(
  tx: Tx,
  user: SessionUser,
  checkId: number,
  on: string,
  reason: string,
  today = todayInChina(),
) {
  const c = await checkOrThrow(tx, checkId);
  oversightAbilities.assert('handle', user, await target(tx, user, c.regime_seq));
  const n = await noticeOrThrow(tx, checkId);
  const problems: string[] = [];
  const d = dateProblem('复查申请日期', on, today);
  if (d) problems.push(d);
  if (reason.trim() === '') problems.push('请填写申请复查的理由');
  if (!n.received_on) problems.push('请先登记被检查单位收到通知书的日期');
  if (problems.length > 0) throw invalid(problems);
  const rule = deadlineOf('review-request');
  let due: string;
  let decisionDue: string;
  try {
    due = reviewRequestDue(n.received_on!);
    decisionDue = addWorkingDays(on, deadlineOf('review-decision').amount!);
  } catch (e) {
    if (e instanceof CalendarCoverageError) throw new AppError(409, e.code, e.messageZh);
    throw e;
  }
  if (on < n.received_on!) throw invalid(['复查申请日期不能早于收到通知书的日期']);
  if (on > due) {
    throw new AppError(
      409,
      'review_request_late',
      `复查申请应当在收到通知书之日（${n.received_on}）起${rule.amount}个工作日内提出，即最迟 ${due}；${on} 已超过期限（原文第 ${rule.citation.line} 行）`,
    );
  }
  await transitionCheck(tx, checkId, ['notice', 'corrected'], 'review-requested');
  await tx
    .updateTable('oversight_notices')
    .set({ review_requested_on: on, review_reason: reason.trim(), review_due: decisionDue })
    .where('id', '=', n.id)
    .execute();
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'request-oversight-review',
    entity: 'oversight-check',
    entityId: checkId,
    after: { on, requestDue: due, decisionDue },
  });
  return { decisionDue };
}

export async function decideReview(
  tx: Tx,
  user: SessionUser,
  checkId: number,
  on: string,
  decision: string,
  today = todayInChina(),
) {
  const c = await checkOrThrow(tx, checkId);
  oversightAbilities.assert('handle', user, await target(tx, user, c.regime_seq));
  const n = await noticeOrThrow(tx, checkId);
  const problems: string[] = [];
  const d = dateProblem('复查决定日期', on, today);
  if (d) problems.push(d);
  if (decision.trim() === '') problems.push('请填写复查决定');
  if (n.review_requested_on && on < n.review_requested_on) problems.push('复查决定日期不能早于申请日期');
  if (problems.length > 0) throw invalid(problems);
  await transitionCheck(tx, checkId, ['review-requested'], 'reviewed');
  await tx
    .updateTable('oversight_notices')
    .set({ review_decided_on: on, review_decision: decision.trim() })
    .where('id', '=', n.id)
    .execute();
  const late = n.review_due !== null && on > n.review_due;
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'decide-oversight-review',
    entity: 'oversight-check',
    entityId: checkId,
    after: { on, due: n.review_due, late },
  });
  return { late };
}

// ───────────────────────────── reading ─────────────────────────────

export async function listOversightChecks(db: DbOrTx, year?: number) {
  let q = db
    .selectFrom('oversight_checks as o')
    .innerJoin('regulated_entities as e', 'e.id', 'o.body_entity_id')
    .innerJoin('counties as k', 'k.id', 'e.county_id')
    .leftJoin('oversight_notices as n', 'n.check_id', 'o.id')
    .select([
      'o.id',
      'o.regime_seq',
      'o.year',
      'o.method',
      'o.checked_on',
      'o.findings',
      'o.status',
      'e.name as body',
      'k.name as county',
      'k.position',
      'n.number',
      'n.issued_on',
      'n.received_on',
      'n.execution_deadline',
      'n.corrected_on',
      'n.review_requested_on',
      'n.review_due',
      'n.review_decided_on',
    ]);
  if (year !== undefined) q = q.where('o.year', '=', year);
  return q.orderBy('o.checked_on', 'desc').orderBy('o.id', 'desc').execute();
}

export async function oversightDetail(db: DbOrTx, id: number) {
  const c = await checkOrThrow(db, id);
  const [body, staff, notice] = await Promise.all([
    db
      .selectFrom('regulated_entities as e')
      .innerJoin('counties as k', 'k.id', 'e.county_id')
      .select(['e.name', 'k.name as county'])
      .where('e.id', '=', c.body_entity_id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('oversight_check_staff as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select(['u.id', 'u.display_name'])
      .where('s.check_id', '=', id)
      .orderBy('u.id')
      .execute(),
    db.selectFrom('oversight_notices').selectAll().where('check_id', '=', id).executeTakeFirst(),
  ]);
  return {
    check: c,
    body,
    staff,
    notice: notice ?? null,
    reviewRequestDue: notice?.received_on ? safeDue(notice.received_on) : null,
  };
}

function safeDue(receivedOn: string): string | null {
  try {
    return reviewRequestDue(receivedOn);
  } catch (e) {
    if (e instanceof CalendarCoverageError) return null;
    throw e;
  }
}

/** The yearly assessment per county: what the checks found and how the bodies answered. */
export async function oversightAssessment(db: DbOrTx, year: number) {
  const rows = await listOversightChecks(db, year);
  const by = new Map<
    string,
    {
      county: string;
      checks: number;
      withFindings: number;
      notices: number;
      corrected: number;
      correctedOnTime: number;
      reviews: number;
    }
  >();
  for (const r of rows) {
    const a = by.get(r.county) ?? {
      county: r.county,
      checks: 0,
      withFindings: 0,
      notices: 0,
      corrected: 0,
      correctedOnTime: 0,
      reviews: 0,
    };
    a.checks += 1;
    if (r.findings) a.withFindings += 1;
    if (r.number) a.notices += 1;
    if (r.corrected_on) {
      a.corrected += 1;
      if (r.execution_deadline && r.corrected_on <= r.execution_deadline) a.correctedOnTime += 1;
    }
    if (r.review_requested_on) a.reviews += 1;
    by.set(r.county, a);
  }
  return [...by.values()].sort((a, b) => a.county.localeCompare(b.county, 'zh'));
}
