import type { DbOrTx } from '../../db/database.ts';
import { entryHash, GENESIS_HASH } from './audit.repo.ts';

/** Verification of the hash-chained audit trail (the page and `zhize audit verify`). */

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
