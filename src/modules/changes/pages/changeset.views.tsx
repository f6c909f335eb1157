import { TableHead } from '../../../views/table.tsx';
import { type FormValues, one } from '../changeset.forms.ts';
import { formatTime, type PresentedItem } from '../changeset.presenter.ts';
import type { ChangeSetRow } from '../changeset.repo.ts';
import type { ChangeStatus } from '../changeset.schema.ts';
import { STATUS_NAMES } from '../changeset.schema.ts';

/** Pieces of the change-set pages. All text is escaped by Preact. */

export function StatusBadge({ status }: { status: ChangeStatus }) {
  return <span class={`badge status-${status}`}>{STATUS_NAMES[status] ?? status}</span>;
}

/** The title and 调整依据 fields of a new change set (also on the one-step change form and the edit form). */
export function SetFields({ form }: { form: FormValues }) {
  return (
    <>
      <label>
        调整单标题
        <input
          type="text"
          name="title"
          required
          maxLength={200}
          value={one(form, 'title')}
          placeholder="例如：调整外事工作职责表述"
        />
      </label>
      <label>
        调整依据（文件名称和文号、会议纪要等）
        <textarea name="reason" required rows={3} maxLength={2000}>
          {one(form, 'reason')}
        </textarea>
      </label>
    </>
  );
}

export function ChangeSetTable({ sets, empty }: { sets: ChangeSetRow[]; empty: string }) {
  if (sets.length === 0) return <p class="empty">{empty}</p>;
  return (
    <table class="stack change-sets">
      <TableHead columns={['编号', '标题', '状态', '提出人', '修改项', '更新时间', '生效日期']} />
      <tbody>
        {sets.map((s) => (
          <tr>
            <td data-label="编号">{s.id}</td>
            <th scope="row">
              <a href={`/admin/changes/${s.id}`}>{s.title}</a>
            </th>
            <td data-label="状态">
              <StatusBadge status={s.status} />
            </td>
            <td data-label="提出人">{s.author}</td>
            <td data-label="修改项">{s.itemCount}</td>
            <td data-label="更新时间">{formatTime(s.updatedAt)}</td>
            <td data-label="生效日期">{s.effectiveDate ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function MultiLine({ text }: { text: string }) {
  const lines = text.split('\n');
  return (
    <>
      {lines.map((l, i) => (
        <>
          {i > 0 ? <br /> : null}
          {l}
        </>
      ))}
    </>
  );
}

/** A value of a change table, or （空）. */
function Cell({ text }: { text: string }) {
  return text ? <MultiLine text={text} /> : <span class="muted">（空）</span>;
}

export function ItemTable({ item }: { item: PresentedItem }) {
  if (item.op === 'create' || item.op === 'retire') {
    // One column: what a new record holds, or what a retired record held.
    const side = item.op === 'create' ? 'after' : 'before';
    return (
      <table class="diff-table">
        <TableHead
          columns={['字段', item.op === 'create' ? '新增内容' : '停用的记录（发布后从清单中移除）']}
        />
        <tbody>
          {item.rows.map((r) => (
            <tr>
              <th scope="row">{r.label}</th>
              <td class={side}>
                <Cell text={r[side]} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  return (
    <table class="diff-table stack">
      <TableHead columns={['字段', '修改前', '修改后']} />
      <tbody>
        {item.rows.map((r) => (
          <tr class={r.changed ? 'changed' : 'same'}>
            <th scope="row">
              {r.label}
              {r.changed ? <span class="changed-mark">（已修改）</span> : null}
            </th>
            <td class="before" data-label="修改前">
              {r.before ? <MultiLine text={r.before} /> : <span class="muted">（空）</span>}
            </td>
            <td class="after" data-label="修改后">
              {r.changed ? (
                r.after ? (
                  <MultiLine text={r.after} />
                ) : (
                  <span class="muted">（空）</span>
                )
              ) : (
                <span class="muted">不变</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
