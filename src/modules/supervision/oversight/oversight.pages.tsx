import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Tx } from '../../../db/database.ts';
import { notFound, refusalProblems } from '../../../http/errors.ts';
import { todayInChina } from '../../../lib/china-time.ts';
import { StackTable } from '../../../views/table.tsx';
import type { SessionUser } from '../../auth/index.ts';
import type { CampaignsContext } from '../campaigns/campaign.api.ts';
import { oversightUrls } from '../campaigns/campaign.urls.ts';
import {
  Csrf,
  csrfToken,
  doneNotice,
  FormErrors,
  fieldOf,
  fieldsOf,
  idParam,
  sendStaffPage,
} from '../shared/staff.views.tsx';
import { oversightAbilities } from './oversight.policy.ts';
import {
  createOversightCheck,
  decideReview,
  issueOversightNotice,
  listOversightChecks,
  noticeElements,
  OVERSIGHT_METHOD_NAME,
  OVERSIGHT_REGIMES,
  OVERSIGHT_STATUS_NAME,
  type OversightMethod,
  type OversightStatus,
  oversightAssessment,
  oversightDetail,
  recordFindings,
  recordReceipt,
  reportCorrection,
  requestReview,
} from './oversight.service.ts';

/** 执法监督 of county bureaus and entrusted bodies in the back office. */

