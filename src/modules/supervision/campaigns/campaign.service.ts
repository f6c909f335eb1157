import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { DbOrTx, Tx } from '../../../db/database.ts';
import { nowIso } from '../../../db/database.ts';
import { AppError } from '../../../http/errors.ts';
import { chinaNoon, isCalendarDate, todayInChina } from '../../../lib/china-time.ts';
import { CalendarCoverageError } from '../../../lib/workdays.ts';
import { appendAudit, SYSTEM_ACTOR } from '../../audit/index.ts';
import { actorOf, type SessionUser } from '../../auth/index.ts';
import { issueDocument } from '../../documents/index.ts';
import { ATTACHMENT_LIMITS, prepareMedia } from '../inspections/media.ts';
import { reachOf } from '../shared/reach.ts';
import {
  ACTOR_NAME,
  CAMPAIGNS,
  type CampaignDefinition,
  campaignDefinition,
  type TrackDefinition,
  trackOf,
} from './campaign.config.ts';
import {
  applyAction,
  CampaignRuleError,
  checkNoticeDate,
  FILING_ACTION_NAME,
  type FilingAction,
  type FilingState,
  type FilingStatus,
  holderOf,
  isLate,
  needsReason,
  stepDue,
} from './campaign.logic.ts';
import { campaignAbilities } from './campaign.policy.ts';
import {
  type CampaignRow,
  entitiesOfCategories,
  eventsOf,
  type FilingListRow,
  fileData,
  filesOf,
  filingsOf,
  findCampaign,
  findCampaignByKey,
  findFiling,
  insertCampaign,
  insertEvent,
  insertFile,
  insertFilings,
  listCampaignRows,
  updateFilingFrom,
} from './campaign.repo.ts';

/**
 * Yearly campaigns: open one with its notice (the notice's date checked against the regime's due
 * day), list the enterprises it covers from the register, and walk each filing through its track
 * (campaign.logic.ts) — by staff, or by the enterprise itself through its filing link. Every write
 * is audited in its transaction.
 */

const invalid = (problems: string[]) => new AppError(400, 'invalid_campaign', problems.join('；'), problems);
const ruleError = (e: CampaignRuleError) => new AppError(409, e.code, e.messageZh);

function definitionOrThrow(key: string): CampaignDefinition {
  const def = campaignDefinition(key);
  if (!def) throw invalid([`没有“${key}”这项年度工作，可选：${CAMPAIGNS.map((c) => c.name).join('、')}`]);
  return def;
}

async function targetOf(db: DbOrTx, user: SessionUser, regime: number) {
  return { regime, reach: await reachOf(db, user) };
}

// ───────────────────────────── opening ─────────────────────────────

export interface OpenCampaignInput {
  definitionKey: string;
  year: number;
  noticeDate: string;
  noticeText: string;
  filingDeadline?: string | null;
  /** Required where the definition's legal basis is stale: why the campaign still runs. */
  basisReason?: string | null;
}

