import type { Permission } from './permissions.ts';
import { ReasonedButton, type ReasonedButtonProps } from './reasoned-button.tsx';
import { usePermission } from './use-permission.ts';

export interface GuardedButtonProps extends Omit<ReasonedButtonProps, 'reason'> {
  /** The permission the action needs in the current project. */
  readonly permission: Permission;
  /** Another reason the action is unavailable right now (shown when the permission is held). */
  readonly unavailableReason?: string | undefined;
}

/**
 * A button for an action that needs a permission: disabled, with the reason as its tooltip, when
 * the user lacks it (actions a role cannot take stay visible so people learn what to ask for).
 */
export function GuardedButton({ permission, unavailableReason, ...props }: GuardedButtonProps) {
  const access = usePermission(permission);
  return <ReasonedButton {...props} reason={access.allowed ? unavailableReason : access.reason} />;
}
