import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createComplaintsApp, setToday } from './complaints-helpers.ts';
import { createStaff, loginAs } from './staff-helpers.ts';
import type { SharedApp } from './token-helpers.ts';

/**
 * The Open311 GeoReport v2 façade (issue 12 part 1) as a client uses it: GET services.json, POST
 * requests.json with api_key = a token from `zhize token create`, GET requests/{id}.json for the
 * status — each answer checked against the GeoReport v2 field list
 * (https://wiki.open311.org/GeoReport_v2: Service List, POST Service Request, GET Service Request(s),
 * Errors). The public GETs carry none of the personal fields.
 */

/** GeoReport v2 fields: name → required, and the check of its value. */
type FieldSpec = Record<string, { required: boolean; ok: (v: unknown) => boolean }>;
const str = (v: unknown) => typeof v === 'string';
const strOrNull = (v: unknown) => v === null || typeof v === 'string';
const isoTime = (v: unknown) =>
  typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)$/.test(v);
const isoOrNull = (v: unknown) => v === null || isoTime(v);

const SERVICE: FieldSpec = {
  service_code: { required: true, ok: str },
  service_name: { required: true, ok: str },
  description: { required: false, ok: str },
  metadata: { required: true, ok: (v) => typeof v === 'boolean' },
  type: { required: true, ok: (v) => v === 'realtime' || v === 'batch' || v === 'blackbox' },
  keywords: { required: false, ok: str },
  group: { required: false, ok: str },
};
const POST_RESPONSE: FieldSpec = {
  service_request_id: { required: true, ok: str },
  token: { required: false, ok: str },
  service_notice: { required: false, ok: str },
  account_id: { required: false, ok: strOrNull },
};
const REQUEST: FieldSpec = {
  service_request_id: { required: true, ok: str },
  status: { required: true, ok: (v) => v === 'open' || v === 'closed' },
  status_notes: { required: false, ok: strOrNull },
  service_name: { required: false, ok: str },
  service_code: { required: true, ok: str },
  description: { required: false, ok: str },
  agency_responsible: { required: false, ok: strOrNull },
  service_notice: { required: false, ok: strOrNull },
  requested_datetime: { required: true, ok: isoTime },
  updated_datetime: { required: false, ok: isoOrNull },
  expected_datetime: { required: false, ok: isoOrNull },
  address: { required: false, ok: str },
  address_id: { required: false, ok: str },
  zipcode: { required: false, ok: str },
  lat: { required: false, ok: (v) => typeof v === 'number' },
  long: { required: false, ok: (v) => typeof v === 'number' },
  media_url: { required: false, ok: str },
};
const ERROR: FieldSpec = {
  code: { required: true, ok: (v) => Number.isInteger(v) },
  description: { required: true, ok: str },
};
/** Fields a public answer must not carry (personal data, what the person wrote, where they are). */
const PERSONAL = [
  'description',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
  'email',
  'phone',
  'first_name',
  'last_name',
];

function conforms(spec: FieldSpec, item: Record<string, unknown>, label: string) {
  for (const key of Object.keys(item))
    expect(Object.keys(spec), `${label}: unknown field ${key}`).toContain(key);
  for (const [key, f] of Object.entries(spec)) {
    if (f.required) expect(item, `${label}: missing ${key}`).toHaveProperty(key);
    if (key in item) expect(f.ok(item[key]), `${label}: ${key} = ${JSON.stringify(item[key])}`).toBe(true);
  }
}

let s: SharedApp;
let apiKey = '';

beforeAll(async () => {
  s = await createComplaintsApp();
  await createStaff(s.database, 'platform', 'editor', ['市场秩序和政策法规科']);
  await createStaff(s.database, 'reader', 'auditor');
  await createStaff(s.database, 'dispatcher', 'reviewer');
  apiKey = (await s.cli('token', 'create', 'platform', '--name', 'Open311')).out.trim();
});
afterAll(async () => {
  await s?.close();
});

const post = (form: Record<string, string>) =>
  s.app.inject({
    method: 'POST',
    url: '/open311/v2/requests.json',
    payload: new URLSearchParams(form).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });

