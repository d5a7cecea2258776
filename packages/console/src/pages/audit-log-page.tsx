import { DownloadOutlined } from '@ant-design/icons';
import { Segmented, Table, Tag, Typography, type TableColumnsType, type TableProps } from 'antd';
import { GuardedButton } from '../access/guarded-button.tsx';
import { useMe } from '../access/use-me.ts';
import type { AuditEvent, AuditFilter } from '../api/audit-types.ts';
import { AuditEventDetails, detailText } from '../audit/audit-event-details.tsx';
import { AuditFilterBar } from '../audit/audit-filter-bar.tsx';
import {
  auditExportHref,
  auditPageSizes,
  hasAuditFilter,
  readAuditListState,
  writeAuditListState,
  type AuditListState,
  type AuditScopeChoice,
} from '../audit/audit-list-params.ts';
import { useAuditPage } from '../audit/use-audit-page.ts';
import { formatCount } from '../format/format-time.ts';
import { TimeCell } from '../format/time-cell.tsx';
import { useAddressState } from '../shell/use-address-search.ts';
import { useCurrentProjectId } from '../shell/use-project-id.ts';
import { EmptyState } from '../states/empty-state.tsx';
import { ErrorState } from '../states/error-state.tsx';
import { NoMatchState } from '../states/no-match-state.tsx';
import { PageFrame } from '../states/page-frame.tsx';
import { RefreshButton } from '../states/refresh-button.tsx';

/** The first details of an event on one line, for the collapsed row. */
function summaryOf(event: AuditEvent): string {
  return Object.entries(event.details)
    .slice(0, 3)
    .map(([key, value]) => `${key}: ${detailText(value)}`)
    .join(' · ');
}

const columns: TableColumnsType<AuditEvent> = [
  { title: 'Time', key: 'at', width: 130, render: (_value, event) => <TimeCell value={event.at} /> },
  {
    title: 'User',
    key: 'user',
    width: 140,
    render: (_value, event) => <Typography.Text strong>{event.userName}</Typography.Text>,
  },
  {
    title: 'Action',
    key: 'action',
    width: 180,
    render: (_value, event) => (
      <Tag className="mono" data-action={event.action}>
        {event.action}
      </Tag>
    ),
  },
  {
    title: 'Object',
    key: 'object',
    width: 220,
    render: (_value, event) => (
      <Typography.Text ellipsis={{ tooltip: `${event.objectType} ${event.objectId}` }}>
        <Typography.Text type="secondary">{event.objectType}</Typography.Text> {event.objectId}
      </Typography.Text>
    ),
  },
  { title: 'Address', key: 'address', width: 130, render: (_value, event) => event.address },
  {
    title: 'Details',
    key: 'details',
    ellipsis: true,
    render: (_value, event) => <Typography.Text type="secondary">{summaryOf(event)}</Typography.Text>,
  },
];

/**
 * Audit log (PRODUCT.md section 6): every change with who made it, when, from which address and on
 * what; filtered and paged by the API, each row expanding to what changed, and the filtered log
 * downloadable as CSV or JSON. Service administrators may switch to the whole service's log, which
 * also holds what happens outside projects (users, sign-ins, tokens).
 */
export function AuditLogPage() {
  const projectId = useCurrentProjectId();
  const me = useMe();
  const serviceAdmin = me.data?.user.serviceAdmin === true;
  // Only a service administrator sees the whole service's events.
  const readShown = (search: URLSearchParams): AuditListState => {
    const asked = readAuditListState(search);
    return serviceAdmin ? asked : { ...asked, scope: 'project' };
  };
  const [state, update] = useAddressState(readShown, writeAuditListState);
  const events = useAuditPage(projectId, state);

  const setFilter = (filter: AuditFilter) => update({ filter, page: 1 });
  const onTableChange: TableProps<AuditEvent>['onChange'] = (pagination) =>
    update({ page: pagination.current ?? 1, pageSize: pagination.pageSize ?? state.pageSize });
  const total = events.data?.total ?? 0;
  const filtered = hasAuditFilter(state.filter);

  return (
    <PageFrame
      title="Audit log"
      description="Every change: who made it, when, from which address, and on what. Newest first."
      actions={
        <>
          <RefreshButton query={events} />
          <GuardedButton
            permission="iam:set"
            icon={<DownloadOutlined />}
            href={auditExportHref(projectId, state, 'csv')}
            download
          >
            Export CSV
          </GuardedButton>
          <GuardedButton
            permission="iam:set"
            icon={<DownloadOutlined />}
            href={auditExportHref(projectId, state, 'json')}
            download
          >
            Export JSON
          </GuardedButton>
        </>
      }
    >
      {serviceAdmin ? (
        <Segmented<AuditScopeChoice>
          aria-label="Which log"
          value={state.scope}
          onChange={(scope) => update({ scope, page: 1 })}
          options={[
            { value: 'project', label: 'This project' },
            { value: 'service', label: 'Whole service (users, sign-ins, tokens too)' },
          ]}
          style={{ marginBottom: 12 }}
        />
      ) : null}
      <AuditFilterBar filter={state.filter} onChange={setFilter} />
      {events.isError ? (
        <ErrorState error={events.error} onRetry={() => void events.refetch()} />
      ) : (
        <Table<AuditEvent>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={events.data ? [...events.data.events] : []}
          loading={events.isPending || events.isPlaceholderData}
          onChange={onTableChange}
          scroll={{ x: 1000 }}
          aria-label="Audit events"
          expandable={{
            expandedRowRender: (event) => <AuditEventDetails event={event} />,
            expandRowByClick: true,
          }}
          pagination={{
            current: state.page,
            pageSize: state.pageSize,
            total,
            showSizeChanger: true,
            pageSizeOptions: auditPageSizes.map(String),
            showTotal: (_count, [from, to]) =>
              `${formatCount(from)}–${formatCount(to)} of ${formatCount(total)} events`,
          }}
          locale={{
            emptyText: events.isPending ? (
              ' '
            ) : filtered ? (
              <NoMatchState noun="event" onReset={() => setFilter({})} />
            ) : (
              <EmptyState
                title="No events yet"
                description="Changes to registries, scans, policies, handling, members and roles show here."
              />
            ),
          }}
        />
      )}
    </PageFrame>
  );
}
