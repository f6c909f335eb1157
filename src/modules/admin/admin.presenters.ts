import { chinaDateTime } from '../../lib/china-time.ts';
import type { ChangeEntity, ChangeOp } from '../changes/index.ts';
import { ENTITY_NAMES, OP_NAMES } from '../changes/index.ts';
import type { ChangeItemRow, Lookups } from './admin.queries.ts';

/** Presenters of the back office: what a person sees of a change, in Chinese. */

/** An ISO-8601 UTC timestamp as Beijing time, "2026-03-01 14:05". */
export function formatTime(iso: string | null | undefined): string {
  return iso ? chinaDateTime(iso) : '';
}

/** Messages after a POST-redirect-GET, keyed by the `done` query value (unknown keys show nothing). */
export const DONE_NOTICES: Record<string, string> = {
  created: '调整单已创建。',
  added: '修改已加入调整单。',
  removed: '已从调整单中删除这项修改。',
  submit: '调整单已提交审核。',
  withdraw: '调整单已撤回。',
  approve: '已审核通过，等待发布。',
  return: '已退回调整单，提出人会看到您的意见。',
  publish: '已发布：新版本已生效，公众门户显示调整后的清单。',
  'user-created': '用户已创建。',
  'user-disabled': '账号已停用，该用户的登录已全部失效。',
  'user-enabled': '账号已重新启用。',
};

export function doneNotice(query: unknown): { kind: 'ok'; text: string } | null {
  const done = (query as Record<string, unknown> | undefined)?.done;
  if (typeof done !== 'string') return null;
  const text = DONE_NOTICES[done];
  return text ? { kind: 'ok', text } : null;
}

/** The fields of each kind of record, in display order, with Chinese names. */
export const FIELDS: Record<ChangeEntity, Array<{ key: string; label: string }>> = {
  duty: [
    { key: 'seq', label: '序号' },
    { key: 'text', label: '主要职责' },
  ],
  workItem: [
    { key: 'dutyId', label: '所属主要职责' },
    { key: 'text', label: '具体工作事项' },
    { key: 'officeIds', label: '责任科室' },
    { key: 'remark', label: '备注' },
  ],
  office: [
    { key: 'name', label: '科室名称' },
    { key: 'aliases', label: '别名' },
  ],
  share: [
    { key: 'matterId', label: '管理事项' },
    { key: 'departmentId', label: '相关部门' },
    { key: 'text', label: '职责分工' },
  ],
  service: [
    { key: 'name', label: '服务事项' },
    { key: 'content', label: '主要内容' },
    { key: 'officeIds', label: '承办机构' },
    { key: 'phones', label: '联系电话' },
  ],
};

export function dutyLabel(d: { seq: number; text: string }): string {
  return `${d.seq}. ${d.text}`;
}

/** One field value as text: ids become names, lists are joined with 、. */
export function showValue(key: string, value: unknown, lookups: Lookups): string {
  if (value === null || value === undefined) return '';
  const byId = <T extends { id: number }>(list: T[], id: unknown) => list.find((x) => x.id === Number(id));
  if (key === 'dutyId') {
    const d = byId(lookups.duties, value);
    return d ? dutyLabel(d) : `（主要职责 ${String(value)}）`;
  }
  if (key === 'officeIds' && Array.isArray(value))
    return value.map((id) => byId(lookups.offices, id)?.name ?? `（科室 ${String(id)}）`).join('、');
  if (key === 'matterId') {
    const m = byId(lookups.matters, value);
    return m ? `${m.seq}. ${m.name}` : `（管理事项 ${String(value)}）`;
  }
  if (key === 'departmentId') return byId(lookups.departments, value)?.name ?? `（部门 ${String(value)}）`;
  if (Array.isArray(value)) return value.map(String).join('、');
  return String(value);
}

export interface FieldRow {
  label: string;
  before: string;
  after: string;
  changed: boolean;
}

export interface PresentedItem {
  id: number;
  heading: string;
  entity: ChangeEntity;
  op: ChangeOp;
  target: string;
  rows: FieldRow[];
}

/** A proposed change as a before → after table, field by field. */
export function presentItem(item: ChangeItemRow, lookups: Lookups): PresentedItem {
  const fields = FIELDS[item.entity] ?? [];
  const rows = fields.map((f) => {
    const before = item.before ? showValue(f.key, item.before[f.key], lookups) : '';
    const after = item.op === 'retire' ? '' : showValue(f.key, item.payload[f.key], lookups);
    return { label: f.label, before, after, changed: before !== after };
  });
  const name = ENTITY_NAMES[item.entity] ?? item.entity;
  const subject = item.before ?? item.payload;
  const labelKey =
    item.entity === 'duty' || item.entity === 'share' || item.entity === 'workItem' ? 'text' : 'name';
  const raw = subject[labelKey];
  const target =
    item.entity === 'duty' && subject.seq !== undefined
      ? `第 ${String(subject.seq)} 项`
      : typeof raw === 'string'
        ? shortText(raw, 40)
        : '';
  return {
    id: item.id,
    heading: `${OP_NAMES[item.op] ?? item.op}${name}`,
    entity: item.entity,
    op: item.op,
    target,
    rows,
  };
}

export function shortText(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}
