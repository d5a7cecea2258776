import { NotBuiltState } from '../states/not-built-state.tsx';
import { PageFrame } from '../states/page-frame.tsx';

/** Users and roles: not built yet (the console foundation routes here so the menu is complete). */
export function UsersRolesPage() {
  return (
    <PageFrame title="Users and roles">
      <NotBuiltState
        title="Users and roles"
        plannedContent={
          "The project's members and their roles, custom roles as sets of permissions, and (for service administrators) the users."
        }
        api="/api/v1/projects/{projectId}/members, …/roles and /api/v1/users"
      />
    </PageFrame>
  );
}
