import { Button, Tooltip, type ButtonProps } from 'antd';

/**
 * A button unavailable for a reason other than a project permission (service administration, the
 * caller's own account): disabled with the reason as its tooltip, the way GuardedButton shows a
 * missing permission, so both read alike.
 */
export function ReasonedButton({ reason, ...props }: ButtonProps & { readonly reason: string | undefined }) {
  const button = <Button {...props} disabled={props.disabled === true || reason !== undefined} />;
  if (reason === undefined) return button;
  return (
    <Tooltip title={reason}>
      <span className="guarded-action" data-disabled-reason={reason}>
        {button}
      </span>
    </Tooltip>
  );
}
