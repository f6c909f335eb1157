import type { DbOrTx, Tx } from '../../../db/database.ts';
import { nowIso } from '../../../db/database.ts';
import { AppError, notFound } from '../../../http/errors.ts';
import { validateUscc } from '../../../lib/uscc.ts';
import { appendAudit } from '../../audit/index.ts';
import { actorOf, type SessionUser } from '../../auth/index.ts';
import { reachOf } from '../shared/reach.ts';
import { inspectorAbilities } from './inspector.policy.ts';

/**
 * 执法检查人员名录库: inspectors with their enforcement certificate (执法证号), office, county,
 * optional staff account, and declared conflicts of interest with entities (回避).
 */

export interface InspectorInput {
  name: string;
  certificateNo: string;
  /** offices.id; empty for none. */
  officeId: string;
  /** counties.id; empty for the city level (市本级). */
  countyId: string;
  /** Username of the staff account that sees this inspector's tasks; empty for none. */
  username: string;
  active: boolean;
}

export interface InspectorOut {
  id: number;
  name: string;
  certificateNo: string;
  officeId: number | null;
  office: string | null;
  countyId: number | null;
  county: string | null;
  userId: number | null;
  username: string | null;
  active: boolean;
  conflicts: Array<{
    id: number;
    entityId: number;
    uscc: string;
    entityName: string;
    reason: string;
    createdAt: string;
  }>;
}

export class InspectorInvalid extends AppError {
  constructor(readonly problems: string[]) {
    super(400, 'invalid_inspector', problems.join('；'), problems);
  }
}

/** C0 control characters and DEL. */
const CONTROL = {
  test: (s: string) => [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f),
};

interface InspectorValues {
  name: string;
  certificateNo: string;
  officeId: number | null;
  countyId: number | null;
  userId: number | null;
  active: boolean;
}

async function checkInspector(
  db: DbOrTx,
  input: InspectorInput,
  selfId: number | null,
): Promise<InspectorValues> {
  const problems: string[] = [];
  const name = input.name.normalize('NFC').trim();
  const certificateNo = input.certificateNo.normalize('NFKC').trim();
  if (!name) problems.push('姓名不能为空');
  else if (name.length > 50 || CONTROL.test(name)) problems.push('姓名不能超过50个字符，且不能含控制字符');
  if (!certificateNo) problems.push('执法证号不能为空');
  else if (!/^[0-9A-Za-z-]{4,40}$/.test(certificateNo))
    problems.push('执法证号只能包含字母、数字和连字符，长度4–40');
  /** The id of a chosen record, or a problem when it does not exist; null when none was chosen. */
  const chosen = async (raw: string, row: Promise<{ id: number } | undefined>, missing: string) => {
    if (!raw.trim()) return null;
    const found = await row;
    if (!found) problems.push(missing);
    return found?.id ?? null;
  };
  const officeId = await chosen(
    input.officeId,
    db
      .selectFrom('offices')
      .select('id')
      .where('id', '=', Number(input.officeId))
      .where('is_group', '=', 0)
      .executeTakeFirst(),
    '所选科室不存在',
  );
  const countyId = await chosen(
    input.countyId,
    db.selectFrom('counties').select('id').where('id', '=', Number(input.countyId)).executeTakeFirst(),
    '所选县（市、区）不存在',
  );
  let userId: number | null = null;
  if (input.username.trim()) {
    const u = await db
      .selectFrom('users')
      .select(['id', 'role'])
      .where('username', '=', input.username.trim())
      .executeTakeFirst();
    if (!u) problems.push(`登录账号“${input.username.trim()}”不存在`);
    else if (u.role !== 'inspector') problems.push(`登录账号“${input.username.trim()}”的角色不是执法人员`);
    else {
      const other = await db
        .selectFrom('inspectors')
        .select('id')
        .where('user_id', '=', u.id)
        .executeTakeFirst();
      if (other && other.id !== selfId)
        problems.push(`登录账号“${input.username.trim()}”已关联另一名执法人员`);
      userId = u.id;
    }
  }
  if (certificateNo) {
    const taken = await db
      .selectFrom('inspectors')
      .select('id')
      .where('certificate_no', '=', certificateNo)
      .executeTakeFirst();
    if (taken && taken.id !== selfId) problems.push(`执法证号 ${certificateNo} 已在名录库中`);
  }
  if (problems.length > 0) throw new InspectorInvalid(problems);
  return { name, certificateNo, officeId, countyId, userId, active: input.active };
}

export async function listInspectors(
  db: DbOrTx,
  filter: { activeOnly?: boolean } = {},
): Promise<InspectorOut[]> {
  let q = db
    .selectFrom('inspectors as i')
    .leftJoin('offices as o', 'o.id', 'i.office_id')
    .leftJoin('counties as c', 'c.id', 'i.county_id')
    .leftJoin('users as u', 'u.id', 'i.user_id')
    .selectAll('i')
    .select(['o.name as office_name', 'c.name as county_name', 'u.username']);
  if (filter.activeOnly) q = q.where('i.active', '=', 1);
  const rows = await q.orderBy('i.certificate_no').execute();
  const conflicts = await db
    .selectFrom('inspector_conflicts as k')
    .innerJoin('regulated_entities as e', 'e.id', 'k.entity_id')
    .select(['k.id', 'k.inspector_id', 'k.entity_id', 'k.reason', 'k.created_at', 'e.uscc', 'e.name'])
    .orderBy('k.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    certificateNo: r.certificate_no,
    officeId: r.office_id,
    office: r.office_name,
    countyId: r.county_id,
    county: r.county_name,
    userId: r.user_id,
    username: r.username,
    active: r.active === 1,
    conflicts: conflicts
      .filter((k) => k.inspector_id === r.id)
      .map((k) => ({
        id: k.id,
        entityId: k.entity_id,
        uscc: k.uscc,
        entityName: k.name,
        reason: k.reason,
        createdAt: k.created_at,
      })),
  }));
}

