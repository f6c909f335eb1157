import type { FastifyPluginAsync } from 'fastify';
import type { ComponentChildren } from 'preact';
import { assets } from '../../../views/portal/assets.ts';
import type { PageContext } from '../../../views/portal/context.ts';
import { pageContext } from '../../../views/portal/context.ts';
import { sendNotFound } from '../../../views/portal/errors.tsx';
import { sendPage } from '../../../views/render.ts';
import { WITNESS_SOURCES } from '../draw/index.ts';
import type { PlanOut } from '../plans/plan.presenter.ts';
import { beijingSecondsText, HASH_EXPLAINED, Hash } from '../plans/plan.views.tsx';
import { planIdOf, publicPlanOrNull } from './notice.load.ts';
import { crumbsTo, FieldTable, Page, supervisionUrls } from './notice.views.tsx';

/**
 * 核验抽取: the values that fix a draw — committed before it, revealed after — each explained in a
 * sentence, the self-contained file `zhize draw verify` recomputes (downloaded from
 * notices.downloads.ts), and the same verification in the visitor's browser (public/draw-verify.js).
 */

/** A value with its name and what it is. */
const explained = (value: string, what: string): ComponentChildren => (
  <>
    <Hash value={value} />
    <p class="hint">{what}</p>
  </>
);

/** The registry the browser verifier checks the witness source against (id, reference pattern, format). */
const SOURCES_JSON = JSON.stringify(
  WITNESS_SOURCES.map((s) => ({ id: s.id, pattern: s.reference.pattern, format: s.format })),
);

function DrawPage({ ctx, plan }: { ctx: PageContext; plan: PlanOut }) {
  const d = plan.draw!;
  const c = plan.commitment!;
  const w = plan.witness;
  const rows: Array<readonly [string, ComponentChildren]> = [
    ['承诺时间', beijingSecondsText(plan.committedAt!)],
    ...(w ? ([['计划抽取时间（承诺中固定）', beijingSecondsText(w.plannedDrawAt)]] as const) : []),
    ['抽取时间', beijingSecondsText(d.drawnAt)],
    ['commitHash（抽取前公布）', explained(c.commitHash, HASH_EXPLAINED.commitHash!)],
    ['serverSeedHash（抽取前公布）', explained(c.serverSeedHash, HASH_EXPLAINED.serverSeedHash!)],
    [
      'serverSeed（抽取后公开）',
      explained(
        d.serverSeed,
        '服务器种子本身：承诺时生成并保密，抽取后公开；它的 SHA-256 必须等于上面的 serverSeedHash。',
      ),
    ],
    [
      '见证值 witness（录入的原样）',
      explained(
        d.witness,
        w
          ? `在见证人面前录入的${w.sourceName} ${w.reference} 的结果，任何人都可到来源处查对。`
          : '抽取时录入的公开数值（第1版算法按原样使用）。',
      ),
    ],
    ...(w
      ? ([
          [
            '规范化见证值',
            explained(
              d.witnessCanonical,
              '按公布的规则规范化后的见证值：全角数字转为半角，去掉空格和分隔符，号码排序，加上来源和期号；录入写法不同，结果都相同。抽取只用这个形式。',
            ),
          ],
        ] as const)
      : []),
    [
      'drawSeed = SHA-256(serverSeed ‖ 见证值)',
      explained(
        d.drawSeed,
        '抽取种子：由服务器种子和见证值合成，决定抽中哪些检查对象、由哪些执法人员检查；两者任一不同，结果就不同。',
      ),
    ],
    [
      '抽取文件 SHA-256',
      explained(d.drawFileSha256, '完整抽取文件的“指纹”：下载文件后可自行计算，核对文件未被改动。'),
    ],
  ];
  return (
    <Page
      ctx={ctx}
      title={`核验抽取：${plan.title}`}
      crumbs={[crumbsTo.plans, crumbsTo.plan(plan), crumbsTo.draw(plan.id)]}
    >
      <p>
        <a href={supervisionUrls.plan(plan.id)}>{plan.title}</a>
      </p>
      <FieldTable rows={rows} />
      <p>
        <a class="button" href={supervisionUrls.drawFile(plan.id)} download={`draw-plan-${plan.id}.json`}>
          下载抽取文件（JSON）
        </a>{' '}
        <a href={supervisionUrls.commitment(plan.id)} download>
          下载承诺文本
        </a>
      </p>
      <section
        class="panel"
        id="browser-verify"
        aria-labelledby="browser-verify-h"
        data-file-url={supervisionUrls.drawFile(plan.id)}
        data-sources={SOURCES_JSON}
      >
        <h2 id="browser-verify-h">在浏览器中核验</h2>
        <p>
          不需要安装任何程序：按公开的算法在您的浏览器中重新计算全部哈希、分层分配、抽中的检查对象和选派的执法人员，并与抽取前公布的承诺核对。计算只在本机进行，不向服务器发送数据。
        </p>
        <label for="verify-commitment">
          抽取前公布的承诺（commitHash 或承诺文本；默认是本页公布的，也可以换成您抽取前自行保存的）
        </label>
        <textarea id="verify-commitment" rows={2} spellcheck={false}>
          {c.commitHash}
        </textarea>
        <p>
          <button type="button" id="verify-this">
            核验本次抽取文件
          </button>
        </p>
        <label for="verify-file">或选择一个已下载的抽取文件</label>
        <input type="file" id="verify-file" accept=".json,application/json" />
        <div id="verify-result" role="status" aria-live="polite" data-verdict="idle" />
        <noscript>
          <p>此功能需要启用 JavaScript；也可以下载文件后用命令行程序核验（见下文）。</p>
        </noscript>
      </section>
      <script type="module" src={assets.drawVerify} />
      <section class="panel" aria-labelledby="how-h">
        <h2 id="how-h">怎样核验</h2>
        <ol>
          <li>
            核对 commitHash
            与抽取前公布（您自行保存）的一致：承诺固定了参数、检查对象名录、见证值来源和计划抽取时间。
          </li>
          <li>
            下载抽取文件和承诺文本后运行{' '}
            <code>
              zhize draw verify draw-plan-{plan.id}.json --commitment commitment-plan-{plan.id}.txt
            </code>
            ：程序根据文件重新计算全部哈希、分配、抽中的检查对象和执法人员，并与承诺逐项核对；一致时输出{' '}
            <code>match</code>，否则逐条说明不一致之处。
          </li>
          <li>
            也可以按公开的算法（docs/draws.md）自行编写程序复算：文件包含参数、检查对象名录、排除名单、执法人员名录（姓名不公开，以“不公开”代替，证号和回避申报照常公开）、服务器种子、见证值和结果。
          </li>
        </ol>
      </section>
    </Page>
  );
}

export const drawNoticePages: FastifyPluginAsync = async (app) => {
  app.get('/supervision/plans/:id/draw', { schema: { hide: true } }, async (req, reply) => {
    const plan = await publicPlanOrNull(req, planIdOf(req));
    if (!plan?.draw) return sendNotFound(req, reply, '这次抽取（计划不存在或尚未抽取）');
    return sendPage(reply, <DrawPage ctx={pageContext(req, reply)} plan={plan} />);
  });
};
