/**
 * Which home each role sees, and the chunk that draws it. Shared by the home page (which renders it) and the
 * home route (which starts fetching the chunk as soon as the workspace is known, beside the home page's own).
 */
export type RoleHome = 'csm' | 'manager' | 'executive';

export function roleHome(role: string): RoleHome {
  if (role === 'manager' || role === 'admin') return 'manager';
  if (role === 'executive' || role === 'finance' || role === 'viewer') return 'executive';
  return 'csm';
}

export const importRoleHome = {
  csm: () => import('./csm-home.tsx'),
  manager: () => import('./manager-home.tsx'),
  executive: () => import('./executive-home.tsx'),
} as const satisfies Record<RoleHome, () => Promise<unknown>>;
