import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, notFound, refusalProblems } from '../../../http/errors.ts';
import { todayInChina } from '../../../lib/china-time.ts';
import { StackTable } from '../../../views/table.tsx';
import { documentLinks, getDocument } from '../../documents/index.ts';
import { acceptMultipart, uploadedFiles } from '../shared/multipart.ts';
import { reachOf } from '../shared/reach.ts';
import {
  Csrf,
  csrfToken,
  doneNotice,
  FormErrors,
  fieldOf,
  idParam,
  sendStaffPage,
} from '../shared/staff.views.tsx';
import type { CampaignsContext } from './campaign.api.ts';
import { ACTOR_NAME, CAMPAIGNS } from './campaign.config.ts';
import {
  allowedActions,
  FILING_ACTION_NAME,
  FILING_STATUS_NAME,
  type FilingAction,
  needsReason,
} from './campaign.logic.ts';
import { campaignAbilities } from './campaign.policy.ts';
import { FILING_ACTIONS } from './campaign.schema.ts';
import {
  actOnFiling,
  campaignDetail,
  createFilingCode,
  createFilingLink,
  FILING_FORM_FIELDS,
  type FilingView,
  filingDetail,
  filingFile,
  listCampaigns,
  openCampaign,
} from './campaign.service.ts';
import { campaignUrls, filingUrls } from './campaign.urls.ts';
import { importZoneScores, ZONE_CSV_HEADER, zoneEvaluation } from './zone.service.ts';

/** 年度工作 in the back office: campaigns, each enterprise's filing, the zones' scores. */

export const STATUS_CLASS: Record<string, string> = {
  open: '',
  passed: 'ok',
  failed: 'bad',
  rectifying: 'warn',
  reported: 'bad',
};

function FilingState({ f }: { f: FilingView }) {
  return (
    <>
      {f.status === 'open' && f.step ? `${f.step.label}（${f.step.actor}）` : FILING_STATUS_NAME[f.status]}
      {f.overdue ? <strong class="overdue"> 已超期（应于 {f.step?.due} 前）</strong> : null}
    </>
  );
}

