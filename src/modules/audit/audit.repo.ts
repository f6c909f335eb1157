import { createHash } from 'node:crypto';
import { type Selectable, sql } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import { nowIso } from '../../db/database.ts';
import type { AuditLogTable } from '../../db/types.ts';

/**
 * The append-only audit trail. Each entry is chained to the previous one by SHA-256, and a
 * single head row serialises appends (its update takes a row lock on PostgreSQL; SQLite
 * serialises writers). Always call inside the transaction of the change it records.
 */

export const GENESIS_HASH = '0'.repeat(64);

export interface Actor {
  id: number | null;
  name: string;
}

export const SYSTEM_ACTOR: Actor = { id: null, name: 'system' };

export interface AuditInput {
  actor: Actor;
  action: string;
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

/** What the hash covers: every column of an entry but its id and its own hash. */
type HashedFields = Omit<Selectable<AuditLogTable>, 'id' | 'hash'>;

/** The hash of an entry: SHA-256 over the JSON array of its fields in a fixed order. */
export function entryHash(e: HashedFields): string {
  const canonical = JSON.stringify([
    e.seq,
    e.at,
    e.actor_id,
    e.actor,
    e.action,
    e.entity,
    e.entity_id,
    e.before,
    e.after,
    e.prev_hash,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

const toJson = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

export async function appendAudit(tx: DbOrTx, input: AuditInput): Promise<{ seq: number; hash: string }> {
  // Outside a transaction (e.g. login) the head update, the insert and the new head hash would
  // be separate statements, and two concurrent appends would chain to the same previous hash.
  if (!tx.isTransaction) return tx.transaction().execute((t) => appendAudit(t, input));
  await sql`insert into audit_head (id, seq, hash) values (1, 0, ${GENESIS_HASH}) on conflict (id) do nothing`.execute(
    tx,
  );
  const head = await tx
    .updateTable('audit_head')
    .set((eb) => ({ seq: eb('seq', '+', 1) }))
    .where('id', '=', 1)
    .returning(['seq', 'hash'])
    .executeTakeFirstOrThrow();
  const fields: HashedFields = {
    seq: head.seq,
    at: nowIso(),
    actor_id: input.actor.id,
    actor: input.actor.name,
    action: input.action,
    entity: input.entity,
    entity_id: input.entityId === undefined || input.entityId === null ? null : String(input.entityId),
    before: toJson(input.before),
    after: toJson(input.after),
    prev_hash: head.hash,
  };
  const hash = entryHash(fields);
  await tx
    .insertInto('audit_log')
    .values({ ...fields, hash })
    .execute();
  await tx.updateTable('audit_head').set({ hash }).where('id', '=', 1).execute();
  return { seq: head.seq, hash };
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

/** One page of the audit trail, newest first, and the number of entries. */
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
    rows: rows.map(({ entity_id, ...r }) => ({ ...r, entityId: entity_id })),
    total: Number(total.n),
  };
}
