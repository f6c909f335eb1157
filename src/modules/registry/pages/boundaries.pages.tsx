import type { ComponentChildren } from 'preact';
import { Downloads, RecordLink, SourceLine, SourceLink } from '../../../views/portal/components.tsx';
import type { PageContext } from '../../../views/portal/context.ts';
import { TrailPage } from '../../../views/portal/layout.tsx';
import { urls } from '../../../views/portal/urls.ts';
import { TableHead } from '../../../views/table.tsx';
import { flagMatter } from '../legal/flags.ts';
import { flaggedList, LegalFlags } from '../legal/flags.view.tsx';
import { listMatters } from '../read/registry.repo.ts';
import type { BoundaryMatterOut } from '../registry.schema.ts';
import { listPages } from './list-pages.tsx';

/** 职责边界: matters shared between departments, with the division table, bases and cases. */
export const boundaryPages = listPages('/boundaries', '这个职责边界事项', {
  list: flaggedList(listMatters, flagMatter),
  index: BoundariesPage,
  record: MatterPage,
});

/** Distinct departments of a matter's shares, in order of first appearance. */
function departmentsOf(m: BoundaryMatterOut): Array<{ id: number; name: string }> {
  const seen = new Map<number, string>();
  for (const s of m.shares) if (!seen.has(s.departmentId)) seen.set(s.departmentId, s.department);
  return [...seen].map(([id, name]) => ({ id, name }));
}

function BoundariesPage({ ctx, items: matters }: { ctx: PageContext; items: BoundaryMatterOut[] }) {
  const shares = matters.reduce((n, m) => n + m.shares.length, 0);
  return (
    <TrailPage ctx={ctx} section="boundaries">
      <p>
        {matters.length} 个需要几个部门共同管理的事项，共 {shares}{' '}
        项部门分工：每个事项写明各部门管什么、依据是什么，并附案例。
      </p>
      <Downloads part="boundaries" />
      <ol class="records">
        {matters.map((m) => (
          <li>
            <RecordLink href={urls.matter(m.id)}>{m.name}</RecordLink>
            <p class="meta">
              涉及：
              {departmentsOf(m)
                .map((d) => d.name)
                .join('、')}
            </p>
            <div class="meta">
              <span>{m.shares.length} 项分工</span>
              <span>{m.legalBases.length} 条依据</span>
              <span>{m.cases.length} 个案例</span>
              <SourceLink source={m.source} />
            </div>
            <LegalFlags flags={m.legalFlags} compact />
          </li>
        ))}
      </ol>
      <p>
        <a href={urls.departments()}>按部门查看</a>
      </p>
    </TrailPage>
  );
}

/** Marks the document number inside a legal basis citation. */
function Citation({ text, docNumber }: { text: string; docNumber: string | null }): ComponentChildren {
  if (!docNumber) return text;
  const at = text.indexOf(docNumber);
  if (at < 0) {
    return (
      <>
        {text} <span class="docno">{docNumber}</span>
      </>
    );
  }
  return (
    <>
      {text.slice(0, at)}
      <span class="docno">{docNumber}</span>
      {text.slice(at + docNumber.length)}
    </>
  );
}

function MatterPage({ ctx, item: m }: { ctx: PageContext; item: BoundaryMatterOut }) {
  return (
    <TrailPage ctx={ctx} section="boundaries" trail={[{ href: urls.matter(m.id), label: m.name }]}>
      <p>
        <a href={urls.department(m.departmentId)}>{m.department}</a>职责边界登记表第 {m.seq} 项 ·{' '}
        <SourceLink source={m.source} />
      </p>
      <LegalFlags flags={m.legalFlags} />

      <table class="stack">
        <caption>部门分工（{m.shares.length} 项）</caption>
        <TableHead columns={['部门', '职责分工', '出处']} />
        <tbody>
          {m.shares.map((s) => (
            <tr id={`share-${s.id}`}>
              <th scope="row">
                <a href={urls.department(s.departmentId)}>{s.department}</a>
                {s.departmentText !== s.department ? (
                  <div class="meta">原文写作：{s.departmentText}</div>
                ) : null}
              </th>
              <td data-label="职责分工">{s.text}</td>
              <td data-label="出处">
                <SourceLink source={s.source} revision={s.revision} bare />
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>相关依据（{m.legalBases.length} 条）</h2>
      {m.legalBases.length > 0 ? (
        <ol>
          {m.legalBases.map((b) => (
            <li id={`basis-${b.id}`}>
              <Citation text={b.text} docNumber={b.docNumber} />
              <div class="meta">
                {b.docNumber ? <span>文号：{b.docNumber}</span> : <span>无文号</span>}
                <SourceLink source={b.source} />
              </div>
            </li>
          ))}
        </ol>
      ) : (
        <p class="muted">原文未列出依据。</p>
      )}

      <h2>案例</h2>
      {m.cases.length > 0 ? (
        m.cases.map((c, i) => (
          <div class="case" id={`case-${c.id}`}>
            {m.cases.length > 1 ? <h3>案例 {i + 1}</h3> : null}
            <p>{c.text}</p>
            <SourceLine source={c.source} />
          </div>
        ))
      ) : (
        <p class="muted">原文未附案例。</p>
      )}
    </TrailPage>
  );
}
