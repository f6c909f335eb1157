import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  type LogEvent,
  Migrator,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import type { DatabaseTarget } from '../config.ts';
import { migrationProvider } from './migrations/index.ts';
import type { DB } from './types.ts';

export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;
/** A repository's first argument: the database or a transaction inside it. */
export type DbOrTx = Kysely<DB> | Transaction<DB>;
export type DialectName = 'sqlite' | 'postgres';

export interface Database {
  db: Db;
  dialect: DialectName;
  close(): Promise<void>;
  /** Calls `fn` with the seconds each statement took (the metrics); returns the unsubscribe. */
  onQuery?(fn: (seconds: number) => void): () => void;
}

/** Kysely's query log, fanned out to the subscribers of one database (metrics). */
function queryTiming() {
  const observers = new Set<(seconds: number) => void>();
  return {
    log: (event: LogEvent) => {
      if (observers.size === 0) return;
      const seconds = event.queryDurationMillis / 1000;
      for (const o of observers) o(seconds);
    },
    onQuery(fn: (seconds: number) => void) {
      observers.add(fn);
      return () => {
        observers.delete(fn);
      };
    },
  };
}

// PostgreSQL returns int8 (count(*), sums) as strings; the values here fit in a JS number.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export function openDatabase(target: DatabaseTarget): Database {
  if (target.kind === 'sqlite') {
    if (target.path !== ':memory:') mkdirSync(dirname(target.path), { recursive: true });
    const sqlite = new SQLite(target.path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    const timing = queryTiming();
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }), log: timing.log });
    return { db, dialect: 'sqlite', close: () => db.destroy(), onQuery: timing.onQuery };
  }
  const pool = new pg.Pool({ connectionString: target.url, max: 10 });
  const timing = queryTiming();
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), log: timing.log });
  return { db, dialect: 'postgres', close: () => db.destroy(), onQuery: timing.onQuery };
}

/** Brings the schema to the latest migration; throws with the failing migration's name. */
export async function migrateToLatest(database: Database): Promise<void> {
  const migrator = new Migrator({ db: database.db, provider: migrationProvider(database.dialect) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    throw new Error(
      `数据库迁移失败 / migration failed${failed ? ` (${failed.migrationName})` : ''}: ${String(error)}`,
    );
  }
}

/**
 * The migrations this code knows that the database has not run (empty: the schema is current).
 * `/readyz` answers 503 while any are pending — an instance of newer code before `migrate` ran.
 */
export async function pendingMigrations(database: Database): Promise<string[]> {
  const migrator = new Migrator({ db: database.db, provider: migrationProvider(database.dialect) });
  const all = await migrator.getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

/** Current time as ISO-8601 UTC text: the one timestamp format stored on both databases. */
export function nowIso(): string {
  return new Date().toISOString();
}

/** Which database a Kysely instance or transaction talks to. */
export function dialectOf(db: DbOrTx): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
