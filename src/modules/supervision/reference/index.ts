import { codesOf } from '../../../lib/codes.ts';
/**
 * Reference data of the supervision module, kept as data: the categories of regulated entities
 * (who a regime supervises), Hengshui's county-level divisions and zones, entity statuses and risk
 * classes. Migration 004 seeds `entity_categories` and `counties` with a frozen copy of the first two
 * lists; `test/supervision-rules.test.ts` checks that the database and these lists agree.
 */

/** Categories of regulated entities (检查对象类别), in the order issue 5 lists them. */
export const ENTITY_CATEGORIES = [
  { code: 'refined-oil-retail', name: '成品油零售' },
  { code: 'refined-oil-wholesale', name: '成品油批发/仓储' },
  { code: 'auction', name: '拍卖' },
  { code: 'pawn', name: '典当' },
  { code: 'prepaid-card-issuer', name: '单用途预付卡发卡' },
  { code: 'retailer', name: '零售商' },
  { code: 'supplier', name: '供应商' },
  { code: 'foreign-trade', name: '对外贸易经营者' },
  { code: 'foreign-invested', name: '外商投资企业' },
  { code: 'vehicle-recycling', name: '报废机动车回收拆解' },
  { code: 'development-zone', name: '开发区' },
  { code: 'overseas-investment', name: '境外投资' },
  { code: 'overseas-contracting', name: '对外承包工程' },
  { code: 'labour-cooperation', name: '对外劳务合作' },
  { code: 'pig-reserve', name: '生猪储备' },
  { code: 'county-bureau', name: '县级商务主管部门/受委托机关' },
] as const;

export type CategoryCode = (typeof ENTITY_CATEGORIES)[number]['code'];

export const CATEGORY_CODES = ENTITY_CATEGORIES.map((c) => c.code) as CategoryCode[];

export const CATEGORY_NAME: Record<CategoryCode, string> = Object.fromEntries(
  ENTITY_CATEGORIES.map((c) => [c.code, c.name]),
) as Record<CategoryCode, string>;

export function isCategoryCode(v: unknown): v is CategoryCode {
  return typeof v === 'string' && (CATEGORY_CODES as string[]).includes(v);
}

/**
 * County-level divisions of Hengshui (县（市、区）) and the two zones the city administers
 * separately. Division codes: GB/T 2260 for the districts, counties and the county-level city; the
 * National Bureau of Statistics' statistical division codes (统计用区划代码) for the zones.
 */
export const COUNTIES = [
  { name: '桃城区', divisionCode: '131102', kind: 'district' },
  { name: '冀州区', divisionCode: '131103', kind: 'district' },
  { name: '枣强县', divisionCode: '131121', kind: 'county' },
  { name: '武邑县', divisionCode: '131122', kind: 'county' },
  { name: '武强县', divisionCode: '131123', kind: 'county' },
  { name: '饶阳县', divisionCode: '131124', kind: 'county' },
  { name: '安平县', divisionCode: '131125', kind: 'county' },
  { name: '故城县', divisionCode: '131126', kind: 'county' },
  { name: '景县', divisionCode: '131127', kind: 'county' },
  { name: '阜城县', divisionCode: '131128', kind: 'county' },
  { name: '深州市', divisionCode: '131182', kind: 'county-level city' },
  { name: '衡水高新技术产业开发区', divisionCode: '131171', kind: 'zone' },
  { name: '衡水滨湖新区', divisionCode: '131172', kind: 'zone' },
] as const;

/** Short names people write in spreadsheets, mapped to the county's full name. */
export const COUNTY_ALIASES: Readonly<Record<string, string>> = {
  高新区: '衡水高新技术产业开发区',
  衡水高新区: '衡水高新技术产业开发区',
  滨湖新区: '衡水滨湖新区',
};

/** County name used for inspectors who work for the city bureau rather than a county. */
export const CITY_LEVEL = '市本级';

/** Status of a regulated entity; only `active` entities enter a plan's population. */
export const ENTITY_STATUS_NAME = {
  active: '正常经营',
  suspended: '暂停经营',
  revoked: '已吊销/撤销',
  closed: '已注销/关闭',
} as const;
export type EntityStatus = keyof typeof ENTITY_STATUS_NAME;
export const ENTITY_STATUSES = codesOf(ENTITY_STATUS_NAME);

/** Risk class (风险等级) of an entity, used to narrow a plan; null means not yet classified. */
export const RISK_CLASS_NAME = { low: '低风险', medium: '中风险', high: '高风险' } as const;
export type RiskClass = keyof typeof RISK_CLASS_NAME;
export const RISK_CLASSES = codesOf(RISK_CLASS_NAME);

/**
 * Inspectors' names are not public (issue 5: "inspectors' personal details are not public"). The
 * draw file must be publishable, so the name every inspector carries into the draw is this fixed
 * text; the draw uses only certificates and conflicts, so nothing is lost.
 */
export const WITHHELD_NAME = '不公开';

/** Minimum inspectors per task when a regime states none (issue 5: "default 2"). */
export const DEFAULT_MIN_INSPECTORS = 2;
