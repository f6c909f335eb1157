import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, notFound } from '../../../http/errors.ts';
import { confirmationOf } from '../../../http/forms.ts';
import { ConfirmFields } from '../../../views/staff/confirm.tsx';
import { StackTable } from '../../../views/table.tsx';
import { listCounties } from '../entities/entity.service.ts';
import { CATEGORY_NAME } from '../reference/index.ts';
import {
  minRatioBasisPoints,
  NOT_STATED_ZH,
  REGIME_RULES,
  ratioText,
  roundsText,
  ruleOf,
} from '../rules/rules.ts';
import {
  Csrf,
  csrfToken,
  doneNotice,
  FormErrors,
  fieldOf,
  idParam,
  sendStaffPage,
} from '../shared/staff.views.tsx';
import { inputFromForm, PlanForm } from './plan.form.tsx';
import { planAbilities } from './plan.policy.ts';
import { basisPointsText } from './plan.presenter.ts';
import {
  approveBelowMinimum,
  cancelPlan,
  commitPlanAction,
  createPlan,
  drawPlan,
  getPlan,
  listPlans,
  minInspectorsOf,
  type PlanInput,
  previewPopulation,
} from './plan.service.ts';
import { AllocationTable, beijingText, CommitmentTable, planV2Rows, versionText } from './plan.views.tsx';

/** Plans, commitments and draws in the back office; the supervision start page (tasks: inspections/). */

