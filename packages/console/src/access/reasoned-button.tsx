import { Button, Popconfirm, Tooltip, type ButtonProps } from 'antd';
import type { ReactNode } from 'react';

/** What a destructive action asks before it acts. */
export interface Confirmation {
  readonly title: ReactNode;
  readonly description?: ReactNode;
  readonly okText: string;
  readonly cancelText?: string;
  /** Whether the confirming button is red (what it does cannot be taken back); red unless false. */
  readonly danger?: boolean;
  readonly onConfirm: () => void;
}

export interface ReasonedButtonProps extends ButtonProps {
  /** Why the action is unavailable right now; undefined when it is available. */
  readonly reason: string | undefined;
  /** Ask first (destructive actions); asked only while the action is available. */
  readonly confirm?: Confirmation | undefined;
}

/**
 * A button for an action that may be unavailable: disabled with the reason as its tooltip (it
 * stays visible, so people learn what to ask for), and, when it is available and `confirm` is
 * given, behind a confirmation. GuardedButton gives it a missing permission as the reason; other
 * reasons (service administration, the caller's own account, a task that has ended) come directly.
 */
export function ReasonedButton({ reason, confirm, disabled, ...props }: ReasonedButtonProps) {
  const button = <Button {...props} disabled={disabled === true || reason !== undefined} />;
  if (reason !== undefined)
    // A disabled button swallows pointer events; the wrapper carries the tooltip.
    return (
      <Tooltip title={reason}>
        <span className="guarded-action" data-disabled-reason={reason}>
          {button}
        </span>
      </Tooltip>
    );
  if (confirm === undefined) return button;
  return (
    <Popconfirm
      title={confirm.title}
      description={confirm.description}
      okText={confirm.okText}
      cancelText={confirm.cancelText}
      okButtonProps={{ danger: confirm.danger !== false }}
      onConfirm={confirm.onConfirm}
    >
      {button}
    </Popconfirm>
  );
}