export async function openCampaign(tx: Tx, user: SessionUser, input: OpenCampaignInput): Promise<number> {
  campaignAbilities.assertRole('open', user);
  const def = definitionOrThrow(input.definitionKey);
  const problems: string[] = [];
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100)
    problems.push('年度应为四位年份');
  if (!isCalendarDate(input.noticeDate)) problems.push('请填写通知日期（年-月-日）');
  if (input.noticeText.trim() === '') problems.push('请填写通知正文');
  if (input.filingDeadline && !isCalendarDate(input.filingDeadline))
    problems.push('申报截止日期格式应为 年-月-日');
  if (input.filingDeadline && input.filingDeadline < input.noticeDate)
    problems.push('申报截止日期不能早于通知日期');
  const reason = input.basisReason?.trim() ?? '';
  if (def.staleBasis && reason === '') {
    problems.push(
      `${def.staleBasis.note}；请填写仍按本制度开展的理由（现行依据：${def.staleBasis.current}）`,
    );
  }
  if (problems.length > 0) throw invalid(problems);
  try {
    checkNoticeDate(def, input.year, input.noticeDate);
  } catch (e) {
    if (e instanceof CampaignRuleError) throw invalid([e.messageZh]);
    throw e;
  }
  if (await findCampaignByKey(tx, def.key, input.year)) {
    throw new AppError(409, 'campaign_exists', `${input.year}年度的“${def.name}”已经启动`);
  }
  const now = nowIso();
  const id = await insertCampaign(tx, {
    definition_key: def.key,
    regime_seq: def.regime,
    year: input.year,
    title: `${input.year}年度${def.name}`,
    status: 'open',
    notice_date: input.noticeDate,
    notice_text: input.noticeText.trim(),
    filing_deadline: input.filingDeadline || null,
    basis_note: def.staleBasis ? `${def.staleBasis.note}；现行依据：${def.staleBasis.current}` : null,
    basis_reason: def.staleBasis ? reason : null,
    notice_document_id: null,
    opened_by: user.id,
    opened_at: now,
    closed_at: null,
  });
  const basisNote = def.staleBasis ? `${def.staleBasis.note}；现行依据：${def.staleBasis.current}` : '';
  const notice = await issueDocument(tx, {
    type: def.notice.documentType,
    subject: { kind: 'campaign', id },
    fields: {
      ...(def.notice.documentType === 'campaign-notice' ? { title: `${input.year}年度${def.name}` } : {}),
      recipients: def.tracks.map((t) => t.label).join('；'),
      content: input.noticeText.trim(),
      filingDeadline: input.filingDeadline ?? '',
      basisNote,
    },
    issuedBy: user,
    at: chinaNoon(input.noticeDate),
  });
  await tx.updateTable('campaigns').set({ notice_document_id: notice.id }).where('id', '=', id).execute();
  const categories = [...new Set(def.tracks.flatMap((t) => t.categories))];
  const entities = await entitiesOfCategories(tx, categories);
  const rows = entities.flatMap((e) => {
    const track = trackOf(def, e.categories);
    if (!track) return [];
    const first = track.steps[0]!;
    // A track that starts with staff work (a check, a review) starts its clock with the notice.
    const since = first.kind === 'submit' ? null : input.noticeDate;
    return [
      {
        campaign_id: id,
        entity_id: e.id,
        track_key: track.key,
        step_index: 0,
        status: 'open',
        step_since: since,
        step_due: since ? stepDue(first, since) : null,
        outcome_on: null,
        outcome_reason: null,
        created_at: now,
        updated_at: now,
      },
    ];
  });
  await insertFilings(tx, rows);
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'open-campaign',
    entity: 'campaign',
    entityId: id,
    after: {
      definition: def.key,
      year: input.year,
      noticeDate: input.noticeDate,
      filings: rows.length,
      basisReason: def.staleBasis ? reason : null,
      notice: { documentId: notice.id, number: notice.number, sha256: notice.sha256 },
    },
  });
  return id;
}

export async function closeCampaign(tx: Tx, user: SessionUser, id: number, reason: string): Promise<void> {
  campaignAbilities.assertRole('close', user);
  const c = await campaignOrThrow(tx, id);
  if (c.status !== 'open') throw new AppError(409, 'campaign_closed', '这项年度工作已经结束');
  if (reason.trim() === '') throw invalid(['请填写结束的理由']);
  await tx
    .updateTable('campaigns')
    .set({ status: 'closed', closed_at: nowIso() })
    .where('id', '=', id)
    .execute();
  await tx
    .updateTable('campaign_filing_access')
    .set({ revoked_at: nowIso() })
    .where('revoked_at', 'is', null)
    .where('filing_id', 'in', (q) =>
      q.selectFrom('campaign_filings').select('id').where('campaign_id', '=', id),
    )
    .execute();
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'close-campaign',
    entity: 'campaign',
    entityId: id,
    after: { reason: reason.trim() },
  });
}

