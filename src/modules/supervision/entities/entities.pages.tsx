import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../http/errors.ts';
import { StackTable } from '../../../views/table.tsx';
import {
  ENTITY_CATEGORIES,
  ENTITY_STATUS_NAME,
  ENTITY_STATUSES,
  RISK_CLASS_NAME,
} from '../reference/index.ts';
import { toCsv } from '../shared/csv.ts';
import { uploadedFiles } from '../shared/multipart.ts';
import { reachOf } from '../shared/reach.ts';
import {
  Csrf,
  csrfToken,
  doneNotice,
  FormErrors,
  idParam,
  onRecord,
  queryOf,
  sendStaffPage,
} from '../shared/staff.views.tsx';
import { EntityForm, rawFromEntity, rawFromForm } from './entity.form.tsx';
import {
  ImportRefused,
  importEntities,
  MAX_LISTED_ERRORS,
  templateCsv,
  templateXlsx,
} from './entity.import.ts';
import { entityAbilities } from './entity.policy.ts';
import {
  createEntity,
  ENTITY_COLUMNS,
  EntityInvalid,
  type EntityOut,
  getEntity,
  listCounties,
  listEntities,
  type RawEntity,
  updateEntity,
} from './entity.service.ts';

/** 检查对象名录库 in the back office: list and filter, add and edit, bulk import, templates. */

const PAGE = 100;

