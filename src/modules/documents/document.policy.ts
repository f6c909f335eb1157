import { defineAbilities, type Role } from '../auth/index.ts';

/**
 * Who may do what with issued documents. Every staff role reads them (list, download, print); a
 * correction (a new document superseding the old) and a standalone issue (执法监督通知（决定）书) are
 * for admins and reviewers (the bureau's leaders); nobody edits an issued document — the attempt is
 * refused and audited (document.service.ts `editDocument`).
 */
export const DOCUMENT_READERS: readonly Role[] = ['admin', 'editor', 'reviewer', 'inspector', 'auditor'];
export const DOCUMENT_ISSUERS: readonly Role[] = ['admin', 'reviewer'];

export const documentAbilities = defineAbilities<unknown>()({
  read: { roles: DOCUMENT_READERS, refusal: '您的角色无权查看文书' },
  issue: { roles: DOCUMENT_ISSUERS, refusal: '只有系统管理员和审核人可以签发文书' },
  supersede: { roles: DOCUMENT_ISSUERS, refusal: '只有系统管理员和审核人可以签发更正文书' },
  // Reaching the edit action at all takes a staff role; the action itself always refuses.
  edit: { roles: DOCUMENT_READERS, refusal: '您的角色无权修改文书' },
});
