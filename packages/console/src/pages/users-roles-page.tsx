import { Tabs, Tooltip } from 'antd';
import { useSearchParams } from 'react-router';
import { useMe } from '../access/use-me.ts';
import { MembersPanel } from '../people/members-panel.tsx';
import { RolesPanel } from '../people/roles-panel.tsx';
import { useMembers, useRoles, useUsers } from '../people/use-people.ts';
import { UsersPanel } from '../people/users-panel.tsx';
import { useCurrentProjectId } from '../shell/use-project-id.ts';
import { PageFrame } from '../states/page-frame.tsx';

const tabs = ['members', 'roles', 'users'] as const;
type TabKey = (typeof tabs)[number];

const notServiceAdmin = 'Only service administrators manage user accounts.';

/**
 * Users and roles (PRODUCT.md section 6): the project's members and their roles, the roles as
 * permission sets (custom ones created with a checkbox grid), and, for service administrators, the
 * user accounts. The open tab is in the address (`?tab=roles`), so it can be linked to.
 */
export function UsersRolesPage() {
  const projectId = useCurrentProjectId();
  const me = useMe();
  const [search, setSearch] = useSearchParams();
  const serviceAdmin = me.data?.user.serviceAdmin === true;
  const roles = useRoles(projectId);
  const members = useMembers(projectId);
  const users = useUsers(serviceAdmin);
  const asked = tabs.find((tab) => tab === search.get('tab')) ?? 'members';
  const active: TabKey = asked === 'users' && !serviceAdmin ? 'members' : asked;

  return (
    <PageFrame
      title="Users and roles"
      description="Who may do what in this project: members hold one role each; a role is a set of permissions."
    >
      <Tabs
        activeKey={active}
        onChange={(key) => setSearch(key === 'members' ? {} : { tab: key }, { replace: true })}
        items={[
          {
            key: 'members',
            label: 'Members',
            children: (
              <MembersPanel
                projectId={projectId}
                roles={roles.data ?? []}
                users={serviceAdmin ? users.data : undefined}
              />
            ),
          },
          {
            key: 'roles',
            label: 'Roles',
            children: (
              <RolesPanel
                projectId={projectId}
                roles={roles.data ?? []}
                members={members.data}
                error={roles.error ?? undefined}
                loading={roles.isPending}
                onRetry={() => void roles.refetch()}
              />
            ),
          },
          {
            key: 'users',
            disabled: !serviceAdmin,
            label: serviceAdmin ? (
              'User accounts'
            ) : (
              <Tooltip title={notServiceAdmin}>
                <span data-disabled-reason={notServiceAdmin}>User accounts</span>
              </Tooltip>
            ),
            children: serviceAdmin ? (
              <UsersPanel
                users={users.data}
                error={users.error ?? undefined}
                loading={users.isPending}
                onRetry={() => void users.refetch()}
              />
            ) : null,
          },
        ]}
      />
    </PageFrame>
  );
}
