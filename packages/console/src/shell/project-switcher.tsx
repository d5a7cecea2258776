import { Select } from 'antd';
import { useLocation, useNavigate } from 'react-router';
import { rememberProject } from './last-project.ts';
import { useProjects } from './use-projects.ts';
import { useCurrentProjectId } from './use-project-id.ts';

/** Switches project and stays on the same kind of page (a detail page falls back to its list). */
export function ProjectSwitcher() {
  const projectId = useCurrentProjectId();
  const projects = useProjects();
  const navigate = useNavigate();
  const location = useLocation();
  const switchTo = (next: string) => {
    rememberProject(next);
    const section = /^\/projects\/[^/]+\/([^/]+)/.exec(location.pathname)?.[1] ?? 'overview';
    void navigate(`/projects/${encodeURIComponent(next)}/${section}`);
  };
  return (
    <Select
      aria-label="Project"
      data-testid="project-switcher"
      style={{ width: 240 }}
      loading={projects.isPending}
      value={projectId}
      showSearch={{ optionFilterProp: 'label' }}
      options={(projects.data ?? []).map((project) => ({ value: project.id, label: project.name }))}
      onChange={switchTo}
      notFoundContent={projects.isError ? 'The projects could not be loaded' : 'No projects'}
      prefix="Project"
    />
  );
}
