import type { HandlingAction, HandlingState } from '../api/report-types.ts';

/** PRODUCT.md 4.1's handling states, and tag colours: handled findings read as settled, open ones do not. */
export const handlingStateLabels: Readonly<Record<HandlingState, string>> = {
  open: 'Open',
  ignored: 'Ignored',
  repaired: 'Marked repaired',
  allowlisted: 'Allowlisted',
};

export const handlingStateColors: Readonly<Record<HandlingState, string>> = {
  open: 'red',
  ignored: 'default',
  repaired: 'green',
  allowlisted: 'blue',
};

export const handlingActionLabels: Readonly<Record<HandlingAction, string>> = {
  ignore: 'Ignore',
  unignore: 'Reopen (un-ignore)',
  repaired: 'Mark repaired',
  allowlist: 'Allowlist',
  unallowlist: 'Remove from allowlist',
};

/** What each action records, in the past tense, for the confirmation message. */
export const handlingActionDone: Readonly<Record<HandlingAction, string>> = {
  ignore: 'ignored',
  unignore: 'reopened',
  repaired: 'marked repaired',
  allowlist: 'allowlisted',
  unallowlist: 'removed from the allowlist',
};

/** Only these may carry an expiry (a time-boxed acceptance); the API refuses one on the others. */
export const expiringActions: ReadonlySet<HandlingAction> = new Set(['ignore', 'allowlist']);

/** The actions that make sense for a finding in `state` (cancelling what is not active does nothing). */
export function actionsFor(state: HandlingState): readonly HandlingAction[] {
  switch (state) {
    case 'open':
      return ['ignore', 'allowlist', 'repaired'];
    case 'ignored':
    case 'repaired':
      return ['unignore', 'allowlist'];
    case 'allowlisted':
      return ['unallowlist', 'ignore', 'repaired'];
  }
}
