import { Flex, Input, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import type { InventoryPackage } from '../api/report-types.ts';
import { formatCount } from '../format/format-time.ts';
import { EmptyState } from '../states/empty-state.tsx';
import { ExportButton } from './export-button.tsx';
import { LayerCell } from './layer-cell.tsx';
import type { ReportTabProps } from './report-tab-props.ts';
import { SbomDownload } from './sbom-download.tsx';
import { SectionQuery } from './section-query.tsx';
import { useReportSection } from './use-report-section.ts';

interface PackageRow extends InventoryPackage {
  readonly key: string;
}

const originLabels: Readonly<Record<InventoryPackage['origin'], string>> = {
  installed: 'Installed',
  lockfile: 'Lock file',
  binary: 'In a binary',
};

const columns: TableColumnsType<PackageRow> = [
  {
    title: 'Package',
    key: 'name',
    width: 220,
    sorter: (a, b) => a.name.localeCompare(b.name),
    defaultSortOrder: 'ascend',
    render: (_value, pkg) => (
      <Flex vertical gap={2}>
        <Typography.Text strong>{pkg.name}</Typography.Text>
        <Typography.Text className="mono" type="secondary" ellipsis={{ tooltip: pkg.purl }}>
          {pkg.purl}
        </Typography.Text>
      </Flex>
    ),
  },
  {
    title: 'Version',
    key: 'version',
    width: 130,
    render: (_value, pkg) => <span className="mono">{pkg.version}</span>,
  },
  {
    title: 'Ecosystem',
    key: 'ecosystem',
    width: 110,
    sorter: (a, b) => a.ecosystem.localeCompare(b.ecosystem),
    render: (_value, pkg) => (
      <Flex vertical gap={2} align="flex-start">
        <Tag style={{ marginInlineEnd: 0 }}>{pkg.ecosystem}</Tag>
        {pkg.dev ? <Typography.Text type="secondary">development</Typography.Text> : null}
      </Flex>
    ),
  },
  {
    title: 'Licences',
    key: 'licenses',
    width: 150,
    render: (_value, pkg) =>
      pkg.licenses.length === 0 ? (
        <Typography.Text type="secondary">None declared</Typography.Text>
      ) : (
        pkg.licenses.join(', ')
      ),
  },
  {
    title: 'Path',
    key: 'path',
    render: (_value, pkg) => (
      <Flex vertical gap={2}>
        <Typography.Text className="mono" ellipsis={{ tooltip: pkg.path }}>
          {pkg.path}
        </Typography.Text>
        <Typography.Text type="secondary">{originLabels[pkg.origin]}</Typography.Text>
      </Flex>
    ),
  },
  { title: 'Layer', key: 'layer', width: 180, render: (_value, pkg) => <LayerCell layer={pkg.layer} /> },
];

function matches(pkg: InventoryPackage, text: string): boolean {
  const wanted = text.trim().toLowerCase();
  if (wanted === '') return true;
  return [pkg.name, pkg.version, pkg.purl, pkg.path, ...pkg.licenses].some((value) =>
    value.toLowerCase().includes(wanted),
  );
}

function SoftwareTable({ packages }: { readonly packages: readonly InventoryPackage[] }) {
  const [search, setSearch] = useState('');
  const [ecosystems, setEcosystems] = useState<readonly string[]>([]);
  const rows = useMemo(
    () => packages.map((pkg, index) => ({ ...pkg, key: `${pkg.purl}|${pkg.path}|${index}` })),
    [packages],
  );
  const known = useMemo(() => [...new Set(packages.map((pkg) => pkg.ecosystem))].sort(), [packages]);
  const shown = rows.filter(
    (pkg) => (ecosystems.length === 0 || ecosystems.includes(pkg.ecosystem)) && matches(pkg, search),
  );
  return (
    <>
      <Flex gap={8} wrap role="search" aria-label="Software filters" style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder="Name, version, PURL, path or licence"
          aria-label="Search software"
          style={{ width: 320 }}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        <Select
          mode="multiple"
          allowClear
          placeholder="Ecosystem"
          aria-label="Ecosystem"
          style={{ minWidth: 160 }}
          value={[...ecosystems]}
          options={known.map((ecosystem) => ({ value: ecosystem, label: ecosystem }))}
          onChange={(values: string[]) => setEcosystems(values)}
        />
      </Flex>
      <Table<PackageRow>
        rowKey="key"
        size="small"
        aria-label="Software"
        columns={columns}
        dataSource={shown}
        scroll={{ x: 1000 }}
        pagination={{
          defaultPageSize: 20,
          showSizeChanger: true,
          showTotal: (total) =>
            total === rows.length
              ? `${formatCount(total)} packages`
              : `${formatCount(total)} of ${formatCount(rows.length)} packages`,
        }}
        locale={{ emptyText: <EmptyState title="No package matches" description="Change the search." /> }}
      />
    </>
  );
}

/**
 * Software information (PRODUCT.md section 4): the inventory (SBOM) of one platform, searchable,
 * and its export: the shown platform's CycloneDX or SPDX document (a direct download), and the
 * whole image's inventory as CSV or JSON (export jobs, written in the background).
 */
export function SoftwareTab({ projectId, imageId, result }: ReportTabProps) {
  const section = useReportSection(projectId, imageId, 'software', result);
  return (
    <>
      <Flex vertical gap={8} style={{ marginBottom: 12 }}>
        <SbomDownload projectId={projectId} imageId={imageId} result={result} />
        <Flex gap={8} wrap align="center">
          <Typography.Text type="secondary">
            Export the inventory of this image (every platform):
          </Typography.Text>
          <ExportButton
            projectId={projectId}
            label="CSV"
            testId="export-inventory-csv"
            request={{ kind: 'inventory', format: 'csv', filter: { imageIds: [imageId] } }}
          />
          <ExportButton
            projectId={projectId}
            label="JSON"
            testId="export-inventory-json"
            request={{ kind: 'inventory', format: 'json', filter: { imageIds: [imageId] } }}
          />
        </Flex>
      </Flex>
      <SectionQuery query={section} label="software">
        {(data) =>
          data.packages.length === 0 ? (
            <EmptyState
              title="No packages found"
              description="No package database or manifest was found in the image."
            />
          ) : (
            <SoftwareTable packages={data.packages} />
          )
        }
      </SectionQuery>
    </>
  );
}
