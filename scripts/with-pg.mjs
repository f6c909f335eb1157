#!/usr/bin/env node
// Runs a command against PostgreSQL: makes sure a server answers (starting the local cluster if
// needed), exports TEST_PG_ADMIN_URL so each test file creates and drops its own fresh database.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import pg from 'pg';

const admin = process.env.TEST_PG_ADMIN_URL ?? 'postgres://root@127.0.0.1:5432/postgres';

async function answers() {
  const c = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

if (!(await answers())) {
  let versions = [];
  try {
    versions = readdirSync('/etc/postgresql');
  } catch {}
  for (const v of versions) {
    console.error(`PostgreSQL does not answer; starting cluster ${v}/main`);
    spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', v, 'main', 'start'], { stdio: 'inherit' });
  }
  for (let i = 0; i < 30 && !(await answers()); i++) await new Promise((r) => setTimeout(r, 1000));
  if (!(await answers())) {
    console.error(`PostgreSQL is not reachable at ${admin}`);
    process.exit(1);
  }
}

const [cmd, ...args] = process.argv.slice(2);
const r = spawnSync(cmd, args, {
  stdio: 'inherit',
  env: { ...process.env, TEST_PG_ADMIN_URL: admin },
  shell: false,
});
process.exit(r.status ?? 1);
