import type { FastifyPluginAsync } from 'fastify';
import { verifyAudit } from '../audit/index.ts';
import { requireRole } from '../auth/index.ts';
import { positiveInt } from './admin.forms.ts';
import { AUDIT_READERS } from './admin.policy.ts';
import { AUDIT_ACTIONS, AUDIT_ENTITIES, formatTime } from './admin.presenters.ts';
import { type AuditRow, listAudit } from './admin.queries.ts';
import { sendStaffPage } from './admin.views.tsx';

const PAGE_SIZE = 50;

/** 审计日志: the chained trail, newest first, and whether the chain still verifies. */
export const auditPages: FastifyPluginAsync = async (app) => {
  app.get(
    '/admin/audit',
    { schema: { hide: true }, preHandler: requireRole(...AUDIT_READERS) },
    async (req, reply) => {
      const page = positiveInt((req.query as Record<string, unknown>).page) ?? 1;
      const db = app.database.db;
      const [verification, { rows, total }] = await Promise.all([
        verifyAudit(db),
        listAudit(db, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
      ]);
      const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
      return sendStaffPage(
        req,
        reply,
        '审计日志',
        <>
          <h1>审计日志</h1>
          <p class="muted">
            每一次写入（登录、提议、审核、发布、用户管理）都记入审计日志，并用 SHA-256
            与前一条记录链接；任何一条被改动、删除或调换顺序，校验都会指出。
          </p>
          {verification.ok ? (
            <div class="verify verify-ok" role="status">
              <strong>审计链校验通过</strong>：共 {verification.entries} 条记录，链头哈希{' '}
              <code class="hash">{verification.headHash}</code>
            </div>
          ) : (
            <div class="verify verify-bad" role="alert">
              <strong>审计链校验失败：发现 {verification.problems.length} 处问题</strong>
              <ul>
                {verification.problems.map((p) => (
                  <li>{p.message}</li>
                ))}
              </ul>
            </div>
          )}
          <p>
            共 {total} 条，第 {page} / {pages} 页（最新的在前）。
          </p>
          <table class="stack audit-table">
            <thead>
              <tr>
                <th scope="col">序号</th>
                <th scope="col">时间</th>
                <th scope="col">操作人</th>
                <th scope="col">操作</th>
                <th scope="col">对象</th>
                <th scope="col">修改前</th>
                <th scope="col">修改后</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <AuditEntry r={r} />
              ))}
            </tbody>
          </table>
          <nav class="pager" aria-label="翻页">
            {page > 1 ? <a href={`/admin/audit?page=${page - 1}`}>‹ 较新的记录</a> : <span />}
            {page < pages ? <a href={`/admin/audit?page=${page + 1}`}>较早的记录 ›</a> : <span />}
          </nav>
        </>,
      );
    },
  );
};

/** Stored JSON, pretty-printed when it parses (shown as text: Preact escapes it). */
function Json({ value }: { value: string | null }) {
  if (value === null) return <span class="muted">—</span>;
  let text = value;
  try {
    text = JSON.stringify(JSON.parse(value), null, 1);
  } catch {
    // keep the stored text as it is
  }
  return <pre class="json">{text}</pre>;
}

function AuditEntry({ r }: { r: AuditRow }) {
  return (
    <tr>
      <td data-label="序号">{r.seq}</td>
      <td data-label="时间">{formatTime(r.at)}</td>
      <td data-label="操作人">{r.actor}</td>
      <td data-label="操作">{AUDIT_ACTIONS[r.action] ?? r.action}</td>
      <td data-label="对象">
        {AUDIT_ENTITIES[r.entity] ?? r.entity}
        {r.entityId ? ` ${r.entityId}` : ''}
      </td>
      <td data-label="修改前">
        <Json value={r.before} />
      </td>
      <td data-label="修改后">
        <Json value={r.after} />
      </td>
    </tr>
  );
}
