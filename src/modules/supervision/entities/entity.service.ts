import type { DbOrTx, Tx } from '../../../db/database.ts';
import { nowIso } from '../../../db/database.ts';
import { AppError, notFound } from '../../../http/errors.ts';
import { validateUscc } from '../../../lib/uscc.ts';
import { appendAudit } from '../../audit/index.ts';
import { actorOf, type SessionUser } from '../../auth/index.ts';
import {
  CATEGORY_NAME,
  type CategoryCode,
  COUNTY_ALIASES,
  ENTITY_CATEGORIES,
  ENTITY_STATUS_NAME,
  ENTITY_STATUSES,
  type EntityStatus,
  isCategoryCode,
  RISK_CLASS_ALIASES,
  RISK_CLASS_NAME,
  RISK_CLASSES,
  type RiskClass,
} from '../reference/index.ts';
import { categoriesText, reachOf, type SupervisionReach } from '../shared/reach.ts';
import { entityAbilities } from './entity.policy.ts';

/**
 * 检查对象名录库: the register of regulated entities. One validation (`checkEntity`) serves the form
 * and the bulk import, so both refuse the same things with the same Chinese reasons.
 */

/** The fields of an entity as typed in a form or a spreadsheet row (all text). */
export interface RawEntity {
  name?: string;
  uscc?: string;
  /** Category codes or Chinese names; one string may hold several separated by 、，,；; or |. */
  categories?: string[];
  /** County id (form) or name (spreadsheet). */
  county?: string;
  licenceNo?: string;
  licenceValidFrom?: string;
  licenceValidUntil?: string;
  status?: string;
  riskClass?: string;
  /** 经营场所地址: where the inspectors go (optional). */
  address?: string;
}

export type EntityField = keyof RawEntity;

/** Column headings of the import template, in order; also the field names shown in errors. */
export const ENTITY_COLUMNS: Array<{ field: EntityField; label: string; required: boolean; hint: string }> = [
  { field: 'name', label: '名称', required: true, hint: '企业或机关全称' },
  { field: 'uscc', label: '统一社会信用代码', required: true, hint: '18位，含校验码；请将此列设为文本格式' },
  {
    field: 'categories',
    label: '类别',
    required: true,
    hint: `可填多个，用“、”分隔：${ENTITY_CATEGORIES.map((c) => c.name).join('、')}`,
  },
  {
    field: 'county',
    label: '县（市、区）',
    required: true,
    hint: '如：桃城区、深州市、衡水高新技术产业开发区',
  },
  { field: 'licenceNo', label: '许可证号', required: false, hint: '可空' },
  { field: 'licenceValidFrom', label: '许可证有效期起', required: false, hint: '日期，如 2025-01-01；可空' },
  { field: 'licenceValidUntil', label: '许可证有效期止', required: false, hint: '日期，如 2027-12-31；可空' },
  {
    field: 'status',
    label: '状态',
    required: false,
    hint: `${ENTITY_STATUSES.map((s) => ENTITY_STATUS_NAME[s]).join('、')}；空为正常经营`,
  },
  {
    field: 'riskClass',
    label: '风险等级',
    required: false,
    hint: `${RISK_CLASSES.map((r) => RISK_CLASS_NAME[r]).join('、')}（可只写A、B、C、D）；可空（未评定）`,
  },
  { field: 'address', label: '经营场所地址', required: false, hint: '执法人员现场检查的地址；可空' },
];

export const FIELD_LABEL = Object.fromEntries(ENTITY_COLUMNS.map((c) => [c.field, c.label])) as Record<
  EntityField,
  string
>;

export interface EntityValues {
  name: string;
  uscc: string;
  categories: CategoryCode[];
  countyId: number;
  licenceNo: string | null;
  licenceValidFrom: string | null;
  licenceValidUntil: string | null;
  status: EntityStatus;
  riskClass: RiskClass | null;
  address: string | null;
}

export interface FieldError {
  field: EntityField;
  /** The column heading (Chinese). */
  column: string;
  reason: string;
}

