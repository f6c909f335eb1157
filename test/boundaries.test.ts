import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layout's dependency rules (docs/decisions.md, "Layout and dependency rules"), read from the
 * import statements of every file under src/ — value and type imports alike. No allow-list.
 *
 * - lib imports nothing of the project's but lib;
 * - db, http and views import no module, and importer imports only lib;
 * - a module imports another module only through that module's index.ts, in the allowed
 *   directions below, and the module graph has no cycle.
 */

const SRC = resolve(import.meta.dirname, '../src');

/** A → the modules A may import (through their index.ts). */
const ALLOWED: Record<string, readonly string[]> = {
  audit: [],
  search: [],
  auth: ['audit'],
  registry: ['audit', 'search'],
  changes: ['registry', 'auth', 'audit'],
  supervision: ['registry', 'auth', 'audit', 'documents'],
  complaints: ['search', 'supervision', 'registry', 'auth', 'audit'],
  backoffice: ['audit', 'auth', 'changes', 'complaints', 'registry', 'search', 'supervision'],
  documents: ['auth', 'audit'],
  calendar: ['auth', 'audit'],
};

/** What each top-level area other than modules/ may import. */
const AREA_ALLOWED: Record<string, readonly string[]> = {
  lib: ['lib'],
  importer: ['importer', 'lib'],
  db: ['db', 'lib', 'config'],
  http: ['http', 'lib', 'config'],
  views: ['views', 'http', 'lib', 'config'],
  config: ['config', 'lib'],
};

interface Edge {
  from: string;
  to: string;
  line: number;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx|mts|cts)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;

function importsOf(file: string): Edge[] {
  const text = readFileSync(file, 'utf8');
  const edges: Edge[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec?.startsWith('.')) continue;
    const line = text.slice(0, m.index).split('\n').length;
    edges.push({ from: relative(SRC, file), to: relative(SRC, resolve(dirname(file), spec)), line });
  }
  return edges;
}

/** 'modules/registry/read/x.ts' → { area: 'modules', module: 'registry', rest: 'read/x.ts' } */
function place(path: string): { area: string; module?: string; rest: string } {
  const parts = path.split('/');
  if (parts[0] === 'modules') return { area: 'modules', module: parts[1], rest: parts.slice(2).join('/') };
  const area = parts.length === 1 ? parts[0]!.replace(/\.(ts|tsx)$/, '') : parts[0]!;
  return { area, rest: parts.slice(1).join('/') };
}

const edges = sourceFiles(SRC).flatMap(importsOf);

function violations(): string[] {
  const out: string[] = [];
  for (const e of edges) {
    const a = place(e.from);
    const b = place(e.to);
    const where = `${e.from}:${e.line} → ${e.to}`;
    // Tests beside the code may use the shared test support under test/.
    if (b.area === '..' && /\.test\.tsx?$/.test(e.from)) continue;
    if (b.area === 'modules' && a.module !== b.module) {
      if (b.rest !== 'index.ts') out.push(`${where}: reaches into module ${b.module} past its index.ts`);
      if (a.area === 'modules' && !ALLOWED[a.module!]?.includes(b.module!)) {
        out.push(`${where}: module ${a.module} may not import module ${b.module}`);
      }
    }
    if (a.area !== 'modules') {
      const allowed = AREA_ALLOWED[a.area];
      if (allowed && !allowed.includes(b.area)) out.push(`${where}: ${a.area} may not import ${b.area}`);
    }
  }
  return out;
}

/** Strongly connected components of more than one node (Tarjan). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

function unitOf(path: string): string {
  const p = place(path);
  return p.area === 'modules' ? `modules/${p.module}` : p.area;
}

function currentCycles(): string[][] {
  const graph = new Map<string, Set<string>>();
  // Tests beside the code may build the whole app (app.ts, bundled.ts): not a dependency of the module.
  for (const e of edges.filter((x) => !/\.test\.tsx?$/.test(x.from))) {
    const a = unitOf(e.from);
    const b = unitOf(e.to);
    if (a === b) continue;
    if (!graph.has(a)) graph.set(a, new Set());
    graph.get(a)!.add(b);
  }
  return cycles(graph);
}

describe('import boundaries', () => {
  it('finds the imports it checks (the reader itself works)', () => {
    expect(edges.length).toBeGreaterThan(200);
    expect(edges.some((e) => e.from === 'app.ts')).toBe(true);
    // The pattern reads every import form the code uses.
    const sample = `import { a } from './a.ts';\nimport type { B } from '../b.ts';\nexport { c } from './c.ts';\nconst d = await import('./d.ts');\nimport './e.css';\nimport {\n  f,\n} from './f.ts';`;
    const specs = [...sample.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3]);
    expect(specs).toEqual(['./a.ts', '../b.ts', './c.ts', './d.ts', './e.css', './f.ts']);
  });

  it('names every rule violation: modules only through index.ts, allowed directions, pure lib/importer/db/http/views', () => {
    expect(violations()).toEqual([]);
  });

  it('has no cycle between modules or top-level areas', () => {
    expect(currentCycles()).toEqual([]);
  });

  it('detects a cycle and a reach past index.ts when one is there (the checker checks)', () => {
    const g = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(cycles(g)).toEqual([['a', 'b', 'c']]);
    expect(place('modules/registry/read/registry.repo.ts')).toEqual({
      area: 'modules',
      module: 'registry',
      rest: 'read/registry.repo.ts',
    });
  });
});
