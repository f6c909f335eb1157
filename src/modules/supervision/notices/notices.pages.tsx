import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { PageContext } from '../../../views/portal/context.ts';
import { pageContext } from '../../../views/portal/context.ts';
import { sendNotFound } from '../../../views/portal/errors.tsx';
import { type Crumb, Layout } from '../../../views/portal/layout.tsx';
import { urls } from '../../../views/portal/urls.ts';
import { sendPage } from '../../../views/render.ts';
import type { RegimeOut } from '../../registry/index.ts';
import { listRegimes } from '../../registry/index.ts';
import type { PlanOut } from '../plans/plan.presenter.ts';
import { drawFileText, listPlanPopulation, listTasks, type TaskOut } from '../plans/plan.repo.ts';
import { getPlan, listPlans, minInspectorsOf } from '../plans/plan.service.ts';
import { AllocationTable, CommitmentTable, Hash } from '../plans/plan.views.tsx';
import { CATEGORY_NAME, DEFAULT_MIN_INSPECTORS } from '../reference/index.ts';
import {
  type Citation,
  type CitedText,
  type Figure,
  NOT_STATED_ZH,
  type PenaltyRule,
  REGIME_RULES,
  type RegimeRule,
  ratioText,
  roundsText,
  ruleOf,
} from '../rules/rules.ts';
import { toCsv } from '../shared/csv.ts';

/**
 * 一公开: the public notices of supervision, no login. 抽查事项清单 (what is checked, on which basis,
 * how often, at what ratio, how), 计划公告 (parameters and commitment before the draw, everything
 * after), 任务公告 (drawn entities and inspectors by certificate number only), the draw page with the
 * self-contained file `zhize draw verify` accepts, and CSV downloads.
 */

export const supervisionUrls = {
  index: () => '/supervision',
  items: () => '/supervision/items',
  item: (seq: number) => `/supervision/items/${seq}`,
  plans: () => '/supervision/plans',
  plan: (id: number) => `/supervision/plans/${id}`,
  draw: (id: number) => `/supervision/plans/${id}/draw`,
  drawFile: (id: number) => `/supervision/plans/${id}/draw.json`,
  tasks: () => '/supervision/tasks',
  itemsCsv: () => '/supervision/items.csv',
  plansCsv: () => '/supervision/plans.csv',
  tasksCsv: () => '/supervision/tasks.csv',
  planTasksCsv: (id: number) => `/supervision/plans/${id}/tasks.csv`,
  populationCsv: (id: number) => `/supervision/plans/${id}/population.csv`,
} as const;

const ROOT: Crumb[] = [{ href: supervisionUrls.index(), label: '抽查公示' }];

function Page({
  ctx,
  title,
  crumbs,
  children,
}: {
  ctx: PageContext;
  title: string;
  crumbs?: Crumb[];
  children: ComponentChildren;
}) {
  return (
    <Layout title={title} ctx={ctx} section="supervision" crumbs={[...ROOT, ...(crumbs ?? [])]}>
      {children}
    </Layout>
  );
}

/** "原文第 N 行" linking to the cited line of the source document. */
function Cite({ c, docId }: { c: Citation | null; docId: number | null }) {
  if (!c) return null;
  if (docId === null) return <span class="src">原文第 {c.line} 行</span>;
  return (
    <a class="src" href={urls.source(docId, c.line, c.line)}>
      原文第 {c.line} 行
    </a>
  );
}

function FigureCell({
  text,
  figure,
  docId,
}: {
  text: string;
  figure: Figure<unknown>;
  docId: number | null;
}) {
  return (
    <>
      {figure.value === null ? <span class="muted">{text}</span> : text}
      {figure.citation ? (
        <>
          {' '}
          <Cite c={figure.citation} docId={docId} />
        </>
      ) : null}
    </>
  );
}

function Quotes({ items, docId }: { items: CitedText[]; docId: number | null }) {
  if (items.length === 0) return <span class="muted">{NOT_STATED_ZH}</span>;
  return (
    <ul class="plain" style="margin:0">
      {items.map((m) => (
        <li>
          “{m.text}” <Cite c={m.citation} docId={docId} />
        </li>
      ))}
    </ul>
  );
}