async function campaignOrThrow(db: DbOrTx, id: number): Promise<CampaignRow> {
  const c = await findCampaign(db, id);
  if (!c) throw new AppError(404, 'not_found', '未找到这项年度工作');
  return c;
}

// ───────────────────────────── reading ─────────────────────────────

export interface FilingView {
  id: number;
  campaignId: number;
  entity: { id: number; name: string; uscc: string; licenceNo: string | null; county: string };
  track: { key: string; label: string };
  status: FilingStatus;
  step: {
    index: number;
    key: string;
    label: string;
    actor: string;
    since: string | null;
    due: string | null;
  } | null;
  holder: string | null;
  overdue: boolean;
  outcomeOn: string | null;
  outcomeReason: string | null;
}

export function presentFiling(def: CampaignDefinition, f: FilingListRow, today = todayInChina()): FilingView {
  const track = trackOfKey(def, f.track_key);
  const state = stateOf(f);
  const step = f.status === 'open' ? track.steps[f.step_index] : undefined;
  const holder = holderOf(track, state);
  return {
    id: f.id,
    campaignId: f.campaign_id,
    entity: { id: f.entity_id, name: f.entity_name, uscc: f.uscc, licenceNo: f.licence_no, county: f.county },
    track: { key: track.key, label: track.label },
    status: f.status as FilingStatus,
    step: step
      ? {
          index: f.step_index,
          key: step.key,
          label: step.label,
          actor: ACTOR_NAME[step.actor],
          since: f.step_since,
          due: f.step_due,
        }
      : null,
    holder: holder ? ACTOR_NAME[holder] : null,
    overdue: f.status === 'open' && isLate(f.step_due, today),
    outcomeOn: f.outcome_on,
    outcomeReason: f.outcome_reason,
  };
}

function trackOfKey(def: CampaignDefinition, key: string): TrackDefinition {
  const t = def.tracks.find((x) => x.key === key);
  if (!t) throw new Error(`campaign ${def.key} has no track ${key}`);
  return t;
}

const stateOf = (f: Pick<FilingListRow, 'status' | 'step_index' | 'step_since'>): FilingState => ({
  status: f.status as FilingStatus,
  stepIndex: f.step_index,
  stepSince: f.step_since,
});

export async function campaignDetail(db: DbOrTx, id: number, today = todayInChina()) {
  const c = await campaignOrThrow(db, id);
  const def = definitionOrThrow(c.definition_key);
  const filings = (await filingsOf(db, id)).map((f) => presentFiling(def, f, today));
  return { campaign: c, definition: def, filings, summary: summarise(filings) };
}

export async function listCampaigns(db: DbOrTx, year?: number, today = todayInChina()) {
  const rows = await listCampaignRows(db, year);
  return Promise.all(
    rows.map(async (c) => {
      const def = definitionOrThrow(c.definition_key);
      const filings = (await filingsOf(db, c.id)).map((f) => presentFiling(def, f, today));
      return { campaign: c, definition: def, summary: summarise(filings) };
    }),
  );
}

export interface CampaignSummary {
  total: number;
  byStatus: Record<FilingStatus, number>;
  overdue: number;
  byCounty: Array<{ county: string; total: number } & Record<FilingStatus, number>>;
}

const zeroCounts = (): Record<FilingStatus, number> => ({
  open: 0,
  passed: 0,
  failed: 0,
  rectifying: 0,
  reported: 0,
});

export function summarise(filings: readonly FilingView[]): CampaignSummary {
  const byStatus = zeroCounts();
  const counties = new Map<string, { county: string; total: number } & Record<FilingStatus, number>>();
  let overdue = 0;
  for (const f of filings) {
    byStatus[f.status] += 1;
    if (f.overdue) overdue += 1;
    const c = counties.get(f.entity.county) ?? { county: f.entity.county, total: 0, ...zeroCounts() };
    c.total += 1;
    c[f.status] += 1;
    counties.set(f.entity.county, c);
  }
  return { total: filings.length, byStatus, overdue, byCounty: [...counties.values()] };
}

