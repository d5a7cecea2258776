import { Card, Col, List, Row, Statistic, Table, Typography, type TableColumnsType } from 'antd';
import type { FileTotals, LargeFile } from '../api/report-types.ts';
import { formatBytes } from '../format/format-bytes.ts';
import { formatCount } from '../format/format-time.ts';
import { EmptyState } from '../states/empty-state.tsx';
import type { ReportTabProps } from './report-tab-props.ts';
import { SectionQuery } from './section-query.tsx';
import { useReportSection } from './use-report-section.ts';

const largestColumns: TableColumnsType<LargeFile> = [
  {
    title: 'File',
    key: 'path',
    render: (_value, file) => <Typography.Text className="mono">{file.path}</Typography.Text>,
  },
  {
    title: 'Size',
    key: 'size',
    width: 110,
    align: 'right',
    render: (_value, file) => formatBytes(file.size),
  },
  {
    title: 'Layer',
    key: 'layer',
    width: 90,
    render: (_value, file) => (file.layerIndex === undefined ? '—' : `Layer ${file.layerIndex}`),
  },
];

/** A list of special files (setuid, setgid, world-writable), said to be empty when it is. */
function SpecialFiles({
  title,
  paths,
  why,
  testId,
}: {
  readonly title: string;
  readonly paths: readonly string[];
  readonly why: string;
  readonly testId: string;
}) {
  return (
    <Card size="small" title={`${title} (${formatCount(paths.length)})`} data-testid={testId}>
      <Typography.Paragraph type="secondary">{why}</Typography.Paragraph>
      {paths.length === 0 ? (
        <Typography.Text type="secondary">None.</Typography.Text>
      ) : (
        <List
          size="small"
          dataSource={[...paths]}
          pagination={paths.length > 10 ? { pageSize: 10, size: 'small' } : false}
          renderItem={(path) => (
            <List.Item>
              <span className="mono">{path}</span>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

function FilesContent({ files }: { readonly files: FileTotals }) {
  return (
    <Row gutter={[16, 16]}>
      <Col span={6}>
        <Card size="small">
          <Statistic title="Files" value={files.files ?? 0} />
        </Card>
      </Col>
      <Col span={6}>
        <Card size="small">
          <Statistic title="Total size of the files" value={formatBytes(files.totalBytes ?? 0)} />
        </Card>
      </Col>
      <Col span={6}>
        <Card size="small">
          <Statistic title="Directories" value={files.directories ?? 0} />
        </Card>
      </Col>
      <Col span={6}>
        <Card size="small">
          <Statistic title="Symbolic links" value={files.symlinks ?? 0} />
        </Card>
      </Col>
      <Col span={24}>
        <Card size="small" title="Largest files">
          <Table<LargeFile>
            rowKey="path"
            size="small"
            aria-label="Largest files"
            columns={largestColumns}
            dataSource={[...(files.largest ?? [])]}
            pagination={{ defaultPageSize: 10, hideOnSinglePage: true }}
          />
        </Card>
      </Col>
      <Col span={8}>
        <SpecialFiles
          title="Setuid files"
          testId="setuid-files"
          paths={files.setuid ?? []}
          why="Run with their owner's rights, whoever starts them."
        />
      </Col>
      <Col span={8}>
        <SpecialFiles
          title="Setgid files"
          testId="setgid-files"
          paths={files.setgid ?? []}
          why="Run with their group's rights, whoever starts them."
        />
      </Col>
      <Col span={8}>
        <SpecialFiles
          title="World-writable files"
          testId="world-writable-files"
          paths={files.worldWritable ?? []}
          why="Any user in the container may change them."
        />
      </Col>
    </Row>
  );
}

/** File information (PRODUCT.md section 4) of the final filesystem: counts, the largest files, special files. */
export function FilesTab({ projectId, imageId, result }: ReportTabProps) {
  const section = useReportSection(projectId, imageId, 'files', result);
  return (
    <SectionQuery query={section} label="file information">
      {(data) =>
        data.files ? (
          <FilesContent files={data.files} />
        ) : (
          <EmptyState title="No file information" description="The scan recorded no file statistics." />
        )
      }
    </SectionQuery>
  );
}
