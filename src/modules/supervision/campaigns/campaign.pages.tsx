import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, refusalProblems } from '../../../http/errors.ts';
import { fieldOf } from '../../../http/forms.ts';
import { todayInChina } from '../../../lib/china-time.ts';
import { type PageContext, pageContext } from '../../../views/portal/context.ts';
import { sendPage } from '../../../views/render.ts';
import { StackTable } from '../../../views/table.tsx';
import { Page } from '../notices/notice.views.tsx';
import { oversightPages } from '../oversight/oversight.pages.tsx';
import { toCsv } from '../shared/csv.ts';
import { acceptMultipart, uploadedFiles } from '../shared/multipart.ts';
import type { CampaignsContext } from './campaign.api.ts';
import { FILING_STATUS_NAME } from './campaign.logic.ts';
import {
  actOnFiling,
  enterpriseView,
  FILING_FORM_FIELDS,
  filingOfToken,
  listCampaigns,
  redeemFilingCode,
} from './campaign.service.ts';
import { campaignStaffPages } from './campaign.staff.pages.tsx';
import { campaignUrls, filingUrls } from './campaign.urls.ts';

/**
 * The campaign pages: staff (campaign.staff.pages.tsx, oversight), the public summary at
 * /supervision/campaigns (page, CSV; JSON in campaign.api.ts) and the enterprises' own filing pages
 * at /filing (a link with a random token, or credit code + one-time code; no account).
 */

const yearQuery = (req: FastifyRequest, today: string): number | null => {
  const v = (req.query as { year?: unknown }).year;
  if (v === undefined || v === '') return Number(today.slice(0, 4));
  return typeof v === 'string' && /^\d{4}$/.test(v) ? Number(v) : null;
};

const PUBLIC_CSV_HEADER = [
  '年度工作',
  '年度',
  '通知日期',
  '县（市、区）',
  '企业数',
  '办理中',
  '合格',
  '不合格',
  '整改中',
  '已报省商务厅',
];

/** Pages that carry a filing token in their address: never cached, never sent on as a referrer. */
const privateHeaders = (reply: FastifyReply) =>
  reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');

