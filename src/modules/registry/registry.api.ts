import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, notFound } from '../../http/errors.ts';
import { dbId } from '../../http/params.ts';
import { isCalendarDate, todayInChina } from '../../lib/china-time.ts';
import { EXPORT_PARTS, exportCsv, exportDataset, exportXlsx } from './export/dataset.export.ts';
import { flagDuty, flagMatter, flagRegime, flagService, flagWorkItem } from './legal/flags.ts';
import { loadRegister } from './legal/legal.repo.ts';
import {
  countRegistry,
  findInList,
  listDepartments,
  listDuties,
  listMatters,
  listOffices,
  listRegimes,
  listServices,
  listWorkItems,
  sourceLines,
} from './read/registry.repo.ts';
import {
  BoundaryMatter,
  Department,
  Duty,
  Office,
  type PageOut,
  PageQuery,
  pageOf,
  Regime,
  Service,
  Stats,
  VersionQuery,
  WorkItem,
} from './registry.schema.ts';
import { databaseForVersion, latestVersionNumber, versionOnDate } from './versions/version.service.ts';

const IdParam = z.object({ id: dbId().describe('Record id') });
const DeptFilter = dbId().optional().describe('Department id');
const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** The read-only registry API under /api/v1. Thin handlers: validate → query → present. */
export const registryApi: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  /**
   * The live database (the version in effect), or an earlier published version when `?version=`
   * asks for one, or the version that stood on `?date=` (China date, not after today).
   */
  const dbFor = async (req: { query: unknown }) => {
    const q = req.query as { version?: number; date?: string };
    let version = q.version;
    if (q.date !== undefined && version === undefined) {
      if (!isCalendarDate(q.date)) throw new AppError(400, 'bad_date', '日期应为有效日期，格式 YYYY-MM-DD');
      if (q.date > todayInChina(app.now().getTime()))
        throw new AppError(
          400,
          'future_date',
          '只能查看今天及以前的清单；已发布、尚未生效的调整见 /api/v1/versions 的 scheduled',
        );
      const on = await versionOnDate(app.database.db, q.date);
      if (on === null) throw new AppError(404, 'not_found', `${q.date} 还没有发布的清单版本`);
      version = on;
    }
    if (version === undefined) return app.database.db;
    const latest = await latestVersionNumber(app.database.db);
    if (latest === version) return app.database.db;
    return (await databaseForVersion(app.database.db, version)).db;
  };
  const tags = ['registry'];
  /** The live register of legal instruments (the warnings apply to every version's text). */
  const register = () => loadRegister(app.database.db);
  /** A page with each record's legal warnings attached. */
  const flagged = async <T, U>(
    page: Promise<PageOut<T>>,
    flag: (r: T, reg: Awaited<ReturnType<typeof register>>) => U,
  ) => {
    const [p, reg] = await Promise.all([page, register()]);
    return { ...p, items: p.items.map((r) => flag(r, reg)) };
  };
  const flaggedOne = async <T, U>(
    rec: Promise<T | undefined>,
    flag: (r: T, reg: Awaited<ReturnType<typeof register>>) => U,
  ) => {
    const [r, reg] = await Promise.all([rec, register()]);
    return r === undefined ? undefined : flag(r, reg);
  };
  type Db = Awaited<ReturnType<typeof dbFor>>;
  /** GET <path> for one list: a page of it, filtered by its query, `?version=` honoured. */
  const getList = <Q extends z.ZodTypeAny>(
    path: string,
    summary: string,
    querystring: Q,
    item: z.ZodTypeAny,
    load: (db: Db, query: z.infer<Q>) => Promise<PageOut<unknown>>,
  ) =>
    app.get(path, { schema: { tags, summary, querystring, response: { 200: pageOf(item) } } }, async (req) =>
      load(await dbFor(req), req.query as z.infer<Q>),
    );
  /**
   * GET <path>/:id for one record kind: the id validated, `?version=` honoured, a Chinese 404
   * when `load` finds nothing.
   */
  const getById = <T extends z.ZodTypeAny>(
    path: string,
    summary: string,
    response: T,
    what: string,
    load: (db: Db, id: number) => Promise<z.infer<T> | undefined>,
  ) =>
    app.get(
      path,
      {
        schema: {
          tags,
          summary,
          params: IdParam,
          querystring: VersionQuery,
          // The schema's own type stays with the caller (`load` must return it).
          response: { 200: response as z.ZodTypeAny, 404: ErrorBody },
        },
      },
      async (req) => {
        const record = await load(await dbFor(req), req.params.id);
        if (!record) throw notFound(`${what} ${req.params.id}`);
        return record;
      },
    );

  app.get(
    '/stats',
    { schema: { tags, summary: '各类记录数量', querystring: VersionQuery, response: { 200: Stats } } },
    async (req) => countRegistry(await dbFor(req)),
  );

  getList('/departments', '部门列表', PageQuery, Department, (db, q) => listDepartments(db, q));

  getById(
    '/departments/:id',
    '一个部门',
    Department,
    '部门',
    async (db, id) => (await listDepartments(db, { limit: 1, offset: 0 }, { id })).items[0],
  );

  getList(
    '/offices',
    '内设科室（含各自的工作事项和公共服务）',
    PageQuery.extend({ department: DeptFilter }),
    Office,
    (db, q) => listOffices(db, { department: q.department }, q),
  );

  getById('/offices/:id', '一个科室', Office, '科室', (db, id) => findInList(listOffices, db, id));

  getList(
    '/duties',
    '主要职责（含具体工作事项）',
    PageQuery.extend({ department: DeptFilter }),
    Duty,
    (db, q) => flagged(listDuties(db, { department: q.department }, q), flagDuty),
  );

  getById('/duties/:id', '一项主要职责', Duty, '主要职责', (db, id) =>
    flaggedOne(findInList(listDuties, db, id), flagDuty),
  );

  getList(
    '/work-items',
    '具体工作事项，可按科室、部门、主要职责筛选',
    PageQuery.extend({
      department: DeptFilter,
      office: dbId().optional().describe('Office id'),
      duty: dbId().optional().describe('Duty id'),
    }),
    WorkItem,
    (db, q) => flagged(listWorkItems(db, q, q), flagWorkItem),
  );

  getById('/work-items/:id', '一项工作事项', WorkItem, '工作事项', (db, id) =>
    flaggedOne(findInList(listWorkItems, db, id), flagWorkItem),
  );

  getList(
    '/boundary-matters',
    '职责边界：管理事项（含各部门分工、相关依据、案例）',
    PageQuery.extend({
      department: DeptFilter.describe('Department whose list it is'),
      involves: dbId().optional().describe('Department id that has a share'),
    }),
    BoundaryMatter,
    (db, q) => flagged(listMatters(db, q, q), flagMatter),
  );

  getById('/boundary-matters/:id', '一个管理事项', BoundaryMatter, '管理事项', (db, id) =>
    flaggedOne(findInList(listMatters, db, id), flagMatter),
  );

  getList(
    '/regimes',
    '事中事后监管制度（含各节与检查内容）',
    PageQuery.extend({ department: DeptFilter }),
    Regime,
    (db, q) => flagged(listRegimes(db, q, q), flagRegime),
  );

  getById('/regimes/:id', '一项监管制度', Regime, '监管制度', (db, id) =>
    flaggedOne(findInList(listRegimes, db, id), flagRegime),
  );

  getList(
    '/services',
    '公共服务事项（含承办机构和联系电话）',
    PageQuery.extend({
      department: DeptFilter,
      office: dbId().optional().describe('Office id'),
    }),
    Service,
    (db, q) => flagged(listServices(db, q, q), flagService),
  );

  getById('/services/:id', '一项公共服务', Service, '公共服务事项', (db, id) =>
    flaggedOne(findInList(listServices, db, id), flagService),
  );

  app.get(
    '/sources/:id',
    {
      schema: {
        tags,
        summary: '来源文档的原文行（用于核对出处）',
        params: IdParam,
        querystring: z.object({
          from: z.coerce.number().int().min(1).default(1).describe('First line (1-based)'),
          to: z.coerce.number().int().min(1).optional().describe('Last line (inclusive); default from+49'),
        }),
        response: {
          200: z.object({
            id: z.number().int(),
            name: z.string(),
            sha256: z.string(),
            lineCount: z.number().int(),
            importedAt: z.string(),
            officialUrl: z
              .string()
              .nullable()
              .describe('Where the document was officially published (entered by an admin); null until then'),
            lines: z.array(z.object({ number: z.number().int(), text: z.string() })),
          }),
          404: ErrorBody,
        },
      },
    },
    async (req) => {
      const to = req.query.to ?? req.query.from + 49;
      const doc = await sourceLines(
        await dbFor(req),
        req.params.id,
        req.query.from,
        Math.min(to, req.query.from + 999),
      );
      if (!doc) throw notFound(`来源文档 ${req.params.id}`);
      return doc;
    },
  );

  app.get(
    '/export',
    {
      schema: {
        tags: ['exports'],
        summary: '下载全部清单：json（可重新导入）、csv（按部分）、xlsx（每部分一张表）',
        querystring: z.object({
          version: VersionQuery.shape.version,
          date: VersionQuery.shape.date,
          format: z.enum(['json', 'csv', 'xlsx']).default('json'),
          part: z.enum(EXPORT_PARTS).default('duties').describe('CSV only: which list'),
        }),
      },
    },
    async (req, reply) => {
      const { format, part } = req.query;
      const stamp = new Date().toISOString().slice(0, 10);
      if (format === 'json') {
        const data = await exportDataset(await dbFor(req));
        reply.header('content-disposition', `attachment; filename="zhize-${stamp}.json"`);
        return reply.type('application/json; charset=utf-8').send(JSON.stringify(data, null, 2));
      }
      if (format === 'csv') {
        const csv = await exportCsv(await dbFor(req), part, await register());
        reply.header('content-disposition', `attachment; filename="zhize-${part}-${stamp}.csv"`);
        return reply.type('text/csv; charset=utf-8').send(csv);
      }
      const buf = await exportXlsx(await dbFor(req), await register());
      reply.header('content-disposition', `attachment; filename="zhize-${stamp}.xlsx"`);
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(buf);
    },
  );
};
