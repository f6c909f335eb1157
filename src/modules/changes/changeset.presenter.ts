import { chinaDateTime } from '../../lib/china-time.ts';
import {
  type ChangeAdapter,
  type ChangeChoices,
  type ChangeField,
  REGISTRY_CHANGES,
} from '../registry/index.ts';
import type { ChangeItemRow } from './changeset.repo.ts';
import { type ChangeOp, OP_NAMES } from './changeset.schema.ts';

/** What a person sees of a change set and its changes, in Chinese. */

/** An ISO-8601 UTC timestamp as Beijing time, "2026-03-01 14:05". */
export function formatTime(iso: string | null | undefined): string {
  return iso ? chinaDateTime(iso) : '';
}

/** Messages after a POST-redirect-GET, keyed by the `done` query value. */
export const CHANGE_NOTICES: Record<string, string> = {
  created: '调整单已创建。',
  added: '修改已加入调整单。',
  revised: '这项修改已更新。',
  edited: '调整单的标题和调整依据已更新。',
  removed: '已从调整单中删除这项修改。',
  submit: '调整单已提交审核。',
  withdraw: '调整单已撤回。',
  approve: '已审核通过，等待发布。',
  return: '已退回调整单，提出人会看到您的意见。',
  publish: '已发布：新版本已生效，公众门户显示调整后的清单。',
  schedule: '已发布，将于生效日期（北京时间）自动生效；此前公众门户、检索和开放接口仍显示原内容。',
  url: '正式发布的网址已保存。',
};

export function dutyLabel(d: { seq: number; text: string }): string {
  return `${d.seq}. ${d.text}`;
}

/** One field value as text: ids become names, lists are joined with 、. */
export function showValue(field: ChangeField, value: unknown, choices: ChangeChoices): string {
  if (value === null || value === undefined) return '';
  const byId = <T extends { id: number }>(list: T[], id: unknown) => list.find((x) => x.id === Number(id));
  switch (field.kind) {
    case 'duty': {
      const d = byId(choices.duties, value);
      return d ? dutyLabel(d) : `（主要职责 ${String(value)}）`;
    }
    case 'matter': {
      const m = byId(choices.matters, value);
      return m ? `${m.seq}. ${m.name}` : `（管理事项 ${String(value)}）`;
    }
    case 'department':
      return byId(choices.departments, value)?.name ?? `（部门 ${String(value)}）`;
    case 'offices':
      if (Array.isArray(value))
        return value.map((id) => byId(choices.offices, id)?.name ?? `（科室 ${String(id)}）`).join('、');
      return String(value);
    default:
      return Array.isArray(value) ? value.map(String).join('、') : String(value);
  }
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
  entity: string;
  op: ChangeOp;
  target: string;
  rows: FieldRow[];
}

/** A proposed change as a before → after table, field by field. */
export function presentItem(
  item: ChangeItemRow,
  adapter: ChangeAdapter,
  choices: ChangeChoices,
): PresentedItem {
  const rows = adapter.fields.map((f) => {
    const before = item.before ? showValue(f, item.before[f.key], choices) : '';
    const after = item.op === 'retire' ? '' : showValue(f, item.payload[f.key], choices);
    return { label: f.label, before, after, changed: before !== after };
  });
  return {
    id: item.id,
    heading: `${OP_NAMES[item.op] ?? item.op}${adapter.name}`,
    entity: item.entity,
    op: item.op,
    target: adapter.label(item.before ?? item.payload),
    rows,
  };
}

/** The Chinese names of the registry's changeable kinds, keyed by entity (for the audit trail). */
export const CHANGE_ENTITY_NAMES: Record<string, string> = Object.fromEntries(
  REGISTRY_CHANGES.map((a) => [a.entity, a.name]),
);
