import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../http/errors.ts';
import { fieldOf as field } from '../../http/forms.ts';
import { safeReturnPath } from '../../views/portal/context.ts';
import { Csrf, csrfToken, sendStaffPage } from '../../views/staff/page.tsx';
import { requireRole, SESSION_COOKIE, sessionCookieOptions } from './auth.plugin.ts';
import { changePassword, login, logout } from './auth.service.ts';

/**
 * Login, logout and password change for staff (server-rendered forms with CSRF tokens). After an
 * admin reset the password, the password page is the only staff page the person reaches
 * (auth.plugin.ts sends every other one here) until they choose a new password.
 */

export const authPages: FastifyPluginAsync = async (app) => {
  const csrf = app.staffCsrf;

  const loginPage = (req: FastifyRequest, reply: FastifyReply, error: string | null, status = 200) => {
    const next = safeReturnPath((req.query as Record<string, unknown>).next ?? field(req, 'next'));
    return sendStaffPage(req, reply, {
      title: '登录',
      notice: error ? { kind: 'error', text: error } : null,
      status,
      children: (
        <>
          <h1>工作人员登录</h1>
          <form method="post" action="/admin/login" class="stack-form">
            <Csrf token={csrfToken(req, reply)} />
            <input type="hidden" name="next" value={next} />
            <label>
              用户名
              <input
                name="username"
                autocomplete="username"
                required
                maxLength={40}
                value={field(req, 'username')}
              />
            </label>
            <label>
              密码
              <input
                name="password"
                type="password"
                autocomplete="current-password"
                required
                maxLength={200}
              />
            </label>
            <button type="submit">登录</button>
          </form>
          <p class="muted">
            公众查询无需登录，请访问 <a href="/">职责清单门户</a>。
          </p>
        </>
      ),
    });
  };

  app.get('/admin/login', { schema: { hide: true } }, async (req, reply) => {
    if (req.user) return reply.redirect('/admin', 303);
    return loginPage(req, reply, null);
  });

  app.post(
    '/admin/login',
    {
      schema: { hide: true },
      preHandler: csrf.preHandler,
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const username = field(req, 'username').trim();
      const password = field(req, 'password');
      if (!username || !password) return loginPage(req, reply, '请输入用户名和密码', 400);
      try {
        const result = await login(app.database.db, username, password, req.ip);
        reply.setCookie(SESSION_COOKIE, result.token, sessionCookieOptions(app.config.https));
        csrf.renew(req, reply, result.token); // form tokens are bound to the new session
        const next = safeReturnPath(field(req, 'next'));
        return reply.redirect(next.startsWith('/admin') ? next : '/admin', 303);
      } catch (e) {
        if (e instanceof AppError && (e.status === 401 || e.status === 429))
          return loginPage(req, reply, e.message, e.status);
        throw e;
      }
    },
  );

  app.post('/admin/logout', { schema: { hide: true }, preHandler: csrf.preHandler }, async (req, reply) => {
    await logout(app.database.db, req.cookies?.[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    csrf.renew(req, reply, '');
    return reply.redirect('/admin/login', 303);
  });

  const passwordPage = (req: FastifyRequest, reply: FastifyReply, error: string | null, status = 200) =>
    sendStaffPage(req, reply, {
      title: '修改密码',
      notice: error
        ? { kind: 'error', text: error }
        : req.user?.mustChangePassword
          ? { kind: 'error', text: '管理员已重置您的密码：请先设置一个新密码，之后才能使用后台。' }
          : null,
      status,
      children: (
        <>
          <h1>修改密码</h1>
          <p>修改后，您在所有设备上的登录都会失效，需要用新密码重新登录。</p>
          <form method="post" action="/admin/password" class="stack-form">
            <Csrf token={csrfToken(req, reply)} />
            <label>
              当前密码
              <input name="current" type="password" autocomplete="current-password" required />
            </label>
            <label>
              新密码（至少 10 个字符，同时包含字母和数字）
              <input name="next" type="password" autocomplete="new-password" required minLength={10} />
            </label>
            <label>
              再次输入新密码
              <input name="confirm" type="password" autocomplete="new-password" required minLength={10} />
            </label>
            <button type="submit">修改密码</button>
          </form>
        </>
      ),
    });

  app.get('/admin/password', { schema: { hide: true }, preHandler: requireRole() }, async (req, reply) =>
    passwordPage(req, reply, null),
  );

  app.post(
    '/admin/password',
    { schema: { hide: true }, preHandler: [requireRole(), csrf.preHandler] },
    async (req, reply) => {
      if (field(req, 'next') !== field(req, 'confirm'))
        return passwordPage(req, reply, '两次输入的新密码不一致', 400);
      try {
        await app.database.db
          .transaction()
          .execute((tx) => changePassword(tx, req.user!, field(req, 'current'), field(req, 'next')));
      } catch (e) {
        if (e instanceof AppError && e.status === 400) return passwordPage(req, reply, e.message, 400);
        throw e;
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      csrf.renew(req, reply, '');
      return reply.redirect('/admin/login', 303);
    },
  );
};
