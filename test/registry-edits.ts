import { rebuildSearchIndex } from '../src/modules/search/index.ts';
import type { TestApp } from './helpers.ts';

/**
 * Temporarily changes a work item of the bundled document, found by its text (not by a row id
 * that depends on import order): appends `suffix`, rebuilds the search index, runs `fn` with the
 * item's id, then restores the text and the index whatever happens.
 */
export async function withWorkItemAppended(
  t: TestApp,
  text: string,
  suffix: string,
  fn: (id: number) => Promise<void>,
): Promise<void> {
  const db = t.database.db;
  const item = await db
    .selectFrom('work_items')
    .select(['id', 'text'])
    .where('text', '=', text)
    .executeTakeFirstOrThrow(() => new Error(`no work item reads “${text}”`));
  await db
    .updateTable('work_items')
    .set({ text: `${item.text}${suffix}` })
    .where('id', '=', item.id)
    .execute();
  try {
    await rebuildSearchIndex(db, t.database.dialect);
    await fn(item.id);
  } finally {
    await db.updateTable('work_items').set({ text: item.text }).where('id', '=', item.id).execute();
    await rebuildSearchIndex(db, t.database.dialect);
  }
}
