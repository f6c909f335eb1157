import type { DbOrTx } from '../../db/database.ts';
import type { Role } from './user.schema.ts';

/** Reads and writes of the staff accounts (users, their offices, their sessions). */

export interface UserRow {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  active: boolean;
  mustChangePassword: boolean;
  createdAt: string;
  officeIds: number[];
  offices: string[];
}

/** Every account, oldest first, with the names of its offices. */
export async function listUsers(db: DbOrTx): Promise<UserRow[]> {
  const [users, links] = await Promise.all([
    db
      .selectFrom('users')
      .select(['id', 'username', 'display_name', 'role', 'active', 'must_change_password', 'created_at'])
      .orderBy('id')
      .execute(),
    db
      .selectFrom('user_offices as l')
      .innerJoin('offices as o', 'o.id', 'l.office_id')
      .select(['l.user_id', 'o.id', 'o.name'])
      .orderBy('o.position')
      .execute(),
  ]);
  const byUser = new Map<number, typeof links>();
  for (const l of links) byUser.set(l.user_id, [...(byUser.get(l.user_id) ?? []), l]);
  return users.map((u) => {
    const own = byUser.get(u.id) ?? [];
    return {
      id: u.id,
      username: u.username,
      displayName: u.display_name,
      role: u.role as Role,
      active: u.active === 1,
      mustChangePassword: u.must_change_password === 1,
      createdAt: u.created_at,
      officeIds: own.map((l) => l.id),
      offices: own.map((l) => l.name),
    };
  });
}

export interface AccountRow {
  id: number;
  username: string;
  role: Role;
  active: boolean;
  officeIds: number[];
}

async function accountWhere(
  db: DbOrTx,
  column: 'id' | 'username',
  value: number | string,
): Promise<AccountRow | null> {
  const u = await db
    .selectFrom('users')
    .select(['id', 'username', 'role', 'active'])
    .where(column, '=', value)
    .executeTakeFirst();
  if (!u) return null;
  const offices = await db
    .selectFrom('user_offices')
    .select('office_id')
    .where('user_id', '=', u.id)
    .execute();
  return {
    id: u.id,
    username: u.username,
    role: u.role as Role,
    active: u.active === 1,
    officeIds: offices.map((o) => o.office_id),
  };
}

export const findAccount = (db: DbOrTx, id: number) => accountWhere(db, 'id', id);
export const findAccountByUsername = (db: DbOrTx, username: string) => accountWhere(db, 'username', username);

/** The offices a person can be bound to (not the groups), in the register's order. */
export async function listOfficeChoices(db: DbOrTx): Promise<Array<{ id: number; name: string }>> {
  return db
    .selectFrom('offices')
    .select(['id', 'name'])
    .where('is_group', '=', 0)
    .orderBy('department_id')
    .orderBy('position')
    .orderBy('id')
    .execute();
}

/** Office ids by name or alias; the names not found come back in `unknown`. */
export async function officeIdsByName(
  db: DbOrTx,
  names: readonly string[],
): Promise<{ ids: number[]; unknown: string[] }> {
  const ids: number[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const o = await db
      .selectFrom('offices')
      .leftJoin('office_aliases', 'office_aliases.office_id', 'offices.id')
      .select('offices.id')
      .where((eb) => eb.or([eb('offices.name', '=', name), eb('office_aliases.alias', '=', name)]))
      .executeTakeFirst();
    if (o) ids.push(o.id);
    else unknown.push(name);
  }
  return { ids, unknown };
}

export async function replaceOffices(
  tx: DbOrTx,
  userId: number,
  officeIds: readonly number[],
): Promise<void> {
  await tx.deleteFrom('user_offices').where('user_id', '=', userId).execute();
  if (officeIds.length) {
    await tx
      .insertInto('user_offices')
      .values(officeIds.map((office_id) => ({ user_id: userId, office_id })))
      .execute();
  }
}

/** Ends every session of the account at once. */
export async function endSessions(tx: DbOrTx, userId: number): Promise<void> {
  await tx.deleteFrom('sessions').where('user_id', '=', userId).execute();
}
