import type { PlanOut } from './plans.service.ts';

/** A hash shown in full, wrapping on narrow screens. */
export function Hash({ value }: { value: string }) {
  return <code class="hash">{value}</code>;
}

/**
 * The commitment of a plan (published before the draw): sizes and the four hashes. Shared by the
 * staff plan page and the public 计划公告; `populationHref` adds the download of the frozen list.
 */
export function CommitmentTable({ plan, populationHref }: { plan: PlanOut; populationHref?: string }) {
  const c = plan.commitment;
  if (!c) return null;
  const hashes: Array<[string, string]> = [
    ['populationHash', c.populationHash],
    ['inspectorsHash', c.inspectorsHash],
    ['serverSeedHash', c.serverSeedHash],
    ['commitHash', c.commitHash],
  ];
  return (
    <table class="stack">
      <caption>承诺（抽取前公布，{plan.committedAt?.slice(0, 19).replace('T', ' ')} UTC）</caption>
      <tbody>
        <tr>
          <th scope="row">检查对象总数 N</th>
          <td>
            {c.populationSize}
            {populationHref && (
              <>
                （<a href={populationHref}>名录下载</a>）
              </>
            )}
          </td>
        </tr>
        <tr>
          <th scope="row">抽取数量 n = ⌈N × 比例⌉</th>
          <td>{c.sampleSize}</td>
        </tr>
        {hashes.map(([name, value]) => (
          <tr>
            <th scope="row">{name}</th>
            <td>
              <Hash value={value} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
