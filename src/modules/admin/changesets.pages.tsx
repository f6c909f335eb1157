import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, forbidden, notFound } from '../../http/errors.ts';
import { parseId } from '../../http/params.ts';
import { todayInChina } from '../../lib/china-time.ts';
import type { SessionUser } from '../auth/index.ts';
import { requireRole } from '../auth/index.ts';
import {
  ChangeSetInput,
  type ChangeStatus,
  createChangeSet,
  removeChange,
  STATUS_NAMES,
  STATUSES,
  TRANSITIONS,
  type Transition,
  transitionChangeSet,
} from '../changes/index.ts';
import { type FormValues, formOf, one } from './admin.forms.ts';
import {
  AUTHORS,
  allowedTransitions,
  canEditChangeSet,
  canSeeChangeSet,
  mayTransition,
  READ_CHANGES,
  TRANSITION_NAMES,
  TRANSITION_ROLES,
} from './admin.policy.ts';
import { doneNotice, formatTime, type PresentedItem, presentItem } from './admin.presenters.ts';
import {
  type ChangeSetRow,
  findChangeSet,
  listChangeItems,
  listChangeSets,
  loadLookups,
  visibleFilter,
} from './admin.queries.ts';
import { attempt, CsrfField, errorNotice, StatusBadge, sendStaffPage } from './admin.views.tsx';

/** 清单调整: the list of change sets, a new set, one set with its items and workflow actions. */
export const changeSetPages: FastifyPluginAsync = async (app) => {
  const db = () => app.database.db;
  const csrf = app.staffCsrf;

  app.get(
    '/admin/changes',
    { schema: { hide: true }, preHandler: requireRole(...READ_CHANGES) },
    async (req, reply) => {
      const user = req.user!;
      const q = (req.query ?? {}) as Record<string, unknown>;
      const status = STATUSES.find((s) => s === q.status);
      const sets = await listChangeSets(db(), { ...visibleFilter(user), status });
      return sendStaffPage(
        req,
        reply,
        '清单调整',
        <ChangeSetList user={user} sets={sets} status={status ?? null} />,
        { notice: doneNotice(req.query) },
      );
    },
  );

  const newSetForm = (req: FastifyRequest, reply: FastifyReply, form: FormValues, error: AppError | null) =>
    sendStaffPage(
      req,
      reply,
      '新建调整单',
      <>
        <p class="crumbs-staff">
          <a href="/admin/changes">清单调整</a> › 新建调整单
        </p>
        <h1>新建调整单</h1>
        <p>
          一份调整单汇集同一调整依据下的若干修改，提交后由审核人审核，发布后形成清单的新版本。创建后可在“可调整的记录”中逐条加入修改。
        </p>
        <form method="post" action="/admin/changes" class="stack-form">
          <CsrfField token={csrf.token(req, reply)} />
          <SetFields form={form} />
          <button type="submit">创建调整单</button>
        </form>
      </>,
      { notice: error ? errorNotice(error) : null, status: error ? error.status : 200 },
    );

  app.get(
    '/admin/changes/new',
    { schema: { hide: true }, preHandler: requireRole(...AUTHORS) },
    async (req, reply) => newSetForm(req, reply, {}, null),
  );

  app.post(
    '/admin/changes',
    { schema: { hide: true }, preHandler: [requireRole(...AUTHORS), csrf.preHandler] },
    async (req, reply) => {
      const form = formOf(req.body);
      const parsed = ChangeSetInput.safeParse({ title: one(form, 'title'), reason: one(form, 'reason') });
      if (!parsed.success) {
        const message = parsed.error.issues.map((i) => i.message).join('；');
        return newSetForm(req, reply, form, new AppError(400, 'invalid_change_set', message));
      }
      const r = await attempt(() =>
        app.database.db.transaction().execute((tx) => createChangeSet(tx, req.user!, parsed.data)),
      );
      if (!r.ok) return newSetForm(req, reply, form, r.error);
      return reply.redirect(`/admin/changes/${r.value}?done=created`, 303);
    },
  );

  /** The set page; after a refused action it shows the error and keeps what was typed. */
  const detail = async (
    req: FastifyRequest,
    reply: FastifyReply,
    set: ChangeSetRow,
    kept: { action: string; form: FormValues; error: AppError } | null,
  ) => {
    const user = req.user!;
    const [items, lookups] = await Promise.all([listChangeItems(db(), set.id), loadLookups(db())]);
    return sendStaffPage(
      req,
      reply,
      `调整单 ${set.id}`,
      <ChangeSetPage
        user={user}
        set={set}
        items={items.map((i) => presentItem(i, lookups))}
        csrfToken={csrf.token(req, reply)}
        kept={kept}
      />,
      { notice: kept ? errorNotice(kept.error) : doneNotice(req.query), status: kept?.error.status ?? 200 },
    );
  };

  /** Validate the id, load the set and check the user may see it: 404 / 403 before any work. */
  const visibleSet = async (req: FastifyRequest): Promise<ChangeSetRow> => {
    const id = parseId((req.params as { id?: string }).id);
    const set = id === null ? null : await findChangeSet(db(), id);
    if (!set) throw notFound('这份调整单');
    if (!canSeeChangeSet(req.user!, set)) throw forbidden('只能查看自己提出的调整单');
    return set;
  };

  app.get(
    '/admin/changes/:id',
    { schema: { hide: true }, preHandler: requireRole(...READ_CHANGES) },
    async (req, reply) => detail(req, reply, await visibleSet(req), null),
  );

  for (const action of Object.keys(TRANSITIONS) as Transition[]) {
    app.post(
      `/admin/changes/:id/${action}`,
      { schema: { hide: true }, preHandler: [requireRole(...TRANSITION_ROLES[action]), csrf.preHandler] },
      async (req, reply) => {
        const set = await visibleSet(req);
        if (!mayTransition(req.user!, set, action))
          throw forbidden(
            action === 'submit' || action === 'withdraw'
              ? '只有提出人可以提交或撤回调整单'
              : set.authorId === req.user!.id
                ? '不能审核自己提出的调整单'
                : '只有审核人可以审核和发布',
          );
        const form = formOf(req.body);
        const input = {
          comment: action === 'approve' || action === 'return' ? one(form, 'comment') : undefined,
          effectiveDate: action === 'publish' ? one(form, 'effectiveDate').trim() || undefined : undefined,
        };
        const r = await attempt(() =>
          app.database.db
            .transaction()
            .execute((tx) => transitionChangeSet(tx, req.user!, set.id, action, input)),
        );
        if (!r.ok) return detail(req, reply, set, { action, form, error: r.error });
        return reply.redirect(`/admin/changes/${set.id}?done=${action}`, 303);
      },
    );
  }

  app.post(
    '/admin/changes/:id/items/:itemId/delete',
    { schema: { hide: true }, preHandler: [requireRole(...AUTHORS), csrf.preHandler] },
    async (req, reply) => {
      const set = await visibleSet(req);
      const itemId = parseId((req.params as { itemId?: string }).itemId);
      if (itemId === null) throw notFound('这项修改');
      if (set.authorId !== req.user!.id && req.user!.role !== 'admin')
        throw forbidden('只能修改自己提出的调整单');
      const r = await attempt(() =>
        app.database.db.transaction().execute((tx) => removeChange(tx, req.user!, set.id, itemId)),
      );
      if (!r.ok) return detail(req, reply, set, { action: 'remove', form: {}, error: r.error });
      return reply.redirect(`/admin/changes/${set.id}?done=removed`, 303);
    },
  );
};

