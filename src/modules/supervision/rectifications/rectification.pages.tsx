import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Tx } from '../../../db/database.ts';
import { AppError } from '../../../http/errors.ts';
import { confirmationOf, queryOf } from '../../../http/forms.ts';
import { parseId } from '../../../http/params.ts';
import { ConfirmFields } from '../../../views/staff/confirm.tsx';
import { doneNotice } from '../../../views/staff/page.tsx';
import { StackTable } from '../../../views/table.tsx';
import type { SessionUser } from '../../auth/index.ts';
import { listResults } from '../inspections/inspection.repo.ts';
import { resultCategory } from '../inspections/result.categories.ts';
import { caseRules } from '../penalties/penalty.service.ts';
import { caseContextOf, type EnforcementOptions } from '../shared/enforcement.context.ts';
import {
  ActionForm,
  Area,
  DocumentList,
  errorNotice,
  Facts,
  Field,
  formOf,
  onAction,
  Select,
} from '../shared/enforcement.views.tsx';
import { reachOf } from '../shared/reach.ts';
import { csrfToken, sendStaffPage } from '../shared/staff.views.tsx';
import { orderAbilities } from './rectification.policy.ts';
import { presentDocumentRef } from './rectification.presenter.ts';
import { consentsInForce, listOrders } from './rectification.repo.ts';
import { TERM_UNIT_NAME, type TermUnit } from './rectification.rules.ts';
import { CONSENT_CHANNEL_NAME, DELIVERY_METHOD_NAME } from './rectification.schema.ts';
import {
  assignReinspector,
  createOrder,
  deliverOrder,
  escalateOrder,
  listOrdersFor,
  orderDraftOf,
  orderTarget,
  orderView,
  recordConsent,
  recordOutcome,
} from './rectification.service.ts';
import { orderStatusName } from './rectification.workflow.ts';

/**
 * The rectification pages of the back office (责令限期整改): the list with the results that still
 * need an order, the order form from a result, and one order's page — delivery (with the party's
 * consent to electronic delivery), the re-inspector, the outcome and the next steps after an unheeded
 * order, with the documents issued. A refusal shows the page again with the reason.
 */

export const orderUrl = (id: number) => `/admin/supervision/rectifications/${id}`;

const MESSAGES: Record<string, string> = {
  created: '整改通知已开具：登记送达时签发《责令限期整改通知书》，整改期限自送达之日起算。',
  delivered: '已登记送达，《责令限期整改通知书》已签发（文号见下方文书）。',
  consent: '已登记当事人的电子送达确认书。',
  reinspector: '已指派复查人员。',
  outcome: '复查结果已登记。',
  escalated: '后续处理已登记，相关文书已签发。',
};

const options = <K extends string>(names: Record<K, string>) =>
  (Object.entries(names) as [K, string][]).map(([value, label]) => ({ value, label }));

async function inspectorAccounts(req: FastifyRequest) {
  return req.server.database.db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('role', '=', 'inspector')
    .where('active', '=', 1)
    .orderBy('display_name')
    .execute();
}

