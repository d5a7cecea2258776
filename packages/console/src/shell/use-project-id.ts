import { useParams } from 'react-router';

/** The project of the current page (`/projects/:projectId/...`); undefined outside a project. */
export function useProjectId(): string | undefined {
  return useParams()['projectId'];
}

/** The project of a page that only exists inside one (every page under the console layout). */
export function useCurrentProjectId(): string {
  const projectId = useProjectId();
  if (projectId === undefined) throw new Error('this page belongs under /projects/:projectId');
  return projectId;
}