describe('an Open311 client', () => {
  it('reads the services, derived from the lists', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/open311/v2/services.json' });
    expect(res.statusCode).toBe(200);
    const services = res.json() as Array<Record<string, unknown>>;
    for (const sv of services) conforms(SERVICE, sv, `service ${sv.service_code}`);
    const matters = await s.database.db
      .selectFrom('boundary_matters')
      .select(['seq', 'name'])
      .orderBy('seq')
      .execute();
    const duties = await s.database.db.selectFrom('duties').select('seq').execute();
    expect(services).toHaveLength(matters.length + duties.length + 1);
    expect(services).toContainEqual(
      expect.objectContaining({
        service_code: 'matter-2',
        service_name: '单用途商业预付卡管理工作',
        group: '职责边界事项',
      }),
    );
    expect(services.at(-1)).toMatchObject({ service_code: 'other' });
  });

  it('posts a request with its api_key, then follows its status; GET answers carry no personal data', async () => {
    setToday('2026-03-02');
    const res = await post({
      api_key: apiKey,
      service_code: 'matter-2',
      address_string: '桃城区人民路某超市',
      description: '超市发行的购物卡违规发卡，单张面值超过5000元。',
      first_name: '小红',
      last_name: '李',
      phone: '13511112222',
      email: 'li@example.cn',
      account_id: '12345-0099',
    });
    expect(res.statusCode, res.body).toBe(200);
    const [created] = res.json();
    conforms(POST_RESPONSE, created, 'POST response');
    const id = created.service_request_id as string;
    const row = await s.database.db
      .selectFrom('complaints')
      .selectAll()
      .where('code', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      channel: 'open311',
      contact_name: '李小红',
      service_code: 'matter-2',
      external_ref: '12345-0099',
    });
    const routing = await s.database.db
      .selectFrom('complaint_routings as r')
      .innerJoin('offices as o', 'o.id', 'r.office_id')
      .select('o.name')
      .where('r.complaint_id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(routing.name).toBe('市场秩序和政策法规科');

    const one = await s.app.inject({ method: 'GET', url: `/open311/v2/requests/${id}.json` });
    expect(one.statusCode).toBe(200);
    const [status] = one.json();
    conforms(REQUEST, status, 'request');
    for (const p of PERSONAL) expect(status).not.toHaveProperty(p);
    expect(status).toMatchObject({
      service_request_id: id,
      status: 'open',
      status_notes: '已接收，待受理',
      service_code: 'matter-2',
      requested_datetime: '2026-03-02T10:00:00+08:00',
      expected_datetime: '2026-03-11T23:59:59+08:00',
    });
    for (const word of ['李小红', '13511112222', 'li@example.cn', '人民路', '5000元'])
      expect(one.body).not.toContain(word);

    // Once accepted and answered, the status follows.
    const dispatcher = await loginAs(s.app, 'dispatcher');
    const office = await s.database.db
      .selectFrom('offices')
      .select('id')
      .where('name', '=', '市场秩序和政策法规科')
      .executeTakeFirstOrThrow();
    expect((await dispatcher.post(`/admin/complaints/${row.id}/reject`, { reason: '重复反映' })).status).toBe(
      303,
    );
    const [closed] = (await s.app.inject({ method: 'GET', url: `/open311/v2/requests/${id}.json` })).json();
    expect(closed).toMatchObject({ status: 'closed', status_notes: '不予受理', expected_datetime: null });
    expect(office.id).toBeGreaterThan(0);

    const list = await s.app.inject({
      method: 'GET',
      url: `/open311/v2/requests.json?service_request_id=${id}&status=closed`,
    });
    const items = list.json() as Array<Record<string, unknown>>;
    expect(items.map((i) => i.service_request_id)).toEqual([id]);
    for (const item of items) conforms(REQUEST, item, 'list item');
    expect(
      (
        await s.app.inject({
          method: 'GET',
          url: `/open311/v2/requests.json?service_request_id=${id}&status=open`,
        })
      ).json(),
    ).toEqual([]);
  });

  it('gets GeoReport errors: a bad key, a reader’s key, an unknown service, no location, a short description', async () => {
    const base = {
      api_key: apiKey,
      service_code: 'matter-2',
      address_string: '桃城区',
      description: '超市发行的购物卡违规发卡，单张面值超过5000元。',
      phone: '13511112222',
      last_name: '李',
      first_name: '红',
    };
    const readerKey = (await s.cli('token', 'create', 'reader')).out.trim();
    const cases: Array<[Record<string, string>, number, string]> = [
      [{ ...base, api_key: 'zhize_wrong' }, 403, 'api_key 无效'],
      [{ ...base, api_key: readerKey }, 403, '只有系统管理员、科室编辑和审核人可以登记'],
      [{ ...base, service_code: 'nope' }, 400, 'service_code'],
      [{ ...base, address_string: '' }, 400, 'address_string'],
      [{ ...base, description: '短' }, 400, '至少用10个字'],
      [{ ...base, 'attribute[kind]': 'other' }, 400, 'attribute[kind]'],
    ];
    for (const [form, status, text] of cases) {
      const res = await post(form);
      expect(res.statusCode, JSON.stringify(form)).toBe(status);
      const errors = res.json() as Array<Record<string, unknown>>;
      expect(errors).toHaveLength(1);
      conforms(ERROR, errors[0]!, 'error');
      expect(errors[0]!.code).toBe(status);
      expect(String(errors[0]!.description)).toContain(text);
    }
    const missing = await s.app.inject({ method: 'GET', url: '/open311/v2/requests/000000-XXXXX.json' });
    expect(missing.statusCode).toBe(404);
    conforms(ERROR, missing.json()[0], 'error');
    expect((await s.app.inject({ method: 'GET', url: '/open311/v2/requests/abc.xml' })).statusCode).toBe(404);
  });

  it('accepts a report with attribute[kind] and no contact as anonymous; lat/long as the place', async () => {
    const res = await post({
      api_key: apiKey,
      service_code: 'other',
      lat: '37.74',
      long: '115.67',
      description: '举报有人未经审批开办药店，已经营业一个月。',
      'attribute[kind]': 'report',
    });
    expect(res.statusCode, res.body).toBe(200);
    const row = await s.database.db
      .selectFrom('complaints')
      .selectAll()
      .where('code', '=', res.json()[0].service_request_id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'report', anonymous: 1, place: '37.74,115.67' });
  });
});
