import {
  Downloads,
  Paragraphs,
  RecordLink,
  SourceLine,
  SourceLink,
} from '../../../views/portal/components.tsx';
import type { PageContext } from '../../../views/portal/context.ts';
import { TrailPage } from '../../../views/portal/layout.tsx';
import { urls } from '../../../views/portal/urls.ts';
import { flagRegime } from '../legal/flags.ts';
import { flaggedList, LegalFlags } from '../legal/flags.view.tsx';
import { listRegimes } from '../read/registry.repo.ts';
import type { RegimeOut } from '../registry.schema.ts';
import { listPages } from './list-pages.tsx';

/** 事中事后监管制度: the supervision regimes, each with its sections in document order. */
export const regimePages = listPages('/regimes', '这项监管制度', {
  list: flaggedList(listRegimes, flagRegime),
  index: RegimesPage,
  record: RegimePage,
});

const KIND_LABEL: Record<RegimeOut['sections'][number]['kinds'][number], string> = {
  objects: '检查对象',
  contents: '检查内容',
  methods: '检查方式',
  measures: '检查措施',
  procedure: '检查程序',
  handling: '检查处理',
};

/** The title as printed: with its number when the document gives one. */
function regimeTitle(r: RegimeOut): string {
  return r.label ? `${r.label}、${r.title}` : r.title;
}

function RegimesPage({ ctx, items: regimes }: { ctx: PageContext; items: RegimeOut[] }) {
  return (
    <TrailPage ctx={ctx} section="regimes" title="事中事后监管制度">
      <p>{regimes.length} 项监管制度：监督检查的对象、内容、方式、措施、程序和处理。</p>
      <p>
        按这些制度开展的“双随机、一公开”抽查：<a href="/supervision/items">抽查事项清单</a>
        （比例、频次、人数，逐项注明出处）、
        <a href="/supervision/plans">抽查计划和结果公示</a>。
      </p>
      <Downloads part="regimes" />
      <ol class="records">
        {regimes.map((r) => (
          <li>
            <RecordLink href={urls.regime(r.id)}>{regimeTitle(r)}</RecordLink>
            {r.sections[0]?.kinds.includes('objects') ? (
              <p class="meta">检查对象：{r.sections[0]?.body.split('\n')[0]}</p>
            ) : null}
            <div class="meta">
              <span>{r.sections.length} 节</span>
              <span>{r.checkItems.length} 项检查内容</span>
              <SourceLink source={r.source} />
            </div>
            <LegalFlags flags={r.legalFlags} compact />
          </li>
        ))}
      </ol>
    </TrailPage>
  );
}

function RegimePage({ ctx, item: r }: { ctx: PageContext; item: RegimeOut }) {
  return (
    <TrailPage
      ctx={ctx}
      section="regimes"
      trail={[{ href: urls.regime(r.id), label: r.title }]}
      heading={regimeTitle(r)}
    >
      <p>
        <a href={urls.department(r.departmentId)}>{r.department}</a> · <SourceLink source={r.source} /> ·{' '}
        <a href={`/supervision/items/${r.seq}`}>抽查事项（比例、频次、人数）</a>
      </p>
      <LegalFlags flags={r.legalFlags} />
      {r.intro ? (
        <div class="panel">
          <Paragraphs text={r.intro} />
        </div>
      ) : null}
      {r.sections.length > 1 ? (
        <nav class="group-nav" aria-label="本制度各节">
          <ul>
            {r.sections.map((s) => (
              <li>
                <a href={`#section-${s.position}`}>{s.heading}</a>
              </li>
            ))}
            {r.checkItems.length > 0 ? (
              <li>
                <a href="#checks">检查内容清单</a>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
      {r.sections.map((s) => (
        <section id={`section-${s.position}`} aria-labelledby={`section-h-${s.position}`} class="panel">
          <h2 id={`section-h-${s.position}`}>{s.heading}</h2>
          <p class="meta">
            {s.kinds.map((k) => (
              <span class="badge">{KIND_LABEL[k]}</span>
            ))}
          </p>
          <Paragraphs text={s.body} />
          <SourceLine source={s.source} />
        </section>
      ))}
      {r.checkItems.length > 0 ? (
        <section id="checks" aria-labelledby="checks-h">
          <h2 id="checks-h">检查内容清单（{r.checkItems.length} 项）</h2>
          <ul class="records">
            {r.checkItems.map((c) => (
              <li>
                {c.text}
                <SourceLine source={c.source} tag="div" />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </TrailPage>
  );
}
