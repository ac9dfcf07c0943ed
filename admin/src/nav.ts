import type { Role } from './api/types.ts';
import type { MessageKey } from './i18n.ts';

/** Mirrors the API's role sets (hosts/admin/auth/roles.ts) so the menu hides what a role cannot use. */
export const ROLE_SETS = {
  anyone: ['owner', 'admin', 'manager', 'designer', 'viewer'],
  staff: ['owner', 'admin', 'manager', 'designer'],
  managers: ['owner', 'admin', 'manager'],
  designers: ['owner', 'admin', 'designer'],
  admins: ['owner', 'admin'],
  owners: ['owner'],
} as const satisfies Record<string, readonly Role[]>;

export type Section = { path: string; label: MessageKey; icon: string; roles: readonly Role[] };

export const SECTIONS: Section[] = [
  {
    path: '/',
    label: 'nav.dashboard',
    icon: 'M3 13h8V3H3zm0 8h8v-6H3zm10 0h8V11h-8zm0-18v6h8V3z',
    roles: ROLE_SETS.anyone,
  },
  {
    path: '/escalations',
    label: 'nav.escalations',
    icon: 'M4 4h16v12H7l-3 3zM8 9h8M8 12h5',
    roles: ROLE_SETS.managers,
  },
  {
    path: '/leads',
    label: 'nav.leads',
    icon: 'M7 3h10v4H7zM5 7h14v14H5zM9 12h6M9 16h4',
    roles: ROLE_SETS.managers,
  },
  {
    path: '/orders',
    label: 'nav.orders',
    icon: 'M6 6h15l-2 8H8zM6 6L5 3H2M9 19a1 1 0 100 .01M17 19a1 1 0 100 .01',
    roles: ROLE_SETS.managers,
  },
  {
    path: '/products',
    label: 'nav.products',
    icon: 'M4 7l8-4 8 4-8 4zm0 0v10l8 4 8-4V7M12 11v10',
    roles: ROLE_SETS.anyone,
  },
  {
    path: '/catalog',
    label: 'nav.catalog',
    icon: 'M4 5h6v6H4zM14 5h6v6h-6zM4 15h6v4H4zM14 15h6v4h-6zM7 11v4M17 11v4',
    roles: ROLE_SETS.managers,
  },
  {
    path: '/cities',
    label: 'nav.cities',
    icon: 'M12 21s-7-6.3-7-11a7 7 0 0114 0c0 4.7-7 11-7 11zm0-8.5a2.5 2.5 0 100-5 2.5 2.5 0 000 5z',
    roles: ROLE_SETS.anyone,
  },
  {
    path: '/bots',
    label: 'nav.bots',
    icon: 'M5 8h14v10H5zM9 12h.01M15 12h.01M12 4v4M9 18v2M15 18v2',
    roles: ROLE_SETS.designers,
  },
  {
    path: '/scenarios',
    label: 'nav.scenarios',
    icon: 'M5 5h5v5H5zM14 14h5v5h-5zM7.5 10v4a2 2 0 002 2H14',
    roles: ROLE_SETS.designers,
  },
  { path: '/playground', label: 'nav.playground', icon: 'M4 5h16v10H9l-5 4zM8 9h8', roles: ROLE_SETS.designers },
  {
    path: '/users',
    label: 'nav.users',
    icon: 'M9 11a4 4 0 100-8 4 4 0 000 8zM2 21a7 7 0 0114 0M17 11a3 3 0 100-6M22 21a6 6 0 00-4-5.6',
    roles: ROLE_SETS.admins,
  },
  { path: '/audit', label: 'nav.audit', icon: 'M6 3h9l4 4v14H6zM9 9h6M9 13h6M9 17h4', roles: ROLE_SETS.admins },
  // GET /dead-letters and GET /crm/jobs are for admins (hosts/admin/routes/deadLetters.ts, crm.ts)
  { path: '/failures', label: 'nav.failures', icon: 'M12 3l10 18H2zM12 10v5M12 18h.01', roles: ROLE_SETS.admins },
  {
    path: '/api-tokens',
    label: 'nav.apiTokens',
    icon: 'M14 10a4 4 0 10-3.9 4H11l2 2 2-2 2 2 3-3-5-5z',
    roles: ROLE_SETS.admins,
  },
];