/** The title and 调整依据 fields of a new change set (also on the one-step change form). */
export function SetFields({ form }: { form: FormValues }) {
  return (
    <>
      <label>
        调整单标题
        <input
          type="text"
          name="title"
          required
          maxLength={200}
          value={one(form, 'title')}
          placeholder="例如：调整外事工作职责表述"
        />
      </label>
      <label>
        调整依据（文件名称和文号、会议纪要等）
        <textarea name="reason" required rows={3} maxLength={2000}>
          {one(form, 'reason')}
        </textarea>
      </label>
    </>
  );
}

const STATUS_ORDER: ChangeStatus[] = ['draft', 'submitted', 'returned', 'approved', 'published', 'withdrawn'];

function ChangeSetList({
  user,
  sets,
  status,
}: {
  user: SessionUser;
  sets: ChangeSetRow[];
  status: ChangeStatus | null;
}) {
  return (
    <>
      <h1>清单调整</h1>
      <p class="muted">
        {user.role === 'editor' ? '您提出的调整单。' : '全部调整单。'}
        调整单经审核通过并发布后，公众门户才显示调整后的清单。
      </p>
      <div class="toolbar">
        <form method="get" action="/admin/changes" class="inline-form filter-form">
          <label>
            状态{' '}
            <select name="status">
              <option value="">全部</option>
              {STATUS_ORDER.map((s) => (
                <option value={s} selected={s === status}>
                  {STATUS_NAMES[s]}
                </option>
              ))}
            </select>
          </label>{' '}
          <button type="submit" class="secondary">
            筛选
          </button>
        </form>
        {AUTHORS.includes(user.role) ? (
          <p class="actions-row">
            <a class="button" href="/admin/changes/new">
              新建调整单
            </a>{' '}
            <a class="button secondary" href="/admin/records">
              可调整的记录
            </a>
          </p>
        ) : null}
      </div>
      <ChangeSetTable
        sets={sets}
        empty={status ? `没有“${STATUS_NAMES[status]}”状态的调整单。` : '还没有调整单。'}
      />
    </>
  );
}

