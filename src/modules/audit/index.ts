/** The audit module's public surface: other modules import only from here. */

export { AUDIT_READERS, auditBackoffice, auditPages } from './audit.pages.tsx';
export type { Actor } from './audit.repo.ts';
export { appendAudit, SYSTEM_ACTOR } from './audit.repo.ts';
export { verifyAudit } from './audit.verify.ts';
