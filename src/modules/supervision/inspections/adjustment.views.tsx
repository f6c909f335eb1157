import { StackTable } from '../../../views/table.tsx';
import type { PublicAdjustment } from './adjustment.service.ts';

/** The adjustments after the draw on the plan's notice page. */
export function AdjustmentsSection({ adjustments }: { adjustments: readonly PublicAdjustment[] }) {
  if (adjustments.length === 0) return null;
  return (
    <section aria-labelledby="adjustments-h">
      <h2 id="adjustments-h">抽取后的人员调整（{adjustments.length} 项）</h2>
      <p>
        执法人员在抽取后发现与检查对象有利害关系的，申报回避并退出任务；替换人员按公开规则由抽取结果确定：在公布的执法人员名录中，按
        HMAC-SHA256(drawSeed, 统一社会信用代码 ":" 执法证号)
        由小到大取第一位不在该任务中、与该检查对象无利害关系（计划限定属地的，还须为本县或市本级）的执法人员（规则
        zhize-replace/v1，见抽取核验说明），任何人都可复算。
      </p>
      <StackTable
        rows={adjustments}
        columns={[
          { label: '调整序号', cell: (a) => a.seq },
          { label: '任务', cell: (a) => `第${a.taskPosition}项 ${a.name}` },
          { label: '回避的执法人员（执法证号）', cell: (a) => a.withdrawnCertificate },
          { label: '替换的执法人员（执法证号）', cell: (a) => a.replacementCertificate },
          { label: '理由', cell: (a) => a.reason },
          { label: '申报日期', cell: (a) => a.declaredAt.slice(0, 10) },
        ]}
      />
    </section>
  );
}
