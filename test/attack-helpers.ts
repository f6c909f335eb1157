import type { FastifyInstance } from 'fastify';

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
