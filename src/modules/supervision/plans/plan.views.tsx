import type { ComponentChildren } from 'preact';
import { chinaDateTime } from '../../../lib/china-time.ts';
import { StackTable } from '../../../views/table.tsx';
import type { StratumAllocation } from '../draw/index.ts';
import { COUNTIES } from '../reference/index.ts';
import type { PlanOut } from './plan.presenter.ts';

/** An instant (UTC ISO) as Beijing time for people: `2026-03-03 21:15（北京时间）`. */
export const beijingText = (iso: string) => `${chinaDateTime(iso)}（北京时间）`;

/** The same to the second, where the order of close instants matters (commit, planned draw, draw). */
export const beijingSecondsText = (iso: string) =>
  `${new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')}（北京时间）`;

/** The version of a plan's draw algorithm, in a sentence. */
export const versionText = (plan: PlanOut) =>
  plan.algorithmVersion === 2
    ? '第2版：见证值来源、计划抽取时间和检查对象的选取条件都已写入承诺，抽取前不能再改'
    : '第1版：承诺未固定见证值的来源和写法（本版本的抽取文件仍可核验）';

/**
 * The fields of a version-2 plan as `[heading, content]` rows — period, ratios by risk class, the
 * yearly cap, the inspector scope, the witness source and the planned draw time — for the staff
 * plan page and the public 计划公告 alike. Empty for a version-1 plan.
 */
export function planV2Rows(plan: PlanOut): Array<readonly [string, ComponentChildren]> {
  const w = plan.witness;
  if (plan.algorithmVersion !== 2 || !w || !plan.period) return [];
  return [
    ['检查期间', `${plan.period.start} 至 ${plan.period.end}`],
    [
      '按信用风险分类的抽查比例',
      `${plan.classRatios.map((r) => `${r.code === 'U' ? '未评定' : `${r.code}类`} ${r.ratio}`).join('，')}（按县（市、区）×风险类别分层抽取）`,
    ],
    [
      '年度检查次数上限',
      `每家企业每年最多 ${plan.yearlyCap} 次；本年度已达上限的企业不进入名录，在承诺中逐一列出`,
    ],
    [
      '执法人员选派范围',
      plan.inspectorScope === 'own-county'
        ? '属地：只选派检查对象所在县（市、区）和市本级的执法人员'
        : '允许跨县（市、区）选派',
    ],
    [
      '见证值来源',
      <>
        {w.sourceName} {w.reference}（{w.referenceLabel}）：{w.valueLabel}。规范形式 <code>{w.format}</code>
      </>,
    ],
    ['计划抽取时间', `${beijingText(w.plannedDrawAt)}；此前不能抽取`],
  ];
}

/** A hash shown in full, wrapping on narrow screens. */
export function Hash({ value }: { value: string }) {
  return <code class="hash">{value}</code>;
}

/** What each published value is, in a sentence (the public and staff pages show it beside the label). */
export const HASH_EXPLAINED: Record<string, string> = {
  populationHash:
    '检查对象名录的“指纹”：把承诺时冻结的检查对象名单按规定格式逐行排好后计算的 SHA-256 值；名单中改动任何一个字，这个值都会完全不同。',
  exclusionsHash: '因本年度检查次数已达上限而未进入名录的企业名单的“指纹”，名单本身在下方公开。',
  inspectorsHash: '执法人员名录（执法证号、所在县（市、区）和回避申报）的“指纹”；姓名不公开。',
  serverSeedHash:
    '服务器种子的“指纹”。种子是承诺时生成、抽取前保密的随机数；先公布它的指纹，抽取后再公开种子本身，任何人都能核对种子没有被更换。',
  commitHash:
    '整个承诺的“指纹”：由全部参数、选取条件、见证值来源、计划抽取时间和上面各项指纹合成。抽取前公布，请自行保存；抽取后若有任何改动都会对不上。',
};

/**
 * The commitment of a plan (published before the draw): sizes and the hashes, each explained in a
 * sentence. Shared by the staff plan page and the public 计划公告; `populationHref` adds the download
 * of the frozen list, `commitmentHref` that of the commit text.
 */
export function CommitmentTable({
  plan,
  populationHref,
  commitmentHref,
}: {
  plan: PlanOut;
  populationHref?: string;
  commitmentHref?: string;
}) {
  const c = plan.commitment;
  if (!c) return null;
  const hashes: Array<[string, string]> = [
    ['populationHash', c.populationHash],
    ...(c.exclusionsHash ? ([['exclusionsHash', c.exclusionsHash]] as Array<[string, string]>) : []),
    ['inspectorsHash', c.inspectorsHash],
    ['serverSeedHash', c.serverSeedHash],
    ['commitHash', c.commitHash],
  ];
  return (
    <table class="stack">
      <caption>承诺（抽取前公布，{plan.committedAt ? beijingText(plan.committedAt) : ''}）</caption>
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
          <th scope="row">抽取数量 n</th>
          <td>
            {c.sampleSize}
            {plan.algorithmVersion === 2
              ? '（每个风险类别按其比例向上取整，再在各县（市、区）间分配，见下表）'
              : '（n = ⌈N × 比例⌉，在各县（市、区）间分配，见下表）'}
          </td>
        </tr>
        {hashes.map(([name, value]) => (
          <tr>
            <th scope="row">{name}</th>
            <td>
              <Hash value={value} />
              <p class="hint">{HASH_EXPLAINED[name]}</p>
            </td>
          </tr>
        ))}
        {commitmentHref ? (
          <tr>
            <th scope="row">承诺文本</th>
            <td>
              commitHash 是这段文本的 SHA-256。<a href={commitmentHref}>下载承诺文本</a>
              ，抽取后可用 <code>zhize draw verify 文件 --commitment 承诺文本</code> 核对。
            </td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}

/**
 * Allocation rows by risk class (version 2), then in the official order of the counties (the draw
 * file lists counties by byte order).
 */
export function inCountyOrder<T extends { county: string; riskClass?: string }>(rows: readonly T[]): T[] {
  const position = (name: string) => {
    const i = COUNTIES.findIndex((c) => c.name === name);
    return i < 0 ? COUNTIES.length : i;
  };
  const risk = (r: string | undefined) => (r === undefined ? 0 : 'ABCDU'.indexOf(r));
  return [...rows].sort(
    (a, b) => risk(a.riskClass) - risk(b.riskClass) || position(a.county) - position(b.county),
  );
}

/** How the sample is split by county: shared by the staff plan page and the public 计划公告. */
export function AllocationTable({ plan }: { plan: PlanOut }) {
  const c = plan.commitment;
  if (!c) return null;
  return (
    <StackTable
      caption={
        plan.algorithmVersion === 2
          ? '按风险类别×县（市、区）分层分配（各类别内最大余数法）'
          : '按县（市、区）分层分配（最大余数法）'
      }
      rows={inCountyOrder(c.allocation)}
      columns={[
        ...(plan.algorithmVersion === 2
          ? [
              {
                label: '风险类别',
                cell: (a: StratumAllocation) => (a.riskClass === 'U' ? '未评定' : `${a.riskClass}类`),
              },
            ]
          : []),
        { label: '县（市、区）', cell: (a) => a.county },
        { label: '检查对象数', cell: (a) => a.population },
        { label: '抽取数', cell: (a) => a.quota },
      ]}
    />
  );
}