export async function filingDetail(db: DbOrTx, filingId: number, today = todayInChina()) {
  const f = await findFiling(db, filingId);
  if (!f) throw new AppError(404, 'not_found', '未找到这份申报');
  const c = await campaignOrThrow(db, f.campaign_id);
  const def = definitionOrThrow(c.definition_key);
  const track = trackOfKey(def, f.track_key);
  const [events, files, mark] = await Promise.all([
    eventsOf(db, f.id),
    filesOf(db, f.id),
    db
      .selectFrom('licence_marks')
      .selectAll()
      .where('campaign_id', '=', c.id)
      .where('entity_id', '=', f.entity_id)
      .executeTakeFirst(),
  ]);
  return {
    campaign: c,
    definition: def,
    track,
    filing: presentFiling(def, f, today),
    row: f,
    events,
    files,
    mark,
  };
}

// ───────────────────────────── acting ─────────────────────────────

export type FilingActor = { kind: 'staff'; user: SessionUser } | { kind: 'enterprise'; filingId: number };

export interface FilingActionInput {
  action: FilingAction;
  reason?: string | null;
  /** China date the act happened (e.g. the day the materials were received); today when absent. */
  on?: string | null;
  /** The filed form's fields (submit). */
  form?: Record<string, string>;
  /** The rectification deadline (rectify): after `on`. */
  deadline?: string | null;
  files?: Array<{ filename: string; data: Buffer }>;
}

/** The form an enterprise files: the 年度检查登记表's main fields (all required). */
export const FILING_FORM_FIELDS = [
  { key: 'contact', label: '联系人' },
  { key: 'phone', label: '联系电话' },
  { key: 'summary', label: '年度经营情况' },
] as const;

