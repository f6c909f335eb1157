import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { runCli } from '../src/main/cli.ts';
import { login } from '../src/modules/auth/auth.service.ts';
import { addChange, createChangeSet } from '../src/modules/changes/changeset.service.ts';
import { fingerprint } from './attack-helpers.ts';
import { onPostgres } from './helpers.ts';
import { createStaff, TEST_PASSWORD } from './staff-helpers.ts';
import { createSharedApp, type SharedApp } from './token-helpers.ts';

/**
 * `zhize backup` → `zhize restore` into an empty database → the same records, the same audit chain
 * (`zhize audit verify` and `zhize stats` print the same), on the database the suite runs on
 * (SQLite's online backup; pg_dump / pg_restore on PostgreSQL).
 */

let s: SharedApp;
const dir = mkdtempSync(join(tmpdir(), 'zhize-backup-'));
const dropLater: string[] = [];

async function cli(url: string, ...args: string[]) {
  const prev = process.env.DATABASE_URL;
  process.env.DATABASE_URL = url;
  let out = '';
  let err = '';
  try {
    const code = await runCli(args, { out: (x) => (out += x), err: (x) => (err += x) });
    return { code, out, err };
  } finally {
    if (prev === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = prev;
  }
}

/** A new, empty database (no tables at all) to restore into. */
async function emptyTarget(): Promise<string> {
  if (!onPostgres) return `sqlite:${join(dir, `restored-${randomBytes(3).toString('hex')}.sqlite`)}`;
  const admin = process.env.TEST_PG_ADMIN_URL!;
  const name = `zhize_restore_${process.pid}_${randomBytes(3).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  dropLater.push(name);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

beforeAll(async () => {
  s = await createSharedApp({ seed: true });
  // Some life beyond the import: accounts, logins, a change set — all in the audit chain.
  const editor = await createStaff(s.database, 'bk-editor', 'editor', ['外事科']);
  await login(s.database.db, 'bk-editor', TEST_PASSWORD, '10.0.0.1');
  const item = await s.database.db
    .selectFrom('work_items')
    .select(['id', 'duty_id'])
    .where('text', '=', '负责我市对外交往工作')
    .executeTakeFirstOrThrow();
  const waishi = await s.database.db
    .selectFrom('offices')
    .select('id')
    .where('name', '=', '外事科')
    .executeTakeFirstOrThrow();
  await s.database.db.transaction().execute(async (tx) => {
    const set = await createChangeSet(tx, editor, { title: '备份测试', reason: '测试' });
    await addChange(tx, editor, set, {
      entity: 'workItem',
      op: 'update',
      targetId: item.id,
      payload: {
        dutyId: item.duty_id,
        text: '负责我市对外交往与合作工作',
        officeIds: [waishi.id],
        remark: '',
      },
    });
  });
});
afterAll(async () => {
  await s?.close();
  if (onPostgres) {
    const c = new pg.Client({ connectionString: process.env.TEST_PG_ADMIN_URL });
    await c.connect();
    for (const name of dropLater) await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  }
});

describe(`backup and restore (${onPostgres ? 'pg_dump / pg_restore' : 'SQLite online backup'})`, () => {
  it('restores into an empty database with equal stats, an equal verified audit chain and equal tables', async () => {
    const file = join(dir, onPostgres ? 'zhize.dump' : 'zhize-backup.sqlite');
    const backup = await cli(s.url, 'backup', file);
    expect(backup.code, backup.err).toBe(0);
    expect(existsSync(file)).toBe(true);
    expect(backup.out).toContain('已备份到');

    const target = await emptyTarget();
    const restore = await cli(target, 'restore', file);
    expect(restore.code, restore.err).toBe(0);
    expect(restore.out).toContain('审计日志完整');

    const [statsA, statsB] = [await cli(s.url, 'stats', '--json'), await cli(target, 'stats', '--json')];
    expect(statsB.out).toBe(statsA.out);
    expect(JSON.parse(statsA.out).workItems).toBe(128);
    const [auditA, auditB] = [
      await cli(s.url, 'audit', 'verify', '--json'),
      await cli(target, 'audit', 'verify', '--json'),
    ];
    expect(auditA.code).toBe(0);
    expect(auditB.code).toBe(0);
    const a = JSON.parse(auditA.out);
    const b = JSON.parse(auditB.out);
    expect(b.entries).toBe(a.entries);
    expect(b.headHash).toBe(a.headHash);
    expect(a.entries).toBeGreaterThan(3);

    const restored = openDatabase(loadConfig({ DATABASE_URL: target }).database);
    try {
      expect(await fingerprint(restored)).toBe(await fingerprint(s.database));
      // A restored instance signs CSRF tokens with the same site secret.
      const secret = (db: typeof restored) =>
        db.db
          .withTables<{ app_secrets: { name: string; value: string } }>()
          .selectFrom('app_secrets')
          .select(['name', 'value'])
          .execute();
      expect(await secret(restored)).toEqual(await secret(s.database));
    } finally {
      await restored.close();
    }

    // Restoring again over the now full database is refused, and nothing changes.
    const again = await cli(target, 'restore', file);
    expect(again.code).toBe(1);
    expect(again.err).toContain('不是空的');
    expect((await cli(target, 'stats', '--json')).out).toBe(statsA.out);
  });

  it('refuses an existing backup file, a missing one and a file that is no backup', async () => {
    const file = join(dir, 'exists.bin');
    expect((await cli(s.url, 'backup', join(dir, 'first.bak'))).code).toBe(0);
    expect((await cli(s.url, 'backup', join(dir, 'first.bak'))).code).toBe(2);
    expect((await cli(await emptyTarget(), 'restore', join(dir, 'missing.bak'))).code).toBe(2);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, 'not a backup');
    const bad = await cli(await emptyTarget(), 'restore', file);
    expect(bad.code).toBe(1);
  });
});
