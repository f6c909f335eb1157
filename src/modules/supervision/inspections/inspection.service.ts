import { createHash } from 'node:crypto';
import type { DbOrTx, Tx } from '../../../db/database.ts';
import { nowIso } from '../../../db/database.ts';
import { AppError } from '../../../http/errors.ts';
import { appendAudit } from '../../audit/index.ts';
import { actorOf, type SessionUser } from '../../auth/index.ts';
import { listRegimes } from '../../registry/index.ts';
import { inspectorOfUser } from '../inspectors/inspector.service.ts';
import { listTasks } from '../plans/plan.repo.ts';
import { type Answer, type ChecklistItem, checklistOf, isAnswer } from './checklist.ts';
import { chinaDateOf, type DueDate, daysUntil, fromLocalInput, planPeriod, taskDueDate } from './due.ts';
import { type InspectionTarget, inspectionAbilities } from './inspection.policy.ts';
import {
  type AdjustmentRow,
  answerItem,
  attachmentData,
  clearConfirmations,
  entityDetails,
  findInspection,
  type InspectionRow,
  type ItemRow,
  insertAttachment,
  insertConfirmation,
  insertInspection,
  insertItems,
  inspectionsOfTasks,
  listAdjustments,
  listAttachments,
  listConfirmations,
  listItems,
  loadTaskContext,
  planRows,
  type TaskContext,
  type TaskInspector,
  taskInspectors,
  updateInspection,
} from './inspection.repo.ts';
import {
  ACCEPTED_MEDIA_ZH,
  ATTACHMENT_LIMITS,
  cleanFilename,
  cleanMedia,
  limitOf,
  MalformedMediaError,
  MEDIA_EXTENSION,
  sniffMedia,
} from './media.ts';
import { NOT_COOPERATING, resultCategory } from './result.categories.ts';
import { isEditable, notEditable, statusName, transition } from './result.workflow.ts';

/**
 * Inspection tasks and their on-site records (现场检查笔录): the inspector's task list with due
 * dates, a task with its entity and inspectors, the record (checklist from the regime's check items,
 * time, place, the checked party's representative, a refusal to cooperate, the proposed result),
 * attachments, and each assigned inspector's confirmation with their own account — when the last
 * one confirms, the result goes to review (result.workflow.ts). Every write is audited in its
 * transaction.
 */

const invalid = (problems: string[]) => new AppError(400, 'invalid_record', problems.join('；'), problems);
const conflictError = (code: string, message: string) => new AppError(409, code, message);

/** Who is on the inspection, for the ability table. */
export function targetOf(
  inspectors: readonly TaskInspector[],
  inspection: Pick<InspectionRow, 'created_by' | 'updated_by'> | null,
  confirmers: readonly number[],
): InspectionTarget {
  const assignedUserIds = inspectors.flatMap((i) => (i.userId === null ? [] : [i.userId]));
  const participants = new Set([...assignedUserIds, ...confirmers]);
  if (inspection) {
    participants.add(inspection.created_by);
    participants.add(inspection.updated_by);
  }
  return { assignedUserIds, participantUserIds: [...participants] };
}

// ───────────────────────────── the task list ─────────────────────────────

export interface TaskListItem {
  id: number;
  planId: number;
  planTitle: string;
  position: number;
  uscc: string;
  name: string;
  county: string;
  address: string | null;
  licenceNo: string | null;
  inspectors: TaskInspector[];
  due: DueDate | null;
  /** Days from today to the due date (negative when past). */
  daysLeft: number | null;
  /** The inspection (its record and result), or null before the record is started. */
  inspectionId: number | null;
  /** The inspection's status, or null before the record is started. */
  status: string | null;
  statusName: string;
  /** Still waiting for the inspectors (not started, being filled in, or returned). */
  open: boolean;
}

export interface TaskList {
  /** For an inspector: their register entry (null when the account is linked to none). */
  own: { id: number; certificateNo: string } | null;
  tasks: TaskListItem[];
}

