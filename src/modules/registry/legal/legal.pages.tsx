import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppError, notFound } from '../../../http/errors.ts';
import { attempt, fieldOf } from '../../../http/forms.ts';
import { pageContext } from '../../../views/portal/context.ts';
import { idOr404, sendNotFound } from '../../../views/portal/errors.tsx';
import { TrailPage } from '../../../views/portal/layout.tsx';
import { sendPage } from '../../../views/render.ts';
import { staffGuard } from '../../../views/staff/guard.ts';
import { Csrf, csrfToken, doneNotice, FormErrors, sendStaffPage } from '../../../views/staff/page.tsx';
import { type Column, StackTable } from '../../../views/table.tsx';
import type { Actor } from '../../audit/index.ts';
import { type FindingRecord, recordsCitingInstruments } from '../health/health.service.ts';
import { listInstruments } from './legal.repo.ts';
import { LegalInstrument, type LegalInstrumentOut, STATUS_NAMES } from './legal.schema.ts';
import { importRegisterFile, type RegisterWriteReport } from './legal.service.ts';

/**
 * The register of legal instruments where people read it: a public page (/legal, one page per
 * instrument with the records citing it), the JSON API (/api/v1/legal-instruments), and the
 * admin's page to import updates as CSV or JSON (/admin/legal).
 */

/** Who maintains the register (role code of the auth module). */
export const LEGAL_ADMINS = ['admin'] as const;

const columns = (link: (i: LegalInstrumentOut) => string): Column<LegalInstrumentOut>[] => [
  { label: '名称', cell: (i) => <a href={link(i)}>《{i.title}》</a> },
  { label: '效力级别', cell: (i) => i.levelName },
  { label: '文号', cell: (i) => i.docNumber ?? '—' },
  {
    label: '时效性',
    cell: (i) => (
      <span class={`badge status-${i.status}`}>
        {i.statusName}
        {i.statusDate ? `（${i.statusDate}）` : ''}
      </span>
    ),
  },
  {
    label: '替代或修改',
    cell: (i) =>
      i.successor ? (
        <a href={`/legal/${i.successor.id}`}>《{i.successor.title}》</a>
      ) : (
        (i.successorText ?? '—')
      ),
  },
  { label: '提示', cell: (i) => i.flag ?? '' },
];

function InstrumentFacts({ i }: { i: LegalInstrumentOut }) {
  const rows: Array<[string, string | null]> = [
    ['效力级别', i.levelName],
    ['制定机关', i.issuer],
    ['文号', i.docNumber],
    ['时效性', i.statusName],
    ['状态变化日期', i.statusDate],
    ['公布日期', i.promulgatedOn],
    ['施行日期', i.effectiveOn],
    ['替代或修改情况', i.successorText],
    ['说明', i.note],
    ['其他名称', i.aliases.join('、') || null],
    ['主题词', i.subjects.join('、') || null],
    ['信息来源', i.source],
    ['核对日期', i.sourceCheckedOn],
  ];
  return (
    <dl class="facts">
      {rows
        .filter(([, v]) => v)
        .map(([k, v]) => (
          <>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </>
        ))}
      {i.successor ? (
        <>
          <dt>{i.successorRelation === 'amended' ? '修改文件' : '替代文件'}</dt>
          <dd>
            <a href={`/legal/${i.successor.id}`}>《{i.successor.title}》</a>
          </dd>
        </>
      ) : null}
      <dt>核实</dt>
      <dd>{i.confirmed ? '已与官方文本核对' : '尚未与官方文本核对（来源多为转载页面）'}</dd>
    </dl>
  );
}

function CitingRecords({ records }: { records: readonly FindingRecord[] }) {
  if (records.length === 0) return <p class="muted">清单中没有记录引用或涉及这件文件。</p>;
  return (
    <ul class="records">
      {records.map((r) => (
        <li>
          <a href={r.url}>{r.label}</a> <span class="muted">（{r.relation}）</span>
        </li>
      ))}
    </ul>
  );
}

const actorOfRequest = (req: FastifyRequest): Actor => {
  const u = req.user as { id: number; username: string } | null | undefined;
  return u ? { id: u.id, name: u.username } : { id: null, name: 'anonymous' };
};

