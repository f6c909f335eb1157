import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../http/errors.ts';
import { StackTable } from '../../../views/table.tsx';
import { listCounties } from '../entities/entity.service.ts';
import { CITY_LEVEL } from '../reference/index.ts';
import { reachOf, type SupervisionReach } from '../shared/reach.ts';
import {
  Csrf,
  csrfToken,
  doneNotice,
  FormErrors,
  fieldOf,
  idParam,
  onRecord,
  sendStaffPage,
} from '../shared/staff.views.tsx';
import { inspectorAbilities, maskedName } from './inspector.policy.ts';
import {
  addConflict,
  createInspector,
  getInspector,
  type InspectorInput,
  InspectorInvalid,
  type InspectorOut,
  listInspectors,
  removeConflict,
  updateInspector,
} from './inspector.service.ts';

/** 执法检查人员名录库 in the back office, with declared conflicts of interest (回避申报). */

const inputFromForm = (req: FastifyRequest): InspectorInput => ({
  name: fieldOf(req, 'name'),
  certificateNo: fieldOf(req, 'certificateNo'),
  officeId: fieldOf(req, 'officeId'),
  countyId: fieldOf(req, 'countyId'),
  username: fieldOf(req, 'username'),
  active: fieldOf(req, 'active') === '1',
});

const inputOf = (i: InspectorOut): InspectorInput => ({
  name: i.name,
  certificateNo: i.certificateNo,
  officeId: i.officeId ? String(i.officeId) : '',
  countyId: i.countyId ? String(i.countyId) : '',
  username: i.username ?? '',
  active: i.active,
});

