/**
 * The CI scan tab's part of the task manager's address: `tab=ci`, the reference filter
 * (`reference`), the page (`ciPage`, 1-based) and the open scan (`ciScan`), so a filtered list or
 * one scan can be linked to: `drydock image --server` prints `tasks?tab=ci&ciScan=<id>`. The page
 * size is the task manager's own (`size`). The other tabs' keys are task-list-params.ts's.
 */

export const ciTab = 'ci';

export interface CiScanState {
  readonly reference: string | undefined;
  readonly page: number;
  /** The CI scan whose detail is open. */
  readonly ciScanId: string | undefined;
}

const ciKeys = ['reference', 'ciPage', 'ciScan'] as const;

function textOf(value: string | null): string | undefined {
  return value === null || value.trim() === '' ? undefined : value.trim();
}

export function isCiTab(search: URLSearchParams): boolean {
  return search.get('tab') === ciTab;
}

export function readCiScanState(search: URLSearchParams): CiScanState {
  const page = Number(search.get('ciPage'));
  return {
    reference: textOf(search.get('reference')),
    page: Number.isInteger(page) && page > 1 ? page : 1,
    ciScanId: textOf(search.get('ciScan')),
  };
}

/**
 * The address with the CI scan state written over `search` (a copy): `active` makes the CI tab
 * the one shown; page 1 and empty values are left out.
 */
export function writeCiScanState(
  search: URLSearchParams,
  state: CiScanState,
  active: boolean,
): URLSearchParams {
  const next = new URLSearchParams(search);
  for (const key of ciKeys) next.delete(key);
  if (active) next.set('tab', ciTab);
  else if (next.get('tab') === ciTab) next.delete('tab');
  if (state.reference !== undefined) next.set('reference', state.reference);
  if (state.page > 1) next.set('ciPage', String(state.page));
  if (state.ciScanId !== undefined) next.set('ciScan', state.ciScanId);
  return next;
}
