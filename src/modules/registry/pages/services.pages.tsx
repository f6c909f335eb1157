import { Downloads, OfficeLinks, Phones, SourceLink } from '../../../views/portal/components.tsx';
import type { PageContext } from '../../../views/portal/context.ts';
import { TrailPage } from '../../../views/portal/layout.tsx';
import { urls } from '../../../views/portal/urls.ts';
import { TableHead } from '../../../views/table.tsx';
import { listServices } from '../read/registry.repo.ts';
import type { ServiceOut } from '../registry.schema.ts';
import { listPages } from './list-pages.tsx';

/** 公共服务事项: the public services directory with handling offices and phones. */
export const servicePages = listPages('/services', '这项公共服务', {
  list: listServices,
  index: ServicesPage,
  record: ServicePage,
});

function Handler({ s }: { s: ServiceOut }) {
  return s.offices.length > 0 ? <OfficeLinks offices={s.offices} /> : s.officeText;
}

function ServicesPage({ ctx, items: services }: { ctx: PageContext; items: ServiceOut[] }) {
  return (
    <TrailPage ctx={ctx} section="services" title="公共服务事项">
      <p>{services.length} 项面向企业和群众的服务。电话号码按原文公布，衡水本地号码拨打时区号为 0318。</p>
      <Downloads part="services" />
      <table class="stack">
        <caption class="visually-hidden">公共服务事项一览</caption>
        <TableHead columns={['序号', '服务事项', '承办机构', '联系电话']} />
        <tbody>
          {services.map((s) => (
            <tr id={`service-${s.id}`}>
              <td data-label="序号">{s.seq}</td>
              <th scope="row">
                <a href={urls.service(s.id)}>{s.name}</a>
                <div class="meta">{s.content}</div>
              </th>
              <td data-label="承办机构">
                <Handler s={s} />
              </td>
              <td data-label="联系电话">
                <Phones phones={s.phones} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TrailPage>
  );
}

function ServicePage({ ctx, item: s }: { ctx: PageContext; item: ServiceOut }) {
  return (
    <TrailPage ctx={ctx} section="services" trail={[{ href: urls.service(s.id), label: s.name }]}>
      <div class="panel">
        <h2>主要内容</h2>
        <p>{s.content}</p>
        <h2>承办机构</h2>
        <p>
          <a href={urls.department(s.departmentId)}>{s.department}</a> <Handler s={s} />
        </p>
        {s.officeText !== s.offices.map((o) => o.name).join('、') ? (
          <p class="meta">原文写作：{s.officeText}</p>
        ) : null}
        <h2>联系电话</h2>
        <p class="big-phone">
          <Phones phones={s.phones} />
        </p>
        <p class="meta">
          公共服务事项登记表第 {s.seq} 项 · <SourceLink source={s.source} revision={s.revision} />
        </p>
      </div>
    </TrailPage>
  );
}