/** The tasks a person may see: an inspector their own (open ones first, by due date), others all. */
export async function listTasksFor(db: DbOrTx, user: SessionUser, dueDays: number): Promise<TaskList> {
  inspectionAbilities.assertRole('readTasks', user);
  const own = user.role === 'inspector' ? await inspectorOfUser(db, user.id) : null;
  if (user.role === 'inspector' && !own) return { own: null, tasks: [] };
  const tasks = await listTasks(db, own ? { inspectorId: own.id } : {});
  const ids = tasks.map((t) => t.id);
  const [entities, plans, inspectors, inspections] = await Promise.all([
    entityDetails(
      db,
      tasks.map((t) => t.entityId),
    ),
    planRows(
      db,
      tasks.map((t) => t.planId),
    ),
    taskInspectors(db, ids),
    inspectionsOfTasks(db, ids),
  ]);
  const items = tasks.map((t): TaskListItem => {
    const plan = plans.get(t.planId)!;
    const due = taskDueDate(plan, dueDays);
    const status = inspections.get(t.id)?.status ?? null;
    return {
      id: t.id,
      planId: t.planId,
      planTitle: plan.title,
      position: t.position,
      uscc: t.uscc,
      name: t.name,
      county: t.county,
      address: entities.get(t.entityId)?.address ?? null,
      licenceNo: entities.get(t.entityId)?.licenceNo ?? null,
      inspectors: inspectors.get(t.id) ?? [],
      due,
      daysLeft: due ? daysUntil(due.date) : null,
      inspectionId: inspections.get(t.id)?.id ?? null,
      status,
      statusName: status === null ? '未开始' : statusName(status),
      open: status === null || isEditable(status),
    };
  });
  if (own) {
    items.sort(
      (a, b) =>
        Number(b.open) - Number(a.open) ||
        (a.due?.date ?? '9999').localeCompare(b.due?.date ?? '9999') ||
        a.planId - b.planId ||
        a.position - b.position,
    );
  }
  return { own, tasks: items };
}

// ───────────────────────────── one task ─────────────────────────────

export interface TaskView {
  ctx: TaskContext;
  due: DueDate | null;
  inspection: InspectionRow | null;
  /** The record's checklist, or (before the first save) the one the record will get. */
  items: Array<ChecklistItem & { answer: string | null; note: string | null }>;
  confirmations: Array<{ inspectorId: number; userId: number; version: number; confirmedAt: string }>;
  attachments: Awaited<ReturnType<typeof listAttachments>>;
  adjustments: AdjustmentRow[];
  target: InspectionTarget;
  /** The signed-in person's place on the task, when they are one of its inspectors. */
  me: TaskInspector | null;
}

/** The checklist of a regime from its check items in the registry (part 3's 检查内容). */
export async function checklistFor(db: DbOrTx, regimeSeq: number): Promise<ChecklistItem[]> {
  const regimes = (await listRegimes(db, {}, { limit: 1000, offset: 0 })).items;
  const regime = regimes.find((r) => r.seq === regimeSeq);
  return checklistOf(
    (regime?.checkItems ?? []).map((c) => ({ position: c.position, text: c.text, line: c.source.lineStart })),
  );
}

const fromRow = (r: ItemRow) => ({
  position: r.position,
  text: r.text,
  line: r.source_line,
  heading: r.heading === 1,
  answer: r.answer,
  note: r.note,
});

export async function getTaskView(
  db: DbOrTx,
  user: SessionUser,
  taskId: number,
  dueDays: number,
): Promise<TaskView> {
  inspectionAbilities.assertRole('readTask', user);
  const ctx = await loadTaskContext(db, taskId);
  const inspection = (await findInspection(db, taskId)) ?? null;
  const confirmations = inspection ? await listConfirmations(db, inspection.id) : [];
  const target = targetOf(
    ctx.inspectors,
    inspection,
    confirmations.map((c) => c.user_id),
  );
  inspectionAbilities.assert('readTask', user, target);
  const items = inspection
    ? (await listItems(db, inspection.id)).map(fromRow)
    : (await checklistFor(db, ctx.plan.regime_seq)).map((i) => ({ ...i, answer: null, note: null }));
  return {
    ctx,
    due: taskDueDate(ctx.plan, dueDays),
    inspection,
    items,
    confirmations: confirmations.map((c) => ({
      inspectorId: c.inspector_id,
      userId: c.user_id,
      version: c.version,
      confirmedAt: c.confirmed_at,
    })),
    attachments: inspection ? await listAttachments(db, inspection.id) : [],
    adjustments: (await listAdjustments(db, ctx.plan.id)).filter((a) => a.task_id === taskId),
    target,
    me: ctx.inspectors.find((i) => i.userId === user.id) ?? null,
  };
}

