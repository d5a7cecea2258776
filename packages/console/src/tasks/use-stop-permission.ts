import { useAnyPermission, type PermissionState } from '../access/use-permission.ts';

/**
 * Stopping a scan task needs `images:set` or `containers:set` (PRODUCT.md section 6; the stop
 * route declares both), so a role with only the second one stops tasks it could not start.
 */
export function useStopPermission(): PermissionState {
  return useAnyPermission(['images:set', 'containers:set'], 'stop scans');
}
