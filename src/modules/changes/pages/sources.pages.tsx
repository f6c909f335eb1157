import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { type AppError, notFound } from '../../../http/errors.ts';
import { attempt } from '../../../http/forms.ts';
import { parseId } from '../../../http/params.ts';
import { urls } from '../../../views/portal/urls.ts';
import { Csrf, csrfToken, doneNotice, sendStaffPage } from '../../../views/staff/page.tsx';
import { actorOf, defineAbilities } from '../../auth/index.ts';
import { listSourceDocuments, type SourceDocumentOut, setOfficialUrl } from '../../registry/index.ts';
import { formValues, one } from '../changeset.forms.ts';
import { CHANGE_NOTICES } from '../changeset.presenter.ts';

/**
 * 来源文档 (admins): each imported document with the address of its official publication, which
 * the portal's 原文 page links to. Setting or clearing it is audited (registry's setOfficialUrl).
 */
export const sourceDocumentAbilities = defineAbilities<null>()({
  manage: { roles: ['admin'], refusal: '只有系统管理员可以登记来源文档的正式发布网址' },
});

export const sourceDocumentPages: FastifyPluginAsync = async (app) => {
  const csrf = app.staffCsrf;
  const page = async (
    req: FastifyRequest,
    reply: FastifyReply,
    kept: { id: number; url: string; error: AppError } | null,
  ) =>
    sendStaffPage(req, reply, {
      title: '来源文档',
      children: (
        <SourcesPage
          docs={await listSourceDocuments(app.database.db)}
          csrfToken={csrfToken(req, reply)}
          kept={kept}
        />
      ),
      notice: kept ? { kind: 'error', text: kept.error.message } : doneNotice(req, CHANGE_NOTICES),
      status: kept?.error.status ?? 200,
    });

  app.get(
    '/admin/sources',
    { schema: { hide: true }, preHandler: sourceDocumentAbilities.guard('manage') },
    async (req, reply) => page(req, reply, null),
  );

  app.post(
    '/admin/sources/:id/url',
    { schema: { hide: true }, preHandler: [sourceDocumentAbilities.guard('manage'), csrf.preHandler] },
    async (req, reply) => {
      const id = parseId((req.params as { id?: string }).id);
      if (id === null) throw notFound('这份来源文档');
      const form = formValues(req, ['officialUrl']);
      const url = one(form, 'officialUrl');
      const r = await attempt(() =>
        app.database.db
          .transaction()
          .execute((tx) => setOfficialUrl(tx, { documentId: id, url, actor: actorOf(req.user!) })),
      );
      if (!r.ok) return page(req, reply, { id, url, error: r.error });
      return reply.redirect('/admin/sources?done=url', 303);
    },
  );
};

function SourcesPage({
  docs,
  csrfToken,
  kept,
}: {
  docs: SourceDocumentOut[];
  csrfToken: string;
  kept: { id: number; url: string; error: AppError } | null;
}) {
  return (
    <>
      <h1>来源文档</h1>
      <p class="muted">
        清单导入自这些文档。请登记每份文档正式发布的网址（政府网站上的原文），公众门户的“原文”页会链接到它；每次修改都记入审计日志。
      </p>
      {docs.length === 0 ? (
        <p class="empty">还没有导入任何文档。</p>
      ) : (
        <table class="stack">
          <thead>
            <tr>
              <th scope="col">文档</th>
              <th scope="col">正式发布的网址</th>
            </tr>
          </thead>
          <tbody>
            {docs.map((d) => (
              <tr>
                <td data-label="文档">
                  <a href={urls.sourceDocument(d.id)}>{d.name}</a>
                  <div class="meta">
                    {d.lineCount} 行，导入于 {d.importedAt.slice(0, 10)}，SHA-256 {d.sha256.slice(0, 12)}…
                  </div>
                </td>
                <td data-label="正式发布的网址">
                  <form method="post" action={`/admin/sources/${d.id}/url`} class="stack-form">
                    <Csrf token={csrfToken} />
                    <label>
                      网址（留空表示清除）
                      <input
                        type="url"
                        name="officialUrl"
                        maxLength={500}
                        value={kept && kept.id === d.id ? kept.url : (d.officialUrl ?? '')}
                      />
                    </label>
                    <button type="submit">保存</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
