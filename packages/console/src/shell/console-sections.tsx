import {
  AlertOutlined,
  ApiOutlined,
  AuditOutlined,
  BarChartOutlined,
  CloudServerOutlined,
  ContainerOutlined,
  DashboardOutlined,
  ExportOutlined,
  FieldTimeOutlined,
  KeyOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import type { Permission } from '../access/permissions.ts';

/**
 * The console's pages under `/projects/:projectId/`: the side menu and the routes are both built
 * from this list, so a new page is one file under pages/ and one entry here. Pages load on first
 * visit (their own chunk), which keeps the first load small.
 */
export interface ConsoleSection {
  /** Relative to `/projects/:projectId/`. */
  readonly path: string;
  readonly label: string;
  readonly icon?: ReactNode;
  /** The permission the page needs in the project; undefined: any signed-in user. */
  readonly permission: Permission | undefined;
  /** Shown in the side menu (detail pages, reached from another page, are not). */
  readonly inMenu: boolean;
  readonly Page: LazyExoticComponent<ComponentType>;
}

export const consoleSections: readonly ConsoleSection[] = [
  {
    path: 'overview',
    label: 'Overview',
    icon: <DashboardOutlined />,
    permission: 'images:list',
    inMenu: true,
    Page: lazy(() =>
      import('../pages/overview-page.tsx').then((module) => ({ default: module.OverviewPage })),
    ),
  },
  {
    path: 'images',
    label: 'Repository images',
    icon: <ContainerOutlined />,
    permission: 'images:list',
    inMenu: true,
    Page: lazy(() => import('../pages/images-page.tsx').then((module) => ({ default: module.ImagesPage }))),
  },
  {
    path: 'images/:imageId',
    label: 'Image report',
    permission: 'images:get',
    inMenu: false,
    Page: lazy(() =>
      import('../pages/image-report-page.tsx').then((module) => ({ default: module.ImageReportPage })),
    ),
  },
  {
    path: 'risks',
    label: 'Risk views',
    icon: <AlertOutlined />,
    permission: 'images:get',
    inMenu: true,
    Page: lazy(() =>
      import('../pages/risk-views-page.tsx').then((module) => ({ default: module.RiskViewsPage })),
    ),
  },
  {
    path: 'tasks',
    label: 'Tasks',
    icon: <UnorderedListOutlined />,
    permission: 'images:list',
    inMenu: true,
    Page: lazy(() => import('../pages/tasks-page.tsx').then((module) => ({ default: module.TasksPage }))),
  },
  {
    path: 'registries',
    label: 'Registries',
    icon: <CloudServerOutlined />,
    permission: 'registries:list',
    inMenu: true,
    Page: lazy(() =>
      import('../pages/registries-page.tsx').then((module) => ({ default: module.RegistriesPage })),
    ),
  },
  {
    path: 'policy',
    label: 'Scheduled policy',
    icon: <FieldTimeOutlined />,
    permission: 'images:list',
    inMenu: true,
    Page: lazy(() =>
      import('../pages/scheduled-policy-page.tsx').then((module) => ({
        default: module.ScheduledPolicyPage,
      })),
    ),
  },
  {
    path: 'handling',
    label: 'Handling',
    icon: <SafetyCertificateOutlined />,
    permission: 'images:get',
    inMenu: true,
    Page: lazy(() =>
      import('../pages/handling-page.tsx').then((module) => ({ default: module.HandlingPage })),
    ),
  },
  {
    path: 'usage',
    label: 'Usage',
    icon: <BarChartOutlined />,
    permission: 'billing:get',
    inMenu: true,
    Page: lazy(() => import('../pages/usage-page.tsx').then((module) => ({ default: module.UsagePage }))),
  },
  {
    path: 'access',
    label: 'Users and roles',
    icon: <TeamOutlined />,
    permission: 'iam:set',
    inMenu: true,
    Page: lazy(() =>
      import('../pages/users-roles-page.tsx').then((module) => ({ default: module.UsersRolesPage })),
    ),
  },
  {
    path: 'tokens',
    label: 'API tokens',
    icon: <KeyOutlined />,
    permission: undefined,
    inMenu: true,
    Page: lazy(() =>
      import('../pages/api-tokens-page.tsx').then((module) => ({ default: module.ApiTokensPage })),
    ),
  },
  {
    path: 'webhooks',
    label: 'Webhooks',
    icon: <ApiOutlined />,
    permission: 'images:list',
    inMenu: true,
    Page: lazy(() =>
      import('../webhooks/webhooks-page.tsx').then((module) => ({ default: module.WebhooksPage })),
    ),
  },
  {
    path: 'audit-log',
    label: 'Audit log',
    icon: <AuditOutlined />,
    permission: 'iam:set',
    inMenu: true,
    Page: lazy(() =>
      import('../pages/audit-log-page.tsx').then((module) => ({ default: module.AuditLogPage })),
    ),
  },
  {
    path: 'exports',
    label: 'Exports',
    icon: <ExportOutlined />,
    permission: 'images:get',
    inMenu: true,
    Page: lazy(() => import('../pages/exports-page.tsx').then((module) => ({ default: module.ExportsPage }))),
  },
];

/** The first path segment of a page under the project, naming its menu entry (`images/abc` → `images`). */
export function sectionKeyOf(pathname: string): string | undefined {
  return /^\/projects\/[^/]+\/([^/]+)/.exec(pathname)?.[1];
}
