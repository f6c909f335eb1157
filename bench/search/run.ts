/**
 * bench/search: throughput and latency of "who handles my matter?" (GET /api/v1/resolve) and of
 * the search page (GET /search), next to a trivial JSON route of the same app (GET /healthz) in
 * the same run, on the bundled document and on the generated city-scale document.
 *
 *   npm run bench:search                  both datasets, 10-second runs (about two minutes)
 *   npm run bench:search -- --duration=3  shorter runs (a smoke test; docs/benchmarks.md not written)
 *
 * The app runs as a real server on 127.0.0.1 (random port) in a child process, so that autocannon
 * (50 connections) does not share its event loop. Requests rotate through the 181 questions of
 * eval/resolve-questions.json. The app's answer cache is on, as in production; each route gets a
 * 2-second warm-up first, so the figures are steady state with a warm cache. A second server with
 * the cache disabled measures the uncached resolver for comparison.
 *
 * Targets (issue 3): resolve throughput ≥ 25% of /healthz's, p99 < 50 ms at 50 connections.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadQuestions } from '../../eval/run-resolve.ts';
import { buildApp } from '../../src/app.ts';
import { readBundledDocument } from '../../src/bundled.ts';
import { loadConfig } from '../../src/config.ts';
import { migrateToLatest, openDatabase } from '../../src/db/database.ts';
import { importDocument } from '../../src/modules/registry/import/import.service.ts';
import { setSearchCacheSize } from '../../src/modules/search/index.ts';
import { writeBenchSection } from '../benchmarks-md.ts';
import { generateCityDocument } from '../import/generate-city.ts';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  requests?: Array<{ method: 'GET'; path: string }>;
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const HERE = fileURLToPath(import.meta.url);
const OUT = resolvePath(HERE, '../../.out');
const CONNECTIONS = 50;

// ---------------------------------------------------------------------------------------------
// Child: the server

async function serve(path: string, cacheSize: number): Promise<void> {
  if (cacheSize >= 0) setSearchCacheSize(cacheSize);
  const config = loadConfig({
    DATABASE_URL: `sqlite:${path}`,
    AUTO_IMPORT: '0',
    LOG_LEVEL: 'error',
    PORT: '0',
  });
  const database = openDatabase(config.database);
  await migrateToLatest(database);
  const app = await buildApp({ config, database, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`READY ${port}\n`);
  const stop = async () => {
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

// ---------------------------------------------------------------------------------------------
// Parent: datasets, servers, load

async function prepare(name: string, bytes: Buffer): Promise<{ path: string; importMs: number }> {
  mkdirSync(OUT, { recursive: true });
  const path = resolvePath(OUT, `search-${name}.sqlite`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  const database = openDatabase({ kind: 'sqlite', path });
  await migrateToLatest(database);
  const started = performance.now();
  await importDocument(database, bytes, { sourceName: `${name}.txt` });
  const importMs = performance.now() - started;
  await database.close();
  return { path, importMs };
}

async function startServer(path: string, cacheSize: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', HERE, '--serve', path, `--cache-size=${cacheSize}`],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`server exited with code ${code}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

async function stopServer(child: ChildProcess): Promise<void> {
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

interface Row {
  dataset: string;
  route: string;
  rps: number;
  p50: number;
  p99: number;
  bad: number;
}

async function load(
  url: string,
  paths: string[],
  duration: number,
  label: { dataset: string; route: string },
): Promise<Row> {
  const requests = paths.map((path) => ({ method: 'GET' as const, path }));
  await autocannon({ url, connections: CONNECTIONS, duration: 2, requests });
  const r = await autocannon({ url, connections: CONNECTIONS, duration, requests });
  const row = {
    ...label,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    bad: r.non2xx + r.errors + r.timeouts,
  };
  console.log(
    `${row.dataset.padEnd(10)} ${row.route.padEnd(34)} ${row.rps.toFixed(0).padStart(7)} req/s  p50 ${row.p50} ms  p99 ${row.p99} ms${row.bad ? `  (${row.bad} errors/non-2xx)` : ''}`,
  );
  return row;
}

async function hasSearchPage(url: string): Promise<string | null> {
  try {
    const res = await fetch(`${url}/search?q=${encodeURIComponent('药店')}`);
    if (res.status !== 200) return `GET /search answers ${res.status}`;
    if (!(res.headers.get('content-type') ?? '').includes('text/html'))
      return 'GET /search is not an HTML page';
    return null;
  } catch (err) {
    return `GET /search failed: ${String(err)}`;
  }
}

async function main(): Promise<void> {
  const durationArg = process.argv.find((a) => a.startsWith('--duration='));
  const duration = durationArg ? Number(durationArg.slice('--duration='.length)) : 10;
  const questions = loadQuestions().map((q) => q.q);
  const resolvePaths = questions.map((q) => `/api/v1/resolve?q=${encodeURIComponent(q)}`);
  const pagePaths = questions.map((q) => `/search?q=${encodeURIComponent(q)}`);

  const datasets = [
    { name: 'bundled', bytes: readBundledDocument() },
    { name: 'city', bytes: Buffer.from(generateCityDocument(), 'utf8') },
  ];
  const rows: Row[] = [];
  const notes: string[] = [];
  const sizes: string[] = [];
  for (const ds of datasets) {
    const { path, importMs } = await prepare(ds.name, ds.bytes);
    sizes.push(`${ds.name}: import including the search index ${(importMs / 1000).toFixed(2)} s`);
    const cached = await startServer(path, -1);
    try {
      rows.push(
        await load(cached.url, ['/healthz'], duration, {
          dataset: ds.name,
          route: 'GET /healthz (trivial JSON)',
        }),
      );
      rows.push(
        await load(cached.url, resolvePaths, duration, { dataset: ds.name, route: 'GET /api/v1/resolve' }),
      );
      const skip = await hasSearchPage(cached.url);
      if (skip) {
        const note = `${ds.name}: search page skipped — ${skip}`;
        console.log(note);
        notes.push(note);
      } else {
        rows.push(
          await load(cached.url, pagePaths, duration, { dataset: ds.name, route: 'GET /search (HTML page)' }),
        );
      }
    } finally {
      await stopServer(cached.child);
    }
    const uncached = await startServer(path, 0);
    try {
      rows.push(
        await load(uncached.url, resolvePaths, duration, {
          dataset: ds.name,
          route: 'GET /api/v1/resolve, cache off',
        }),
      );
    } finally {
      await stopServer(uncached.child);
    }
  }

  const verdicts: string[] = [];
  const table = rows.map((r) => {
    const base = rows.find((b) => b.dataset === r.dataset && b.route.startsWith('GET /healthz'))!;
    const ratio = r.rps / base.rps;
    return `| ${r.dataset} | ${r.route} | ${r.rps.toFixed(0)} | ${(100 * ratio).toFixed(0)}% | ${r.p50} | ${r.p99} | ${r.bad} |`;
  });
  for (const ds of datasets) {
    const base = rows.find((r) => r.dataset === ds.name && r.route.startsWith('GET /healthz'))!;
    const res = rows.find((r) => r.dataset === ds.name && r.route === 'GET /api/v1/resolve')!;
    const ratio = res.rps / base.rps;
    const ok = ratio >= 0.25 && res.p99 < 50;
    verdicts.push(
      `${ds.name}: resolve at ${(100 * ratio).toFixed(0)}% of /healthz, p99 ${res.p99} ms — ${ok ? 'met' : 'NOT met'}`,
    );
  }
  const body = `Command: \`npm run bench:search\`. Real server on 127.0.0.1 in a child process, SQLite file database, autocannon with ${CONNECTIONS} connections, ${duration} s per route after a 2 s warm-up, requests rotating through the ${questions.length} questions of eval/resolve-questions.json. The answer cache is on (as in production) except in the "cache off" rows.

| dataset | route | req/s | of /healthz | p50 ms | p99 ms | errors |
|---|---|---|---|---|---|---|
${table.join('\n')}

${[...sizes, ...notes].map((n) => `- ${n}`).join('\n')}

Targets: resolve throughput ≥ 25% of /healthz, p99 < 50 ms at ${CONNECTIONS} connections.
${verdicts.map((v) => `- ${v}`).join('\n')}`;
  console.log(`\n${body}`);
  if (duration >= 10) writeBenchSection('## Search (bench/search)', body);
  else console.log('\n(short runs: docs/benchmarks.md not written)');
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt !== -1) {
  const cacheArg = process.argv.find((a) => a.startsWith('--cache-size='));
  serve(process.argv[serveAt + 1]!, cacheArg ? Number(cacheArg.slice('--cache-size='.length)) : -1).catch(
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
