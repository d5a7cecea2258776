import type { Dayjs } from 'dayjs';

/** How long a new token lives: a number of days, never, or until a chosen day. */
export const tokenLifetimes = ['7', '30', '90', '365', 'never', 'date'] as const;
export type TokenLifetime = (typeof tokenLifetimes)[number];

export const tokenLifetimeLabels: Readonly<Record<TokenLifetime, string>> = {
  '7': '7 days',
  '30': '30 days',
  '90': '90 days',
  '365': '1 year',
  never: 'Never expires',
  date: 'Until a date…',
};

/**
 * The `expiresAt` to send: an RFC 3339 instant, or null for a token that never expires. A chosen
 * day lasts to its end in the browser's time zone.
 */
export function expiryOf(
  lifetime: TokenLifetime,
  date: Dayjs | undefined,
  now: Date = new Date(),
): string | null {
  if (lifetime === 'never') return null;
  if (lifetime === 'date') return date ? date.endOf('day').toDate().toISOString() : null;
  return new Date(now.getTime() + Number(lifetime) * 24 * 60 * 60 * 1000).toISOString();
}
