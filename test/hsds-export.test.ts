import { readdirSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addChange, createChangeSet, transitionChangeSet } from '../src/modules/changes/index.ts';
import { createTestApp, type TestApp } from './helpers.ts';
import { createStaff } from './staff-helpers.ts';

/**
 * Open data (issue 14 item 9): the services as Open Referral HSDS 3, validated against the HSDS
 * JSON schema (vendored in test/fixtures/hsds/ from openreferral/specification, CC BY-SA 4.0),
 * with field-level change records from the published change sets as HSDS metadata.
 */

const DIR = new URL('./fixtures/hsds/', import.meta.url);

function hsdsValidator() {
  // HSDS schema files carry documentation keywords of their own (name, constraints, core, …):
  // strict mode off; formats (uuid, uri, email, date-time) checked.
  const ajv = new Ajv({ strict: false, allErrors: true });
  // ajv-formats is CommonJS: its plugin is the module's default export.
  const addFormats = ((formats as unknown as { default?: unknown }).default ?? formats) as (a: Ajv) => Ajv;
  addFormats(ajv);
  for (const f of readdirSync(DIR).filter((n) => n.endsWith('.json')))
    ajv.addSchema(JSON.parse(readFileSync(new URL(f, DIR), 'utf8')), f);
  return (schema: string, value: unknown) => {
    const v = ajv.getSchema(schema)!;
    const ok = v(value) as boolean;
    return { ok, errors: v.errors };
  };
}

let t: TestApp;
let validate: ReturnType<typeof hsdsValidator>;
beforeAll(async () => {
  t = await createTestApp({ seed: true });
  validate = hsdsValidator();
});
afterAll(async () => {
  await t?.close();
});

describe('HSDS 3 export', () => {
  it('validates every service and organization against the HSDS schema', async () => {
    const res = await t.app.inject({ url: '/api/v1/open-data/hsds/services' });
    expect(res.statusCode).toBe(200);
    const page = res.json();
    expect(page).toMatchObject({
      total_items: 17,
      page_number: 1,
      first_page: true,
      last_page: true,
      empty: false,
    });
    for (const s of page.contents) {
      const r = validate('service.json', s);
      expect(r.errors ?? []).toEqual([]);
      expect(r.ok).toBe(true);
    }
    const first = page.contents[0];
    expect(first).toMatchObject({ name: '中央和省市商务促进财政政策培训和宣讲', status: 'active' });
    expect(first.phones[0]).toMatchObject({ number: '2112826' });
    expect(first.organization.name).toBe('衡水市商务局');
    expect(first.service_at_locations).toEqual([]);
    const orgs = (await t.app.inject({ url: '/api/v1/open-data/hsds/organizations' })).json();
    expect(orgs.contents.map((o: { name: string }) => o.name)).toEqual(['衡水市商务局']);
    for (const o of orgs.contents) expect(validate('organization.json', o).ok).toBe(true);
    const one = await t.app.inject({ url: `/api/v1/open-data/hsds/services/${first.id}` });
    expect(one.json().id).toBe(first.id);
  });

  it('a schema violation is caught (the validator is not vacuous)', () => {
    expect(validate('service.json', { id: 'not-a-uuid', name: 'x', status: 'active' }).ok).toBe(false);
    expect(
      validate('service.json', { id: '0b6f3b8e-6a2c-5f4e-8d1a-2b3c4d5e6f70', name: 'x', status: 'gone' }).ok,
    ).toBe(false);
    expect(validate('metadata.json', { id: '0b6f3b8e-6a2c-5f4e-8d1a-2b3c4d5e6f70' }).ok).toBe(false);
  });

  it('carries a published change of a service as field-level HSDS metadata (previous, new, who, when)', async () => {
    const admin = await createStaff(t.database, 'hsds-admin', 'admin');
    const reviewer = await createStaff(t.database, 'hsds-reviewer', 'reviewer');
    const db = t.database.db;
    const s = await db
      .selectFrom('public_services')
      .select(['id', 'name', 'content'])
      .where('seq', '=', 2)
      .executeTakeFirstOrThrow();
    const offices = await db
      .selectFrom('service_offices')
      .select('office_id')
      .where('service_id', '=', s.id)
      .execute();
    await db.transaction().execute(async (tx) => {
      const setId = await createChangeSet(tx, admin, { title: '更新电话', reason: '测试：电话号码变更' });
      await addChange(tx, admin, setId, {
        entity: 'service',
        op: 'update',
        targetId: s.id,
        payload: {
          name: s.name,
          content: s.content,
          officeIds: offices.map((o) => o.office_id),
          phones: ['2150508'],
        },
      });
      await transitionChangeSet(tx, admin, setId, 'submit');
      await transitionChangeSet(tx, reviewer, setId, 'approve');
      await transitionChangeSet(tx, reviewer, setId, 'publish', { effectiveDate: '2026-01-01' });
    });
    const page = (await t.app.inject({ url: '/api/v1/open-data/hsds/services' })).json();
    const svc = page.contents.find((x: { name: string }) => x.name === s.name);
    expect(svc.phones.map((p: { number: string }) => p.number)).toEqual(['2150508']);
    expect(svc.metadata).toEqual([
      expect.objectContaining({
        resource_id: svc.id,
        resource_type: 'service',
        last_action_type: 'update',
        last_action_date: '2026-01-01',
        field_name: 'phones.number',
        previous_value: '2150507',
        replacement_value: '2150508',
        updated_by: 'hsds-reviewer',
      }),
    ]);
    expect(validate('service.json', svc).errors ?? []).toEqual([]);
    for (const m of svc.metadata) expect(validate('metadata.json', m).ok).toBe(true);
  });
});