export const campaignPages: FastifyPluginAsync<CampaignsContext> = async (app, ctx) => {
  const db = () => app.database.db;
  const today = () => todayInChina(ctx.now().getTime());
  const hide = { hide: true };
  const csrf = app.portalCsrf.preHandler;

  await app.register(campaignStaffPages, ctx);
  await app.register(oversightPages, ctx);

  // ───────── public ─────────

  app.get('/supervision/campaigns', { schema: hide }, async (req, reply) => {
    const year = yearQuery(req, today());
    if (year === null)
      return reply.status(400).send({ error: { code: 'bad_request', message: '年度应为四位数字' } });
    const rows = await listCampaigns(db(), year, today());
    return sendPage(
      reply,
      <Page
        ctx={pageContext(req, reply)}
        title={`${year}年度工作`}
        crumbs={[{ href: campaignUrls.publicList(), label: '年度工作' }]}
      >
        <p>
          本局按事中事后监管制度开展的年度工作（成品油年检、典当拍卖年审、外商投资企业联合年报核查、开发区评价等）：通知日期、期限和按县（市、区）汇总的结果。不公开企业的申报材料。
        </p>
        <form method="get" action="/supervision/campaigns" class="inline-form">
          <label>
            年度 <input name="year" inputMode="numeric" pattern="\d{4}" value={String(year)} size={5} />
          </label>{' '}
          <button type="submit">查看</button>
        </form>
        <p>
          <a href={campaignUrls.publicCsv(year)} download>
            下载 CSV
          </a>{' '}
          · <a href={campaignUrls.publicApi(year)}>JSON 接口</a>
        </p>
        {rows.length === 0 ? <p class="muted">{year}年尚无年度工作。</p> : null}
        {rows.map((r) => (
          <section aria-labelledby={`c-${r.campaign.id}`}>
            <h2 id={`c-${r.campaign.id}`}>{r.campaign.title}</h2>
            {r.campaign.basis_note ? <p class="notice warn">依据提示：{r.campaign.basis_note}</p> : null}
            <p>
              《{r.definition.notice.title}》{r.campaign.notice_date} 下发
              {r.definition.notice.dueBy
                ? `（制度规定每年${r.definition.notice.dueBy.replace('-', '月')}日前）`
                : ''}
              {r.campaign.filing_deadline ? `；申报截止 ${r.campaign.filing_deadline}` : ''}；
              {r.campaign.status === 'open' ? '进行中' : '已结束'}。共 {r.summary.total} 家：合格{' '}
              {r.summary.byStatus.passed}，不合格 {r.summary.byStatus.failed}，整改中{' '}
              {r.summary.byStatus.rectifying}，办理中 {r.summary.byStatus.open}。
            </p>
            <StackTable
              rows={r.summary.byCounty}
              columns={[
                { label: '县（市、区）', cell: (c) => c.county },
                { label: '企业', cell: (c) => c.total },
                { label: FILING_STATUS_NAME.open, cell: (c) => c.open },
                { label: FILING_STATUS_NAME.passed, cell: (c) => c.passed },
                { label: FILING_STATUS_NAME.failed, cell: (c) => c.failed },
                { label: FILING_STATUS_NAME.rectifying, cell: (c) => c.rectifying },
                { label: FILING_STATUS_NAME.reported, cell: (c) => c.reported },
              ]}
            />
          </section>
        ))}
      </Page>,
    );
  });

  app.get('/supervision/campaigns.csv', { schema: hide }, async (req, reply) => {
    const year = yearQuery(req, today());
    if (year === null)
      return reply.status(400).send({ error: { code: 'bad_request', message: '年度应为四位数字' } });
    const rows = await listCampaigns(db(), year, today());
    const csv = toCsv(
      PUBLIC_CSV_HEADER,
      rows.flatMap((r) =>
        r.summary.byCounty.map((c) => [
          r.campaign.title,
          r.campaign.year,
          r.campaign.notice_date,
          c.county,
          c.total,
          c.open,
          c.passed,
          c.failed,
          c.rectifying,
          c.reported,
        ]),
      ),
    );
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="campaigns-${year}.csv"`)
      .send(csv);
  });

  // ───────── the enterprise's filing ─────────

  const limits = { rateLimit: { max: 20, timeWindow: 60_000 } };

  const CodeForm = ({ pctx, error, uscc }: { pctx: PageContext; error?: string; uscc?: string }) => (
    <Page ctx={pctx} title="企业在线申报" crumbs={[{ href: filingUrls.start, label: '企业在线申报' }]}>
      <p>请输入贵单位的统一社会信用代码和主管部门告知的一次性验证码。如收到申报链接，直接打开链接即可。</p>
      {error ? (
        <p class="notice error" role="alert">
          {error}
        </p>
      ) : null}
      <form method="post" action={filingUrls.start} class="stack-form">
        <input type="hidden" name="_csrf" value={pctx.csrfToken} />
        <label>
          统一社会信用代码
          <input
            name="uscc"
            required
            maxLength={18}
            autocomplete="off"
            value={uscc ?? ''}
            style="text-transform:uppercase"
          />
        </label>
        <label>
          验证码（6位数字）
          <input
            name="code"
            required
            inputMode="numeric"
            pattern="\d{6}"
            maxLength={6}
            autocomplete="one-time-code"
          />
        </label>
        <button type="submit">进入申报</button>
      </form>
    </Page>
  );

  app.get(filingUrls.start, { schema: hide }, async (req, reply) =>
    sendPage(privateHeaders(reply), <CodeForm pctx={pageContext(req, reply)} />),
  );

  app.post(
    filingUrls.start,
    { schema: hide, bodyLimit: 8 * 1024, config: limits, preHandler: csrf },
    async (req, reply) => {
      privateHeaders(reply);
      try {
        const token = await db()
          .transaction()
          .execute((tx) => redeemFilingCode(tx, fieldOf(req, 'uscc'), fieldOf(req, 'code')));
        return reply.redirect(filingUrls.filing(token), 303);
      } catch (e) {
        if (e instanceof AppError && e.status === 400)
          return sendPage(
            reply,
            <CodeForm pctx={pageContext(req, reply)} error={e.message} uscc={fieldOf(req, 'uscc')} />,
            400,
          );
        throw e;
      }
    },
  );

  const filingPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    token: string,
    opts: { errors?: string[]; values?: Record<string, string>; status?: number; done?: boolean } = {},
  ) => {
    const filingId = await filingOfToken(db(), token);
    const v = await enterpriseView(db(), filingId, today());
    const pctx = pageContext(req, reply);
    const lastReason = [...v.history].reverse().find((h) => h.reason)?.reason;
    return sendPage(
      privateHeaders(reply),
      <Page
        ctx={pctx}
        title={`${v.campaign.title} · ${v.filing.entity.name}`}
        crumbs={[{ href: filingUrls.filing(token), label: v.campaign.title }]}
      >
        <p>
          <strong>{v.filing.entity.name}</strong>（<code>{v.filing.entity.uscc}</code>）
        </p>
        {opts.done ? (
          <p class="notice ok" role="status">
            材料已提交，主管部门将按规定审核。可随时用本链接查看进度。
          </p>
        ) : null}
        {v.basisNote ? <p class="notice warn">依据提示：{v.basisNote}</p> : null}
        <p>
          当前状态：
          <strong>
            {v.filing.status === 'open' && v.filing.step
              ? `${v.filing.step.label}（${v.filing.step.actor}）`
              : FILING_STATUS_NAME[v.filing.status]}
          </strong>
          {v.mark ? `；许可证副本已出具“${v.mark.text}”意见（${v.mark.year}年度）` : ''}
        </p>
        {v.filing.outcomeReason ? <p>主管部门意见：{v.filing.outcomeReason}</p> : null}
        {v.canSubmit && lastReason ? (
          <p class="notice warn" role="note">
            材料被退回。主管部门意见：{lastReason}
          </p>
        ) : null}
        <ol class="steps">
          {v.steps.map((s) => (
            <li class={s.current ? 'current' : s.done ? 'done' : ''}>
              {s.label}（{s.actor}）{s.done ? ' ✓' : s.current ? ' ← 当前' : ''}
            </li>
          ))}
        </ol>
        {v.campaign.filingDeadline ? <p>申报截止日期：{v.campaign.filingDeadline}</p> : null}
        {v.canSubmit ? (
          <section aria-labelledby="file-h">
            <h2 id="file-h">
              {v.history.some((h) => h.action === '退回补正') ? '重新提交材料' : '提交材料'}
            </h2>
            {(opts.errors ?? []).length > 0 ? (
              <div class="notice error" role="alert">
                <p>请修改以下内容后重新提交：</p>
                <ul>
                  {opts.errors!.map((e) => (
                    <li>{e}</li>
                  ))}
                </ul>
              </div>
            ) : null}
            <form
              method="post"
              action={filingUrls.filing(token)}
              enctype="multipart/form-data"
              class="stack-form"
            >
              <input type="hidden" name="_csrf" value={pctx.csrfToken} />
              {FILING_FORM_FIELDS.map((x) =>
                x.key === 'summary' ? (
                  <label>
                    {x.label}
                    <textarea name={x.key} rows={4} required maxLength={2000}>
                      {opts.values?.[x.key] ?? ''}
                    </textarea>
                  </label>
                ) : (
                  <label>
                    {x.label}
                    <input name={x.key} required maxLength={100} value={opts.values?.[x.key] ?? ''} />
                  </label>
                ),
              )}
              <label>
                《年度检查登记表》及附件（JPG、PNG 或 PDF，可多选）
                <input
                  type="file"
                  name="files"
                  multiple
                  accept=".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"
                />
              </label>
              <button type="submit">提交</button>
            </form>
          </section>
        ) : null}
        <h2>办理记录</h2>
        {v.history.length === 0 ? <p class="muted">尚无记录。</p> : null}
        <StackTable
          rows={v.history}
          columns={[
            { label: '日期', cell: (h) => h.on },
            { label: '办理', cell: (h) => h.action },
            { label: '办理方', cell: (h) => h.by },
            { label: '意见', cell: (h) => h.reason ?? '—' },
          ]}
        />
        {v.files.length > 0 ? <p>已提交附件：{v.files.map((f) => f.filename).join('、')}</p> : null}
      </Page>,
      opts.status ?? 200,
    );
  };

  const tokenOf = (req: FastifyRequest) => String((req.params as { token?: unknown }).token ?? '');

  app.get('/filing/:token', { schema: hide, config: limits }, async (req, reply) =>
    filingPage(req, reply, tokenOf(req), { done: (req.query as { done?: string }).done === '1' }),
  );

  await app.register(async (scope) => {
    // Only a live filing link makes the server read an upload (checked before the body is parsed).
    await acceptMultipart(scope, 15 * 1024 * 1024, 10, async (req) =>
      filingOfToken(db(), tokenOf(req)).then(
        () => true,
        () => false,
      ),
    );
    scope.post(
      '/filing/:token',
      { schema: hide, bodyLimit: 60 * 1024 * 1024, config: limits, preHandler: csrf },
      async (req, reply) => {
        const token = tokenOf(req);
        const filingId = await filingOfToken(db(), token);
        const values = Object.fromEntries(FILING_FORM_FIELDS.map((x) => [x.key, fieldOf(req, x.key)]));
        const files = uploadedFiles(req.body)
          .filter((f) => f.data.length > 0 || f.filename !== '')
          .map((f) => ({ filename: f.filename, data: f.data }));
        try {
          await db()
            .transaction()
            .execute((tx) =>
              actOnFiling(
                tx,
                { kind: 'enterprise', filingId },
                filingId,
                { action: 'submit', form: values, files },
                today(),
              ),
            );
        } catch (e) {
          const errors = refusalProblems(e);
          if (!errors) throw e;
          return filingPage(req, reply, token, { errors, values, status: 400 });
        }
        return reply.redirect(`${filingUrls.filing(token)}?done=1`, 303);
      },
    );
  });
};
