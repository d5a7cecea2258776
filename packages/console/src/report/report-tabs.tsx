import { Tabs } from 'antd';
import type { ReactNode } from 'react';
import {
  reportSections,
  type ImageSummary,
  type ReportSection,
  type StoredResult,
} from '../api/report-types.ts';
import { formatCount } from '../format/format-time.ts';
import { BaseImageTab } from './base-image-tab.tsx';
import { BaselineTab } from './baseline-tab.tsx';
import { ComplianceTab } from './compliance-tab.tsx';
import { FilesTab } from './files-tab.tsx';
import { LayersTab } from './layers-tab.tsx';
import { MalwareTab } from './malware-tab.tsx';
import type { ReportTabProps } from './report-tab-props.ts';
import { SecretsTab } from './secrets-tab.tsx';
import { SoftwareTab } from './software-tab.tsx';
import { SummaryTab } from './summary-tab.tsx';
import { useReportSection } from './use-report-section.ts';
import { VulnerabilitiesTab } from './vulnerabilities-tab.tsx';

/** Whether `value` names a tab: the report has one per section (PRODUCT.md section 4), in the API's order. */
export function isReportTab(value: string | null): value is ReportSection {
  return (reportSections as readonly (string | null)[]).includes(value);
}

/** PRODUCT.md section 4's names of the sections, shown on hover over the tabs' short names. */
const sectionNames: Readonly<Record<ReportSection, string>> = {
  summary: 'Summary of this platform',
  vulnerabilities: 'Vulnerabilities',
  baseline: 'Baseline',
  malware: 'Malicious files',
  secrets: 'Sensitive information',
  compliance: 'Software compliance',
  software: 'Software information (SBOM)',
  files: 'File information',
  'base-image': 'Base image',
  layers: 'Layers and their build instructions',
};

/**
 * A tab's short name (all ten fit one row beside the menu at 1280 pixels) with the platform's open
 * findings of its risk type, when the scan looked for it.
 */
function labelOf(tab: ReportSection, result: StoredResult): string {
  const counts = result.riskCounts;
  const scanned = (type: StoredResult['riskTypes'][number]) => result.riskTypes.includes(type);
  const withCount = (label: string, count: number, type: StoredResult['riskTypes'][number]) =>
    scanned(type) ? `${label} (${formatCount(count)})` : label;
  switch (tab) {
    case 'summary':
      return 'Summary';
    case 'vulnerabilities':
      return withCount(
        'Vulnerabilities',
        Object.values(counts.vulnerability).reduce((sum, count) => sum + count, 0),
        'vulnerability',
      );
    case 'baseline':
      return withCount('Baseline', counts.baseline, 'baseline');
    case 'malware':
      return withCount('Malware', counts.malware, 'malware');
    case 'secrets':
      return withCount('Secrets', counts.secret, 'secret');
    case 'compliance':
      return withCount('Compliance', counts.compliance, 'compliance');
    case 'software':
      return 'Software';
    case 'files':
      return 'Files';
    case 'base-image':
      return 'Base image';
    case 'layers':
      return 'Layers';
  }
}

/**
 * The sections of one platform's current result as tabs (each loads when first opened). Counts
 * in the tab names are the open findings; handled ones are in the tabs too, in their own state.
 */
export function ReportTabs({
  projectId,
  image,
  result,
  tab,
  onTabChange,
}: {
  readonly projectId: string;
  readonly image: ImageSummary;
  readonly result: StoredResult;
  readonly tab: ReportSection;
  readonly onTabChange: (tab: ReportSection) => void;
}) {
  // Which layers are the base image's marks findings and layers in several tabs.
  const base = useReportSection(projectId, image.id, 'base-image', result);
  const baseLayers = base.data?.baseImage?.layers ?? 0;
  const props: ReportTabProps = { projectId, imageId: image.id, result };
  const content: Readonly<Record<ReportSection, () => ReactNode>> = {
    summary: () => <SummaryTab {...props} />,
    vulnerabilities: () => (
      <VulnerabilitiesTab projectId={projectId} image={image} result={result} baseLayers={baseLayers} />
    ),
    baseline: () => <BaselineTab {...props} />,
    malware: () => <MalwareTab {...props} />,
    secrets: () => <SecretsTab {...props} />,
    compliance: () => <ComplianceTab {...props} />,
    software: () => <SoftwareTab {...props} />,
    files: () => <FilesTab {...props} />,
    'base-image': () => <BaseImageTab {...props} />,
    layers: () => <LayersTab {...props} baseLayers={baseLayers} />,
  };
  return (
    <Tabs
      activeKey={tab}
      tabBarGutter={20}
      onChange={(key) => {
        if (isReportTab(key)) onTabChange(key);
      }}
      items={reportSections.map((key) => ({
        key,
        label: (
          <span data-tab={key} title={sectionNames[key]}>
            {labelOf(key, result)}
          </span>
        ),
        children: content[key](),
      }))}
    />
  );
}
