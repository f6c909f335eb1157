/**
 * Confirmation of an action that cannot be undone (公布承诺, 取消计划, 发布, 停用账号): the form
 * carries a required checkbox and, where the document or the audit needs it, a reason. The
 * server checks both (`confirmationOf` in http/forms.ts), so a form without them changes nothing.
 */

export const CONFIRM_FIELD = 'confirm';
export const REASON_FIELD = 'reason';

export interface ConfirmFieldsProps {
  /** What the person confirms, in Chinese ("公布后参数不能再修改"). */
  consequence: string;
  /** Ask for a reason; `required` when the audit or the document needs one. */
  reason?: { label: string; required: boolean; value?: string };
  /** Distinguishes several such forms on one page. */
  idPrefix: string;
}

export function ConfirmFields({ consequence, reason, idPrefix }: ConfirmFieldsProps) {
  return (
    <div class="confirm-fields">
      <p class="confirm-warning">
        <strong>此操作不可撤销：</strong>
        {consequence}
      </p>
      {reason && (
        <p>
          <label for={`${idPrefix}-reason`}>
            {reason.label}
            {reason.required ? '（必填）' : '（选填）'}
          </label>
          <textarea
            id={`${idPrefix}-reason`}
            name={REASON_FIELD}
            rows={2}
            required={reason.required}
            maxLength={500}
          >
            {reason.value ?? ''}
          </textarea>
        </p>
      )}
      <p>
        <input type="checkbox" id={`${idPrefix}-confirm`} name={CONFIRM_FIELD} value="yes" required />{' '}
        <label for={`${idPrefix}-confirm`}>我已确认</label>
      </p>
    </div>
  );
}
