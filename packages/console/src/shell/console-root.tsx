import { Outlet } from 'react-router';
import { ApiProvider } from '../api/api-context.tsx';

/** The root route: everything below reaches the API client (which needs the router to redirect). */
export function ConsoleRoot() {
  return (
    <ApiProvider>
      <Outlet />
    </ApiProvider>
  );
}
