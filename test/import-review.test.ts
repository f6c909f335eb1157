import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_DOCUMENT_PATH } from '../src/bundled.ts';
import { todayInChina } from '../src/lib/china-time.ts';
import { cmdImport } from '../src/main/commands/registry.ts';
import { exportDataset } from '../src/modules/registry/export/dataset.export.ts';
import { countRegistry } from '../src/modules/registry/read/registry.repo.ts';
import { BUNDLED_COUNTS, createTestApp, type TestApp } from './helpers.ts';
import { type Browser, createStaff, loginAs } from './staff-helpers.ts';

/**
 * Issue 15, item 2: a re-import never removes or changes published records behind the review.
 * Over a full database, a well-formed file that drops public services 15–17 changes nothing
 * until the change set it becomes is reviewed and published (both databases: `npm run test:pg`).
 */

const SOURCE = readFileSync(BUNDLED_DOCUMENT_PATH, 'utf8');
const LINES = SOURCE.split('\n').slice(0, -1);
const dir = mkdtempSync(join(tmpdir(), 'zhize-reimport-'));

/** The bundled document without services 15–17 (their rows gone, the table still closed). */
function withoutLastThreeServices(): string {
  const at15 = LINES.lastIndexOf('\t15');
  const end = LINES.length - 2; // the two blank lines that close the table
  return `${[...LINES.slice(0, at15), ...LINES.slice(end)].join('\n')}\n`;
}

let t: TestApp;
let fewer: string;
let reviewer: Browser;

