import type { User } from '../api/identity-types.ts';
import { formatTime } from '../format/format-time.ts';

export interface UserStatus {
  readonly key: 'active' | 'disabled' | 'locked';
  readonly label: string;
  /** An antd tag colour. */
  readonly color: string;
}

/** Whether a user can sign in now: disabled by an administrator, locked after failed sign-ins, or active. */
export function userStatus(user: User, now: Date = new Date()): UserStatus {
  if (user.disabled) return { key: 'disabled', label: 'Disabled', color: 'default' };
  if (user.lockedUntil !== null && new Date(user.lockedUntil).getTime() > now.getTime())
    return { key: 'locked', label: `Locked until ${formatTime(user.lockedUntil)}`, color: 'warning' };
  return { key: 'active', label: 'Active', color: 'success' };
}
