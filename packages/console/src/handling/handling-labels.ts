import type { HandlingAction, HandlingScope, HandlingState } from '../api/handling-types.ts';
import { registryTypeLabels } from '../format/registry-type.ts';

/** What each handling event does, in the words of PRODUCT.md 4.1. */
export const handlingActionLabels: Readonly<Record<HandlingAction, string>> = {
  ignore: 'Ignore',
  unignore: 'Cancel ignore',
  repaired: 'Mark repaired',
  allowlist: 'Allowlist',
  unallowlist: 'Cancel allowlist',
};

/** A line on each action, for the new-entry form. */
export const handlingActionHelp: Readonly<Record<HandlingAction, string>> = {
  ignore: 'The finding stays visible as ignored and leaves the risk counts; may expire.',
  unignore: 'Reopens the finding: ends its ignores and repaired marks.',
  repaired: 'Marks the finding repaired (fixed outside Drydock, e.g. by a rebuild not yet scanned).',
  allowlist: 'Accepts the finding for the chosen images or registry types; may expire.',
  unallowlist: 'Ends the allowlist entries of the finding.',
};

export const handlingActionColors: Readonly<Record<HandlingAction, string>> = {
  ignore: 'gold',
  unignore: 'default',
  repaired: 'green',
  allowlist: 'blue',
  unallowlist: 'default',
};

export const handlingStateLabels: Readonly<Record<HandlingState, string>> = {
  open: 'Open',
  ignored: 'Ignored',
  repaired: 'Repaired',
  allowlisted: 'Allowlisted',
};

/** Tag presets and the matching chart colours. */
export const handlingStateColors: Readonly<Record<HandlingState, string>> = {
  open: 'red',
  ignored: 'gold',
  repaired: 'green',
  allowlisted: 'blue',
};
export const handlingStateChartColors: Readonly<Record<HandlingState, string>> = {
  open: '#ff4d4f',
  ignored: '#faad14',
  repaired: '#52c41a',
  allowlisted: '#1677ff',
};

/** "All images", "Registry types: Harbor, Docker Hub", "2 images". */
export function describeScope(scope: HandlingScope): string {
  switch (scope.kind) {
    case 'all':
      return 'All images';
    case 'registry_types':
      return `Registry types: ${scope.types.map((type) => registryTypeLabels[type]).join(', ')}`;
    case 'images':
      return scope.imageIds.length === 1 ? '1 image' : `${scope.imageIds.length} images`;
  }
}
