import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { DbOrTx, Tx } from '../../db/database.ts';
import { type AppError, notFound } from '../../http/errors.ts';
import { attempt, confirmationOf, fieldOf, fieldsOf } from '../../http/forms.ts';
import { idParam } from '../../http/params.ts';
import { chinaDateTime } from '../../lib/china-time.ts';
import type { BackofficeContribution } from '../../views/staff/backoffice.ts';
import { ConfirmFields } from '../../views/staff/confirm.tsx';
import { Csrf, csrfToken, doneNotice, type Notice, sendStaffPage } from '../../views/staff/page.tsx';
import { TableHead } from '../../views/table.tsx';
import { actorOf, type SessionUser } from './auth.service.ts';
import { USER_ADMINS, userAbilities } from './user.policy.ts';
import { listOfficeChoices, listUsers, type UserRow } from './user.repo.ts';
import { ROLE_NAMES, ROLES, type Role } from './user.schema.ts';
import { createUser, resetPassword, setUserActive, setUserRole } from './user.service.ts';

/**
 * 用户管理 (admins): the staff accounts, a form to create one, and per account the role and
 * offices, a password reset (typed or generated, shown once) and disabling with a reason.
 */

const DONE: Record<string, string> = {
  'user-created': '用户已创建。',
  'user-disabled': '账号已停用，该用户的登录已全部失效。',
  'user-enabled': '账号已重新启用。',
  'role-changed': '角色和科室已修改，该用户需要重新登录。',
  unchanged: '角色和科室没有变化。',
};

type Offices = Array<{ id: number; name: string }>;

/** The users pages' entry in the back office navigation. */
export const authBackoffice: BackofficeContribution<DbOrTx> = {
  nav: [{ href: '/admin/users', label: '用户管理', roles: USER_ADMINS, order: 90 }],
};

export const userPages: FastifyPluginAsync = async (app) => {
  const csrf = app.staffCsrf;
  const db = () => app.database.db;
  const guard = userAbilities.guard('list');
  const post = { schema: { hide: true }, preHandler: [guard, csrf.preHandler] };

  /** Runs a user action in one transaction, by the signed-in admin (who is authorised and audited). */
  const byAdmin = <T,>(
    req: FastifyRequest,
    action: (tx: Tx, who: { actor: ReturnType<typeof actorOf>; by: SessionUser }) => Promise<T>,
  ) =>
    attempt(() =>
      db()
        .transaction()
        .execute((tx) => action(tx, { actor: actorOf(req.user!), by: req.user! })),
    );

  const notice = (req: FastifyRequest, error: AppError | null): Notice | null =>
    error ? { kind: 'error', text: error.message } : doneNotice(req, DONE);

  const renderList = async (
    req: FastifyRequest,
    reply: FastifyReply,
    form: NewUserForm,
    error: AppError | null,
  ) => {
    const [users, offices] = await Promise.all([listUsers(db()), listOfficeChoices(db())]);
    return sendStaffPage(req, reply, {
      title: '用户管理',
      notice: notice(req, error),
      status: error?.status ?? 200,
      children: <UsersPage users={users} offices={offices} form={form} token={csrfToken(req, reply)} />,
    });
  };

  const renderUser = async (
    req: FastifyRequest,
    reply: FastifyReply,
    options: { error?: AppError | null; temporary?: string; reason?: string } = {},
  ) => {
    const id = idParam(req);
    const [users, offices] = await Promise.all([listUsers(db()), listOfficeChoices(db())]);
    const user = users.find((u) => u.id === id);
    if (!user) throw notFound('该用户');
    if (options.temporary) reply.header('cache-control', 'no-store');
    return sendStaffPage(req, reply, {
      title: `用户 ${user.username}`,
      notice: notice(req, options.error ?? null),
      status: options.error?.status ?? 200,
      children: (
        <UserPage
          user={user}
          me={req.user!}
          offices={offices}
          token={csrfToken(req, reply)}
          temporary={options.temporary}
          reason={options.reason}
        />
      ),
    });
  };

  app.get('/admin/users', { schema: { hide: true }, preHandler: guard }, (req, reply) =>
    renderList(req, reply, EMPTY_FORM, null),
  );

  app.post('/admin/users', post, async (req, reply) => {
    const form: NewUserForm = {
      username: fieldOf(req, 'username').trim(),
      displayName: fieldOf(req, 'displayName'),
      role: fieldOf(req, 'role'),
      officeIds: fieldsOf(req, 'officeIds'),
    };
    const r = await byAdmin(req, (tx, who) =>
      createUser(tx, {
        ...form,
        // An unknown role is refused by the schema with a Chinese message.
        role: form.role as Role,
        password: fieldOf(req, 'password'),
        ...who,
      }),
    );
    // The password is never sent back into the page; everything else is kept.
    if (!r.ok) return renderList(req, reply, form, r.error);
    return reply.redirect('/admin/users?done=user-created', 303);
  });

  app.get('/admin/users/:id', { schema: { hide: true }, preHandler: guard }, (req, reply) =>
    renderUser(req, reply),
  );

  app.post('/admin/users/:id/role', post, async (req, reply) => {
    const userId = idParam(req) ?? 0;
    const r = await byAdmin(req, (tx, who) =>
      setUserRole(tx, {
        userId,
        role: fieldOf(req, 'role') as Role,
        officeIds: fieldsOf(req, 'officeIds'),
        ...who,
      }),
    );
    if (!r.ok) return renderUser(req, reply, { error: r.error });
    return reply.redirect(
      `/admin/users/${userId}?done=${r.value.changed ? 'role-changed' : 'unchanged'}`,
      303,
    );
  });

  app.post('/admin/users/:id/password', post, async (req, reply) => {
    const r = await byAdmin(req, (tx, who) =>
      resetPassword(tx, {
        userId: idParam(req) ?? 0,
        password: fieldOf(req, 'password'),
        ...who,
      }),
    );
    if (!r.ok) return renderUser(req, reply, { error: r.error });
    // Shown once, in this answer only: not in a redirect URL, not stored anywhere readable.
    return renderUser(req, reply, { temporary: r.value.password });
  });

  app.post('/admin/users/:id/active', post, async (req, reply) => {
    const active = fieldOf(req, 'active') === '1';
    const r = await byAdmin(req, (tx, who) =>
      setUserActive(tx, {
        userId: idParam(req) ?? 0,
        active,
        confirm: active ? undefined : () => confirmationOf(req, { reasonRequired: true }),
        ...who,
      }),
    );
    if (!r.ok) return renderUser(req, reply, { error: r.error, reason: fieldOf(req, 'reason') });
    return reply.redirect(`/admin/users?done=${active ? 'user-enabled' : 'user-disabled'}`, 303);
  });
};