export async function actOnFiling(
  tx: Tx,
  actor: FilingActor,
  filingId: number,
  input: FilingActionInput,
  today = todayInChina(),
) {
  const f = await findFiling(tx, filingId);
  if (!f) throw new AppError(404, 'not_found', '未找到这份申报');
  const c = await campaignOrThrow(tx, f.campaign_id);
  const def = definitionOrThrow(c.definition_key);
  if (actor.kind === 'staff') {
    campaignAbilities.assert('handle', actor.user, await targetOf(tx, actor.user, def.regime));
  } else {
    if (actor.filingId !== f.id) throw new AppError(403, 'forbidden', '申报链接与这份申报不符');
    if (input.action !== 'submit') throw new AppError(403, 'forbidden', '企业只能提交或重新提交申报材料');
  }
  if (c.status !== 'open') throw new AppError(409, 'campaign_closed', '这项年度工作已经结束，不能再办理');
  const track = trackOfKey(def, f.track_key);
  const on = actor.kind === 'enterprise' || !input.on ? today : input.on;
  const problems: string[] = [];
  if (!isCalendarDate(on)) problems.push('办理日期格式应为 年-月-日');
  else if (on > today) problems.push(`办理日期不能晚于今天（${today}）`);
  else if (f.step_since && on < f.step_since)
    problems.push(`办理日期不能早于本环节开始的日期（${f.step_since}）`);
  const reason = input.reason?.trim() ?? '';
  if (needsReason(input.action) && reason === '')
    problems.push(`“${FILING_ACTION_NAME[input.action]}”须写明理由`);
  const deadline = input.deadline?.trim() ?? '';
  if (input.action === 'rectify') {
    if (!isCalendarDate(deadline)) problems.push('责令整改须写明整改期限（年-月-日）');
    else if (isCalendarDate(on) && deadline <= on) problems.push('整改期限应晚于办理日期');
  }
  let form: Record<string, string> | null = null;
  if (input.action === 'submit') {
    form = {};
    for (const field of FILING_FORM_FIELDS) {
      const v = (input.form?.[field.key] ?? '').trim();
      if (v === '') problems.push(`请填写${field.label}`);
      else if (v.length > 2000) problems.push(`${field.label}最多 2000 字`);
      form[field.key] = v;
    }
  }
  const files = input.files ?? [];
  const prepared = files.map((u) => prepareMedia(u));
  for (const p of prepared) if ('problem' in p) problems.push(p.problem);
  const existing = (await filesOf(tx, f.id)).length;
  if (existing + files.length > ATTACHMENT_LIMITS.files)
    problems.push(`每份申报最多 ${ATTACHMENT_LIMITS.files} 个附件`);
  if (files.length > 0 && input.action !== 'submit') problems.push('只有提交材料时可以上传附件');
  if (problems.length > 0) throw invalid(problems);

  let transition: ReturnType<typeof applyAction>;
  try {
    transition = applyAction(def, track, stateOf(f), input.action, on);
  } catch (e) {
    if (e instanceof CampaignRuleError) throw ruleError(e);
    if (e instanceof CalendarCoverageError) throw new AppError(409, e.code, e.messageZh);
    throw e;
  }
  const step = track.steps[f.step_index]!;
  const late = isLate(f.step_due, on);
  const outcome = transition.next.status !== 'open' && f.status === 'open';
  const moved = await updateFilingFrom(
    tx,
    f.id,
    { status: f.status, step_index: f.step_index },
    {
      status: transition.next.status,
      step_index: transition.next.stepIndex,
      step_since: transition.next.status === 'open' ? transition.next.stepSince : f.step_since,
      step_due: transition.next.status === 'open' ? transition.due : null,
      outcome_on: transition.next.status === 'open' ? null : on,
      outcome_reason: transition.next.status === 'open' ? null : reason || f.outcome_reason,
      updated_at: nowIso(),
    },
  );
  if (!moved) throw new AppError(409, 'filing_changed', '这份申报刚被其他人办理过，请刷新后再试');
  const document = await outcomeDocument(tx, actor, def, c, f, {
    action: input.action,
    reason,
    on,
    deadline,
  });
  const eventId = await insertEvent(tx, {
    filing_id: f.id,
    step_key: outcome || f.status === 'open' ? step.key : 'outcome',
    action: input.action,
    actor_kind: actor.kind,
    user_id: actor.kind === 'staff' ? actor.user.id : null,
    reason: reason || null,
    form_json: form ? JSON.stringify(form) : null,
    on_date: on,
    due: f.step_due,
    overdue: late ? 1 : 0,
    document_id: document?.id ?? null,
    at: nowIso(),
  });
  const fileIds: number[] = [];
  for (const p of prepared) {
    if ('problem' in p) continue;
    fileIds.push(
      await insertFile(tx, {
        filing_id: f.id,
        event_id: eventId,
        filename: p.filename,
        content_type: p.type,
        size: p.size,
        sha256: p.sha256,
        original_sha256: p.originalSha256,
        removed: p.removed,
        data: p.data,
        uploaded_at: nowIso(),
      }),
    );
  }
  const passed = transition.next.status === 'passed';
  if (passed && def.outcome.passMark && actor.kind === 'staff') {
    await tx
      .insertInto('licence_marks')
      .values({
        entity_id: f.entity_id,
        campaign_id: c.id,
        year: c.year,
        mark: def.outcome.passMark.text,
        licence_no: f.licence_no,
        marked_on: on,
        marked_by: actor.user.id,
      })
      .onConflict((oc) => oc.columns(['entity_id', 'campaign_id']).doNothing())
      .execute();
  }
  await appendAudit(tx, {
    actor: actor.kind === 'staff' ? actorOf(actor.user) : { ...SYSTEM_ACTOR, name: `enterprise:${f.uscc}` },
    action: `campaign-${input.action}`,
    entity: 'campaign-filing',
    entityId: f.id,
    before: { status: f.status, step: step.key },
    after: {
      status: transition.next.status,
      step: track.steps[transition.next.stepIndex]?.key ?? null,
      on,
      due: f.step_due,
      overdue: late,
      reason: reason || null,
      files: fileIds,
      document: document ?? null,
    },
  });
  return { eventId, overdue: late, status: transition.next.status, document: document ?? null };
}

