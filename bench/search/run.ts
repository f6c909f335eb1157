/**
 * bench/search: throughput and latency of "who handles my matter?" (GET /api/v1/resolve) and of
 * the search page (GET /search), next to a trivial JSON route of the same app (GET /healthz) in
 * the same run, on the bundled document and on the generated city-scale document.
 *
 *   npm run bench:search                  both datasets, 10-second runs (about four minutes)
 *   npm run bench:search -- --duration=3  shorter runs (a smoke test; docs/benchmarks.md not written)
 *
 * The app runs as a real server on 127.0.0.1 (random port) in a child process, so that autocannon
 * (50 connections) does not share its event loop. Requests rotate through the 2,000+ distinct
 * questions of bench/search/questions.ts (the dev questions and questions made from the lists'
 * text and the synonym table; never a test split), one new question per request across all
 * connections. Headline: the answer cache off (every question is computed), each route with a
 * 2-second warm-up first. Then, for comparison, a server with the cache on (as in production).
 *
 * Targets (issue 13 §5), cache off, 50 connections: resolve throughput ≥ 25% of /healthz's, p99 < 50 ms;
 * the search page p99 < 50 ms.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../../src/app.ts';
import { readBundledDocument } from '../../src/bundled.ts';
import { loadConfig } from '../../src/config.ts';
import { migrateToLatest, openDatabase } from '../../src/db/database.ts';
import { importDocument } from '../../src/modules/registry/import/import.service.ts';
import { setSearchCacheSize } from '../../src/modules/search/index.ts';
import { writeBenchSection } from '../benchmarks-md.ts';
import { generateCityDocument } from '../import/generate-city.ts';
import { benchQuestions } from './questions.ts';

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
  requests?: Array<{ method: 'GET'; path?: string; setupRequest?: (req: { path: string }) => unknown }>;
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

/** Loads one route, every request taking the next of `paths` (shared by all connections). */
async function load(
  url: string,
  paths: string[],
  duration: number,
  label: { dataset: string; route: string },
): Promise<Row> {
  let next = 0;
  const requests = [
    {
      method: 'GET' as const,
      setupRequest: (req: { path: string }) => {
        const path = paths[next % paths.length]!;
        next++;
        return { ...req, path };
      },
    },
  ];
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

const HEALTHZ = 'GET /healthz (trivial JSON)';
const RESOLVE = 'GET /api/v1/resolve';
const PAGE = 'GET /search (HTML page)';

async function main(): Promise<void> {
  const durationArg = process.argv.find((a) => a.startsWith('--duration='));
  const duration = durationArg ? Number(durationArg.slice('--duration='.length)) : 10;
  const questions = benchQuestions();
  const resolvePaths = questions.map((q) => `/api/v1/resolve?q=${encodeURIComponent(q)}`);
  const pagePaths = questions.map((q) => `/search?q=${encodeURIComponent(q)}`);
  // With the cache on: questions asked before — the first CACHED of them, which fit the answer
  // cache (2,000 entries, resolve and search share it).
  const CACHED = 900;
  const load0 = loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

  const datasets = [
    { name: 'bundled', bytes: readBundledDocument() },
    { name: 'city', bytes: Buffer.from(generateCityDocument(), 'utf8') },
  ];
  const rows: Array<Row & { cache: 'off' | 'on' }> = [];
  const notes: string[] = [];
  const sizes: string[] = [];
  for (const ds of datasets) {
    const { path, importMs } = await prepare(ds.name, ds.bytes);
    sizes.push(`${ds.name}: import including the search index ${(importMs / 1000).toFixed(2)} s`);
    for (const cache of ['off', 'on'] as const) {
      const server = await startServer(path, cache === 'off' ? 0 : -1);
      try {
        const some = (paths: string[]) => (cache === 'off' ? paths : paths.slice(0, CACHED));
        const routes: Array<[string, string[]]> = [
          [HEALTHZ, ['/healthz']],
          [RESOLVE, some(resolvePaths)],
        ];
        const skip = await hasSearchPage(server.url);
        if (skip) notes.push(`${ds.name}: search page skipped — ${skip}`);
        else routes.push([PAGE, some(pagePaths)]);
        for (const [route, paths] of routes) {
          rows.push({ ...(await load(server.url, paths, duration, { dataset: ds.name, route })), cache });
        }
      } finally {
        await stopServer(server.child);
      }
    }
  }
  const load1 = loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

  const base = (r: { dataset: string; cache: string }) =>
    rows.find((b) => b.dataset === r.dataset && b.cache === r.cache && b.route === HEALTHZ)!;
  const table = rows.map(
    (r) =>
      `| ${r.dataset} | ${r.cache} | ${r.route} | ${r.rps.toFixed(0)} | ${(100 * (r.rps / base(r).rps)).toFixed(0)}% | ${r.p50} | ${r.p99} | ${r.bad} |`,
  );
  const verdicts: string[] = [];
  for (const ds of datasets) {
    const find = (route: string) =>
      rows.find((r) => r.dataset === ds.name && r.cache === 'off' && r.route === route);
    const res = find(RESOLVE)!;
    const ratio = res.rps / base(res).rps;
    const ok = ratio >= 0.25 && res.p99 < 50;
    verdicts.push(
      `${ds.name}, cache off: resolve at ${(100 * ratio).toFixed(0)}% of /healthz, p99 ${res.p99} ms — ${ok ? 'met' : 'NOT met'}`,
    );
    const page = find(PAGE);
    if (page)
      verdicts.push(
        `${ds.name}, cache off: search page p99 ${page.p99} ms — ${page.p99 < 50 ? 'met' : 'NOT met'}`,
      );
  }
  const body = `Command: \`npm run bench:search\`. Real server on 127.0.0.1 in a child process, SQLite file database, autocannon with ${CONNECTIONS} connections, ${duration} s per route after a 2 s warm-up; every request asks the next of ${questions.length} distinct questions (bench/search/questions.ts: the dev questions, the lists' clauses and the synonym table's variants asked in a few ways; no test split). Headline: the answer cache **off** — every question is computed. The "on" rows repeat the routes with the cache on (as in production), rotating through the first ${CACHED} questions only, so that after the warm-up they are answered from the cache (questions asked before). The ratio compares each route with /healthz of the same server. Load average (1, 5, 15 min) before: ${load0}; after: ${load1} (the machine is shared with other work, so figures vary from run to run).

| dataset | answer cache | route | req/s | of /healthz | p50 ms | p99 ms | errors |
|---|---|---|---|---|---|---|---|
${table.join('\n')}

${[...sizes, ...notes].map((n) => `- ${n}`).join('\n')}

Targets (issue 13 §5), cache off, ${CONNECTIONS} connections: resolve ≥ 25% of /healthz throughput with p99 < 50 ms; the search page p99 < 50 ms.
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
