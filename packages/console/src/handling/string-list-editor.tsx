import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Flex, Form, Input, Table, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { GuardedButton } from '../access/guarded-button.tsx';
import { usePermission } from '../access/use-permission.ts';
import type { Permission } from '../access/permissions.ts';
import { formatCount } from '../format/format-time.ts';

/** New entries typed one per line: trimmed, blanks and entries already listed dropped. */
export function newEntries(text: string, existing: readonly string[]): readonly string[] {
  const known = new Set(existing);
  const added: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const entry = line.trim();
    if (entry === '' || known.has(entry)) continue;
    known.add(entry);
    added.push(entry);
  }
  return added;
}

const pageSize = 10;

/**
 * A list setting edited by adding and removing entries (path globs, weak-password words). Each
 * change saves the whole list at once through `onSave` (the API takes lists whole); removing asks
 * first. Long lists are paged and can be searched. Without `permission` the list is read-only.
 */
export function StringListEditor({
  items,
  noun,
  addLabel,
  placeholder,
  permission,
  saving,
  error,
  onSave,
  testId,
}: {
  readonly items: readonly string[];
  /** Singular and plural of an entry ("path", "paths"). */
  readonly noun: { readonly one: string; readonly many: string };
  readonly addLabel: string;
  readonly placeholder: string;
  readonly permission: Permission;
  readonly saving: boolean;
  /** Why the last save failed, shown under the input. */
  readonly error: string | undefined;
  /** Saves the whole new list; resolves true when it was stored. */
  readonly onSave: (next: readonly string[]) => Promise<boolean>;
  readonly testId: string;
}) {
  const access = usePermission(permission);
  const [text, setText] = useState('');
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const added = newEntries(text, items);

  const add = async () => {
    if (added.length === 0) return;
    if (await onSave([...items, ...added])) setText('');
  };
  const remove = (entry: string) => void onSave(items.filter((item) => item !== entry));

  const needle = search.trim().toLowerCase();
  const shown = needle === '' ? items : items.filter((item) => item.toLowerCase().includes(needle));
  const columns: TableColumnsType<{ readonly entry: string }> = [
    {
      title: noun.one.slice(0, 1).toUpperCase() + noun.one.slice(1),
      key: 'entry',
      render: (_value, row) => <span className="mono">{row.entry}</span>,
    },
    {
      title: '',
      key: 'remove',
      width: 60,
      render: (_value, row) => (
        <GuardedButton
          permission={permission}
          size="small"
          danger
          icon={<DeleteOutlined />}
          aria-label={`Remove ${row.entry}`}
          confirm={{
            title: `Remove this ${noun.one}?`,
            description: <span className="mono">{row.entry}</span>,
            okText: 'Remove',
            onConfirm: () => remove(row.entry),
          }}
        />
      ),
    },
  ];

  return (
    <Flex vertical gap={12} data-testid={testId}>
      <Form layout="vertical" disabled={!access.allowed} onFinish={() => void add()}>
        <Form.Item
          label={addLabel}
          validateStatus={error ? 'error' : undefined}
          help={error}
          style={{ marginBottom: 8 }}
        >
          <Input.TextArea
            value={text}
            onChange={(event) => setText(event.target.value)}
            placeholder={placeholder}
            autoSize={{ minRows: 1, maxRows: 6 }}
            aria-label={addLabel}
            className="mono"
          />
        </Form.Item>
        <GuardedButton
          permission={permission}
          htmlType="submit"
          icon={<PlusOutlined />}
          loading={saving}
          unavailableReason={added.length === 0 ? `Type one ${noun.one} per line first.` : undefined}
        >
          {added.length > 1 ? `Add ${formatCount(added.length)} ${noun.many}` : `Add ${noun.one}`}
        </GuardedButton>
      </Form>
      {items.length > pageSize ? (
        <Input.Search
          placeholder={`Search the ${noun.many}`}
          allowClear
          value={search}
          onChange={(event) => {
            setSearch(event.target.value);
            setPage(1);
          }}
          style={{ maxWidth: 320 }}
        />
      ) : null}
      <Table<{ readonly entry: string }>
        rowKey="entry"
        size="small"
        columns={columns}
        dataSource={shown.map((entry) => ({ entry }))}
        pagination={{
          current: page,
          pageSize,
          hideOnSinglePage: true,
          showSizeChanger: false,
          onChange: setPage,
          showTotal: (total) => `${formatCount(total)} ${total === 1 ? noun.one : noun.many}`,
        }}
        locale={{
          emptyText: (
            <Typography.Text type="secondary">
              {needle === '' ? `No ${noun.many} yet.` : `No ${noun.one} matches.`}
            </Typography.Text>
          ),
        }}
      />
    </Flex>
  );
}
