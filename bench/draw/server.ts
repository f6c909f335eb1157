/**
 * bench/draw, part 2: does a draw over 1,000,000 entities stall the server?
 * `npm run bench:draw:server` (environment at `main` below); writes its section of docs/benchmarks.md.
 *
 * Builds a SQLite file database with 1,000,000 active entities of regime 4's category and 10
 * inspectors, creates and commits a plan (through the plan service, not timed), then starts the
 * real server in a child process (as `npm start` would, tsx) and, from this process:
 *   1. baseline: /healthz under a steady load with no draw;
 *   2. the same load on /healthz while the plan's draw action (POST /admin/supervision/plans/:id/draw,
 *      logged in as an admin, with the form's CSRF token) runs, until it answers.
 * The load is autocannon with CONNECTIONS connections at RATE requests/s overall, so that the
 * load itself does not take the machine's two cores from the draw. The server child also reports
 * its own event-loop delay (perf_hooks.monitorEventLoopDelay) for each phase: unlike latencies seen
 * by a client, that figure cannot hide a stall behind requests that were never sent.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { migrateToLatest, openDatabase } from '../../src/db/database.ts';
import { composeUscc } from '../../src/lib/uscc.ts';
import { createUser } from '../../src/modules/auth/index.ts';
import { COUNTIES, ruleOf } from '../../src/modules/supervision/index.ts';
import { commitPlanAction, createPlan } from '../../src/modules/supervision/plans/plan.service.ts';
import { orgBody } from './population.ts';

interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number; max: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
interface AutocannonInstance {
  stop(): void;
}
type Autocannon = (
  opts: { url: string; connections: number; duration: number; overallRate?: number },
  done: (err: unknown, result: AutocannonResult) => void,
) => AutocannonInstance;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const HERE = fileURLToPath(import.meta.url);
const OUT = resolvePath(HERE, '../../.out');
const CONNECTIONS = 4;
const RATE = 400;
const BASELINE_SECONDS = 8;
const PASSWORD = 'bench-password-42';
const REGIME = 4;
/** A pause of the server's event loop longer than this is counted as a stall (the p99 target). */
const STALL_MS = 50;

export interface ServerBenchResult {
  entities: number;
  tasks: number;
  prepareSeconds: number;
  commitSeconds: number;
  drawSeconds: number;
  baseline: LoadFigures;
  during: LoadFigures;
}

export interface LoadFigures {
  requests: number;
  p50: number;
  p99: number;
  max: number;
  bad: number;
  seconds: number;
  /** The server's own event-loop delay over the phase, ms. */
  loopP99: number;
  loopMax: number;
  /** Pauses of the server's event loop longer than STALL_MS. */
  stalls: number;
}

// ---------------------------------------------------------------------------------------------
// Child: the server, reporting its event-loop delay on request (stdin lines RESET / REPORT).

export async function serveForBench(path: string): Promise<void> {
  const config = loadConfig({
    DATABASE_URL: `sqlite:${path}`,
    AUTO_IMPORT: '0',
    LOG_LEVEL: 'error',
    PORT: '0',
  });
  const database = openDatabase(config.database);
  const app = await buildApp({ config, database, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  // Stalls: gaps of more than STALL_MS between ticks of a 5 ms timer. BENCH_TRACE=1 also prints
  // each stall and each garbage collection over 20 ms to stderr, with the time, to find the cause.
  const trace = process.env.BENCH_TRACE === '1';
  if (trace) {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.duration > 20) {
          const detail = JSON.stringify((e as unknown as { detail: unknown }).detail);
          process.stderr.write(`GC ${Date.now()} ${Math.round(e.duration)} ms ${detail}\n`);
        }
      }
    }).observe({ entryTypes: ['gc'] });
  }
  let last = performance.now();
  let stalls = 0;
  setInterval(() => {
    const now = performance.now();
    const gap = now - last - 5;
    if (gap > STALL_MS) {
      stalls += 1;
      if (trace) process.stderr.write(`STALL ${Date.now()} ${Math.round(gap)} ms\n`);
    }
    last = now;
  }, 5).unref();
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line === 'RESET') {
      loop.reset();
      stalls = 0;
    }
    if (line === 'REPORT') {
      const ms = (ns: number) => Math.round((ns / 1e6) * 10) / 10;
      const report = { p99: ms(loop.percentile(99)), max: ms(loop.max), stalls };
      process.stdout.write(`LOOP ${JSON.stringify(report)}\n`);
    }
  });
  process.stdout.write(`READY ${port}\n`);
  process.on('SIGTERM', async () => {
    await app.close();
    await database.close();
    process.exit(0);
  });
}

