import { PlusOutlined } from '@ant-design/icons';
import { Descriptions, Drawer, Flex, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { GuardedButton } from '../access/guarded-button.tsx';
import { expiringHandlingActions, type HandlingEntry } from '../api/handling-types.ts';
import { formatTime } from '../format/format-time.ts';
import { EmptyState } from '../states/empty-state.tsx';
import { ErrorState } from '../states/error-state.tsx';
import { LoadingState } from '../states/loading-state.tsx';
import { describeScope, handlingActionColors, handlingActionLabels } from './handling-labels.ts';
import { useHandlingHistory } from './use-handling-history.ts';

function ExpiryText({ entry, now }: { readonly entry: HandlingEntry; readonly now: number }) {
  if (!expiringHandlingActions.includes(entry.action)) return null;
  if (entry.expiresAt === null) return <span>No expiry</span>;
  const expired = new Date(entry.expiresAt).getTime() <= now;
  return (
    <span>
      {expired ? 'Expired ' : 'Expires '}
      {formatTime(entry.expiresAt)}
      {expired ? (
        <Tag style={{ marginInlineStart: 8 }} color="default">
          No longer applies
        </Tag>
      ) : null}
    </span>
  );
}

function EntryDetails({ entry, now }: { readonly entry: HandlingEntry; readonly now: number }) {
  const expiry = expiringHandlingActions.includes(entry.action)
    ? [{ key: 'expiry', label: 'Expiry', children: <ExpiryText entry={entry} now={now} /> }]
    : [];
  return (
    <Flex vertical gap={4} data-testid="handling-entry">
      <Flex gap={8} align="center" wrap>
        <Tag color={handlingActionColors[entry.action]} style={{ marginInlineEnd: 0 }}>
          {handlingActionLabels[entry.action]}
        </Tag>
        <Typography.Text type="secondary">
          by {entry.userName}, {formatTime(entry.at)}
        </Typography.Text>
      </Flex>
      <Descriptions
        size="small"
        column={1}
        items={[
          {
            key: 'package',
            label: 'Package',
            children: entry.packageName ?? 'Any package',
          },
          { key: 'scope', label: 'Scope', children: describeScope(entry.scope) },
          { key: 'reason', label: 'Reason', children: entry.reason },
          ...expiry,
        ]}
      />
    </Flex>
  );
}

/**
 * The handling history of one advisory (`GET handling/vulnerabilities/:advisoryId`), newest event
 * first: what was done, by whom and when, for which package and images, why, and until when. The
 * newest event that still applies decides a finding's state; expired ones are marked.
 */
export function HandlingHistoryDrawer({
  open,
  projectId,
  advisoryId,
  onClose,
  onNewEntry,
}: {
  readonly open: boolean;
  readonly projectId: string;
  readonly advisoryId: string | undefined;
  readonly onClose: () => void;
  readonly onNewEntry: (advisoryId: string) => void;
}) {
  // Fixed while the drawer shows (it is rebuilt per opening), so expiry marks do not flicker.
  const [now] = useState(() => Date.now());
  const history = useHandlingHistory(projectId, advisoryId, open);
  const entries = [...(history.data?.entries ?? [])].reverse();
  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={`Handling history of ${advisoryId ?? ''}`}
      size={560}
      destroyOnHidden
      extra={
        advisoryId === undefined ? null : (
          <GuardedButton
            permission="results:handle"
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => onNewEntry(advisoryId)}
          >
            New entry
          </GuardedButton>
        )
      }
    >
      <div data-testid="handling-history">
        {history.isError ? (
          <ErrorState error={history.error} onRetry={() => void history.refetch()} />
        ) : history.isPending ? (
          <LoadingState label="Loading the history…" />
        ) : entries.length === 0 ? (
          <EmptyState
            title="Nothing recorded"
            description={`No one has handled ${advisoryId ?? 'this advisory'} in this project.`}
          />
        ) : (
          <Timeline
            items={entries.map((entry) => ({
              key: entry.id,
              color: handlingActionColors[entry.action] === 'default' ? 'gray' : 'blue',
              content: <EntryDetails entry={entry} now={now} />,
            }))}
          />
        )}
      </div>
    </Drawer>
  );
}
