/**
 * bench/dialects: the read paths on PostgreSQL against SQLite, in the same run on the same
 * machine and data — "who handles my matter?" (GET /api/v1/resolve, answer cache off, every
 * request a new question) and the public list pages (/duties, /boundaries, /regimes, /services)
 * and the JSON list /api/v1/work-items — each as a ratio of PostgreSQL's throughput to SQLite's.
 *
 *   npm run bench:dialects                     the city-scale document, 10-second runs (~3 minutes)
 *   npm run bench:dialects -- --duration=3     shorter runs (a smoke test; docs/benchmarks.md not written)
 *   npm run bench:dialects -- --dataset=bundled
 *
 * PostgreSQL: a fresh database on the server of PG_ADMIN_URL (default postgres://root@127.0.0.1:5432/postgres),
 * dropped afterwards. Each app runs as a real server (src/main/server.ts's startServer) in a child
 * process; autocannon (50 connections) runs here. Target (issue 15 §6): PostgreSQL within 1.5× of
 * SQLite, i.e. at least 67% of its throughput on each route.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { readBundledDocument } from '../../src/bundled.ts';
import { loadConfig } from '../../src/config.ts';
import { migrateToLatest, openDatabase } from '../../src/db/database.ts';
import { startServer } from '../../src/main/server.ts';
import { importDocument } from '../../src/modules/registry/import/import.service.ts';
import { setSearchCacheSize } from '../../src/modules/search/index.ts';
import { writeBenchSection } from '../benchmarks-md.ts';
import { generateCityDocument } from '../import/generate-city.ts';
import { benchQuestions } from '../search/questions.ts';

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  requests?: Array<{ method: 'GET'; setupRequest?: (req: { path: string }) => unknown }>;
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const HERE = fileURLToPath(import.meta.url);
const OUT = resolvePath(HERE, '../../.out');
const CONNECTIONS = 50;
const TARGET = 1 / 1.5;

// ---------------------------------------------------------------------------------------------
// Child: one server, the answer cache off

async function serve(url: string): Promise<void> {
  setSearchCacheSize(0);
  const server = await startServer(
    loadConfig({ DATABASE_URL: url, AUTO_IMPORT: '0', LOG_LEVEL: 'error', PORT: '0', HOST: '127.0.0.1' }),
  );
  const address = server.app.server.address();
  process.stdout.write(`READY ${typeof address === 'object' && address ? address.port : 0}\n`);
  const stop = () => server.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

// ---------------------------------------------------------------------------------------------
// Parent

async function importInto(url: string, bytes: Buffer): Promise<number> {
  const database = openDatabase(loadConfig({ DATABASE_URL: url }).database);
  try {
    await migrateToLatest(database);
    const started = performance.now();
    await importDocument(database, bytes, { sourceName: 'bench.txt' });
    return performance.now() - started;
  } finally {
    await database.close();
  }
}

async function startChild(url: string): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', HERE, '--serve', url], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((res, rej) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) res(Number(m[1]));
    });
    child.on('exit', (code) => rej(new Error(`server exited with code ${code}`)));
  });
  return { child, base: `http://127.0.0.1:${port}` };
}

const stopChild = (child: ChildProcess) =>
  new Promise<void>((res) => {
    child.once('exit', () => res());
    child.kill('SIGTERM');
  });

interface Row {
  route: string;
  dialect: 'sqlite' | 'postgres';
  rps: number;
  p50: number;
  p99: number;
  bad: number;
}

async function load(
  base: string,
  paths: string[],
  duration: number,
): Promise<Omit<Row, 'route' | 'dialect'>> {
  let next = 0;
  const requests = [
    {
      method: 'GET' as const,
      setupRequest: (req: { path: string }) => ({ ...req, path: paths[next++ % paths.length]! }),
    },
  ];
  await autocannon({ url: base, connections: CONNECTIONS, duration: 2, requests });
  const r = await autocannon({ url: base, connections: CONNECTIONS, duration, requests });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    bad: r.non2xx + r.errors + r.timeouts,
  };
}

async function main(): Promise<void> {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const duration = Number(arg('duration') ?? 10);
  const dataset = arg('dataset') ?? 'city';
  const bytes = dataset === 'bundled' ? readBundledDocument() : Buffer.from(generateCityDocument(), 'utf8');
  const questions = benchQuestions();
  const ROUTES: Array<[string, string[]]> = [
    ['GET /api/v1/resolve (cache off)', questions.map((q) => `/api/v1/resolve?q=${encodeURIComponent(q)}`)],
    ['GET /duties', ['/duties']],
    ['GET /boundaries', ['/boundaries']],
    ['GET /regimes', ['/regimes']],
    ['GET /services', ['/services']],
    [
      'GET /api/v1/work-items?limit=50',
      Array.from({ length: 20 }, (_, i) => `/api/v1/work-items?limit=50&offset=${i * 50}`),
    ],
  ];

  mkdirSync(OUT, { recursive: true });
  const sqlitePath = resolvePath(OUT, 'dialects.sqlite');
  for (const s of ['', '-wal', '-shm']) rmSync(`${sqlitePath}${s}`, { force: true });
  const admin =
    process.env.PG_ADMIN_URL ?? process.env.TEST_PG_ADMIN_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
  const pgName = `zhize_bench_${randomBytes(3).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`create database ${pgName}`);
  await c.end();
  const pgUrl = new URL(admin);
  pgUrl.pathname = `/${pgName}`;
  const targets = [
    { dialect: 'sqlite' as const, url: `sqlite:${sqlitePath}` },
    { dialect: 'postgres' as const, url: pgUrl.toString() },
  ];
  const load0 = loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  const rows: Row[] = [];
  const imports: string[] = [];
  try {
    for (const t of targets) {
      const ms = await importInto(t.url, bytes);
      imports.push(`${t.dialect}: import of the ${dataset} document ${(ms / 1000).toFixed(2)} s`);
    }
    // Interleaved per route (SQLite, PostgreSQL, next route), so that a change in the machine's load
    // during the run touches both sides of a ratio alike.
    const servers = await Promise.all(targets.map((t) => startChild(t.url)));
    try {
      for (const [route, paths] of ROUTES) {
        for (const [i, t] of targets.entries()) {
          const r = { route, dialect: t.dialect, ...(await load(servers[i]!.base, paths, duration)) };
          rows.push(r);
          console.log(
            `${t.dialect.padEnd(9)} ${route.padEnd(34)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms${r.bad ? `  (${r.bad} errors/non-2xx)` : ''}`,
          );
        }
      }
    } finally {
      await Promise.all(servers.map((s) => stopChild(s.child)));
    }
  } finally {
    const d = new pg.Client({ connectionString: admin });
    await d.connect();
    await d.query(`drop database if exists ${pgName} with (force)`);
    await d.end();
  }
  const load1 = loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  const lines: string[] = [];
  const verdicts: string[] = [];
  for (const [route] of ROUTES) {
    const s = rows.find((r) => r.route === route && r.dialect === 'sqlite')!;
    const p = rows.find((r) => r.route === route && r.dialect === 'postgres')!;
    const ratio = p.rps / s.rps;
    lines.push(
      `| ${route} | ${s.rps.toFixed(0)} | ${s.p99} | ${p.rps.toFixed(0)} | ${p.p99} | ${(100 * ratio).toFixed(0)}% | ${ratio >= TARGET ? 'met' : 'NOT met'} | ${s.bad + p.bad} |`,
    );
    verdicts.push(ratio >= TARGET ? 'met' : 'NOT met');
  }
  const body = `Command: \`npm run bench:dialects\`. The ${dataset} document imported into a SQLite file and into a fresh PostgreSQL database on the local server; each served by a real server process (answer cache off); autocannon with ${CONNECTIONS} connections, ${duration} s per route after a 2 s warm-up, the two databases alternating route by route in the same run. Resolve asks the next of ${questions.length} distinct questions on every request. Load average (1, 5, 15 min) before: ${load0}; after: ${load1} (the machine is shared, so figures vary between runs; the ratio is what this section is about).

| route | SQLite req/s | SQLite p99 ms | PostgreSQL req/s | PostgreSQL p99 ms | PostgreSQL / SQLite | target ≥ 67% | errors |
|---|---|---|---|---|---|---|---|
${lines.join('\n')}

${imports.map((i) => `- ${i}`).join('\n')}
- Target (issue 15 §6): PostgreSQL read paths within 1.5× of SQLite's throughput — ${verdicts.every((v) => v === 'met') ? 'met on every route' : `met on ${verdicts.filter((v) => v === 'met').length} of ${verdicts.length} routes`}.`;
  console.log(`\n${body}`);
  if (duration >= 10) writeBenchSection('## SQLite and PostgreSQL read paths (bench/dialects)', body);
  else console.log('\n(short runs: docs/benchmarks.md not written)');
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt !== -1) {
  serve(process.argv[serveAt + 1]!).catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