/**
 * The document an outcome issues, where the definition names one: the written notice of a failure
 * (年检不合格告知书) and the marked licence copy of a pass (年检意见).
 */
async function outcomeDocument(
  tx: Tx,
  actor: FilingActor,
  def: CampaignDefinition,
  c: CampaignRow,
  f: FilingListRow,
  act: { action: FilingAction; reason: string; on: string; deadline: string },
) {
  const { action, reason, on, deadline } = act;
  if (actor.kind !== 'staff') return null;
  const party = {
    party: f.entity_name,
    partyUscc: f.uscc,
    licenceNo: f.licence_no ?? '',
    year: `${c.year}年度`,
  };
  if (action === 'fail' && def.outcome.onFail.documentType) {
    return issueDocument(tx, {
      type: def.outcome.onFail.documentType,
      subject: { kind: 'campaign-filing', id: f.id },
      fields: { ...party, reasons: reason, requirement: def.outcome.onFail.label },
      issuedBy: actor.user,
      at: chinaNoon(on),
    });
  }
  if (action === 'rectify') {
    const failed = await tx
      .selectFrom('campaign_filing_events')
      .select('reason')
      .where('filing_id', '=', f.id)
      .where('action', '=', 'fail')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return issueDocument(tx, {
      type: 'rectification-notice',
      subject: { kind: 'campaign-filing', id: f.id },
      fields: {
        party: f.entity_name,
        partyUscc: f.uscc,
        facts: `${c.year}年度${def.name}不合格：${failed?.reason ?? ''}`,
        basis: `${def.outcome.onFail.label}（《衡水市商务局事中事后监管制度》第${def.regime}项制度，原文第${def.outcome.onFail.at[0]}行）`,
        requirement: reason || '按年检不合格告知书所列问题整改，并书面报告整改情况',
        deadline,
      },
      issuedBy: actor.user,
      at: chinaNoon(on),
    });
  }
  const report = def.outcome.onRectificationFail;
  if (action === 'rectification-failed' && report?.documentType) {
    return issueDocument(tx, {
      type: report.documentType,
      subject: { kind: 'campaign-filing', id: f.id },
      fields: {
        recipient: report.recipient ?? '省商务厅',
        party: f.entity_name,
        partyUscc: f.uscc,
        licenceNo: f.licence_no ?? '',
        facts: `${c.year}年度${def.name}不合格，经责令限期整改仍不合格：${reason}`,
        basis: `《衡水市商务局事中事后监管制度》第${def.regime}项制度（原文第${report.at[0]}行）：“${report.at[1]}”`,
        measure: report.label,
      },
      issuedBy: actor.user,
      at: chinaNoon(on),
    });
  }
  if ((action === 'pass' || action === 'rectified') && def.outcome.passMark?.documentType) {
    return issueDocument(tx, {
      type: def.outcome.passMark.documentType,
      subject: { kind: 'campaign-filing', id: f.id },
      fields: { ...party, opinion: def.outcome.passMark.text },
      issuedBy: actor.user,
      at: chinaNoon(on),
    });
  }
  return null;
}

export async function filingFile(db: DbOrTx, user: SessionUser, filingId: number, fileId: number) {
  campaignAbilities.assertRole('read', user);
  const file = await fileData(db, filingId, fileId);
  if (!file) throw new AppError(404, 'not_found', '未找到这个附件');
  return file;
}

// ───────────────────────────── the enterprise's access ─────────────────────────────

const hash = (s: string) => createHash('sha256').update(s).digest('hex');

