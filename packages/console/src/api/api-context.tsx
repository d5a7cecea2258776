import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { createContext, useContext, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { ApiClient } from './api-client.ts';
import { createCsrfStore } from './csrf-store.ts';
import { signInPath } from '../shell/sign-in-path.ts';

const ApiContext = createContext<ApiClient | undefined>(undefined);

/**
 * Holds the console's one API client. When the session ends (401, or a write without the CSRF
 * token) the cached data is dropped and the user is sent to the sign-in page, which returns to the
 * page they were on.
 */
export function ApiProvider({ children }: { readonly children: ReactNode }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  // The client outlives renders; the handler reads the page the browser is on when the session ends.
  const [client] = useState(
    () =>
      new ApiClient({
        csrf: createCsrfStore(window.sessionStorage),
        onSessionEnded: (error, hadSession) => {
          const current = window.location;
          if (current.pathname === '/sign-in') return;
          queryClient.clear();
          if (hadSession || error.code === 'csrf_required')
            void message.warning(
              error.code === 'csrf_required'
                ? 'Sign in again in this tab to make changes.'
                : 'Your session has ended; sign in again.',
            );
          void navigate(signInPath(`${current.pathname}${current.search}`), { replace: true });
        },
      }),
  );
  return <ApiContext value={client}>{children}</ApiContext>;
}

export function useApi(): ApiClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApi needs an ApiProvider above it');
  return client;
}