export const planPages: FastifyPluginAsync = async (app) => {
  const csrf = app.staffCsrf;
  const db = () => app.database.db;
  const readers = planAbilities.guard('read');
  const managers = planAbilities.guard('create');

  app.get(
    '/admin/supervision',
    { schema: { hide: true }, preHandler: planAbilities.guard('start') },
    async (req, reply) => {
      const [entities, inspectors, plans] = await Promise.all([
        db()
          .selectFrom('regulated_entities')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
        db()
          .selectFrom('inspectors')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('active', '=', 1)
          .executeTakeFirstOrThrow(),
        listPlans(db()),
      ]);
      return sendStaffPage(req, reply, {
        title: '双随机监管',
        children: (
          <>
            <h1>双随机、一公开监管</h1>
            <ul>
              <li>检查对象名录库：{Number(entities.n)} 个检查对象</li>
              <li>执法检查人员名录库：在岗 {Number(inspectors.n)} 名</li>
              <li>
                抽查计划：{plans.length} 个（草稿 {plans.filter((p) => p.status === 'draft').length}，待抽取{' '}
                {plans.filter((p) => p.status === 'committed').length}，已抽取{' '}
                {plans.filter((p) => p.status === 'drawn').length}）
              </li>
            </ul>
            <p>
              流程：制定计划（草稿）→ 比例低于制度规定的须另一名审核人批准 → 公布承诺（冻结名录，公开哈希）→
              录入见证值抽取 → 公开任务和抽取文件。
            </p>
          </>
        ),
      });
    },
  );

  app.get('/admin/supervision/plans', { schema: { hide: true }, preHandler: readers }, async (req, reply) => {
    const plans = await listPlans(db());
    return sendStaffPage(req, reply, {
      title: '抽查计划',
      notice: doneNotice(req),
      children: (
        <>
          <h1>抽查计划</h1>
          {planAbilities.canRole('create', req.user) ? (
            <p>
              <a href="/admin/supervision/plans/new" class="button">
                制定抽查计划
              </a>
            </p>
          ) : null}
          <StackTable
            rows={plans}
            columns={[
              { label: '计划', cell: (p) => <a href={`/admin/supervision/plans/${p.id}`}>{p.title}</a> },
              {
                label: '比例',
                cell: (p) =>
                  p.ratio +
                  (p.belowMinimum ? (p.approvedAt ? '（低于规定，已批准）' : '（低于规定，待批准）') : ''),
              },
              { label: '状态', cell: (p) => p.statusName },
              {
                label: '抽取',
                cell: (p) =>
                  p.commitment ? `${p.commitment.sampleSize} / ${p.commitment.populationSize}` : '—',
              },
            ]}
          />
        </>
      ),
    });
  });

  const newPlanPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    opts: { values?: Partial<PlanInput>; errors?: string[]; status?: number } = {},
  ) => {
    const counties = await listCounties(db());
    const v = opts.values ?? {};
    return sendStaffPage(req, reply, {
      title: '制定抽查计划',
      status: opts.status,
      children: (
        <>
          <h1>制定抽查计划</h1>
          <FormErrors errors={opts.errors ?? []} />
          <StackTable
            caption="各项监管制度的规定（出自原文）"
            rows={REGIME_RULES}
            columns={[
              { label: '制度', cell: (r) => `${r.seq}. ${r.title}` },
              {
                label: '检查对象类别',
                cell: (r) => r.subjects.categories.map((c) => CATEGORY_NAME[c]).join('、'),
              },
              { label: '抽查比例', cell: (r) => ratioText(r) },
              { label: '频次', cell: (r) => roundsText(r) },
              {
                label: '每项任务人数',
                cell: (r) =>
                  r.minInspectors.value === null
                    ? `${NOT_STATED_ZH}（默认至少2名）`
                    : `至少${r.minInspectors.value}名`,
              },
            ]}
          />
          <PlanForm token={csrfToken(req, reply)} values={v} counties={counties} />
        </>
      ),
    });
  };

  app.get(
    '/admin/supervision/plans/new',
    { schema: { hide: true }, preHandler: managers },
    async (req, reply) => newPlanPage(req, reply),
  );

  app.post(
    '/admin/supervision/plans',
    { schema: { hide: true }, preHandler: [managers, csrf.preHandler] },
    async (req, reply) => {
      const input = inputFromForm(req);
      try {
        const id = await db()
          .transaction()
          .execute((tx) => createPlan(tx, req.user!, input));
        return reply.redirect(`/admin/supervision/plans/${id}?done=created`, 303);
      } catch (e) {
        if (e instanceof AppError && (e.status === 400 || e.status === 409)) {
          const errors = Array.isArray(e.details) ? (e.details as string[]) : [e.message];
          return newPlanPage(req, reply, { values: input, errors, status: e.status });
        }
        throw e;
      }
    },
  );

  const detailPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: number,
    error: string | null = null,
    status = 200,
  ) => {
    const plan = await getPlan(db(), id);
    const rule = ruleOf(plan.regimeSeq)!;
    const user = req.user!;
    const token = csrfToken(req, reply);
    const manager = planAbilities.canRole('commit', user);
    const mayApprove = planAbilities.can('approveBelowMinimum', user, { createdById: plan.createdById });
    const preview = plan.status === 'draft' ? await previewPopulation(db(), plan) : null;
    const early = plan.witness !== null && Date.now() < Date.parse(plan.witness.plannedDrawAt);
    const minBp = minRatioBasisPoints(rule);
    const needsApproval = plan.belowMinimum && plan.approvedAt === null;
    return sendStaffPage(req, reply, {
      title: plan.title,
      notice: error ? { kind: 'error', text: error } : doneNotice(req),
      status,
      children: (
        <>
          <h1>{plan.title}</h1>
          <p class="meta">
            状态：<strong>{plan.statusName}</strong> · 制定人 {plan.createdBy} · {beijingText(plan.createdAt)}
            {plan.status !== 'draft' && plan.status !== 'cancelled' ? (
              <>
                {' '}
                · <a href={`/supervision/plans/${plan.id}`}>门户公告</a>
              </>
            ) : null}
          </p>
          <dl class="record-fields">
            <dt>监管制度</dt>
            <dd>
              {rule.seq}. {rule.title}（检查对象类别：
              {rule.subjects.categories.map((c) => CATEGORY_NAME[c]).join('、')}）
            </dd>
            <dt>抽查比例</dt>
            <dd>
              {plan.ratio}（制度规定：{ratioText(rule)}）
            </dd>
            {plan.belowMinimum ? (
              <>
                <dt>低于规定比例的理由</dt>
                <dd>{plan.belowMinReason}</dd>
                <dt>批准</dt>
                <dd>
                  {plan.approvedAt
                    ? `${plan.approvedBy ?? ''} 于 ${beijingText(plan.approvedAt)} 批准`
                    : '待批准'}
                </dd>
              </>
            ) : null}
            <dt>每项任务执法人员</dt>
            <dd>
              {plan.minInspectors} 名（制度规定：
              {rule.minInspectors.value === null
                ? `${NOT_STATED_ZH}，默认至少${minInspectorsOf(rule)}名`
                : `至少${rule.minInspectors.value}名`}
              ）
            </dd>
            <dt>范围</dt>
            <dd>
              {plan.counties.length ? plan.counties.join('、') : '全部县（市、区）'}；
              {plan.riskClasses.length ? plan.riskClasses.map((r) => r.name).join('、') : '全部风险等级'}
            </dd>
            {planV2Rows(plan).map(([heading, content]) => (
              <>
                <dt>{heading}</dt>
                <dd>{content}</dd>
              </>
            ))}
            <dt>抽取算法</dt>
            <dd>{versionText(plan)}</dd>
          </dl>
          {preview ? (
            <p>
              按当前名录库预计：检查对象 {preview.size} 个，抽取 {preview.sampleSize} 个
              {preview.excluded ? `，另有 ${preview.excluded} 个本年度已达检查次数上限而不进入名录` : ''}
              （公布承诺时冻结名录）。
            </p>
          ) : null}
          <CommitmentTable plan={plan} />
          <AllocationTable plan={plan} />
          {plan.draw ? (
            <p>
              已于 {beijingText(plan.draw.drawnAt)} 抽取，见证值 <code>{plan.draw.witness}</code>
              {plan.draw.witnessCanonical !== plan.draw.witness ? (
                <>
                  （规范形式 <code>{plan.draw.witnessCanonical}</code>）
                </>
              ) : null}
              ，共 {plan.draw.tasks} 项任务。
              <a href={`/supervision/plans/${plan.id}/draw`}>抽取核验页</a> ·{' '}
              <a href={`/admin/supervision/tasks?plan=${plan.id}`}>抽查任务和检查结果</a>
            </p>
          ) : null}
          {manager && plan.status === 'draft' ? (
            <section aria-labelledby="actions-h">
              <h2 id="actions-h">操作</h2>
              {needsApproval && mayApprove ? (
                <form method="post" action={`/admin/supervision/plans/${plan.id}/approve`} class="stack-form">
                  <Csrf token={token} />
                  <p>
                    本计划比例 {plan.ratio} 低于制度规定的 {minBp === null ? '' : basisPointsText(minBp)}
                    。批准即表示您审核并同意上述理由。
                  </p>
                  <label>
                    审核意见（可空）
                    <input name="comment" maxLength={500} />
                  </label>
                  <button type="submit">批准低于规定的比例</button>
                </form>
              ) : null}
              {needsApproval && !mayApprove ? (
                <p>本计划比例低于规定，须由制定人以外的审核人或系统管理员批准后才能公布。</p>
              ) : null}
              <form method="post" action={`/admin/supervision/plans/${plan.id}/commit`} class="stack-form">
                <Csrf token={token} />
                <h3>公布承诺</h3>
                <p>
                  冻结当前名录库中符合条件的检查对象和在岗执法人员，生成保密的服务器种子，并在门户公开参数和哈希。
                </p>
                {needsApproval ? (
                  <p class="muted" id="commit-blocked">
                    比例低于规定的计划须先经批准，批准后才能公布承诺。
                  </p>
                ) : (
                  <ConfirmFields
                    consequence="公布后计划参数、冻结的名录和哈希都不能再修改，只能按此抽取。"
                    idPrefix="commit"
                  />
                )}
                <button
                  type="submit"
                  disabled={needsApproval}
                  aria-describedby={needsApproval ? 'commit-blocked' : undefined}
                >
                  公布承诺
                </button>
              </form>
              <form method="post" action={`/admin/supervision/plans/${plan.id}/cancel`} class="stack-form">
                <Csrf token={token} />
                <h3>取消计划</h3>
                <ConfirmFields
                  consequence="取消后计划不能恢复，同一年度和轮次可以重新制定。"
                  reason={{
                    label: '取消理由（写入审计日志）',
                    required: true,
                    value: fieldOf(req, 'reason'),
                  }}
                  idPrefix="cancel"
                />
                <button type="submit">取消计划</button>
              </form>
            </section>
          ) : null}
          {manager && plan.status === 'committed' ? (
            <section aria-labelledby="draw-h">
              <h2 id="draw-h">抽取</h2>
              <form method="post" action={`/admin/supervision/plans/${plan.id}/draw`} class="stack-form">
                <Csrf token={token} />
                {plan.witness ? (
                  <label>
                    见证值：{plan.witness.sourceName} {plan.witness.reference} 的结果（
                    {plan.witness.valueLabel}）
                    <input
                      name="witness"
                      required
                      maxLength={500}
                      autocomplete="off"
                      aria-describedby="witness-rule"
                    />
                    <span class="hint" id="witness-rule">
                      在见证人面前照公布的结果录入；空格、全角数字、号码顺序和带上期号都不影响结果，系统按公布的规则规范为{' '}
                      <code>{plan.witness.format}</code> 形式后抽取。计划抽取时间{' '}
                      {beijingText(plan.witness.plannedDrawAt)}
                      {early ? '，此前不能抽取。' : '。'}
                    </span>
                  </label>
                ) : (
                  <label>
                    见证值（在见证人面前录入承诺之后才产生的公开数值，如当晚公布的开奖号码；按原样使用）
                    <input name="witness" required maxLength={500} autocomplete="off" />
                  </label>
                )}
                <button type="submit">抽取</button>
              </form>
            </section>
          ) : null}
          <p>
            <a href="/admin/supervision/plans">返回抽查计划</a>
          </p>
        </>
      ),
    });
  };

  app.get(
    '/admin/supervision/plans/:id',
    { schema: { hide: true }, preHandler: readers },
    async (req, reply) => {
      const id = idParam(req);
      if (id === null) throw notFound('该抽查计划');
      return detailPage(req, reply, id);
    },
  );

  const action =
    (run: (req: FastifyRequest, id: number) => Promise<void>, done: string) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      const id = idParam(req);
      if (id === null) throw notFound('该抽查计划');
      try {
        await run(req, id);
      } catch (e) {
        if (e instanceof AppError && (e.status === 400 || e.status === 409))
          return detailPage(req, reply, id, e.message, e.status);
        throw e;
      }
      return reply.redirect(`/admin/supervision/plans/${id}?done=${done}`, 303);
    };

  const post = { schema: { hide: true }, preHandler: [managers, csrf.preHandler] };
  app.post(
    '/admin/supervision/plans/:id/approve',
    post,
    action(
      (req, id) =>
        db()
          .transaction()
          .execute((tx) => approveBelowMinimum(tx, req.user!, id, fieldOf(req, 'comment'))),
      'approved',
    ),
  );
  app.post(
    '/admin/supervision/plans/:id/commit',
    post,
    action(
      (req, id) =>
        db()
          .transaction()
          .execute((tx) => {
            confirmationOf(req, { reasonRequired: false });
            return commitPlanAction(tx, req.user!, id);
          }),
      'committed',
    ),
  );
  app.post(
    '/admin/supervision/plans/:id/draw',
    post,
    action((req, id) => drawPlan(db(), req.user!, id, fieldOf(req, 'witness')), 'drawn'),
  );
  app.post(
    '/admin/supervision/plans/:id/cancel',
    post,
    action(
      (req, id) =>
        db()
          .transaction()
          .execute((tx) => cancelPlan(tx, req.user!, id, confirmationOf(req, { reasonRequired: true }))),
      'cancelled',
    ),
  );
};
