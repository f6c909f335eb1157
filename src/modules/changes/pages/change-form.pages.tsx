import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, notFound } from '../../../http/errors.ts';
import { attempt, fieldOf, queryOf } from '../../../http/forms.ts';
import { idParam, parseId } from '../../../http/params.ts';
import { shorten } from '../../../lib/text.ts';
import { Csrf, csrfToken, sendStaffPage } from '../../../views/staff/page.tsx';
import { forbiddenAction, type SessionUser } from '../../auth/index.ts';
import {
  type ChangeAdapter,
  type ChangeChoices,
  type ChangeField,
  type CurrentRecord,
  loadChangeChoices,
} from '../../registry/index.ts';
import {
  adapterForm,
  type FormValues,
  formFromPayload,
  formValues,
  many,
  one,
  payloadFromForm,
} from '../changeset.forms.ts';
import { canProposeOn, mayChangeKind, outOfReach } from '../changeset.policy.ts';
import { dutyLabel, showValue } from '../changeset.presenter.ts';
import { type ChangeItemRow, type ChangeSetRow, findChangeItem, findChangeSet } from '../changeset.repo.ts';
import { type ChangeOp, OP_NAMES, OPS } from '../changeset.schema.ts';
import {
  adapterOf,
  addChange,
  type ChangeKinds,
  createChangeSet,
  reviseChange,
} from '../changeset.service.ts';
import { canEditChangeSet, changeSetAbilities } from '../changeset.workflow.ts';
import { SetFields } from './changeset.views.tsx';

/**
 * The form for one proposed change (create, update or retire one record), added to an existing
 * change set (/admin/changes/:id/items/new), starting a new set in the same form
 * (/admin/changes/new/item, with the title and 调整依据 fields), or revising a change already in
 * a draft or returned set (/admin/changes/:id/items/:itemId/edit). The fields are the adapter's.
 */

interface Spec {
  adapter: ChangeAdapter;
  op: ChangeOp;
  target: number | null;
}

interface Prepared {
  spec: Spec;
  set: ChangeSetRow | null;
  /** The proposed change being revised (null when adding one). */
  item: ChangeItemRow | null;
  before: CurrentRecord | null;
  choices: ChangeChoices;
}

