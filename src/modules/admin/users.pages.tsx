import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppError } from '../../http/errors.ts';
import {
  actorOf,
  createUser,
  ROLE_NAMES,
  ROLES,
  type Role,
  requireRole,
  setUserActive,
} from '../auth/index.ts';
import { type FormValues, formOf, many, one, positiveInt } from './admin.forms.ts';
import { USER_ADMINS } from './admin.policy.ts';
import { doneNotice, formatTime } from './admin.presenters.ts';
import { type Lookups, listUsers, loadLookups, type UserRow } from './admin.queries.ts';
import { attempt, CsrfField, errorNotice, sendStaffPage } from './admin.views.tsx';

/** 用户管理 (admins): the staff accounts and a form to create one. */
export const userPages: FastifyPluginAsync = async (app) => {
  const csrf = app.staffCsrf;
  const guard = requireRole(...USER_ADMINS);

  const render = async (
    req: FastifyRequest,
    reply: FastifyReply,
    form: FormValues,
    error: AppError | null,
  ) => {
    const [users, lookups] = await Promise.all([listUsers(app.database.db), loadLookups(app.database.db)]);
    return sendStaffPage(
      req,
      reply,
      '用户管理',
      <UsersPage users={users} offices={lookups.offices} form={form} csrfToken={csrf.token(req, reply)} />,
      { notice: error ? errorNotice(error) : doneNotice(req.query), status: error ? error.status : 200 },
    );
  };

  app.get('/admin/users', { schema: { hide: true }, preHandler: guard }, (req, reply) =>
    render(req, reply, {}, null),
  );

  app.post(
    '/admin/users',
    { schema: { hide: true }, preHandler: [guard, csrf.preHandler] },
    async (req, reply) => {
      const form = formOf(req.body);
      const role = ROLES.find((r) => r === one(form, 'role'));
      const officeIds = many(form, 'officeIds')
        .map(positiveInt)
        .filter((n): n is number => n !== null);
      const r = await attempt(() =>
        app.database.db.transaction().execute((tx) =>
          createUser(tx, {
            username: one(form, 'username').trim(),
            displayName: one(form, 'displayName').trim() || undefined,
            // An unknown role is refused by createUser with a Chinese message.
            role: (role ?? one(form, 'role')) as Role,
            password: one(form, 'password'),
            officeIds,
            actor: actorOf(req.user!),
          }),
        ),
      );
      // The password is never sent back into the page; everything else is kept.
      if (!r.ok) return render(req, reply, { ...form, password: '' }, r.error);
      return reply.redirect('/admin/users?done=user-created', 303);
    },
  );

  app.post(
    '/admin/users/:id/active',
    { schema: { hide: true }, preHandler: [guard, csrf.preHandler] },
    async (req, reply) => {
      const id = positiveInt((req.params as { id: string }).id);
      const active = one(formOf(req.body), 'active') === '1';
      const r = await attempt(() =>
        app.database.db.transaction().execute((tx) => setUserActive(tx, req.user!, id ?? 0, active)),
      );
      if (!r.ok) return render(req, reply, {}, r.error);
      return reply.redirect(`/admin/users?done=${active ? 'user-enabled' : 'user-disabled'}`, 303);
    },
  );
};

function UsersPage({
  users,
  offices,
  form,
  csrfToken,
}: {
  users: UserRow[];
  offices: Lookups['offices'];
  form: FormValues;
  csrfToken: string;
}) {
  const chosen = new Set(many(form, 'officeIds'));
  const role = one(form, 'role') || 'editor';
  return (
    <>
      <h1>用户管理</h1>
      <table class="stack">
        <thead>
          <tr>
            <th scope="col">用户名</th>
            <th scope="col">姓名</th>
            <th scope="col">角色</th>
            <th scope="col">所属科室</th>
            <th scope="col">状态</th>
            <th scope="col">创建时间</th>
            <th scope="col">操作</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr>
              <th scope="row">{u.username}</th>
              <td data-label="姓名">{u.displayName}</td>
              <td data-label="角色">{ROLE_NAMES[u.role] ?? u.role}</td>
              <td data-label="所属科室">{u.offices.join('、') || '—'}</td>
              <td data-label="状态">{u.active ? '启用' : '停用'}</td>
              <td data-label="创建时间">{formatTime(u.createdAt)}</td>
              <td data-label="操作">
                <form method="post" action={`/admin/users/${u.id}/active`} class="inline-form">
                  <CsrfField token={csrfToken} />
                  <input type="hidden" name="active" value={u.active ? '0' : '1'} />
                  <button type="submit" class="link-button">
                    {u.active ? '停用' : '启用'}
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2 id="new-user">新建用户</h2>
      <form method="post" action="/admin/users" class="stack-form">
        <CsrfField token={csrfToken} />
        <label>
          用户名（字母、数字、下划线、点和连字符，3–40 位）
          <input
            type="text"
            name="username"
            required
            maxLength={40}
            value={one(form, 'username')}
            autocomplete="off"
          />
        </label>
        <label>
          姓名（可空，默认同用户名）
          <input type="text" name="displayName" maxLength={100} value={one(form, 'displayName')} />
        </label>
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
          {offices
            .filter((o) => !o.isGroup)
            .map((o) => (
              <label class="check">
                <input
                  type="checkbox"
                  name="officeIds"
                  value={String(o.id)}
                  checked={chosen.has(String(o.id))}
                />{' '}
                {o.name}
              </label>
            ))}
        </fieldset>
        <label>
          初始密码（至少 10 个字符，同时包含字母和数字；请通过安全渠道告知本人，并提醒登录后修改）
          <input type="password" name="password" required minLength={10} autocomplete="new-password" />
        </label>
        <button type="submit">创建用户</button>
      </form>
    </>
  );
}
