import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { DbOrTx } from '../../../db/database.ts';
import { chinaDateTime } from '../../../lib/china-time.ts';
import { type PageContext, pageContext } from '../../../views/portal/context.ts';
import { sendNotFound } from '../../../views/portal/errors.tsx';
import { Layout } from '../../../views/portal/layout.tsx';
import { sendPage } from '../../../views/render.ts';
import { TableHead } from '../../../views/table.tsx';
import { listScheduledVersions, type ScheduledVersion } from './schedule.repo.ts';
import {
  diffVersions,
  type FlatRecord,
  listVersions,
  type VersionDiff,
  type VersionInfo,
} from './version.service.ts';

/**
 * 调整记录 (public, no login): the published versions of the lists, newest first, and the
 * difference between any two, field by field. The audit chain head is shown so that outsiders
 * can write it down and later check that the trail was not rewritten.
 */

async function auditHead(db: DbOrTx): Promise<{ seq: number; hash: string } | null> {
  const h = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  return h ?? null;
}

/** A version number from the query string: undefined when absent, null when malformed. */
function versionParam(value: unknown): number | null | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^[1-9]\d{0,8}$/.test(value)) return null;
  return Number(value);
}

const CRUMB = { href: '/changes', label: '调整记录' };

const changeRecordPages: FastifyPluginAsync = async (app) => {
  app.get('/changes', { schema: { hide: true } }, async (req, reply) => {
    const db = app.database.db;
    const [versions, head, scheduled] = await Promise.all([
      listVersions(db),
      auditHead(db),
      listScheduledVersions(db),
    ]);
    return sendPage(
      reply,
      <ChangesPage ctx={pageContext(req, reply)} versions={versions} head={head} scheduled={scheduled} />,
    );
  });

  app.get('/changes/diff', { schema: { hide: true } }, async (req, reply) => {
    const db = app.database.db;
    const q = (req.query ?? {}) as Record<string, unknown>;
    const versions = await listVersions(db);
    const ctx = pageContext(req, reply);
    const from = versionParam(q.from);
    const to = versionParam(q.to);
    if (from === null || to === null) {
      return sendPage(
        reply,
        <DiffPage ctx={ctx} versions={versions} diff={null} error="版本号应为正整数，请重新选择。" />,
        400,
      );
    }
    const latest = versions[0]?.number;
    const toN = to ?? latest;
    const fromN = from ?? (toN !== undefined ? versions.find((v) => v.number < toN)?.number : undefined);
    if (toN === undefined || fromN === undefined) {
      return sendPage(
        reply,
        <DiffPage ctx={ctx} versions={versions} diff={null} error="目前只有一个版本，还没有可比较的调整。" />,
      );
    }
    const known = new Set(versions.map((v) => v.number));
    if (!known.has(fromN) || !known.has(toN)) return sendNotFound(req, reply, '所选的版本');
    const diff = await diffVersions(db, fromN, toN);
    return sendPage(reply, <DiffPage ctx={ctx} versions={versions} diff={diff} error={null} />);
  });
};