/** A link stays valid while the campaign is open, and at most until the end of the next year. */
const linkExpiry = (c: CampaignRow) => `${c.year + 1}-12-31T16:00:00.000Z`;
/** A one-time code is valid for a day (the office tells it to the enterprise by phone). */
const CODE_VALID_MS = 24 * 3600_000;
/** A link made from a code serves one sitting. */
const CODE_LINK_VALID_MS = 2 * 3600_000;

async function accessTarget(tx: Tx, user: SessionUser, filingId: number) {
  const f = await findFiling(tx, filingId);
  if (!f) throw new AppError(404, 'not_found', '未找到这份申报');
  const c = await campaignOrThrow(tx, f.campaign_id);
  const def = definitionOrThrow(c.definition_key);
  campaignAbilities.assert('giveAccess', user, await targetOf(tx, user, def.regime));
  if (c.status !== 'open') throw new AppError(409, 'campaign_closed', '这项年度工作已经结束');
  if (!trackOfKey(def, f.track_key).steps.some((s) => s.kind === 'submit')) {
    throw new AppError(409, 'no_enterprise_step', '这项工作不需要企业在线申报');
  }
  return { f, c };
}

/** A new filing link (the previous links of the filing stop working). Returns the token once. */
export async function createFilingLink(tx: Tx, user: SessionUser, filingId: number): Promise<string> {
  const { f, c } = await accessTarget(tx, user, filingId);
  const token = randomBytes(24).toString('base64url');
  const now = nowIso();
  await tx
    .updateTable('campaign_filing_access')
    .set({ revoked_at: now })
    .where('filing_id', '=', f.id)
    .where('kind', '=', 'link')
    .where('revoked_at', 'is', null)
    .execute();
  await tx
    .insertInto('campaign_filing_access')
    .values({
      filing_id: f.id,
      kind: 'link',
      secret_hash: hash(`link:${token}`),
      created_by: user.id,
      created_at: now,
      expires_at: linkExpiry(c),
      used_at: null,
      revoked_at: null,
    })
    .execute();
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'create-filing-link',
    entity: 'campaign-filing',
    entityId: f.id,
    after: { expiresAt: linkExpiry(c) },
  });
  return token;
}

/** A six-digit one-time code for the enterprise to sign in with its credit code. Returned once. */
export async function createFilingCode(tx: Tx, user: SessionUser, filingId: number): Promise<string> {
  const { f } = await accessTarget(tx, user, filingId);
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const now = new Date();
  await tx
    .updateTable('campaign_filing_access')
    .set({ revoked_at: now.toISOString() })
    .where('filing_id', '=', f.id)
    .where('kind', '=', 'code')
    .where('revoked_at', 'is', null)
    .execute();
  await tx
    .insertInto('campaign_filing_access')
    .values({
      filing_id: f.id,
      kind: 'code',
      secret_hash: hash(`code:${f.id}:${code}`),
      created_by: user.id,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + CODE_VALID_MS).toISOString(),
      used_at: null,
      revoked_at: null,
    })
    .execute();
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'create-filing-code',
    entity: 'campaign-filing',
    entityId: f.id,
    after: { validHours: CODE_VALID_MS / 3600_000 },
  });
  return code;
}

const noAccess = () =>
  new AppError(404, 'filing_link_invalid', '申报链接无效或已过期，请联系主管部门重新获取');

/** The filing a link opens, or a 404 that does not tell which part was wrong. */
export async function filingOfToken(db: DbOrTx, token: string): Promise<number> {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) throw noAccess();
  const row = await db
    .selectFrom('campaign_filing_access as a')
    .innerJoin('campaign_filings as f', 'f.id', 'a.filing_id')
    .innerJoin('campaigns as c', 'c.id', 'f.campaign_id')
    .select(['a.filing_id', 'a.expires_at', 'a.revoked_at', 'c.status'])
    .where('a.secret_hash', '=', hash(`link:${token}`))
    .where('a.kind', '=', 'link')
    .executeTakeFirst();
  if (!row || row.revoked_at || row.expires_at < nowIso() || row.status !== 'open') throw noAccess();
  return row.filing_id;
}