export async function getInspector(db: DbOrTx, id: number): Promise<InspectorOut> {
  const found = (await listInspectors(db)).find((i) => i.id === id);
  if (!found) throw notFound(`执法人员 ${id}`);
  return found;
}

/**
 * Refuses (403) unless the person may maintain the inspector of `officeId` (and move them to
 * `nextOfficeId`). The form offers a narrowed editor only their own offices, so another office
 * arrives only in a crafted request.
 */
async function guard(
  tx: DbOrTx,
  user: SessionUser,
  action: 'create' | 'edit',
  officeId: number | null,
  nextOfficeId?: number | null,
): Promise<void> {
  const reach = await reachOf(tx, user);
  inspectorAbilities.assert(action, user, { reach, officeId, nextOfficeId });
}

/** The office of a stored inspector (404 when there is none). */
async function officeOf(tx: DbOrTx, id: number): Promise<number | null> {
  const row = await tx.selectFrom('inspectors').select('office_id').where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`执法人员 ${id}`);
  return row.office_id;
}

/** The register row of checked values (without the timestamps). */
const rowOf = (v: InspectorValues) => ({
  name: v.name,
  certificate_no: v.certificateNo,
  office_id: v.officeId,
  county_id: v.countyId,
  user_id: v.userId,
  active: v.active ? 1 : 0,
});

export async function createInspector(tx: Tx, user: SessionUser, input: InspectorInput): Promise<number> {
  inspectorAbilities.assertRole('create', user);
  const v = await checkInspector(tx, input, null);
  await guard(tx, user, 'create', v.officeId);
  const now = nowIso();
  const row = await tx
    .insertInto('inspectors')
    .values({ ...rowOf(v), created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'create',
    entity: 'inspector',
    entityId: row.id,
    after: v,
  });
  return row.id;
}

export async function updateInspector(
  tx: Tx,
  user: SessionUser,
  id: number,
  input: InspectorInput,
): Promise<void> {
  const before = await tx.selectFrom('inspectors').selectAll().where('id', '=', id).executeTakeFirst();
  if (!before) throw notFound(`执法人员 ${id}`);
  await guard(tx, user, 'edit', before.office_id);
  const v = await checkInspector(tx, input, id);
  await guard(tx, user, 'edit', before.office_id, v.officeId);
  await tx
    .updateTable('inspectors')
    .set({ ...rowOf(v), updated_at: nowIso() })
    .where('id', '=', id)
    .execute();
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'update',
    entity: 'inspector',
    entityId: id,
    before: {
      name: before.name,
      certificateNo: before.certificate_no,
      officeId: before.office_id,
      countyId: before.county_id,
      userId: before.user_id,
      active: before.active === 1,
    },
    after: v,
  });
}

/** Declares a conflict of interest: the inspector is never assigned to the entity. */
export async function addConflict(
  tx: Tx,
  user: SessionUser,
  inspectorId: number,
  input: { uscc: string; reason: string },
): Promise<number> {
  await guard(tx, user, 'edit', await officeOf(tx, inspectorId));
  const check = validateUscc(input.uscc);
  if (!check.ok) throw new InspectorInvalid([`统一社会信用代码无效：${check.reason}`]);
  const reason = input.reason.trim();
  if (!reason) throw new InspectorInvalid(['请填写回避理由（如：近亲属在该企业任职）']);
  if (reason.length > 500) throw new InspectorInvalid(['回避理由不能超过500个字符']);
  const entity = await tx
    .selectFrom('regulated_entities')
    .select(['id', 'name'])
    .where('uscc', '=', check.code)
    .executeTakeFirst();
  if (!entity) throw new InspectorInvalid([`统一社会信用代码 ${check.code} 不在检查对象名录库中`]);
  const dup = await tx
    .selectFrom('inspector_conflicts')
    .select('id')
    .where('inspector_id', '=', inspectorId)
    .where('entity_id', '=', entity.id)
    .executeTakeFirst();
  if (dup) throw new InspectorInvalid([`已申报过与“${entity.name}”的回避`]);
  const row = await tx
    .insertInto('inspector_conflicts')
    .values({ inspector_id: inspectorId, entity_id: entity.id, reason, created_at: nowIso() })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'declare-conflict',
    entity: 'inspector',
    entityId: inspectorId,
    after: { conflictId: row.id, entityId: entity.id, uscc: check.code, reason },
  });
  return row.id;
}

export async function removeConflict(
  tx: Tx,
  user: SessionUser,
  inspectorId: number,
  conflictId: number,
): Promise<void> {
  await guard(tx, user, 'edit', await officeOf(tx, inspectorId));
  const row = await tx
    .selectFrom('inspector_conflicts')
    .selectAll()
    .where('id', '=', conflictId)
    .where('inspector_id', '=', inspectorId)
    .executeTakeFirst();
  if (!row) throw notFound(`回避申报 ${conflictId}`);
  await tx.deleteFrom('inspector_conflicts').where('id', '=', conflictId).execute();
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'withdraw-conflict',
    entity: 'inspector',
    entityId: inspectorId,
    before: { conflictId, entityId: row.entity_id, reason: row.reason },
  });
}

/** The inspector record of a staff account, if any. */
export async function inspectorOfUser(
  db: DbOrTx,
  userId: number,
): Promise<{ id: number; certificateNo: string } | null> {
  const r = await db
    .selectFrom('inspectors')
    .select(['id', 'certificate_no'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return r ? { id: r.id, certificateNo: r.certificate_no } : null;
}
