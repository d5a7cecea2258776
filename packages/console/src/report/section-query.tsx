import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { EmptyState } from '../states/empty-state.tsx';
import { ErrorState } from '../states/error-state.tsx';
import { LoadingState } from '../states/loading-state.tsx';

/**
 * A report section's loading, error and missing states around its content. A section can be
 * missing when a new scan replaced the result between two requests; the overview then follows.
 */
export function SectionQuery<T>({
  query,
  label,
  children,
}: {
  readonly query: UseQueryResult<T | undefined>;
  /** What loads, in lower case ("vulnerabilities"). */
  readonly label: string;
  readonly children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <LoadingState label={`Loading ${label}…`} />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (query.data === undefined)
    return (
      <EmptyState
        title="This result is no longer current"
        description="A newer scan replaced it; the page shows the newer one once it has loaded."
      />
    );
  return children(query.data);
}

/** The scan did not look for this risk type (it was left out of the scan's risk types). */
export function NotScannedState({ riskType }: { readonly riskType: string }) {
  return (
    <EmptyState
      title={`Not scanned for ${riskType}`}
      description={`The last scan of this platform left ${riskType} out. Use "Scan again" with this risk type selected.`}
    />
  );
}
