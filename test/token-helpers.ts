import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type BuildOptions, buildApp } from '../src/app.ts';
import { readBundledDocument } from '../src/bundled.ts';
import { loadConfig } from '../src/config.ts';
import { type Database, migrateToLatest, openDatabase } from '../src/db/database.ts';
import { runCli } from '../src/main/cli.ts';
import { importDocument } from '../src/modules/registry/index.ts';
import { createTestDatabase, onPostgres } from './helpers.ts';

/**
 * The real app over a database the command line can reach too (a SQLite file, or a fresh
 * PostgreSQL database in the PostgreSQL suite), so a test can run `zhize token create` or
 * `zhize complaints erase` and then use the app on the same data. `now` fixes the app's clock.
 */

export interface SharedApp {
  app: FastifyInstance;
  database: Database;
  url: string;
  cli(...args: string[]): Promise<{ code: number; out: string; err: string }>;
  close(): Promise<void>;
}

export async function createSharedApp(
  options: { seed?: boolean; now?: BuildOptions['now'] } = {},
): Promise<SharedApp> {
  let database: Database;
  let url: string;
  let dropDb: () => Promise<void> = async () => {};
  if (onPostgres) {
    const t = await createTestDatabase();
    database = t.database;
    url = t.url;
    dropDb = () => t.close();
  } else {
    url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'zhize-shared-')), 'app.sqlite')}`;
    database = openDatabase(loadConfig({ DATABASE_URL: url, AUTO_IMPORT: '0' }).database);
    await migrateToLatest(database);
    dropDb = () => database.close();
  }
  if (options.seed) {
    await importDocument(database, readBundledDocument(), {
      sourceName: 'source.txt',
      department: '衡水市商务局',
    });
  }
  const config = loadConfig({ DATABASE_URL: url, AUTO_IMPORT: '0' });
  const app = await buildApp({ config, database, logger: false, now: options.now });
  await app.ready();
  return {
    app,
    database,
    url,
    async cli(...args) {
      const prev = process.env.DATABASE_URL;
      process.env.DATABASE_URL = url;
      let out = '';
      let err = '';
      try {
        const code = await runCli(args, { out: (s) => (out += s), err: (s) => (err += s) });
        return { code, out, err };
      } finally {
        if (prev === undefined) delete process.env.DATABASE_URL;
        else process.env.DATABASE_URL = prev;
      }
    },
    async close() {
      await app.close();
      await dropDb();
    },
  };
}
