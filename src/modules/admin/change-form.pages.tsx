import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, forbidden, notFound } from '../../http/errors.ts';
import { parseId } from '../../http/params.ts';
import type { SessionUser } from '../auth/index.ts';
import { requireRole } from '../auth/index.ts';
import {
  addChange,
  type ChangeEntity,
  type ChangeOp,
  ChangeSetInput,
  type CurrentRecord,
  canProposeOn,
  createChangeSet,
  currentRecord,
  ENTITIES,
  ENTITY_NAMES,
  OP_NAMES,
  OPS,
} from '../changes/index.ts';
import {
  type FormValues,
  formFromPayload,
  formOf,
  many,
  one,
  payloadFromForm,
  positiveInt,
} from './admin.forms.ts';
import { AUTHORS, canEditChangeSet, canSeeChangeSet, editableEntities } from './admin.policy.ts';
import { dutyLabel, FIELDS, showValue } from './admin.presenters.ts';
import { type ChangeSetRow, findChangeSet, type Lookups, loadLookups } from './admin.queries.ts';
import { attempt, CsrfField, errorNotice, sendStaffPage } from './admin.views.tsx';
import { SetFields } from './changesets.pages.tsx';

/**
 * The form for one proposed change (create, update or retire one record), either added to an
 * existing change set (/admin/changes/:id/items/new) or starting a new set in the same form
 * (/admin/changes/new/item, with the title and 调整依据 fields).
 */

interface Spec {
  entity: ChangeEntity;
  op: ChangeOp;
  target: number | null;
}

/** entity, op and target from the query (GET) or the hidden fields (POST); 400 when malformed. */
function specOf(values: Record<string, unknown>): Spec {
  const entity = ENTITIES.find((e) => e === values.entity);
  const op = OPS.find((o) => o === values.op);
  if (!entity || !op)
    throw new AppError(400, 'bad_change_kind', '请从“可调整的记录”页面选择要新增、修改或停用的记录');
  const target = op === 'create' ? null : positiveInt(values.target);
  if (op !== 'create' && target === null)
    throw new AppError(400, 'missing_target', '请指明要修改或停用的记录');
  return { entity, op, target };
}

interface Prepared {
  spec: Spec;
  set: ChangeSetRow | null;
  before: CurrentRecord | null;
  lookups: Lookups;
}

