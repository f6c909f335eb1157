import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { importBundledIfEmpty, seedLegalRegisterIfEmpty } from '../bundled.ts';
import { type Config, loadConfig } from '../config.ts';
import { type Database, migrateToLatest, openDatabase } from '../db/database.ts';

/**
 * Entry point: `npm start`. Migrates, imports the bundled lists on first start, serves; on SIGTERM
 * (or SIGINT) shuts down gracefully: stops accepting connections, lets the requests in flight
 * finish (at most SHUTDOWN_GRACE_MS), closes the database pool, exits 0.
 */

/** How long requests in flight may take to finish after SIGTERM before the process exits anyway. */
export const SHUTDOWN_GRACE_MS = 25_000;

export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  /** The address it listens on. */
  url: string;
  /** Graceful stop: no new connections, in-flight requests finish, the pool closes. */
  stop(): Promise<void>;
}

/**
 * Opens the database, migrates, builds and starts the app. `prepare` may add to the app before it
 * listens (the shutdown test adds a slow route).
 */
export async function startServer(
  config: Config,
  prepare?: (app: FastifyInstance) => void | Promise<void>,
): Promise<RunningServer> {
  const database = openDatabase(config.database);
  await migrateToLatest(database);
  const app = await buildApp({ config, database });
  if (config.autoImport) {
    const report = await importBundledIfEmpty(database);
    if (report) {
      app.log.info(
        { found: report.found, repairs: report.repairs.length },
        '首次启动：已导入内置的衡水市商务局职责清单',
      );
    }
    const seeded = await seedLegalRegisterIfEmpty(database);
    if (seeded) app.log.info({ instruments: seeded }, '首次启动：已写入法律法规库的时效信息');
  }
  await prepare?.(app);
  const url = await app.listen({ host: config.host, port: config.port });
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      app.log.info('shutdown: no new connections; finishing requests in flight');
      // app.close() stops the listener, answers 503 to new requests on open keep-alive connections,
      // waits for the requests in flight, then runs the onClose hooks.
      await app.close();
      await database.close();
      app.log.info('shutdown: requests finished, database pool closed');
    })();
    return stopping;
  };
  return { app, database, url, stop };
}

/** SIGTERM/SIGINT → graceful stop, exit 0 (1 if the grace period ran out or closing failed). */
export function exitOnSignals(server: RunningServer, graceMs = SHUTDOWN_GRACE_MS): void {
  const onSignal = (signal: string) => {
    server.app.log.info({ signal }, 'shutdown requested');
    const timer = setTimeout(() => {
      server.app.log.error('shutdown: grace period over, exiting with requests still open');
      process.exit(1);
    }, graceMs);
    timer.unref();
    server.stop().then(
      () => process.exit(0),
      (err) => {
        server.app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
}

async function main(): Promise<void> {
  exitOnSignals(await startServer(loadConfig()));
}

const runDirectly =
  process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (runDirectly) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
