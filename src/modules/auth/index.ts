/** The auth module's public surface: other modules import only from here. */

export type { Abilities, AbilityRule } from './ability.ts';
export { defineAbilities, forbiddenAction } from './ability.ts';
export { authPages } from './auth.pages.tsx';
export { authPlugin, requireRole } from './auth.plugin.ts';
export type { Role, SessionUser } from './auth.service.ts';
export { actorOf, createUser, ROLE_NAMES, ROLES, setUserActive, staffIdentity } from './auth.service.ts';
