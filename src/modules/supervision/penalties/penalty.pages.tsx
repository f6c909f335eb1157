import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Tx } from '../../../db/database.ts';
import { AppError } from '../../../http/errors.ts';
import { confirmationOf, queryOf } from '../../../http/forms.ts';
import { parseId } from '../../../http/params.ts';
import { ConfirmFields } from '../../../views/staff/confirm.tsx';
import { doneNotice } from '../../../views/staff/page.tsx';
import { StackTable } from '../../../views/table.tsx';
import { presentDocumentRef } from '../rectifications/rectification.presenter.ts';
import { loadOrder } from '../rectifications/rectification.repo.ts';
import { DELIVERY_METHOD_NAME } from '../rectifications/rectification.schema.ts';
import { REGIME_RULES, ruleOf } from '../rules/rules.ts';
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
import { isFine, yuanText } from './penalty.amount.ts';
import { HARM_NAME } from './penalty.clocks.ts';
import {
  DECISION_DELIVERY,
  DECISION_DUE,
  FIRST_VIOLATION,
  HEARING_NOTICE,
  HEARING_REQUEST,
  type LawCitation,
  LEGAL_REVIEW,
  LIMITATION,
  PAYMENT_DUE,
  PUBLICATION_DUE,
} from './penalty.law.ts';
import { caseAbilities } from './penalty.policy.ts';
import {
  caseRules,
  caseTarget,
  caseView,
  decideCase,
  deliverDecision,
  fileCase,
  holdHearing,
  listCasesFor,
  notifyCase,
  payCase,
  publishDecision,
  recordStatement,
  requestHearing,
  reviewCase,
  scheduleHearing,
  submitCase,
} from './penalty.service.ts';
import { caseStatusName } from './penalty.workflow.ts';

/**
 * The penalty pages of the back office (行政处罚案件): the list, the 立案 form (from an unheeded
 * rectification order, or directly under a rule that needs none), and one case's page with the form of
 * each step the case is at — 事先告知 (the range the rule allows shown beside the amount), 陈述申辩,
 * 听证, 提交法制审核, 法制审核, 决定 (confirmed: it cannot be undone), 送达, 公示, 缴纳 — every clock
 * with its article, and the documents issued.
 */

export const caseUrl = (id: number) => `/admin/supervision/penalties/${id}`;

const MESSAGES: Record<string, string> = {
  filed: '已立案。请在九十日内作出决定（《行政处罚法》第六十条）。',
  notified: '已事先告知，相关告知书已签发。',
  statement: '已登记陈述申辩。',
  'hearing-requested': '已登记听证申请。',
  'hearing-scheduled': '已登记听证通知。',
  heard: '已登记听证情况。',
  submitted: '已提交法制审核。',
  reviewed: '法制审核意见已登记。',
  decided: '处罚决定已作出，《行政处罚决定书》已签发。',
  delivered: '已登记处罚决定书送达。',
  published: '已登记公示。',
  paid: '已登记缴纳，案件办结。',
};

const cite = (c: LawCitation) => `${c.law}${c.article}`;

