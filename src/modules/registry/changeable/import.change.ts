import { z } from 'zod';
import { nowIso } from '../../../db/database.ts';
import { AppError } from '../../../http/errors.ts';
import { departmentKey } from '../../../importer/names.ts';
import { parseDocument } from '../../../importer/parse.ts';
import { registryFingerprint } from '../import/import.service.ts';
import { type StoreLog, storeLists } from '../import/store.ts';
import { changeAdapter } from './change-adapter.ts';

/**
 * 文档导入: a re-import that would change or remove published records, proposed as a change
 * (docs/importer.md, "Re-imports and review"). The document is stored when the change is
 * proposed; publishing reads it again and stores its lists for the department. The payload
 * carries the registry's fingerprint at proposal: a registry changed since then makes the
 * proposal stale (refused at proposal and at publication), so what the reviewer read as the
 * plan is what publication does. Admins only; proposed by `zhize import --as`, not by a form.
 */

export const ImportPayload = z.object({
  sourceDocumentId: z.number().int().positive(),
  /** The departments whose lists the document replaces (the owners named in its titles). */
  departments: z.array(z.string().trim().min(1).max(40)).min(1).max(100),
  /** The file, as shown to the reviewer. */
  document: z.string().trim().min(1).max(300),
  /** What publishing changes: the records removed and changed, then the counts. */
  plan: z.string().max(200_000),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ImportPayload = z.infer<typeof ImportPayload>;

export const IMPORT_ENTITY = 'documentImport';

async function documentsOf(db: Parameters<typeof registryFingerprint>[0], departmentId: number) {
  const rows = await db
    .selectFrom('duties')
    .innerJoin('source_documents', 'source_documents.id', 'duties.source_document_id')
    .select(['source_documents.name', 'source_documents.sha256'])
    .where('duties.department_id', '=', departmentId)
    .distinct()
    .execute();
  return rows.map((r) => `${r.name}（SHA-256 ${r.sha256.slice(0, 16)}…）`).join('、') || '（无）';
}

export const importChange = changeAdapter<ImportPayload>({
  entity: IMPORT_ENTITY,
  name: '文档导入',
  payload: ImportPayload,
  fields: [
    { key: 'document', label: '来源文件', kind: 'text', max: 300 },
    { key: 'plan', label: '发布后的变化', kind: 'area', max: 200_000 },
  ],
  officeScoped: false,
  async current(db, id) {
    const d = await db
      .selectFrom('departments')
      .select(['id', 'name'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!d) return null;
    return {
      payload: {
        document: await documentsOf(db, d.id),
        plan: '',
        fingerprint: await registryFingerprint(db),
      },
      officeIds: [],
      departmentId: d.id,
    };
  },
  officesOf: () => [],
  async checkReferences(db, p) {
    const doc = await db
      .selectFrom('source_documents')
      .select('id')
      .where('id', '=', p.sourceDocumentId)
      .executeTakeFirst();
    if (!doc) throw new AppError(400, 'bad_reference', `来源文件 ${p.sourceDocumentId} 不存在`);
    if (!p.plan.trim())
      throw new AppError(400, 'invalid_change', '文档导入须附上发布后的变化（由 zhize import 计算）');
    if (p.fingerprint !== (await registryFingerprint(db)))
      throw new AppError(
        409,
        'stale_import',
        '清单在计算导入计划之后已有变化：请重新运行导入，按新的计划提出',
      );
  },
  async apply(tx, ctx, p) {
    if (ctx.op !== 'update' || ctx.targetId === null || !p)
      throw new AppError(400, 'bad_change_kind', '文档导入只能作为对部门清单的修改提出');
    const doc = await tx
      .selectFrom('source_documents')
      .select(['id', 'content'])
      .where('id', '=', p.sourceDocumentId)
      .executeTakeFirst();
    if (!doc)
      throw new AppError(409, 'stale_change', `来源文件 ${p.sourceDocumentId} 已不存在，无法发布这项导入`);
    const parsed = parseDocument(doc.content);
    const wanted = new Set(p.departments.map(departmentKey));
    const lists = parsed.lists.filter((l) => wanted.has(departmentKey(l.department)));
    if (lists.length !== wanted.size)
      throw new AppError(409, 'stale_change', `来源文件中没有“${p.departments.join('、')}”的全部清单`);
    const log: StoreLog = { changes: {}, merges: [] };
    await storeLists(tx, { ...parsed, lists }, doc.id, log);
    const now = nowIso();
    await tx
      .insertInto('import_runs')
      .values({
        source_document_id: doc.id,
        started_at: now,
        finished_at: now,
        summary: JSON.stringify({ changeSet: true, departments: p.departments, changes: log.changes }),
      })
      .execute();
    return ctx.targetId;
  },
  label: (p) => (typeof p.document === 'string' ? p.document : ''),
});
