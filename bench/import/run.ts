import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readBundledDocument } from '../../src/bundled.ts';
import { migrateToLatest, openDatabase } from '../../src/db/database.ts';
import { parseDocument } from '../../src/importer/parse.ts';
import { importDocument } from '../../src/modules/registry/import/import.service.ts';
import { countRegistry } from '../../src/modules/registry/read/registry.repo.ts';
import { writeBenchSection } from '../benchmarks-md.ts';
import { generateCityDocument } from './generate-city.ts';

/**
 * bench/import: parse and import time for the bundled document and a generated city-scale
 * document (40 departments, ~5,000 work items) on SQLite. Baseline in the same run: the parse
 * alone, so the ratio shows what storing costs. Target: city-scale import under 5 s.
 */

async function measure(name: string, bytes: Buffer) {
  const text = bytes.toString('utf8');
  const p0 = performance.now();
  parseDocument(text);
  const parseMs = performance.now() - p0;
  const dir = mkdtempSync(join(tmpdir(), 'zhize-bench-'));
  const database = openDatabase({ kind: 'sqlite', path: join(dir, 'bench.sqlite') });
  await migrateToLatest(database);
  const t0 = performance.now();
  await importDocument(database, bytes, { sourceName: name });
  const importMs = performance.now() - t0;
  const t1 = performance.now();
  const again = await importDocument(database, bytes, { sourceName: name });
  const reimportMs = performance.now() - t1;
  const counts = await countRegistry(database.db);
  await database.close();
  rmSync(dir, { recursive: true, force: true });
  return { name, bytes: bytes.length, parseMs, importMs, reimportMs, unchanged: again.unchanged, counts };
}

const results = [
  await measure('bundled (衡水市商务局)', readBundledDocument()),
  await measure('city-scale (40 departments)', Buffer.from(generateCityDocument(), 'utf8')),
];
const rows = results.map(
  (r) =>
    `| ${r.name} | ${(r.bytes / 1024).toFixed(0)} KiB | ${r.counts.workItems} | ${r.parseMs.toFixed(0)} ms | ${r.importMs.toFixed(0)} ms | ${(r.importMs / r.parseMs).toFixed(1)}× | ${r.reimportMs.toFixed(0)} ms${r.unchanged ? ' (no change)' : ''} |`,
);
const city = results[1]!;
const verdict = city.importMs < 5000 ? 'met' : 'NOT met';
const body = `Command: \`npm run bench:import\`. SQLite file database in the temp directory with the production settings (WAL, synchronous=NORMAL).

| document | size | work items | parse only | parse + import | import ÷ parse | re-import |
|---|---|---|---|---|---|---|
${rows.join('\n')}

Target: city-scale import under 5 s on SQLite — ${verdict} (${(city.importMs / 1000).toFixed(2)} s).`;
console.log(body);
writeBenchSection('## Import (bench/import)', body);
