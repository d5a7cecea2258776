import { Flex } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useApi } from '../api/api-context.tsx';
import { isConsoleApiError } from '../api/api-error.ts';
import { useMe } from '../access/use-me.ts';
import { ErrorState } from '../states/error-state.tsx';
import { LoadingState } from '../states/loading-state.tsx';
import { signInPath } from './sign-in-path.ts';

/**
 * Renders its children once `GET /me` answers. A tab that has not signed in goes to the sign-in
 * page at once; a session that ended meanwhile is sent there by the API client (a 401), so only
 * other failures show here.
 */
export function RequireSession({ children }: { readonly children: ReactNode }) {
  const api = useApi();
  const location = useLocation();
  const me = useMe();
  if (!api.hasSession())
    return <Navigate to={signInPath(`${location.pathname}${location.search}`)} replace />;
  if (me.data) return children;
  if (me.isError && !(isConsoleApiError(me.error) && me.error.status === 401))
    return (
      <Flex justify="center" style={{ padding: 48 }}>
        <ErrorState error={me.error} onRetry={() => void me.refetch()} title="Drydock could not be reached" />
      </Flex>
    );
  return <LoadingState label="Signing you in…" minHeight={400} />;
}
