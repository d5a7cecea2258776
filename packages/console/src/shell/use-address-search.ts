import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/** Writes a new query over the address, computed from the query as it is at that moment. */
export type ChangeAddressSearch = (
  change: (current: URLSearchParams) => URLSearchParams,
  options?: { readonly replace?: boolean },
) => void;

/**
 * The address's query, as react-router's `useSearchParams` gives it, with a writer that starts from
 * the address as it is when called rather than as it was at the last render (react-router's own
 * functional form is handed the rendered query too). react-router renders a navigation inside a
 * transition, so the address can be ahead of the page: choosing a platform and then a tab before the
 * page caught up would otherwise write the old platform back.
 */
export function useAddressSearch(): readonly [URLSearchParams, ChangeAddressSearch] {
  const [search, setSearch] = useSearchParams();
  const change = useCallback<ChangeAddressSearch>(
    (compute, options) => setSearch(compute(new URLSearchParams(window.location.search)), options),
    [setSearch],
  );
  return [search, change];
}

/**
 * A page's state kept in the address, `read` from a query and `write`n as a whole one: the state of
 * the rendered address, and an `update` that merges a change over the state the address holds when
 * it is called (useAddressSearch).
 */
export function useAddressState<State>(
  read: (search: URLSearchParams) => State,
  write: (state: State) => URLSearchParams,
): readonly [State, (next: Partial<State>) => void] {
  const [search, changeSearch] = useAddressSearch();
  const update = (next: Partial<State>) => changeSearch((current) => write({ ...read(current), ...next }));
  return [read(search), update];
}
