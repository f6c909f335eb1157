/** The auth module's public surface: other modules import only from here. */

export type { Abilities, AbilityRule } from './ability.ts';
export { defineAbilities, forbiddenAction } from './ability.ts';
export { authPages } from './auth.pages.tsx';
export { authPlugin, requireRole } from './auth.plugin.ts';
export type { SessionUser } from './auth.service.ts';
export { actorOf, staffIdentity } from './auth.service.ts';
export { userAbilities } from './user.policy.ts';
export { findAccountByUsername, officeIdsByName } from './user.repo.ts';
export type { Role } from './user.schema.ts';
export { ROLE_NAMES, ROLES } from './user.schema.ts';
export { createUser, resetPassword, setUserActive, setUserRole } from './user.service.ts';
export { authBackoffice, userPages } from './users.pages.tsx';
