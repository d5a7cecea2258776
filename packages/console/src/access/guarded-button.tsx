import { Button, Tooltip, type ButtonProps } from 'antd';
import type { Permission } from './permissions.ts';
import { usePermission } from './use-permission.ts';

export interface GuardedButtonProps extends ButtonProps {
  /** The permission the action needs in the current project. */
  readonly permission: Permission;
  /** Another reason the action is unavailable right now (shown when the permission is held). */
  readonly unavailableReason?: string | undefined;
}

/**
 * A button for an action that needs a permission: disabled, with the reason as its tooltip, when
 * the user lacks it (actions a role cannot take stay visible so people learn what to ask for).
 */
export function GuardedButton({ permission, unavailableReason, disabled, ...props }: GuardedButtonProps) {
  const access = usePermission(permission);
  const reason = access.allowed ? unavailableReason : access.reason;
  const button = <Button {...props} disabled={disabled === true || reason !== undefined} />;
  if (reason === undefined) return button;
  // A disabled button swallows pointer events; the wrapper carries the tooltip.
  return (
    <Tooltip title={reason}>
      <span className="guarded-action" data-disabled-reason={reason}>
        {button}
      </span>
    </Tooltip>
  );
}