const yuan = (n: number) => (n % 10_000 === 0 ? `${n / 10_000}万元` : `${n}元`);

export function penaltyAmount(p: PenaltyRule): string {
  const parts: string[] = [];
  if (p.maxMultipleOfGain !== null) parts.push(`违法所得${p.maxMultipleOfGain}倍以下`);
  if (p.minYuan !== null && p.maxYuan !== null) parts.push(`${yuan(p.minYuan)}–${yuan(p.maxYuan)}`);
  else if (p.maxYuan !== null)
    parts.push(p.maxMultipleOfGain !== null ? `最高${yuan(p.maxYuan)}` : `${yuan(p.maxYuan)}以下`);
  if (p.minYears !== null && p.maxYears !== null) parts.push(`${p.minYears}–${p.maxYears}年`);
  else if (p.maxYears !== null) parts.push(`${p.maxYears}年内`);
  return parts.join('，') || '—';
}

function inspectorsCell(rule: RegimeRule): string {
  return rule.minInspectors.value === null
    ? `${NOT_STATED_ZH}（抽查时默认至少${DEFAULT_MIN_INSPECTORS}名）`
    : `至少${rule.minInspectors.value}名`;
}

function frequencyText(rule: RegimeRule): string {
  const parts = [roundsText(rule)];
  if (rule.onComplaint.value) parts.push('有举报投诉时随时检查');
  return parts.join('；');
}

interface RegimeInfo {
  rule: RegimeRule;
  regime: RegimeOut | null;
  docId: number | null;
}

async function regimeInfos(req: FastifyRequest): Promise<RegimeInfo[]> {
  const regimes = (await listRegimes(req.server.database.db, {}, { limit: 1000, offset: 0 })).items;
  return REGIME_RULES.map((rule) => {
    const regime = regimes.find((r) => r.seq === rule.seq) ?? null;
    return { rule, regime, docId: regime?.source.documentId ?? null };
  });
}

// ───────────────────────────── pages ─────────────────────────────

function IndexPage({ ctx, plans }: { ctx: PageContext; plans: PlanOut[] }) {
  return (
    <Page ctx={ctx} title="抽查公示">
      <h1>双随机、一公开</h1>
      <p>
        随机抽取检查对象，随机选派执法检查人员，抽查事项和结果及时公开。本页公开衡水市商务局依据《事中事后监管制度》开展的抽查：
      </p>
      <ul class="cards">
        <li>
          <a class="card" href={supervisionUrls.items()}>
            <span class="card-title">抽查事项清单</span>
            <span>{REGIME_RULES.length} 项监管制度的抽查对象、依据、比例、频次、内容和方式</span>
          </a>
        </li>
        <li>
          <a class="card" href={supervisionUrls.plans()}>
            <span class="card-title">抽查计划公告</span>
            <span>{plans.length} 个计划：抽取前公布参数和承诺哈希，抽取后公布全部数据</span>
          </a>
        </li>
        <li>
          <a class="card" href={supervisionUrls.tasks()}>
            <span class="card-title">抽查任务公告</span>
            <span>被抽中的检查对象和执法人员（以执法证号公布）</span>
          </a>
        </li>
      </ul>
      <section class="panel" aria-labelledby="trust-h">
        <h2 id="trust-h">怎样确认抽取没有被操纵</h2>
        <ol>
          <li>
            抽取前，公布计划参数、检查对象名录和执法人员名录的哈希值，以及保密的服务器种子的哈希值（承诺）。
          </li>
          <li>抽取时，在见证人面前录入一个承诺之后才产生的公开数值（见证值，如当晚公布的开奖号码）。</li>
          <li>抽取结果完全由服务器种子和见证值决定；抽取后公开服务器种子和完整的抽取文件。</li>
          <li>
            任何人都可以下载抽取文件，用 <code>zhize draw verify 文件名</code>{' '}
            或按公开的算法自行复算，核对结果是否一致。
          </li>
        </ol>
      </section>
      <section class="downloads" aria-labelledby="dl-h">
        <h2 id="dl-h">开放数据下载（CSV）</h2>
        <ul>
          <li>
            <a href={supervisionUrls.itemsCsv()} download>
              抽查事项清单
            </a>
          </li>
          <li>
            <a href={supervisionUrls.plansCsv()} download>
              抽查计划
            </a>
          </li>
          <li>
            <a href={supervisionUrls.tasksCsv()} download>
              抽查任务
            </a>
          </li>
          <li>
            <a href="/api/v1/supervision/rules">监管规则（JSON 接口）</a>
          </li>
        </ul>
      </section>
    </Page>
  );
}

