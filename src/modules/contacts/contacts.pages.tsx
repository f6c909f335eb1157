import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../http/errors.ts';
import { attempt, fieldOf, queryOf } from '../../http/forms.ts';
import { pageContext } from '../../views/portal/context.ts';
import { Layout } from '../../views/portal/layout.tsx';
import { sendPage } from '../../views/render.ts';
import { Csrf, csrfToken, doneNotice, FormErrors, sendStaffPage } from '../../views/staff/page.tsx';
import { type ContactTarget, contactAbilities } from './contact.policy.ts';
import { loadDirectory, saveContactEntry } from './contact.service.ts';
import { contactUrls, DirectoryView } from './contacts.views.tsx';

/**
 * The directory's pages: the public /contacts (Chinese, phone first: every number a tap to call,
 * the JSON beside it), and in the back office the directory with an edit link on each entry the
 * person may keep, and the entry's form (phone, address, office hours, note, where it comes from).
 */

const FIELDS = ['phone', 'address', 'hours', 'note', 'source'] as const;
const LABEL: Record<(typeof FIELDS)[number], string> = {
  phone: '电话（多个用“、”分隔）',
  address: '地址',
  hours: '办公时间',
  note: '说明',
  source: '信息来源（如某公告、某网页）',
};

type Kind = ContactTarget['kind'];
const KINDS: readonly Kind[] = ['bureau', 'office', 'department'];

export const contactPages: FastifyPluginAsync = async (app) => {
  const db = () => app.database.db;

  app.get(contactUrls.page(), { schema: { hide: true } }, async (req, reply) => {
    const d = await loadDirectory(db());
    return sendPage(
      reply,
      <Layout
        title="联系方式"
        ctx={pageContext(req, reply)}
        crumbs={[{ href: contactUrls.page(), label: '联系方式' }]}
      >
        <h1>联系方式</h1>
        <p>
          商务领域的举报投诉请拨打 12312；不知道找哪个部门，请拨打 12345。也可以
          <a href="/complaints/new">网上举报投诉</a>。
        </p>
        <DirectoryView d={d} />
        <p>
          <a href={contactUrls.api()}>JSON 接口</a>
        </p>
      </Layout>,
    );
  });

  app.get(
    contactUrls.admin(),
    { schema: { hide: true }, preHandler: contactAbilities.guard('read') },
    async (req, reply) => {
      const d = await loadDirectory(db());
      const user = req.user!;
      return sendStaffPage(req, reply, {
        title: '通讯录',
        notice: doneNotice(req, { saved: '已保存，门户“联系方式”页同时更新。' }),
        children: (
          <>
            <h1>通讯录</h1>
            <p>
              科室电话出自公共服务事项登记表（原文第四部分）；本局地址、办公时间、登记表没有写明电话的科室和其他部门的联系方式由工作人员登记，每次修改记入审计日志。
              <a href={contactUrls.page()}>门户页面</a>
            </p>
            <DirectoryView
              d={d}
              editLinks={(kind, id) =>
                contactAbilities.can('maintain', user, {
                  kind: kind as Kind,
                  officeId: kind === 'office' ? id : null,
                })
                  ? contactUrls.edit(kind, id)
                  : null
              }
            />
          </>
        ),
      });
    },
  );

  /** The subject of the form: kind and id from the query or the form, checked against the directory. */
  async function subjectOf(kind: string, idText: string) {
    if (!(KINDS as readonly string[]).includes(kind)) throw notFound('这个通讯录条目');
    const id = /^\d{1,10}$/.test(idText) ? Number(idText) : null;
    const d = await loadDirectory(db());
    if (kind === 'bureau')
      return { kind: 'bureau' as Kind, id: null, name: d.bureau.name, current: d.bureau };
    const list = kind === 'office' ? d.offices : d.departments;
    const found = list.find((x) => x.id === id);
    if (!found) throw notFound(kind === 'office' ? '这个科室' : '这个部门');
    return { kind: kind as Kind, id: found.id, name: found.name, current: found };
  }

  const editPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    kind: string,
    idText: string,
    failed?: { values: Record<string, string>; error: string; status: number },
  ) => {
    const s = await subjectOf(kind, idText);
    contactAbilities.assert('maintain', req.user, {
      kind: s.kind,
      officeId: s.kind === 'office' ? s.id : null,
    });
    const staffPhone = s.current.phones
      .filter((p) => p.source.startsWith('工作人员登记'))
      .map((p) => p.phone)
      .join('、');
    const value = (f: (typeof FIELDS)[number]) =>
      failed
        ? (failed.values[f] ?? '')
        : f === 'phone'
          ? staffPhone
          : ((s.current[f] as string | null) ?? '');
    const published = s.current.phones.filter((p) => !p.source.startsWith('工作人员登记'));
    return sendStaffPage(req, reply, {
      title: `通讯录：${s.name}`,
      status: failed?.status,
      children: (
        <>
          <h1>通讯录：{s.name}</h1>
          <FormErrors errors={failed ? [failed.error] : []} />
          {published.length > 0 ? (
            <p>
              登记表公布的电话：{published.map((p) => p.phone).join('、')}（{published[0]!.source}
              ，不在这里修改；这里登记的电话列在其后）
            </p>
          ) : null}
          <form method="post" action="/admin/contacts/edit" class="stack-form">
            <Csrf token={csrfToken(req, reply)} />
            <input type="hidden" name="kind" value={s.kind} />
            <input type="hidden" name="id" value={s.id === null ? '' : String(s.id)} />
            {FIELDS.map((f) => (
              <label>
                {LABEL[f]}
                <input name={f} value={value(f)} maxLength={f === 'note' || f === 'source' ? 300 : 200} />
              </label>
            ))}
            <button type="submit">保存</button>
          </form>
          <p>
            <a href={contactUrls.admin()}>返回通讯录</a>
          </p>
        </>
      ),
    });
  };

  app.get(
    '/admin/contacts/edit',
    { schema: { hide: true }, preHandler: contactAbilities.guard('maintain') },
    async (req, reply) => editPage(req, reply, queryOf(req, 'kind'), queryOf(req, 'id')),
  );

  app.post(
    '/admin/contacts/edit',
    { schema: { hide: true }, preHandler: [contactAbilities.guard('maintain'), app.staffCsrf.preHandler] },
    async (req, reply) => {
      const kind = fieldOf(req, 'kind');
      const idText = fieldOf(req, 'id');
      const s = await subjectOf(kind, idText);
      const values = Object.fromEntries(FIELDS.map((f) => [f, fieldOf(req, f)])) as Record<
        (typeof FIELDS)[number],
        string
      >;
      const r = await attempt(() =>
        db()
          .transaction()
          .execute((tx) =>
            saveContactEntry(tx, req.user!, {
              kind: s.kind,
              officeId: s.kind === 'office' ? s.id : null,
              departmentId: s.kind === 'department' ? s.id : null,
              ...values,
            }),
          ),
      );
      if (!r.ok)
        return editPage(req, reply, kind, idText, { values, error: r.error.message, status: r.error.status });
      return reply.redirect(`${contactUrls.admin()}?done=saved`, 303);
    },
  );
};
