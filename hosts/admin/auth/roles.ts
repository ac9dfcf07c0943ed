import type { UserRole } from '../../../storage/db/types.ts';

export type { UserRole };
export const USER_ROLES: readonly UserRole[] = ['owner', 'admin', 'manager', 'designer', 'viewer'];

/**
 * Who may call what. owner > admin > {manager, designer, viewer}: owner and admin see and do
 * everything their juniors do; managers answer shoppers, designers shape conversations, viewers read.
 */
export const ROLE_SETS = {
  anyone: ['owner', 'admin', 'manager', 'designer', 'viewer'],
  staff: ['owner', 'admin', 'manager', 'designer'],
  managers: ['owner', 'admin', 'manager'],
  designers: ['owner', 'admin', 'designer'],
  admins: ['owner', 'admin'],
  owners: ['owner'],
} as const satisfies Record<string, readonly UserRole[]>;

/** An admin manages every account except owners; only an owner makes or touches an owner. */
export function mayManage(actor: UserRole, target: UserRole): boolean {
  if (actor === 'owner') return true;
  return actor === 'admin' && target !== 'owner';
}
