import { useProjectId } from '../shell/use-project-id.ts';
import { permissionPurpose, type Permission } from './permissions.ts';
import { useMe } from './use-me.ts';

/** Whether the user may do something here, and if not, the reason to show on what is disabled. */
export type PermissionState =
  | { readonly allowed: true; readonly reason?: undefined }
  | { readonly allowed: false; readonly reason: string };

/** A `GET /me` reply, as far as permissions go. */
interface HeldPermissions {
  readonly projects: readonly { readonly projectId: string; readonly permissions: readonly Permission[] }[];
}

/**
 * Whether the caller holds any of `wanted` in `projectId`, per a `GET /me` reply; `purpose` says
 * what they allow, for the reason ("stop scans").
 */
export function anyPermissionIn(
  me: HeldPermissions,
  projectId: string,
  wanted: readonly Permission[],
  purpose: string,
): PermissionState {
  const held = me.projects.find((project) => project.projectId === projectId);
  if (wanted.some((permission) => held?.permissions.includes(permission))) return { allowed: true };
  return {
    allowed: false,
    reason: `Your role in this project does not allow you to ${purpose} (needs ${wanted.join(' or ')}).`,
  };
}

/** Whether the caller holds `permission` in `projectId`, per a `GET /me` reply. */
export function permissionIn(
  me: HeldPermissions,
  projectId: string,
  permission: Permission,
): PermissionState {
  return anyPermissionIn(me, projectId, [permission], permissionPurpose[permission]);
}

/**
 * Whether the caller holds any of `wanted` in the current project (the `:projectId` of the page),
 * for actions the API allows under either of two permissions.
 */
export function useAnyPermission(wanted: readonly Permission[], purpose: string): PermissionState {
  const projectId = useProjectId();
  const me = useMe();
  if (!me.data) return { allowed: false, reason: 'Loading your permissions…' };
  if (projectId === undefined) return { allowed: false, reason: 'Choose a project first.' };
  return anyPermissionIn(me.data, projectId, wanted, purpose);
}

/**
 * The caller's permission in the current project. The API checks every call anyway; this only
 * keeps the console from offering what would be refused.
 */
export function usePermission(permission: Permission): PermissionState {
  return useAnyPermission([permission], permissionPurpose[permission]);
}
