import type { FastifyPluginAsync } from 'fastify';
import { queryOf } from '../../../http/forms.ts';
import { parseId } from '../../../http/params.ts';
import { shorten } from '../../../lib/text.ts';
import { sendStaffPage } from '../../../views/staff/page.tsx';
import type { SessionUser } from '../../auth/index.ts';
import type { BoundaryMatterOut, DutyOut, OfficeOut, ServiceOut } from '../../registry/index.ts';
import { listDuties, listMatters, listOffices, listServices } from '../../registry/index.ts';
import { type ChangeSetRow, findChangeSet } from '../changeset.repo.ts';
import type { ChangeEntity, ChangeOp } from '../changeset.schema.ts';
import { canEditChangeSet, changeSetAbilities } from '../changeset.workflow.ts';

/**
 * 可调整的记录: what the user may change. Editors see the work items and services of their
 * offices (grouped by duty); admins also duties, offices and boundary shares. Every link leads
 * to the change form, into the change set named by ?set= or into a new one.
 */
export const recordPages: FastifyPluginAsync = async (app) => {
  app.get(
    '/admin/records',
    { schema: { hide: true }, preHandler: changeSetAbilities.guard('create') },
    async (req, reply) => {
      const user = req.user!;
      const db = app.database.db;
      const setId = parseId(queryOf(req, 'set'));
      const found = setId === null ? null : await findChangeSet(db, setId);
      const set = found && canEditChangeSet(user, found) ? found : null;
      const [duties, services, offices, matters] = await Promise.all([
        listDuties(db, {}, 'all'),
        listServices(db, {}, 'all'),
        user.role === 'admin' ? listOffices(db, {}, 'all') : null,
        user.role === 'admin' ? listMatters(db, {}, 'all') : null,
      ]);
      const mine = new Set(user.officeIds);
      const ownItem = (offices: Array<{ id: number }>) =>
        user.role === 'admin' || offices.some((o) => mine.has(o.id));
      const dutyGroups = duties.items
        .map((d) => ({ ...d, items: d.items.filter((i) => ownItem(i.offices)) }))
        .filter((d) => user.role === 'admin' || d.items.length > 0);
      return sendStaffPage(req, reply, {
        title: '可调整的记录',
        children: (
          <RecordsPage
            user={user}
            set={set}
            ignoredSet={setId !== null && set === null ? setId : null}
            duties={dutyGroups}
            services={services.items.filter((s) => ownItem(s.offices))}
            offices={offices?.items.filter((o) => !o.isGroup) ?? null}
            matters={matters?.items ?? null}
          />
        ),
      });
    },
  );
};