export interface CountyRow {
  id: number;
  name: string;
  division_code: string;
  kind: string;
  position: number;
}

export async function listCounties(db: DbOrTx): Promise<CountyRow[]> {
  return db.selectFrom('counties').selectAll().orderBy('position').execute();
}

/** C0 control characters and DEL. */
const CONTROL = {
  test: (s: string) => [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f),
};
const SEPARATORS = /[、，,；;|/\s]+/;

const STATUS_BY_TEXT = new Map<string, EntityStatus>([
  ...ENTITY_STATUSES.map((s) => [s, s] as const),
  ...ENTITY_STATUSES.map((s) => [ENTITY_STATUS_NAME[s], s] as const),
  ['正常', 'active'],
  ['在营', 'active'],
  ['存续', 'active'],
  ['暂停', 'suspended'],
  ['停业', 'suspended'],
  ['吊销', 'revoked'],
  ['撤销', 'revoked'],
  ['注销', 'closed'],
  ['关闭', 'closed'],
]);

const RISK_BY_TEXT = new Map<string, RiskClass>(Object.entries(RISK_CLASS_ALIASES));

const CATEGORY_BY_TEXT = new Map<string, CategoryCode>([
  ...ENTITY_CATEGORIES.map((c) => [c.code, c.code] as const),
  ...ENTITY_CATEGORIES.map((c) => [c.name, c.code] as const),
  ['成品油批发', 'refined-oil-wholesale'],
  ['成品油仓储', 'refined-oil-wholesale'],
  ['县级商务主管部门', 'county-bureau'],
  ['受委托机关', 'county-bureau'],
  ['单用途商业预付卡发卡', 'prepaid-card-issuer'],
]);

/** Splits a category cell: the slash inside 成品油批发/仓储 and the bureau category is kept. */
function splitCategories(values: string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    let rest = v.trim();
    // Whole names that contain a separator character are taken first.
    for (const c of ENTITY_CATEGORIES) {
      if (c.name.includes('/') && rest.includes(c.name)) {
        out.push(c.name);
        rest = rest.split(c.name).join(' ');
      }
    }
    out.push(...rest.split(SEPARATORS).filter((s) => s !== ''));
  }
  return out;
}

