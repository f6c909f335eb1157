import { createHash } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DbOrTx } from '../../../db/database.ts';
import { notFound } from '../../../http/errors.ts';
import { todayInChina } from '../../../lib/china-time.ts';
import { listServices } from '../read/registry.repo.ts';
import type { ServiceOut } from '../registry.schema.ts';
import { diffFlat, type FlatRecord, flattenDataset } from '../versions/version.service.ts';
import type { Dataset } from './dataset.export.ts';

/**
 * Open data as Open Referral HSDS 3 (https://docs.openreferral.org/en/latest/): the public
 * services as `service` objects with their `organization` (the department), `phones` and — where
 * an address exists, which the bundled lists never give — `service_at_locations`; and, as HSDS
 * `metadata`, the field-level changes of each service (previous value, new value, who published
 * it, the version's effective date) from the published versions that changed it. Ids are UUIDs
 * derived from the records' ids (UUID v5), so they stay the same across exports.
 * Validated against the vendored HSDS schema in test/hsds-export.test.ts.
 */

/** The namespace of Zhize's HSDS ids (UUID v5, RFC 9562 §5.5): a fixed random UUID. */
const NAMESPACE = 'b7f0a7d2-3c1e-4f5a-9b8e-6d2c4a1f0e93';

export function uuidV5(name: string, namespace = NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

const idOf = (kind: string, id: number | string) => uuidV5(`zhize:${kind}:${id}`);

/** Chinese field names of a service's flattened record → HSDS field names. */
const FIELD_NAMES: Record<string, string> = {
  服务事项: 'name',
  主要内容: 'description',
  联系电话: 'phones.number',
  承办机构: 'contacts.name',
};

export interface HsdsMetadata {
  id: string;
  resource_id: string;
  resource_type: 'service';
  last_action_date: string;
  last_action_type: 'create' | 'update' | 'delete';
  field_name: string;
  previous_value: string;
  replacement_value: string;
  updated_by: string;
}

/**
 * The field-level changes of the services, per published version in force today (China date): what
 * each version changed against the one before it. Version 1, the first import, is the baseline.
 */
export async function serviceChangeRecords(
  db: DbOrTx,
  now = new Date(),
): Promise<Map<number, HsdsMetadata[]>> {
  const today = todayInChina(now.getTime());
  const versions = await db
    .selectFrom('versions')
    .select(['number', 'effective_date', 'published_by', 'snapshot'])
    .orderBy('number')
    .execute();
  const out = new Map<number, HsdsMetadata[]>();
  let prev: { number: number; flat: Map<string, FlatRecord> } | null = null;
  for (const v of versions) {
    if (v.effective_date > today) break;
    const all = flattenDataset(JSON.parse(v.snapshot) as Dataset);
    const flat = new Map([...all].filter(([k]) => k.startsWith('service:')));
    if (prev) {
      const diff = diffFlat(prev.number, v.number, prev.flat, flat);
      const push = (
        key: string,
        type: HsdsMetadata['last_action_type'],
        field: string,
        before: string,
        after: string,
      ) => {
        const serviceId = Number(key.split(':')[1]);
        const list = out.get(serviceId) ?? [];
        list.push({
          id: idOf('metadata', `${v.number}:${key}:${field}`),
          resource_id: idOf('service', serviceId),
          resource_type: 'service',
          last_action_date: v.effective_date,
          last_action_type: type,
          field_name: FIELD_NAMES[field] ?? field,
          previous_value: before,
          replacement_value: after,
          updated_by: v.published_by,
        });
        out.set(serviceId, list);
      };
      for (const c of diff.changed)
        for (const f of c.changes) push(c.key, 'update', f.field, f.before, f.after);
      for (const a of diff.added)
        for (const [f, value] of Object.entries(a.fields)) push(a.key, 'create', f, '', value);
    }
    prev = { number: v.number, flat };
  }
  return out;
}

function organizationOf(id: number, name: string) {
  return {
    id: idOf('department', id),
    name,
    description: `${name}：职责清单所列的部门（公共服务事项登记表）`,
    phones: [],
    metadata: [],
  };
}

function serviceOf(s: ServiceOut, metadata: HsdsMetadata[]) {
  const id = idOf('service', s.id);
  return {
    id,
    organization_id: idOf('department', s.departmentId),
    name: s.name,
    description: s.content,
    status: 'active' as const,
    phones: s.phones.map((number, i) => ({
      id: idOf('phone', `${s.id}:${i + 1}`),
      service_id: id,
      number,
      description: s.officeText ? `承办机构：${s.officeText}` : undefined,
      languages: [],
      metadata: [],
    })),
    contacts: s.offices.map((o) => ({
      id: idOf('contact', `${s.id}:${o.id}`),
      service_id: id,
      name: o.name,
      phones: [],
      metadata: [],
    })),
    // The lists give no address of any service: HSDS service_at_location needs a location.
    service_at_locations: [],
    organization: organizationOf(s.departmentId, s.department),
    metadata,
  };
}

/** The services as HSDS `service` objects, in list order. */
export async function hsdsServices(db: DbOrTx, now = new Date()) {
  const [services, changes] = await Promise.all([listServices(db, {}, 'all'), serviceChangeRecords(db, now)]);
  return services.items.map((s) => serviceOf(s, changes.get(s.id) ?? []));
}

/** The departments that offer services, as HSDS `organization` objects. */
export async function hsdsOrganizations(db: DbOrTx) {
  const services = (await listServices(db, {}, 'all')).items;
  const seen = new Map<number, string>();
  for (const s of services) seen.set(s.departmentId, s.department);
  return [...seen].map(([id, name]) => organizationOf(id, name));
}

/** An HSDS API page (openapi.json `Page`) holding every item. */
const page = <T>(contents: T[]) => ({
  total_items: contents.length,
  total_pages: 1,
  page_number: 1,
  size: contents.length,
  first_page: true,
  last_page: true,
  empty: contents.length === 0,
  contents,
});

/** GET /api/v1/open-data/hsds/…: the HSDS 3 API's read endpoints for services and organizations. */
export const hsdsApi: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const tags = ['exports'];
  const json = (v: unknown) => JSON.stringify(v, null, 2);
  app.get(
    '/open-data/hsds/services',
    { schema: { tags, summary: '开放数据：公共服务事项（Open Referral HSDS 3，含字段级修改记录）' } },
    async (_req, reply) =>
      reply.type('application/json; charset=utf-8').send(json(page(await hsdsServices(app.database.db)))),
  );
  app.get(
    '/open-data/hsds/services/:id',
    {
      schema: {
        tags,
        summary: '开放数据：一项公共服务事项（HSDS 3 service，id 为 UUID）',
        params: z.object({ id: z.string().uuid() }),
      },
    },
    async (req, reply) => {
      const s = (await hsdsServices(app.database.db)).find((x) => x.id === req.params.id);
      if (!s) throw notFound(`公共服务事项 ${req.params.id}`);
      return reply.type('application/json; charset=utf-8').send(json(s));
    },
  );
  app.get(
    '/open-data/hsds/organizations',
    { schema: { tags, summary: '开放数据：提供公共服务的部门（HSDS 3 organization）' } },
    async (_req, reply) =>
      reply
        .type('application/json; charset=utf-8')
        .send(json(page(await hsdsOrganizations(app.database.db)))),
  );
};
