import { Flex, Layout, Result, Button, theme } from 'antd';
import { useEffect } from 'react';
import { Link, Outlet } from 'react-router';
import { useMe } from '../access/use-me.ts';
import { rememberProject } from './last-project.ts';
import { ProjectSwitcher } from './project-switcher.tsx';
import { SideMenu } from './side-menu.tsx';
import { useCurrentProjectId } from './use-project-id.ts';
import { UserMenu } from './user-menu.tsx';

/**
 * The frame of every page inside a project: the side menu, the header with the project switcher
 * and the user menu, and the page. A project the user holds no role in is "not found", as the API
 * answers it.
 */
export function ConsoleLayout() {
  const projectId = useCurrentProjectId();
  const me = useMe();
  const { token } = theme.useToken();
  const member = me.data?.projects.some((project) => project.projectId === projectId) ?? false;
  useEffect(() => {
    if (member) rememberProject(projectId);
  }, [member, projectId]);
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={212} breakpoint="lg" collapsedWidth={64}>
        <Link to={`/projects/${encodeURIComponent(projectId)}/overview`} className="console-brand">
          <img src="/favicon.svg" alt="" width={24} height={24} />
          <span>Drydock</span>
        </Link>
        <SideMenu />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: token.colorBgContainer,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
            padding: '0 16px',
          }}
        >
          <Flex justify="space-between" align="center" style={{ height: '100%' }}>
            <ProjectSwitcher />
            <UserMenu />
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ padding: 16 }}>
          {member ? (
            <Outlet />
          ) : (
            <Result
              status="404"
              title="Project not found"
              subTitle="The project does not exist, or you hold no role in it."
              extra={
                <Button type="primary" href="/">
                  Open my projects
                </Button>
              }
            />
          )}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
