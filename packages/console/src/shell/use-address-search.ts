import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/** Writes a new query over the address, computed from the query as it is at that moment. */
export type ChangeAddressSearch = (
  change: (current: URLSearchParams) => URLSearchParams,
  options?: { readonly replace?: boolean },
) => void;

/**
 * The address's query, as react-router's `useSearchParams` gives it, with a writer that starts from
 * the address as it is when called rather than as it was at the last render. react-router renders
 * a navigation inside a transition, so the address can be ahead of the page: choosing a platform and
 * then a tab before the page caught up would otherwise write the old platform back.
 */
export function useAddressSearch(): readonly [URLSearchParams, ChangeAddressSearch] {
  const [search, setSearch] = useSearchParams();
  const change = useCallback<ChangeAddressSearch>(
    (compute, options) => {
      void setSearch(compute(new URLSearchParams(window.location.search)), options);
    },
    [setSearch],
  );
  return [search, change];
}