/** A date cell as YYYY-MM-DD (accepts 2025-1-5, 2025/01/05, 2025.01.05, 2025年1月5日). */
export function normaliseDate(text: string): string | null {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/** Validates one entity; returns the values or every problem, each with its column and reason. */
export function checkEntity(
  raw: RawEntity,
  counties: readonly CountyRow[],
): { ok: true; value: EntityValues } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const err = (field: EntityField, reason: string) =>
    errors.push({ field, column: FIELD_LABEL[field], reason });
  const text = (v: string | undefined) => (v ?? '').normalize('NFC').trim();

  const name = text(raw.name);
  if (name === '') err('name', '名称不能为空');
  else if (name.length > 200) err('name', '名称不能超过200个字符');
  else if (CONTROL.test(name)) err('name', '名称含有控制字符');

  let uscc = '';
  const usccText = text(raw.uscc);
  const check = validateUscc(usccText);
  if (check.ok) uscc = check.code;
  else err('uscc', `无效：${check.reason}`);

  const categories: CategoryCode[] = [];
  const categoryTexts = splitCategories(raw.categories ?? []);
  if (categoryTexts.length === 0) err('categories', '至少选择一个类别');
  for (const c of categoryTexts) {
    const code = CATEGORY_BY_TEXT.get(c);
    if (!code)
      err('categories', `类别“${c}”不存在，应为：${ENTITY_CATEGORIES.map((x) => x.name).join('、')}`);
    else if (!categories.includes(code)) categories.push(code);
  }

  let countyId = 0;
  const countyText = text(raw.county);
  if (countyText === '') err('county', '县（市、区）不能为空');
  else {
    const byId = /^\d+$/.test(countyText) ? counties.find((c) => c.id === Number(countyText)) : undefined;
    const full = COUNTY_ALIASES[countyText] ?? countyText;
    const county = byId ?? counties.find((c) => c.name === full || c.division_code === full);
    if (county) countyId = county.id;
    else err('county', `县（市、区）“${countyText}”不存在，应为：${counties.map((c) => c.name).join('、')}`);
  }

  const licenceNo = text(raw.licenceNo) || null;
  if (licenceNo && (licenceNo.length > 100 || CONTROL.test(licenceNo))) {
    err('licenceNo', '许可证号不能超过100个字符，且不能含控制字符');
  }
  const address = text(raw.address) || null;
  if (address && (address.length > 300 || CONTROL.test(address))) {
    err('address', '经营场所地址不能超过300个字符，且不能含控制字符');
  }
  const dateOf = (field: 'licenceValidFrom' | 'licenceValidUntil'): string | null => {
    const v = text(raw[field]);
    if (v === '') return null;
    const d = normaliseDate(v);
    if (!d) err(field, `日期“${v}”无效，应写作 YYYY-MM-DD，如 2025-01-31`);
    return d;
  };
  const licenceValidFrom = dateOf('licenceValidFrom');
  const licenceValidUntil = dateOf('licenceValidUntil');
  if (licenceValidFrom && licenceValidUntil && licenceValidFrom > licenceValidUntil) {
    err('licenceValidUntil', `有效期止（${licenceValidUntil}）早于有效期起（${licenceValidFrom}）`);
  }

  const statusText = text(raw.status);
  const status = statusText === '' ? 'active' : STATUS_BY_TEXT.get(statusText);
  if (!status) {
    err(
      'status',
      `状态“${statusText}”无效，应为：${ENTITY_STATUSES.map((s) => ENTITY_STATUS_NAME[s]).join('、')}`,
    );
  }
  const riskText = text(raw.riskClass);
  const riskClass =
    riskText === '' ? null : (RISK_BY_TEXT.get(riskText) ?? RISK_BY_TEXT.get(riskText.normalize('NFKC')));
  if (riskClass === undefined) {
    err(
      'riskClass',
      `风险等级“${riskText}”无效，应为：${RISK_CLASSES.map((r) => RISK_CLASS_NAME[r]).join('、')}或留空`,
    );
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      name,
      uscc,
      categories,
      countyId,
      licenceNo,
      licenceValidFrom,
      licenceValidUntil,
      status: status!,
      riskClass: riskClass ?? null,
      address,
    },
  };
}

// ───────────────────────────── reading ─────────────────────────────

export interface EntityOut {
  id: number;
  name: string;
  uscc: string;
  categories: Array<{ code: CategoryCode; name: string }>;
  countyId: number;
  county: string;
  licenceNo: string | null;
  licenceValidFrom: string | null;
  licenceValidUntil: string | null;
  status: EntityStatus;
  riskClass: RiskClass | null;
  address: string | null;
  updatedAt: string;
}

export interface EntityFilter {
  category?: string;
  countyId?: number;
  status?: string;
  /** Part of the name or the credit code. */
  q?: string;
}

function filtered(db: DbOrTx, f: EntityFilter) {
  let q = db.selectFrom('regulated_entities as e').innerJoin('counties as c', 'c.id', 'e.county_id');
  if (f.category) {
    const code = f.category;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('regulated_entity_categories as rc')
          .select('rc.entity_id')
          .whereRef('rc.entity_id', '=', 'e.id')
          .where('rc.category_code', '=', code),
      ),
    );
  }
  if (f.countyId) q = q.where('e.county_id', '=', f.countyId);
  if (f.status) q = q.where('e.status', '=', f.status);
  if (f.q) {
    // LIKE wildcards are dropped rather than escaped: the escape syntax differs between the databases.
    const term = f.q.trim().replace(/[%_\\]/g, '');
    if (term !== '') {
      q = q.where((eb) =>
        eb.or([eb('e.name', 'like', `%${term}%`), eb('e.uscc', 'like', `%${term.toUpperCase()}%`)]),
      );
    }
  }
  return q;
}

