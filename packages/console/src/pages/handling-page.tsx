import { Tabs } from 'antd';
import { useSearchParams } from 'react-router';
import { ScanSettingsTab } from '../handling/scan-settings-tab.tsx';
import { SecretTab } from '../handling/secret-tab.tsx';
import { VulnerabilityTab } from '../handling/vulnerability-tab.tsx';
import { useCurrentProjectId } from '../shell/use-project-id.ts';
import { PageFrame } from '../states/page-frame.tsx';

const tabs = ['vulnerabilities', 'secrets', 'settings'] as const;
type HandlingTab = (typeof tabs)[number];

/**
 * Handling (PRODUCT.md 4.1): vulnerability handling (ignore, allowlist with scope and expiry,
 * repaired, cancel; history per advisory), ignores of sensitive-information findings and the path
 * allowlist, and the project's scan settings (weak-password words, compliance policy). The open
 * tab is kept in the address (`?tab=secrets`) so it can be linked to.
 */
export function HandlingPage() {
  const projectId = useCurrentProjectId();
  const [search, setSearch] = useSearchParams();
  const tab: HandlingTab = tabs.find((candidate) => candidate === search.get('tab')) ?? 'vulnerabilities';
  return (
    <PageFrame
      title="Handling"
      description="How the project treats what scans find: ignored, allowlisted and repaired findings, and the project's own scan inputs."
    >
      <Tabs
        activeKey={tab}
        onChange={(key) => setSearch(key === 'vulnerabilities' ? {} : { tab: key }, { replace: true })}
        destroyOnHidden
        items={[
          {
            key: 'vulnerabilities',
            label: 'Vulnerabilities',
            children: <VulnerabilityTab projectId={projectId} />,
          },
          {
            key: 'secrets',
            label: 'Sensitive information',
            children: <SecretTab projectId={projectId} />,
          },
          {
            key: 'settings',
            label: 'Scan settings',
            children: <ScanSettingsTab projectId={projectId} />,
          },
        ]}
      />
    </PageFrame>
  );
}
