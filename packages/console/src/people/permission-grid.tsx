import { Button, Checkbox, Flex, Table, Tooltip, type TableColumnsType } from 'antd';
import { permissions, type Permission } from '../access/permissions.ts';
import { permissionTitle } from './permission-mark.tsx';

/**
 * Permissions laid out as a grid: one row per resource (`images`, `registries`, …), one column per
 * action (`list`, `get`, `set`, `handle`), both read from the permission names themselves, so a
 * permission the API adds finds its cell without a change here.
 */
interface GridRow {
  readonly resource: string;
  readonly cells: Readonly<Record<string, Permission>>;
}

const actions: readonly string[] = [
  ...new Set(permissions.map((permission) => permission.split(':')[1] ?? '')),
];

const rows: readonly GridRow[] = [
  ...new Set(permissions.map((permission) => permission.split(':')[0] ?? '')),
].map((resource) => ({
  resource,
  cells: Object.fromEntries(
    permissions
      .filter((permission) => permission.startsWith(`${resource}:`))
      .map((permission) => [permission.split(':')[1] ?? '', permission]),
  ),
}));

/** Resource names as people read them. */
const resourceLabels: Readonly<Record<string, string>> = {
  images: 'Images',
  containers: 'Scan containers',
  registries: 'Registries',
  policies: 'Scheduled policy',
  results: 'Findings',
  billing: 'Usage and billing',
  iam: 'Members, roles, audit log',
};

/**
 * A checkbox grid for a set of permissions (a custom role, a token's subset): usable as a form
 * control (`value`, `onChange`). `disabledReason` makes it read-only and says why.
 */
export function PermissionGrid({
  value,
  onChange,
  disabledReason,
  hint,
}: {
  readonly value?: readonly Permission[];
  readonly onChange?: (value: readonly Permission[]) => void;
  readonly disabledReason?: string | undefined;
  /** A note per permission (e.g. "you do not hold it here"), shown in its tooltip. */
  readonly hint?: (permission: Permission) => string | undefined;
}) {
  const chosen = new Set(value ?? []);
  const readOnly = disabledReason !== undefined || onChange === undefined;
  const set = (next: ReadonlySet<Permission>) =>
    onChange?.(permissions.filter((permission) => next.has(permission)));
  const toggle = (permission: Permission, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(permission);
    else next.delete(permission);
    set(next);
  };
  const columns: TableColumnsType<GridRow> = [
    {
      title: 'Resource',
      key: 'resource',
      render: (_value, row) => resourceLabels[row.resource] ?? row.resource,
    },
    ...actions.map((action) => ({
      title: action,
      key: action,
      align: 'center' as const,
      width: 72,
      render: (_value: unknown, row: GridRow) => {
        const permission = row.cells[action];
        if (permission === undefined) return null;
        const note = hint?.(permission);
        return (
          <Tooltip title={[permissionTitle(permission), note, disabledReason].filter(Boolean).join(' · ')}>
            <Checkbox
              aria-label={permission}
              data-permission={permission}
              checked={chosen.has(permission)}
              disabled={readOnly}
              onChange={(event) => toggle(permission, event.target.checked)}
            />
          </Tooltip>
        );
      },
    })),
  ];
  return (
    <Flex vertical gap={8}>
      <Table<GridRow>
        rowKey="resource"
        size="small"
        bordered
        columns={columns}
        dataSource={[...rows]}
        pagination={false}
        aria-label="Permissions"
      />
      {readOnly ? null : (
        <Flex gap={8}>
          <Button size="small" onClick={() => set(new Set(permissions))}>
            Select all
          </Button>
          <Button size="small" onClick={() => set(new Set())}>
            Clear
          </Button>
        </Flex>
      )}
    </Flex>
  );
}
