import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_DOCUMENT_PATH } from '../src/bundled.ts';
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
