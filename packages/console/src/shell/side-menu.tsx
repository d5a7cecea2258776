import { Menu, Tooltip, type MenuProps } from 'antd';
import { useLocation, useNavigate } from 'react-router';
import { permissionIn } from '../access/use-permission.ts';
import { useMe } from '../access/use-me.ts';
import { consoleSections, sectionKeyOf } from './console-sections.tsx';
import { useCurrentProjectId } from './use-project-id.ts';

/**
 * The console's navigation, like a cloud console's: every page is listed; the ones the user's
 * role does not allow are disabled, with the reason on hover.
 */
export function SideMenu() {
  const projectId = useCurrentProjectId();
  const me = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const items: MenuProps['items'] = consoleSections
    .filter((section) => section.inMenu)
    .map((section) => {
      const access =
        section.permission === undefined || !me.data
          ? { allowed: true as const }
          : permissionIn(me.data, projectId, section.permission);
      return {
        key: section.path,
        icon: section.icon,
        disabled: !access.allowed,
        label: access.allowed ? (
          section.label
        ) : (
          <Tooltip title={access.reason} placement="right">
            <span data-disabled-reason={access.reason}>{section.label}</span>
          </Tooltip>
        ),
      };
    });
  const selected = sectionKeyOf(location.pathname);
  return (
    <Menu
      theme="dark"
      mode="inline"
      items={items}
      selectedKeys={selected === undefined ? [] : [selected]}
      onClick={({ key }) => void navigate(`/projects/${projectId}/${key}`)}
      aria-label="Console pages"
    />
  );
}