function ChangesPage({
  ctx,
  versions,
  head,
  scheduled,
}: {
  ctx: PageContext;
  versions: VersionInfo[];
  head: { seq: number; hash: string } | null;
  scheduled: ScheduledVersion[];
}) {
  return (
    <Layout title="调整记录" ctx={ctx} section="changes" crumbs={[CRUMB]}>
      <h1>调整记录</h1>
      <p>
        职责清单随法律法规和机构职能的变化动态调整。每次调整经审核后发布为一个新版本，并注明调整依据和生效日期；第
        1
        版为原始清单。门户显示的始终是现行有效的版本：生效日期在今后的调整发布后先在下面列出，到生效日期（北京时间）起才显示在清单中。
      </p>
      {scheduled.length > 0 ? (
        <section class="panel scheduled-versions">
          <h2>即将生效的调整</h2>
          <ul>
            {scheduled.map((s) => (
              <li id={`scheduled-${s.changeSetId}`}>
                <strong>将于 {s.effectiveDate} 生效</strong>：{s.reason}
                <div class="meta">
                  发布人：{s.scheduledBy}；发布时间：{beijing(s.scheduledAt)}
                  。生效前，清单、检索和接口仍显示调整前的内容。
                </div>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {versions.length > 1 ? (
        <p>
          <a class="button" href="/changes/diff">
            查看最近一次调整的内容
          </a>
        </p>
      ) : null}
      {versions.length === 0 ? (
        <p class="empty">还没有发布的版本。</p>
      ) : (
        <table class="stack versions">
          <caption class="visually-hidden">已发布的清单版本</caption>
          <TableHead columns={['版本', '生效日期', '调整内容和依据', '新增 / 删除 / 修改', '比较']} />
          <tbody>
            {versions.map((v, i) => {
              const prev = versions[i + 1];
              return (
                <tr id={`v${v.number}`}>
                  <th scope="row">第 {v.number} 版</th>
                  <td data-label="生效日期">{v.effectiveDate}</td>
                  <td data-label="调整内容和依据">
                    {v.reason}
                    <div class="meta">发布时间：{beijing(v.publishedAt)}</div>
                  </td>
                  <td data-label="新增 / 删除 / 修改">
                    <span class="count-added">新增 {v.summary.added}</span> /{' '}
                    <span class="count-removed">删除 {v.summary.removed}</span> /{' '}
                    <span class="count-changed">修改 {v.summary.changed}</span>
                  </td>
                  <td data-label="比较">
                    {prev ? (
                      <a href={`/changes/diff?from=${prev.number}&to=${v.number}`}>
                        与第 {prev.number} 版比较
                      </a>
                    ) : (
                      <span class="muted">原始清单</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {versions.length > 1 ? <CompareForm versions={versions} from={undefined} to={undefined} /> : null}
      <section class="panel anchor">
        <h2>审计链头哈希</h2>
        {head ? (
          <>
            <p>
              <code class="hash">{head.hash}</code>
            </p>
            <p class="meta">
              截至第 {head.seq} 条审计记录。清单的每一次修改都记入审计日志，各条记录以 SHA-256
              前后相连；记下此值，日后可据以核对审计记录没有被改写。
            </p>
          </>
        ) : (
          <p class="muted">还没有审计记录。</p>
        )}
      </section>
    </Layout>
  );
}

/** An ISO timestamp in Beijing time. */
const beijing = chinaDateTime;

/** One end of the comparison: a choice among the versions. */
function VersionChoice({
  label,
  name,
  versions,
  selected,
}: {
  label: string;
  name: string;
  versions: VersionInfo[];
  selected: number | undefined;
}) {
  return (
    <label>
      {label}{' '}
      <select name={name}>
        {versions.map((v) => (
          <option value={String(v.number)} selected={v.number === selected}>
            第 {v.number} 版（{v.effectiveDate}）
          </option>
        ))}
      </select>
    </label>
  );
}

function CompareForm({ versions, from, to }: { versions: VersionInfo[]; from?: number; to?: number }) {
  return (
    <form method="get" action="/changes/diff" class="compare-form">
      <h2>比较两个版本</h2>
      <VersionChoice label="从" name="from" versions={versions} selected={from ?? versions[1]?.number} />{' '}
      <VersionChoice label="到" name="to" versions={versions} selected={to ?? versions[0]?.number} />{' '}
      <button type="submit">比较</button>
    </form>
  );
}

/** Records a version added or removed, each with all its fields; nothing when there are none. */
function RecordSection({
  title,
  records,
  class: cls,
}: {
  title: string;
  records: FlatRecord[];
  class: string;
}) {
  if (records.length === 0) return null;
  return (
    <section>
      <h2>
        {title}（{records.length}）
      </h2>
      {records.map((r) => (
        <div class={`diff-record ${cls}`}>
          <h3>
            <span class="badge">{r.kind}</span>
            {r.label}
          </h3>
          <Fields record={r} />
        </div>
      ))}
    </section>
  );
}

function Fields({ record }: { record: FlatRecord }) {
  return (
    <dl class="record-fields">
      {Object.entries(record.fields)
        .filter(([, v]) => v !== '')
        .map(([k, v]) => (
          <>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </>
        ))}
    </dl>
  );
}

function DiffPage({
  ctx,
  versions,
  diff,
  error,
}: {
  ctx: PageContext;
  versions: VersionInfo[];
  diff: VersionDiff | null;
  error: string | null;
}) {
  const info = (n: number) => versions.find((v) => v.number === n);
  const to = diff ? info(diff.to) : undefined;
  return (
    <Layout
      title="版本比较"
      ctx={ctx}
      section="changes"
      crumbs={[CRUMB, { href: '/changes/diff', label: '版本比较' }]}
    >
      <h1>{diff ? `第 ${diff.from} 版 → 第 ${diff.to} 版` : '版本比较'}</h1>
      {error ? <p class="notice notice-error">{error}</p> : null}
      {to && diff && diff.to > diff.from ? (
        <div class="panel">
          <p>
            <strong>第 {to.number} 版</strong>，{to.effectiveDate} 生效：{to.reason}
          </p>
        </div>
      ) : null}
      {versions.length > 1 ? <CompareForm versions={versions} from={diff?.from} to={diff?.to} /> : null}
      {diff ? (
        <>
          <p class="diff-summary">
            <span class="count-added">新增 {diff.added.length} 条</span>、
            <span class="count-removed">删除 {diff.removed.length} 条</span>、
            <span class="count-changed">修改 {diff.changed.length} 条</span>
            {diff.added.length + diff.removed.length + diff.changed.length === 0
              ? '：两个版本内容相同。'
              : '。'}
          </p>
          {diff.changed.length > 0 ? (
            <section>
              <h2>修改（{diff.changed.length}）</h2>
              {diff.changed.map((c) => (
                <div class="diff-record changed-record">
                  <h3>
                    <span class="badge">{c.kind}</span>
                    {c.label}
                  </h3>
                  <table class="stack diff-table">
                    <TableHead columns={['字段', '修改前', '修改后']} />
                    <tbody>
                      {c.changes.map((f) => (
                        <tr>
                          <th scope="row">{f.field}</th>
                          <td class="before" data-label="修改前">
                            {f.before || <span class="muted">（空）</span>}
                          </td>
                          <td class="after" data-label="修改后">
                            {f.after || <span class="muted">（空）</span>}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ))}
            </section>
          ) : null}
          <RecordSection title="新增" records={diff.added} class="added-record" />
          <RecordSection title="删除" records={diff.removed} class="removed-record" />
        </>
      ) : null}
      <p>
        <a href="/changes">返回调整记录</a>
      </p>
    </Layout>
  );
}

export const versionPages = fp(changeRecordPages, { name: 'version-pages', dependencies: ['portal'] });
