import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_DOCUMENT_PATH } from '../src/bundled.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { runCli } from '../src/main/cli.ts';
import { BUNDLED_COUNTS, createTestDatabase, onPostgres, type TestDb } from './helpers.ts';

/** The CLI as a user runs it: through runCli in-process against a real database, and once through ./bin/zhize. */

let t: TestDb | null = null;
let url: string;
const dir = mkdtempSync(join(tmpdir(), 'zhize-cli-'));

beforeAll(async () => {
  if (onPostgres) {
    t = await createTestDatabase();
    url = t.url;
  } else {
    url = `sqlite:${join(dir, 'cli.sqlite')}`;
  }
});
afterAll(async () => {
  await t?.close();
});

async function cli(...args: string[]) {
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
}

/** ./bin/zhize with text on its standard input (the --password-stdin paths). */
async function cliWithStdin(args: string[], input: string) {
  return spawnSync('./bin/zhize', args, {
    encoding: 'utf8',
    input,
    env: { ...process.env, DATABASE_URL: url },
  });
}

async function readUser(username: string) {
  const database = openDatabase(loadConfig({ DATABASE_URL: url, AUTO_IMPORT: '0' }).database);
  try {
    return await database.db
      .selectFrom('users')
      .select(['role', 'must_change_password'])
      .where('username', '=', username)
      .executeTakeFirstOrThrow();
  } finally {
    await database.close();
  }
}

