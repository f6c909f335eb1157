import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, notFound } from '../../../http/errors.ts';
import { attempt, confirmationOf, queryOf } from '../../../http/forms.ts';
import { parseId } from '../../../http/params.ts';
import { todayInChina } from '../../../lib/china-time.ts';
import { ConfirmFields } from '../../../views/staff/confirm.tsx';
import { Csrf, csrfToken, doneNotice, sendStaffPage } from '../../../views/staff/page.tsx';
import type { SessionUser } from '../../auth/index.ts';
import { loadChangeChoices } from '../../registry/index.ts';
import { type FormValues, formValues, one } from '../changeset.forms.ts';
import { CHANGE_NOTICES, formatTime, type PresentedItem, presentItem } from '../changeset.presenter.ts';
import {
  type ChangeSetReviewRow,
  type ChangeSetRow,
  findChangeSet,
  listChangeItems,
  listChangeSets,
  listReviews,
  visibleFilter,
} from '../changeset.repo.ts';
import { type ChangeStatus, STATUS_NAMES, STATUSES } from '../changeset.schema.ts';
import {
  adapterOf,
  type ChangeKinds,
  createChangeSet,
  editChangeSet,
  removeChange,
  transitionChangeSet,
} from '../changeset.service.ts';
import {
  allowedTransitions,
  assertTransition,
  canEditChangeSet,
  changeSetAbilities,
  ROUTED_TRANSITIONS,
  TRANSITIONS,
  type Transition,
} from '../changeset.workflow.ts';
import { parseReviewChain, type ReviewChain } from '../review-chain.ts';
import { ChangeSetTable, ItemTable, MultiLine, SetFields, StatusBadge } from './changeset.views.tsx';

/** What a refused action leaves on the page: which form, what was typed, why. */
type Kept = { action: string; form: FormValues; error: AppError } | null;

/** Transitions that cannot be undone ask for a ticked box (and the server checks it). */
const CONFIRMED: Partial<Record<Transition, string>> = {
  publish:
    '发布后调整于生效日期（北京时间）写入清单：生效日期为今天则立即生效，公众门户、检索和开放接口显示新版本；生效日期在今后的，到期自动生效，此前仍显示原内容。已发布的版本不能撤销。',
  withdraw: '撤回后调整单作废，不会发布，也不能再提交。',
};

