import { createBrowserRouter, Navigate } from 'react-router';
import { NotFoundPage } from './pages/not-found-page.tsx';
import { SignInPage } from './pages/sign-in-page.tsx';
import { ConsoleLayout } from './shell/console-layout.tsx';
import { ConsoleRoot } from './shell/console-root.tsx';
import { consoleSections } from './shell/console-sections.tsx';
import { ProjectHome } from './shell/project-home.tsx';
import { RequireSession } from './shell/require-session.tsx';
import { SectionPage } from './shell/section-page.tsx';

/**
 * The console's routes. Pages inside a project live at `/projects/:projectId/<section>` (so a link
 * names its project); their list is shell/console-sections.tsx. The service answers every such
 * path with index.html (server api/console-assets.ts), so deep links and reloads work.
 */
export function createConsoleRouter() {
  return createBrowserRouter([
    {
      element: <ConsoleRoot />,
      children: [
        { path: '/sign-in', element: <SignInPage /> },
        {
          path: '/',
          element: (
            <RequireSession>
              <ProjectHome />
            </RequireSession>
          ),
        },
        {
          path: '/projects/:projectId',
          element: (
            <RequireSession>
              <ConsoleLayout />
            </RequireSession>
          ),
          children: [
            { index: true, element: <Navigate to="overview" replace /> },
            ...consoleSections.map((section) => ({
              path: section.path,
              element: <SectionPage section={section} />,
            })),
            { path: '*', element: <NotFoundPage /> },
          ],
        },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ]);
}