export const oversightPages: FastifyPluginAsync<CampaignsContext> = async (app, ctx) => {
  const csrf = app.staffCsrf;
  const db = () => app.database.db;
  const today = () => todayInChina(ctx.now().getTime());
  const hide = { hide: true };

  const listPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    opts: { errors?: string[]; status?: number } = {},
  ) => {
    const year = Number(today().slice(0, 4));
    const [checks, assessment, bodies, staff] = await Promise.all([
      listOversightChecks(db()),
      oversightAssessment(db(), year),
      db()
        .selectFrom('regulated_entities as e')
        .innerJoin('regulated_entity_categories as c', 'c.entity_id', 'e.id')
        .innerJoin('counties as k', 'k.id', 'e.county_id')
        .select(['e.id', 'e.name', 'k.name as county'])
        .where('c.category_code', '=', 'county-bureau')
        .orderBy('k.position')
        .execute(),
      db()
        .selectFrom('users')
        .select(['id', 'display_name', 'role'])
        .where('active', '=', 1)
        .where('role', '!=', 'auditor')
        .orderBy('id')
        .execute(),
    ]);
    return sendStaffPage(req, reply, {
      title: '执法监督检查',
      notice: doneNotice(req),
      status: opts.status,
      children: (
        <>
          <h1>对县级商务主管部门和受委托机关的执法监督</h1>
          <p>
            监督检查可以采取自查、互查、抽查的方式；对受委托机关和县级商务部门的检查应当委派两名以上工作人员。发现问题的，下达《执法监督通知（决定）书》；被检查单位可在收到之日起10个工作日内申请复查，复查决定应在15个工作日内作出。
          </p>
          <StackTable
            rows={checks}
            columns={[
              { label: '被检查单位', cell: (c) => <a href={oversightUrls.check(c.id)}>{c.body}</a> },
              { label: '县（市、区）', cell: (c) => c.county },
              { label: '制度', cell: (c) => c.regime_seq },
              { label: '方式', cell: (c) => OVERSIGHT_METHOD_NAME[c.method as OversightMethod] ?? c.method },
              { label: '检查日期', cell: (c) => c.checked_on },
              { label: '状态', cell: (c) => OVERSIGHT_STATUS_NAME[c.status as OversightStatus] ?? c.status },
              { label: '通知书文号', cell: (c) => c.number ?? '—' },
            ]}
          />
          <h2>{year}年度考核（按县）</h2>
          <StackTable
            rows={assessment}
            columns={[
              { label: '县（市、区）', cell: (a) => a.county },
              { label: '检查', cell: (a) => a.checks },
              { label: '发现问题', cell: (a) => a.withFindings },
              { label: '通知书', cell: (a) => a.notices },
              { label: '已纠正', cell: (a) => a.corrected },
              { label: '按期纠正', cell: (a) => a.correctedOnTime },
              { label: '申请复查', cell: (a) => a.reviews },
            ]}
          />
          {oversightAbilities.canRole('handle', req.user) ? (
            <section aria-labelledby="new-check-h">
              <h2 id="new-check-h">登记执法监督检查</h2>
              <FormErrors errors={opts.errors ?? []} />
              <form method="post" action={oversightUrls.list} class="stack-form">
                <Csrf token={csrfToken(req, reply)} />
                <label>
                  被检查单位
                  <select name="body" required>
                    {bodies.map((b) => (
                      <option value={String(b.id)}>
                        {b.name}（{b.county}）
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  监管制度
                  <select name="regime">
                    {OVERSIGHT_REGIMES.map((r) => (
                      <option value={String(r)}>{r}</option>
                    ))}
                  </select>
                </label>
                <label>
                  检查方式
                  <select name="method">
                    {Object.entries(OVERSIGHT_METHOD_NAME).map(([k, v]) => (
                      <option value={k}>{v}</option>
                    ))}
                  </select>
                </label>
                <label>
                  检查日期
                  <input type="date" name="checkedOn" required max={today()} />
                </label>
                <fieldset>
                  <legend>参加检查的工作人员（两名以上）</legend>
                  {staff.map((s) => (
                    <label class="check">
                      <input type="checkbox" name="staff" value={String(s.id)} /> {s.display_name}
                    </label>
                  ))}
                </fieldset>
                <button type="submit">登记</button>
              </form>
            </section>
          ) : null}
        </>
      ),
    });
  };

  app.get(oversightUrls.list, { schema: hide, preHandler: oversightAbilities.guard('read') }, (req, reply) =>
    listPage(req, reply),
  );

  app.post(
    oversightUrls.list,
    { schema: hide, preHandler: [oversightAbilities.guard('handle'), csrf.preHandler] },
    async (req, reply) => {
      try {
        const id = await db()
          .transaction()
          .execute((tx) =>
            createOversightCheck(
              tx,
              req.user!,
              {
                bodyEntityId: Number(fieldOf(req, 'body')),
                regime: Number(fieldOf(req, 'regime')),
                method: fieldOf(req, 'method'),
                checkedOn: fieldOf(req, 'checkedOn'),
                staffUserIds: fieldsOf(req, 'staff').map(Number).filter(Number.isSafeInteger),
              },
              today(),
            ),
          );
        return reply.redirect(`${oversightUrls.check(id)}?done=created`, 303);
      } catch (e) {
        const problems = refusalProblems(e);
        if (!problems) throw e;
        return listPage(req, reply, { errors: problems, status: 400 });
      }
    },
  );

  const checkPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: number,
    opts: { errors?: string[]; status?: number } = {},
  ) => {
    const d = await oversightDetail(db(), id);
    const c = d.check;
    const n = d.notice;
    const token = csrfToken(req, reply);
    const may = oversightAbilities.canRole('handle', req.user);
    const Step = ({
      path,
      label,
      children,
    }: {
      path: string;
      label: string;
      children: preact.ComponentChildren;
    }) => (
      <form method="post" action={`${oversightUrls.check(id)}/${path}`} class="stack-form">
        <Csrf token={token} />
        {children}
        <button type="submit">{label}</button>
      </form>
    );
    return sendStaffPage(req, reply, {
      title: `执法监督检查 · ${d.body.name}`,
      notice: doneNotice(req),
      status: opts.status,
      children: (
        <>
          <p>
            <a href={oversightUrls.list}>执法监督检查</a> ›
          </p>
          <h1>{d.body.name}</h1>
          <dl class="record-fields">
            <dt>监管制度</dt>
            <dd>{c.regime_seq}</dd>
            <dt>方式</dt>
            <dd>{OVERSIGHT_METHOD_NAME[c.method as OversightMethod]}</dd>
            <dt>检查日期</dt>
            <dd>{c.checked_on}</dd>
            <dt>检查人员</dt>
            <dd>{d.staff.map((s) => s.display_name).join('、')}</dd>
            <dt>状态</dt>
            <dd>{OVERSIGHT_STATUS_NAME[c.status as OversightStatus]}</dd>
            <dt>检查发现</dt>
            <dd>{c.findings ?? '—'}</dd>
          </dl>
          {n ? (
            <section aria-labelledby="notice-h">
              <h2 id="notice-h">执法监督通知（决定）书 {n.number}</h2>
              <dl class="record-fields">
                <dt>被检查的商务主管部门</dt>
                <dd>{n.body_name}</dd>
                <dt>认定的事实和理由</dt>
                <dd>{n.facts}</dd>
                <dt>处理的决定和依据</dt>
                <dd>{n.decision}</dd>
                <dt>执行的方式和期限</dt>
                <dd>
                  {n.execution}（期限 {n.execution_deadline}）
                </dd>
                <dt>执行检查的机构和日期</dt>
                <dd>
                  {n.issuer}，{n.issued_on}
                </dd>
                <dt>收到日期</dt>
                <dd>
                  {n.received_on ?? '未登记'}
                  {d.reviewRequestDue ? `；复查申请最迟 ${d.reviewRequestDue}` : ''}
                </dd>
                <dt>纠正情况</dt>
                <dd>{n.correction_report ? `${n.corrected_on}：${n.correction_report}` : '未报告'}</dd>
                <dt>复查</dt>
                <dd>
                  {n.review_requested_on
                    ? `${n.review_requested_on} 申请（${n.review_reason}），决定期限 ${n.review_due}；${n.review_decided_on ? `${n.review_decided_on} 决定：${n.review_decision}` : '尚未决定'}`
                    : '未申请'}
                </dd>
              </dl>
            </section>
          ) : null}
          <FormErrors errors={opts.errors ?? []} />
          {may && c.status === 'open' && !c.findings ? (
            <Step path="findings" label="保存检查发现">
              <label>
                检查发现的问题（未发现问题请留空）
                <textarea name="findings" rows={4} maxLength={5000} />
              </label>
            </Step>
          ) : null}
          {may && c.status === 'open' && c.findings ? (
            <section aria-labelledby="issue-h">
              <h2 id="issue-h">下达执法监督通知（决定）书</h2>
              <p>以下五项为制度规定的必备内容（监管制度 1），缺一项即不能下达。</p>
              <Step path="notice" label="下达通知书">
                {noticeElements().map((e) =>
                  e.key === 'bodyName' || e.key === 'issuer' ? (
                    <label>
                      {e.label}（第 {e.line} 行）
                      <input name={e.key} maxLength={200} value={e.key === 'bodyName' ? d.body.name : ''} />
                    </label>
                  ) : (
                    <label>
                      {e.label}（第 {e.line} 行）
                      <textarea name={e.key} rows={3} maxLength={5000} />
                    </label>
                  ),
                )}
                <label>
                  执行期限
                  <input type="date" name="executionDeadline" />
                </label>
                <label>
                  通知书日期
                  <input type="date" name="issuedOn" max={today()} />
                </label>
              </Step>
            </section>
          ) : null}
          {may && n && !n.received_on ? (
            <Step path="receipt" label="登记收到日期">
              <label>
                被检查单位收到通知书的日期
                <input type="date" name="on" required max={today()} />
              </label>
            </Step>
          ) : null}
          {may && n && (c.status === 'notice' || c.status === 'reviewed') ? (
            <Step path="correction" label="登记纠正情况">
              <label>
                书面报告的纠正情况
                <textarea name="report" rows={3} required maxLength={5000} />
              </label>
              <label>
                报告日期
                <input type="date" name="on" required max={today()} />
              </label>
            </Step>
          ) : null}
          {may && n?.received_on && (c.status === 'notice' || c.status === 'corrected') ? (
            <Step path="review-request" label="登记复查申请">
              <label>
                复查申请日期
                <input type="date" name="on" required max={today()} />
              </label>
              <label>
                申请理由
                <textarea name="reason" rows={2} required maxLength={5000} />
              </label>
            </Step>
          ) : null}
          {may && c.status === 'review-requested' ? (
            <Step path="review-decision" label="登记复查决定">
              <label>
                复查决定
                <textarea name="decision" rows={3} required maxLength={5000} />
              </label>
              <label>
                决定日期
                <input type="date" name="on" required max={today()} />
              </label>
            </Step>
          ) : null}
        </>
      ),
    });
  };

  const checkId = (req: FastifyRequest) => {
    const id = idParam(req);
    if (id === null) throw notFound('这次执法监督检查');
    return id;
  };

  app.get(
    '/admin/supervision/oversight/:id',
    { schema: hide, preHandler: oversightAbilities.guard('read') },
    (req, reply) => checkPage(req, reply, checkId(req)),
  );

  const steps: Record<string, (tx: Tx, u: SessionUser, id: number, req: FastifyRequest) => Promise<unknown>> =
    {
      findings: (tx, u, id, req) => recordFindings(tx, u, id, fieldOf(req, 'findings')),
      notice: (tx, u, id, req) =>
        issueOversightNotice(
          tx,
          u,
          id,
          {
            bodyName: fieldOf(req, 'bodyName'),
            facts: fieldOf(req, 'facts'),
            decision: fieldOf(req, 'decision'),
            execution: fieldOf(req, 'execution'),
            executionDeadline: fieldOf(req, 'executionDeadline'),
            issuer: fieldOf(req, 'issuer'),
            issuedOn: fieldOf(req, 'issuedOn'),
          },
          today(),
        ),
      receipt: (tx, u, id, req) => recordReceipt(tx, u, id, fieldOf(req, 'on'), today()),
      correction: (tx, u, id, req) =>
        reportCorrection(tx, u, id, fieldOf(req, 'report'), fieldOf(req, 'on'), today()),
      'review-request': (tx, u, id, req) =>
        requestReview(tx, u, id, fieldOf(req, 'on'), fieldOf(req, 'reason'), today()),
      'review-decision': (tx, u, id, req) =>
        decideReview(tx, u, id, fieldOf(req, 'on'), fieldOf(req, 'decision'), today()),
    };

  for (const [path, run] of Object.entries(steps)) {
    app.post(
      `/admin/supervision/oversight/:id/${path}`,
      { schema: hide, preHandler: [oversightAbilities.guard('handle'), csrf.preHandler] },
      async (req, reply) => {
        const id = checkId(req);
        try {
          await db()
            .transaction()
            .execute((tx) => run(tx, req.user!, id, req));
        } catch (e) {
          const problems = refusalProblems(e);
          if (!problems) throw e;
          return checkPage(req, reply, id, { errors: problems, status: 400 });
        }
        return reply.redirect(`${oversightUrls.check(id)}?done=updated`, 303);
      },
    );
  }
};