export const changeFormPages: FastifyPluginAsync = async (app) => {
  const db = () => app.database.db;
  const csrf = app.staffCsrf;

  /** Validate and authorise before any work: the role, the set, the record and its offices. */
  const prepare = async (req: FastifyRequest, values: Record<string, unknown>): Promise<Prepared> => {
    const user = req.user!;
    const spec = specOf(values);
    if (!editableEntities(user).includes(spec.entity))
      throw forbidden(
        `您无权调整${ENTITY_NAMES[spec.entity]}：科室编辑只能调整本科室的工作事项和公共服务事项`,
      );
    const rawId = (req.params as { id?: string }).id;
    let set: ChangeSetRow | null = null;
    if (rawId !== undefined) {
      const id = parseId(rawId);
      set = id === null ? null : await findChangeSet(db(), id);
      if (!set) throw notFound('这份调整单');
      if (!canSeeChangeSet(user, set) || (set.authorId !== user.id && user.role !== 'admin'))
        throw forbidden('只能修改自己提出的调整单');
      if (!canEditChangeSet(user, set))
        throw new AppError(409, 'not_editable', '调整单已提交，不能再增加修改；请先撤回或等待退回');
    }
    let before: CurrentRecord | null = null;
    if (spec.target !== null) {
      before = await currentRecord(db(), spec.entity, spec.target);
      if (!before) throw notFound(`${ENTITY_NAMES[spec.entity]} ${spec.target}`);
    }
    if (!canProposeOn(user, spec.entity, before, null))
      throw forbidden(`您无权调整这条${ENTITY_NAMES[spec.entity]}：只能调整本科室的工作事项和公共服务事项`);
    return { spec, set, before, lookups: await loadLookups(db()) };
  };

  const render = (
    req: FastifyRequest,
    reply: FastifyReply,
    p: Prepared,
    form: FormValues,
    error: AppError | null,
  ) => {
    const { spec, set } = p;
    const title = `${OP_NAMES[spec.op]}${ENTITY_NAMES[spec.entity]}`;
    return sendStaffPage(
      req,
      reply,
      title,
      <ChangeFormPage
        user={req.user!}
        prepared={p}
        form={form}
        title={title}
        action={set ? `/admin/changes/${set.id}/items` : '/admin/changes/new/item'}
        csrfToken={csrf.token(req, reply)}
      />,
      { notice: error ? errorNotice(error) : null, status: error ? error.status : 200 },
    );
  };

  const initialForm = (user: SessionUser, p: Prepared, query: Record<string, unknown>): FormValues => {
    if (p.before) return formFromPayload(p.spec.entity, p.before.payload);
    const form: FormValues = {};
    const duty = positiveInt(query.duty);
    if (duty !== null) form.dutyId = String(duty);
    const matter = positiveInt(query.matter);
    if (matter !== null) form.matterId = String(matter);
    if (user.role === 'editor' && user.officeIds.length === 1) form.officeIds = [String(user.officeIds[0])];
    return form;
  };

  const showForm = async (req: FastifyRequest, reply: FastifyReply) => {
    const query = (req.query ?? {}) as Record<string, unknown>;
    const p = await prepare(req, query);
    return render(req, reply, p, initialForm(req.user!, p, query), null);
  };

  const post = async (req: FastifyRequest, reply: FastifyReply) => {
    const user = req.user!;
    const form = formOf(req.body);
    const p = await prepare(req, form);
    let setInput: { title: string; reason: string } | null = null;
    if (!p.set) {
      const parsed = ChangeSetInput.safeParse({ title: one(form, 'title'), reason: one(form, 'reason') });
      if (!parsed.success) {
        const message = parsed.error.issues.map((i) => i.message).join('；');
        return render(req, reply, p, form, new AppError(400, 'invalid_change_set', message));
      }
      setInput = parsed.data;
    }
    const change = {
      entity: p.spec.entity,
      op: p.spec.op,
      targetId: p.spec.target,
      payload: p.spec.op === 'retire' ? undefined : payloadFromForm(p.spec.entity, form),
    };
    const r = await attempt(() =>
      app.database.db.transaction().execute(async (tx) => {
        const setId = p.set ? p.set.id : await createChangeSet(tx, user, setInput!);
        await addChange(tx, user, setId, change);
        return setId;
      }),
    );
    if (!r.ok) return render(req, reply, p, form, r.error);
    return reply.redirect(`/admin/changes/${r.value}?done=${p.set ? 'added' : 'created'}`, 303);
  };

  const guard = requireRole(...AUTHORS);
  app.get('/admin/changes/:id/items/new', { schema: { hide: true }, preHandler: guard }, showForm);
  app.post(
    '/admin/changes/:id/items',
    { schema: { hide: true }, preHandler: [guard, csrf.preHandler] },
    post,
  );
  app.get('/admin/changes/new/item', { schema: { hide: true }, preHandler: guard }, showForm);
  app.post('/admin/changes/new/item', { schema: { hide: true }, preHandler: [guard, csrf.preHandler] }, post);
};

/** Offices an editor may choose: their own plus those the record already names. Admins: all. */
function officeChoices(user: SessionUser, p: Prepared): Lookups['offices'] {
  if (user.role === 'admin') return p.lookups.offices;
  const allowed = new Set([...user.officeIds, ...(p.before?.officeIds ?? [])]);
  return p.lookups.offices.filter((o) => allowed.has(o.id));
}

function ChangeFormPage({
  user,
  prepared: p,
  form,
  title,
  action,
  csrfToken,
}: {
  user: SessionUser;
  prepared: Prepared;
  form: FormValues;
  title: string;
  action: string;
  csrfToken: string;
}) {
  const { spec, set, before, lookups } = p;
  return (
    <>
      <p class="crumbs-staff">
        <a href="/admin/changes">清单调整</a> ›{' '}
        {set ? (
          <>
            <a href={`/admin/changes/${set.id}`}>调整单 {set.id}</a> ›{' '}
          </>
        ) : null}
        <a href={set ? `/admin/records?set=${set.id}` : '/admin/records'}>可调整的记录</a> › {title}
      </p>
      <h1>{title}</h1>
      {set ? (
        <p class="muted">
          这项修改将加入调整单 {set.id}“{set.title}”。发布前，公众看到的仍是现行清单。
        </p>
      ) : (
        <p class="muted">这项修改将放入一份新的调整单；之后可以继续向该调整单添加修改，再提交审核。</p>
      )}
      <form method="post" action={action} class="stack-form change-form">
        <CsrfField token={csrfToken} />
        <input type="hidden" name="entity" value={spec.entity} />
        <input type="hidden" name="op" value={spec.op} />
        {spec.target !== null ? <input type="hidden" name="target" value={String(spec.target)} /> : null}
        {set ? null : (
          <fieldset>
            <legend>新调整单</legend>
            <SetFields form={form} />
          </fieldset>
        )}
        {spec.op === 'retire' && before ? (
          <fieldset>
            <legend>要停用的{ENTITY_NAMES[spec.entity]}</legend>
            <dl class="record-fields">
              {FIELDS[spec.entity].map((f) => (
                <>
                  <dt>{f.label}</dt>
                  <dd>{showValue(f.key, before.payload[f.key], lookups) || '（空）'}</dd>
                </>
              ))}
            </dl>
            <p>发布后，这条记录将从清单中移除；调整记录中仍可查到它。</p>
          </fieldset>
        ) : (
          <fieldset>
            <legend>{ENTITY_NAMES[spec.entity]}</legend>
            <EntityFields
              entity={spec.entity}
              form={form}
              lookups={lookups}
              offices={officeChoices(user, p)}
            />
          </fieldset>
        )}
        <button type="submit">
          {set ? (spec.op === 'retire' ? '停用：加入调整单' : '加入调整单') : '创建调整单并加入这项修改'}
        </button>
      </form>
    </>
  );
}