export const rectificationPages: FastifyPluginAsync<EnforcementOptions> = async (app, opts) => {
  const csrf = app.staffCsrf;
  const db = () => app.database.db;
  const today = () => caseContextOf(opts).today;
  const hide = { schema: { hide: true } };

  app.get(
    '/admin/supervision/rectifications',
    { ...hide, preHandler: orderAbilities.guard('read') },
    async (req, reply) => {
      const user = req.user!;
      const orders = await listOrdersFor(db(), user);
      const ordered = new Set((await listOrders(db())).map((o) => o.inspection_id));
      const mayCreate = orderAbilities.canRole('create', user);
      const results = mayCreate
        ? (await listResults(db(), { statuses: ['pending', 'published'] })).filter(
            (r) => resultCategory(r.resultCode)?.problem && !ordered.has(r.id),
          )
        : [];
      return sendStaffPage(req, reply, {
        title: '责令限期整改',
        children: (
          <>
            <h1>责令限期整改</h1>
            <p>
              整改期限按各监管制度的规定计算，自《责令限期整改通知书》送达之日起算；期限届满后复查。{' '}
              <a href="/admin/deadlines">期限提醒</a>
            </p>
            {mayCreate && (
              <section aria-labelledby="todo-h">
                <h2 id="todo-h">发现问题、尚未责令整改的抽查结果（{results.length}）</h2>
                <StackTable
                  rows={results}
                  columns={[
                    { label: '检查对象', cell: (r) => r.name },
                    { label: '检查日期', cell: (r) => r.checkedOn ?? '—' },
                    { label: '检查结果', cell: (r) => resultCategory(r.resultCode)?.name ?? '—' },
                    {
                      label: '操作',
                      cell: (r) => (
                        <a href={`/admin/supervision/rectifications/new?inspection=${r.id}`}>开具整改通知</a>
                      ),
                    },
                  ]}
                />
              </section>
            )}
            <section aria-labelledby="orders-h">
              <h2 id="orders-h">整改通知（{orders.length}）</h2>
              <StackTable
                rows={orders}
                columns={[
                  { label: '检查对象', cell: (o) => <a href={orderUrl(o.id)}>{o.entityName}</a> },
                  { label: '负责科室', cell: (o) => o.officeName ?? '—' },
                  { label: '状态', cell: (o) => orderStatusName(o.status) },
                  { label: '整改期限', cell: (o) => o.deadline ?? '送达后起算' },
                  { label: '承办人', cell: (o) => o.handlerName },
                ]}
              />
            </section>
          </>
        ),
      });
    },
  );

  const renderNew = async (
    req: FastifyRequest,
    reply: FastifyReply,
    inspectionId: number,
    error?: AppError,
  ) => {
    const draft = await orderDraftOf(db(), inspectionId);
    const user = req.user!;
    orderAbilities.assert('create', user, {
      reach: await reachOf(db(), user),
      regime: draft.regime,
      handlerId: user.id,
      reinspectorId: null,
    });
    const [existing] = await listOrders(db(), { inspectionId });
    if (existing && !error) return reply.redirect(orderUrl(existing.id), 303);
    const form = error ? formOf(req) : {};
    const token = csrfToken(req, reply);
    const clause = draft.clause;
    return sendStaffPage(req, reply, {
      title: '开具责令限期整改通知',
      status: error?.status,
      notice: errorNotice(error),
      children: (
        <>
          <h1>开具责令限期整改通知</h1>
          <Facts
            rows={[
              ['检查对象', `${draft.ctx.task.name}（${draft.ctx.task.uscc}）`],
              ['监管制度', draft.regimeTitle],
              ['检查日期', draft.inspection.checked_on ?? '—'],
              ['检查结果', draft.category?.name ?? '—'],
              ['检查说明', draft.inspection.result_summary ?? '—'],
              clause && ['整改依据', `“${clause.quote}”（原文第${clause.line}行）`],
              clause && ['期限计算', clause.term.note],
            ]}
          />
          {clause ? (
            <ActionForm action="/admin/supervision/rectifications" token={token} submit="开具整改通知">
              <input type="hidden" name="inspectionId" value={String(inspectionId)} />
              <Area
                label="发现的问题"
                name="findings"
                value={form.findings ?? draft.inspection.result_summary ?? ''}
              />
              <Area label="整改要求" name="requirement" value={form.requirement} />
              <Field
                label={`整改期限（${TERM_UNIT_NAME[clause.term.unit]}，自送达之日起算）`}
                name="termAmount"
                type="number"
                value={form.termAmount ?? String(clause.term.amount)}
              />
              <Field label="开具日期" name="issuedOn" type="date" value={form.issuedOn ?? today()} />
            </ActionForm>
          ) : (
            <p class="notice notice-error">该监管制度原文未规定责令整改。</p>
          )}
        </>
      ),
    });
  };

  app.get(
    '/admin/supervision/rectifications/new',
    { ...hide, preHandler: orderAbilities.guard('create') },
    async (req, reply) => {
      const id = parseId(queryOf(req, 'inspection'));
      if (id === null) return reply.redirect('/admin/supervision/rectifications', 303);
      return renderNew(req, reply, id);
    },
  );

  app.post(
    '/admin/supervision/rectifications',
    { ...hide, preHandler: [orderAbilities.guard('create'), csrf.preHandler] },
    async (req, reply) => {
      const form = formOf(req);
      try {
        const id = await db()
          .transaction()
          .execute((tx) => createOrder(tx, req.user!, form, today()));
        return reply.redirect(`${orderUrl(id)}?done=created`, 303);
      } catch (e) {
        const inspectionId = parseId(form.inspectionId ?? '');
        if (inspectionId && e instanceof AppError && (e.status === 400 || e.status === 409)) {
          return renderNew(req, reply, inspectionId, e);
        }
        throw e;
      }
    },
  );

  const renderOrder = async (req: FastifyRequest, reply: FastifyReply, id: number, error?: AppError) => {
    const user: SessionUser = req.user!;
    const v = await orderView(db(), user, id);
    const o = v.order;
    const target = await orderTarget(db(), user, o);
    const token = csrfToken(req, reply);
    const manage = orderAbilities.can('manage', user, target);
    const outcome = orderAbilities.can('outcome', user, target);
    const form = error ? formOf(req) : {};
    const consents = await consentsInForce(db(), o.entity_id, today());
    const inspectors = manage ? await inspectorAccounts(req) : [];
    const url = (a: string) => `${orderUrl(id)}/${a}`;
    return sendStaffPage(req, reply, {
      title: `整改通知 · ${o.entityName}`,
      status: error?.status,
      notice: errorNotice(error) ?? doneNotice(req, MESSAGES),
      children: (
        <>
          <p class="meta">
            <a href="/admin/supervision/rectifications">← 返回整改通知列表</a>
          </p>
          <h1>责令限期整改：{o.entityName}</h1>
          <Facts
            rows={[
              ['状态', <strong>{orderStatusName(o.status)}</strong>],
              ['统一社会信用代码', o.uscc],
              ['负责科室', o.officeName ?? '—'],
              ['承办人', o.handlerName],
              ['抽查任务', <a href={`/admin/supervision/tasks/${o.taskId}`}>查看现场检查笔录</a>],
              ['发现的问题', o.findings],
              ['整改要求', o.requirement],
              ['整改期限', `${o.term_amount}${TERM_UNIT_NAME[o.term_unit as TermUnit]}，自送达之日起算`],
              v.clause && ['依据', `“${v.clause.quote}”（原文第${v.clause.line}行）；${v.clause.term.note}`],
              ['开具日期', o.issued_on],
              o.delivered_on && [
                '送达',
                `${o.delivered_on}，${v.methodName ?? ''}（凭证：${o.delivery_proof}）`,
              ],
              ['整改期限届满', v.deadline.date ?? v.deadline.error ?? '送达后计算'],
              v.reinspectionDue && [
                '复查',
                `${v.reinspectionDue}起；复查人员：${o.reinspectorName ?? '未指派'}`,
              ],
              o.reinspected_on && ['复查结果', `${o.reinspected_on}：${o.reinspection_note}`],
            ]}
          />
          {manage && o.status === 'issued' && (
            <section aria-labelledby="deliver-h">
              <h2 id="deliver-h">登记送达（签发《责令限期整改通知书》）</h2>
              <ActionForm action={url('deliver')} token={token} submit="签发并登记送达">
                <Select
                  label="送达方式"
                  name="method"
                  options={options(DELIVERY_METHOD_NAME)}
                  value={form.method}
                />
                <Field label="送达日期" name="deliveredOn" type="date" value={form.deliveredOn ?? today()} />
                <Field
                  label="送达凭证（送达回证编号、邮件单号、电子送达记录）"
                  name="proof"
                  value={form.proof}
                />
                <p class="muted">
                  电子送达须当事人签订确认书（《行政处罚法》第六十一条第二款）。
                  {consents.length > 0
                    ? `已登记确认书：${consents.map((c) => `${CONSENT_CHANNEL_NAME[c.channel as 'email'] ?? c.channel} ${c.address}（${c.signed_on}）`).join('；')}`
                    : '当事人尚未签订电子送达确认书。'}
                </p>
              </ActionForm>
              <details>
                <summary>登记当事人的电子送达确认书</summary>
                <ActionForm action={url('consent')} token={token} submit="登记确认书" secondary>
                  <Select
                    label="电子送达方式"
                    name="channel"
                    options={options(CONSENT_CHANNEL_NAME)}
                    value={form.channel}
                  />
                  <Field label="电子送达地址" name="address" value={form.address} />
                  <Field
                    label="签订确认书的日期"
                    name="signedOn"
                    type="date"
                    value={form.signedOn ?? today()}
                  />
                  <Field label="确认书编号或存档位置" name="proof" id="consent-proof" />
                </ActionForm>
              </details>
            </section>
          )}
          {manage && (o.status === 'issued' || o.status === 'delivered') && (
            <section aria-labelledby="re-h">
              <h2 id="re-h">指派复查人员</h2>
              <ActionForm action={url('reinspector')} token={token} submit="指派" secondary>
                <Select
                  label="复查人员（执法人员）"
                  name="reinspectorId"
                  options={inspectors.map((i) => ({ value: String(i.id), label: i.display_name }))}
                  value={o.reinspector_id ? String(o.reinspector_id) : undefined}
                />
              </ActionForm>
            </section>
          )}
          {outcome && o.status === 'delivered' && (
            <section aria-labelledby="out-h">
              <h2 id="out-h">登记复查结果</h2>
              <ActionForm action={url('outcome')} token={token} submit="登记复查结果">
                <Select
                  label="复查结果"
                  name="outcome"
                  options={[
                    { value: 'rectified', label: '已整改（结案）' },
                    { value: 'overdue', label: '逾期未整改（期限届满后）' },
                  ]}
                  value={form.outcome}
                />
                <Field
                  label="复查日期"
                  name="reinspectedOn"
                  type="date"
                  value={form.reinspectedOn ?? today()}
                />
                <Area label="复查情况" name="note" value={form.note} />
              </ActionForm>
            </section>
          )}
          {o.status === 'overdue' && (
            <section aria-labelledby="next-h">
              <h2 id="next-h">逾期未整改的后续处理</h2>
              {v.steps.length > 0 && (
                <ul>
                  {v.steps.map((s) => (
                    <li>
                      {s.kind === 'penalty-case' && s.penalty_case_id ? (
                        <a href={`/admin/supervision/penalties/${s.penalty_case_id}`}>
                          已立案处罚（案件{s.penalty_case_id}）
                        </a>
                      ) : (
                        `已办理：${s.note}`
                      )}
                    </li>
                  ))}
                </ul>
              )}
              {v.next.length === 0 ? (
                <p class="muted">该监管制度的规定没有其他后续处理，或均已办理。</p>
              ) : (
                v.next.map((s) =>
                  s.kind === 'penalty-case' ? (
                    <div class="stack-form">
                      <h3>{s.name}</h3>
                      <ul>
                        {s.rules
                          .filter((r) => caseRules(o.regime_seq).some((x) => x.key === r.key))
                          .map((r) => (
                            <li>
                              {r.label}（原文第{r.citation.line}行）{' '}
                              {manage && (
                                <a href={`/admin/supervision/penalties/new?order=${o.id}&rule=${r.key}`}>
                                  按此依据立案
                                </a>
                              )}
                            </li>
                          ))}
                      </ul>
                    </div>
                  ) : manage ? (
                    <ActionForm action={url('escalate')} token={token} submit={s.name}>
                      <h3>{s.name}</h3>
                      <input type="hidden" name="kind" value={s.kind} />
                      <Select
                        label="依据"
                        name="ruleKey"
                        options={s.rules.map((r) => ({
                          value: r.key,
                          label: `${r.label}（原文第${r.citation.line}行）`,
                        }))}
                        value={s.rules.length === 1 ? s.rules[0]!.key : undefined}
                      />
                      <Area label="说明" name="note" />
                      <ConfirmFields
                        consequence={`将签发相关文书并记录“${s.name}”。`}
                        idPrefix={`step-${s.kind}`}
                      />
                    </ActionForm>
                  ) : (
                    <p>{s.name}（可办理）</p>
                  ),
                )
              )}
            </section>
          )}
          <section aria-labelledby="docs-h">
            <h2 id="docs-h">文书</h2>
            <DocumentList documents={v.documents.map(presentDocumentRef)} />
          </section>
        </>
      ),
    });
  };

  app.get(
    '/admin/supervision/rectifications/:id',
    { ...hide, preHandler: orderAbilities.guard('read') },
    async (req, reply) => {
      const id = parseId((req.params as { id: string }).id);
      if (id === null) return reply.callNotFound();
      return renderOrder(req, reply, id);
    },
  );

  const post = (
    path: string,
    ability: 'manage' | 'outcome',
    done: string,
    run: (tx: Tx, req: FastifyRequest, id: number) => Promise<unknown>,
  ) =>
    app.post(
      `/admin/supervision/rectifications/:id/${path}`,
      { ...hide, preHandler: [orderAbilities.guard(ability), csrf.preHandler] },
      onAction(db, { what: '这份整改通知', run, done, url: orderUrl, again: renderOrder }),
    );

  post('deliver', 'manage', 'delivered', (tx, req, id) =>
    deliverOrder(tx, req.user!, id, formOf(req), today()),
  );
  post('consent', 'manage', 'consent', (tx, req, id) =>
    recordConsent(tx, req.user!, id, formOf(req), today()),
  );
  post('reinspector', 'manage', 'reinspector', (tx, req, id) =>
    assignReinspector(tx, req.user!, id, formOf(req)),
  );
  post('outcome', 'outcome', 'outcome', (tx, req, id) =>
    recordOutcome(tx, req.user!, id, formOf(req), today()),
  );
  post('escalate', 'manage', 'escalated', async (tx, req, id) => {
    confirmationOf(req, { reasonRequired: false });
    return escalateOrder(tx, req.user!, id, formOf(req));
  });
};