// ---------------------------------------------------------------------------------------------
// Parent

async function prepare(path: string, count: number): Promise<{ planId: number; commitSeconds: number }> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  const database = openDatabase({ kind: 'sqlite', path });
  await migrateToLatest(database);
  const admin = await database.db.transaction().execute((tx) =>
    createUser(tx, {
      username: 'bench-admin',
      role: 'admin',
      password: PASSWORD,
      officeIds: [],
      actor: { id: null, name: 'bench' },
    }),
  );
  const counties = await database.db.selectFrom('counties').select(['id', 'name']).execute();
  const division = new Map<string, string>(COUNTIES.map((c) => [c.name, c.divisionCode]));
  const category = ruleOf(REGIME)!.subjects.categories[0]!;
  const now = new Date().toISOString();
  const sqlite = new SQLite(path); // bulk rows straight through better-sqlite3: setup, not measured
  const insertEntity = sqlite.prepare(
    "insert into regulated_entities (name, uscc, county_id, status, created_at, updated_at) values (?, ?, ?, 'active', ?, ?)",
  );
  const insertCategory = sqlite.prepare(
    'insert into regulated_entity_categories (entity_id, category_code) values (?, ?)',
  );
  sqlite.transaction(() => {
    for (let i = 0; i < count; i += 1) {
      const county = counties[i % counties.length]!;
      const uscc = composeUscc('91', division.get(county.name)!, orgBody(i));
      const id = insertEntity.run(`企业${i}`, uscc, county.id, now, now).lastInsertRowid;
      insertCategory.run(id, category);
    }
    const insertInspector = sqlite.prepare(
      'insert into inspectors (name, certificate_no, county_id, active, created_at, updated_at) values (?, ?, ?, 1, ?, ?)',
    );
    const insertConflict = sqlite.prepare(
      "insert into inspector_conflicts (inspector_id, entity_id, reason, created_at) values (?, ?, '亲属', ?)",
    );
    for (let i = 0; i < 10; i += 1) {
      const id = insertInspector.run(
        `执法人员${i}`,
        `13110${String(i).padStart(6, '0')}`,
        null,
        now,
        now,
      ).lastInsertRowid;
      insertConflict.run(id, i * 7 + 1, now);
      insertConflict.run(id, i * 7 + 2, now);
    }
  })();
  sqlite.close();
  const started = performance.now();
  const planId = await database.db.transaction().execute(async (tx) => {
    const id = await createPlan(tx, admin, {
      regimeSeq: REGIME,
      year: 2026,
      round: 1,
      ratioPercent: '10',
      minInspectors: 2,
      countyIds: [],
      riskClasses: [],
      belowMinReason: '',
    });
    await commitPlanAction(tx, admin, id);
    return id;
  });
  const commitSeconds = (performance.now() - started) / 1000;
  await database.close();
  return { planId, commitSeconds };
}

interface LoopReport {
  p99: number;
  max: number;
  stalls: number;
}

interface Server {
  child: ChildProcess;
  url: string;
  loop(command: 'RESET' | 'REPORT'): Promise<LoopReport | null>;
}

async function startServer(path: string): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', HERE, '--serve', path], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const waiting: Array<(line: string) => void> = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = () => new Promise<string>((resolve) => waiting.push(resolve));
  const ready = await Promise.race([
    next(),
    new Promise<string>((_, reject) =>
      child.on('exit', (code) => reject(new Error(`server exited ${code}`))),
    ),
  ]);
  const port = Number(/READY (\d+)/.exec(ready)?.[1]);
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    async loop(command) {
      child.stdin!.write(`${command}\n`);
      if (command === 'RESET') return null;
      return JSON.parse((await next()).replace(/^LOOP /, '')) as LoopReport;
    },
  };
}