export function changeFormPages(kinds: ChangeKinds): FastifyPluginAsync {
  return async (app) => {
    const db = () => app.database.db;
    const csrf = app.staffCsrf;

    /** kind, op and target from the query (GET) or the hidden fields (POST); 400 when malformed. */
    const specOf = (get: (name: string) => string): Spec => {
      const adapter = adapterOf(kinds, get('entity'));
      const op = OPS.find((o) => o === get('op'));
      if (!op)
        throw new AppError(400, 'bad_change_kind', '请从“可调整的记录”页面选择要新增、修改或停用的记录');
      const target = op === 'create' ? null : parseId(get('target'));
      if (op !== 'create' && target === null)
        throw new AppError(400, 'missing_target', '请指明要修改或停用的记录');
      return { adapter, op, target };
    };

    /** Validate and authorise before any work: the role, the set, the record and its offices. */
    const prepare = async (
      req: FastifyRequest,
      get: ((name: string) => string) | 'item',
    ): Promise<Prepared> => {
      const user = req.user!;
      // The kind first (403 before anything else), then the set, then the record.
      let spec = get === 'item' ? null : specOf(get);
      if (spec && !mayChangeKind(user, spec.adapter))
        throw forbiddenAction(outOfReach(kinds, spec.adapter, false));
      let set: ChangeSetRow | null = null;
      if ((req.params as { id?: string }).id !== undefined) {
        const id = idParam(req);
        set = id === null ? null : await findChangeSet(db(), id);
        if (!set) throw notFound('这份调整单');
        changeSetAbilities.assert('edit', user, set);
        if (!canEditChangeSet(user, set))
          throw new AppError(409, 'not_editable', '调整单已提交，不能再增加修改；请先撤回或等待退回');
      }
      let item: ChangeItemRow | null = null;
      if (spec === null) {
        const itemId = idParam(req, 'itemId');
        item = set && itemId !== null ? await findChangeItem(db(), set.id, itemId) : null;
        if (!item) throw notFound('这项修改');
        if (item.op === 'retire') throw new AppError(409, 'nothing_to_revise', '停用的修改没有可改的内容');
        spec = { adapter: adapterOf(kinds, item.entity), op: item.op, target: item.targetId };
        if (!mayChangeKind(user, spec.adapter)) throw forbiddenAction(outOfReach(kinds, spec.adapter, false));
      }
      let before: CurrentRecord | null = null;
      if (spec.target !== null) {
        before = await spec.adapter.current(db(), spec.target);
        if (!before) throw notFound(`${spec.adapter.name} ${spec.target}`);
      }
      if (!canProposeOn(user, spec.adapter, before, null))
        throw forbiddenAction(outOfReach(kinds, spec.adapter, true));
      return { spec, set, item, before, choices: await loadChangeChoices(db()) };
    };

    const render = (
      req: FastifyRequest,
      reply: FastifyReply,
      p: Prepared,
      form: FormValues,
      error: AppError | null,
    ) => {
      const { spec, set, item } = p;
      const title = item
        ? `修改此项：${OP_NAMES[spec.op]}${spec.adapter.name}`
        : `${OP_NAMES[spec.op]}${spec.adapter.name}`;
      const action = item
        ? `/admin/changes/${set!.id}/items/${item.id}`
        : set
          ? `/admin/changes/${set.id}/items`
          : '/admin/changes/new/item';
      return sendStaffPage(req, reply, {
        title,
        notice: error ? { kind: 'error', text: error.message } : null,
        status: error ? error.status : 200,
        children: (
          <ChangeFormPage
            user={req.user!}
            prepared={p}
            form={form}
            title={title}
            action={action}
            csrfToken={csrfToken(req, reply)}
          />
        ),
      });
    };

    const initialForm = (user: SessionUser, p: Prepared, req: FastifyRequest): FormValues => {
      if (p.item) return formFromPayload(p.spec.adapter, p.item.payload);
      if (p.before) return formFromPayload(p.spec.adapter, p.before.payload);
      const form: FormValues = {};
      for (const f of p.spec.adapter.fields) {
        // A link from a duty or a matter (?duty=, ?matter=) preselects it.
        if (f.kind === 'duty' || f.kind === 'matter') {
          const id = parseId(queryOf(req, f.kind));
          if (id !== null) form[f.key] = String(id);
        }
        if (f.kind === 'offices' && user.role === 'editor' && user.officeIds.length === 1)
          form[f.key] = [String(user.officeIds[0])];
      }
      return form;
    };

    const showForm = async (req: FastifyRequest, reply: FastifyReply) => {
      const p = await prepare(req, (name) => queryOf(req, name));
      return render(req, reply, p, initialForm(req.user!, p, req), null);
    };

    const post = async (req: FastifyRequest, reply: FastifyReply) => {
      const user = req.user!;
      const p = await prepare(req, (name) => fieldOf(req, name));
      const form = { ...adapterForm(req, p.spec.adapter, []), ...formValues(req, ['title', 'reason']) };
      const change = {
        entity: p.spec.adapter.entity,
        op: p.spec.op,
        targetId: p.spec.target,
        payload: p.spec.op === 'retire' ? undefined : payloadFromForm(p.spec.adapter, form),
      };
      const r = await attempt(() =>
        app.database.db.transaction().execute(async (tx) => {
          const setId = p.set
            ? p.set.id
            : await createChangeSet(tx, user, { title: one(form, 'title'), reason: one(form, 'reason') });
          await addChange(tx, user, setId, change, kinds);
          return setId;
        }),
      );
      if (!r.ok) return render(req, reply, p, form, r.error);
      return reply.redirect(`/admin/changes/${r.value}?done=${p.set ? 'added' : 'created'}`, 303);
    };

    const showRevise = async (req: FastifyRequest, reply: FastifyReply) => {
      const p = await prepare(req, 'item');
      return render(req, reply, p, initialForm(req.user!, p, req), null);
    };

    const postRevise = async (req: FastifyRequest, reply: FastifyReply) => {
      const p = await prepare(req, 'item');
      const form = adapterForm(req, p.spec.adapter, []);
      const r = await attempt(() =>
        app.database.db
          .transaction()
          .execute((tx) =>
            reviseChange(tx, req.user!, p.set!.id, p.item!.id, payloadFromForm(p.spec.adapter, form), kinds),
          ),
      );
      if (!r.ok) return render(req, reply, p, form, r.error);
      return reply.redirect(`/admin/changes/${p.set!.id}?done=revised#item-${p.item!.id}`, 303);
    };

    const create = changeSetAbilities.guard('create');
    const edit = changeSetAbilities.guard('edit');
    const hide = { hide: true };
    app.get('/admin/changes/:id/items/new', { schema: hide, preHandler: edit }, showForm);
    app.post('/admin/changes/:id/items', { schema: hide, preHandler: [edit, csrf.preHandler] }, post);
    app.get('/admin/changes/new/item', { schema: hide, preHandler: create }, showForm);
    app.post('/admin/changes/new/item', { schema: hide, preHandler: [create, csrf.preHandler] }, post);
    app.get('/admin/changes/:id/items/:itemId/edit', { schema: hide, preHandler: edit }, showRevise);
    app.post(
      '/admin/changes/:id/items/:itemId',
      { schema: hide, preHandler: [edit, csrf.preHandler] },
      postRevise,
    );
  };
}

