import { useAnyPermission, type PermissionState } from '../access/use-permission.ts';

/**
 * Whether the caller may manage the project's webhooks. The API asks `iam:set` (a webhook sends
 * the project's findings out, so it is granted with membership management); the reason names
 * webhooks rather than `iam:set`'s usual "members, roles and the audit log".
 */
export function useWebhookAccess(): PermissionState {
  return useAnyPermission(['iam:set'], 'manage webhooks');
}