function ItemsPage({ ctx, infos }: { ctx: PageContext; infos: RegimeInfo[] }) {
  return (
    <Page ctx={ctx} title="抽查事项清单" crumbs={[{ href: supervisionUrls.items(), label: '抽查事项清单' }]}>
      <h1>抽查事项清单</h1>
      <p>
        依据《衡水市商务局事中事后监管制度》逐项列出。每个数字都注明出处，可点击核对原文；原文没有规定的，写明“
        {NOT_STATED_ZH}”。
      </p>
      <p>
        <a href={supervisionUrls.itemsCsv()} download>
          下载 CSV
        </a>
      </p>
      <table class="stack items-table">
        <thead>
          <tr>
            <th>序号</th>
            <th>抽查事项</th>
            <th>抽查依据</th>
            <th>抽查对象</th>
            <th>抽查比例</th>
            <th>抽查频次</th>
            <th>执法人员</th>
            <th>抽查内容</th>
            <th>抽查方式</th>
          </tr>
        </thead>
        <tbody>
          {infos.map(({ rule, regime, docId }) => (
            <tr id={`item-${rule.seq}`}>
              <td data-label="序号">{rule.seq}</td>
              <td data-label="抽查事项">
                <a href={supervisionUrls.item(rule.seq)}>{rule.title}</a>
              </td>
              <td data-label="抽查依据">
                《衡水市商务局事中事后监管制度》
                {regime ? <a href={urls.regime(regime.id)}>第 {rule.seq} 项</a> : `第 ${rule.seq} 项`}{' '}
                {docId !== null ? (
                  <a class="src" href={urls.source(docId, rule.lines.from, rule.lines.to)}>
                    原文第 {rule.lines.from}–{rule.lines.to} 行
                  </a>
                ) : null}
              </td>
              <td data-label="抽查对象">
                {rule.subjects.categories.map((c) => CATEGORY_NAME[c]).join('、')}{' '}
                {rule.subjects.citations.map((c) => (
                  <>
                    <Cite c={c} docId={docId} />{' '}
                  </>
                ))}
              </td>
              <td data-label="抽查比例">
                <FigureCell text={ratioText(rule)} figure={rule.minSamplingRatio} docId={docId} />
              </td>
              <td data-label="抽查频次">
                <FigureCell text={frequencyText(rule)} figure={rule.roundsPerYear} docId={docId} />
              </td>
              <td data-label="执法人员">
                <FigureCell text={inspectorsCell(rule)} figure={rule.minInspectors} docId={docId} />
              </td>
              <td data-label="抽查内容">
                {regime?.checkItems.length ? (
                  <details>
                    <summary>{regime.checkItems.length} 项</summary>
                    <ul class="plain">
                      {regime.checkItems.map((c) => (
                        <li>{c.text}</li>
                      ))}
                    </ul>
                  </details>
                ) : (
                  <span class="muted">—</span>
                )}
              </td>
              <td data-label="抽查方式">
                <Quotes items={rule.methods} docId={docId} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Page>
  );
}

function ItemPage({ ctx, info, plans }: { ctx: PageContext; info: RegimeInfo; plans: PlanOut[] }) {
  const { rule, regime, docId } = info;
  return (
    <Page
      ctx={ctx}
      title={rule.title}
      crumbs={[
        { href: supervisionUrls.items(), label: '抽查事项清单' },
        { href: supervisionUrls.item(rule.seq), label: rule.title },
      ]}
    >
      <h1>{rule.title}</h1>
      <p>
        {regime ? <a href={urls.regime(regime.id)}>制度全文</a> : null}
        {docId !== null ? (
          <>
            {' · '}
            <a class="src" href={urls.source(docId, rule.lines.from, rule.lines.to)}>
              原文第 {rule.lines.from}–{rule.lines.to} 行
            </a>
          </>
        ) : null}
      </p>
      <table class="stack">
        <caption>监管规则</caption>
        <tbody>
          <tr>
            <th scope="row">抽查对象</th>
            <td>
              {rule.subjects.categories.map((c) => CATEGORY_NAME[c]).join('、')}
              {rule.subjects.note ? `（${rule.subjects.note}）` : ''}{' '}
              {rule.subjects.citations.map((c) => (
                <>
                  <Cite c={c} docId={docId} />{' '}
                </>
              ))}
            </td>
          </tr>
          <tr>
            <th scope="row">抽查比例</th>
            <td>
              <FigureCell text={ratioText(rule)} figure={rule.minSamplingRatio} docId={docId} />
            </td>
          </tr>
          <tr>
            <th scope="row">抽查频次</th>
            <td>
              <FigureCell text={roundsText(rule)} figure={rule.roundsPerYear} docId={docId} />
              {rule.roundsPerYear.value !== null && rule.roundsPerYear.note
                ? `（${rule.roundsPerYear.note}）`
                : ''}
            </td>
          </tr>
          <tr>
            <th scope="row">举报投诉</th>
            <td>
              <FigureCell
                text={rule.onComplaint.value ? '有举报投诉时随时检查' : NOT_STATED_ZH}
                figure={rule.onComplaint}
                docId={docId}
              />
            </td>
          </tr>
          <tr>
            <th scope="row">其他频次规定</th>
            <td>
              <Quotes items={rule.frequencyNotes} docId={docId} />
            </td>
          </tr>
          <tr>
            <th scope="row">每项检查的执法人员</th>
            <td>
              <FigureCell text={inspectorsCell(rule)} figure={rule.minInspectors} docId={docId} />
              {rule.minInspectors.value !== null && rule.minInspectors.note
                ? `（${rule.minInspectors.note}）`
                : ''}
            </td>
          </tr>
          <tr>
            <th scope="row">抽查方式</th>
            <td>
              <Quotes items={rule.methods} docId={docId} />
            </td>
          </tr>
        </tbody>
      </table>
      <h2>期限</h2>
      {rule.deadlines.items.length ? (
        <ul class="records">
          {rule.deadlines.items.map((d) => (
            <li>
              {d.label}：
              {d.unit === 'date'
                ? `每年${Number(d.date!.slice(0, 2))}月${Number(d.date!.slice(3))}日前`
                : `自${d.from}起${d.amount}${d.unit === 'working-days' ? '个工作日' : '日'}内`}
              {d.note ? `（${d.note}）` : ''} <Cite c={d.citation} docId={docId} />
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{NOT_STATED_ZH}</p>
      )}
      <h2>处理和处罚</h2>
      {rule.penalties.items.length ? (
        <table class="stack">
          <thead>
            <tr>
              <th>情形</th>
              <th>处理</th>
              <th>幅度</th>
              <th>出处</th>
            </tr>
          </thead>
          <tbody>
            {rule.penalties.items.map((p) => (
              <tr>
                <td data-label="情形">{p.violation}</td>
                <td data-label="处理">{p.label}</td>
                <td data-label="幅度">{penaltyAmount(p)}</td>
                <td data-label="出处">
                  <Cite c={p.citation} docId={docId} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">{NOT_STATED_ZH}具体的处理和处罚幅度</p>
      )}
      {rule.documentContents.items.length ? (
        <>
          <h2>《{rule.documentContents.items[0]!.document}》应当载明</h2>
          <ol>
            {rule.documentContents.items.map((d) => (
              <li>
                {d.text} <Cite c={d.citation} docId={docId} />
              </li>
            ))}
          </ol>
        </>
      ) : null}
      {regime?.checkItems.length ? (
        <>
          <h2>抽查内容（{regime.checkItems.length} 项）</h2>
          <ul class="plain">
            {regime.checkItems.map((c) => (
              <li>{c.text}</li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>抽查计划</h2>
      {plans.length ? (
        <ul>
          {plans.map((p) => (
            <li>
              <a href={supervisionUrls.plan(p.id)}>{p.title}</a>（{p.statusName}）
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">暂无已公布的抽查计划。</p>
      )}
    </Page>
  );
}

function PlansPage({ ctx, plans }: { ctx: PageContext; plans: PlanOut[] }) {
  return (
    <Page ctx={ctx} title="抽查计划公告" crumbs={[{ href: supervisionUrls.plans(), label: '抽查计划公告' }]}>
      <h1>抽查计划公告</h1>
      <p>计划在抽取前公布参数和承诺哈希；抽取后公布见证值、服务器种子、任务和完整的抽取文件。</p>
      <p>
        <a href={supervisionUrls.plansCsv()} download>
          下载 CSV
        </a>
      </p>
      {plans.length === 0 ? <p class="muted">暂无已公布的抽查计划。</p> : null}
      <ol class="records">
        {plans.map((p) => (
          <li>
            <a class="hit-title" href={supervisionUrls.plan(p.id)}>
              {p.title}
            </a>
            <div class="meta">
              <span>{p.statusName}</span>
              <span>比例 {p.ratio}</span>
              {p.commitment ? (
                <span>
                  从 {p.commitment.populationSize} 个检查对象中抽取 {p.commitment.sampleSize} 个
                </span>
              ) : null}
            </div>
          </li>
        ))}
      </ol>
    </Page>
  );
}

function TasksTable({ tasks, caption }: { tasks: TaskOut[]; caption?: string }) {
  return (
    <table class="stack">
      {caption ? <caption>{caption}</caption> : null}
      <thead>
        <tr>
          <th>序号</th>
          <th>检查对象</th>
          <th>统一社会信用代码</th>
          <th>县（市、区）</th>
          <th>执法人员（执法证号）</th>
        </tr>
      </thead>
      <tbody>
        {tasks.map((t) => (
          <tr>
            <td data-label="序号">{t.position}</td>
            <td data-label="检查对象">{t.name}</td>
            <td data-label="统一社会信用代码">
              <code>{t.uscc}</code>
            </td>
            <td data-label="县（市、区）">{t.county}</td>
            <td data-label="执法人员（执法证号）">{t.inspectors.join('、')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PlanPage({ ctx, plan, tasks }: { ctx: PageContext; plan: PlanOut; tasks: TaskOut[] }) {
  const rule = ruleOf(plan.regimeSeq)!;
  return (
    <Page
      ctx={ctx}
      title={plan.title}
      crumbs={[
        { href: supervisionUrls.plans(), label: '抽查计划公告' },
        { href: supervisionUrls.plan(plan.id), label: plan.title },
      ]}
    >
      <h1>{plan.title}</h1>
      <p>
        状态：<strong>{plan.statusName}</strong> · 抽查事项：
        <a href={supervisionUrls.item(rule.seq)}>{rule.title}</a>
      </p>
      <table class="stack">
        <caption>计划参数</caption>
        <tbody>
          <tr>
            <th scope="row">年度、轮次</th>
            <td>
              {plan.year} 年第 {plan.round} 轮
            </td>
          </tr>
          <tr>
            <th scope="row">检查对象</th>
            <td>
              名录库中“{rule.subjects.categories.map((x) => CATEGORY_NAME[x]).join('、')}
              ”类、正常经营的检查对象
              {plan.counties.length ? `；限 ${plan.counties.join('、')}` : ''}
              {plan.riskClasses.length ? `；限 ${plan.riskClasses.map((r) => r.name).join('、')}` : ''}
            </td>
          </tr>
          <tr>
            <th scope="row">抽查比例</th>
            <td>
              {plan.ratio}（制度规定：{ratioText(rule)}）
              {plan.belowMinimum ? `。低于规定比例，理由：${plan.belowMinReason ?? ''}；已经审核人批准` : ''}
            </td>
          </tr>
          <tr>
            <th scope="row">每项任务的执法人员</th>
            <td>
              {plan.minInspectors} 名（制度规定：
              {rule.minInspectors.value === null
                ? `${NOT_STATED_ZH}，默认至少${minInspectorsOf(rule)}名`
                : `至少${rule.minInspectors.value}名`}
              ）
            </td>
          </tr>
          <tr>
            <th scope="row">分层</th>
            <td>按县（市、区）按比例分配（最大余数法）</td>
          </tr>
        </tbody>
      </table>
      <CommitmentTable plan={plan} populationHref={supervisionUrls.populationCsv(plan.id)} />
      <AllocationTable plan={plan} />
      {plan.draw ? (
        <section aria-labelledby="tasks-h">
          <h2 id="tasks-h">任务公告（{tasks.length} 项）</h2>
          <p>
            抽取于 {plan.draw.drawnAt.slice(0, 19).replace('T', ' ')} UTC，见证值{' '}
            <code>{plan.draw.witness}</code>。 <a href={supervisionUrls.draw(plan.id)}>核验这次抽取</a> ·{' '}
            <a href={supervisionUrls.planTasksCsv(plan.id)} download>
              任务下载（CSV）
            </a>
          </p>
          <p class="muted">执法人员只公布执法证号。</p>
          <TasksTable tasks={tasks} />
        </section>
      ) : (
        <p class="panel">尚未抽取。抽取时录入见证值；抽取后公开服务器种子、任务和完整的抽取文件。</p>
      )}
    </Page>
  );
}

function DrawPage({ ctx, plan }: { ctx: PageContext; plan: PlanOut }) {
  const d = plan.draw!;
  const c = plan.commitment!;
  return (
    <Page
      ctx={ctx}
      title={`核验抽取：${plan.title}`}
      crumbs={[
        { href: supervisionUrls.plans(), label: '抽查计划公告' },
        { href: supervisionUrls.plan(plan.id), label: plan.title },
        { href: supervisionUrls.draw(plan.id), label: '核验抽取' },
      ]}
    >
      <h1>核验抽取</h1>
      <p>
        <a href={supervisionUrls.plan(plan.id)}>{plan.title}</a>
      </p>
      <table class="stack">
        <tbody>
          <tr>
            <th scope="row">commitHash（抽取前公布）</th>
            <td>
              <Hash value={c.commitHash} />
            </td>
          </tr>
          <tr>
            <th scope="row">serverSeedHash（抽取前公布）</th>
            <td>
              <Hash value={c.serverSeedHash} />
            </td>
          </tr>
          <tr>
            <th scope="row">serverSeed（抽取后公开）</th>
            <td>
              <Hash value={d.serverSeed} />
            </td>
          </tr>
          <tr>
            <th scope="row">见证值 witness</th>
            <td>
              <code class="hash">{d.witness}</code>
            </td>
          </tr>
          <tr>
            <th scope="row">drawSeed = SHA-256(serverSeed ‖ witness)</th>
            <td>
              <Hash value={d.drawSeed} />
            </td>
          </tr>
          <tr>
            <th scope="row">抽取文件 SHA-256</th>
            <td>
              <Hash value={d.drawFileSha256} />
            </td>
          </tr>
        </tbody>
      </table>
      <p>
        <a class="button" href={supervisionUrls.drawFile(plan.id)} download={`draw-plan-${plan.id}.json`}>
          下载抽取文件（JSON）
        </a>
      </p>
      <section class="panel" aria-labelledby="how-h">
        <h2 id="how-h">怎样核验</h2>
        <ol>
          <li>核对 serverSeedHash 和 commitHash 与抽取前公布的一致（本页和计划公告均可查）。</li>
          <li>
            下载抽取文件后运行 <code>zhize draw verify draw-plan-{plan.id}.json</code>
            ：程序只根据文件本身重新计算全部哈希、分配、抽中的检查对象和执法人员，一致时输出{' '}
            <code>match</code>，否则逐条说明不一致之处。
          </li>
          <li>
            也可以按公开的算法自行编写程序复算：文件包含参数、检查对象名录、执法人员名录（姓名不公开，以“不公开”代替，证号和回避申报照常公开）、服务器种子、见证值和结果。
          </li>
        </ol>
      </section>
    </Page>
  );
}

function AllTasksPage({ ctx, plans, tasks }: { ctx: PageContext; plans: PlanOut[]; tasks: TaskOut[] }) {
  return (
    <Page ctx={ctx} title="抽查任务公告" crumbs={[{ href: supervisionUrls.tasks(), label: '抽查任务公告' }]}>
      <h1>抽查任务公告</h1>
      <p>
        已抽取的计划中被抽中的检查对象和选派的执法人员（只公布执法证号）。{' '}
        <a href={supervisionUrls.tasksCsv()} download>
          下载 CSV
        </a>
      </p>
      {plans.length === 0 ? <p class="muted">暂无已抽取的计划。</p> : null}
      {plans.map((p) => (
        <section aria-labelledby={`plan-${p.id}-h`}>
          <h2 id={`plan-${p.id}-h`}>
            <a href={supervisionUrls.plan(p.id)}>{p.title}</a>
          </h2>
          <TasksTable tasks={tasks.filter((t) => t.planId === p.id)} />
        </section>
      ))}
    </Page>
  );
}

// ───────────────────────────── CSV ─────────────────────────────

function sendCsv(reply: FastifyReply, name: string, csv: string): FastifyReply {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}"`)
    .send(csv);
}

const TASK_HEADER = [
  '计划编号',
  '计划',
  '序号',
  '检查对象',
  '统一社会信用代码',
  '县（市、区）',
  '执法人员（执法证号）',
];
const taskRows = (tasks: TaskOut[], titles: Map<number, string>) =>
  tasks.map((t) => [
    t.planId,
    titles.get(t.planId) ?? '',
    t.position,
    t.name,
    t.uscc,
    t.county,
    t.inspectors.join(' '),
  ]);

function planIdOf(req: FastifyRequest): number | null {
  const v = (req.params as { id?: string }).id;
  return v && /^[1-9]\d{0,9}$/.test(v) ? Number(v) : null;
}

async function publicPlanOrNull(req: FastifyRequest, id: number | null): Promise<PlanOut | null> {
  if (id === null) return null;
  try {
    return await getPlan(req.server.database.db, id, { publicOnly: true });
  } catch {
    return null;
  }
}

export const noticePages: FastifyPluginAsync = async (app) => {
  const db = () => app.database.db;
  const hide = { schema: { hide: true } };

  app.get('/supervision', hide, async (req, reply) => {
    const plans = await listPlans(db(), { publicOnly: true });
    return sendPage(reply, <IndexPage ctx={pageContext(req, reply)} plans={plans} />);
  });

  app.get('/supervision/items', hide, async (req, reply) =>
    sendPage(reply, <ItemsPage ctx={pageContext(req, reply)} infos={await regimeInfos(req)} />),
  );

  app.get('/supervision/items/:seq', hide, async (req, reply) => {
    const seq = Number((req.params as { seq: string }).seq);
    const info = (await regimeInfos(req)).find((i) => i.rule.seq === seq);
    if (!info) return sendNotFound(req, reply, '这项抽查事项');
    const plans = await listPlans(db(), { publicOnly: true, regimeSeq: seq });
    return sendPage(reply, <ItemPage ctx={pageContext(req, reply)} info={info} plans={plans} />);
  });

  app.get('/supervision/items.csv', hide, async (req, reply) => {
    const infos = await regimeInfos(req);
    const cite = (c: Citation | null) => (c ? `第${c.line}行` : '');
    return sendCsv(
      reply,
      'supervision-items.csv',
      toCsv(
        [
          '序号',
          '抽查事项',
          '抽查依据',
          '抽查对象',
          '抽查比例',
          '比例出处',
          '抽查频次',
          '频次出处',
          '执法人员',
          '人数出处',
          '抽查内容',
          '抽查方式',
        ],
        infos.map(({ rule, regime }) => [
          rule.seq,
          rule.title,
          `《衡水市商务局事中事后监管制度》${rule.title}（原文第${rule.lines.from}–${rule.lines.to}行）`,
          rule.subjects.categories.map((c) => CATEGORY_NAME[c]).join('、'),
          ratioText(rule),
          cite(rule.minSamplingRatio.citation),
          frequencyText(rule),
          cite(rule.roundsPerYear.citation),
          inspectorsCell(rule),
          cite(rule.minInspectors.citation),
          (regime?.checkItems ?? []).map((c) => c.text).join('\n'),
          rule.methods.map((m) => m.text).join('；'),
        ]),
      ),
    );
  });

  app.get('/supervision/plans', hide, async (req, reply) =>
    sendPage(
      reply,
      <PlansPage ctx={pageContext(req, reply)} plans={await listPlans(db(), { publicOnly: true })} />,
    ),
  );

  app.get('/supervision/plans.csv', hide, async (_req, reply) => {
    const plans = await listPlans(db(), { publicOnly: true });
    return sendCsv(
      reply,
      'supervision-plans.csv',
      toCsv(
        [
          '计划编号',
          '计划',
          '监管制度序号',
          '年度',
          '轮次',
          '状态',
          '抽查比例',
          '每项任务执法人员',
          '检查对象总数',
          '抽取数量',
          'populationHash',
          'inspectorsHash',
          'serverSeedHash',
          'commitHash',
          '见证值',
          'serverSeed',
          'drawSeed',
          '抽取文件SHA-256',
        ],
        plans.map((p) => [
          p.id,
          p.title,
          p.regimeSeq,
          p.year,
          p.round,
          p.statusName,
          p.ratio,
          p.minInspectors,
          p.commitment?.populationSize,
          p.commitment?.sampleSize,
          p.commitment?.populationHash,
          p.commitment?.inspectorsHash,
          p.commitment?.serverSeedHash,
          p.commitment?.commitHash,
          p.draw?.witness,
          p.draw?.serverSeed,
          p.draw?.drawSeed,
          p.draw?.drawFileSha256,
        ]),
      ),
    );
  });

  app.get('/supervision/plans/:id', hide, async (req, reply) => {
    const plan = await publicPlanOrNull(req, planIdOf(req));
    if (!plan) return sendNotFound(req, reply, '这个抽查计划');
    const tasks = plan.draw ? await listTasks(db(), { planId: plan.id }) : [];
    return sendPage(reply, <PlanPage ctx={pageContext(req, reply)} plan={plan} tasks={tasks} />);
  });

  app.get('/supervision/plans/:id/draw', hide, async (req, reply) => {
    const plan = await publicPlanOrNull(req, planIdOf(req));
    if (!plan?.draw) return sendNotFound(req, reply, '这次抽取（计划不存在或尚未抽取）');
    return sendPage(reply, <DrawPage ctx={pageContext(req, reply)} plan={plan} />);
  });

  app.get('/supervision/plans/:id/draw.json', hide, async (req, reply) => {
    const id = planIdOf(req);
    const plan = await publicPlanOrNull(req, id);
    const text = plan ? await drawFileText(db(), plan.id) : null;
    if (!plan || text === null) {
      return reply
        .status(404)
        .send({ error: { code: 'not_found', message: '没有这次抽取：计划不存在或尚未抽取' } });
    }
    return reply
      .type('application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="draw-plan-${plan.id}.json"`)
      .send(text);
  });

  app.get('/supervision/plans/:id/tasks.csv', hide, async (req, reply) => {
    const plan = await publicPlanOrNull(req, planIdOf(req));
    if (!plan?.draw)
      return reply.status(404).send({ error: { code: 'not_found', message: '计划不存在或尚未抽取' } });
    const tasks = await listTasks(db(), { planId: plan.id });
    return sendCsv(
      reply,
      `plan-${plan.id}-tasks.csv`,
      toCsv(TASK_HEADER, taskRows(tasks, new Map([[plan.id, plan.title]]))),
    );
  });

  app.get('/supervision/plans/:id/population.csv', hide, async (req, reply) => {
    const plan = await publicPlanOrNull(req, planIdOf(req));
    if (!plan)
      return reply.status(404).send({ error: { code: 'not_found', message: '计划不存在或尚未公布' } });
    const rows = await listPlanPopulation(db(), plan.id);
    return sendCsv(
      reply,
      `plan-${plan.id}-population.csv`,
      toCsv(
        ['统一社会信用代码', '名称', '县（市、区）'],
        rows.map((r) => [r.uscc, r.name, r.county]),
      ),
    );
  });

  app.get('/supervision/tasks', hide, async (req, reply) => {
    const plans = await listPlans(db(), { publicOnly: true, status: 'drawn' });
    const tasks = await listTasks(db(), {});
    return sendPage(reply, <AllTasksPage ctx={pageContext(req, reply)} plans={plans} tasks={tasks} />);
  });

  app.get('/supervision/tasks.csv', hide, async (_req, reply) => {
    const plans = await listPlans(db(), { publicOnly: true, status: 'drawn' });
    const tasks = await listTasks(db(), {});
    return sendCsv(
      reply,
      'supervision-tasks.csv',
      toCsv(TASK_HEADER, taskRows(tasks, new Map(plans.map((p) => [p.id, p.title])))),
    );
  });
};
