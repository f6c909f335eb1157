import type { FastifyPluginAsync } from 'fastify';
import { sendPage } from '../../views/render.ts';
import { Layout } from '../../views/layout.tsx';
import { countRegistry } from './registry.repo.ts';

/** A minimal home page listing the four parts with their counts. */
export const homePages: FastifyPluginAsync = async (app) => {
  app.get('/', { schema: { hide: true } }, async (_req, reply) => {
    const c = await countRegistry(app.database.db);
    const parts = [
      { title: '部门职责', n: c.duties, unit: `项主要职责，${c.workItems} 项具体工作事项`, href: '/api/v1/duties' },
      { title: '职责边界', n: c.boundaryMatters, unit: `个管理事项，${c.shares} 项部门分工`, href: '/api/v1/boundary-matters' },
      { title: '事中事后监管制度', n: c.regimes, unit: '项监管制度', href: '/api/v1/regimes' },
      { title: '公共服务事项', n: c.services, unit: '项公共服务', href: '/api/v1/services' },
    ];
    return sendPage(
      reply,
      <Layout title="首页">
        <h1>衡水市商务局职责清单</h1>
        <p>
          收录 {c.departments} 个部门、{c.offices} 个内设科室的职责信息。
        </p>
        <div class="cards">
          {parts.map((p) => (
            <a class="card" href={p.href}>
              <div>{p.title}</div>
              <div class="n">{p.n}</div>
              <div>{p.unit}</div>
            </a>
          ))}
        </div>
      </Layout>,
    );
  });
};
