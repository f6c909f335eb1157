import type { FastifyPluginAsync } from 'fastify';
import type { PageContext } from '../../../views/portal/context.ts';
import { pageContext } from '../../../views/portal/context.ts';
import { sendNotFound } from '../../../views/portal/errors.tsx';
import { urls } from '../../../views/portal/urls.ts';
import { sendPage } from '../../../views/render.ts';
import { type Column, StackTable } from '../../../views/table.tsx';
import type { PlanOut } from '../plans/plan.presenter.ts';
import { listPlans } from '../plans/plan.service.ts';
import { CATEGORY_NAME } from '../reference/index.ts';
import { NOT_STATED_ZH, type PenaltyRule, REGIME_RULES, ratioText, roundsText } from '../rules/rules.ts';
import { type RegimeInfo, regimeInfos } from './notice.load.ts';
import {
  Cite,
  Cites,
  crumbsTo,
  FieldTable,
  FigureCell,
  frequencyText,
  inspectorsCell,
  Page,
  penaltyAmount,
  Quotes,
  RegimeLines,
  supervisionUrls,
} from './notice.views.tsx';

/**
 * The entry of 一公开 and the 抽查事项清单: what is checked, on which basis, how often, at what
 * ratio and how, each figure linked to the line of the document that states it.
 */