interface NewUserForm {
  username: string;
  displayName: string;
  role: string;
  officeIds: string[];
}

const EMPTY_FORM: NewUserForm = { username: '', displayName: '', role: '', officeIds: [] };

const formatTime = (iso: string) => chinaDateTime(iso);

function UsersPage({
  users,
  offices,
  form,
  token,
}: {
  users: UserRow[];
  offices: Offices;
  form: NewUserForm;
  token: string;
}) {
  return (
    <>
      <h1>用户管理</h1>
      <table class="stack">
        <TableHead columns={['用户名', '姓名', '角色', '所属科室', '状态', '创建时间', '操作']} />
        <tbody>
          {users.map((u) => (
            <tr>
              <th scope="row">{u.username}</th>
              <td data-label="姓名">{u.displayName}</td>
              <td data-label="角色">{ROLE_NAMES[u.role] ?? u.role}</td>
              <td data-label="所属科室">{u.offices.join('、') || '—'}</td>
              <td data-label="状态">
                {u.active ? '启用' : '停用'}
                {u.mustChangePassword ? '（待修改密码）' : ''}
              </td>
              <td data-label="创建时间">{formatTime(u.createdAt)}</td>
              <td data-label="操作">
                <a href={`/admin/users/${u.id}`}>管理</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2 id="new-user">新建用户</h2>
      <form method="post" action="/admin/users" class="stack-form">
        <Csrf token={token} />
        <label>
          用户名（字母、数字、下划线、点和连字符，3–40 位）
          <input
            type="text"
            name="username"
            required
            maxLength={40}
            value={form.username}
            autocomplete="off"
          />
        </label>
        <label>
          姓名（可空，默认同用户名）
          <input type="text" name="displayName" maxLength={100} value={form.displayName} />
        </label>
        <RoleFields role={form.role || 'editor'} chosen={form.officeIds} offices={offices} />
        <label>
          初始密码（至少 10 个字符，同时包含字母和数字；请通过安全渠道告知本人，并提醒登录后修改）
          <input type="password" name="password" required minLength={10} autocomplete="new-password" />
        </label>
        <button type="submit">创建用户</button>
      </form>
    </>
  );
}

/** The role select and the office checkboxes, shared by the create and the role forms. */
function RoleFields({
  role,
  chosen,
  offices,
}: {
  role: string;
  chosen: readonly string[];
  offices: Offices;
}) {
  const ticked = new Set(chosen);
  return (
    <>
      <label>
        角色
        <select name="role" required>
          {ROLES.map((r) => (
            <option value={r} selected={r === role}>
              {ROLE_NAMES[r]}
            </option>
          ))}
        </select>
      </label>
      <fieldset class="checkboxes">
        <legend>所属科室（科室编辑必须至少选择一个）</legend>
        {offices.map((o) => (
          <label class="check">
            <input type="checkbox" name="officeIds" value={String(o.id)} checked={ticked.has(String(o.id))} />{' '}
            {o.name}
          </label>
        ))}
      </fieldset>
    </>
  );
}

function UserPage({
  user,
  me,
  offices,
  token,
  temporary,
  reason,
}: {
  user: UserRow;
  me: SessionUser;
  offices: Offices;
  token: string;
  temporary?: string;
  reason?: string;
}) {
  const may = (action: 'disable' | 'enable') => userAbilities.can(action, me, { id: user.id });
  return (
    <>
      <p>
        <a href="/admin/users">‹ 返回用户列表</a>
      </p>
      <h1>
        用户 {user.username}（{user.displayName}）
      </h1>
      <p>
        {ROLE_NAMES[user.role]} · {user.offices.join('、') || '未绑定科室'} · {user.active ? '启用' : '停用'}
        {user.mustChangePassword ? ' · 下次登录须修改密码' : ''}
      </p>

      {temporary && (
        <div class="notice notice-ok temporary-password" role="status">
          <p>密码已重置，该用户的登录已全部失效。临时密码只显示这一次，请通过安全渠道告知本人：</p>
          <p>
            <code>{temporary}</code>
          </p>
          <p>本人用临时密码登录后，必须先设置新密码才能继续使用后台。</p>
        </div>
      )}

      <section>
        <h2>角色和科室</h2>
        <p class="muted">修改后该用户的登录会立即失效，需要重新登录。</p>
        <form method="post" action={`/admin/users/${user.id}/role`} class="stack-form">
          <Csrf token={token} />
          <RoleFields role={user.role} chosen={user.officeIds.map(String)} offices={offices} />
          <button type="submit">保存角色和科室</button>
        </form>
      </section>

      <section>
        <h2>重置密码</h2>
        <p class="muted">
          可以输入一个临时密码，也可以留空由系统生成。重置后该用户的登录全部失效，下次登录时必须设置新密码。
        </p>
        <form method="post" action={`/admin/users/${user.id}/password`} class="stack-form">
          <Csrf token={token} />
          <label>
            临时密码（留空则自动生成；至少 10 个字符，同时包含字母和数字）
            <input
              type="password"
              name="password"
              minLength={10}
              maxLength={200}
              autocomplete="new-password"
            />
          </label>
          <button type="submit">重置密码</button>
        </form>
      </section>

      <section>
        <h2>{user.active ? '停用账号' : '启用账号'}</h2>
        {user.active ? (
          may('disable') ? (
            <form method="post" action={`/admin/users/${user.id}/active`} class="stack-form">
              <Csrf token={token} />
              <input type="hidden" name="active" value="0" />
              <ConfirmFields
                idPrefix="disable"
                consequence="停用后该用户立即退出登录，且不能再登录，直到管理员重新启用。"
                reason={{ label: '停用理由（写入审计日志）', required: true, value: reason }}
              />
              <button type="submit" class="danger">
                停用账号
              </button>
            </form>
          ) : (
            <p>
              <button type="button" disabled aria-describedby="no-disable">
                停用账号
              </button>{' '}
              <span id="no-disable" class="muted">
                {userAbilities.refusal('disable')}
              </span>
            </p>
          )
        ) : (
          <form method="post" action={`/admin/users/${user.id}/active`} class="inline-form">
            <Csrf token={token} />
            <input type="hidden" name="active" value="1" />
            <button type="submit" disabled={!may('enable')}>
              重新启用
            </button>
          </form>
        )}
      </section>
    </>
  );
}
