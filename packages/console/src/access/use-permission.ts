import { useProjectId } from '../shell/use-project-id.ts';
import { permissionPurpose, type Permission } from './permissions.ts';
import { useMe } from './use-me.ts';

/** Whether the user may do something here, and if not, the reason to show on what is disabled. */
export type PermissionState =
  | { readonly allowed: true; readonly reason?: undefined }
  | { readonly allowed: false; readonly reason: string };

/** Whether the caller holds `permission` in `projectId`, per a `GET /me` reply. */
export function permissionIn(
  me: {
    readonly projects: readonly { readonly projectId: string; readonly permissions: readonly Permission[] }[];
  },
  projectId: string,
  permission: Permission,
): PermissionState {
  const held = me.projects.find((project) => project.projectId === projectId);
  if (held?.permissions.includes(permission)) return { allowed: true };
  return {
    allowed: false,
    reason: `Your role in this project does not allow you to ${permissionPurpose[permission]} (needs ${permission}).`,
  };
}

/**
 * The caller's permission in the current project (the `:projectId` of the page). The API checks
 * every call anyway; this only keeps the console from offering what would be refused.
 */
export function usePermission(permission: Permission): PermissionState {
  const projectId = useProjectId();
  const me = useMe();
  if (!me.data) return { allowed: false, reason: 'Loading your permissions…' };
  if (projectId === undefined) return { allowed: false, reason: 'Choose a project first.' };
  return permissionIn(me.data, projectId, permission);
}
