import type { FastifyRequest } from 'fastify';
import { ENTITY_CATEGORIES, ENTITY_STATUS_NAME, RISK_CLASS_NAME } from '../reference/index.ts';
import type { SupervisionReach } from '../shared/reach.ts';
import { Csrf, fieldOf, fieldsOf } from '../shared/staff.views.tsx';
import type { CountyRow, EntityOut, RawEntity } from './entity.service.ts';

/** The entity form of the back office, and the form's values to and from an entity. */

export const rawFromForm = (req: FastifyRequest): RawEntity => ({
  name: fieldOf(req, 'name'),
  uscc: fieldOf(req, 'uscc'),
  categories: fieldsOf(req, 'categories'),
  county: fieldOf(req, 'county'),
  licenceNo: fieldOf(req, 'licenceNo'),
  licenceValidFrom: fieldOf(req, 'licenceValidFrom'),
  licenceValidUntil: fieldOf(req, 'licenceValidUntil'),
  status: fieldOf(req, 'status'),
  riskClass: fieldOf(req, 'riskClass'),
  address: fieldOf(req, 'address'),
});

export const rawFromEntity = (e: EntityOut): RawEntity => ({
  name: e.name,
  uscc: e.uscc,
  categories: e.categories.map((c) => c.code),
  county: String(e.countyId),
  licenceNo: e.licenceNo ?? '',
  licenceValidFrom: e.licenceValidFrom ?? '',
  licenceValidUntil: e.licenceValidUntil ?? '',
  status: e.status,
  riskClass: e.riskClass ?? '',
  address: e.address ?? '',
});

export function EntityForm({
  action,
  values,
  counties,
  token,
  submit,
  reach,
  stored,
}: {
  action: string;
  values: RawEntity;
  counties: CountyRow[];
  token: string;
  submit: string;
  /** The person's reach: a narrowed editor is offered only their offices' categories. */
  reach: SupervisionReach;
  /** The categories the entity has as stored (none for a new one). */
  stored: readonly string[];
}) {
  const cats = new Set(values.categories ?? []);
  const ticked = (c: { code: string; name: string }) => cats.has(c.code) || cats.has(c.name);
  const offered = ENTITY_CATEGORIES.filter((c) => reach.all || reach.categories.has(c.code));
  // Categories of other offices the entity has: kept as they are (hidden), shown, not changeable.
  const kept = ENTITY_CATEGORIES.filter((c) => !offered.includes(c) && stored.includes(c.code));
  return (
    <form method="post" action={action} class="stack-form">
      <Csrf token={token} />
      <label>
        名称
        <input name="name" required maxLength={200} value={values.name ?? ''} />
      </label>
      <label>
        统一社会信用代码（18位，含校验码）
        <input
          name="uscc"
          required
          maxLength={30}
          autocomplete="off"
          spellcheck={false}
          value={values.uscc ?? ''}
          style="font-family:monospace"
        />
      </label>
      <fieldset>
        <legend>类别（可多选）</legend>
        {offered.map((c) => (
          <label class="check">
            <input type="checkbox" name="categories" value={c.code} checked={ticked(c)} /> {c.name}
          </label>
        ))}
        {kept.map((c) => (
          <input type="hidden" name="categories" value={c.code} />
        ))}
        {kept.length > 0 ? (
          <p class="hint">另有其他科室负责的类别：{kept.map((c) => c.name).join('、')}（您不能增删）</p>
        ) : null}
        {reach.all ? null : <p class="hint">只列出您所在科室负责的监管制度所涉类别。</p>}
      </fieldset>
      <label>
        县（市、区）
        <select name="county" required>
          <option value="">请选择</option>
          {counties.map((c) => (
            <option
              value={String(c.id)}
              selected={values.county === String(c.id) || values.county === c.name}
            >
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        经营场所地址（可空；执法人员现场检查时使用）
        <input name="address" maxLength={300} value={values.address ?? ''} />
      </label>
      <label>
        许可证号（可空）
        <input name="licenceNo" maxLength={100} value={values.licenceNo ?? ''} />
      </label>
      <label>
        许可证有效期起（可空）
        <input name="licenceValidFrom" type="date" value={values.licenceValidFrom ?? ''} />
      </label>
      <label>
        许可证有效期止（可空）
        <input name="licenceValidUntil" type="date" value={values.licenceValidUntil ?? ''} />
      </label>
      <label>
        状态
        <select name="status">
          {Object.entries(ENTITY_STATUS_NAME).map(([s, name]) => (
            <option value={s} selected={(values.status || 'active') === s}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label>
        风险等级
        <select name="riskClass">
          <option value="">未评定</option>
          {Object.entries(RISK_CLASS_NAME).map(([r, name]) => (
            <option value={r} selected={values.riskClass === r}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">{submit}</button>
    </form>
  );
}
