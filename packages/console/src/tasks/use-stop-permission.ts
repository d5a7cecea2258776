import { permissionIn, type PermissionState } from '../access/use-permission.ts';
import { useMe } from '../access/use-me.ts';
import { useProjectId } from '../shell/use-project-id.ts';

/**
 * Stopping a scan task needs `images:set` or `containers:set` (PRODUCT.md section 6; the stop
 * route declares both), so a role with only the second one stops tasks it could not start.
 */
export function useStopPermission(): PermissionState {
  const projectId = useProjectId();
  const me = useMe();
  if (!me.data) return { allowed: false, reason: 'Loading your permissions…' };
  if (projectId === undefined) return { allowed: false, reason: 'Choose a project first.' };
  if (permissionIn(me.data, projectId, 'images:set').allowed) return { allowed: true };
  if (permissionIn(me.data, projectId, 'containers:set').allowed) return { allowed: true };
  return {
    allowed: false,
    reason:
      'Your role in this project does not allow you to stop scans (needs images:set or containers:set).',
  };
}
