// Entry of every worker thread started by ts-worker.ts: registers the TypeScript loader (tsx) in
// this thread, then imports the worker module named in workerData. Plain JavaScript because a
// worker's first file is loaded before any loader could apply (Node 20 does not carry the parent's
// --import hooks into workers).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
