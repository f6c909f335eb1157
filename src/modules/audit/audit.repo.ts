import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import { nowIso } from '../../db/database.ts';

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

interface HashedFields {
  seq: number;
  at: string;
  actor_id: number | null;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  before: string | null;
  after: string | null;
  prev_hash: string;
}

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

export interface AuditProblem {
  seq: number | null;
  id: number | null;
  kind: 'modified' | 'deleted' | 'reordered' | 'head';
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  headHash: string;
  problems: AuditProblem[];
}

/** Recomputes the chain and names every entry that was modified, deleted or reordered. */
export async function verifyAudit(db: DbOrTx): Promise<AuditVerification> {
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('id').execute();
  const head = await db.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirst();
  const problems: AuditProblem[] = [];
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  const bySeq = [...rows].sort((a, b) => a.seq - b.seq);
  for (let i = 0; i < rows.length; i++) {
    if (rows[i]!.seq !== bySeq[i]!.seq) {
      problems.push({
        seq: rows[i]!.seq,
        id: rows[i]!.id,
        kind: 'reordered',
        message: `第 ${rows[i]!.seq} 条审计记录（id ${rows[i]!.id}）的位置被调换 / entry ${rows[i]!.seq} was reordered`,
      });
      break;
    }
  }
  for (const r of bySeq) {
    if (r.seq !== expectedSeq) {
      problems.push({
        seq: expectedSeq,
        id: null,
        kind: 'deleted',
        message: `缺少第 ${expectedSeq}${r.seq - 1 > expectedSeq ? `–${r.seq - 1}` : ''} 条审计记录：已被删除 / entry ${expectedSeq} is missing (deleted)`,
      });
      expectedSeq = r.seq;
    }
    const recomputed = entryHash({ ...r, prev_hash: r.prev_hash });
    if (recomputed !== r.hash) {
      problems.push({
        seq: r.seq,
        id: r.id,
        kind: 'modified',
        message: `第 ${r.seq} 条审计记录（id ${r.id}，${r.action} ${r.entity} ${r.entity_id ?? ''}）的内容与其哈希不符：已被修改 / entry ${r.seq} was modified`,
      });
    } else if (r.prev_hash !== prev) {
      problems.push({
        seq: r.seq,
        id: r.id,
        kind: 'reordered',
        message: `第 ${r.seq} 条审计记录（id ${r.id}）没有接在前一条之后：链条被改动 / entry ${r.seq} does not follow the previous entry`,
      });
    }
    prev = r.hash;
    expectedSeq++;
  }
  const last = bySeq[bySeq.length - 1];
  if (head && last && (head.seq !== last.seq || head.hash !== last.hash)) {
    problems.push({
      seq: head.seq,
      id: null,
      kind: 'head',
      message: `链头记录为第 ${head.seq} 条，但最后一条是第 ${last.seq} 条：末尾记录被删除或改动 / the chain head does not match the last entry`,
    });
  }
  if (head && !last && head.seq > 0) {
    problems.push({
      seq: head.seq,
      id: null,
      kind: 'deleted',
      message: `链头记录为第 ${head.seq} 条，但审计表是空的：记录被删除 / all entries were deleted`,
    });
  }
  return { ok: problems.length === 0, entries: rows.length, headHash: head?.hash ?? GENESIS_HASH, problems };
}
