import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import { useState } from 'react';
import { RouterProvider } from 'react-router/dom';
import { isConsoleApiError } from './api/api-error.ts';
import { createConsoleRouter } from './console-routes.tsx';

/** A refused or malformed request fails the same way again; only missing answers are retried. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isConsoleApiError(error) && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // Pages show what they have and refetch on every visit: scan statuses change behind the console's back.
      queries: { retry: shouldRetry, staleTime: 0, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}

/** The whole console: theme, message and modal context, the query cache, the router. */
export function ConsoleApp() {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(createConsoleRouter);
  return (
    <ConfigProvider theme={{ token: { colorPrimary: '#1677ff', borderRadius: 6 } }}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
