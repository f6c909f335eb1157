import type { FastifyPluginAsync } from 'fastify';
import type { PageContext } from '../../../views/portal/context.ts';
import { pageContext } from '../../../views/portal/context.ts';
import { sendNotFound } from '../../../views/portal/errors.tsx';
import { sendPage } from '../../../views/render.ts';
import type { PlanOut } from '../plans/plan.presenter.ts';
import { Hash } from '../plans/plan.views.tsx';
import { planIdOf, publicPlanOrNull } from './notice.load.ts';
import { crumbsTo, FieldTable, Page, supervisionUrls } from './notice.views.tsx';

/**
 * 核验抽取: the values that fix a draw — committed before it, revealed after — and the
 * self-contained file `zhize draw verify` recomputes (downloaded from notices.downloads.ts).
 */

function DrawPage({ ctx, plan }: { ctx: PageContext; plan: PlanOut }) {
  const d = plan.draw!;
  const c = plan.commitment!;
  const values: Array<[string, string]> = [
    ['commitHash（抽取前公布）', c.commitHash],
    ['serverSeedHash（抽取前公布）', c.serverSeedHash],
    ['serverSeed（抽取后公开）', d.serverSeed],
    ['见证值 witness', d.witness],
    ['drawSeed = SHA-256(serverSeed ‖ witness)', d.drawSeed],
    ['抽取文件 SHA-256', d.drawFileSha256],
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
      <FieldTable rows={values.map(([name, value]) => [name, <Hash value={value} />] as const)} />
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

export const drawNoticePages: FastifyPluginAsync = async (app) => {
  app.get('/supervision/plans/:id/draw', { schema: { hide: true } }, async (req, reply) => {
    const plan = await publicPlanOrNull(req, planIdOf(req));
    if (!plan?.draw) return sendNotFound(req, reply, '这次抽取（计划不存在或尚未抽取）');
    return sendPage(reply, <DrawPage ctx={pageContext(req, reply)} plan={plan} />);
  });
};
