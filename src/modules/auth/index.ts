/** The auth module's public surface: other modules import only from here. */

export type { Abilities, AbilityRule } from './ability.ts';
export { defineAbilities, forbiddenAction } from './ability.ts';
export { acceptApiTokens, bearerToken, userOfApiKey } from './api-token.plugin.ts';
export type { ApiTokenRow } from './api-token.service.ts';
export {
  apiTokenUser,
  createApiToken,
  DEFAULT_TOKEN_DAYS,
  listApiTokens,
  MAX_TOKEN_DAYS,
  revokeApiToken,
} from './api-token.service.ts';
export { authPages } from './auth.pages.tsx';
export { authPlugin, requireRole } from './auth.plugin.ts';
export type { SessionUser } from './auth.service.ts';
export { actorOf, staffIdentity } from './auth.service.ts';
export { BEARER_SECURITY, staffMeApi } from './staff.api.ts';
export { userAbilities } from './user.policy.ts';
export { findAccountByUsername, officeIdsByName } from './user.repo.ts';
export type { Role } from './user.schema.ts';
export { ROLE_NAMES, ROLES } from './user.schema.ts';
export { createUser, resetPassword, setUserActive, setUserRole } from './user.service.ts';
export { authBackoffice, userPages } from './users.pages.tsx';
