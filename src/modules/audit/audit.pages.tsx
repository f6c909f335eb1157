import type { FastifyPluginAsync } from 'fastify';
import type { DbOrTx } from '../../db/database.ts';
import { parseId } from '../../http/params.ts';
import { chinaDateTime } from '../../lib/china-time.ts';
import type { BackofficeContribution } from '../../views/staff/backoffice.ts';
import { staffGuard } from '../../views/staff/guard.ts';
import { sendStaffPage } from '../../views/staff/page.tsx';
import { TableHead } from '../../views/table.tsx';
import { type AuditRow, listAudit } from './audit.repo.ts';
import { verifyAudit } from './audit.verify.ts';

/** Who reads the audit trail: admins and auditors (role codes of the auth module). */
export const AUDIT_READERS = ['admin', 'auditor'] as const;

/** The audit module's entry in the back office navigation. */
export const auditBackoffice: BackofficeContribution<DbOrTx> = {
  nav: [{ href: '/admin/audit', label: '审计日志', roles: AUDIT_READERS, order: 80 }],
};

/** Audit actions in Chinese (unknown ones shown as stored). */
export const AUDIT_ACTIONS: Record<string, string> = {
  create: '新增',
  update: '修改',
  retire: '停用',
  login: '登录',
  'change-password': '修改密码',
  'reset-password': '重置密码',
  'set-role': '修改角色和科室',
  disable: '停用账号',
  enable: '启用账号',
  'propose-create': '提议新增',
  'propose-update': '提议修改',
  'propose-retire': '提议停用',
  'withdraw-item': '删除调整项',
  submit: '提交审核',
  withdraw: '撤回',
  approve: '审核通过',
  return: '退回',
  publish: '发布',
  import: '导入',
};

/** Audited entities in Chinese (the codes the modules write; unknown ones shown as stored). */
export const AUDIT_ENTITIES: Record<string, string> = {
  duty: '主要职责',
  workItem: '具体工作事项',
  office: '内设科室',
  share: '职责分工',
  service: '公共服务事项',
  user: '用户',
  session: '用户',
  change_set: '调整单',
  change_item: '调整项',
  version: '清单版本',
};

const formatTime = (iso: string) => chinaDateTime(iso);

const PAGE_SIZE = 50;

/** 审计日志: the chained trail, newest first, and whether the chain still verifies. */
export const auditPages: FastifyPluginAsync = async (app) => {
  app.get(
    '/admin/audit',
    { schema: { hide: true }, preHandler: staffGuard(AUDIT_READERS) },
    async (req, reply) => {
      const page = parseId((req.query as Record<string, unknown>).page) ?? 1;
      const db = app.database.db;
      const [verification, { rows, total }] = await Promise.all([
        verifyAudit(db),
        listAudit(db, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
      ]);
      const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
      return sendStaffPage(req, reply, {
        title: '审计日志',
        children: (
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
              <TableHead columns={['序号', '时间', '操作人', '操作', '对象', '修改前', '修改后']} />
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
          </>
        ),
      });
    },
  );
};

/**
 * Stored JSON, pretty-printed when it parses (shown as text: Preact escapes it). The block
 * scrolls, so it takes the keyboard focus and has a name (axe scrollable-region-focusable).
 */
function Json({ value, label }: { value: string | null; label: string }) {
  if (value === null) return <span class="muted">—</span>;
  let text = value;
  try {
    text = JSON.stringify(JSON.parse(value), null, 1);
  } catch {
    // keep the stored text as it is
  }
  return (
    <section class="json" tabindex={0} aria-label={label}>
      <pre>{text}</pre>
    </section>
  );
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
        <Json value={r.before} label={`第 ${r.seq} 条的修改前内容`} />
      </td>
      <td data-label="修改后">
        <Json value={r.after} label={`第 ${r.seq} 条的修改后内容`} />
      </td>
    </tr>
  );
}
