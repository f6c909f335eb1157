import type { Directory, PhoneOut } from './contact.schema.ts';
import type { ContactCard } from './contact.service.ts';

/** The directory's views, phone first: each number a tap to call, with where it comes from. */

export const contactUrls = {
  page: () => '/contacts',
  api: () => '/api/v1/contacts',
  admin: () => '/admin/contacts',
  edit: (kind: string, id?: number | null) => `/admin/contacts/edit?kind=${kind}${id ? `&id=${id}` : ''}`,
} as const;

export function PhoneLinks({ phones, big }: { phones: readonly PhoneOut[]; big?: boolean }) {
  if (phones.length === 0) return <span class="muted">未登记</span>;
  return (
    <ul class="plain">
      {phones.map((p) => (
        <li>
          {p.tel ? (
            <a class={big ? 'button tel' : 'tel'} href={p.tel}>
              {p.phone}
            </a>
          ) : (
            <span class="tel">{p.phone}</span>
          )}{' '}
          <span class="hint">{p.sourceUrl ? <a href={p.sourceUrl}>{p.source}</a> : p.source}</span>
        </li>
      ))}
    </ul>
  );
}

/** How to reach whoever handles a ticket, for the ticket pages (public and staff). */
export function ContactCardView({
  card,
  heading = '联系方式',
}: {
  card: ContactCard | null;
  heading?: string;
}) {
  if (!card) return null;
  return (
    <section aria-labelledby="contact-card-h" class="panel">
      <h2 id="contact-card-h">{heading}</h2>
      <p>
        <strong>{card.name}</strong>
      </p>
      <dl class="record-fields">
        <dt>电话</dt>
        <dd>
          <PhoneLinks phones={card.phones} />
        </dd>
        <dt>地址</dt>
        <dd>{card.address ?? <span class="muted">未登记</span>}</dd>
        <dt>办公时间</dt>
        <dd>{card.hours ?? <span class="muted">未登记</span>}</dd>
      </dl>
      {card.commerceHotline ? (
        <p>
          商务领域的举报投诉，也可拨打商务举报投诉热线{' '}
          <a class="tel" href={card.commerceHotline.tel ?? undefined}>
            {card.commerceHotline.phone}
          </a>
          。
        </p>
      ) : null}
      <p class="hint">
        <a href={contactUrls.page()}>全部联系方式</a>
      </p>
    </section>
  );
}

const Maintained = ({ e }: { e: { address: string | null; hours: string | null; note: string | null } }) => (
  <>
    {e.address ? <p>地址：{e.address}</p> : null}
    {e.hours ? <p>办公时间：{e.hours}</p> : null}
    {e.note ? <p class="hint">{e.note}</p> : null}
  </>
);

/** The whole directory: hotlines first, then the bureau, its offices, other departments. */
export function DirectoryView({
  d,
  editLinks,
}: {
  d: Directory;
  editLinks?: (kind: string, id: number | null) => string | null;
}) {
  const edit = (kind: string, id: number | null) => {
    const href = editLinks?.(kind, id);
    return href ? (
      <p>
        <a href={href}>修改</a>
      </p>
    ) : null;
  };
  return (
    <>
      <section aria-labelledby="hotlines-h">
        <h2 id="hotlines-h">热线</h2>
        <ul class="plain">
          {d.hotlines.map((h) => (
            <li>
              <p>
                <strong>{h.name}</strong>：{h.use}
              </p>
              <PhoneLinks phones={[h]} big />
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="bureau-h">
        <h2 id="bureau-h">{d.bureau.name}</h2>
        <dl class="record-fields">
          <dt>地址</dt>
          <dd>{d.bureau.address ?? <span class="muted">未登记</span>}</dd>
          <dt>办公时间</dt>
          <dd>{d.bureau.hours ?? <span class="muted">未登记</span>}</dd>
          <dt>电话</dt>
          <dd>
            <PhoneLinks phones={d.bureau.phones} />
          </dd>
        </dl>
        {d.bureau.note ? <p class="hint">{d.bureau.note}</p> : null}
        {d.bureau.source ? <p class="hint">信息来源：{d.bureau.source}</p> : null}
        {edit('bureau', null)}
      </section>
      <section aria-labelledby="offices-h">
        <h2 id="offices-h">各科室电话</h2>
        <p class="hint">
          出自公共服务事项登记表（原文第四部分）；登记表没有写明电话的科室，由工作人员登记。衡水本地号码前加区号
          0318。
        </p>
        <ul class="plain">
          {d.offices.map((o) => (
            <li id={`office-${o.id}`}>
              <h3>{o.name}</h3>
              <PhoneLinks phones={o.phones} big />
              <Maintained e={o} />
              {edit('office', o.id)}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="departments-h">
        <h2 id="departments-h">其他部门</h2>
        <p class="hint">
          职责边界清单涉及的其他部门；电话和地址由本局工作人员登记，办理前请以该部门公布的为准。
        </p>
        <ul class="plain">
          {d.departments.map((x) => (
            <li id={`department-${x.id}`}>
              <h3>{x.name}</h3>
              <PhoneLinks phones={x.phones} big />
              <Maintained e={x} />
              {x.source ? <p class="hint">信息来源：{x.source}</p> : null}
              {edit('department', x.id)}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