/** Offices an editor may choose: their own plus those the record already names. Admins: all. */
function officeChoices(user: SessionUser, p: Prepared): ChangeChoices['offices'] {
  if (user.role === 'admin') return p.choices.offices;
  const allowed = new Set([...user.officeIds, ...(p.before?.officeIds ?? [])]);
  return p.choices.offices.filter((o) => allowed.has(o.id));
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
  const { spec, set, item, before, choices } = p;
  const { adapter } = spec;
  return (
    <>
      <p class="crumbs-staff">
        <a href="/admin/changes">清单调整</a> ›{' '}
        {set ? (
          <>
            <a href={`/admin/changes/${set.id}`}>调整单 {set.id}</a> ›{' '}
          </>
        ) : null}
        {item ? null : (
          <>
            <a href={set ? `/admin/records?set=${set.id}` : '/admin/records'}>可调整的记录</a> ›{' '}
          </>
        )}
        {title}
      </p>
      <h1>{title}</h1>
      {item ? (
        <p class="muted">
          修改后这项修改仍在调整单 {set!.id}“{set!.title}”中；改动会记入审计日志。
        </p>
      ) : set ? (
        <p class="muted">
          这项修改将加入调整单 {set.id}“{set.title}”。发布前，公众看到的仍是现行清单。
        </p>
      ) : (
        <p class="muted">这项修改将放入一份新的调整单；之后可以继续向该调整单添加修改，再提交审核。</p>
      )}
      <form method="post" action={action} class="stack-form change-form">
        <Csrf token={csrfToken} />
        <input type="hidden" name="entity" value={adapter.entity} />
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
            <legend>要停用的{adapter.name}</legend>
            <dl class="record-fields">
              {adapter.fields.map((f) => (
                <>
                  <dt>{f.label}</dt>
                  <dd>{showValue(f, before.payload[f.key], choices) || '（空）'}</dd>
                </>
              ))}
            </dl>
            <p>发布后，这条记录将从清单中移除；调整记录中仍可查到它。</p>
          </fieldset>
        ) : (
          <fieldset>
            <legend>{adapter.name}</legend>
            {adapter.fields.map((f) => (
              <Field field={f} form={form} choices={choices} offices={officeChoices(user, p)} />
            ))}
          </fieldset>
        )}
        <button type="submit">
          {item
            ? '保存这项修改'
            : set
              ? spec.op === 'retire'
                ? '停用：加入调整单'
                : '加入调整单'
              : '创建调整单并加入这项修改'}
        </button>
      </form>
    </>
  );
}

const short = (s: string) => shorten(s, 48);

/** One payload field on the form, by its kind. */
function Field({
  field: f,
  form,
  choices,
  offices,
}: {
  field: ChangeField;
  form: FormValues;
  choices: ChangeChoices;
  offices: ChangeChoices['offices'];
}) {
  const label = f.optional ? `${f.label}（可空）` : f.label;
  switch (f.kind) {
    case 'number':
      return (
        <label>
          {label}
          <input type="number" name={f.key} min={1} required value={one(form, f.key)} />
        </label>
      );
    case 'area':
      return (
        <label>
          {label}
          <textarea name={f.key} rows={4} maxLength={f.max} required>
            {one(form, f.key)}
          </textarea>
        </label>
      );
    case 'offices': {
      const chosen = new Set(many(form, f.key));
      return (
        <fieldset class="checkboxes">
          <legend>{f.label}（可多选）</legend>
          {offices.map((o) => (
            <label class="check">
              <input type="checkbox" name={f.key} value={String(o.id)} checked={chosen.has(String(o.id))} />{' '}
              {o.name}
              {o.isGroup ? <span class="muted">（科室组）</span> : null}
            </label>
          ))}
        </fieldset>
      );
    }
    case 'duty':
    case 'matter':
    case 'department': {
      const options =
        f.kind === 'duty'
          ? choices.duties.map((d) => ({ value: String(d.id), label: short(dutyLabel(d)) }))
          : f.kind === 'matter'
            ? choices.matters.map((m) => ({ value: String(m.id), label: short(`${m.seq}. ${m.name}`) }))
            : choices.departments.map((d) => ({ value: String(d.id), label: d.name }));
      const current = one(form, f.key);
      return (
        <label>
          {label}
          <select name={f.key} required>
            <option value="">请选择{f.label}</option>
            {options.map((o) => (
              <option value={o.value} selected={o.value === current}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
      );
    }
    default:
      return (
        <label>
          {label}
          {f.hint ? <span class="hint">{f.hint}</span> : null}
          <input type="text" name={f.key} value={one(form, f.key)} maxLength={f.max} required={!f.optional} />
        </label>
      );
  }
}
