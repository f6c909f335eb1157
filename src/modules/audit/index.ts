/** The audit module's public surface: other modules import only from here. */

export type { Actor } from './audit.repo.ts';
export { appendAudit, SYSTEM_ACTOR, verifyAudit } from './audit.repo.ts';
