import type { DbOrTx } from '../../db/database.ts';
import type { Role } from '../auth/index.ts';

/**
 * Read-only queries of the back office (users, the audit trail, form choices). Writes go
 * through the services in modules/auth; change sets have their repo in modules/changes.
 */

/** Names for ids that appear in change payloads: duties, offices, matters, departments. */
export interface Lookups {
  duties: Array<{ id: number; seq: number; text: string }>;
  offices: Array<{ id: number; name: string; isGroup: boolean; departmentId: number }>;
  matters: Array<{ id: number; seq: number; name: string }>;
  departments: Array<{ id: number; name: string }>;
}

export async function loadLookups(db: DbOrTx): Promise<Lookups> {
  const [duties, offices, matters, departments] = await Promise.all([
    db.selectFrom('duties').select(['id', 'seq', 'text']).orderBy('department_id').orderBy('seq').execute(),
    db
      .selectFrom('offices')
      .select(['id', 'name', 'is_group', 'department_id'])
      .orderBy('department_id')
      .orderBy('position')
      .orderBy('id')
      .execute(),
    db.selectFrom('boundary_matters').select(['id', 'seq', 'name']).orderBy('seq').execute(),
    db.selectFrom('departments').select(['id', 'name']).orderBy('position').orderBy('id').execute(),
  ]);
  return {
    duties,
    offices: offices.map((o) => ({
      id: o.id,
      name: o.name,
      isGroup: o.is_group === 1,
      departmentId: o.department_id,
    })),
    matters,
    departments,
  };
}

export interface UserRow {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  active: boolean;
  createdAt: string;
  offices: string[];
}

export async function listUsers(db: DbOrTx): Promise<UserRow[]> {
  const [users, links] = await Promise.all([
    db
      .selectFrom('users')
      .select(['id', 'username', 'display_name', 'role', 'active', 'created_at'])
      .orderBy('id')
      .execute(),
    db
      .selectFrom('user_offices as l')
      .innerJoin('offices as o', 'o.id', 'l.office_id')
      .select(['l.user_id', 'o.name'])
      .orderBy('o.position')
      .execute(),
  ]);
  return users.map((u) => ({
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role as Role,
    active: u.active === 1,
    createdAt: u.created_at,
    offices: links.filter((l) => l.user_id === u.id).map((l) => l.name),
  }));
}

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  before: string | null;
  after: string | null;
  hash: string;
}

/** One page of the audit trail, newest first. */
export async function listAudit(
  db: DbOrTx,
  page: { limit: number; offset: number },
): Promise<{ rows: AuditRow[]; total: number }> {
  const [rows, total] = await Promise.all([
    db
      .selectFrom('audit_log')
      .select(['seq', 'at', 'actor', 'action', 'entity', 'entity_id', 'before', 'after', 'hash'])
      .orderBy('seq', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    db
      .selectFrom('audit_log')
      .select((e) => e.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return {
    rows: rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      actor: r.actor,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      before: r.before,
      after: r.after,
      hash: r.hash,
    })),
    total: Number(total.n),
  };
}