async function categoriesOf(db: DbOrTx, ids: number[]): Promise<Map<number, CategoryCode[]>> {
  const out = new Map<number, CategoryCode[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('regulated_entity_categories as rc')
      .innerJoin('entity_categories as ec', 'ec.code', 'rc.category_code')
      .select(['rc.entity_id', 'rc.category_code'])
      .where('rc.entity_id', 'in', ids.slice(i, i + 500))
      .orderBy('ec.position')
      .execute();
    for (const r of rows) {
      if (isCategoryCode(r.category_code))
        out.set(r.entity_id, [...(out.get(r.entity_id) ?? []), r.category_code]);
    }
  }
  return out;
}

/** A stored row (with its county's name) and its categories as the register presents them. */
function present(
  r: {
    id: number;
    name: string;
    uscc: string;
    county_id: number;
    county_name: string;
    licence_no: string | null;
    licence_valid_from: string | null;
    licence_valid_until: string | null;
    status: string;
    risk_class: string | null;
    address: string | null;
    updated_at: string;
  },
  codes: readonly CategoryCode[],
): EntityOut {
  return {
    id: r.id,
    name: r.name,
    uscc: r.uscc,
    categories: codes.map((code) => ({ code, name: CATEGORY_NAME[code] })),
    countyId: r.county_id,
    county: r.county_name,
    licenceNo: r.licence_no,
    licenceValidFrom: r.licence_valid_from,
    licenceValidUntil: r.licence_valid_until,
    status: r.status as EntityStatus,
    riskClass: r.risk_class as RiskClass | null,
    address: r.address,
    updatedAt: r.updated_at,
  };
}