function Text({
  label,
  name,
  form,
  hint,
  max,
  required,
}: {
  label: string;
  name: string;
  form: FormValues;
  hint?: string;
  max?: number;
  required?: boolean;
}) {
  return (
    <label>
      {label}
      {hint ? <span class="hint">{hint}</span> : null}
      <input type="text" name={name} value={one(form, name)} maxLength={max} required={required} />
    </label>
  );
}

function Area({ label, name, form, max }: { label: string; name: string; form: FormValues; max?: number }) {
  return (
    <label>
      {label}
      <textarea name={name} rows={4} maxLength={max} required>
        {one(form, name)}
      </textarea>
    </label>
  );
}

function Select({
  label,
  name,
  form,
  options,
  placeholder,
}: {
  label: string;
  name: string;
  form: FormValues;
  options: Array<{ value: string; label: string }>;
  placeholder: string;
}) {
  const current = one(form, name);
  return (
    <label>
      {label}
      <select name={name} required>
        <option value="">{placeholder}</option>
        {options.map((o) => (
          <option value={o.value} selected={o.value === current}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

function OfficeBoxes({
  legend,
  form,
  offices,
}: {
  legend: string;
  form: FormValues;
  offices: Lookups['offices'];
}) {
  const chosen = new Set(many(form, 'officeIds'));
  return (
    <fieldset class="checkboxes">
      <legend>{legend}</legend>
      {offices.map((o) => (
        <label class="check">
          <input type="checkbox" name="officeIds" value={String(o.id)} checked={chosen.has(String(o.id))} />{' '}
          {o.name}
          {o.isGroup ? <span class="muted">（科室组）</span> : null}
        </label>
      ))}
    </fieldset>
  );
}

function EntityFields({
  entity,
  form,
  lookups,
  offices,
}: {
  entity: ChangeEntity;
  form: FormValues;
  lookups: Lookups;
  offices: Lookups['offices'];
}) {
  const short = (s: string) => (Array.from(s).length > 48 ? `${Array.from(s).slice(0, 48).join('')}…` : s);
  switch (entity) {
    case 'duty':
      return (
        <>
          <label>
            序号
            <input type="number" name="seq" min={1} required value={one(form, 'seq')} />
          </label>
          <Area label="主要职责" name="text" form={form} max={2000} />
        </>
      );
    case 'workItem':
      return (
        <>
          <Select
            label="所属主要职责"
            name="dutyId"
            form={form}
            placeholder="请选择主要职责"
            options={lookups.duties.map((d) => ({ value: String(d.id), label: short(dutyLabel(d)) }))}
          />
          <Area label="具体工作事项" name="text" form={form} max={2000} />
          <OfficeBoxes legend="责任科室（可多选）" form={form} offices={offices} />
          <Text label="备注（可空）" name="remark" form={form} max={500} />
        </>
      );
    case 'office':
      return (
        <>
          <Text label="科室名称" name="name" form={form} max={100} required />
          <Text label="别名（可空）" name="aliases" form={form} hint="多个别名用“、”或逗号分隔" />
        </>
      );
    case 'share':
      return (
        <>
          <Select
            label="管理事项"
            name="matterId"
            form={form}
            placeholder="请选择管理事项"
            options={lookups.matters.map((m) => ({
              value: String(m.id),
              label: short(`${m.seq}. ${m.name}`),
            }))}
          />
          <Select
            label="相关部门"
            name="departmentId"
            form={form}
            placeholder="请选择部门"
            options={lookups.departments.map((d) => ({ value: String(d.id), label: d.name }))}
          />
          <Area label="职责分工" name="text" form={form} max={2000} />
        </>
      );
    case 'service':
      return (
        <>
          <Text label="服务事项" name="name" form={form} max={200} required />
          <Area label="主要内容" name="content" form={form} max={2000} />
          <OfficeBoxes legend="承办机构（可多选）" form={form} offices={offices} />
          <Text label="联系电话" name="phones" form={form} hint="多个号码用“、”或逗号分隔" required />
        </>
      );
  }
}