async function cli(...args: string[]) {
  let out = '';
  let err = '';
  const code = await cmdImport(t.database, args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

/** The registry's records; the stored documents aside (a proposal stores its file for the reviewer). */
const snapshot = async () => {
  const { source_documents: _documents, ...records } = (await exportDataset(t.database.db)).tables;
  return records;
};
const services = async () => (await countRegistry(t.database.db)).services;
const versionCount = async () =>
  Number(
    (
      await t.database.db
        .selectFrom('versions')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  await createStaff(t.database, 'importer', 'admin');
  await createStaff(t.database, 'checker', 'reviewer');
  await createStaff(t.database, 'wang', 'editor', ['外事科']);
  fewer = join(dir, 'fewer.txt');
  writeFileSync(fewer, withoutLastThreeServices());
  reviewer = await loginAs(t.app, 'checker');
});
afterAll(async () => {
  await t.close();
});

describe('a re-import that would delete published records', () => {
  it('the shortened file is well formed: the importer reads 14 services', async () => {
    const r = await cli(fewer, '--dry-run', '--json');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.out);
    expect(plan.found.services).toBe(14);
    expect(plan.needsReview).toBe(true);
    expect(plan.route).toBe('change-set');
  });

  it('--dry-run lists the deletions and writes nothing', async () => {
    const before = await snapshot();
    const r = await cli(fewer, '--dry-run');
    expect(r.code).toBe(0);
    for (const n of [15, 16, 17]) expect(r.out).toContain(`删除 公共服务事项 ${n}`);
    expect(r.out).toContain('提交为调整单');
    expect(await snapshot()).toEqual(before);
  });

  it('without --as or --apply it is refused and the database is unchanged', async () => {
    const before = await snapshot();
    const r = await cli(fewer);
    expect(r.code).toBe(1);
    expect(r.err).toContain('须经审核');
    expect(r.err).toContain('删除 公共服务事项 15');
    expect(await snapshot()).toEqual(before);
  });

  it('--apply is for admins only and needs the confirmation', async () => {
    const before = await snapshot();
    expect((await cli(fewer, '--apply')).code).toBe(1);
    expect((await cli(fewer, '--apply', '--as', 'wang', '--yes')).err).toContain('只有系统管理员');
    // Not a terminal and no --yes: listed, not confirmed, nothing written.
    const unconfirmed = await cli(fewer, '--apply', '--as', 'importer');
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.err).toContain('删除 公共服务事项 17');
    expect(unconfirmed.err).toContain('--yes');
    expect(await snapshot()).toEqual(before);
  });

  it('an editor cannot propose a document import', async () => {
    const before = await snapshot();
    const r = await cli(fewer, '--as', 'wang');
    expect(r.code).toBe(1);
    expect(r.err).toContain('无权');
    expect(await snapshot()).toEqual(before);
  });

  it('becomes a change set of the importing user; nothing changes until a reviewer publishes it', async () => {
    const before = await snapshot();
    const versions = await versionCount();
    const r = await cli(fewer, '--as', 'importer', '--json');
    expect(r.code, r.err).toBe(0);
    const { changeSet, status, removed } = JSON.parse(r.out);
    expect(status).toBe('submitted');
    expect(removed).toBeGreaterThanOrEqual(3);
    const set = await t.database.db
      .selectFrom('change_sets')
      .innerJoin('users', 'users.id', 'change_sets.author_id')
      .select(['change_sets.status', 'users.username'])
      .where('change_sets.id', '=', changeSet)
      .executeTakeFirstOrThrow();
    expect(set).toEqual({ status: 'submitted', username: 'importer' });
    // Published records untouched, the public list still has 17 services.
    expect(await snapshot()).toEqual(before);
    expect(await versionCount()).toBe(versions);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/services?limit=100' });
    expect(list.json().items).toHaveLength(17);

    // The reviewer sees the plan on the change set's page, approves and publishes.
    const page = await reviewer.get(`/admin/changes/${changeSet}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('文档导入');
    expect(page.body).toContain('删除 公共服务事项 16');
    expect((await reviewer.post(`/admin/changes/${changeSet}/approve`, {})).status).toBe(303);
    expect(await services()).toBe(17);
    const published = await reviewer.post(`/admin/changes/${changeSet}/publish`, {
      effectiveDate: todayInChina(),
      confirm: 'yes',
    });
    expect(published.status, published.body.slice(0, 500)).toBe(303);
    expect(await services()).toBe(14);
    expect(await versionCount()).toBe(versions + 1);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/services?limit=100' });
    expect(after.json().items.map((s: { seq: number }) => s.seq)).not.toContain(15);
    // Everything else is as before the import.
    expect(await countRegistry(t.database.db)).toEqual({ ...BUNDLED_COUNTS, services: 14 });
  });

  it('a proposal is stale once the registry changes after it: publication is refused', async () => {
    const full = join(dir, 'full.txt');
    writeFileSync(full, SOURCE);
    // Restore the 17 services by an admin's confirmed --apply (the deletions are listed first).
    const restore = await cli(full, '--apply', '--as', 'importer', '--yes');
    expect(restore.code, restore.err).toBe(0);
    expect(await services()).toBe(17);
    const proposed = JSON.parse((await cli(fewer, '--as', 'importer', '--json')).out);
    // Another change reaches the registry first.
    const edited = SOURCE.replace('\t2112826\n', '\t2112827\n');
    writeFileSync(join(dir, 'edited.txt'), edited);
    expect((await cli(join(dir, 'edited.txt'), '--apply', '--as', 'importer', '--yes')).code).toBe(0);
    expect((await reviewer.post(`/admin/changes/${proposed.changeSet}/approve`, {})).status).toBe(303);
    const before = await snapshot();
    const refused = await reviewer.post(`/admin/changes/${proposed.changeSet}/publish`, {
      effectiveDate: todayInChina(),
      confirm: 'yes',
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toContain('已被改动');
    expect(await snapshot()).toEqual(before);
    expect(await services()).toBe(17);
  });

  it('an import that only adds records is applied at once (the first import of an empty database)', async () => {
    const fresh = await createTestApp();
    try {
      let err = '';
      const code = await cmdImport(fresh.database, [BUNDLED_DOCUMENT_PATH], {
        out: () => {},
        err: (s) => (err += s),
      });
      expect(code, err).toBe(0);
      expect(await countRegistry(fresh.database.db)).toEqual(BUNDLED_COUNTS);
    } finally {
      await fresh.close();
    }
  });
});