// ───────────────────────────── the record ─────────────────────────────

export interface RecordInput {
  /** datetime-local in China time, e.g. 2026-11-02T09:30. */
  checkedAt: string;
  place: string;
  representative: string;
  representativeRole: string;
  refused: boolean;
  refusalNote: string;
  notes: string;
  resultCode: string;
  resultSummary: string;
  /** Answers by item position. */
  answers: ReadonlyMap<number, { answer: string; note: string }>;
}

const LIMITS = { short: 100, place: 300, long: 2000, summary: 500, note: 500 } as const;

/** The record's fields checked for form: lengths, a real time, known answers and result. */
function checkedInput(
  input: RecordInput,
  items: readonly { position: number; heading: boolean }[],
  period: { start: string; end: string } | null,
) {
  const problems: string[] = [];
  const text = (v: string, max: number, label: string) => {
    const t = v.trim();
    if (t.length > max) problems.push(`${label}不能超过${max}个字`);
    return t === '' ? null : t;
  };
  let checkedAt: string | null = null;
  if (input.checkedAt.trim() !== '') {
    checkedAt = fromLocalInput(input.checkedAt);
    if (!checkedAt) problems.push('检查时间无效，应为日期和时间，如 2026-11-02 09:30');
    else if (Date.parse(checkedAt) > Date.now() + 10 * 60_000) problems.push('检查时间不能晚于现在');
    else if (period && chinaDateOf(checkedAt) < period.start) {
      problems.push(`检查时间早于抽查计划规定的检查期间（${period.start} 至 ${period.end}）`);
    }
  }
  const resultCode = input.resultCode.trim() || null;
  if (resultCode && !resultCategory(resultCode)) problems.push('检查结果类别无效');
  const answers = new Map<number, { answer: Answer | null; note: string | null }>();
  for (const item of items) {
    if (item.heading) continue;
    const a = input.answers.get(item.position);
    const answer = a?.answer.trim() ?? '';
    if (answer !== '' && !isAnswer(answer)) problems.push(`第${item.position}项的检查情况无效`);
    answers.set(item.position, {
      answer: isAnswer(answer) ? answer : null,
      note: text(a?.note ?? '', LIMITS.note, `第${item.position}项的说明`),
    });
  }
  const values = {
    checked_at: checkedAt,
    checked_on: checkedAt ? chinaDateOf(checkedAt) : null,
    place: text(input.place, LIMITS.place, '检查地点'),
    representative: text(input.representative, LIMITS.short, '被检查单位在场人员'),
    representative_role: text(input.representativeRole, LIMITS.short, '在场人员职务'),
    refused: input.refused ? 1 : 0,
    refusal_note: text(input.refusalNote, LIMITS.long, '拒绝配合的情况'),
    notes: text(input.notes, LIMITS.long, '其他情况'),
    result_code: resultCode,
    result_summary: text(input.resultSummary, LIMITS.summary, '检查结果说明'),
  };
  if (problems.length > 0) throw invalid(problems);
  return { values, answers };
}

/**
 * Saves the record as a draft (incomplete is fine): the first save copies the regime's checklist
 * into it. Any earlier confirmation is cleared — each inspector confirms the version they read.
 */
export async function saveRecord(
  tx: Tx,
  user: SessionUser,
  taskId: number,
  input: RecordInput,
): Promise<{ inspectionId: number; version: number }> {
  inspectionAbilities.assertRole('record', user);
  const ctx = await loadTaskContext(tx, taskId);
  const existing = (await findInspection(tx, taskId)) ?? null;
  inspectionAbilities.assert('record', user, targetOf(ctx.inspectors, null, []));
  if (existing && !isEditable(existing.status)) throw notEditable(existing.status);
  const items = existing
    ? (await listItems(tx, existing.id)).map(fromRow)
    : await checklistFor(tx, ctx.plan.regime_seq);
  if (items.length === 0) {
    throw conflictError(
      'no_checklist',
      '该监管制度在职责清单中没有“监督检查内容”，无法生成检查清单：请先导入清单',
    );
  }
  const { values, answers } = checkedInput(input, items, planPeriod(ctx.plan));
  const now = nowIso();
  let inspectionId: number;
  let version: number;
  let cleared = 0;
  if (existing) {
    inspectionId = existing.id;
    version = existing.version + 1;
    cleared = await clearConfirmations(tx, existing.id);
    await updateInspection(tx, existing.id, { ...values, version, updated_by: user.id, updated_at: now });
  } else {
    version = 1;
    inspectionId = await insertInspection(tx, {
      ...values,
      task_id: taskId,
      plan_id: ctx.plan.id,
      status: 'draft',
      version,
      created_by: user.id,
      created_at: now,
      updated_by: user.id,
      updated_at: now,
    });
    await insertItems(
      tx,
      items.map((i) => ({
        inspection_id: inspectionId,
        position: i.position,
        text: i.text,
        source_line: i.line,
        heading: i.heading ? 1 : 0,
        answer: null,
        note: null,
      })),
    );
  }
  for (const [position, a] of answers) await answerItem(tx, inspectionId, position, a.answer, a.note);
  await appendAudit(tx, {
    actor: actorOf(user),
    action: existing ? 'update-record' : 'create-record',
    entity: 'inspection',
    entityId: inspectionId,
    after: {
      taskId,
      version,
      ...values,
      answers: Object.fromEntries([...answers].map(([p, a]) => [p, a.answer])),
      clearedConfirmations: cleared,
    },
  });
  return { inspectionId, version };
}