export const entityPages: FastifyPluginAsync = async (app) => {
  const csrf = app.staffCsrf;
  const readers = entityAbilities.guard('read');
  const db = () => app.database.db;
  /** The role part, then the office part: an editor whose offices run no regime is refused here. */
  const maintainers = [
    entityAbilities.guard('maintain'),
    async (req: FastifyRequest) => {
      entityAbilities.assert('maintain', req.user!, { reach: await reachOf(db(), req.user!) });
    },
  ];

  app.get(
    '/admin/supervision/entities',
    { schema: { hide: true }, preHandler: readers },
    async (req, reply) => {
      const counties = await listCounties(db());
      const filter = {
        category: queryOf(req, 'category') || undefined,
        countyId: Number(queryOf(req, 'county')) || undefined,
        status: queryOf(req, 'status') || undefined,
        q: queryOf(req, 'q') || undefined,
      };
      const page = Math.max(1, Number(queryOf(req, 'page')) || 1);
      const { items, total } = await listEntities(db(), filter, { limit: PAGE, offset: (page - 1) * PAGE });
      const reach = await reachOf(db(), req.user!);
      const qs = (p: number) => {
        const params = new URLSearchParams();
        for (const k of ['category', 'county', 'status', 'q'])
          if (queryOf(req, k)) params.set(k, queryOf(req, k));
        params.set('page', String(p));
        return `?${params.toString()}`;
      };
      return sendStaffPage(req, reply, {
        title: '检查对象名录库',
        notice: doneNotice(req),
        children: (
          <>
            <h1>检查对象名录库</h1>
            {entityAbilities.can('maintain', req.user, { reach }) ? (
              <p>
                <a href="/admin/supervision/entities/new" class="button">
                  新增检查对象
                </a>{' '}
                <a href="/admin/supervision/entities/import" class="button">
                  批量导入（CSV/Excel）
                </a>{' '}
                <a href="/admin/supervision/entities.csv">导出当前名录（CSV）</a>
              </p>
            ) : (
              <p>
                <a href="/admin/supervision/entities.csv">导出当前名录（CSV）</a>
              </p>
            )}
            <form method="get" action="/admin/supervision/entities" class="filter-form">
              <label>
                类别
                <select name="category">
                  <option value="">全部</option>
                  {ENTITY_CATEGORIES.map((c) => (
                    <option value={c.code} selected={filter.category === c.code}>
                      {c.name}
                    </option>
                  ))}
                </select>
              </label>{' '}
              <label>
                县（市、区）
                <select name="county">
                  <option value="">全部</option>
                  {counties.map((c) => (
                    <option value={String(c.id)} selected={filter.countyId === c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
              </label>{' '}
              <label>
                状态
                <select name="status">
                  <option value="">全部</option>
                  {ENTITY_STATUSES.map((s) => (
                    <option value={s} selected={filter.status === s}>
                      {ENTITY_STATUS_NAME[s]}
                    </option>
                  ))}
                </select>
              </label>{' '}
              <label>
                名称或代码
                <input type="search" name="q" value={filter.q ?? ''} />
              </label>{' '}
              <button type="submit">筛选</button>
            </form>
            <p>
              共 {total} 条{total > PAGE ? `，第 ${page} 页` : ''}。
            </p>
            <StackTable
              rows={items}
              columns={[
                { label: '名称', cell: (e) => <a href={`/admin/supervision/entities/${e.id}`}>{e.name}</a> },
                { label: '统一社会信用代码', cell: (e) => <code>{e.uscc}</code> },
                { label: '类别', cell: (e) => e.categories.map((c) => c.name).join('、') },
                { label: '县（市、区）', cell: (e) => e.county },
                {
                  label: '许可证',
                  cell: (e) =>
                    `${e.licenceNo ?? '—'}${e.licenceValidUntil ? `（至 ${e.licenceValidUntil}）` : ''}`,
                },
                { label: '状态', cell: (e) => ENTITY_STATUS_NAME[e.status] },
                { label: '风险等级', cell: (e) => (e.riskClass ? RISK_CLASS_NAME[e.riskClass] : '未评定') },
              ]}
            />
            {total > PAGE ? (
              <nav class="pager" aria-label="分页">
                {page > 1 ? <a href={qs(page - 1)}>上一页</a> : null}{' '}
                {page * PAGE < total ? <a href={qs(page + 1)}>下一页</a> : null}
              </nav>
            ) : null}
          </>
        ),
      });
    },
  );

  app.get(
    '/admin/supervision/entities.csv',
    { schema: { hide: true }, preHandler: readers },
    async (_req, reply) => {
      const { items } = await listEntities(db(), {}, { limit: 10_000_000, offset: 0 });
      const csv = toCsv(
        ENTITY_COLUMNS.map((c) => c.label),
        items.map((e) => [
          e.name,
          e.uscc,
          e.categories.map((c) => c.name).join('、'),
          e.county,
          e.licenceNo,
          e.licenceValidFrom,
          e.licenceValidUntil,
          ENTITY_STATUS_NAME[e.status],
          e.riskClass ? RISK_CLASS_NAME[e.riskClass] : '',
          e.address,
        ]),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="entities.csv"; filename*=UTF-8''${encodeURIComponent('检查对象名录库.csv')}`,
        )
        .send(csv);
    },
  );

  const formPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    opts: { entity: EntityOut | null; values: RawEntity; errors: string[]; status?: number },
  ) => {
    const counties = await listCounties(db());
    const { entity } = opts;
    const reach = await reachOf(db(), req.user!);
    const writable = entity
      ? entityAbilities.can('edit', req.user, { reach, before: entity.categories.map((c) => c.code) })
      : entityAbilities.can('maintain', req.user, { reach });
    return sendStaffPage(req, reply, {
      title: entity ? entity.name : '新增检查对象',
      notice: doneNotice(req),
      status: opts.status,
      children: (
        <>
          <h1>{entity ? entity.name : '新增检查对象'}</h1>
          {entity ? (
            <p class="meta">
              <code>{entity.uscc}</code> · {entity.county} · {ENTITY_STATUS_NAME[entity.status]} · 更新于{' '}
              {entity.updatedAt.slice(0, 10)}
            </p>
          ) : null}
          <FormErrors errors={opts.errors} />
          {writable ? (
            <EntityForm
              action={entity ? `/admin/supervision/entities/${entity.id}` : '/admin/supervision/entities'}
              values={opts.values}
              counties={counties}
              token={csrfToken(req, reply)}
              submit={entity ? '保存修改' : '保存'}
              reach={reach}
              stored={entity ? entity.categories.map((c) => c.code) : []}
            />
          ) : entity ? (
            <dl class="record-fields">
              <dt>类别</dt>
              <dd>{entity.categories.map((c) => c.name).join('、')}</dd>
              <dt>经营场所地址</dt>
              <dd>{entity.address ?? '—'}</dd>
              <dt>许可证号</dt>
              <dd>{entity.licenceNo ?? '—'}</dd>
              <dt>有效期</dt>
              <dd>
                {entity.licenceValidFrom ?? '—'} 至 {entity.licenceValidUntil ?? '—'}
              </dd>
              <dt>风险等级</dt>
              <dd>{entity.riskClass ? RISK_CLASS_NAME[entity.riskClass] : '未评定'}</dd>
            </dl>
          ) : null}
          <p>
            <a href="/admin/supervision/entities">返回名录库</a>
          </p>
        </>
      ),
    });
  };

  app.get(
    '/admin/supervision/entities/new',
    { schema: { hide: true }, preHandler: maintainers },
    async (req, reply) => formPage(req, reply, { entity: null, values: { status: 'active' }, errors: [] }),
  );

  app.post(
    '/admin/supervision/entities',
    { schema: { hide: true }, preHandler: [...maintainers, csrf.preHandler] },
    async (req, reply) => {
      const raw = rawFromForm(req);
      try {
        const id = await db()
          .transaction()
          .execute((tx) => createEntity(tx, req.user!, raw));
        return reply.redirect(`/admin/supervision/entities/${id}?done=created`, 303);
      } catch (e) {
        if (e instanceof EntityInvalid) {
          return formPage(req, reply, {
            entity: null,
            values: raw,
            errors: e.errors.map((x) => `${x.column}：${x.reason}`),
            status: 400,
          });
        }
        throw e;
      }
    },
  );

  const importPage = (
    req: FastifyRequest,
    reply: FastifyReply,
    opts: {
      errors?: { list: Array<{ row: number; column: string; reason: string }>; total: number };
      status?: number;
    } = {},
  ) =>
    sendStaffPage(req, reply, {
      title: '批量导入检查对象',
      status: opts.status,
      notice: opts.errors
        ? {
            kind: 'error',
            text: `导入被拒绝：发现 ${opts.errors.total} 处问题，整个文件均未导入。请修改后重新上传。`,
          }
        : null,
      children: (
        <>
          <h1>批量导入检查对象</h1>
          {opts.errors ? (
            <section aria-labelledby="import-errors-h">
              <h2 id="import-errors-h">问题清单</h2>
              <StackTable
                rows={opts.errors.list}
                columns={[
                  { label: '行号', cell: (e) => (e.row === 0 ? '整个文件' : `第 ${e.row} 行`) },
                  { label: '列', cell: (e) => e.column },
                  { label: '原因', cell: (e) => e.reason },
                ]}
              />
              {opts.errors.total > opts.errors.list.length ? (
                <p>
                  另有 {opts.errors.total - opts.errors.list.length} 处问题未列出（只列出前{' '}
                  {MAX_LISTED_ERRORS} 处）。
                </p>
              ) : null}
            </section>
          ) : null}
          <p>
            上传 CSV（UTF-8 或 GB18030 编码）或 Excel（.xlsx）文件。第 1 行为表头，从第 2
            行起每行一个检查对象。
            <strong>任何一行有错，整个文件都不会导入</strong>
            ；已在名录库中的统一社会信用代码会更新该检查对象。
          </p>
          <p>
            下载模板：<a href="/admin/supervision/entities/template.xlsx">Excel 模板</a> ·{' '}
            <a href="/admin/supervision/entities/template.csv">CSV 模板</a>
          </p>
          <table>
            <caption>列说明</caption>
            <thead>
              <tr>
                <th>列</th>
                <th>必填</th>
                <th>说明</th>
              </tr>
            </thead>
            <tbody>
              {ENTITY_COLUMNS.map((c) => (
                <tr>
                  <td>{c.label}</td>
                  <td>{c.required ? '是' : '否'}</td>
                  <td>{c.hint}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <form
            method="post"
            action="/admin/supervision/entities/import"
            enctype="multipart/form-data"
            class="stack-form"
          >
            <Csrf token={csrfToken(req, reply)} />
            <label>
              文件
              <input
                type="file"
                name="file"
                required
                accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              />
            </label>
            <button type="submit">上传并导入</button>
          </form>
        </>
      ),
    });

  app.get(
    '/admin/supervision/entities/import',
    { schema: { hide: true }, preHandler: maintainers },
    async (req, reply) => importPage(req, reply),
  );

  app.post(
    '/admin/supervision/entities/import',
    { schema: { hide: true }, preHandler: [...maintainers, csrf.preHandler] },
    async (req, reply) => {
      const file = uploadedFiles(req.body).find((f) => f.field === 'file');
      if (!file || file.data.length === 0) {
        return importPage(req, reply, {
          errors: { list: [{ row: 0, column: '文件', reason: '请选择要上传的文件' }], total: 1 },
          status: 400,
        });
      }
      try {
        const result = await db()
          .transaction()
          .execute((tx) => importEntities(tx, req.user!, { filename: file.filename, data: file.data }));
        return sendStaffPage(req, reply, {
          title: '导入完成',
          notice: {
            kind: 'ok',
            text: `导入完成：共 ${result.rows} 行，新增 ${result.created} 个检查对象，更新 ${result.updated} 个。`,
          },
          children: (
            <>
              <h1>导入完成</h1>
              <p>
                文件 SHA-256：<code>{result.sha256}</code>（已记入审计日志）
              </p>
              <p>
                <a href="/admin/supervision/entities">查看名录库</a>
              </p>
            </>
          ),
        });
      } catch (e) {
        if (e instanceof ImportRefused) {
          return importPage(req, reply, { errors: { list: e.errors, total: e.totalErrors }, status: 400 });
        }
        throw e;
      }
    },
  );

  app.get(
    '/admin/supervision/entities/template.csv',
    { schema: { hide: true }, preHandler: maintainers },
    async (_req, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="entities-template.csv"; filename*=UTF-8''${encodeURIComponent('检查对象导入模板.csv')}`,
        )
        .send(templateCsv()),
  );

  app.get(
    '/admin/supervision/entities/template.xlsx',
    { schema: { hide: true }, preHandler: maintainers },
    async (_req, reply) =>
      reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'content-disposition',
          `attachment; filename="entities-template.xlsx"; filename*=UTF-8''${encodeURIComponent('检查对象导入模板.xlsx')}`,
        )
        .send(await templateXlsx()),
  );

  app.get(
    '/admin/supervision/entities/:id',
    { schema: { hide: true }, preHandler: readers },
    async (req, reply) => {
      const id = idParam(req);
      if (id === null) throw notFound('该检查对象');
      const entity = await getEntity(db(), id);
      return formPage(req, reply, { entity, values: rawFromEntity(entity), errors: [] });
    },
  );

  app.post(
    '/admin/supervision/entities/:id',
    { schema: { hide: true }, preHandler: [...maintainers, csrf.preHandler] },
    onRecord(db, {
      what: '该检查对象',
      invalid: EntityInvalid,
      run: (tx, req, id) => updateEntity(tx, req.user!, id, rawFromForm(req)),
      redirectTo: (id) => `/admin/supervision/entities/${id}?done=updated`,
      again: async (req, reply, id, e) =>
        formPage(req, reply, {
          entity: await getEntity(db(), id),
          values: rawFromForm(req),
          errors: e.errors.map((x) => `${x.column}：${x.reason}`),
          status: 400,
        }),
    }),
  );
};
