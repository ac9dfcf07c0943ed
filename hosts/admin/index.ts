/** Public surface of the admin HTTP API. */
export { createAdminApi } from './api.ts';
export type { AdminApiDeps, AdminApiOptions } from './deps.ts';
export { bootstrapOwner } from './auth/bootstrap.ts';
export { RELOAD_CHANNEL, type ReloadMessage } from './http/context.ts';
export { notifyCatalogChanged, type CatalogChanged, type CatalogChangeReason } from './catalogChanged.ts';
export { ApiError } from './http/errors.ts';
export { ROLE_SETS, USER_ROLES, type UserRole } from './auth/roles.ts';
export { maskToken } from './routes/botConfig.ts';
export type { AdminEnv, AuthUser } from './http/route.ts';