/** 清单调整: the list of change sets, a new set, one set with its items and workflow actions. */
export function changeSetPages(kinds: ChangeKinds): FastifyPluginAsync {
  return async (app) => {
    const db = () => app.database.db;
    const csrf = app.staffCsrf;
    // The deployment's review chain (CHANGE_REVIEW_CHAIN), read once: a bad setting stops the start.
    const chain = parseReviewChain(app.config.reviewChain);
    const today = () => todayInChina(app.now().getTime());
    const errorNotice = (e: AppError) => ({ kind: 'error' as const, text: e.message });

    app.get(
      '/admin/changes',
      { schema: { hide: true }, preHandler: changeSetAbilities.guard('read') },
      async (req, reply) => {
        const user = req.user!;
        const status = STATUSES.find((s) => s === queryOf(req, 'status'));
        const sets = await listChangeSets(db(), { ...visibleFilter(user), status });
        return sendStaffPage(req, reply, {
          title: '清单调整',
          children: <ChangeSetList user={user} sets={sets} status={status ?? null} />,
          notice: doneNotice(req, CHANGE_NOTICES),
        });
      },
    );

    /** The form of the set's title and 调整依据: new (set null) or editing a returned/draft set. */
    const setForm = (
      req: FastifyRequest,
      reply: FastifyReply,
      set: ChangeSetRow | null,
      form: FormValues,
      error: AppError | null,
    ) => {
      const title = set ? `修改调整单 ${set.id}` : '新建调整单';
      return sendStaffPage(req, reply, {
        title,
        notice: error ? errorNotice(error) : null,
        status: error ? error.status : 200,
        children: (
          <>
            <p class="crumbs-staff">
              <a href="/admin/changes">清单调整</a> ›{' '}
              {set ? (
                <>
                  <a href={`/admin/changes/${set.id}`}>调整单 {set.id}</a> › 修改标题和调整依据
                </>
              ) : (
                '新建调整单'
              )}
            </p>
            <h1>{title}</h1>
            <p>
              {set
                ? '修改后可继续增删修改项，再重新提交审核；修改会记入审计日志。'
                : '一份调整单汇集同一调整依据下的若干修改，提交后由审核人审核，发布后形成清单的新版本。创建后可在“可调整的记录”中逐条加入修改。'}
            </p>
            <form
              method="post"
              action={set ? `/admin/changes/${set.id}/edit` : '/admin/changes'}
              class="stack-form"
            >
              <Csrf token={csrfToken(req, reply)} />
              <SetFields form={form} />
              <button type="submit">{set ? '保存修改' : '创建调整单'}</button>
            </form>
          </>
        ),
      });
    };

    app.get(
      '/admin/changes/new',
      { schema: { hide: true }, preHandler: changeSetAbilities.guard('create') },
      async (req, reply) => setForm(req, reply, null, {}, null),
    );

    app.post(
      '/admin/changes',
      { schema: { hide: true }, preHandler: [changeSetAbilities.guard('create'), csrf.preHandler] },
      async (req, reply) => {
        const form = formValues(req, ['title', 'reason']);
        const r = await attempt(() =>
          app.database.db
            .transaction()
            .execute((tx) =>
              createChangeSet(tx, req.user!, { title: one(form, 'title'), reason: one(form, 'reason') }),
            ),
        );
        if (!r.ok) return setForm(req, reply, null, form, r.error);
        return reply.redirect(`/admin/changes/${r.value}?done=created`, 303);
      },
    );

    /** The set page; after a refused action it shows the error and keeps what was typed. */
    const detail = async (req: FastifyRequest, reply: FastifyReply, set: ChangeSetRow, kept: Kept) => {
      const [items, choices, reviews] = await Promise.all([
        listChangeItems(db(), set.id),
        loadChangeChoices(db()),
        listReviews(db(), set.id),
      ]);
      return sendStaffPage(req, reply, {
        title: `调整单 ${set.id}`,
        children: (
          <ChangeSetPage
            user={req.user!}
            set={set}
            items={items.map((i) => presentItem(i, adapterOf(kinds, i.entity), choices))}
            csrfToken={csrfToken(req, reply)}
            kept={kept}
            today={today()}
            reviews={reviews}
            chain={set.status === 'draft' ? chain : set.reviewChain}
          />
        ),
        notice: kept ? errorNotice(kept.error) : doneNotice(req, CHANGE_NOTICES),
        status: kept?.error.status ?? 200,
      });
    };

    /** Validate the id, load the set and check the user may see it: 404 / 403 before any work. */
    const visibleSet = async (req: FastifyRequest): Promise<ChangeSetRow> => {
      const id = parseId((req.params as { id?: string }).id);
      const set = id === null ? null : await findChangeSet(db(), id);
      if (!set) throw notFound('这份调整单');
      changeSetAbilities.assert('read', req.user!, set);
      return set;
    };

    app.get(
      '/admin/changes/:id',
      { schema: { hide: true }, preHandler: changeSetAbilities.guard('read') },
      async (req, reply) => detail(req, reply, await visibleSet(req), null),
    );

    /** A set the user may edit now (author or admin, draft or returned): 403 / 409 otherwise. */
    const editableSet = async (req: FastifyRequest) => {
      const set = await visibleSet(req);
      changeSetAbilities.assert('edit', req.user!, set);
      if (!canEditChangeSet(req.user!, set))
        throw new AppError(409, 'not_editable', '调整单已提交，不能再修改；请先撤回或等待退回');
      return set;
    };

    app.get(
      '/admin/changes/:id/edit',
      { schema: { hide: true }, preHandler: changeSetAbilities.guard('edit') },
      async (req, reply) => {
        const set = await editableSet(req);
        return setForm(req, reply, set, { title: set.title, reason: set.reason }, null);
      },
    );

    app.post(
      '/admin/changes/:id/edit',
      { schema: { hide: true }, preHandler: [changeSetAbilities.guard('edit'), csrf.preHandler] },
      async (req, reply) => {
        const set = await editableSet(req);
        const form = formValues(req, ['title', 'reason']);
        const r = await attempt(() =>
          app.database.db.transaction().execute((tx) => editChangeSet(tx, req.user!, set.id, form)),
        );
        if (!r.ok) return setForm(req, reply, set, form, r.error);
        return reply.redirect(`/admin/changes/${set.id}?done=edited`, 303);
      },
    );

    for (const action of ROUTED_TRANSITIONS) {
      app.post(
        `/admin/changes/:id/${action}`,
        { schema: { hide: true }, preHandler: [changeSetAbilities.guard(action), csrf.preHandler] },
        async (req, reply) => {
          const set = await visibleSet(req);
          assertTransition(action, req.user!, set);
          const form = formValues(req, ['comment', 'effectiveDate']);
          const input = {
            comment: action === 'approve' || action === 'return' ? one(form, 'comment') : undefined,
            effectiveDate: action === 'publish' ? one(form, 'effectiveDate').trim() || undefined : undefined,
          };
          const r = await attempt(async () => {
            if (CONFIRMED[action]) confirmationOf(req, { reasonRequired: false });
            return app.database.db
              .transaction()
              .execute((tx) =>
                transitionChangeSet(tx, req.user!, set.id, action, input, kinds, { now: app.now(), chain }),
              );
          });
          if (!r.ok) return detail(req, reply, set, { action, form, error: r.error });
          const done = r.value.status === 'scheduled' ? 'schedule' : action;
          return reply.redirect(`/admin/changes/${set.id}?done=${done}`, 303);
        },
      );
    }

    app.post(
      '/admin/changes/:id/items/:itemId/delete',
      { schema: { hide: true }, preHandler: [changeSetAbilities.guard('edit'), csrf.preHandler] },
      async (req, reply) => {
        const set = await visibleSet(req);
        const itemId = parseId((req.params as { itemId?: string }).itemId);
        if (itemId === null) throw notFound('这项修改');
        changeSetAbilities.assert('edit', req.user!, set);
        const r = await attempt(() =>
          app.database.db.transaction().execute((tx) => removeChange(tx, req.user!, set.id, itemId)),
        );
        if (!r.ok) return detail(req, reply, set, { action: 'remove', form: {}, error: r.error });
        return reply.redirect(`/admin/changes/${set.id}?done=removed`, 303);
      },
    );
  };
}

