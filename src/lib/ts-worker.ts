import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread running a TypeScript module, the same way under `npm start` (tsx),
 * vitest and the benchmarks: the thread's first file is ts-worker-entry.mjs, which registers tsx
 * and imports `entry`. The module reads its own input as `workerData.data`. Startup costs about
 * 100–150 ms (the loader), so use a worker for work that takes longer than that.
 */
export function startTsWorker(entry: URL, data: unknown): Worker {
  return new Worker(new URL('./ts-worker-entry.mjs', import.meta.url), {
    workerData: { entry: entry.href, data },
    execArgv: [],
  });
}
