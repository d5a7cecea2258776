import { Flex } from 'antd';
import { Navigate } from 'react-router';
import { EmptyState } from '../states/empty-state.tsx';
import { ErrorState } from '../states/error-state.tsx';
import { LoadingState } from '../states/loading-state.tsx';
import { readLastProject } from './last-project.ts';
import { useProjects } from './use-projects.ts';

/** `/`: opens the project the user last worked in, else the first one they hold a role in. */
export function ProjectHome() {
  const projects = useProjects();
  if (projects.isPending) return <LoadingState label="Loading your projects…" minHeight={400} />;
  if (projects.isError)
    return (
      <Flex justify="center" style={{ padding: 48 }}>
        <ErrorState error={projects.error} onRetry={() => void projects.refetch()} />
      </Flex>
    );
  const last = readLastProject();
  const project = projects.data.find((candidate) => candidate.id === last) ?? projects.data[0];
  if (!project)
    return (
      <Flex justify="center" style={{ padding: 96 }}>
        <EmptyState
          title="You hold no role in any project yet"
          description="Ask an administrator of a project to add you as a member."
        />
      </Flex>
    );
  return <Navigate to={`/projects/${encodeURIComponent(project.id)}/overview`} replace />;
}