export const legalPages: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();

  app.get('/legal', { schema: { hide: true } }, async (req, reply) => {
    const items = await listInstruments(app.database.db);
    const stale = items.filter((i) => i.flag).length;
    return sendPage(
      reply,
      <TrailPage
        ctx={pageContext(req, reply)}
        section="changes"
        crumbs={[{ href: '/legal', label: '法律法规库' }]}
      >
        <p>
          清单引用的 {items.length} 件法律、法规、规章和文件，逐件注明时效性（有效 / 已修改 / 已废止 /
          尚未生效）、替代文件和信息来源；其中 {stale} 件已废止或变化，引用它们的记录在清单页面上有提示。另见
          <a href="/health">清单健康报告</a>。
        </p>
        <StackTable rows={items} columns={columns((i) => `/legal/${i.id}`)} rowId={(i) => `legal-${i.id}`} />
      </TrailPage>,
    );
  });

  app.get('/legal/:id', { schema: { hide: true } }, async (req, reply) => {
    const id = idOr404(req, reply, '这件法律法规');
    if (id === null) return reply;
    const item = (await listInstruments(app.database.db)).find((i) => i.id === id);
    if (!item) return sendNotFound(req, reply, '这件法律法规');
    const citing = (await recordsCitingInstruments(app.database.db)).get(id) ?? [];
    return sendPage(
      reply,
      <TrailPage
        ctx={pageContext(req, reply)}
        section="changes"
        crumbs={[
          { href: '/legal', label: '法律法规库' },
          { href: `/legal/${id}`, label: `《${item.title}》` },
        ]}
      >
        {item.flag ? (
          <div class="legal-flags" role="note">
            <p>{item.flag}</p>
          </div>
        ) : null}
        <InstrumentFacts i={item} />
        <h2>引用或涉及它的记录（{citing.length} 条）</h2>
        <CitingRecords records={citing} />
      </TrailPage>,
    );
  });

  const IdParam = z.object({ id: z.coerce.number().int().positive() });
  app.get(
    '/api/v1/legal-instruments',
    {
      schema: {
        tags: ['registry'],
        summary: '法律法规库：清单引用的法律、法规、规章和文件及其时效性',
        response: { 200: z.object({ items: z.array(LegalInstrument) }) },
      },
    },
    async () => ({ items: await listInstruments(app.database.db) }),
  );
  app.get(
    '/api/v1/legal-instruments/:id',
    {
      schema: {
        tags: ['registry'],
        summary: '一件法律法规（含引用它的记录）',
        params: IdParam,
        response: {
          200: LegalInstrument.extend({
            citedBy: z.array(
              z.object({
                kind: z.string(),
                id: z.number().int(),
                label: z.string(),
                url: z.string(),
                line: z.number().int().nullable(),
                relation: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const item = (await listInstruments(app.database.db)).find((i) => i.id === req.params.id);
      if (!item) throw notFound(`法律法规 ${req.params.id}`);
      const citing = (await recordsCitingInstruments(app.database.db)).get(item.id) ?? [];
      return { ...item, citedBy: citing.map(({ entity: _e, ...r }) => r) };
    },
  );

  // The admin's page: the register and the import of updates (CSV or JSON pasted or uploaded as text).
  const guard = staffGuard(LEGAL_ADMINS, '只有系统管理员可以维护法律法规库');
  const renderAdmin = async (
    req: FastifyRequest,
    reply: Parameters<typeof sendStaffPage>[1],
    state: { error?: AppError; text?: string; format?: string; report?: RegisterWriteReport } = {},
  ) => {
    const items = await listInstruments(app.database.db);
    return sendStaffPage(req, reply, {
      title: '法律法规库',
      status: state.error ? state.error.status : 200,
      notice: doneNotice(req, { imported: '导入完成，已写入审计日志。' }),
      children: (
        <>
          <h1>法律法规库</h1>
          <p>
            共 {items.length} 件。公开页面：<a href="/legal">/legal</a>。
          </p>
          <section aria-labelledby="import-h">
            <h2 id="import-h">导入更新（CSV 或 JSON）</h2>
            <p class="hint">
              每行一件文件，按“名称”匹配：已有的更新，没有的新增。列名可用中文：名称、效力级别、制定机关、文号、时效性（
              {Object.values(STATUS_NAMES).join(' / ')}
              ）、公布日期、施行日期、变化日期、替代或修改它的文件、关系（替代 /
              修改）、替代或修改情况、需调整清单（是 /
              否）、说明、信息来源（必填）、核对日期、已与官方文本核对、其他名称、主题词（多个用“、”分隔）。国家法律法规数据库导出的“标题、制定机关、法律性质、时效性、公布日期、施行日期”也能识别。有一行不合格时整份文件不导入。
            </p>
            {state.error ? <FormErrors errors={state.error.message.split('\n')} /> : null}
            <form method="post" action="/admin/legal/import">
              <Csrf token={csrfToken(req, reply)} />
              <label for="format">格式</label>
              <select id="format" name="format">
                <option value="csv" selected={state.format !== 'json'}>
                  CSV（第一行为列名）
                </option>
                <option value="json" selected={state.format === 'json'}>
                  JSON（数组）
                </option>
              </select>
              <label for="text">内容</label>
              <textarea id="text" name="text" rows={10} required>
                {state.text ?? ''}
              </textarea>
              <button type="submit">导入</button>
            </form>
          </section>
          <StackTable rows={items} columns={columns((i) => `/legal/${i.id}`)} />
        </>
      ),
    });
  };

  app.get('/admin/legal', { schema: { hide: true }, preHandler: guard }, (req, reply) =>
    renderAdmin(req, reply),
  );
  app.post(
    '/admin/legal/import',
    { schema: { hide: true }, preHandler: [guard, app.staffCsrf.preHandler] },
    async (req, reply) => {
      const text = fieldOf(req, 'text');
      const format = fieldOf(req, 'format') === 'json' ? 'json' : 'csv';
      const r = await attempt(() => importRegisterFile(app.database.db, text, format, actorOfRequest(req)));
      if (!r.ok) return renderAdmin(req, reply, { error: r.error, text, format });
      return reply.redirect('/admin/legal?done=imported', 303);
    },
  );
};
