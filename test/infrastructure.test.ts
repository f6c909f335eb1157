import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { authPlugin } from '../src/modules/auth/index.ts';
import { createTestApp, createTestDatabase, type TestApp, type TestDb } from './helpers.ts';

/**
 * The infrastructure plugins of src/http/plugins/: security headers, the OpenAPI document and
 * rate limits, as named plugins that the plugins needing them declare as dependencies.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('infrastructure plugins', () => {
  it('are registered under their names', () => {
    for (const name of ['security-headers', 'rate-limit', 'openapi', 'zhize-auth'])
      expect(t.app.hasPlugin(name), name).toBe(true);
  });

  it('refuse to start the auth plugin without the rate-limit plugin it depends on', async () => {
    const bare = Fastify({ logger: false });
    bare.register(authPlugin);
    await expect(bare.ready()).rejects.toThrow(/rate-limit/);
    await bare.close();
  });
});

describe('security headers', () => {
  it('send a strict Content-Security-Policy on pages and the API, and no HSTS over plain HTTP', async () => {
    for (const url of ['/supervision', '/healthz']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).toContain("img-src 'self' data:");
      expect(csp, url).toContain("default-src 'self'");
      expect(csp, url).not.toContain('upgrade-insecure-requests');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
      expect(res.headers['cross-origin-embedder-policy'], url).toBeUndefined();
    }
  });

  describe('behind HTTPS', () => {
    let tdb: TestDb;
    let app: Awaited<ReturnType<typeof buildApp>>;
    beforeAll(async () => {
      tdb = await createTestDatabase();
      app = await buildApp({ config: { ...tdb.config, https: true }, database: tdb.database, logger: false });
      await app.ready();
    });
    afterAll(async () => {
      await app?.close();
      await tdb?.close();
    });

    it('adds HSTS and asks browsers to upgrade insecure requests', async () => {
      const res = await app.inject({ method: 'GET', url: '/healthz' });
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
    });
  });
});

describe('rate limits', () => {
  it('allow 20 login attempts a minute from one address, then answer 429 with when to retry', async () => {
    const post = () =>
      t.app.inject({
        method: 'POST',
        url: '/admin/login',
        payload: 'username=nobody&password=wrong-password',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    for (let i = 0; i < 20; i++) {
      const res = await post();
      expect(res.statusCode, `attempt ${i + 1}`).not.toBe(429);
      expect(res.headers['x-ratelimit-limit']).toBe('20');
    }
    const refused = await post();
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Other routes carry no limit.
    const health = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.headers['x-ratelimit-limit']).toBeUndefined();
  });
});

describe('the OpenAPI document', () => {
  it('declares the tags, and every /api/v1 operation carries one of them', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      tags: Array<{ name: string; description?: string }>;
      paths: Record<string, Record<string, { tags?: string[] }>>;
    };
    const declared = doc.tags.map((x) => x.name);
    expect(declared).toEqual([
      'registry',
      'search',
      'versions',
      'supervision',
      'exports',
      'system',
      'staff',
      'open311',
      'contacts',
    ]);
    for (const tag of doc.tags) expect(tag.description, tag.name).toMatch(/\S/);

    const used = new Map<string, string[]>();
    const apiPaths = Object.keys(doc.paths).filter((p) => p.startsWith('/api/v1/'));
    expect(apiPaths.length).toBeGreaterThan(15);
    for (const path of apiPaths) {
      for (const [method, op] of Object.entries(doc.paths[path]!)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(op.tags?.length, where).toBeGreaterThan(0);
        for (const tag of op.tags ?? []) {
          expect(declared, where).toContain(tag);
          used.set(tag, [...(used.get(tag) ?? []), where]);
        }
      }
    }
    for (const tag of ['registry', 'search', 'versions', 'supervision', 'exports', 'staff'])
      expect(used.get(tag)?.length, tag).toBeGreaterThan(0);
    expect(used.get('supervision')).toEqual(
      expect.arrayContaining(['GET /api/v1/supervision/rules', 'GET /api/v1/supervision/plans/{id}']),
    );
    expect(doc.paths['/healthz']?.get?.tags).toEqual(['system']);
  });

  it('is browsable at /api/docs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('swagger');
  });
});
