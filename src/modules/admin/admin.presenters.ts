import { chinaDateTime } from '../../lib/china-time.ts';
import { CHANGE_ENTITY_NAMES } from '../changes/index.ts';

/** Presenters of the back office pages (dashboard, users, audit trail), in Chinese. */

/** An ISO-8601 UTC timestamp as Beijing time, "2026-03-01 14:05". */
export function formatTime(iso: string | null | undefined): string {
  return iso ? chinaDateTime(iso) : '';
}

/** Messages after a POST-redirect-GET, keyed by the `done` query value (unknown keys show nothing). */
export const DONE_NOTICES: Record<string, string> = {
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

/** Audit actions in Chinese (unknown ones shown as stored). */
export const AUDIT_ACTIONS: Record<string, string> = {
  create: '新增',
  update: '修改',
  retire: '停用',
  login: '登录',
  'change-password': '修改密码',
  'propose-create': '提议新增',
  'propose-update': '提议修改',
  'propose-retire': '提议停用',
  'withdraw-item': '删除调整项',
  'revise-item': '修改调整项',
  edit: '修改调整单',
  submit: '提交审核',
  withdraw: '撤回',
  approve: '审核通过',
  return: '退回',
  publish: '发布',
  import: '导入',
};

export const AUDIT_ENTITIES: Record<string, string> = {
  ...CHANGE_ENTITY_NAMES,
  user: '用户',
  session: '用户',
  change_set: '调整单',
  change_item: '调整项',
  version: '清单版本',
};
