import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from './db/database.ts';
import { SYSTEM_ACTOR } from './modules/audit/index.ts';
import { type ImportReport, importDocument, seedLegalRegister } from './modules/registry/index.ts';

/** The bureau's published document, shipped as the default dataset. */
export const BUNDLED_DOCUMENT_PATH = fileURLToPath(new URL('../data-bundled/source.txt', import.meta.url));
export const BUNDLED_DEPARTMENT = '衡水市商务局';

export function readBundledDocument(): Buffer {
  return readFileSync(BUNDLED_DOCUMENT_PATH);
}

/** Imports the bundled document when the database holds no departments yet; returns null otherwise. */
export async function importBundledIfEmpty(database: Database): Promise<ImportReport | null> {
  const any = await database.db.selectFrom('departments').select('id').limit(1).executeTakeFirst();
  if (any) return null;
  return importDocument(database, readBundledDocument(), {
    sourceName: 'source.txt',
    department: BUNDLED_DEPARTMENT,
  });
}

/** Seeds the register of legal instruments (the shipped facts) when it is empty; the count added. */
export async function seedLegalRegisterIfEmpty(database: Database): Promise<number> {
  const any = await database.db.selectFrom('legal_instruments').select('id').limit(1).executeTakeFirst();
  if (any) return 0;
  return (await seedLegalRegister(database.db, SYSTEM_ACTOR)).created.length;
}
