import { StackTable } from '../../../views/table.tsx';
import { COUNTIES } from '../reference/index.ts';
import type { PlanOut } from './plan.presenter.ts';

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

/** Allocation rows in the official order of the counties (the draw file lists them by byte order). */
export function inCountyOrder<T extends { county: string }>(rows: readonly T[]): T[] {
  const position = (name: string) => {
    const i = COUNTIES.findIndex((c) => c.name === name);
    return i < 0 ? COUNTIES.length : i;
  };
  return [...rows].sort((a, b) => position(a.county) - position(b.county));
}

/** How the sample is split by county: shared by the staff plan page and the public 计划公告. */
export function AllocationTable({ plan }: { plan: PlanOut }) {
  const c = plan.commitment;
  if (!c) return null;
  return (
    <StackTable
      caption="按县（市、区）分层分配（最大余数法）"
      rows={inCountyOrder(c.allocation)}
      columns={[
        { label: '县（市、区）', cell: (a) => a.county },
        { label: '检查对象数', cell: (a) => a.population },
        { label: '抽取数', cell: (a) => a.quota },
      ]}
    />
  );
}
