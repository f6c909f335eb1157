import type { FastifyPluginAsync } from 'fastify';
import { ROLE_NAMES, requireRole, type SessionUser } from '../auth/index.ts';
import {
  type ChangeSetRow,
  ChangeSetTable,
  type ChangeStatus,
  listChangeSets,
  STATUS_NAMES,
  visibleFilter,
} from '../changes/index.ts';
import { AUDIT_READERS, AUTHORS, READ_CHANGES, REVIEWERS, USER_ADMINS } from './admin.policy.ts';
import { doneNotice } from './admin.presenters.ts';
import { sendStaffPage } from './admin.views.tsx';

/** 工作台: what is waiting for this user, counts, and the way to everything else. */
export const dashboardPages: FastifyPluginAsync = async (app) => {
  app.get('/admin', { schema: { hide: true }, preHandler: requireRole() }, async (req, reply) => {
    const user = req.user!;
    const sets = READ_CHANGES.includes(user.role)
      ? await listChangeSets(app.database.db, visibleFilter(user))
      : [];
    return sendStaffPage(req, reply, '工作台', <Dashboard user={user} sets={sets} />, {
      notice: doneNotice(req.query),
    });
  });
};

const COUNTED: ChangeStatus[] = ['draft', 'returned', 'submitted', 'approved', 'published', 'withdrawn'];

function Dashboard({ user, sets }: { user: SessionUser; sets: ChangeSetRow[] }) {
  const author = AUTHORS.includes(user.role);
  const reviewer = REVIEWERS.includes(user.role);
  const mineOpen = sets.filter(
    (s) => s.authorId === user.id && (s.status === 'draft' || s.status === 'returned'),
  );
  const toReview = sets.filter((s) => s.status === 'submitted' && s.authorId !== user.id);
  const toPublish = sets.filter((s) => s.status === 'approved');
  const count = (status: ChangeStatus) => sets.filter((s) => s.status === status).length;
  return (
    <>
      <h1>工作台</h1>
      <p>
        您好，{user.displayName}。您的角色是{ROLE_NAMES[user.role]}。
      </p>
      {READ_CHANGES.includes(user.role) ? (
        <ul class="counts" aria-label="调整单数量">
          {COUNTED.map((s) => (
            <li>
              <a href={`/admin/changes?status=${s}`}>
                <span class="count-num">{count(s)}</span>
                <span class="count-label">{STATUS_NAMES[s]}</span>
              </a>
            </li>
          ))}
        </ul>
      ) : null}

      {author ? (
        <section>
          <h2>我的草稿和被退回的调整单（{mineOpen.length}）</h2>
          <ChangeSetTable sets={mineOpen} empty="没有需要您继续处理的调整单。" />
          <p class="actions-row">
            <a class="button" href="/admin/changes/new">
              新建调整单
            </a>{' '}
            <a class="button secondary" href="/admin/records">
              可调整的记录
            </a>
          </p>
        </section>
      ) : null}

      {reviewer ? (
        <>
          <section>
            <h2>待审核（{toReview.length}）</h2>
            <ChangeSetTable sets={toReview} empty="没有等待您审核的调整单。" />
          </section>
          <section>
            <h2>待发布（{toPublish.length}）</h2>
            <ChangeSetTable sets={toPublish} empty="没有已审核通过、等待发布的调整单。" />
          </section>
        </>
      ) : null}

      <section>
        <h2>常用链接</h2>
        <ul class="link-list">
          {READ_CHANGES.includes(user.role) ? (
            <li>
              <a href="/admin/changes">全部调整单</a>
            </li>
          ) : null}
          {author ? (
            <li>
              <a href="/admin/records">可调整的记录</a>
            </li>
          ) : null}
          {AUDIT_READERS.includes(user.role) ? (
            <li>
              <a href="/admin/audit">审计日志</a>
            </li>
          ) : null}
          {USER_ADMINS.includes(user.role) ? (
            <li>
              <a href="/admin/users">用户管理</a>
            </li>
          ) : null}
          <li>
            <a href="/changes">调整记录（公开）</a>
          </li>
          <li>
            <a href="/admin/password">修改密码</a>
          </li>
        </ul>
        {user.role === 'inspector' ? (
          <p class="muted">执法人员的检查任务功能将在后续版本提供。清单调整由科室编辑提出、审核人审核。</p>
        ) : null}
      </section>
    </>
  );
}