/** What is still missing before the record can be confirmed (empty when complete). */
export function missingForConfirmation(
  r: InspectionRow,
  items: ReadonlyArray<{ position: number; text: string; heading: boolean; answer: string | null }>,
  inspectorNames: readonly string[],
): string[] {
  const missing: string[] = [];
  if (!r.checked_at) missing.push('检查时间');
  if (!r.place) missing.push('检查地点');
  const refused = r.refused === 1;
  if (!refused && !r.representative) missing.push('被检查单位在场人员');
  if (refused && !r.refusal_note) missing.push('拒绝配合检查的具体情况');
  if (!refused) {
    const open = items.filter((i) => !i.heading && i.answer === null);
    if (open.length > 0) {
      const first = open[0]!.text.slice(0, 16);
      missing.push(
        `检查清单中${open.length}项的检查情况（如“${first}${open[0]!.text.length > 16 ? '…' : ''}”）`,
      );
    }
  }
  const category = resultCategory(r.result_code);
  if (!category) missing.push('检查结果');
  else {
    if (category.code === NOT_COOPERATING && !refused)
      missing.push('“不配合检查情节严重”须勾选并记录拒绝配合的情况');
    if (category.problem && !r.result_summary) missing.push('检查结果说明（发现的问题，将公示）');
  }
  const summary = r.result_summary ?? '';
  const named = inspectorNames.filter((n) => n.trim() !== '' && summary.includes(n));
  if (named.length > 0) missing.push('检查结果说明将公示，不能写执法人员姓名');
  return missing;
}

/** Content hash of a record version, kept in the audit entry of each confirmation. */
function recordHash(
  r: InspectionRow,
  items: readonly { position: number; answer: string | null; note: string | null }[],
) {
  const canonical = JSON.stringify([
    r.version,
    r.checked_at,
    r.place,
    r.representative,
    r.representative_role,
    r.refused,
    r.refusal_note,
    r.notes,
    r.result_code,
    r.result_summary,
    items.map((i) => [i.position, i.answer, i.note]),
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/**
 * One assigned inspector confirms the version of the record they read, with their own account.
 * When every assigned inspector has confirmed this version, the result goes to review.
 */
export async function confirmRecord(
  tx: Tx,
  user: SessionUser,
  taskId: number,
  version: number,
): Promise<{ submitted: boolean }> {
  inspectionAbilities.assertRole('confirm', user);
  const ctx = await loadTaskContext(tx, taskId);
  inspectionAbilities.assert('confirm', user, targetOf(ctx.inspectors, null, []));
  const r = await findInspection(tx, taskId);
  if (!r) throw conflictError('no_record', '还没有现场检查笔录：请先填写并保存');
  if (!isEditable(r.status)) throw notEditable(r.status);
  if (r.version !== version) {
    throw conflictError('stale_version', '笔录在您打开后已被修改，请核对最新内容后再确认');
  }
  const items = (await listItems(tx, r.id)).map(fromRow);
  const missing = missingForConfirmation(
    r,
    items,
    ctx.inspectors.map((i) => i.name),
  );
  if (missing.length > 0)
    throw conflictError('record_incomplete', `笔录还不完整，不能确认：缺少${missing.join('；')}`);
  const me = ctx.inspectors.find((i) => i.userId === user.id)!;
  const confirmations = await listConfirmations(tx, r.id);
  if (confirmations.some((c) => c.inspector_id === me.inspectorId && c.version === version)) {
    throw conflictError('already_confirmed', '您已确认过这一版笔录');
  }
  const now = nowIso();
  await insertConfirmation(tx, {
    inspection_id: r.id,
    inspector_id: me.inspectorId,
    user_id: user.id,
    version,
    confirmed_at: now,
  });
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'confirm-record',
    entity: 'inspection',
    entityId: r.id,
    after: { taskId, version, certificate: me.certificate, recordSha256: recordHash(r, items) },
  });
  const confirmed = new Set([...confirmations.map((c) => c.inspector_id), me.inspectorId]);
  if (!ctx.inspectors.every((i) => confirmed.has(i.inspectorId))) return { submitted: false };
  await transition(tx, r, 'submit', { submitted_at: now });
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'submit-result',
    entity: 'inspection',
    entityId: r.id,
    before: { status: r.status },
    after: {
      status: 'pending',
      version,
      resultCode: r.result_code,
      checkedOn: r.checked_on,
      confirmedBy: ctx.inspectors.map((i) => i.certificate),
    },
  });
  return { submitted: true };
}

