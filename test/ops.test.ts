import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { addChange, createChangeSet, transitionChangeSet } from '../src/modules/changes/changeset.service.ts';
import { validForm, visitor } from './complaints-helpers.ts';
import { createTestApp, type TestApp } from './helpers.ts';
import { createStaff } from './staff-helpers.ts';

/** /readyz beside /healthz, the Prometheus metrics behind their token, and the JSON logs. */

const TOKEN = 'metrics-token-0123456789';
let t: TestApp;
let app: FastifyInstance;
const lines: string[] = [];

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  app = await buildApp({
    config: { ...t.config, metricsToken: TOKEN },
    database: t.database,
    logger: { level: 'info', stream },
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

describe('/readyz', () => {
  it('answers ok when the database answers and every migration ran, 503 while one is pending', async () => {
    const ok = await app.inject({ url: '/readyz' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ status: 'ok', database: t.database.dialect });
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    const db = t.database.db.withTables<{ kysely_migration: { name: string; timestamp: string } }>();
    const row = await db
      .selectFrom('kysely_migration')
      .selectAll()
      .where('name', '=', '015_shared_state')
      .executeTakeFirstOrThrow();
    await db.deleteFrom('kysely_migration').where('name', '=', '015_shared_state').execute();
    try {
      const pending = await app.inject({ url: '/readyz' });
      expect(pending.statusCode).toBe(503);
      expect(pending.json().reason).toContain('015_shared_state');
    } finally {
      await db.insertInto('kysely_migration').values(row).execute();
    }
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
  });
});

describe('/metrics', () => {
  it('does not exist without METRICS_TOKEN, and wants the token when it is set', async () => {
    expect((await t.app.inject({ url: '/metrics' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(401);
    expect(
      (await app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode,
    ).toBe(401);
  });

  it('exposes request rate, latency per route, database time, draw durations and the waiting work', async () => {
    const editor = await createStaff(t.database, 'm-editor', 'editor', ['外事科']);
    const item = await t.database.db
      .selectFrom('work_items')
      .select(['id', 'duty_id'])
      .where('text', '=', '负责我市对外交往工作')
      .executeTakeFirstOrThrow();
    const waishi = await t.database.db
      .selectFrom('offices')
      .select('id')
      .where('name', '=', '外事科')
      .executeTakeFirstOrThrow();
    await t.database.db.transaction().execute(async (tx) => {
      const set = await createChangeSet(tx, editor, { title: '待审核', reason: '指标测试' });
      await addChange(tx, editor, set, {
        entity: 'workItem',
        op: 'update',
        targetId: item.id,
        payload: {
          dutyId: item.duty_id,
          text: '负责我市对外交往与合作工作',
          officeIds: [waishi.id],
          remark: '',
        },
      });
      await transitionChangeSet(tx, editor, set, 'submit');
    });
    for (const url of ['/duties', '/duties/1', '/duties/2', '/api/v1/resolve?q=购物卡'])
      await app.inject({ url });
    const res = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const body = res.body;
    expect(body).toMatch(/zhize_http_requests_total\{method="GET",route="\/duties\/:id",status="200"\} 2/);
    expect(body).toMatch(
      /zhize_http_request_duration_seconds_bucket\{le="0.1",method="GET",route="\/api\/v1\/resolve"\} \d/,
    );
    expect(body).toMatch(/zhize_db_query_duration_seconds_count\{dialect="(sqlite|postgres)"\} [1-9]\d*/);
    expect(body).toContain('# TYPE zhize_draw_duration_seconds histogram');
    expect(body).toMatch(/zhize_work_queue_items\{queue="[^"]*调整单[^"]*",overdue="0"\} [1-9]/);
    expect(body).toContain('zhize_process_resident_memory_bytes');
    // Ids never become labels: one series per registered route.
    expect(body).not.toContain('route="/duties/1"');
  });
});

describe('structured logs', () => {
  it('writes JSON lines with a request id, answered in X-Request-Id, and never the complainant’s data', async () => {
    lines.length = 0;
    const person = { name: '欧阳测试', phone: '13987654321', email: 'ouyang.test@example.com' };
    const description = '举报某超市违规发行单张面值超过五千元的购物卡并拒绝退款的情况说明';
    const v = visitor(app, '198.51.100.31');
    const filed = await v.postForm(
      '/complaints/new',
      validForm({
        contactName: person.name,
        contactPhone: person.phone,
        contactEmail: person.email,
        description,
      }),
    );
    expect(filed.status).toBe(200);
    // Personal data where a careless log line would pick it up: query strings, usernames, paths.
    await app.inject({ url: `/search?q=${encodeURIComponent(`${person.name} ${person.phone}`)}` });
    await app.inject({ url: `/complaints/track?code=X&phone=${person.phone}` });
    await app.inject({ url: `/no/such/${person.phone}/${encodeURIComponent(person.email)}` });
    await v.postForm('/admin/login', { username: person.phone, password: 'x' });
    const given = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'proxy-id-12345678' } });
    expect(given.headers['x-request-id']).toBe('proxy-id-12345678');
    const fresh = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id with spaces' } });
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

    expect(lines.length).toBeGreaterThan(10);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const requestLines = parsed.filter((p) => p.msg === 'incoming request' || p.msg === 'request completed');
    expect(requestLines.length).toBeGreaterThan(10);
    for (const p of requestLines) expect(typeof p.reqId).toBe('string');
    expect(parsed.some((p) => p.reqId === 'proxy-id-12345678')).toBe(true);
    const all = lines.join('\n');
    for (const secret of [
      person.name,
      person.phone,
      person.email,
      description,
      encodeURIComponent(person.name),
    ]) {
      expect(all).not.toContain(secret);
    }
    expect(all).not.toMatch(/zhize_session=|zhize_csrf=|cookie/i);
  });
});
