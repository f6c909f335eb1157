import type { Database } from '../../db/database.ts';
import { verifyAudit } from '../../modules/audit/index.ts';
import { type Io, parseOptions } from './io.ts';

/** `zhize audit …`: the audit trail from the command line. */

/** `zhize audit verify [--json]`: exit 0 when the chain verifies, 1 naming what was tampered with. */
export async function auditVerify(database: Database, args: string[], io: Io): Promise<number> {
  const { values } = parseOptions(args, { json: { type: 'boolean' } });
  const result = await verifyAudit(database.db);
  if (values.json) {
    io.out(`${JSON.stringify(result, null, 2)}\n`);
  } else if (result.ok) {
    io.out(`审计日志完整：共 ${result.entries} 条，链头哈希 ${result.headHash}\n`);
  } else {
    io.out(
      `审计日志已被篡改（共 ${result.entries} 条）：\n${result.problems.map((p) => `  ${p.message}`).join('\n')}\n`,
    );
  }
  return result.ok ? 0 : 1;
}