// ───────────────────────────── attachments ─────────────────────────────

export interface Upload {
  filename: string;
  data: Buffer;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Adds a photo or PDF to the record: type from the bytes, size limits, metadata stripped, hashed. */
export async function addAttachment(
  tx: Tx,
  user: SessionUser,
  taskId: number,
  upload: Upload,
): Promise<number> {
  inspectionAbilities.assertRole('record', user);
  const ctx = await loadTaskContext(tx, taskId);
  inspectionAbilities.assert('record', user, targetOf(ctx.inspectors, null, []));
  const r = await findInspection(tx, taskId);
  if (!r) throw conflictError('no_record', '请先保存现场检查笔录，再添加照片或文件');
  if (!isEditable(r.status)) throw notEditable(r.status);
  if (upload.data.length === 0) throw invalid([`文件“${upload.filename}”是空文件`]);
  const type = sniffMedia(upload.data);
  if (!type)
    throw invalid([`文件“${upload.filename}”不是${ACCEPTED_MEDIA_ZH}（按文件内容判断，与文件名无关）`]);
  if (upload.data.length > limitOf(type)) {
    throw invalid([`文件“${upload.filename}”超过 ${limitOf(type) / 1024 / 1024} MB`]);
  }
  if ((await listAttachments(tx, r.id)).length >= ATTACHMENT_LIMITS.files) {
    throw invalid([`每份笔录最多 ${ATTACHMENT_LIMITS.files} 个附件`]);
  }
  let cleaned: ReturnType<typeof cleanMedia>;
  try {
    cleaned = cleanMedia(type, upload.data);
  } catch (e) {
    if (e instanceof MalformedMediaError) throw invalid([`文件“${upload.filename}”：${e.messageZh}`]);
    throw e;
  }
  const filename = cleanFilename(upload.filename, MEDIA_EXTENSION[type]);
  const values = {
    inspection_id: r.id,
    filename,
    content_type: type,
    size: cleaned.data.length,
    sha256: sha256(cleaned.data),
    original_sha256: sha256(upload.data),
    removed: cleaned.removed.join(','),
    uploaded_by: user.id,
    uploaded_at: nowIso(),
  };
  const id = await insertAttachment(tx, { ...values, data: cleaned.data });
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'add-attachment',
    entity: 'inspection',
    entityId: r.id,
    after: { attachmentId: id, ...values },
  });
  return id;
}

/** An attachment for download, when the person may read the task. */
export async function getAttachment(db: DbOrTx, user: SessionUser, taskId: number, attachmentId: number) {
  inspectionAbilities.assertRole('readTask', user);
  const ctx = await loadTaskContext(db, taskId);
  const r = await findInspection(db, taskId);
  const confirmers = r ? (await listConfirmations(db, r.id)).map((c) => c.user_id) : [];
  inspectionAbilities.assert('readTask', user, targetOf(ctx.inspectors, r ?? null, confirmers));
  const file = r ? await attachmentData(db, r.id, attachmentId) : undefined;
  if (!file) throw new AppError(404, 'not_found', '未找到这个附件');
  return file;
}