function IndexPage({ ctx, plans }: { ctx: PageContext; plans: PlanOut[] }) {
  return (
    <Page ctx={ctx} title="抽查公示" heading="双随机、一公开">
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
        <li>
          <a class="card" href="/supervision/results">
            <span class="card-title">抽查结果公告</span>
            <span>经审核公示的检查结果（不含执法人员姓名），及撤回的结果和理由</span>
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

function CheckItems({ info }: { info: RegimeInfo }) {
  const items = info.regime?.checkItems ?? [];
  if (!items.length) return <span class="muted">—</span>;
  return (
    <details>
      <summary>{items.length} 项</summary>
      <ul class="plain">
        {items.map((c) => (
          <li>{c.text}</li>
        ))}
      </ul>
    </details>
  );
}

/** The columns of the 抽查事项清单 (its CSV has its own: notices.downloads.ts). */
const ITEM_COLUMNS: readonly Column<RegimeInfo>[] = [
  { label: '序号', cell: ({ rule }) => rule.seq },
  { label: '抽查事项', cell: ({ rule }) => <a href={supervisionUrls.item(rule.seq)}>{rule.title}</a> },
  {
    label: '抽查依据',
    cell: ({ rule, regime, docId }) => (
      <>
        《衡水市商务局事中事后监管制度》
        {regime ? <a href={urls.regime(regime.id)}>第 {rule.seq} 项</a> : `第 ${rule.seq} 项`}{' '}
        {docId !== null ? <RegimeLines rule={rule} docId={docId} /> : null}
      </>
    ),
  },
  {
    label: '抽查对象',
    cell: ({ rule, docId }) => (
      <>
        {rule.subjects.categories.map((c) => CATEGORY_NAME[c]).join('、')}{' '}
        <Cites citations={rule.subjects.citations} docId={docId} />
      </>
    ),
  },
  {
    label: '抽查比例',
    cell: ({ rule, docId }) => (
      <FigureCell text={ratioText(rule)} figure={rule.minSamplingRatio} docId={docId} />
    ),
  },
  {
    label: '抽查频次',
    cell: ({ rule, docId }) => (
      <FigureCell text={frequencyText(rule)} figure={rule.roundsPerYear} docId={docId} />
    ),
  },
  {
    label: '执法人员',
    cell: ({ rule, docId }) => (
      <FigureCell text={inspectorsCell(rule)} figure={rule.minInspectors} docId={docId} />
    ),
  },
  { label: '抽查内容', cell: (info) => <CheckItems info={info} /> },
  { label: '抽查方式', cell: ({ rule, docId }) => <Quotes items={rule.methods} docId={docId} /> },
];

function ItemsPage({ ctx, infos }: { ctx: PageContext; infos: RegimeInfo[] }) {
  return (
    <Page ctx={ctx} title="抽查事项清单" crumbs={[crumbsTo.items]}>
      <p>
        依据《衡水市商务局事中事后监管制度》逐项列出。每个数字都注明出处，可点击核对原文；原文没有规定的，写明“
        {NOT_STATED_ZH}”。
      </p>
      <p>
        <a href={supervisionUrls.itemsCsv()} download>
          下载 CSV
        </a>
      </p>
      <StackTable
        columns={ITEM_COLUMNS}
        rows={infos}
        className="stack items-table"
        rowId={({ rule }) => `item-${rule.seq}`}
      />
    </Page>
  );
}

/** `（note）` after a stated figure that carries one. */
const noteOf = (f: { value: unknown; note?: string }) => (f.value !== null && f.note ? `（${f.note}）` : '');

const PENALTY_COLUMNS = (docId: number | null): readonly Column<PenaltyRule>[] => [
  { label: '情形', cell: (p) => p.violation },
  { label: '处理', cell: (p) => p.label },
  { label: '幅度', cell: (p) => penaltyAmount(p) },
  { label: '出处', cell: (p) => <Cite c={p.citation} docId={docId} /> },
];

function ItemPage({ ctx, info, plans }: { ctx: PageContext; info: RegimeInfo; plans: PlanOut[] }) {
  const { rule, regime, docId } = info;
  return (
    <Page ctx={ctx} title={rule.title} crumbs={[crumbsTo.items, crumbsTo.item(rule)]}>
      <p>
        {regime ? <a href={urls.regime(regime.id)}>制度全文</a> : null}
        {docId !== null ? (
          <>
            {' · '}
            <RegimeLines rule={rule} docId={docId} />
          </>
        ) : null}
      </p>
      <FieldTable
        caption="监管规则"
        rows={[
          [
            '抽查对象',
            <>
              {rule.subjects.categories.map((c) => CATEGORY_NAME[c]).join('、')}
              {rule.subjects.note ? `（${rule.subjects.note}）` : ''}{' '}
              <Cites citations={rule.subjects.citations} docId={docId} />
            </>,
          ],
          ['抽查比例', <FigureCell text={ratioText(rule)} figure={rule.minSamplingRatio} docId={docId} />],
          [
            '抽查频次',
            <>
              <FigureCell text={roundsText(rule)} figure={rule.roundsPerYear} docId={docId} />
              {noteOf(rule.roundsPerYear)}
            </>,
          ],
          [
            '举报投诉',
            <FigureCell
              text={rule.onComplaint.value ? '有举报投诉时随时检查' : NOT_STATED_ZH}
              figure={rule.onComplaint}
              docId={docId}
            />,
          ],
          ['其他频次规定', <Quotes items={rule.frequencyNotes} docId={docId} />],
          [
            '每项检查的执法人员',
            <>
              <FigureCell text={inspectorsCell(rule)} figure={rule.minInspectors} docId={docId} />
              {noteOf(rule.minInspectors)}
            </>,
          ],
          ['抽查方式', <Quotes items={rule.methods} docId={docId} />],
        ]}
      />
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
        <StackTable columns={PENALTY_COLUMNS(docId)} rows={rule.penalties.items} />
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

export const itemNoticePages: FastifyPluginAsync = async (app) => {
  const hide = { schema: { hide: true } };

  app.get('/supervision', hide, async (req, reply) => {
    const plans = await listPlans(app.database.db, { publicOnly: true });
    return sendPage(reply, <IndexPage ctx={pageContext(req, reply)} plans={plans} />);
  });

  app.get('/supervision/items', hide, async (req, reply) =>
    sendPage(reply, <ItemsPage ctx={pageContext(req, reply)} infos={await regimeInfos(req)} />),
  );

  app.get('/supervision/items/:seq', hide, async (req, reply) => {
    const seq = Number((req.params as { seq: string }).seq);
    const info = (await regimeInfos(req)).find((i) => i.rule.seq === seq);
    if (!info) return sendNotFound(req, reply, '这项抽查事项');
    const plans = await listPlans(app.database.db, { publicOnly: true, regimeSeq: seq });
    return sendPage(reply, <ItemPage ctx={pageContext(req, reply)} info={info} plans={plans} />);
  });
};
