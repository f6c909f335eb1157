import { ConfirmFields } from '../../../views/staff/confirm.tsx';
import type { SessionUser } from '../../auth/index.ts';
import { Csrf } from '../shared/staff.views.tsx';
import { inspectionAbilities } from './inspection.policy.ts';
import type { TaskView } from './inspection.service.ts';
import { resultCategory } from './result.categories.ts';
import { mayMove } from './result.workflow.ts';

/** The reviewer's forms on the task page: publish, return with a comment, withdraw with a public reason. */

const resultUrl = (id: number, action: string) => `/admin/supervision/results/${id}/${action}`;

/** The reviewer's forms on the task page, for whoever may take them. */
export function ReviewActions({ view, user, token }: { view: TaskView; user: SessionUser; token: string }) {
  const r = view.inspection;
  if (!r) return null;
  const mayReview = inspectionAbilities.can('review', user, view.target) && mayMove(r.status, 'publish');
  const mayWithdraw = inspectionAbilities.can('withdraw', user, view.target) && mayMove(r.status, 'withdraw');
  if (r.status === 'withdrawn') {
    return (
      <p class="notice notice-error">已撤回公示（{r.withdrawal_reason}），撤回理由已在抽查结果公告中公开。</p>
    );
  }
  if (!mayReview && !mayWithdraw) {
    if (r.status === 'pending' && inspectionAbilities.canRole('review', user)) {
      return <p class="muted">{inspectionAbilities.refusal('review')}。</p>;
    }
    return null;
  }
  return (
    <section aria-labelledby="review-h">
      <h2 id="review-h">审核</h2>
      {mayReview ? (
        <>
          <form method="post" action={resultUrl(r.id, 'publish')} class="stack-form">
            <Csrf token={token} />
            <p>
              公示内容：检查对象、检查日期、检查结果“{resultCategory(r.result_code)?.name ?? ''}”
              {r.result_summary ? `及说明“${r.result_summary}”` : ''}；不含执法人员姓名。
            </p>
            <ConfirmFields consequence="公示后只能附理由撤回，撤回也将公开。" idPrefix="publish" />
            <button type="submit">公示检查结果</button>
          </form>
          <form method="post" action={resultUrl(r.id, 'return')} class="stack-form">
            <Csrf token={token} />
            <label>
              退回意见（必填，执法人员据此修改笔录）
              <textarea name="comment" rows={2} maxLength={500} required>
                {''}
              </textarea>
            </label>
            <button type="submit" class="secondary">
              退回修改
            </button>
          </form>
        </>
      ) : null}
      {mayWithdraw ? (
        <form method="post" action={resultUrl(r.id, 'withdraw')} class="stack-form">
          <Csrf token={token} />
          <ConfirmFields
            consequence="撤回后该结果从抽查结果公告中移除，撤回及其理由将公开。"
            reason={{ label: '撤回理由（将公示）', required: true }}
            idPrefix="withdraw"
          />
          <button type="submit" class="secondary danger">
            撤回公示
          </button>
        </form>
      ) : null}
    </section>
  );
}
