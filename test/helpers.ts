import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { readBundledDocument } from '../src/bundled.ts';
import { type Config, loadConfig } from '../src/config.ts';
import { type Database, migrateToLatest, openDatabase } from '../src/db/database.ts';
import { importDocument } from '../src/modules/registry/index.ts';

/** The import, for tests beside the code that may not import the registry module themselves. */
export { importDocument };

/**
 * Test support: a real, fully migrated database per test file — SQLite in memory by default,
 * or a fresh PostgreSQL database when TEST_PG_ADMIN_URL is set (the PostgreSQL suite).
 */

export const onPostgres = Boolean(process.env.TEST_PG_ADMIN_URL);

export interface TestDb {
  database: Database;
  config: Config;
  url: string;
  close(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDb> {
  const admin = process.env.TEST_PG_ADMIN_URL;
  if (!admin) {
    const config = loadConfig({ DATABASE_URL: 'sqlite::memory:', AUTO_IMPORT: '0' });
    const database = openDatabase(config.database);
    await migrateToLatest(database);
    return { database, config, url: 'sqlite::memory:', close: () => database.close() };
  }
  const name = `zhize_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const config = loadConfig({ DATABASE_URL: url.toString(), AUTO_IMPORT: '0' });
  const database = openDatabase(config.database);
  await migrateToLatest(database);
  return {
    database,
    config,
    url: url.toString(),
    async close() {
      await database.close();
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      // pg's pool.end() resolves before its clients have said goodbye; dropping "with (force)"
      // while they do kills them mid-termination and surfaces as an unhandled FATAL 57P01 error.
      for (let i = 0; i < 100; i++) {
        const r = await c.query('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
        if (r.rows[0].n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface TestApp extends TestDb {
  app: FastifyInstance;
}

/**
 * The real app over a fresh database; `seed` imports the bundled document first, `now` sets the
 * app's clock, `config` overrides settings (e.g. the review chain).
 */
export async function createTestApp(
  options: { seed?: boolean; now?: () => Date; config?: Partial<Config> } = {},
): Promise<TestApp> {
  const tdb = await createTestDatabase();
  if (options.seed) {
    await importDocument(tdb.database, readBundledDocument(), {
      sourceName: 'source.txt',
      department: '衡水市商务局',
    });
  }
  const app = await buildApp({
    config: { ...tdb.config, ...options.config },
    database: tdb.database,
    logger: false,
    now: options.now,
  });
  await app.ready();
  return {
    ...tdb,
    app,
    async close() {
      await app.close();
      await tdb.close();
    },
  };
}

/** The figures issue 2 requires for the bundled document. */
export const BUNDLED_COUNTS = {
  departments: 24,
  offices: 11,
  duties: 26,
  workItems: 128,
  boundaryMatters: 13,
  shares: 59,
  legalBases: 27,
  regimes: 15,
  services: 17,
} as const;