export const inspectorPages: FastifyPluginAsync = async (app) => {
  const csrf = app.staffCsrf;
  const readers = inspectorAbilities.guard('read');
  const writers = inspectorAbilities.guard('create');
  const db = () => app.database.db;
  const reach = (req: FastifyRequest) => reachOf(db(), req.user!);
  /** The name as this reader may see it: editors see only their own offices' inspectors' names. */
  const nameFor = (req: FastifyRequest, r: SupervisionReach, i: Pick<InspectorOut, 'name' | 'officeId'>) =>
    inspectorAbilities.can('seeName', req.user, { reach: r, officeId: i.officeId })
      ? i.name
      : maskedName(i.name);

  const offices = () =>
    db()
      .selectFrom('offices')
      .select(['id', 'name'])
      .where('is_group', '=', 0)
      .orderBy('department_id')
      .orderBy('position')
      .execute();

  async function InspectorFormBody(values: InspectorInput, token: string, r: SupervisionReach) {
    const [allOffices, counties] = await Promise.all([offices(), listCounties(db())]);
    // A narrowed editor may only choose one of their own offices.
    const officeRows = r.all ? allOffices : allOffices.filter((o) => r.officeIds.has(o.id));
    return (
      <>
        <Csrf token={token} />
        <label>
          姓名（不对外公开）
          <input name="name" required maxLength={50} value={values.name} />
        </label>
        <label>
          执法证号
          <input
            name="certificateNo"
            required
            maxLength={40}
            value={values.certificateNo}
            style="font-family:monospace"
          />
        </label>
        <label>
          科室
          <select name="officeId">
            {r.all ? <option value="">（无 / 县级执法人员）</option> : null}
            {officeRows.map((o) => (
              <option value={String(o.id)} selected={values.officeId === String(o.id)}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          县（市、区）
          <select name="countyId">
            <option value="">{CITY_LEVEL}</option>
            {counties.map((c) => (
              <option value={String(c.id)} selected={values.countyId === String(c.id)}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          登录账号（角色为执法人员的用户名，可空；关联后可在后台查看本人任务）
          <input name="username" maxLength={40} value={values.username} autocomplete="off" />
        </label>
        <label class="check">
          <input type="checkbox" name="active" value="1" checked={values.active} /> 在岗（参加抽取）
        </label>
      </>
    );
  }

  const listPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    opts: { values?: InspectorInput; errors?: string[]; status?: number } = {},
  ) => {
    const [inspectors, r] = await Promise.all([listInspectors(db()), reach(req)]);
    // May add an inspector to some office: any office for the unnarrowed, one of their own for an editor.
    const writable = inspectorAbilities.can('create', req.user, {
      reach: r,
      officeId: [...r.officeIds][0] ?? null,
    });
    const values = opts.values ?? {
      name: '',
      certificateNo: '',
      officeId: '',
      countyId: '',
      username: '',
      active: true,
    };
    return sendStaffPage(req, reply, {
      title: '执法检查人员名录库',
      notice: doneNotice(req),
      status: opts.status,
      children: (
        <>
          <h1>执法检查人员名录库</h1>
          <p>
            共 {inspectors.length} 名，在岗 {inspectors.filter((i) => i.active).length}{' '}
            名。姓名只在后台显示；公开的抽查任务只列执法证号。
            {r.all ? '' : '其他科室执法人员的姓名不向您显示。'}
          </p>
          <StackTable
            rows={inspectors}
            columns={[
              {
                label: '执法证号',
                cell: (i) => (
                  <a href={`/admin/supervision/inspectors/${i.id}`}>
                    <code>{i.certificateNo}</code>
                  </a>
                ),
              },
              { label: '姓名', cell: (i) => nameFor(req, r, i) },
              { label: '科室', cell: (i) => i.office ?? '—' },
              { label: '县（市、区）', cell: (i) => i.county ?? CITY_LEVEL },
              { label: '在岗', cell: (i) => (i.active ? '是' : '否') },
              { label: '回避申报', cell: (i) => i.conflicts.length },
            ]}
          />
          {writable ? (
            <section aria-labelledby="new-inspector-h">
              <h2 id="new-inspector-h">新增执法人员</h2>
              <FormErrors errors={opts.errors ?? []} />
              <form method="post" action="/admin/supervision/inspectors" class="stack-form">
                {await InspectorFormBody(values, csrfToken(req, reply), r)}
                <button type="submit">保存</button>
              </form>
            </section>
          ) : null}
        </>
      ),
    });
  };

  app.get(
    '/admin/supervision/inspectors',
    { schema: { hide: true }, preHandler: readers },
    async (req, reply) => listPage(req, reply),
  );

  app.post(
    '/admin/supervision/inspectors',
    { schema: { hide: true }, preHandler: [writers, csrf.preHandler] },
    async (req, reply) => {
      const input = inputFromForm(req);
      try {
        const id = await db()
          .transaction()
          .execute((tx) => createInspector(tx, req.user!, input));
        return reply.redirect(`/admin/supervision/inspectors/${id}?done=created`, 303);
      } catch (e) {
        if (e instanceof InspectorInvalid)
          return listPage(req, reply, { values: input, errors: e.problems, status: 400 });
        throw e;
      }
    },
  );

  const detailPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: number,
    opts: { values?: InspectorInput; errors?: string[]; conflictErrors?: string[]; status?: number } = {},
  ) => {
    const [inspector, r] = await Promise.all([getInspector(db(), id), reach(req)]);
    const writable = inspectorAbilities.can('edit', req.user, { reach: r, officeId: inspector.officeId });
    const named = inspectorAbilities.can('seeName', req.user, { reach: r, officeId: inspector.officeId });
    const token = csrfToken(req, reply);
    return sendStaffPage(req, reply, {
      title: `执法人员 ${inspector.certificateNo}`,
      notice: doneNotice(req),
      status: opts.status,
      children: (
        <>
          <h1>
            执法人员 <code>{inspector.certificateNo}</code>
          </h1>
          <p class="meta">
            {nameFor(req, r, inspector)} · {inspector.office ?? '无科室'} · {inspector.county ?? CITY_LEVEL} ·{' '}
            {inspector.active ? '在岗' : '不在岗'}
            {named && inspector.username ? ` · 登录账号 ${inspector.username}` : ''}
          </p>
          {writable ? (
            <section aria-labelledby="edit-h">
              <h2 id="edit-h">修改</h2>
              <FormErrors errors={opts.errors ?? []} />
              <form method="post" action={`/admin/supervision/inspectors/${id}`} class="stack-form">
                {await InspectorFormBody(opts.values ?? inputOf(inspector), token, r)}
                <button type="submit">保存修改</button>
              </form>
            </section>
          ) : null}
          <section aria-labelledby="conflicts-h">
            <h2 id="conflicts-h">回避申报（{inspector.conflicts.length}）</h2>
            <p>申报回避的检查对象在抽取时不会分配给该执法人员。</p>
            {inspector.conflicts.length ? (
              <StackTable
                rows={inspector.conflicts}
                columns={[
                  {
                    label: '检查对象',
                    cell: (k) => <a href={`/admin/supervision/entities/${k.entityId}`}>{k.entityName}</a>,
                  },
                  { label: '统一社会信用代码', cell: (k) => <code>{k.uscc}</code> },
                  { label: '理由', cell: (k) => (named ? k.reason : '（仅本科室可见）') },
                  { label: '申报时间', cell: (k) => k.createdAt.slice(0, 10) },
                  writable && {
                    label: '操作',
                    cell: (k) => (
                      <form
                        method="post"
                        action={`/admin/supervision/inspectors/${id}/conflicts/${k.id}/delete`}
                        class="inline-form"
                      >
                        <Csrf token={token} />
                        <button type="submit">撤回</button>
                      </form>
                    ),
                  },
                ]}
              />
            ) : (
              <p class="muted">暂无回避申报。</p>
            )}
            {writable ? (
              <>
                <h3>新增回避申报</h3>
                <FormErrors errors={opts.conflictErrors ?? []} />
                <form
                  method="post"
                  action={`/admin/supervision/inspectors/${id}/conflicts`}
                  class="stack-form"
                >
                  <Csrf token={token} />
                  <label>
                    检查对象的统一社会信用代码
                    <input
                      name="uscc"
                      required
                      maxLength={30}
                      style="font-family:monospace"
                      value={fieldOf(req, 'uscc')}
                    />
                  </label>
                  <label>
                    回避理由
                    <input name="reason" required maxLength={500} value={fieldOf(req, 'reason')} />
                  </label>
                  <button type="submit">登记回避</button>
                </form>
              </>
            ) : null}
          </section>
          <p>
            <a href="/admin/supervision/inspectors">返回名录库</a>
          </p>
        </>
      ),
    });
  };

  app.get(
    '/admin/supervision/inspectors/:id',
    { schema: { hide: true }, preHandler: readers },
    async (req, reply) => {
      const id = idParam(req);
      if (id === null) throw notFound('该执法人员');
      return detailPage(req, reply, id);
    },
  );

  const back = (id: number, done: string) => `/admin/supervision/inspectors/${id}?done=${done}`;
  const post = { schema: { hide: true }, preHandler: [writers, csrf.preHandler] };
  app.post(
    '/admin/supervision/inspectors/:id',
    post,
    onRecord(db, {
      what: '该执法人员',
      invalid: InspectorInvalid,
      run: (tx, req, id) => updateInspector(tx, req.user!, id, inputFromForm(req)),
      redirectTo: (id) => back(id, 'updated'),
      again: (req, reply, id, e) =>
        detailPage(req, reply, id, { values: inputFromForm(req), errors: e.problems, status: 400 }),
    }),
  );
  app.post(
    '/admin/supervision/inspectors/:id/conflicts',
    post,
    onRecord(db, {
      what: '该执法人员',
      invalid: InspectorInvalid,
      run: (tx, req, id) =>
        addConflict(tx, req.user!, id, { uscc: fieldOf(req, 'uscc'), reason: fieldOf(req, 'reason') }),
      redirectTo: (id) => back(id, 'conflict'),
      again: (req, reply, id, e) => detailPage(req, reply, id, { conflictErrors: e.problems, status: 400 }),
    }),
  );

  app.post('/admin/supervision/inspectors/:id/conflicts/:conflictId/delete', post, async (req, reply) => {
    const id = idParam(req);
    const conflictId = idParam(req, 'conflictId');
    if (id === null || conflictId === null) throw notFound('该回避申报');
    await db()
      .transaction()
      .execute((tx) => removeConflict(tx, req.user!, id, conflictId));
    return reply.redirect(back(id, 'conflict-removed'), 303);
  });
};