export const campaignStaffPages: FastifyPluginAsync<CampaignsContext> = async (app, ctx) => {
  const csrf = app.staffCsrf;
  const db = () => app.database.db;
  const today = () => todayInChina(ctx.now().getTime());
  const hide = { hide: true };

  // ───────── the list, and opening a campaign ─────────

  const listPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    opts: { errors?: string[]; values?: Record<string, string>; status?: number } = {},
  ) => {
    const rows = await listCampaigns(db(), undefined, today());
    const v = opts.values ?? {};
    const year = v.year ?? String(Number(today().slice(0, 4)) + (today().slice(5) >= '12-01' ? 1 : 0));
    return sendStaffPage(req, reply, {
      title: '年度工作',
      notice: doneNotice(req),
      status: opts.status,
      children: (
        <>
          <h1>年度工作（年检、年审、联合年报、开发区考核）</h1>
          <p>
            每项工作按监管制度规定的环节和期限办理；企业可通过申报链接或验证码在线提交材料，无需账号。
            <a href={campaignUrls.zones}>开发区评价得分与摘牌建议</a> ·{' '}
            <a href={campaignUrls.publicList()}>公开页面</a>
          </p>
          <StackTable
            rows={rows}
            columns={[
              {
                label: '年度工作',
                cell: (r) => <a href={campaignUrls.staff(r.campaign.id)}>{r.campaign.title}</a>,
              },
              { label: '监管制度', cell: (r) => r.campaign.regime_seq },
              { label: '通知日期', cell: (r) => r.campaign.notice_date },
              { label: '状态', cell: (r) => (r.campaign.status === 'open' ? '进行中' : '已结束') },
              { label: '企业', cell: (r) => r.summary.total },
              { label: '合格', cell: (r) => r.summary.byStatus.passed },
              {
                label: '不合格/整改',
                cell: (r) => r.summary.byStatus.failed + r.summary.byStatus.rectifying,
              },
              {
                label: '超期',
                cell: (r) => (r.summary.overdue ? <strong class="overdue">{r.summary.overdue}</strong> : 0),
              },
            ]}
          />
          {campaignAbilities.canRole('open', req.user) ? (
            <section aria-labelledby="open-h">
              <h2 id="open-h">启动年度工作</h2>
              <FormErrors errors={opts.errors ?? []} />
              <form method="post" action={campaignUrls.staffList} class="stack-form">
                <Csrf token={csrfToken(req, reply)} />
                <label>
                  工作
                  <select name="definition">
                    {CAMPAIGNS.map((c) => (
                      <option value={c.key} selected={v.definition === c.key}>
                        {c.name}（监管制度 {c.regime}
                        {c.notice.dueBy ? `，通知应于每年${c.notice.dueBy.replace('-', '月')}日前下发` : ''}）
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  年度
                  <input name="year" inputMode="numeric" required pattern="\d{4}" value={year} />
                </label>
                <label>
                  通知日期
                  <input type="date" name="noticeDate" required value={v.noticeDate ?? ''} />
                </label>
                <label>
                  申报截止日期（可空）
                  <input type="date" name="filingDeadline" value={v.filingDeadline ?? ''} />
                </label>
                <label>
                  通知正文
                  <textarea name="noticeText" rows={5} required maxLength={20000}>
                    {v.noticeText ?? ''}
                  </textarea>
                </label>
                <details>
                  <summary>依据已废止或已调整的工作</summary>
                  <ul>
                    {CAMPAIGNS.filter((c) => c.staleBasis).map((c) => (
                      <li>
                        {c.name}：{c.staleBasis!.note}；现行依据：{c.staleBasis!.current}（来源：
                        {c.staleBasis!.source}）
                      </li>
                    ))}
                  </ul>
                </details>
                <label>
                  依据已调整时，仍按本制度开展的理由（上列工作必填）
                  <textarea name="basisReason" rows={2} maxLength={2000}>
                    {v.basisReason ?? ''}
                  </textarea>
                </label>
                <button type="submit">启动并下发通知</button>
              </form>
            </section>
          ) : null}
        </>
      ),
    });
  };

  app.get(
    campaignUrls.staffList,
    { schema: hide, preHandler: campaignAbilities.guard('read') },
    (req, reply) => listPage(req, reply),
  );

  app.post(
    campaignUrls.staffList,
    { schema: hide, preHandler: [campaignAbilities.guard('open'), csrf.preHandler] },
    async (req, reply) => {
      const values = Object.fromEntries(
        ['definition', 'year', 'noticeDate', 'noticeText', 'filingDeadline', 'basisReason'].map((k) => [
          k,
          fieldOf(req, k),
        ]),
      );
      try {
        const id = await db()
          .transaction()
          .execute((tx) =>
            openCampaign(tx, req.user!, {
              definitionKey: values.definition!,
              year: Number(values.year),
              noticeDate: values.noticeDate!,
              noticeText: values.noticeText!,
              filingDeadline: values.filingDeadline || null,
              basisReason: values.basisReason || null,
            }),
          );
        return reply.redirect(`${campaignUrls.staff(id)}?done=created`, 303);
      } catch (e) {
        const problems = refusalProblems(e);
        if (!problems) throw e;
        return listPage(req, reply, { errors: problems, values, status: 400 });
      }
    },
  );

  // ───────── one campaign ─────────

  app.get(
    '/admin/supervision/campaigns/:id',
    { schema: hide, preHandler: campaignAbilities.guard('read') },
    async (req, reply) => {
      const id = idParam(req);
      if (id === null) throw notFound('这项年度工作');
      const d = await campaignDetail(db(), id, today());
      const c = d.campaign;
      const noticeDoc = c.notice_document_id ? await getDocument(db(), c.notice_document_id) : undefined;
      return sendStaffPage(req, reply, {
        title: c.title,
        notice: doneNotice(req),
        children: (
          <>
            <p>
              <a href={campaignUrls.staffList}>年度工作</a> ›
            </p>
            <h1>{c.title}</h1>
            {c.basis_note ? (
              <p class="notice warn" role="note">
                依据提示：{c.basis_note}。仍按本制度开展的理由：{c.basis_reason}
              </p>
            ) : null}
            <dl class="record-fields">
              <dt>《{d.definition.notice.title}》</dt>
              <dd>
                {c.notice_date} 下发
                {d.definition.notice.dueBy
                  ? `（应于 ${c.year}-${d.definition.notice.dueBy} 前；原文第 ${d.definition.notice.at[0]} 行）`
                  : ''}
              </dd>
              <dt>通知文书</dt>
              <dd>
                {noticeDoc ? (
                  <>
                    <a href={documentLinks(noticeDoc.id).page}>{noticeDoc.number}</a> ·{' '}
                    <a href={documentLinks(noticeDoc.id).download}>下载 DOCX</a> ·{' '}
                    <a href={documentLinks(noticeDoc.id).print}>打印</a>
                  </>
                ) : (
                  '—'
                )}
              </dd>
              <dt>申报截止</dt>
              <dd>{c.filing_deadline ?? '未设定'}</dd>
              <dt>状态</dt>
              <dd>{c.status === 'open' ? '进行中' : `已结束（${c.closed_at?.slice(0, 10)}）`}</dd>
            </dl>
            <details>
              <summary>通知正文</summary>
              <p style="white-space:pre-wrap">{c.notice_text}</p>
            </details>
            <h2>各环节（按制度）</h2>
            {d.definition.tracks.map((t) => (
              <section>
                <h3>{t.label}</h3>
                <ol>
                  {t.steps.map((s) => (
                    <li>
                      {s.label}（{ACTOR_NAME[s.actor]}）
                      {s.clock
                        ? `：${s.clock.from}起${s.clock.amount}${s.clock.unit === 'calendar-days' ? '日' : '个工作日'}内`
                        : '：原文未规定期限'}
                      <span class="muted">（原文第 {s.at[0]} 行）</span>
                    </li>
                  ))}
                </ol>
              </section>
            ))}
            <h2>按县（市、区）汇总</h2>
            <StackTable
              rows={d.summary.byCounty}
              columns={[
                { label: '县（市、区）', cell: (r) => r.county },
                { label: '企业', cell: (r) => r.total },
                { label: '办理中', cell: (r) => r.open },
                { label: '合格', cell: (r) => r.passed },
                { label: '不合格', cell: (r) => r.failed },
                { label: '整改中', cell: (r) => r.rectifying },
                { label: '已报省', cell: (r) => r.reported },
              ]}
            />
            <h2>
              企业（{d.filings.length} 家，超期 {d.summary.overdue} 家）
            </h2>
            <StackTable
              rows={d.filings}
              columns={[
                { label: '企业', cell: (f) => <a href={campaignUrls.staffFiling(f.id)}>{f.entity.name}</a> },
                { label: '统一社会信用代码', cell: (f) => <code>{f.entity.uscc}</code> },
                { label: '县（市、区）', cell: (f) => f.entity.county },
                { label: '类别', cell: (f) => f.track.label },
                { label: '当前环节/结果', cell: (f) => <FilingState f={f} /> },
                { label: '期限', cell: (f) => f.step?.due ?? '—' },
              ]}
            />
          </>
        ),
      });
    },
  );

  // ───────── one filing ─────────

  const filingPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: number,
    opts: { errors?: string[]; status?: number; secret?: { kind: 'link' | 'code'; value: string } } = {},
  ) => {
    const d = await filingDetail(db(), id, today());
    const f = d.filing;
    const target = { regime: d.definition.regime, reach: await reachOf(db(), req.user!) };
    const mayHandle = campaignAbilities.can('handle', req.user, target);
    const actions =
      d.campaign.status === 'open'
        ? allowedActions(d.definition, d.track, {
            status: f.status,
            stepIndex: d.row.step_index,
            stepSince: d.row.step_since,
          })
        : [];
    const online = d.track.steps.some((s) => s.kind === 'submit');
    const docNumbers = new Map<number, string>();
    for (const e of d.events) {
      if (e.document_id === null) continue;
      const doc = await getDocument(db(), e.document_id);
      if (doc) docNumbers.set(doc.id, doc.number);
    }
    const token = csrfToken(req, reply);
    return sendStaffPage(req, reply, {
      title: `${f.entity.name} · ${d.campaign.title}`,
      notice: doneNotice(req),
      status: opts.status,
      children: (
        <>
          <p>
            <a href={campaignUrls.staffList}>年度工作</a> ›{' '}
            <a href={campaignUrls.staff(d.campaign.id)}>{d.campaign.title}</a> ›
          </p>
          <h1>{f.entity.name}</h1>
          <dl class="record-fields">
            <dt>统一社会信用代码</dt>
            <dd>
              <code>{f.entity.uscc}</code>
            </dd>
            <dt>许可证号</dt>
            <dd>{f.entity.licenceNo ?? '—'}</dd>
            <dt>县（市、区）</dt>
            <dd>{f.entity.county}</dd>
            <dt>流程</dt>
            <dd>{f.track.label}</dd>
            <dt>当前</dt>
            <dd>
              <FilingState f={f} />
              {f.holder ? `（由${f.holder}办理）` : ''}
            </dd>
            {f.step?.since ? (
              <>
                <dt>本环节开始（收到材料）</dt>
                <dd>
                  {f.step.since}
                  {f.step.due ? `，期限 ${f.step.due}` : '，原文未规定期限'}
                </dd>
              </>
            ) : null}
            {d.mark ? (
              <>
                <dt>许可证副本</dt>
                <dd>
                  <strong>
                    {d.mark.mark}（{d.mark.year}年度）
                  </strong>{' '}
                  {d.mark.marked_on}
                </dd>
              </>
            ) : null}
          </dl>
          {opts.secret ? (
            <div class="notice ok" role="status">
              {opts.secret.kind === 'link' ? (
                <>
                  在线申报链接（只显示这一次，请发给企业；原链接已失效）：
                  <code style="word-break:break-all">{filingUrls.filing(opts.secret.value)}</code>
                </>
              ) : (
                <>
                  一次性验证码（24小时内有效，只显示这一次）：
                  <strong style="font-size:1.5em">{opts.secret.value}</strong>
                  。企业在 <code>{filingUrls.start}</code> 输入统一社会信用代码和验证码即可申报。
                </>
              )}
            </div>
          ) : null}
          <h2>办理记录</h2>
          {d.events.length === 0 ? <p class="muted">尚无办理记录。</p> : null}
          <StackTable
            rows={d.events}
            columns={[
              { label: '日期', cell: (e) => e.on_date },
              {
                label: '环节',
                cell: (e) => d.track.steps.find((s) => s.key === e.step_key)?.label ?? '结果处理',
              },
              { label: '办理', cell: (e) => FILING_ACTION_NAME[e.action as FilingAction] ?? e.action },
              { label: '办理人', cell: (e) => (e.actor_kind === 'enterprise' ? '企业（在线）' : '工作人员') },
              { label: '期限', cell: (e) => e.due ?? '—' },
              { label: '超期', cell: (e) => (e.overdue ? <strong class="overdue">超期</strong> : '否') },
              {
                label: '文书',
                cell: (e) =>
                  e.document_id ? (
                    <a href={documentLinks(e.document_id).page}>{docNumbers.get(e.document_id) ?? '查看'}</a>
                  ) : (
                    '—'
                  ),
              },
              {
                label: '理由/材料',
                cell: (e) =>
                  e.reason ??
                  (e.form_json
                    ? Object.values(JSON.parse(e.form_json) as Record<string, string>).join('；')
                    : ''),
              },
            ]}
          />
          {d.files.length > 0 ? (
            <>
              <h3>附件</h3>
              <ul>
                {d.files.map((x) => (
                  <li>
                    <a href={campaignUrls.staffFile(f.id, x.id)}>{x.filename}</a>（{Math.ceil(x.size / 1024)}{' '}
                    KB，SHA-256 <code>{x.sha256.slice(0, 12)}…</code>）
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {mayHandle && actions.length > 0 ? (
            <section aria-labelledby="act-h">
              <h2 id="act-h">办理</h2>
              <FormErrors errors={opts.errors ?? []} />
              <form method="post" action={`${campaignUrls.staffFiling(f.id)}/actions`} class="stack-form">
                <Csrf token={token} />
                <fieldset>
                  <legend>办理结果</legend>
                  {actions.map((a, i) => (
                    <label class="check">
                      <input type="radio" name="action" value={a} checked={i === 0} required />{' '}
                      {FILING_ACTION_NAME[a]}
                      {needsReason(a) ? '（须写明理由）' : ''}
                    </label>
                  ))}
                </fieldset>
                <label>
                  办理日期（收到材料或作出决定的日期，默认今天）
                  <input type="date" name="on" max={today()} />
                </label>
                {actions.includes('submit')
                  ? FILING_FORM_FIELDS.map((x) => (
                      <label>
                        {x.label}（代企业录入纸质材料）
                        <input name={`form.${x.key}`} maxLength={2000} />
                      </label>
                    ))
                  : null}
                <label>
                  理由 / 书面意见（退回、不合格时必填，企业可以看到）
                  <textarea name="reason" rows={3} maxLength={2000} />
                </label>
                <button type="submit">确认办理</button>
              </form>
            </section>
          ) : null}
          {mayHandle && online && f.status === 'open' && d.campaign.status === 'open' ? (
            <section aria-labelledby="access-h">
              <h2 id="access-h">企业在线申报</h2>
              <p>生成申报链接或一次性验证码后交给企业；企业无需账号即可提交、查看办理意见和重新提交。</p>
              <form method="post" action={`${campaignUrls.staffFiling(f.id)}/link`} class="inline-form">
                <Csrf token={token} />
                <button type="submit">生成申报链接</button>
              </form>{' '}
              <form method="post" action={`${campaignUrls.staffFiling(f.id)}/code`} class="inline-form">
                <Csrf token={token} />
                <button type="submit">生成一次性验证码</button>
              </form>
            </section>
          ) : null}
        </>
      ),
    });
  };

  const filingId = (req: FastifyRequest) => {
    const id = idParam(req);
    if (id === null) throw notFound('这份申报');
    return id;
  };

  app.get(
    '/admin/supervision/campaigns/filings/:id',
    { schema: hide, preHandler: campaignAbilities.guard('read') },
    (req, reply) => filingPage(req, reply, filingId(req)),
  );

  app.post(
    '/admin/supervision/campaigns/filings/:id/actions',
    { schema: hide, preHandler: [campaignAbilities.guard('handle'), csrf.preHandler] },
    async (req, reply) => {
      const id = filingId(req);
      const action = fieldOf(req, 'action');
      try {
        if (!(FILING_ACTIONS as readonly string[]).includes(action))
          throw new AppError(400, 'invalid', '请选择办理结果');
        const form = Object.fromEntries(
          FILING_FORM_FIELDS.map((x) => [x.key, fieldOf(req, `form.${x.key}`)]),
        );
        await db()
          .transaction()
          .execute((tx) =>
            actOnFiling(
              tx,
              { kind: 'staff', user: req.user! },
              id,
              {
                action: action as FilingAction,
                reason: fieldOf(req, 'reason'),
                on: fieldOf(req, 'on') || null,
                form,
              },
              today(),
            ),
          );
        return reply.redirect(`${campaignUrls.staffFiling(id)}?done=updated`, 303);
      } catch (e) {
        const problems = refusalProblems(e);
        if (!problems) throw e;
        return filingPage(req, reply, id, { errors: problems, status: 400 });
      }
    },
  );

  for (const kind of ['link', 'code'] as const) {
    app.post(
      `/admin/supervision/campaigns/filings/:id/${kind}`,
      { schema: hide, preHandler: [campaignAbilities.guard('giveAccess'), csrf.preHandler] },
      async (req, reply) => {
        const id = filingId(req);
        const value = await db()
          .transaction()
          .execute((tx) =>
            kind === 'link' ? createFilingLink(tx, req.user!, id) : createFilingCode(tx, req.user!, id),
          );
        reply.header('cache-control', 'no-store');
        return filingPage(req, reply, id, { secret: { kind, value } });
      },
    );
  }

  app.get(
    '/admin/supervision/campaigns/filings/:id/files/:file',
    { schema: hide, preHandler: campaignAbilities.guard('read') },
    async (req, reply) => {
      const id = filingId(req);
      const fileId = idParam(req, 'file');
      if (fileId === null) throw notFound('这个附件');
      const file = await filingFile(db(), req.user!, id, fileId);
      return reply
        .header('content-type', file.content_type)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(file.data));
    },
  );

  // ───────── development zones ─────────

  const zonesPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    opts: { errors?: string[]; status?: number } = {},
  ) => {
    const ev = await zoneEvaluation(db());
    return sendStaffPage(req, reply, {
      title: '开发区综合发展水平评价',
      notice: doneNotice(req),
      status: opts.status,
      children: (
        <>
          <p>
            <a href={campaignUrls.staffList}>年度工作</a> ›
          </p>
          <h1>开发区综合发展水平评价与摘牌建议</h1>
          <p>
            规则（监管制度 11，原文第 {ev.rule.citation.line} 行）：“{ev.rule.citation.quote}”——连续
            {ev.rule.consecutiveYears}
            年排名全省后{ev.rule.bottomRanks}
            名的，向省商务厅提出摘牌建议。得分相同的并列排名；排名按全省数据计算，只对本市开发区提出建议。
          </p>
          <h2>建议摘牌</h2>
          {ev.considered.length < ev.rule.consecutiveYears ? (
            <p class="muted">
              需要至少连续 {ev.rule.consecutiveYears} 年的得分，目前有：{ev.years.join('、') || '无'}。
            </p>
          ) : ev.recommended.length === 0 ? (
            <p>{ev.considered.join('、')}年均未出现连续排名后三名的本市开发区。</p>
          ) : (
            <ul>
              {ev.recommended.map((r) => (
                <li>
                  <strong>{r.zone}</strong>：
                  {r.ranks.map((x) => `${x.year}年第${x.rank}名/共${x.of}名`).join('，')}
                </li>
              ))}
            </ul>
          )}
          {ev.years.map((y) => (
            <section>
              <h2>{y}年排名</h2>
              <StackTable
                rows={ev.ranked.filter((r) => r.year === y)}
                columns={[
                  { label: '名次', cell: (r) => r.rank },
                  { label: '开发区', cell: (r) => (r.inCity ? <strong>{r.zone}</strong> : r.zone) },
                  { label: '得分', cell: (r) => r.score },
                  { label: '本市', cell: (r) => (r.inCity ? '是' : '否') },
                  { label: '后三名', cell: (r) => (r.bottom ? '是' : '') },
                ]}
              />
            </section>
          ))}
          {campaignAbilities.canRole('importScores', req.user) ? (
            <section aria-labelledby="zone-import-h">
              <h2 id="zone-import-h">导入得分</h2>
              <p>
                CSV 文件，表头：<code>{ZONE_CSV_HEADER.join(',')}</code>
                ；包含全省各开发区（“是否本市”填是或否）。同一年度的数据整体替换。
              </p>
              <FormErrors errors={opts.errors ?? []} />
              <form
                method="post"
                action={campaignUrls.zones}
                enctype="multipart/form-data"
                class="stack-form"
              >
                <Csrf token={csrfToken(req, reply)} />
                <label>
                  数据来源（如省商务厅评价通报文号）
                  <input name="source" required maxLength={200} />
                </label>
                <label>
                  CSV 文件
                  <input type="file" name="file" accept=".csv,text/csv" required />
                </label>
                <button type="submit">导入</button>
              </form>
            </section>
          ) : null}
        </>
      ),
    });
  };

  app.get(campaignUrls.zones, { schema: hide, preHandler: campaignAbilities.guard('read') }, (req, reply) =>
    zonesPage(req, reply),
  );

  await app.register(async (scope) => {
    await acceptMultipart(scope, 2 * 1024 * 1024);
    scope.post(
      campaignUrls.zones,
      { schema: hide, preHandler: [campaignAbilities.guard('importScores'), csrf.preHandler] },
      async (req, reply) => {
        const file = uploadedFiles(req.body)[0];
        try {
          if (!file || file.data.length === 0) throw new AppError(400, 'invalid', '请选择 CSV 文件');
          await db()
            .transaction()
            .execute((tx) =>
              importZoneScores(tx, req.user!, file.data, fieldOf(req, 'source') || file.filename),
            );
          return reply.redirect(`${campaignUrls.zones}?done=updated`, 303);
        } catch (e) {
          const problems = refusalProblems(e);
          if (!problems) throw e;
          return zonesPage(req, reply, { errors: problems, status: 400 });
        }
      },
    );
  });
};