/**
 * Credit code + one-time code → a fresh short-lived link (the code is used up). Wrong answers say
 * nothing about which part was wrong; the route is rate-limited.
 */
export async function redeemFilingCode(tx: Tx, uscc: string, code: string): Promise<string> {
  const wrong = () =>
    new AppError(400, 'filing_code_invalid', '统一社会信用代码或验证码不正确，或验证码已过期');
  const key = uscc.trim().toUpperCase();
  if (!/^\d{6}$/.test(code.trim()) || key === '') throw wrong();
  const candidates = await tx
    .selectFrom('campaign_filing_access as a')
    .innerJoin('campaign_filings as f', 'f.id', 'a.filing_id')
    .innerJoin('regulated_entities as e', 'e.id', 'f.entity_id')
    .innerJoin('campaigns as c', 'c.id', 'f.campaign_id')
    .select(['a.id', 'a.filing_id', 'a.secret_hash', 'a.expires_at', 'c.status', 'c.year'])
    .where('e.uscc', '=', key)
    .where('a.kind', '=', 'code')
    .where('a.revoked_at', 'is', null)
    .where('a.used_at', 'is', null)
    .execute();
  const now = nowIso();
  const hit = candidates.find(
    (a) =>
      a.secret_hash === hash(`code:${a.filing_id}:${code.trim()}`) &&
      a.expires_at >= now &&
      a.status === 'open',
  );
  if (!hit) throw wrong();
  const used = await tx
    .updateTable('campaign_filing_access')
    .set({ used_at: now })
    .where('id', '=', hit.id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(used.numUpdatedRows) !== 1) throw wrong();
  const token = randomBytes(24).toString('base64url');
  const c = await tx
    .selectFrom('campaign_filing_access')
    .select('created_by')
    .where('id', '=', hit.id)
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('campaign_filing_access')
    .values({
      filing_id: hit.filing_id,
      kind: 'link',
      secret_hash: hash(`link:${token}`),
      created_by: c.created_by,
      created_at: now,
      expires_at: new Date(Date.now() + CODE_LINK_VALID_MS).toISOString(),
      used_at: null,
      revoked_at: null,
    })
    .execute();
  await appendAudit(tx, {
    actor: { ...SYSTEM_ACTOR, name: `enterprise:${key}` },
    action: 'redeem-filing-code',
    entity: 'campaign-filing',
    entityId: hit.filing_id,
  });
  return token;
}

/** What the enterprise sees: its status, the step, the office's written reasons — nothing else. */
export async function enterpriseView(db: DbOrTx, filingId: number, today = todayInChina()) {
  const d = await filingDetail(db, filingId, today);
  return {
    campaign: { title: d.campaign.title, year: d.campaign.year, filingDeadline: d.campaign.filing_deadline },
    noticeText: d.campaign.notice_text,
    basisNote: d.campaign.basis_note,
    filing: d.filing,
    steps: d.track.steps.map((s, i) => ({
      label: s.label,
      actor: ACTOR_NAME[s.actor],
      done: d.filing.status !== 'open' || i < d.filing.step!.index,
      current: d.filing.status === 'open' && i === d.filing.step!.index,
    })),
    canSubmit: d.filing.status === 'open' && d.track.steps[d.filing.step!.index]?.kind === 'submit',
    history: d.events.map((e) => ({
      on: e.on_date,
      action: FILING_ACTION_NAME[e.action as FilingAction] ?? e.action,
      by: e.actor_kind === 'enterprise' ? '企业' : '主管部门',
      reason: e.reason,
    })),
    files: d.files.map((f) => ({ filename: f.filename, size: f.size })),
    mark: d.mark ? { text: d.mark.mark, year: d.mark.year, on: d.mark.marked_on } : null,
  };
}
