import type { HandlingAction, HandlingState } from '../api/handling-types.ts';

/** What each action records, in the past tense, for the confirmation message. */
export const handlingActionDone: Readonly<Record<HandlingAction, string>> = {
  ignore: 'ignored',
  unignore: 'reopened',
  repaired: 'marked repaired',
  allowlist: 'allowlisted',
  unallowlist: 'removed from the allowlist',
};

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