export async function listEntities(
  db: DbOrTx,
  filter: EntityFilter,
  page: { limit: number; offset: number },
): Promise<{ items: EntityOut[]; total: number }> {
  const [rows, total] = await Promise.all([
    filtered(db, filter)
      .selectAll('e')
      .select('c.name as county_name')
      .orderBy('c.position')
      .orderBy('e.name')
      .orderBy('e.id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    filtered(db, filter)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  const cats = await categoriesOf(
    db,
    rows.map((r) => r.id),
  );
  return {
    items: rows.map((r) => present(r, cats.get(r.id) ?? [])),
    total: Number(total.n),
  };
}

export async function getEntity(db: DbOrTx, id: number): Promise<EntityOut> {
  const row = await db
    .selectFrom('regulated_entities as e')
    .innerJoin('counties as c', 'c.id', 'e.county_id')
    .selectAll('e')
    .select('c.name as county_name')
    .where('e.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound(`检查对象 ${id}`);
  return present(row, (await categoriesOf(db, [id])).get(id) ?? []);
}

// ───────────────────────────── writing ─────────────────────────────

/** Refusal of a form: the field errors, shown next to the form. */
export class EntityInvalid extends AppError {
  constructor(readonly errors: FieldError[]) {
    super(400, 'invalid_entity', errors.map((e) => `${e.column}：${e.reason}`).join('；'), errors);
  }
}

const snapshot = (v: EntityValues) => ({ ...v });

async function writeCategories(tx: Tx, entityId: number, categories: CategoryCode[]): Promise<void> {
  await tx.deleteFrom('regulated_entity_categories').where('entity_id', '=', entityId).execute();
  if (categories.length > 0) {
    await tx
      .insertInto('regulated_entity_categories')
      .values(categories.map((c) => ({ entity_id: entityId, category_code: c })))
      .execute();
  }
}

/**
 * The categories a narrowed editor may not give or take: those outside their reach that the change
 * adds or removes. Empty for everyone else.
 */
export function categoriesOutOfReach(
  reach: SupervisionReach,
  before: readonly string[],
  after: readonly string[],
): string[] {
  if (reach.all) return [];
  const was = new Set(before);
  const will = new Set(after);
  return [...new Set([...before, ...after])].filter(
    (c) => was.has(c) !== will.has(c) && !reach.categories.has(c as CategoryCode),
  );
}

/** The form error for categories out of the person's reach, naming the ones they may use. */
export function reachError(reach: SupervisionReach, outside: readonly string[]): FieldError {
  return {
    field: 'categories',
    column: FIELD_LABEL.categories,
    reason: `“${outside.map((c) => CATEGORY_NAME[c as CategoryCode] ?? c).join('、')}”不属于您所在科室负责的监管制度，不能增删；您可以维护的类别：${categoriesText(reach)}`,
  };
}

/** The register row of checked values (without the timestamps). */
export const rowOf = (v: EntityValues) => ({
  name: v.name,
  uscc: v.uscc,
  county_id: v.countyId,
  licence_no: v.licenceNo,
  licence_valid_from: v.licenceValidFrom,
  licence_valid_until: v.licenceValidUntil,
  status: v.status,
  risk_class: v.riskClass,
  address: v.address,
});

/**
 * The form's values checked for the person: valid fields, no category out of their reach added or
 * removed (relative to `before`), and a credit code no other entity has. Throws EntityInvalid.
 */
async function checkedFor(
  tx: Tx,
  reach: SupervisionReach,
  raw: RawEntity,
  before: EntityValues | null,
  selfId: number | null,
): Promise<EntityValues> {
  const checked = checkEntity(raw, await listCounties(tx));
  if (!checked.ok) throw new EntityInvalid(checked.errors);
  const v = checked.value;
  const outside = categoriesOutOfReach(reach, before?.categories ?? [], v.categories);
  if (outside.length > 0) throw new EntityInvalid([reachError(reach, outside)]);
  if (v.uscc === before?.uscc) return v;
  const taken = await tx
    .selectFrom('regulated_entities')
    .select('id')
    .where('uscc', '=', v.uscc)
    .executeTakeFirst();
  if (taken && taken.id !== selfId) {
    const whose = selfId === null ? '已在名录库中' : '已属于另一检查对象';
    throw new EntityInvalid([
      {
        field: 'uscc',
        column: FIELD_LABEL.uscc,
        reason: `统一社会信用代码 ${v.uscc} ${whose}（编号 ${taken.id}）`,
      },
    ]);
  }
  return v;
}

export async function createEntity(tx: Tx, user: SessionUser, raw: RawEntity): Promise<number> {
  const reach = await reachOf(tx, user);
  entityAbilities.assert('maintain', user, { reach });
  const v = await checkedFor(tx, reach, raw, null, null);
  entityAbilities.assert('create', user, { reach, after: v.categories });
  const now = nowIso();
  const row = await tx
    .insertInto('regulated_entities')
    .values({ ...rowOf(v), created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await writeCategories(tx, row.id, v.categories);
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'create',
    entity: 'regulated_entity',
    entityId: row.id,
    after: snapshot(v),
  });
  return row.id;
}

async function valuesOf(db: DbOrTx, id: number): Promise<EntityValues> {
  const e = await getEntity(db, id);
  return {
    name: e.name,
    uscc: e.uscc,
    categories: e.categories.map((c) => c.code),
    countyId: e.countyId,
    licenceNo: e.licenceNo,
    licenceValidFrom: e.licenceValidFrom,
    licenceValidUntil: e.licenceValidUntil,
    status: e.status,
    riskClass: e.riskClass,
    address: e.address,
  };
}

export async function updateEntity(tx: Tx, user: SessionUser, id: number, raw: RawEntity): Promise<void> {
  const reach = await reachOf(tx, user);
  const before = await valuesOf(tx, id);
  entityAbilities.assert('edit', user, { reach, before: before.categories });
  const v = await checkedFor(tx, reach, raw, before, id);
  await tx
    .updateTable('regulated_entities')
    .set({ ...rowOf(v), updated_at: nowIso() })
    .where('id', '=', id)
    .execute();
  await writeCategories(tx, id, v.categories);
  await appendAudit(tx, {
    actor: actorOf(user),
    action: 'update',
    entity: 'regulated_entity',
    entityId: id,
    before: snapshot(before),
    after: snapshot(v),
  });
}