export const penaltyPages: FastifyPluginAsync<EnforcementOptions> = async (app, opts) => {
  const csrf = app.staffCsrf;
  const db = () => app.database.db;
  const ctx = () => caseContextOf(opts);
  const hide = { schema: { hide: true } };

  app.get(
    '/admin/supervision/penalties',
    { ...hide, preHandler: caseAbilities.guard('read') },
    async (req, reply) => {
      const cases = await listCasesFor(db(), req.user!);
      return sendStaffPage(req, reply, {
        title: '行政处罚案件',
        children: (
          <>
            <h1>行政处罚案件</h1>
            <p>
              处罚依据、罚款幅度和各项期限均来自监管制度原文和《行政处罚法》（2021年修订）。{' '}
              {caseAbilities.canRole('file', req.user!) && (
                <a href="/admin/supervision/penalties/new">直接立案</a>
              )}{' '}
              <a href="/admin/deadlines">期限提醒</a>
            </p>
            <StackTable
              rows={cases}
              columns={[
                { label: '当事人', cell: (c) => <a href={caseUrl(c.id)}>{c.entityName}</a> },
                { label: '监管制度', cell: (c) => ruleOf(c.regime_seq)?.title ?? '' },
                { label: '状态', cell: (c) => caseStatusName(c.status) },
                {
                  label: '罚款',
                  cell: (c) => (c.amount_fen ? yuanText(c.amount_fen) : c.waived ? '首违不罚' : '—'),
                },
                { label: '立案日期', cell: (c) => c.filed_on },
                { label: '承办人', cell: (c) => c.handlerName },
              ]}
            />
          </>
        ),
      });
    },
  );

  const renderNew = async (req: FastifyRequest, reply: FastifyReply, error?: AppError) => {
    const form = error ? formOf(req) : {};
    const orderId = parseId(form.orderId ?? queryOf(req, 'order'));
    const order = orderId ? await loadOrder(db(), orderId) : null;
    const requested = order?.regime_seq ?? (Number(form.regimeSeq ?? queryOf(req, 'regime')) || 0);
    // A regime number that names no regime (?regime=99999999999) chooses none.
    const regimeSeq = ruleOf(requested) ? requested : 0;
    const reach = await reachOf(db(), req.user!);
    const regimes = REGIME_RULES.filter(
      (r) => caseRules(r.seq).length > 0 && (reach.all || reach.regimes.has(r.seq)),
    );
    const rules = regimeSeq ? caseRules(regimeSeq) : [];
    const entities =
      regimeSeq && !order
        ? await db()
            .selectFrom('regulated_entities as e')
            .innerJoin('regulated_entity_categories as c', 'c.entity_id', 'e.id')
            .select(['e.id', 'e.name', 'e.uscc'])
            .where('c.category_code', 'in', ruleOf(regimeSeq)?.subjects.categories ?? [])
            .distinct()
            .orderBy('e.name')
            .execute()
        : [];
    const token = csrfToken(req, reply);
    return sendStaffPage(req, reply, {
      title: '立案',
      status: error?.status,
      notice: errorNotice(error),
      children: (
        <>
          <h1>立案</h1>
          <p class="muted">
            违法行为二年内未被发现的，不再给予行政处罚（涉及公民生命健康安全、金融安全且有危害后果的为五年；
            {cite(LIMITATION.citation)}）。
          </p>
          {!regimeSeq ? (
            <form method="get" action="/admin/supervision/penalties/new" class="stack-form">
              <Select
                label="监管制度"
                name="regime"
                options={regimes.map((r) => ({ value: String(r.seq), label: r.title }))}
              />
              <button type="submit">下一步</button>
            </form>
          ) : (
            <ActionForm action="/admin/supervision/penalties" token={token} submit="立案">
              <input type="hidden" name="regimeSeq" value={String(regimeSeq)} />
              {order ? (
                <>
                  <input type="hidden" name="orderId" value={String(order.id)} />
                  <input type="hidden" name="entityId" value={String(order.entity_id)} />
                  <Facts
                    rows={[
                      ['当事人', `${order.entityName}（${order.uscc}）`],
                      ['监管制度', ruleOf(regimeSeq)?.title ?? ''],
                      [
                        '整改通知',
                        <a href={`/admin/supervision/rectifications/${order.id}`}>
                          逾期未整改（期限至{order.deadline}）
                        </a>,
                      ],
                    ]}
                  />
                </>
              ) : (
                <Select
                  label="当事人"
                  name="entityId"
                  options={entities.map((e) => ({ value: String(e.id), label: `${e.name}（${e.uscc}）` }))}
                  value={form.entityId}
                />
              )}
              <Select
                label="处罚依据"
                name="ruleKey"
                options={rules.map((r) => ({
                  value: r.key,
                  label: `${r.label}（原文第${r.citation.line}行）`,
                }))}
                value={form.ruleKey ?? queryOf(req, 'rule')}
              />
              <Area label="违法事实" name="facts" value={form.facts ?? order?.findings ?? ''} />
              <Field
                label="违法行为发生（终了）日期"
                name="violationOn"
                type="date"
                value={form.violationOn}
              />
              <Select
                label="违法行为的性质（决定追责时效）"
                name="harm"
                options={Object.entries(HARM_NAME).map(([value, label]) => ({ value, label }))}
                value={form.harm ?? 'ordinary'}
              />
              <Field
                label="违法所得（元）"
                name="illegalGainYuan"
                value={form.illegalGainYuan}
                required={false}
                hint="按违法所得倍数处罚的依据须填写"
              />
              <Field label="立案日期" name="filedOn" type="date" value={form.filedOn ?? ctx().today} />
            </ActionForm>
          )}
        </>
      ),
    });
  };

  app.get(
    '/admin/supervision/penalties/new',
    { ...hide, preHandler: caseAbilities.guard('file') },
    (req, reply) => renderNew(req, reply),
  );

  app.post(
    '/admin/supervision/penalties',
    { ...hide, preHandler: [caseAbilities.guard('file'), csrf.preHandler] },
    async (req, reply) => {
      try {
        const id = await db()
          .transaction()
          .execute((tx) => fileCase(tx, req.user!, formOf(req), ctx()));
        return reply.redirect(`${caseUrl(id)}?done=filed`, 303);
      } catch (e) {
        if (e instanceof AppError && (e.status === 400 || e.status === 409)) return renderNew(req, reply, e);
        throw e;
      }
    },
  );

  const renderCase = async (req: FastifyRequest, reply: FastifyReply, id: number, error?: AppError) => {
    const user = req.user!;
    const { today } = ctx();
    const v = await caseView(db(), user, id, today);
    const c = v.c;
    const target = await caseTarget(db(), user, c);
    const handle = caseAbilities.can('handle', user, target);
    const review = caseAbilities.can('legalReview', user, target);
    const decide = caseAbilities.can('decide', user, target);
    const publish = caseAbilities.can('publish', user, target);
    const form = error ? formOf(req) : {};
    const token = csrfToken(req, reply);
    const url = (a: string) => `${caseUrl(id)}/${a}`;
    const fine = isFine(v.rule);
    const s = c.status;
    const clocks: Array<[string, string | null, string]> = [
      ['追责时效届满', v.clocks.limitationEnd, cite(LIMITATION.citation)],
      ['作出处罚决定', v.clocks.decisionDue, cite(DECISION_DUE.citation)],
      ['当事人要求听证', v.clocks.hearingRequestLast, cite(HEARING_REQUEST.citation)],
      ['最早听证日', v.clocks.earliestHearing, cite(HEARING_NOTICE.citation)],
      ['送达决定书', v.clocks.deliveryDue, cite(DECISION_DELIVERY.citation)],
      [
        '公开处罚决定',
        v.clocks.publicationDue ? (v.clocks.publicationDue.date ?? v.clocks.publicationDue.error) : null,
        `${PUBLICATION_DUE.citation.law}${PUBLICATION_DUE.citation.article}`,
      ],
      ['缴纳罚款', v.clocks.paymentDue, cite(PAYMENT_DUE.citation)],
    ];
    return sendStaffPage(req, reply, {
      title: `处罚案件 · ${c.entityName}`,
      status: error?.status,
      notice: errorNotice(error) ?? doneNotice(req, MESSAGES),
      children: (
        <>
          <p class="meta">
            <a href="/admin/supervision/penalties">← 返回案件列表</a>
          </p>
          <h1>行政处罚案件：{c.entityName}</h1>
          <Facts
            rows={[
              ['状态', <strong>{caseStatusName(s)}</strong>],
              ['统一社会信用代码', c.uscc],
              ['监管制度', ruleOf(c.regime_seq)?.title ?? ''],
              ['处罚依据', `${v.rule.label}：“${v.rule.citation.quote}”（原文第${v.rule.citation.line}行）`],
              fine && [
                '可处罚款',
                v.bound ? `${v.bound.rangeText}。${v.bound.explanation}` : (v.boundError ?? '—'),
              ],
              ['违法事实', c.facts],
              ['违法行为发生（终了）', `${c.violation_on}（${HARM_NAME[c.harm as 'ordinary'] ?? c.harm}）`],
              c.illegal_gain_fen !== null && ['违法所得', yuanText(c.illegal_gain_fen)],
              ['立案日期', c.filed_on],
              ['承办人', c.handlerName],
              c.order_id !== null && [
                '整改通知',
                <a href={`/admin/supervision/rectifications/${c.order_id}`}>逾期未整改的整改通知</a>,
              ],
              c.notice_on && [
                '拟处罚',
                c.waived
                  ? `不予行政处罚（首违不罚）：${c.waiver_reason}`
                  : fine
                    ? yuanText(c.amount_fen ?? 0)
                    : '警告',
              ],
              c.notice_on && ['事先告知', `${c.notice_on}${c.hearing_offered ? '（已告知听证权利）' : ''}`],
              c.statement && ['陈述申辩', `${c.statement_on}：${c.statement}`],
              c.hearing_requested_on && ['听证申请', c.hearing_requested_on],
              c.hearing_on && ['听证', `${c.hearing_on}${c.hearing_record ? `：${c.hearing_record}` : ''}`],
              c.review_opinion && ['法制审核意见', c.review_opinion],
              c.decision_on && [
                '决定日期',
                `${c.decision_on}${c.decision_late_reason ? `（逾期理由：${c.decision_late_reason}）` : ''}`,
              ],
              c.delivered_on && [
                '决定书送达',
                `${c.delivered_on}，${DELIVERY_METHOD_NAME[c.delivery_method as 'post'] ?? ''}`,
              ],
              c.published_on && ['公示日期', c.published_on],
              c.paid_on && [
                '缴纳',
                `${c.paid_on}，实缴${yuanText(c.paid_fen ?? 0)}（其中加处罚款${yuanText(c.late_fee_fen ?? 0)}）`,
              ],
            ]}
          />
          <section aria-labelledby="clocks-h">
            <h2 id="clocks-h">期限</h2>
            <StackTable
              rows={clocks.filter((k) => k[1] !== null)}
              columns={[
                { label: '事项', cell: (k) => k[0] },
                { label: '期限', cell: (k) => k[1] },
                { label: '依据', cell: (k) => k[2] },
              ]}
            />
          </section>
          {handle && (s === 'filed' || s === 'returned') && (
            <section aria-labelledby="notice-h">
              <h2 id="notice-h">事先告知</h2>
              <ActionForm action={url('notice')} token={token} submit="签发告知书">
                {fine && (
                  <Field
                    label="拟处罚款（元）"
                    name="amountYuan"
                    value={form.amountYuan}
                    required={false}
                    hint={v.bound ? `可处罚款${v.bound.rangeText}` : (v.boundError ?? undefined)}
                  />
                )}
                <p>
                  <input
                    type="checkbox"
                    id="f-waive"
                    name="waive"
                    value="yes"
                    checked={form.waive === 'yes'}
                  />{' '}
                  <label for="f-waive">首违不罚（{FIRST_VIOLATION.words}）</label>
                </p>
                <Area label="不予处罚的理由" name="waiverReason" value={form.waiverReason} required={false} />
                <Field label="告知书送达日期" name="noticeOn" type="date" value={form.noticeOn ?? today} />
              </ActionForm>
            </section>
          )}
          {handle && ['notified', 'hearing-requested', 'hearing-scheduled', 'heard'].includes(s) && (
            <section aria-labelledby="st-h">
              <h2 id="st-h">陈述申辩</h2>
              <ActionForm action={url('statement')} token={token} submit="登记陈述申辩" secondary>
                <Area label="当事人陈述、申辩的内容" name="statement" value={form.statement} />
                <Field
                  label="陈述申辩日期"
                  name="statementOn"
                  type="date"
                  value={form.statementOn ?? today}
                />
              </ActionForm>
            </section>
          )}
          {handle && s === 'notified' && c.hearing_offered === 1 && (
            <section aria-labelledby="hr-h">
              <h2 id="hr-h">听证申请</h2>
              <ActionForm action={url('hearing-request')} token={token} submit="登记听证申请" secondary>
                <Field
                  label="当事人提出听证要求的日期"
                  name="requestedOn"
                  type="date"
                  value={form.requestedOn ?? today}
                />
              </ActionForm>
            </section>
          )}
          {handle && s === 'hearing-requested' && (
            <ActionForm action={url('hearing-schedule')} token={token} submit="登记听证通知">
              <h2>通知听证</h2>
              <Field
                label="听证通知送达日期"
                name="notifiedOn"
                type="date"
                value={form.notifiedOn ?? today}
              />
              <Field label="听证日期（通知后七日以后）" name="hearingOn" type="date" value={form.hearingOn} />
            </ActionForm>
          )}
          {handle && s === 'hearing-scheduled' && (
            <ActionForm action={url('hearing-held')} token={token} submit="登记听证情况">
              <h2>听证</h2>
              <Field label="举行听证的日期" name="heldOn" type="date" value={form.heldOn ?? today} />
              <Area label="听证笔录要点" name="record" value={form.record} />
            </ActionForm>
          )}
          {handle && (s === 'notified' || s === 'heard') && (
            <ActionForm action={url('submit')} token={token} submit="提交法制审核">
              <h2>提交法制审核</h2>
              <p class="muted">{cite(LEGAL_REVIEW)}：未经法制审核或者审核未通过的，不得作出决定。</p>
            </ActionForm>
          )}
          {s === 'in-review' &&
            (review ? (
              <section aria-labelledby="lr-h">
                <h2 id="lr-h">法制审核</h2>
                <ActionForm action={url('review')} token={token} submit="提交审核意见">
                  <Select
                    label="审核意见"
                    name="decision"
                    options={[
                      { value: 'approve', label: '通过' },
                      { value: 'return', label: '退回修改' },
                    ]}
                    value={form.decision}
                  />
                  <Area label="法制审核意见" name="opinion" value={form.opinion} />
                </ActionForm>
              </section>
            ) : (
              <p class="muted">待法制审核：{caseAbilities.refusal('legalReview')}。</p>
            ))}
          {s === 'approved' &&
            (decide ? (
              <section aria-labelledby="dec-h">
                <h2 id="dec-h">作出决定</h2>
                <ActionForm
                  action={url('decide')}
                  token={token}
                  submit={c.waived ? '作出不予处罚决定' : '作出行政处罚决定'}
                >
                  <p>
                    决定内容：
                    {c.waived
                      ? '不予行政处罚（首违不罚）'
                      : fine
                        ? `罚款${yuanText(c.amount_fen ?? 0)}`
                        : '警告'}
                    ；应于{v.clocks.decisionDue}前作出。
                  </p>
                  <Field label="决定日期" name="decisionOn" type="date" value={form.decisionOn ?? today} />
                  <Area
                    label="超过九十日作出决定的依据或延期批准情况"
                    name="lateReason"
                    value={form.lateReason}
                    required={false}
                  />
                  <ConfirmFields
                    consequence="将签发《行政处罚决定书》并取得文号；签发后不能修改，更正须另行签发更正文书。"
                    idPrefix="decide"
                  />
                </ActionForm>
              </section>
            ) : (
              <p class="muted">法制审核已通过，待作出决定：{caseAbilities.refusal('decide')}。</p>
            ))}
          {handle && (s === 'decided' || s === 'not-penalised') && !c.delivered_on && (
            <ActionForm action={url('deliver')} token={token} submit="登记送达">
              <h2>送达处罚决定书</h2>
              <Select
                label="送达方式"
                name="method"
                options={Object.entries(DELIVERY_METHOD_NAME).map(([value, label]) => ({ value, label }))}
                value={form.method}
              />
              <Field label="送达日期" name="deliveredOn" type="date" value={form.deliveredOn ?? today} />
              <Field label="送达凭证" name="proof" value={form.proof} />
            </ActionForm>
          )}
          {publish && ['decided', 'paid', 'not-penalised'].includes(s) && !c.published_on && (
            <ActionForm action={url('publish')} token={token} submit="登记公示" secondary>
              <h2>公示处罚决定</h2>
              <Field label="公示日期" name="publishedOn" type="date" value={form.publishedOn ?? today} />
              <Field label="公示位置（网站栏目或链接）" name="where" value={form.where} />
            </ActionForm>
          )}
          {handle && s === 'decided' && c.delivered_on && c.amount_fen !== null && (
            <ActionForm action={url('pay')} token={token} submit="登记缴纳">
              <h2>缴纳罚款</h2>
              <p>
                罚款{yuanText(c.amount_fen)}，应于{v.clocks.paymentDue}前缴纳。
                {v.feeToday && v.feeToday.daysLate > 0 ? `今天缴纳：${v.feeToday.text}。` : ''}
              </p>
              <Field label="缴款日期" name="paidOn" type="date" value={form.paidOn ?? today} />
              <Field
                label="实缴金额（元）"
                name="paidYuan"
                value={form.paidYuan ?? String((c.amount_fen + (v.feeToday?.feeFen ?? 0)) / 100)}
              />
              <Field label="缴款凭证号" name="receipt" value={form.receipt} />
            </ActionForm>
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
    '/admin/supervision/penalties/:id',
    { ...hide, preHandler: caseAbilities.guard('read') },
    async (req, reply) => {
      const id = parseId((req.params as { id: string }).id);
      if (id === null) return reply.callNotFound();
      return renderCase(req, reply, id);
    },
  );

  const post = (
    path: string,
    ability: 'handle' | 'legalReview' | 'decide' | 'publish',
    done: string,
    run: (tx: Tx, req: FastifyRequest, id: number) => Promise<unknown>,
  ) =>
    app.post(
      `/admin/supervision/penalties/:id/${path}`,
      { ...hide, preHandler: [caseAbilities.guard(ability), csrf.preHandler] },
      onAction(db, { what: '这件处罚案件', run, done, url: caseUrl, again: renderCase }),
    );

  post('notice', 'handle', 'notified', (tx, req, id) => notifyCase(tx, req.user!, id, formOf(req), ctx()));
  post('statement', 'handle', 'statement', (tx, req, id) =>
    recordStatement(tx, req.user!, id, formOf(req), ctx()),
  );
  post('hearing-request', 'handle', 'hearing-requested', (tx, req, id) =>
    requestHearing(tx, req.user!, id, formOf(req), ctx()),
  );
  post('hearing-schedule', 'handle', 'hearing-scheduled', (tx, req, id) =>
    scheduleHearing(tx, req.user!, id, formOf(req), ctx()),
  );
  post('hearing-held', 'handle', 'heard', (tx, req, id) =>
    holdHearing(tx, req.user!, id, formOf(req), ctx()),
  );
  post('submit', 'handle', 'submitted', (tx, req, id) => submitCase(tx, req.user!, id, ctx()));
  post('review', 'legalReview', 'reviewed', (tx, req, id) => reviewCase(tx, req.user!, id, formOf(req)));
  post('decide', 'decide', 'decided', (tx, req, id) => {
    confirmationOf(req, { reasonRequired: false });
    return decideCase(tx, req.user!, id, formOf(req), ctx());
  });
  post('deliver', 'handle', 'delivered', (tx, req, id) =>
    deliverDecision(tx, req.user!, id, formOf(req), ctx()),
  );
  post('publish', 'publish', 'published', (tx, req, id) =>
    publishDecision(tx, req.user!, id, formOf(req), ctx()),
  );
  post('pay', 'handle', 'paid', (tx, req, id) => payCase(tx, req.user!, id, formOf(req), ctx()));
};