/** A cookie-keeping client that posts forms with the session's CSRF token. */
function client(base: string) {
  const jar = new Map<string, string>();
  const remember = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  return {
    async get(path: string) {
      const res = await fetch(base + path, { headers: { cookie: cookie() }, redirect: 'manual' });
      remember(res);
      return { status: res.status, body: await res.text() };
    },
    async post(path: string, form: Record<string, string>) {
      const body = new URLSearchParams(form);
      body.append('_csrf', (jar.get('zhize_csrf') ?? '').split('.')[0]!);
      const res = await fetch(base + path, {
        method: 'POST',
        body,
        headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
        redirect: 'manual',
      });
      remember(res);
      return { status: res.status, location: res.headers.get('location'), body: await res.text() };
    },
  };
}

function load(url: string, duration: number) {
  let instance!: AutocannonInstance;
  const finished = new Promise<AutocannonResult>((resolve, reject) => {
    instance = autocannon(
      { url: `${url}/healthz`, connections: CONNECTIONS, duration, overallRate: RATE },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
  return { stop: () => instance.stop(), finished };
}

function figures(r: AutocannonResult, loop: LoopReport, seconds: number): LoadFigures {
  return {
    requests: r.requests.total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    bad: r.non2xx + r.errors + r.timeouts,
    seconds,
    loopP99: loop.p99,
    loopMax: loop.max,
    stalls: loop.stalls,
  };
}

export async function runServerBench(count: number): Promise<ServerBenchResult> {
  mkdirSync(OUT, { recursive: true });
  const path = resolvePath(OUT, 'draw-server.sqlite');
  const t0 = performance.now();
  const { planId, commitSeconds } = await prepare(path, count);
  const prepareSeconds = (performance.now() - t0) / 1000 - commitSeconds;
  const server = await startServer(path);
  try {
    const browser = client(server.url);
    await browser.get('/admin/login');
    const login = await browser.post('/admin/login', { username: 'bench-admin', password: PASSWORD });
    if (login.status !== 303) throw new Error(`login failed: ${login.status}`);
    await browser.get(`/admin/supervision/plans/${planId}`);

    // Warm-up, then the baseline with no draw.
    await load(server.url, 2).finished;
    await server.loop('RESET');
    const base = await load(server.url, BASELINE_SECONDS).finished;
    const baseLoop = (await server.loop('REPORT'))!;

    // The same load while the draw runs.
    await server.loop('RESET');
    const during = load(server.url, 600);
    const started = performance.now();
    const res = await browser.post(`/admin/supervision/plans/${planId}/draw`, {
      witness: '2026-03-02 福彩3D 第2026055期 开奖号码 3 8 1',
      confirm: 'yes',
    });
    const drawSeconds = (performance.now() - started) / 1000;
    during.stop();
    const duringResult = await during.finished;
    const duringLoop = (await server.loop('REPORT'))!;
    if (res.status !== 303) throw new Error(`draw failed: ${res.status} ${res.body.slice(0, 400)}`);
    const api = await fetch(`${server.url}/api/v1/supervision/plans/${planId}`);
    const plan = (await api.json()) as { status: string; draw: { tasks: number } | null };
    if (plan.status !== 'drawn') throw new Error(`plan not drawn: ${plan.status}`);
    return {
      entities: count,
      tasks: plan.draw?.tasks ?? 0,
      prepareSeconds,
      commitSeconds,
      drawSeconds,
      baseline: figures(base, baseLoop, BASELINE_SECONDS),
      during: figures(duringResult, duringLoop, drawSeconds),
    };
  } finally {
    await new Promise<void>((resolve) => {
      server.child.once('exit', () => resolve());
      server.child.kill('SIGTERM');
    });
  }
}

// ---------------------------------------------------------------------------------------------
// `npm run bench:draw:server`: RUNS runs, each on a fresh database, the section written to
// docs/benchmarks.md. Environment: BENCH_ENTITIES (default 1000000), BENCH_RUNS (default 2),
// BENCH_TRACE=1 (the server prints each stall and long garbage collection to stderr).

const HEADING = '## Draw on the live server (bench/draw/server.ts)';
const TARGET_P99_MS = 50;

function machine(): string {
  const cpus = os.cpus();
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, Node ${process.version}, ${os.platform()} ${os.release()}; load average at the end ${load}`;
}

function writeSection(section: string): string {
  const path = fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url));
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const start = text.indexOf(HEADING);
  let next = start === -1 ? -1 : text.indexOf('\n## ', start + HEADING.length);
  if (next !== -1) next += 1;
  const updated =
    start === -1
      ? `${text.trimEnd()}\n\n${section}`
      : `${text.slice(0, start)}${section}${next === -1 ? '' : `\n${text.slice(next)}`}`;
  writeFileSync(path, `${updated.trimEnd()}\n`);
  return path;
}

async function main(): Promise<void> {
  const count = Number(process.env.BENCH_ENTITIES ?? 1_000_000);
  const runs = Number(process.env.BENCH_RUNS ?? 2);
  const results: ServerBenchResult[] = [];
  for (let i = 0; i < runs; i += 1) {
    const r = await runServerBench(count);
    results.push(r);
    const line = (name: string, f: LoadFigures) =>
      `  ${name.padEnd(9)} ${String(f.requests).padStart(6)} requests  p50 ${f.p50} ms  p99 ${f.p99} ms  max ${f.max} ms  errors ${f.bad}  server loop p99 ${f.loopP99} ms, max ${f.loopMax} ms, stalls > ${STALL_MS} ms: ${f.stalls}`;
    console.log(
      [
        `run ${i + 1}: ${r.entities.toLocaleString('en')} entities, ${r.tasks.toLocaleString('en')} tasks, draw ${r.drawSeconds.toFixed(1)} s (setup ${r.prepareSeconds.toFixed(1)} s, commit ${r.commitSeconds.toFixed(1)} s)`,
        line('baseline', r.baseline),
        line('during', r.during),
        `  p99 during ÷ baseline ${(r.during.p99 / r.baseline.p99).toFixed(2)}×; target p99 < ${TARGET_P99_MS} ms during the draw: ${r.during.p99 < TARGET_P99_MS ? 'met' : 'MISSED'}`,
      ].join('\n'),
    );
  }
  const n = (v: number) => v.toLocaleString('en');
  const rows = results.flatMap((r, i) => [
    `| ${i + 1} | baseline, no draw (${BASELINE_SECONDS} s) | ${n(r.baseline.requests)} | ${r.baseline.p50} | ${r.baseline.p99} | ${r.baseline.max} | ${r.baseline.loopP99} / ${r.baseline.loopMax} | ${r.baseline.stalls} |`,
    `| ${i + 1} | during the draw (${r.drawSeconds.toFixed(1)} s) | ${n(r.during.requests)} | ${r.during.p50} | ${r.during.p99} | ${r.during.max} | ${r.during.loopP99} / ${r.during.loopMax} | ${r.during.stalls} |`,
  ]);
  const verdicts = results.map(
    (r, i) =>
      `- run ${i + 1}: p99 during the draw ${r.during.p99} ms, ${(r.during.p99 / r.baseline.p99).toFixed(2)}× the baseline's ${r.baseline.p99} ms — target p99 < ${TARGET_P99_MS} ms ${r.during.p99 < TARGET_P99_MS ? 'met' : '**missed**'}; setup ${r.prepareSeconds.toFixed(1)} s, commit ${r.commitSeconds.toFixed(1)} s (not measured for latency)`,
  );
  const section = [
    HEADING,
    '',
    `Command: \`npm run bench:draw:server\`, run on ${new Date().toISOString().slice(0, 10)}; machine: ${machine()}. The machine is shared with other work (other agents' test suites), so the figures are noisy from run to run.`,
    '',
    `Each run: a fresh SQLite file database with ${n(results[0]?.entities ?? count)} active entities, 10 inspectors, ratio 10 % → ${n(results[0]?.tasks ?? 0)} tasks; the plan is created and committed through the plan service (not timed for latency), then the real server starts in a child process and the draw runs through \`POST /admin/supervision/plans/:id/draw\` as an admin, while autocannon keeps ${CONNECTIONS} connections on \`/healthz\` at ${RATE} req/s overall — first ${BASELINE_SECONDS} s with no draw (baseline), then for as long as the draw request takes. The server reports its own event-loop delay (monitorEventLoopDelay) and counts pauses of its loop over ${STALL_MS} ms.`,
    '',
    '| run | phase | requests | p50 ms | p99 ms | max ms | server event-loop p99 / max ms | loop stalls > 50 ms |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...verdicts,
    '',
    'Earlier figures, what stalled the server and what changed: docs/decisions.md §17.',
    '',
  ].join('\n');
  console.log(`written: ${writeSection(section)}`);
}

if (process.argv[2] === '--serve') void serveForBench(process.argv[3]!);
else if (process.argv[1] && fileURLToPath(import.meta.url) === resolvePath(process.argv[1])) await main();