export function ChangeSetTable({ sets, empty }: { sets: ChangeSetRow[]; empty: string }) {
  if (sets.length === 0) return <p class="empty">{empty}</p>;
  return (
    <table class="stack change-sets">
      <thead>
        <tr>
          <th scope="col">编号</th>
          <th scope="col">标题</th>
          <th scope="col">状态</th>
          <th scope="col">提出人</th>
          <th scope="col">修改项</th>
          <th scope="col">更新时间</th>
          <th scope="col">生效日期</th>
        </tr>
      </thead>
      <tbody>
        {sets.map((s) => (
          <tr>
            <td data-label="编号">{s.id}</td>
            <th scope="row">
              <a href={`/admin/changes/${s.id}`}>{s.title}</a>
            </th>
            <td data-label="状态">
              <StatusBadge status={s.status} />
            </td>
            <td data-label="提出人">{s.author}</td>
            <td data-label="修改项">{s.itemCount}</td>
            <td data-label="更新时间">{formatTime(s.updatedAt)}</td>
            <td data-label="生效日期">{s.effectiveDate ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Today in Beijing, YYYY-MM-DD (the default effective date). */
const todayInBeijing = () => todayInChina();

function MultiLine({ text }: { text: string }) {
  const lines = text.split('\n');
  return (
    <>
      {lines.map((l, i) => (
        <>
          {i > 0 ? <br /> : null}
          {l}
        </>
      ))}
    </>
  );
}

function ItemTable({ item }: { item: PresentedItem }) {
  if (item.op === 'create') {
    return (
      <table class="diff-table">
        <thead>
          <tr>
            <th scope="col">字段</th>
            <th scope="col">新增内容</th>
          </tr>
        </thead>
        <tbody>
          {item.rows.map((r) => (
            <tr>
              <th scope="row">{r.label}</th>
              <td class="after">
                {r.after ? <MultiLine text={r.after} /> : <span class="muted">（空）</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  if (item.op === 'retire') {
    return (
      <table class="diff-table">
        <thead>
          <tr>
            <th scope="col">字段</th>
            <th scope="col">停用的记录（发布后从清单中移除）</th>
          </tr>
        </thead>
        <tbody>
          {item.rows.map((r) => (
            <tr>
              <th scope="row">{r.label}</th>
              <td class="before">
                {r.before ? <MultiLine text={r.before} /> : <span class="muted">（空）</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  return (
    <table class="diff-table stack">
      <thead>
        <tr>
          <th scope="col">字段</th>
          <th scope="col">修改前</th>
          <th scope="col">修改后</th>
        </tr>
      </thead>
      <tbody>
        {item.rows.map((r) => (
          <tr class={r.changed ? 'changed' : 'same'}>
            <th scope="row">
              {r.label}
              {r.changed ? <span class="changed-mark">（已修改）</span> : null}
            </th>
            <td class="before" data-label="修改前">
              {r.before ? <MultiLine text={r.before} /> : <span class="muted">（空）</span>}
            </td>
            <td class="after" data-label="修改后">
              {r.changed ? (
                r.after ? (
                  <MultiLine text={r.after} />
                ) : (
                  <span class="muted">（空）</span>
                )
              ) : (
                <span class="muted">不变</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ChangeSetPage({
  user,
  set,
  items,
  csrfToken,
  kept,
}: {
  user: SessionUser;
  set: ChangeSetRow;
  items: PresentedItem[];
  csrfToken: string;
  kept: { action: string; form: FormValues; error: AppError } | null;
}) {
  const editable = canEditChangeSet(user, set);
  const actions = allowedTransitions(user, set);
  const keptValue = (action: string, name: string, fallback = '') =>
    kept && kept.action === action ? one(kept.form, name) : fallback;
  return (
    <>
      <p class="crumbs-staff">
        <a href="/admin/changes">清单调整</a> › 调整单 {set.id}
      </p>
      <h1>
        调整单 {set.id}：{set.title}
      </h1>
      <p class="meta set-meta">
        <StatusBadge status={set.status} />
        <span>提出人：{set.author}</span>
        <span>创建：{formatTime(set.createdAt)}</span>
        <span>更新：{formatTime(set.updatedAt)}</span>
        {set.reviewer ? <span>审核人：{set.reviewer}</span> : null}
        {set.effectiveDate ? <span>生效日期：{set.effectiveDate}</span> : null}
      </p>
      {set.status === 'returned' && set.reviewComment ? (
        <div class="review-comment returned" role="note">
          <strong>退回意见（{set.reviewer ?? '审核人'}）：</strong>
          <MultiLine text={set.reviewComment} />
          <p class="meta">请根据意见修改后重新提交审核。</p>
        </div>
      ) : set.reviewComment ? (
        <div class="review-comment" role="note">
          <strong>审核意见（{set.reviewer ?? '审核人'}）：</strong>
          <MultiLine text={set.reviewComment} />
        </div>
      ) : null}
      <section class="panel">
        <h2>调整依据</h2>
        <p class="reason">
          <MultiLine text={set.reason} />
        </p>
        {set.versionNumber ? (
          <p>
            已发布为第 {set.versionNumber} 版。
            <a href={`/changes/diff?from=${set.versionNumber - 1}&to=${set.versionNumber}`}>
              查看公开的调整记录
            </a>
          </p>
        ) : null}
      </section>

      <section>
        <h2>修改项（{items.length}）</h2>
        {items.length === 0 ? (
          <p class="empty">
            调整单中还没有修改。
            {editable ? (
              <a href={`/admin/records?set=${set.id}`}>从“可调整的记录”中选择要修改的记录</a>
            ) : null}
          </p>
        ) : (
          <ol class="change-items">
            {items.map((item) => (
              <li id={`item-${item.id}`}>
                <h3>
                  <span class={`op op-${item.op}`}>{item.heading}</span>
                  {item.target ? <span class="target">{item.target}</span> : null}
                </h3>
                <ItemTable item={item} />
                {editable ? (
                  <form
                    method="post"
                    action={`/admin/changes/${set.id}/items/${item.id}/delete`}
                    class="inline-form"
                  >
                    <CsrfField token={csrfToken} />
                    <button type="submit" class="secondary danger">
                      删除此项修改
                    </button>
                  </form>
                ) : null}
              </li>
            ))}
          </ol>
        )}
        {editable ? (
          <p>
            <a class="button secondary" href={`/admin/records?set=${set.id}`}>
              添加修改
            </a>
          </p>
        ) : null}
      </section>

      {actions.length > 0 ? (
        <section class="workflow">
          <h2>办理</h2>
          <div class="action-forms">
            {actions.includes('submit') ? (
              <form method="post" action={`/admin/changes/${set.id}/submit`} class="action-form">
                <CsrfField token={csrfToken} />
                <p>提交后由审核人审核；审核期间不能再修改，可以撤回。</p>
                <button type="submit">{TRANSITION_NAMES.submit}</button>
              </form>
            ) : null}
            {actions.includes('approve') ? (
              <form method="post" action={`/admin/changes/${set.id}/approve`} class="action-form stack-form">
                <CsrfField token={csrfToken} />
                <label>
                  审核意见（可选）
                  <textarea name="comment" rows={2} maxLength={2000}>
                    {keptValue('approve', 'comment')}
                  </textarea>
                </label>
                <button type="submit">{TRANSITION_NAMES.approve}</button>
              </form>
            ) : null}
            {actions.includes('return') ? (
              <form method="post" action={`/admin/changes/${set.id}/return`} class="action-form stack-form">
                <CsrfField token={csrfToken} />
                <label>
                  退回意见（必填）
                  <textarea name="comment" rows={2} maxLength={2000} required>
                    {keptValue('return', 'comment')}
                  </textarea>
                </label>
                <button type="submit" class="secondary">
                  {TRANSITION_NAMES.return}
                </button>
              </form>
            ) : null}
            {actions.includes('publish') ? (
              <form method="post" action={`/admin/changes/${set.id}/publish`} class="action-form stack-form">
                <CsrfField token={csrfToken} />
                <label>
                  生效日期
                  <input
                    type="date"
                    name="effectiveDate"
                    required
                    value={keptValue('publish', 'effectiveDate', todayInBeijing())}
                  />
                </label>
                <p class="meta">发布后，调整立即写入清单，公众门户和开放接口显示新版本。</p>
                <button type="submit">{TRANSITION_NAMES.publish}</button>
              </form>
            ) : null}
            {actions.includes('withdraw') ? (
              <form method="post" action={`/admin/changes/${set.id}/withdraw`} class="action-form">
                <CsrfField token={csrfToken} />
                <p>撤回后调整单作废，不会发布。</p>
                <button type="submit" class="secondary danger">
                  {TRANSITION_NAMES.withdraw}
                </button>
              </form>
            ) : null}
          </div>
        </section>
      ) : null}
    </>
  );
}
