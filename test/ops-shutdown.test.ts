import { mkdtempSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, onPostgres, type TestDb } from './helpers.ts';
import { type ServerProcess, startServerProcess, stopServerProcess } from './process-helpers.ts';

/**
 * Graceful shutdown of the real server process: SIGTERM stops accepting connections, the request
 * in flight finishes with its answer, the database pool closes, the process exits 0.
 */

let server: ServerProcess | undefined;
let tdb: TestDb | undefined;

afterAll(async () => {
  await stopServerProcess(server);
  await tdb?.close();
});

/** One GET on a new connection (no keep-alive reuse): status and body, or the connection error. */
function fresh(url: string): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((res) => {
    const req = get(url, { agent: false }, (r) => {
      let body = '';
      r.on('data', (d) => {
        body += String(d);
      });
      r.on('end', () => res({ status: r.statusCode ?? 0, body }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => res({ error: e.code ?? e.message }));
  });
}

describe('graceful shutdown', () => {
  it('finishes the request in flight after SIGTERM, refuses new connections, closes the pool, exits 0', async () => {
    let url: string;
    if (onPostgres) {
      tdb = await createTestDatabase();
      url = tdb.url;
      await tdb.database.close(); // the child process is the only client
    } else {
      url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'zhize-shutdown-')), 'app.sqlite')}`;
    }
    server = await startServerProcess(
      { DATABASE_URL: url, AUTO_IMPORT: '0', SLOW_MS: '2500' },
      'test/fixtures/slow-server.ts',
    );
    expect(await fresh(`${server.url}/readyz`)).toMatchObject({ status: 200 });

    const inFlight = fresh(`${server.url}/test/slow`);
    await new Promise((r) => setTimeout(r, 500));
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    const late = await fresh(`${server.url}/healthz`);
    expect(late).toEqual({ error: 'ECONNREFUSED' });

    const answer = await inFlight;
    expect(answer).toEqual({ status: 200, body: '{"done":true}' });
    expect(await server.exited).toBe(0);
    const log = server.output();
    expect(log).toContain('shutdown requested');
    expect(log).toContain('database pool closed');

    if (onPostgres) {
      const name = new URL(url).pathname.slice(1);
      const c = new pg.Client({ connectionString: process.env.TEST_PG_ADMIN_URL });
      await c.connect();
      const r = await c.query('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
      await c.end();
      expect(r.rows[0].n).toBe(0);
    }
  });
});
