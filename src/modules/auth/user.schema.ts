import { z } from 'zod';
import { repeated } from '../../http/forms.ts';
import { codesOf } from '../../lib/codes.ts';

/**
 * The inputs of user management, one Zod declaration each, with the Chinese messages people
 * read. The services parse with them (so the CLI and the forms are held to the same rules); the
 * pages hand over the posted fields as they came.
 */

/** The staff roles, by their Chinese names. */
export const ROLE_NAMES = {
  admin: '系统管理员',
  editor: '科室编辑',
  reviewer: '审核人',
  inspector: '执法人员',
  auditor: '审计',
  /** 法制审核 of penalty decisions (行政处罚法 art. 58); never the handler of the case. */
  legal_reviewer: '法制审核人员',
} as const;
export type Role = keyof typeof ROLE_NAMES;
export const ROLES = codesOf(ROLE_NAMES);

/** 3–40 letters, digits, `_`, `.` or `-`. */
export const Username = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.-]{3,40}$/, '用户名只能包含字母、数字、下划线、点和连字符，长度 3–40');

/** At least 10 characters with a letter and a digit, at most 200. */
export const Password = z
  .string()
  .min(10, '密码至少需要 10 个字符')
  .max(200, '密码不能超过 200 个字符')
  .refine((p) => /[A-Za-z]/.test(p) && /\d/.test(p), '密码需同时包含字母和数字');

export const RoleInput = z.enum(ROLES, { error: `角色必须是：${ROLES.join('、')}` });

/** Office ids an editor (or inspector) is bound to; repeated checkboxes on the forms. */
export const OfficeIds = repeated(z.coerce.number().int().positive('科室编号有误')).transform((ids) => [
  ...new Set(ids),
]);

const editorNeedsOffice = (v: { role: Role; officeIds: number[] }) =>
  v.role !== 'editor' || v.officeIds.length > 0;
const EDITOR_NEEDS_OFFICE = { message: '科室编辑必须绑定至少一个科室', path: ['officeIds'] };

/** 新建用户. */
export const NewUser = z
  .object({
    username: Username,
    /** Shown in the frame and the audit pages; the username when empty. */
    displayName: z
      .string()
      .trim()
      .max(100, '姓名不能超过 100 个字符')
      .optional()
      .transform((v) => v || undefined),
    role: RoleInput,
    password: Password,
    officeIds: OfficeIds,
  })
  .refine(editorNeedsOffice, EDITOR_NEEDS_OFFICE);
/** Office ids as numbers (code) or the strings a form posts. */
type OfficeIdsInput = { officeIds?: readonly (number | string)[] };
export type NewUserInput = Omit<z.input<typeof NewUser>, 'officeIds'> & OfficeIdsInput;

/** 修改角色和科室. */
export const RoleAssignment = z
  .object({ role: RoleInput, officeIds: OfficeIds })
  .refine(editorNeedsOffice, EDITOR_NEEDS_OFFICE);
export type RoleAssignmentInput = Omit<z.input<typeof RoleAssignment>, 'officeIds'> & OfficeIdsInput;

/** 重置密码: a temporary password typed by the admin, or none to have one generated. */
export const PasswordReset = z.object({
  password: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .pipe(Password.optional()),
});
