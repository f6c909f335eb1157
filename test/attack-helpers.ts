import { deflateRawSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Database } from '../src/db/database.ts';

/** Support for the attack suites (test/attacks*.test.ts): the app's own route list. */

export interface RegisteredRoute {
  method: string;
  /** The route as registered, with `:param` placeholders. */
  path: string;
  /** Its parameter names, in order. */
  params: string[];
}

/** Every route the router knows, read from the router itself (HEAD mirrors GET and is left out). */
export function registeredRoutes(app: FastifyInstance): RegisteredRoute[] {
  const out = new Map<string, RegisteredRoute>();
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([\s│]*)(?:[├└]── )?(\S+)(?: \(([^)]*)\))?/.exec(line);
    if (!m || m[2] === '') continue;
    const depth = line.startsWith('└── /') && stack.length === 0 ? 0 : Array.from(m[1]!).length / 4;
    stack.length = depth;
    const path = (depth === 0 ? '' : stack[depth - 1]!) + m[2]!;
    stack[depth] = path;
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim())) {
      if (!method || method === 'HEAD') continue;
      if (path.includes('*') || path.startsWith('/api/docs')) continue; // static files and the docs UI
      const params = [...path.matchAll(/:([A-Za-z]+)/g)].map((p) => p[1]!);
      out.set(`${method} ${path}`, { method, path, params });
    }
  }
  return [...out.values()].sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

/** The path with every parameter replaced by `value` (percent-encoded unless `raw`). */
export function fill(route: RegisteredRoute, value: string, raw = false): string {
  return route.path.replace(/:([A-Za-z]+)/g, () => (raw ? value : encodeURIComponent(value)));
}

export interface ZipEntry {
  name: string;
  data: Buffer;
  /** The uncompressed size the headers declare (default: the true size) — a lying bomb sets less. */
  declaredSize?: number;
}

/** A minimal ZIP writer (deflate, no CRC check needed by the guard) for hostile archives. */
export function makeZip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const body = deflateRawSync(e.data);
    const size = e.declaredSize ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

/** Tables whose rows reads and refusals may add (counters, sessions, login attempts). */
const VOLATILE = new Set(['rate_limits', 'login_attempts', 'sessions', 'app_secrets']);

/**
 * Row counts of every table but the volatile ones, as one string: equal before and after means no
 * write got through. The table list is read from the database, so a new table is counted too.
 */
export async function fingerprint(database: Database): Promise<string> {
  const tables =
    database.dialect === 'postgres'
      ? (
          await sql<{
            name: string;
          }>`select tablename as name from pg_tables where schemaname = 'public'`.execute(database.db)
        ).rows
      : (
          await sql<{
            name: string;
          }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '%_fts%'`.execute(
            database.db,
          )
        ).rows;
  const out: string[] = [];
  for (const { name } of tables.sort((a, b) => a.name.localeCompare(b.name))) {
    if (VOLATILE.has(name) || name.startsWith('kysely_')) continue;
    const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(name)}`.execute(database.db);
    out.push(`${name}=${Number(r.rows[0]!.n)}`);
  }
  return out.join(' ');
}

/** The requests that answered 5xx, for a readable failure. */
export class FiveHundreds {
  readonly seen: string[] = [];
  total = 0;
  note(label: string, res: { statusCode: number; body: string }): void {
    this.total++;
    if (res.statusCode >= 500) this.seen.push(`${res.statusCode} ${label}: ${res.body.slice(0, 160)}`);
  }
}