describe('zhize CLI', () => {
  it('imports with --dry-run without writing, printing JSON on stdout only', async () => {
    const r = await cli('import', BUNDLED_DOCUMENT_PATH, '--dry-run', '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.dryRun).toBe(true);
    expect(report.found).toEqual(BUNDLED_COUNTS);
    const stats = await cli('stats', '--json');
    expect(JSON.parse(stats.out).duties).toBe(0);
  });

  it('imports the document and reports repairs and merges in Chinese', async () => {
    const r = await cli('import', BUNDLED_DOCUMENT_PATH, '--department', '衡水市商务局');
    expect(r.code).toBe(0);
    expect(r.out).toContain('导入完成');
    expect(r.out).toContain('市住房和城乡建设局 ← 市住房城乡建设局');
    expect(r.out).toContain('第 1033 行');
  });

  it('prints stats --json with exactly the agreed keys and the bundled counts', async () => {
    const r = await cli('stats', '--json');
    const stats = JSON.parse(r.out);
    expect(Object.keys(stats)).toEqual([
      'departments',
      'offices',
      'duties',
      'workItems',
      'boundaryMatters',
      'shares',
      'legalBases',
      'regimes',
      'services',
    ]);
    expect(stats).toEqual(BUNDLED_COUNTS);
  });

  it('says nothing changed when the same file is imported again', async () => {
    const r = await cli('import', BUNDLED_DOCUMENT_PATH, '--json');
    expect(JSON.parse(r.out).unchanged).toBe(true);
  });

  it('refuses a mangled file with a non-zero exit, the line, and the database unchanged', async () => {
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, readFileSync(BUNDLED_DOCUMENT_PATH, 'utf8').replace('\t管理事项\n', ''));
    const r = await cli('import', bad);
    expect(r.code).toBe(1);
    expect(r.err).toContain('数据库未改动');
    expect(r.err).toMatch(/第 \d+ 行/);
    expect(r.err).toContain('管理事项');
    expect(JSON.parse((await cli('stats', '--json')).out)).toEqual(BUNDLED_COUNTS);
    const binary = join(dir, 'bin.dat');
    writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 0xff, 0xd8]));
    const r2 = await cli('import', binary);
    expect(r2.code).toBe(1);
    expect(r2.err).toMatch(/字节|offset/);
  });

  it('reports data quality: duplicate items, merged names, repairs, gaps, document numbers, typos', async () => {
    const r = await cli('check', '--json');
    const q = JSON.parse(r.out);
    const dup = q.duplicateWorkItems.find((d: { text: string }) => d.text === '负责本单位新闻发布工作');
    expect(dup.occurrences.map((o: { dutySeq: number }) => o.dutySeq)).toEqual([1, 15]);
    expect(q.mergedNames).toContainEqual({
      kind: 'department',
      canonical: '衡水市商务局',
      variants: ['市商务局'],
    });
    expect(q.repairs.length).toBeGreaterThan(10);
    expect(q.mattersWithoutBasisOrCase.map((m: { name: string }) => m.name)).toContain('再生资源回收管理');
    expect(q.officesWithoutWorkItems).toEqual([{ department: '衡水市商务局', office: '商务综合执法监督局' }]);
    expect(
      q.legalBasesByDocNumber.find((b: { docNumber: string }) => b.docNumber === '国办发〔2003〕92号')
        .citedBy,
    ).toHaveLength(2);
    expect(q.possibleTypos.map((p: { text: string }) => p.text)).toEqual(
      expect.arrayContaining(['赌塞', '数据数据']),
    );
    const text = await cli('check');
    expect(text.out).toContain('数据质量报告');
  });

  it('exports JSON that re-imports into an empty database', async () => {
    const file = join(dir, 'dataset.json');
    const r = await cli('export', '--format', 'json', '--out', file);
    expect(r.code).toBe(0);
    const other = await createTestDatabase();
    try {
      const prev = url;
      url = onPostgres ? other.url : `sqlite:${join(dir, 'other.sqlite')}`;
      const load = await cli('import', file, '--json');
      expect(load.code).toBe(0);
      expect(JSON.parse((await cli('stats', '--json')).out)).toEqual(BUNDLED_COUNTS);
      url = prev;
    } finally {
      await other.close();
    }
  });

  it('exports CSV to stdout and refuses xlsx without --out', async () => {
    const csv = await cli('export', '--format', 'csv', '--part', 'services');
    expect(csv.out).toContain('序号,服务事项,主要内容,承办机构,联系电话');
    const x = await cli('export', '--format', 'xlsx');
    expect(x.code).toBe(2);
    expect(x.err).toContain('--out');
  });

  it('answers an unknown command with usage and exit code 2', async () => {
    const r = await cli('frobnicate');
    expect(r.code).toBe(2);
    expect(r.err).toContain('用法');
  });

  it('resets a password with a generated one printed once, forcing a new password at next login', async () => {
    const made = await cliWithStdin(
      ['user', 'create', 'cli.user', '--role', 'auditor', '--password-stdin'],
      'first-pass-2026\n',
    );
    expect(made.status, made.stderr).toBe(0);
    const r = await cli('user', 'reset-password', 'cli.user');
    expect(r.code, r.err).toBe(0);
    const temporary = r.out.trim();
    expect(temporary).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect(r.err).toContain('下次登录时必须设置新密码');
    const row = await readUser('cli.user');
    expect(row.must_change_password).toBe(1);
    const audit = await cli('audit', 'verify', '--json');
    expect(JSON.parse(audit.out).ok).toBe(true);
    const missing = await cli('user', 'reset-password', 'nobody.here');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('找不到用户');
  });

  it('resets a password to one read from stdin, refusing a weak one', async () => {
    const weak = await cliWithStdin(['user', 'reset-password', 'cli.user', '--password-stdin'], 'short\n');
    expect(weak.status).toBe(1);
    expect(weak.stderr).toContain('密码至少需要 10 个字符');
    const ok = await cliWithStdin(
      ['user', 'reset-password', 'cli.user', '--password-stdin'],
      'typed-temp-2026\n',
    );
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toBe('');
  });

  it('sets a role and offices, refusing an unknown office or an editor without one', async () => {
    const r = await cli('user', 'set-role', 'cli.user', '--role', 'editor', '--office', '外事科');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('科室编辑');
    const row = await readUser('cli.user');
    expect(row.role).toBe('editor');
    const unknown = await cli('user', 'set-role', 'cli.user', '--role', 'editor', '--office', '不存在科');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('找不到科室“不存在科”');
    const bare = await cli('user', 'set-role', 'cli.user', '--role', 'editor');
    expect(bare.code).toBe(1);
    expect(bare.err).toContain('科室编辑必须绑定至少一个科室');
    const badRole = await cli('user', 'set-role', 'cli.user', '--role', 'boss');
    expect(badRole.code).toBe(2);
    expect(badRole.err).toContain('--role 必须是');
    expect((await cli('user', 'frobnicate')).code).toBe(2);
  });

  it('runs as ./bin/zhize from the project root', () => {
    const ok = spawnSync('./bin/zhize', ['uscc', 'check', '91350100M000100Y43'], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    const bad = spawnSync('./bin/zhize', ['uscc', 'check', '91350100M000100Y44'], { encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stdout + bad.stderr).toContain('第18位校验码应为3');
    const w = spawnSync('./bin/zhize', ['workdays', 'add', '2026-09-28', '10'], { encoding: 'utf8' });
    expect(w.status).toBe(0);
    expect(w.stdout.trim()).toBe('2026-10-16');
  });
});