const STATUS_ORDER: ChangeStatus[] = [
  'draft',
  'submitted',
  'returned',
  'approved',
  'scheduled',
  'published',
  'withdrawn',
];

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
        {changeSetAbilities.canRole('create', user) ? (
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

function ChangeSetPage({
  user,
  set,
  items,
  csrfToken,
  kept,
  today,
  reviews,
  chain,
}: {
  user: SessionUser;
  set: ChangeSetRow;
  items: PresentedItem[];
  csrfToken: string;
  kept: Kept;
  today: string;
  reviews: ChangeSetReviewRow[];
  chain: ReviewChain;
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
      {set.status === 'scheduled' ? (
        <p class="notice" role="note">
          已发布，将于 {set.effectiveDate}{' '}
          生效（北京时间）。此前公众门户、检索和开放接口仍显示调整前的内容；生效前如需停止，可退回。
        </p>
      ) : null}
      <ReviewChainPanel set={set} chain={chain} reviews={reviews} />
      {set.status === 'returned' && set.reviewComment ? (
        <div class="review-comment returned" role="note">
          <strong>退回意见（{set.reviewer ?? '审核人'}）：</strong>
          <MultiLine text={set.reviewComment} />
          <p class="meta">请根据意见修改标题、调整依据或修改项后重新提交审核。</p>
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
        {editable ? (
          <p>
            <a class="button secondary" href={`/admin/changes/${set.id}/edit`}>
              修改标题和调整依据
            </a>
          </p>
        ) : null}
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
                  <div class="actions-row">
                    {item.op === 'retire' ? null : (
                      <a class="button secondary" href={`/admin/changes/${set.id}/items/${item.id}/edit`}>
                        修改此项
                      </a>
                    )}{' '}
                    <form
                      method="post"
                      action={`/admin/changes/${set.id}/items/${item.id}/delete`}
                      class="inline-form"
                    >
                      <Csrf token={csrfToken} />
                      <button type="submit" class="secondary danger">
                        删除此项修改
                      </button>
                    </form>
                  </div>
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
            {actions.map((action) => (
              <form
                method="post"
                action={`/admin/changes/${set.id}/${action}`}
                class="action-form stack-form"
              >
                <Csrf token={csrfToken} />
                <ActionFields action={action} keptValue={keptValue} today={today} />
                {CONFIRMED[action] ? (
                  <ConfirmFields consequence={CONFIRMED[action]!} idPrefix={action} />
                ) : null}
                <button
                  type="submit"
                  class={
                    action === 'withdraw' ? 'secondary danger' : action === 'return' ? 'secondary' : undefined
                  }
                >
                  {buttonName(action, set, chain)}
                </button>
              </form>
            ))}
          </div>
        </section>
      ) : null}
    </>
  );
}

/** A button's name: the table's, or in a configured chain the step it takes (编办审核通过, 审批发布). */
function buttonName(action: Transition, set: ChangeSetRow, chain: ReviewChain): string {
  if (chain.name === 'default') return TRANSITIONS[action].name;
  const step = chain.steps[set.status === 'submitted' ? set.reviewStep : chain.steps.length - 1];
  if (!step) return TRANSITIONS[action].name;
  if (action === 'approve') return `${step.name}通过`;
  if (action === 'publish') return step.name;
  if (action === 'return') return `退回（${step.name}）`;
  return TRANSITIONS[action].name;
}

/** The fields of one workflow action's form, above its button. */
function ActionFields({
  action,
  keptValue,
  today,
}: {
  action: Transition;
  keptValue: (action: string, name: string, fallback?: string) => string;
  today: string;
}) {
  switch (action) {
    case 'submit':
      return <p>提交后由审核人审核；审核期间不能再修改，可以撤回。</p>;
    case 'approve':
    case 'return':
      return (
        <label>
          {action === 'return' ? '退回意见（必填）' : '审核意见（可选）'}
          <textarea name="comment" rows={2} maxLength={2000} required={action === 'return'}>
            {keptValue(action, 'comment')}
          </textarea>
        </label>
      );
    case 'publish':
      return (
        <label>
          生效日期
          <input
            type="date"
            name="effectiveDate"
            required
            value={keptValue('publish', 'effectiveDate', today)}
          />
          <span class="hint">生效日期在今后的，发布后到期自动生效，此前清单不变。</span>
        </label>
      );
    case 'withdraw':
    case 'schedule':
    case 'takeEffect':
      return null;
  }
}

/** The steps of the set's review chain: who took each in this round, and which one it waits for. */
function ReviewChainPanel({
  set,
  chain,
  reviews,
}: {
  set: ChangeSetRow;
  chain: ReviewChain;
  reviews: ChangeSetReviewRow[];
}) {
  const round = reviews.filter((r) => r.round === set.reviewRound && set.reviewRound > 0);
  const waiting =
    set.status === 'submitted' ? set.reviewStep : set.status === 'approved' ? chain.steps.length - 1 : -1;
  const returns = reviews.filter((r) => r.action === 'return');
  return (
    <section class="panel review-chain">
      <h2>审核流程</h2>
      <ol class="chain-steps">
        <li>
          提出：{set.author}
          {chain.distinctPersons ? <span class="meta">（各环节须由不同人员办理）</span> : null}
        </li>
        {chain.steps.map((step, i) => {
          const done = round.find((r) => r.step === i && r.action !== 'return');
          return (
            <li class={i === waiting ? 'current' : undefined}>
              {step.name}
              {done ? `：${done.userName}（${formatTime(done.at)}）` : i === waiting ? '：待办理' : ''}
            </li>
          );
        })}
      </ol>
      {returns.length > 0 ? (
        <ul class="meta chain-returns">
          {returns.map((r) => (
            <li>
              第 {r.round} 轮在“{r.stepName}”环节由 {r.userName} 退回：{r.comment}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
