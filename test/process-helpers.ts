import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** Real server processes for the tests that need them (graceful shutdown, two instances). */

const ROOT = resolve(import.meta.dirname, '..');

export interface ServerProcess {
  child: ChildProcess;
  /** http://127.0.0.1:<port> */
  url: string;
  /** Everything it wrote (JSON log lines on stdout, anything else on stderr). */
  output(): string;
  exited: Promise<number | null>;
}

/**
 * Starts `script` (default: the real entry point, src/main/server.ts) with `env` on a free port and
 * resolves when it listens (its log line says where).
 */
export function startServerProcess(
  env: Record<string, string>,
  script = 'src/main/server.ts',
  timeoutMs = 60_000,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, script)], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += String(d);
  });
  child.stderr!.on('data', (d) => {
    out += String(d);
  });
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  return new Promise((res, rej) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`server did not start in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = () => {
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      res({ child, url: m[1]!, output: () => out, exited });
    };
    child.stdout!.on('data', onData);
    exited.then((code) => {
      clearTimeout(timer);
      rej(new Error(`server exited (${code}) before listening:\n${out}`));
    });
  });
}

/** Stops a server process started by a test (SIGTERM, then SIGKILL after `graceMs`). */
export async function stopServerProcess(p: ServerProcess | undefined, graceMs = 10_000): Promise<void> {
  if (!p || p.child.exitCode !== null) return;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  await p.exited;
  clearTimeout(timer);
}