function RecordsPage({
  user,
  set,
  ignoredSet,
  duties,
  services,
  offices,
  matters,
}: {
  user: SessionUser;
  set: ChangeSetRow | null;
  ignoredSet: number | null;
  duties: DutyOut[];
  services: ServiceOut[];
  offices: OfficeOut[] | null;
  matters: BoundaryMatterOut[] | null;
}) {
  const link = (entity: ChangeEntity, op: ChangeOp, target?: number, extra = '') => {
    const base = set ? `/admin/changes/${set.id}/items/new` : '/admin/changes/new/item';
    return `${base}?entity=${entity}&op=${op}${target !== undefined ? `&target=${target}` : ''}${extra}`;
  };
  const Edit = ({ entity, id }: { entity: ChangeEntity; id: number }) => (
    <span class="record-actions">
      <a href={link(entity, 'update', id)}>修改</a>
      <a href={link(entity, 'retire', id)} class="danger-link">
        停用
      </a>
    </span>
  );
  const admin = user.role === 'admin';
  return (
    <>
      <p class="crumbs-staff">
        <a href="/admin/changes">清单调整</a> › 可调整的记录
      </p>
      <h1>可调整的记录</h1>
      {set ? (
        <p class="notice notice-ok">
          正在向调整单 {set.id}“{set.title}”添加修改。<a href={`/admin/changes/${set.id}`}>返回调整单</a>
        </p>
      ) : (
        <p class="muted">
          {ignoredSet !== null ? `调整单 ${ignoredSet} 不能再添加修改。` : ''}
          选择“修改”“停用”或“新增”后，填写的内容会放入一份新的调整单；也可以先
          <a href="/admin/changes/new">新建调整单</a>，再从调整单页面添加修改。
        </p>
      )}
      {admin ? null : (
        <p class="muted">
          科室编辑可以调整本科室负责的具体工作事项和公共服务事项；主要职责、科室和职责边界由系统管理员调整。
        </p>
      )}
      <nav class="toc" aria-label="本页目录">
        <a href="#duties">部门职责</a>
        <a href="#services">公共服务事项</a>
        {offices ? <a href="#offices">内设科室</a> : null}
        {matters ? <a href="#shares">职责边界</a> : null}
      </nav>

      <section id="duties">
        <h2>部门职责{admin ? '' : '（本科室的工作事项）'}</h2>
        <p class="actions-row">
          <a class="button secondary" href={link('workItem', 'create')}>
            新增具体工作事项
          </a>{' '}
          {admin ? (
            <a class="button secondary" href={link('duty', 'create')}>
              新增主要职责
            </a>
          ) : null}
        </p>
        {duties.length === 0 ? <p class="empty">本科室目前没有负责的工作事项。</p> : null}
        {duties.map((d) => (
          <div class="record-group" id={`duty-${d.id}`}>
            <h3>
              <span class="num">{d.seq}</span>
              {d.text}
              {admin ? <Edit entity="duty" id={d.id} /> : null}
            </h3>
            <ul class="record-list">
              {d.items.map((i) => (
                <li>
                  <span class="record-text">{i.text}</span>
                  <span class="meta">
                    责任科室：{i.offices.map((o) => o.name).join('、') || i.officeText}
                    {i.remark ? `；备注：${i.remark}` : ''}
                  </span>
                  <Edit entity="workItem" id={i.id} />
                </li>
              ))}
            </ul>
            <p class="add-link">
              <a href={link('workItem', 'create', undefined, `&duty=${d.id}`)}>＋ 在此职责下新增工作事项</a>
            </p>
          </div>
        ))}
      </section>

      <section id="services">
        <h2>公共服务事项{admin ? '' : '（本科室承办）'}</h2>
        <p class="actions-row">
          <a class="button secondary" href={link('service', 'create')}>
            新增公共服务事项
          </a>
        </p>
        {services.length === 0 ? <p class="empty">本科室目前没有承办的公共服务事项。</p> : null}
        <ul class="record-list">
          {services.map((s) => (
            <li>
              <span class="record-text">
                <span class="num">{s.seq}</span>
                {s.name}
              </span>
              <span class="meta">
                承办机构：{s.offices.map((o) => o.name).join('、') || s.officeText}；电话：
                {s.phones.join('、')}
              </span>
              <Edit entity="service" id={s.id} />
            </li>
          ))}
        </ul>
      </section>

      {offices ? (
        <section id="offices">
          <h2>内设科室</h2>
          <p class="actions-row">
            <a class="button secondary" href={link('office', 'create')}>
              新增科室
            </a>
          </p>
          <ul class="record-list">
            {offices.map((o) => (
              <li>
                <span class="record-text">{o.name}</span>
                {o.aliases.length ? <span class="meta">别名：{o.aliases.join('、')}</span> : null}
                <Edit entity="office" id={o.id} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {matters ? (
        <section id="shares">
          <h2>职责边界（各部门的职责分工）</h2>
          {matters.map((m) => (
            <div class="record-group" id={`matter-${m.id}`}>
              <h3>
                <span class="num">{m.seq}</span>
                {m.name}
              </h3>
              <ul class="record-list">
                {m.shares.map((s) => (
                  <li>
                    <span class="record-text">
                      <strong>{s.department}</strong>：{shorten(s.text, 120)}
                    </span>
                    <Edit entity="share" id={s.id} />
                  </li>
                ))}
              </ul>
              <p class="add-link">
                <a href={link('share', 'create', undefined, `&matter=${m.id}`)}>＋ 新增职责分工</a>
              </p>
            </div>
          ))}
        </section>
      ) : null}
    </>
  );
}
